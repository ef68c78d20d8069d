"""Reading a coordinator's CSV table safely (applicants, availability answers).

One reader for every CSV emessi reads, so each gets the same care: a path
or a text handle only (a binary handle, a number, a NUL in the path are
refused), UTF-8 with or without a BOM, commas, semicolons (Finnish
spreadsheets) or tabs, CR, LF or CRLF line ends, and a row that csv
cannot parse (an over-long cell, a stray quote) reported with its row
number. No message quotes a cell: cells may hold personal data.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from os import PathLike
from pathlib import Path
from typing import IO

from emessi._i18n import _
from emessi.errors import EmessiError, Problem, UsageError
from emessi.model._checks import safe_id

__all__ = ["open_text", "table_rows"]

_LINE = re.compile(r"\r\n|\r|\n")


def open_text(source: object, caller: str) -> tuple[IO[str], str, bool]:
    """A text handle for *source* (a path or a text file), its name, and whether to close it."""
    if isinstance(source, str | PathLike):
        path = Path(source)
        try:
            return path.open(encoding="utf-8-sig", newline=""), path.name, True
        except (OSError, ValueError) as error:  # ValueError: a NUL in the path
            reason = getattr(error, "strerror", None) or _("not a usable path")
            raise EmessiError(
                _("cannot read the file ({reason})").format(reason=reason), path=str(path)
            ) from None
    if not callable(getattr(source, "read", None)):
        raise UsageError(
            _("{call}() takes a path or a text file, not {actual}").format(
                call=caller, actual=type(source).__name__
            ),
            path="source",
        )
    name = getattr(source, "name", "")
    return source, name if isinstance(name, str) and name else "the CSV text", False  # type: ignore[return-value]


def _checked(reader: Iterator[list[str]], problems: list[Problem]) -> Iterator[list[str]]:
    """The reader's rows; a row csv cannot parse ends the file with a problem."""
    number = 1
    try:
        for number, row in enumerate(reader, start=1):  # noqa: B007
            yield row
    except csv.Error:
        # csv's message may quote the text: say what is wrong instead
        problems.append(
            Problem(
                f"rows[{number + 1}]",
                _(
                    "cannot read the row as CSV (a cell over {n} characters or a stray quote)"
                ).format(n="131,072"),
            )
        )


def table_rows(
    handle: IO[str],
    columns: Mapping[str, str],
    required: Iterable[str],
    problems: list[Problem],
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each non-empty row after the header as ``(row number, {column: cell})``.

    Header problems (a missing *required* column, an unknown or repeated
    one) and unreadable text go to *problems*, and then no row is given.
    """
    try:
        text = handle.read()
    except UnicodeDecodeError:
        problems.append(Problem("$", _("the file is not UTF-8 text")))
        return
    except (OSError, ValueError):  # a closed or unreadable handle
        raise EmessiError(_("cannot read the file"), path="source") from None
    if not isinstance(text, str):
        raise UsageError(
            _("expected a text file (open it with mode 'r'), not binary"), path="source"
        )
    first = _LINE.split(text, 1)[0]
    # Finnish spreadsheets often save with semicolons.
    delimiter = max(",;\t", key=first.count) if first else ","
    # newline="" lets csv see the file's own line ends (CR, LF or CRLF)
    reader = _checked(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), problems)
    header = [h.strip().lower() for h in next(reader, [])]
    for column in required:
        if column not in header:
            problems.append(
                Problem(
                    "rows[1]",
                    _("the header row has no {column} column").format(column=safe_id(column)),
                )
            )
    for index, name in enumerate(header):
        if name not in columns:
            problems.append(
                Problem(f"rows[1][{index}]", _("unknown column; see the documented columns"))
            )
        elif header.index(name) != index:
            problems.append(
                Problem(
                    f"rows[1][{index}]",
                    _("column {column} appears twice").format(column=safe_id(name)),
                )
            )
    if problems:
        return
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(Problem(f"rows[{number}]", _("more cells than columns")))
            continue
        yield number, {n: cells[i].strip() if i < len(cells) else "" for i, n in enumerate(header)}
