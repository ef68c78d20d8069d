"""Availability answers as CSV: one row per person and slot.

Coordinators collect "when can you meet?" answers in a form or a
spreadsheet. :func:`read_availability` reads them into a :class:`Poll`
(the one poll model of the library, used by group formation and by the
programme planner); :func:`availability_csv` writes a poll back out.
"""

from __future__ import annotations

import re
from datetime import time
from os import PathLike
from typing import IO

from emessi._csvread import open_text, table_rows
from emessi._i18n import _
from emessi._text import csv_text
from emessi.errors import DocumentError, Problem, UsageError
from emessi.model._checks import _ID, safe_id
from emessi.model._strict import checked
from emessi.scheduling.poll import Answer, Poll, Slot, Vote

__all__ = ["AVAILABILITY_COLUMNS", "availability_csv", "read_availability"]

#: The columns of an availability CSV; ``slot`` is optional.
AVAILABILITY_COLUMNS = {
    "person": "the person's id (an applicant, a facilitator or an observer)",
    "weekday": "the slot's weekday: Monday-Sunday (or mon, tue, ...)",
    "time": "the slot's local start time, HH:MM (24-hour)",
    "answer": "yes, if-need-be or no (also kyllä, tarvittaessa, ei)",
    "slot": "optional: the slot's id; by default the weekday and time, e.g. tue-1400",
}

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ANSWERS = {
    "yes": Answer.YES,
    "y": Answer.YES,
    "kyllä": Answer.YES,
    "if-need-be": Answer.IF_NEED_BE,
    "if need be": Answer.IF_NEED_BE,
    "maybe": Answer.IF_NEED_BE,
    "tarvittaessa": Answer.IF_NEED_BE,
    "no": Answer.NO,
    "n": Answer.NO,
    "ei": Answer.NO,
}
_REQUIRED = ("person", "weekday", "time", "answer")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _weekday(text: str) -> int | None:
    name = text.lower()
    for index, day in enumerate(_WEEKDAYS):
        if len(name) >= 3 and day.startswith(name):
            return index
    return None


def _clock(text: str) -> time | None:
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@checked
def read_availability(source: str | PathLike[str] | IO[str]) -> Poll:
    r"""A :class:`Poll` from a CSV file with one row per person and slot.

    The columns (their order is free; commas, semicolons or tabs separate
    cells): ``person`` (an id), ``weekday`` (``Tuesday`` or ``tue``),
    ``time`` (``14:00``), ``answer`` (``yes``, ``if-need-be`` or ``no``; the
    Finnish ``kyllä``, ``tarvittaessa``, ``ei`` also do) and, optionally,
    ``slot`` (an id; by default the weekday and time, ``tue-1400``). The
    slots are the distinct weekday-and-time pairs, in the order they first
    appear. A slot a person has no row for counts as *no*.

    Raises:
        DocumentError: every problem found, each with its path
            ``rows[N].column`` (the header is row 1); messages never repeat
            a cell's content.
        EmessiError: the file cannot be read.

    Example:
        >>> import io
        >>> poll = read_availability(io.StringIO('''person,weekday,time,answer
        ... p-01,Tuesday,14:00,yes
        ... p-01,Thursday,10:00,no
        ... f-01,tue,14:00,if-need-be
        ... '''))
        >>> [s.id for s in poll.slots], poll.answer("f-01", "tue-1400").value
        (['tue-1400', 'thu-1000'], 'if-need-be')
        >>> read_availability(io.StringIO("person,weekday,time,answer\np-01,Tue,14:00,perhaps\n"))
        Traceback (most recent call last):
        ...
        emessi.errors.DocumentError: cannot load the CSV text: 1 problem
          expected yes, if-need-be or no @ rows[2].answer

    .. versionadded:: 0.1.0

    """
    handle, name, close = open_text(source, "read_availability")
    problems: list[Problem] = []
    try:
        rows = list(table_rows(handle, AVAILABILITY_COLUMNS, _REQUIRED, problems))
    finally:
        if close:
            handle.close()
    slots: dict[tuple[int, time], Slot] = {}
    ids: dict[str, tuple[int, time]] = {}
    votes: dict[tuple[str, str], tuple[int, Vote]] = {}
    for number, row in rows:
        person, day, at = row["person"], _weekday(row["weekday"]), _clock(row["time"])
        answer = _ANSWERS.get(row["answer"].lower())
        bad = False
        if not _ID.match(person):
            problems.append(Problem(f"rows[{number}].person", _("expected a person id")))
            bad = True
        if day is None:
            problems.append(Problem(f"rows[{number}].weekday", _("expected a weekday")))
            bad = True
        if at is None:
            problems.append(Problem(f"rows[{number}].time", _("expected a time HH:MM")))
            bad = True
        if answer is None:
            problems.append(Problem(f"rows[{number}].answer", _("expected yes, if-need-be or no")))
            bad = True
        if bad or day is None or at is None or answer is None:
            continue
        key = (day, at)
        slot_id = row.get("slot") or f"{_WEEKDAYS[day][:3]}-{at:%H%M}"
        if not _ID.match(slot_id):
            problems.append(Problem(f"rows[{number}].slot", _("expected a slot id")))
            continue
        if key not in slots:
            if slot_id in ids:
                problems.append(
                    Problem(f"rows[{number}].slot", _("the slot id names another weekday and time"))
                )
                continue
            slots[key] = Slot(slot_id, day, at)
            ids[slot_id] = key
        elif slots[key].id != slot_id:
            problems.append(Problem(f"rows[{number}].slot", _("another slot id for the same time")))
            continue
        vote_key = (person, slots[key].id)
        if vote_key in votes:
            earlier = votes[vote_key][0]
            problems.append(
                Problem(
                    f"rows[{number}]",
                    _("{person} answered this slot already on row {earlier}").format(
                        person=safe_id(person), earlier=earlier
                    ),
                )
            )
            continue
        votes[vote_key] = (number, Vote(person, slots[key].id, answer))
    if problems:
        raise DocumentError(problems, source=name)
    return Poll(tuple(slots.values()), [vote for _unused, vote in votes.values()])


@checked
def availability_csv(poll: Poll) -> str:
    """The CSV text :func:`read_availability` reads, for a poll's weekly slots.

    Every answer is written, one row per person and slot; concrete slots
    (one date) are left out.

    Example:
        >>> import io
        >>> from datetime import time
        >>> poll = Poll.from_answers([Slot("tue-1400", "Tuesday", time(14))], {"p-01": {"tue-1400": "yes"}})
        >>> print(availability_csv(poll), end="")
        person,weekday,time,answer,slot
        p-01,Tuesday,14:00,yes,tue-1400
        >>> read_availability(io.StringIO(availability_csv(poll))) == poll
        True

    .. versionadded:: 0.1.0

    """
    if not isinstance(poll, Poll):
        raise UsageError(_("availability_csv() takes a Poll"), path="poll")
    # Slot by slot, in the poll's order, so that reading keeps that order.
    by_slot: dict[str, list[Vote]] = {}
    for vote in poll.votes:
        by_slot.setdefault(vote.slot, []).append(vote)
    rows = [
        [
            vote.person,
            _WEEKDAYS[slot.weekday].capitalize(),
            f"{slot.at:%H:%M}",
            vote.answer.value,
            slot.id,
        ]
        for slot in poll.slots
        if slot.weekday is not None and slot.at is not None
        for vote in by_slot.get(slot.id, ())
    ]
    # Spreadsheet formulas are neutralised as in every CSV emessi writes.
    return csv_text(["person", "weekday", "time", "answer", "slot"], rows)
