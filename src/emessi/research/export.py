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
from collections.abc import Iterable, Sequence
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from emessi.errors import ResearchError, SaveError, UsageError
from emessi.model import Programme
from emessi.research._rows import (
    check_references,
    feedback_rows,
    group_rows,
    people_rows,
    response_rows,
    size_band,
)
from emessi.research._tables_spec import COLUMNS, DESCRIPTIONS
from emessi.research.pseudonyms import Pseudonymiser
from emessi.research.study import StudyData
from emessi.research.tables import Cell, Column, Table

__all__ = ["ResearchExport", "pseudonymise", "size_band"]


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
        self,
        folder: str | PathLike[str],
        *,
        formats: Iterable[str] = ("csv", "json"),
        escape_formulas: bool = True,
    ) -> tuple[Path, ...]:
        """Write every table as ``<name>.csv`` and/or ``<name>.json``, atomically.

        Also writes ``datapackage.json`` describing the columns. The folder is
        created if needed; the key is never written. CSV text cells that a
        spreadsheet would run as formulas get a leading ``'`` (see
        :meth:`Table.to_csv`) unless *escape_formulas* is false.

        Raises:
            UsageError: an unknown format.
            SaveError: a file cannot be written.

        Example:
            >>> import tempfile
            >>> from emessi import Programme
            >>> from emessi.research import StudyData
            >>> export = pseudonymise(Programme("p"), StudyData("p"), key=bytes(32))
            >>> [p.name for p in export.write(tempfile.mkdtemp(), formats=["csv"])][:2]
            ['people.csv', 'memberships.csv']

        """
        from emessi._atomic import write_atomic

        formats = tuple(formats)
        unknown = sorted(set(formats) - {"csv", "json"})
        if unknown or not formats:
            raise UsageError("formats are 'csv' and/or 'json'", path="formats")
        target = Path(folder)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SaveError(
                f"cannot create the folder ({error.strerror})", path=str(target)
            ) from None
        written = []
        for table in self.tables:
            for kind in ("csv", "json"):
                if kind in formats:
                    path = target / f"{table.name}.{kind}"
                    text = (
                        table.to_csv(escape_formulas=escape_formulas)
                        if kind == "csv"
                        else table.to_json()
                    )
                    write_atomic(path, text.encode("utf-8"))
                    written.append(path)
        package = target / "datapackage.json"
        text = json.dumps(self.datapackage(formats), ensure_ascii=False, indent=2) + "\n"
        write_atomic(package, text.encode("utf-8"))
        written.append(package)
        return tuple(written)


def _order(row: tuple[Cell, ...]) -> tuple[tuple[bool, Any], ...]:
    # Cells of one column share a type, so they compare; None sorts last.
    return tuple((c is None, 0 if c is None else c) for c in row)


def _table(name: str, rows: list[tuple[Cell, ...]], months_only: bool) -> Table:
    columns = [
        Column(column, "yearmonth" if kind == "date" and months_only else kind, text)
        for column, kind, text in COLUMNS[name]
    ]
    # Rows are sorted by their cells (tokens first), never in the
    # programme's order, which may follow names.
    rows.sort(key=_order)
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
    check_references(programme, study)
    keep = study.consenting(on) & {p.id for p in programme.people}

    def day(value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}" if months_only else value.isoformat()

    memberships, attendance, attendance_summary = group_rows(programme, keep, tokens, day, k)
    consenting = study.only_consenting(on)
    meeting_feedback, programme_feedback, feedback_summary = feedback_rows(
        consenting, tokens, day, k
    )
    answers, scores, score_summary = response_rows(consenting, tokens, day, k)
    built: dict[str, list[tuple[Cell, ...]]] = {
        "people": people_rows(programme, keep, tokens),
        "memberships": memberships,
        "attendance": attendance,
        "meeting_feedback": meeting_feedback,
        "programme_feedback": programme_feedback,
        "instrument_answers": answers,
        "instrument_scores": scores,
        "attendance_summary": attendance_summary,
        "feedback_summary": feedback_summary,
        "score_summary": score_summary,
    }
    return ResearchExport(
        tables=[_table(name, rows, months_only) for name, rows in built.items()],
        on=on,
        months_only=months_only,
        k=k,
    )
