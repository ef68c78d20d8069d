"""The rows of the research export's tables, built from consenting people only.

Each function returns rows in the column order of
:data:`emessi.research._tables_spec.COLUMNS`. Person and group ids are
turned into tokens here; no personal field is ever read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import TypeAlias

from emessi._i18n import _
from emessi.errors import UnknownReferenceError
from emessi.model import MeetingStatus, Programme, local_date
from emessi.model._strict import checked
from emessi.research._stats import mean, sd
from emessi.research.pseudonyms import Pseudonymiser
from emessi.research.study import StudyData
from emessi.research.tables import Cell

__all__ = [
    "check_references",
    "feedback_rows",
    "group_rows",
    "people_rows",
    "response_rows",
    "size_band",
]

Row: TypeAlias = tuple[Cell, ...]
Rows: TypeAlias = list[Row]
#: Formats a date for the export: the day, or only its month.
Day: TypeAlias = Callable[[date], str]


@checked
def size_band(staff: int) -> str:
    """The size band of a workplace: ``"1"``, ``"2-4"``, ``"5-9"`` or ``"10+"``.

    The bands keep the eMessi target group (work communities of fewer than
    5 people; eMessi2 source text) apart from larger workplaces without
    naming the organisation.

    Example:
        >>> [size_band(n) for n in (1, 3, 5, 12)]
        ['1', '2-4', '5-9', '10+']

    .. versionadded:: 0.1.0

    """
    return _size_band(staff)


def _size_band(staff: int) -> str:
    if staff <= 1:
        return "1"
    if staff <= 4:
        return "2-4"
    if staff <= 9:
        return "5-9"
    return "10+"


def check_references(programme: Programme, study: StudyData) -> None:
    """Refuse study records that refer to people, groups or meetings the programme lacks."""
    groups = {g.id: g for g in programme.groups}
    people = {p.id for p in programme.people}
    records: list[tuple[str, str]] = [
        *((f"study.consents[{i}]", c.person) for i, c in enumerate(study.consents)),
        *((f"study.meeting_feedback[{i}]", f.person) for i, f in enumerate(study.meeting_feedback)),
        *(
            (f"study.programme_feedback[{i}]", f.person)
            for i, f in enumerate(study.programme_feedback)
        ),
        *((f"study.responses[{i}]", r.person) for i, r in enumerate(study.responses)),
    ]
    for path, person in records:
        if person not in people:
            raise UnknownReferenceError(_("no such person in the programme"), path=f"{path}.person")
    for index, feedback in enumerate(study.meeting_feedback):
        path = f"study.meeting_feedback[{index}]"
        if feedback.group not in groups:
            raise UnknownReferenceError(_("no such group in the programme"), path=f"{path}.group")
        if all(m.number != feedback.meeting for m in groups[feedback.group].meetings):
            raise UnknownReferenceError(
                _("the group has no meeting with this number"), path=f"{path}.meeting"
            )


def people_rows(
    programme: Programme,
    keep: frozenset[str],
    tokens: Pseudonymiser,
    band: Callable[[int], str] = _size_band,
) -> Rows:
    """people: token, sector, size band; the organisation's name is never read."""
    organisations = {o.id: o for o in programme.organisations}
    rows: Rows = []
    for person in programme.people:
        if person.id in keep:
            org = organisations.get(person.organisation or "")
            sector, staff = (org.sector, band(org.staff)) if org else (None, None)
            rows.append((tokens.person(person.id), sector, staff))
    return rows


def group_rows(
    programme: Programme, keep: frozenset[str], tokens: Pseudonymiser, day: Day, k: int
) -> tuple[Rows, Rows, Rows]:
    """memberships, attendance and attendance_summary, for held meetings only."""
    memberships: Rows = []
    attendance: Rows = []
    summary: Rows = []
    for group in programme.groups:
        group_token = tokens.group(group.id)
        for m in group.memberships:
            if m.person in keep:
                joined = day(m.joined) if m.joined else None
                left = day(m.left) if m.left else None
                memberships.append(
                    (tokens.person(m.person), group_token, m.role.value, joined, left)
                )
        for meeting in group.meetings:
            if meeting.status is not MeetingStatus.HELD:
                continue
            held_on = local_date(group, meeting)
            present = set(meeting.attendance)
            members = {m.person for m in group.memberships if m.active_on(held_on)}
            counted = (members | present) & keep
            for person in counted:
                attendance.append(
                    (
                        tokens.person(person),
                        group_token,
                        meeting.number,
                        day(held_on),
                        person in present,
                    )
                )
            n, came = len(counted), len(counted & present)
            shown = n >= k
            figures = (n, came, came / n) if shown else (None, None, None)
            summary.append((group_token, meeting.number, day(held_on), *figures, not shown))
    return memberships, attendance, summary


def feedback_rows(
    study: StudyData, tokens: Pseudonymiser, day: Day, k: int
) -> tuple[Rows, Rows, Rows]:
    """meeting_feedback, programme_feedback and feedback_summary; comments are never read."""
    meeting: Rows = [
        (
            tokens.person(f.person),
            tokens.group(f.group),
            f.meeting,
            f.form,
            day(f.submitted.date()),
            a.item,
            a.value,
        )
        for f in study.meeting_feedback
        for a in f.answers
    ]
    programme: Rows = [
        (tokens.person(f.person), f.form, day(f.submitted.date()), a.item, a.value)
        for f in study.programme_feedback
        for a in f.answers
    ]
    by_item: dict[tuple[str, str, str], list[tuple[str, int]]] = defaultdict(list)
    for f in study.meeting_feedback:
        for a in f.answers:
            by_item[tokens.group(f.group), f.form, a.item].append((f.person, a.value))
    summary: Rows = []
    for (group_token, form, item), given in by_item.items():
        n = len({person for person, _value in given})
        shown = n >= k
        figures = (n, mean([v for _person, v in given])) if shown else (None, None)
        summary.append((group_token, form, item, *figures, not shown))
    return meeting, programme, summary


def response_rows(
    study: StudyData, tokens: Pseudonymiser, day: Day, k: int
) -> tuple[Rows, Rows, Rows]:
    """instrument_answers, instrument_scores and score_summary."""
    answers: Rows = [
        (tokens.person(r.person), r.instrument, r.wave, day(r.answered.date()), a.item, a.value)
        for r in study.responses
        for a in r.answers
    ]
    scores: Rows = []
    by_scale: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for r in study.responses:
        instrument = study._find(r.instrument, path="instruments")
        given = {a.item for a in r.answers}
        for scale, value in instrument._score(r.answers).items():
            answered = len(given.intersection(instrument._scale(scale)[0]))
            when = day(r.answered.date())
            scores.append(
                (tokens.person(r.person), r.instrument, r.wave, when, scale, value, answered)
            )
            if value is not None:
                by_scale[r.instrument, r.wave, scale][r.person] = value
    summary: Rows = []
    for (instrument_id, wave, scale), values in by_scale.items():
        listed = list(values.values())
        shown = len(listed) >= k
        figures = (len(listed), mean(listed), sd(listed)) if shown else (None, None, None)
        summary.append((instrument_id, wave, scale, *figures, not shown))
    return answers, scores, summary
