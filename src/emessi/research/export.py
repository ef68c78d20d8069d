"""Pseudonymised research export: tidy tables for researchers, no personal data.

Only people whose consent is in force on the export day are included. Their
ids become keyed tokens (:class:`~emessi.research.Pseudonymiser`); names,
e-mails, meeting notes, leaving reasons, feedback comments, group names and
links are dropped; an organisation becomes its sector and size band; dates
may be coarsened to the month; summary tables suppress cells with fewer
than *k* people. Writing the files is an adapter's job: it goes through
:mod:`emessi.io`'s atomic writes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from os import PathLike
from pathlib import Path

import attrs

from emessi.errors import EmessiError, ResearchError, UnknownReferenceError, UsageError
from emessi.model import MeetingStatus, Programme, local_date
from emessi.research._stats import mean, sd
from emessi.research._tables_spec import COLUMNS, DESCRIPTIONS
from emessi.research.pseudonyms import Pseudonymiser
from emessi.research.study import StudyData
from emessi.research.tables import Cell, Column, Table

__all__ = ["ResearchExport", "pseudonymise", "size_band"]


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
    if staff <= 1:
        return "1"
    if staff <= 4:
        return "2-4"
    if staff <= 9:
        return "5-9"
    return "10+"


def _tables(values: Sequence[Table]) -> tuple[Table, ...]:
    return tuple(values)


@attrs.frozen
class ResearchExport:
    """The tables of one pseudonymised export, ready to write or analyse.

    The repr shows table names and row counts only.

    Args:
        tables: The tables, see :doc:`/howto/evaluation-study` for columns.
        on: The export day; consent was checked on it.
        months_only: Whether dates are coarsened to the month.
        k: The smallest number of people a summary cell shows.

    Example:
        >>> from emessi import Programme
        >>> from emessi.research import StudyData
        >>> export = pseudonymise(Programme("p"), StudyData("p"), key=bytes(32),
        ...                       on=date(2015, 12, 1))
        >>> export.table("people")
        Table(name='people', columns=('person', 'sector', 'size_band'), rows=<0 rows>)

    .. versionadded:: 0.1.0

    """

    tables: tuple[Table, ...] = attrs.field(converter=_tables)
    on: date
    months_only: bool = False
    k: int = 3

    def table(self, name: str) -> Table:
        """The table called *name*.

        Raises:
            UsageError: no such table.

        Example:
            >>> from emessi import Programme
            >>> from emessi.research import StudyData
            >>> export = pseudonymise(Programme("p"), StudyData("p"), key=bytes(32))
            >>> export.table("attendance").names
            ('person', 'group', 'meeting', 'date', 'present')

        """
        for table in self.tables:
            if table.name == name:
                return table
        known = ", ".join(t.name for t in self.tables)
        raise UsageError(f"no table {name!r}; the export has {known}", path="name")

    def datapackage(self, formats: Iterable[str] = ("csv", "json")) -> dict[str, object]:
        """A Frictionless Data Package descriptor of the written files.

        Each table is one resource (its CSV file, or its JSON file when only
        JSON is written), with its Table Schema.

        Example:
            >>> from emessi import Programme
            >>> from emessi.research import StudyData
            >>> export = pseudonymise(Programme("p"), StudyData("p"), key=bytes(32))
            >>> export.datapackage()["resources"][0]["path"]
            'people.csv'

        """
        kind = "csv" if "csv" in tuple(formats) else "json"
        return {
            "profile": "tabular-data-package" if kind == "csv" else "data-package",
            "name": "emessi-research-export",
            "created": self.on.isoformat(),
            "emessi": {"k": self.k, "dates": "month" if self.months_only else "day"},
            "resources": [
                {
                    "name": table.name,
                    "path": f"{table.name}.{kind}",
                    "format": kind,
                    "mediatype": "text/csv" if kind == "csv" else "application/json",
                    "encoding": "utf-8",
                    "description": table.description,
                    "schema": table.schema(),
                }
                for table in self.tables
            ],
        }

    def write(
        self, folder: str | PathLike[str], *, formats: Iterable[str] = ("csv", "json")
    ) -> tuple[Path, ...]:
        """Write every table as ``<name>.csv`` and/or ``<name>.json``, atomically.

        Also writes ``datapackage.json`` describing the columns. The folder is
        created if needed; the key is never written.

        Raises:
            UsageError: an unknown format.
            EmessiError: a file cannot be written.

        Example:
            >>> import tempfile
            >>> from emessi import Programme
            >>> from emessi.research import StudyData
            >>> export = pseudonymise(Programme("p"), StudyData("p"), key=bytes(32))
            >>> [p.name for p in export.write(tempfile.mkdtemp(), formats=["csv"])][:2]
            ['people.csv', 'memberships.csv']

        """
        from emessi.io._atomic import write_atomic

        formats = tuple(formats)
        unknown = sorted(set(formats) - {"csv", "json"})
        if unknown or not formats:
            raise UsageError("formats are 'csv' and/or 'json'", path="formats")
        target = Path(folder)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise EmessiError(
                f"cannot create the folder ({error.strerror})", path=str(target)
            ) from None
        written = []
        for table in self.tables:
            for kind in ("csv", "json"):
                if kind in formats:
                    path = target / f"{table.name}.{kind}"
                    text = table.to_csv() if kind == "csv" else table.to_json()
                    write_atomic(path, text.encode("utf-8"))
                    written.append(path)
        package = target / "datapackage.json"
        text = json.dumps(self.datapackage(formats), ensure_ascii=False, indent=2) + "\n"
        write_atomic(package, text.encode("utf-8"))
        written.append(package)
        return tuple(written)


def _check_references(programme: Programme, study: StudyData) -> None:
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
            raise UnknownReferenceError("no such person in the programme", path=f"{path}.person")
    for index, feedback in enumerate(study.meeting_feedback):
        path = f"study.meeting_feedback[{index}]"
        if feedback.group not in groups:
            raise UnknownReferenceError("no such group in the programme", path=f"{path}.group")
        if all(m.number != feedback.meeting for m in groups[feedback.group].meetings):
            raise UnknownReferenceError(
                "the group has no meeting with this number",
                path=f"{path}.meeting",
            )


def _table(name: str, rows: list[tuple[Cell, ...]], months_only: bool) -> Table:
    columns = [
        Column(column, "yearmonth" if kind == "date" and months_only else kind, text)
        for column, kind, text in COLUMNS[name]
    ]
    # Rows are sorted by their cells (tokens first), never in the
    # programme's order, which may follow names.
    rows.sort(key=lambda row: tuple((c is None, str(c)) for c in row))
    return Table(name, columns, rows, DESCRIPTIONS[name])


def pseudonymise(
    programme: Programme,
    study: StudyData,
    *,
    key: bytes,
    on: date | None = None,
    months_only: bool = False,
    k: int = 3,
) -> ResearchExport:
    """A pseudonymised export of a programme's research data.

    Args:
        programme: The programme (people, organisations, groups, meetings).
        study: Its research data (consents, feedback, responses).
        key: The secret pseudonymisation key, at least 32 random bytes;
            the same key gives the same tokens in every export.
        on: The export day; consent is checked on it. Default: today.
        months_only: Coarsen every date to its month (``"2014-01"``).
        k: Summary cells with fewer than *k* people are suppressed.

    Raises:
        ResearchError: a short key, a study of another programme, or *k*
            below 1.
        UnknownReferenceError: a record refers to a person, group or
            meeting the programme does not have.

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi import Group, Meeting, Membership, Person, Programme, hold_meeting
        >>> from emessi.research import Consent, StudyData
        >>> t = datetime(2014, 1, 14, 12, tzinfo=timezone.utc)
        >>> group = Group("g-01", memberships=[Membership(f"p-{n}") for n in range(4)],
        ...               meetings=[Meeting(1, t)])
        >>> group = hold_meeting(group, 1, attendance=["p-0", "p-1", "p-2"], notes="private")
        >>> programme = Programme("demo", people=[Person(f"p-{n}", f"Name {n}") for n in range(4)],
        ...                       groups=[group])
        >>> study = StudyData("demo", consents=[Consent(f"p-{n}", date(2014, 1, 1))
        ...                                     for n in range(3)])
        >>> export = pseudonymise(programme, study, key=bytes(32), on=date(2015, 1, 1))
        >>> [row[-1] for row in export.table("attendance").rows]
        [True, True, True]
        >>> export.table("attendance_summary").records()[0]["rate"]
        1.0

    .. versionadded:: 0.1.0

    """
    tokens = Pseudonymiser(key)
    if study.programme != programme.id:
        raise ResearchError("the study data belongs to another programme", path="study.programme")
    if type(k) is not int or k < 1:
        raise ResearchError("k is a whole number of people, at least 1", path="k")
    if on is None:
        on = date.today()
    _check_references(programme, study)
    keep = study.consenting(on) & {p.id for p in programme.people}

    def day(value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}" if months_only else value.isoformat()

    organisations = {o.id: o for o in programme.organisations}
    people: list[tuple[Cell, ...]] = []
    for person in programme.people:
        if person.id in keep:
            org = organisations.get(person.organisation or "")
            people.append(
                (
                    tokens.person(person.id),
                    org.sector if org else None,
                    size_band(org.staff) if org else None,
                )
            )
    memberships: list[tuple[Cell, ...]] = []
    attendance: list[tuple[Cell, ...]] = []
    summary: list[tuple[Cell, ...]] = []
    for group in programme.groups:
        group_token = tokens.group(group.id)
        for m in group.memberships:
            if m.person in keep:
                memberships.append(
                    (
                        tokens.person(m.person),
                        group_token,
                        m.role.value,
                        day(m.joined) if m.joined else None,
                        day(m.left) if m.left else None,
                    )
                )
        for meeting in group.meetings:
            if meeting.status is not MeetingStatus.HELD:
                continue
            held_on = local_date(group, meeting)
            members = {m.person for m in group.memberships if m.active_on(held_on)}
            present = set(meeting.attendance)
            counted = (members | present) & keep
            for person_id in counted:
                attendance.append(
                    (
                        tokens.person(person_id),
                        group_token,
                        meeting.number,
                        day(held_on),
                        person_id in present,
                    )
                )
            n, came = len(counted), len(counted & present)
            shown = n >= k
            summary.append(
                (
                    group_token,
                    meeting.number,
                    day(held_on),
                    n if shown else None,
                    came if shown else None,
                    came / n if shown else None,
                    not shown,
                )
            )
    study = study.only_consenting(on)
    meeting_feedback: list[tuple[Cell, ...]] = [
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
    programme_feedback: list[tuple[Cell, ...]] = [
        (tokens.person(f.person), f.form, day(f.submitted.date()), a.item, a.value)
        for f in study.programme_feedback
        for a in f.answers
    ]
    answers: list[tuple[Cell, ...]] = [
        (tokens.person(r.person), r.instrument, r.wave, day(r.answered.date()), a.item, a.value)
        for r in study.responses
        for a in r.answers
    ]
    scores: list[tuple[Cell, ...]] = []
    by_scale: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for r in study.responses:
        instrument = study.instrument(r.instrument)
        for scale, value in instrument.score(r.answers).items():
            scores.append(
                (
                    tokens.person(r.person),
                    r.instrument,
                    r.wave,
                    day(r.answered.date()),
                    scale,
                    value,
                    instrument.answered(r.answers, scale),
                )
            )
            if value is not None:
                by_scale[r.instrument, r.wave, scale][r.person] = value
    score_summary: list[tuple[Cell, ...]] = []
    for (instrument_id, wave, scale), values in by_scale.items():
        shown = len(values) >= k
        listed = list(values.values())
        score_summary.append(
            (
                instrument_id,
                wave,
                scale,
                len(values) if shown else None,
                mean(listed) if shown else None,
                sd(listed) if shown else None,
                not shown,
            )
        )
    by_item: dict[tuple[str, str, str], list[tuple[str, int]]] = defaultdict(list)
    for f in study.meeting_feedback:
        for a in f.answers:
            by_item[tokens.group(f.group), f.form, a.item].append((f.person, a.value))
    feedback_summary: list[tuple[Cell, ...]] = []
    for (group_token, form, item), given in by_item.items():
        n = len({person for person, _ in given})
        shown = n >= k
        feedback_summary.append(
            (
                group_token,
                form,
                item,
                n if shown else None,
                mean([v for _, v in given]) if shown else None,
                not shown,
            )
        )
    built: dict[str, list[tuple[Cell, ...]]] = {
        "people": people,
        "memberships": memberships,
        "attendance": attendance,
        "meeting_feedback": meeting_feedback,
        "programme_feedback": programme_feedback,
        "instrument_answers": answers,
        "instrument_scores": scores,
        "attendance_summary": summary,
        "feedback_summary": feedback_summary,
        "score_summary": score_summary,
    }
    return ResearchExport(
        tables=[_table(name, rows, months_only) for name, rows in built.items()],
        on=on,
        months_only=months_only,
        k=k,
    )
