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

from emessi._i18n import _
from emessi.errors import ResearchError, SaveError, UsageError
from emessi.model import Programme
from emessi.model._checks import safe_id
from emessi.model._strict import checked, only_tuples, read_all, strict
from emessi.research._generalise import (
    Level,
    attendance_table,
    band_of,
    day_of,
    drop_people,
    feedback_of,
    ladder,
    sectors_of,
)
from emessi.research._rows import (
    check_references,
    feedback_rows,
    group_rows,
    people_rows,
    response_rows,
    size_band,
)
from emessi.research._tables_spec import COLUMNS, DESCRIPTIONS
from emessi.research.consent import _in_force
from emessi.research.disclosure import Disclosure, _classes, _person_records, _report_of
from emessi.research.pseudonyms import Pseudonymiser
from emessi.research.study import StudyData
from emessi.research.tables import Cell, Column, Table, _Built

__all__ = ["ResearchExport", "pseudonymise", "size_band"]


def _tables(values: Sequence[Table]) -> tuple[Table, ...]:
    return tuple(values)


only_tuples(_tables)


@checked
@attrs.frozen(field_transformer=strict)
class ResearchExport:
    """The tables of one pseudonymised export, ready to write or analyse.

    The repr shows table names and row counts only.

    Args:
        tables: The tables, see :doc:`/howto/evaluation-study` for columns.
        on: The export day; consent was checked on it.
        months_only: Whether the caller asked for dates by the month.
        k: The smallest number of people a summary cell shows and, with
            disclosure control, the smallest equivalence class.
        disclosure: What disclosure control did (``None``: it was off).

    Example:
        >>> from emessi import Programme
        >>> from emessi.research import StudyData, new_key
        >>> export = pseudonymise(Programme("p"), StudyData("p"), key=new_key(),
        ...                       on=date(2015, 12, 1))
        >>> export.table("people")
        Table(name='people', columns=('person', 'sector', 'size_band'), rows=<0 rows>)

    .. versionadded:: 0.1.0

    """

    tables: tuple[Table, ...] = attrs.field(converter=_tables)
    on: date
    months_only: bool = False
    k: int = 5
    disclosure: Disclosure | None = attrs.field(default=None, repr=False)

    @checked
    def table(self, name: str) -> Table:
        """The table called *name*.

        Raises:
            UsageError: no such table.

        Example:
            >>> from emessi import Programme
            >>> from emessi.research import StudyData, new_key
            >>> export = pseudonymise(Programme("p"), StudyData("p"), key=new_key())
            >>> export.table("attendance").names
            ('person', 'group', 'meeting', 'date', 'present')

        """
        for table in self.tables:
            if table.name == name:
                return table
        known = ", ".join(t.name for t in self.tables)
        raise UsageError(
            _("no table {table}; the export has {known}").format(table=safe_id(name), known=known),
            path="name",
        )

    @checked
    def datapackage(self, formats: Iterable[str] = ("csv", "json")) -> dict[str, object]:
        """A Frictionless Data Package descriptor of the written files.

        Each table is one resource (its CSV file, or its JSON file when only
        JSON is written), with its Table Schema.

        Example:
            >>> from emessi import Programme
            >>> from emessi.research import StudyData, new_key
            >>> export = pseudonymise(Programme("p"), StudyData("p"), key=new_key())
            >>> export.datapackage()["resources"][0]["path"]
            'people.csv'

        """
        kind = "csv" if "csv" in _formats(formats) else "json"
        return {
            "profile": "tabular-data-package" if kind == "csv" else "data-package",
            "name": "emessi-research-export",
            "created": self.on.isoformat(),
            "emessi": {
                "k": self.k,
                "dates": (
                    self.disclosure.dates
                    if self.disclosure
                    else "month"
                    if self.months_only
                    else "day"
                ),
                "disclosure_control": (
                    self.disclosure.as_dict() if self.disclosure else "off (the caller's choice)"
                ),
            },
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

    @checked
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
            >>> from emessi.research import StudyData, new_key
            >>> export = pseudonymise(Programme("p"), StudyData("p"), key=new_key())
            >>> [p.name for p in export.write(tempfile.mkdtemp(), formats=["csv"])][:2]
            ['people.csv', 'memberships.csv']

        """
        from emessi._atomic import write_atomic

        formats = _formats(formats)
        target = Path(folder)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SaveError(
                _("cannot create the folder ({error})").format(error=error.strerror),
                path=str(target),
            ) from None
        except ValueError:  # a NUL character in the path
            raise SaveError(_("not a valid folder name"), path="folder") from None
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


def _formats(formats: Iterable[str]) -> tuple[str, ...]:
    found = read_all(formats, "formats")
    if not found or not all(f.__class__ is str and f in ("csv", "json") for f in found):
        raise UsageError(_("formats are 'csv' and/or 'json'"), path="formats")
    return found


def _order(row: tuple[Cell, ...]) -> tuple[tuple[bool, Any], ...]:
    # Cells of one column share a type, so they compare; None sorts last.
    return tuple((c is None, 0 if c is None else c) for c in row)


#: The share of people that may be suppressed at a generalisation level
#: before the next, coarser level is tried: emessi's choice, in the range
#: that statistical offices and ARX commonly use (a few to 10 per cent).
_SUPPRESSION_LIMIT = 0.1


def _small(records: dict[str, tuple[Any, ...]], k: int) -> set[object]:
    """The people in equivalence classes of fewer than *k*."""
    return {t for members in _classes(records).values() if len(members) < k for t in members}


_DATE_TYPES = {"day": "date", "month": "yearmonth", "year": "year", "none": "string"}


def _table(name: str, rows: list[tuple[Cell, ...]], dates: str, *, sort: bool = True) -> Table:
    columns = [
        Column(column, _DATE_TYPES[dates] if kind == "date" else kind, text)  # type: ignore[arg-type]
        for column, kind, text in COLUMNS[name]
    ]
    if sort:
        # Rows are sorted by their cells (tokens first), never in the
        # programme's order, which may follow names.
        rows.sort(key=_order)
    return Table(name, columns, _Built(tuple(row) for row in rows), DESCRIPTIONS[name])


@checked
def pseudonymise(
    programme: Programme,
    study: StudyData,
    *,
    key: bytes,
    on: date | None = None,
    months_only: bool = False,
    k: int = 5,
    disclosure_control: bool = True,
) -> ResearchExport:
    """A pseudonymised, k-anonymous export of a programme's research data.

    Only consenting people are exported; ids become keyed tokens; names,
    e-mails and free text are never read. With *disclosure_control* (the
    default) the export is then made **k-anonymous** (Sweeney 2002) over
    the quasi-identifiers that :func:`~emessi.research.risk_report` lists:
    generalisation steps are applied in turn, each to everyone (dates by
    month, wider size bands and rare sectors as "other", attendance as
    counts, dates by year, attendance as share bands, sector and size band
    withheld, dates withheld) until at most 10 per cent of the people are in
    equivalence classes of fewer than *k* (or the last step is reached); those
    people are then suppressed (left out of every per-person table), so that
    everyone left shares their record with at least *k* - 1 others. :attr:`ResearchExport.disclosure` and the
    ``datapackage.json`` record the steps, the suppressed count and the risk
    before and after, including the l-diversity of the well-being scores
    (Machanavajjhala et al. 2007).

    Args:
        programme: The programme (people, organisations, groups, meetings).
        study: Its research data (consents, feedback, responses).
        key: The secret pseudonymisation key (see
            :class:`~emessi.research.Pseudonymiser`, :func:`~emessi.research.new_key`);
            the same key gives the same tokens in every export.
        on: The export day; consent is checked on it. Default: today.
        months_only: Give every date by its month (``"2014-01"``) at least.
        k: The smallest equivalence class, and the smallest number of
            people a summary cell shows (smaller cells are suppressed).
        disclosure_control: ``False`` exports every quasi-identifier as it
            is, however few people share it: an explicit opt-out, for data
            that stays inside a secure environment. Summary cells are still
            suppressed below *k*.

    Raises:
        ResearchError: a weak key, a study of another programme, or *k*
            below 1.
        UsageError: an argument of the wrong type (the path names it).
        UnknownReferenceError: a record refers to a person, group or
            meeting the programme does not have.

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi import Group, Meeting, Membership, Person, Programme, hold_meeting
        >>> from emessi.research import Consent, StudyData, new_key
        >>> t = datetime(2014, 1, 14, 12, tzinfo=timezone.utc)
        >>> group = Group("g-01", memberships=[Membership(f"p-{n}") for n in range(10)],
        ...               meetings=[Meeting(1, t)])
        >>> group = hold_meeting(group, 1, attendance=[f"p-{n}" for n in range(9)])
        >>> programme = Programme("demo", people=[Person(f"p-{n}", f"Name {n}") for n in range(10)],
        ...                       groups=[group])
        >>> study = StudyData("demo", consents=[Consent(f"p-{n}", date(2014, 1, 1))
        ...                                     for n in range(10)])
        >>> export = pseudonymise(programme, study, key=new_key(), on=date(2015, 1, 1))

        The one person who missed the meeting is alone in their class: with
        one in ten (at most 10 per cent) to leave out, nothing
        needs generalising.

        >>> export.disclosure.generalisations, export.disclosure.suppressed
        ((), 1)
        >>> export.disclosure.after.k, len(export.table("people").rows)
        (9, 9)
        >>> export.table("attendance_summary").records()[0]["rate"]
        0.9
        >>> raw = pseudonymise(programme, study, key=new_key(), on=date(2015, 1, 1),
        ...                    disclosure_control=False)
        >>> len(raw.table("people").rows), raw.disclosure is None
        (10, True)

    .. versionadded:: 0.1.0

    """
    tokens = Pseudonymiser(key)
    if study.programme != programme.id:
        raise ResearchError(
            _("the study data belongs to another programme"), path="study.programme"
        )
    if type(k) is not int or k < 1:
        raise ResearchError(_("k is a whole number of people, at least 1"), path="k")
    if type(disclosure_control) is not bool:
        raise UsageError(_("disclosure_control is True or False"), path="disclosure_control")
    if on is None:
        on = date.today()
    check_references(programme, study)
    keep = _in_force(study.consents, on) & {p.id for p in programme.people}
    consenting = study._only_consenting(on)

    def build(level: Level) -> dict[str, list[tuple[Cell, ...]]]:
        day = day_of(level.dates)
        memberships, attendance, attendance_summary = group_rows(programme, keep, tokens, day, k)
        meeting_feedback, programme_feedback, feedback_summary = feedback_rows(
            consenting, tokens, day, k
        )
        answers, scores, score_summary = response_rows(consenting, tokens, day, k)
        people = people_rows(programme, keep, tokens, band_of(level.bands))
        attendance_name, attendance = attendance_table(attendance, level.attendance)
        return {
            "people": sectors_of(people, level.sectors, k),
            "memberships": memberships,
            attendance_name: attendance,
            "meeting_feedback": feedback_of(meeting_feedback, level.attendance),
            "programme_feedback": programme_feedback,
            "instrument_answers": answers,
            "instrument_scores": scores,
            "attendance_summary": attendance_summary,
            "feedback_summary": feedback_summary,
            "score_summary": score_summary,
        }

    def tables(
        built: dict[str, list[tuple[Cell, ...]]], level: Level, *, sort: bool = True
    ) -> list[Table]:
        return [_table(name, list(rows), level.dates, sort=sort) for name, rows in built.items()]

    levels = ladder(months_only)
    level = levels[0]
    built = build(level)
    disclosure = None
    if disclosure_control:
        # The risk is measured on unsorted tables; only the export is sorted.
        before = _report_of(tables(built, level, sort=False))
        for level in levels:
            if level is not levels[0]:
                built = build(level)
            records, _classes_unused = _person_records(tables(built, level, sort=False))
            small = _small(records, k)
            # Stop at the first level that needs few suppressions (Sweeney
            # 2002: generalise, then suppress the outliers).
            if len(small) <= _SUPPRESSION_LIMIT * len(records):
                break
        suppressed = 0
        while small:
            # Leaving people out shrinks their groups: look again.
            suppressed += len(small)
            built = drop_people(built, small)
            small = _small(_person_records(tables(built, level, sort=False))[0], k)
        made = tables(built, level)
        steps = tuple(lv.step for lv in levels[1 : levels.index(level) + 1])
        disclosure = Disclosure(k, steps, suppressed, level.dates, before, _report_of(made))
    else:
        made = tables(built, level)
    return ResearchExport(tables=made, on=on, months_only=months_only, k=k, disclosure=disclosure)
