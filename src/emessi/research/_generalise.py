"""Generalisation and suppression steps for k-anonymous research exports.

Full-domain generalisation in the manner of Sweeney (2002) and Samarati
(2001): each step coarsens one kind of quasi-identifier for *every* person
(dates, size bands, sectors, attendance), from the least to the most
destructive, until every equivalence class holds at least k people; people
still in smaller classes are then suppressed (left out of every per-person
table). The order of the steps is emessi's own choice: what researchers of
peer mentoring need least goes first (the day of a date before the
attendance pattern, the pattern before the sector).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Literal, TypeAlias

import attrs

from emessi.research._rows import Rows, _size_band
from emessi.research.tables import Cell

__all__ = [
    "PERSON_TABLES",
    "WITHHELD",
    "Level",
    "attendance_table",
    "band_of",
    "day_of",
    "drop_people",
    "feedback_of",
    "ladder",
    "sectors_of",
]

Dates: TypeAlias = Literal["day", "month", "year", "none"]
#: A value withheld by generalisation.
WITHHELD = "*"
#: Tables with one or more rows per person (the person's token first).
PERSON_TABLES = (
    "people",
    "memberships",
    "attendance",
    "attendance_counts",
    "attendance_share",
    "meeting_feedback",
    "programme_feedback",
    "instrument_answers",
    "instrument_scores",
)


@attrs.frozen
class Level:
    """How coarse each kind of quasi-identifier is at one step of the ladder."""

    step: str
    dates: Dates
    bands: Literal["fine", "wide", "none"]
    sectors: Literal["given", "common", "none"]
    attendance: Literal["pattern", "counts", "share"]


def ladder(months_only: bool) -> list[Level]:
    """The levels from the export as asked to the coarsest; each adds one step."""
    levels = [Level("", "month" if months_only else "day", "fine", "given", "pattern")]
    steps: list[tuple[str, dict[str, str]]] = [
        ("dates by month", {"dates": "month"}),
        (
            "size bands 1-4 and 5+; sectors of fewer than k people as 'other'",
            {"bands": "wide", "sectors": "common"},
        ),
        (
            "attendance as counts per person and group; feedback without meeting numbers",
            {"attendance": "counts"},
        ),
        ("dates by year", {"dates": "year"}),
        ("attendance as a share band (0-49%, 50-79%, 80-100%)", {"attendance": "share"}),
        ("sector and size band withheld", {"bands": "none", "sectors": "none"}),
        ("dates withheld", {"dates": "none"}),
    ]
    for step, changes in steps:
        last = levels[-1]
        if any(getattr(last, field) != value for field, value in changes.items()):
            levels.append(attrs.evolve(last, step=step, **changes))  # type: ignore[arg-type]
    return levels


def day_of(dates: Dates) -> Callable[[date], str]:
    """Formats a date as its day, month or year."""
    if dates == "day":
        return date.isoformat
    if dates == "month":
        return lambda value: f"{value.year:04d}-{value.month:02d}"
    if dates == "year":
        return lambda value: f"{value.year:04d}"
    return lambda value: WITHHELD


def band_of(bands: str) -> Callable[[int], str]:
    """The size band of a workplace at a level."""
    if bands == "fine":
        return _size_band
    if bands == "wide":
        return lambda staff: "1-4" if staff <= 4 else "5+"
    return lambda staff: WITHHELD


def sectors_of(rows: Rows, sectors: str, k: int) -> Rows:
    """People rows with sectors shared by fewer than *k* people as 'other', or withheld."""
    if sectors == "given":
        return rows
    if sectors == "none":
        return [(row[0], WITHHELD, *row[2:]) for row in rows]
    counts = Counter(row[1] for row in rows)
    return [
        (row[0], row[1] if row[1] is None or counts[row[1]] >= k else "other", *row[2:])
        for row in rows
    ]


def _share(attended: int, meetings: int) -> str:
    share = attended / meetings if meetings else 0.0
    return "80-100%" if share >= 0.8 else "50-79%" if share >= 0.5 else "0-49%"


def attendance_table(rows: Rows, attendance: str) -> tuple[str, Rows]:
    """The attendance table at a level: the pattern, counts, or share bands."""
    if attendance == "pattern":
        return "attendance", rows
    totals: dict[tuple[Cell, Cell], list[int]] = {}
    for person, group, _meeting, _day, present in rows:
        counts = totals.setdefault((person, group), [0, 0])
        counts[0] += 1
        counts[1] += bool(present)
    if attendance == "counts":
        return "attendance_counts", [(p, g, n, came) for (p, g), (n, came) in totals.items()]
    return "attendance_share", [(p, g, n, _share(came, n)) for (p, g), (n, came) in totals.items()]


def drop_people(built: dict[str, Rows], people: set[object]) -> dict[str, Rows]:
    """*built* without the rows of *people* in the per-person tables."""
    return {
        name: [row for row in rows if row[0] not in people] if name in PERSON_TABLES else rows
        for name, rows in built.items()
    }


def feedback_of(rows: Rows, attendance: str) -> Rows:
    """meeting_feedback rows; without meeting numbers once attendance is coarsened.

    Which meetings a person gave feedback on is their attendance pattern.
    """
    if attendance == "pattern":
        return rows
    return [(row[0], row[1], None, *row[3:]) for row in rows]
