"""Tidy tables: one row per observation, written as CSV or JSON records.

Both forms read directly into a statistics package: ``pandas.read_csv``
or ``pandas.read_json``, R's ``read.csv`` or ``jsonlite::fromJSON``. A
missing value is an empty CSV field and a JSON ``null``; booleans are
``true``/``false``. Each table also describes its columns as a Frictionless
Table Schema (https://specs.frictionlessdata.io/table-schema/).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeAlias

import attrs

from emessi._i18n import _, ngettext
from emessi._text import csv_text
from emessi.errors import ResearchError, UsageError
from emessi.model._checks import MAX_TEXT, check_id
from emessi.model._strict import MAX_INT, OWN_CHECK, check_for, checked, read_all, strict

__all__ = ["Cell", "Column", "ColumnType", "Table"]

#: One value in a table.
Cell: TypeAlias = str | int | float | bool | None
#: Frictionless Table Schema field types used by emessi tables.
ColumnType: TypeAlias = Literal[
    "string", "integer", "number", "boolean", "date", "yearmonth", "year"
]


@checked
@attrs.frozen(field_transformer=strict)
class Column:
    """A column of a :class:`Table`: its name, type and meaning.

    Args:
        name: The column name (a CSV header).
        type: A Frictionless Table Schema type.
        description: What the column holds, for the codebook.

    Example:
        >>> Column("present", "boolean", "whether the person attended")
        Column(name='present', type='boolean', description='whether the person attended')

    .. versionadded:: 0.1.0

    """

    name: str
    type: ColumnType
    description: str = ""


def _columns(values: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(values)


def _rows(values: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    """The rows as tuples of cells, each checked as :data:`Cell`.

    A fast path over the cells of the usual types: an export's tables hold many.
    """
    if values.__class__ is _Built:
        return tuple(values)
    if not _iterable(values):
        raise UsageError(
            _("expected an iterable of rows, not {actual}").format(actual=type(values).__name__),
            path="rows",
        )
    rows = []
    row: Any
    cell: Any
    for index, row in enumerate(read_all(values, "rows")):
        if row.__class__ is not tuple:
            if not _iterable(row):
                raise UsageError(
                    _("expected a row of cells, not {actual}").format(actual=type(row).__name__),
                    path=f"rows[{index}]",
                )
            row = read_all(row, f"rows[{index}]")
        for cell in row:
            kind = cell.__class__
            if kind is str:
                if cell.isascii() and len(cell) <= MAX_TEXT:
                    continue
            elif kind is int:
                if -MAX_INT <= cell <= MAX_INT:
                    continue
            elif kind is float:
                if math.isfinite(cell):
                    continue
            elif kind is bool or cell is None:
                continue
            row = tuple(_CELL(cell, f"rows[{index}][{at}]") for at, cell in enumerate(row))
            break
        rows.append(row)
    return tuple(rows)


class _Built(tuple):  # type: ignore[type-arg]
    """Rows that emessi built itself from checked records (an export's).

    A table takes them without checking every cell again: an export builds
    many tables of many cells.
    """

    __slots__ = ()


def _iterable(value: object) -> bool:
    return not isinstance(value, str | bytes | bytearray | Mapping) and hasattr(value, "__iter__")


_CELL = check_for(Cell)


def _count(rows: tuple[tuple[Cell, ...], ...]) -> str:
    # the rows of a research table are never shown in a repr
    return f"<{len(rows)} rows>"


_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


@checked
@attrs.frozen(field_transformer=strict)
class Table:
    """A tidy table: named, typed columns and one row per observation.

    Args:
        name: The table's name; also its file name (``<name>.csv``).
        columns: The columns.
        rows: The rows; each has one cell per column.
        description: What one row is.

    Example:
        >>> t = Table("demo", [Column("item", "string"), Column("value", "integer")],
        ...           [("q1", 4), ("q2", None)])
        >>> print(t.to_csv(), end="")
        item,value
        q1,4
        q2,
        >>> t
        Table(name='demo', columns=('item', 'value'), rows=<2 rows>)

    .. versionadded:: 0.1.0

    """

    name: str = attrs.field(validator=check_id)
    columns: tuple[Column, ...] = attrs.field(
        converter=_columns, repr=lambda cs: repr(tuple(c.name for c in cs))
    )
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(
        default=(), converter=_rows, repr=_count, metadata={OWN_CHECK: True}
    )
    description: str = attrs.field(default="", repr=False)

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ResearchError(
                    ngettext(
                        "a row has {n} cell, not {width}",
                        "a row has {n} cells, not {width}",
                        len(row),
                    ).format(n=len(row), width=width),
                    path=f"rows[{index}]",
                )

    @property
    def names(self) -> tuple[str, ...]:
        """The column names.

        Example:
            >>> Table("t", [Column("a", "string")]).names
            ('a',)

        """
        return tuple(c.name for c in self.columns)

    def records(self) -> list[dict[str, Cell]]:
        """The rows as dicts from column name to value.

        Example:
            >>> Table("t", [Column("a", "integer")], [(1,), (2,)]).records()
            [{'a': 1}, {'a': 2}]

        """
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.rows]

    @checked
    def to_csv(self, *, escape_formulas: bool = True) -> str:
        """The table as CSV text: a header, then one line per row.

        A text cell that a spreadsheet would run as a formula (it starts
        with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
        leading ``'``, as OWASP advises ("CSV Injection"), unless
        *escape_formulas* is false; numbers are never changed.

        Example:
            >>> columns = [Column("ok", "boolean"), Column("note", "string")]
            >>> print(Table("t", columns, [(True, "a, b"), (None, None)]).to_csv(), end="")
            ok,note
            true,"a, b"
            ,
            >>> print(Table("t", columns, [(False, "=SUM(A1)")]).to_csv(), end="")
            ok,note
            false,'=SUM(A1)

        """
        return csv_text(self.names, self.rows, escape_formulas=escape_formulas)

    def to_json(self) -> str:
        """The table as a JSON array of records, one per line.

        Example:
            >>> print(Table("t", [Column("a", "number")], [(1.5,), (None,)]).to_json(), end="")
            [
            {"a": 1.5},
            {"a": null}
            ]

        """
        lines = [_JSON.encode(record) for record in self.records()]
        return "[\n" + ",\n".join(lines) + ("\n" if lines else "") + "]\n"

    def schema(self) -> dict[str, Any]:
        """The table's Frictionless Table Schema: its columns and missing values.

        Example:
            >>> Table("t", [Column("a", "integer", "a count")]).schema()
            {'fields': [{'name': 'a', 'type': 'integer', 'description': 'a count'}], 'missingValues': ['']}

        """
        return {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.description} for c in self.columns
            ],
            "missingValues": [""],
        }
