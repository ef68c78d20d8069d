"""Tables for people and spreadsheets: aligned columns with a header, or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

__all__ = ["render"]

#: Spaces between two columns: columns never run together, whatever their width.
_GAP = 2
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA) else cell


def render(headers: Sequence[str], rows: Sequence[Sequence[object]], style: str) -> list[str]:
    """The lines of a table of *rows* under *headers*, as ``table`` or ``csv``.

    In a table every column but the last is padded to its widest cell plus
    two spaces, and a rule of dashes underlines the header. CSV cells that a
    spreadsheet would run as a formula get a leading apostrophe.
    """
    cells = [[str(cell) for cell in row] for row in rows]
    if style == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([_safe(cell) for cell in row] for row in cells)
        return [out.getvalue().rstrip("\n")]
    widths = [len(header) for header in headers]
    for row in cells:
        for index, cell in enumerate(row[:-1]):
            widths[index] = max(widths[index], len(cell))

    def line(row: Sequence[str]) -> str:
        padded = [cell.ljust(widths[i] + _GAP) for i, cell in enumerate(row[:-1])]
        return ("".join(padded) + row[-1]).rstrip()

    rule = ["-" * max(widths[i], 1) for i in range(len(headers) - 1)]
    rule.append("-" * max(len(headers[-1]), max((len(row[-1]) for row in cells), default=0)))
    return [line(list(headers)), line(rule), *(line(row) for row in cells)]
