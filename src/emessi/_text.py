"""Text that leaves emessi for another program: checked or neutralised here.

Two guards, shared by every writer (bottom layer, next to ``errors.py``):

- :func:`single_line` refuses a line break, a control character or a lone
  surrogate in a field that a file format keeps on one line (an iCalendar
  property). A line break there could forge a line of the file
  (``BEGIN:VEVENT``...); the error names the field, never the text.
- :func:`csv_cell` neutralises a spreadsheet formula: a cell that starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
  ``'`` so that Excel, LibreOffice and Google Sheets show it as text
  (OWASP, "CSV Injection",
  https://owasp.org/www-community/attacks/CSV_Injection). :func:`csv_text`
  writes whole tables with it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from emessi._i18n import _
from emessi.errors import UnsafeTextError

__all__ = [
    "FORMULA_STARTS",
    "csv_cell",
    "csv_text",
    "plain",
    "single_line",
    "single_line_email",
]

# C0 controls (line feed and carriage return included), DEL, C1 controls
# (NEL among them), the Unicode line and paragraph separators, and lone
# surrogates (they cannot be encoded as UTF-8).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# An address in a mailto: URI: no white space, quotes, angle brackets or
# the separators of iCalendar parameters and lists.
_EMAIL = re.compile(r"^[^\s\"<>,;:\\()\[\]@]+@[^\s\"<>,;:\\()\[\]@]+$")

#: The first characters that make a spreadsheet read a cell as a formula
#: (OWASP CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def single_line(value: object, path: str) -> str:
    """*value* if it is a string fit for one line of a file, else an error.

    Raises:
        UnsafeTextError: not a string, or it holds a line break, a control
            character or a lone surrogate; the message names *path* only.
    """
    if not isinstance(value, str):
        raise UnsafeTextError(_("expected text"), path=path)
    if _UNSAFE.search(value):
        raise UnsafeTextError(_("a line break or control character is not allowed here"), path=path)
    return value


def single_line_email(value: object, path: str) -> str:
    """*value* if it is one e-mail address fit for a ``mailto:`` URI."""
    text = single_line(value, path)
    if not _EMAIL.match(text):
        raise UnsafeTextError(_("not a plain e-mail address (name@domain)"), path=path)
    return text


def csv_cell(value: str) -> str:
    """*value* with a leading ``'`` if a spreadsheet would run it as a formula.

    Example:
        >>> csv_cell("=HYPERLINK(1)"), csv_cell("youth work")
        ("'=HYPERLINK(1)", 'youth work')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def plain(value: Any) -> str:
    """A non-text cell as CSV text: empty for None, ``true``/``false``, a float's repr."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_text(
    header: Iterable[str],
    rows: Iterable[Iterable[Any]],
    *,
    escape_formulas: bool = True,
    render: Callable[[Any], str] = plain,
) -> str:
    """CSV text of *header* and *rows*; text cells neutralised unless told not to.

    Only ``str`` cells are neutralised (:func:`csv_cell`): every other value
    is *render*-ed as it is, so a number such as ``-3`` stays a number.
    """

    def cell(value: Any) -> str:
        if isinstance(value, str):
            return csv_cell(value) if escape_formulas else value
        return render(value)

    # The csv module quotes a field only for the characters of its line
    # terminator: with "\r\n" a bare CR inside a cell is quoted too (with
    # "\n" it would end the row for many readers). Rows end in "\n".
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for values in _chain(header, rows):
        writer.writerow([cell(value) for value in values])
        buffer.seek(buffer.tell() - 2)
        buffer.write("\n")
        buffer.truncate()
    return buffer.getvalue()


def _chain(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterable[Iterable[Any]]:
    yield header
    yield from rows
