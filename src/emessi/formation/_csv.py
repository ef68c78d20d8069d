"""Reading applicants from a CSV file (a coordinator's spreadsheet)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import IO

from emessi.errors import DocumentError, EmessiError, Problem, UsageError
from emessi.formation.applicants import Applicant
from emessi.model._checks import safe_id
from emessi.model._strict import checked
from emessi.model.people import Organisation, Person

__all__ = ["COLUMNS", "read_applicants"]  # COLUMNS: for the docs' table test

#: The columns :func:`read_applicants` understands; only ``id`` is required.
COLUMNS = {
    "id": "the applicant's person id (required; letters, digits and . _ : -)",
    "name": "their name (personal data; never shown in messages)",
    "email": "their e-mail address (personal data)",
    "languages": "languages they can take part in, e.g. 'fi sv' (default: fi)",
    "organisation": "the id of their workplace",
    "organisation_name": "the workplace's name",
    "staff": "how many people work there (a whole number, at least 1)",
    "sector": "the workplace's sector (default: third sector)",
    "region": "the workplace's region",
    "avoid": "ids of people they must not share a group with",
}
_ORG_FIELDS = ("organisation_name", "staff", "sector", "region")
_LIST = re.compile(r"[\s,;]+")


def _items(text: str) -> tuple[str, ...]:
    return tuple(item for item in _LIST.split(text.strip()) if item)


def _open(source: str | PathLike[str] | IO[str]) -> tuple[IO[str], str, bool]:
    if isinstance(source, str | PathLike):
        path = Path(source)
        try:
            return path.open(encoding="utf-8-sig", newline=""), path.name, True
        except (OSError, ValueError) as error:  # ValueError: a NUL in the path
            reason = getattr(error, "strerror", None) or "not a usable path"
            raise EmessiError(f"cannot read the file ({reason})", path=str(path)) from None
    if not callable(getattr(source, "read", None)):
        raise UsageError(
            f"read_applicants() takes a path or a text file, not {type(source).__name__}",
            path="source",
        )
    name = getattr(source, "name", "")
    return source, name if isinstance(name, str) and name else "the CSV text", False


_LINE = re.compile(r"\r\n|\r|\n")


def _checked_rows(reader: Iterator[list[str]], problems: list[Problem]) -> Iterator[list[str]]:
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
                "cannot read the row as CSV (a cell over 131,072 characters or a stray quote)",
            )
        )


def _count(text: str) -> bool:
    """Whether *text* is a whole number from 1 to 10**9 (ASCII digits only)."""
    return text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= 10**9


def _rows(handle: IO[str], problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = handle.read()
    except UnicodeDecodeError:
        problems.append(Problem("$", "the file is not UTF-8 text"))
        return
    except (OSError, ValueError):  # a closed or unreadable handle
        raise EmessiError("cannot read the file", path="source") from None
    if not isinstance(text, str):
        raise UsageError("expected a text file (open it with mode 'r'), not binary", path="source")
    first = _LINE.split(text, 1)[0]
    # Finnish spreadsheets often save with semicolons.
    delimiter = max(",;\t", key=first.count) if first else ","
    # newline="" lets csv see the file's own line ends (CR, LF or CRLF)
    reader = _checked_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), problems)
    header = [h.strip().lower() for h in next(reader, [])]
    if "id" not in header:
        problems.append(Problem("rows[1]", "the header row has no 'id' column"))
        return
    for column, name in enumerate(header):
        if name not in COLUMNS:
            problems.append(
                Problem(f"rows[1][{column}]", "unknown column; see the documented columns")
            )
        elif header.index(name) != column:
            problems.append(Problem(f"rows[1][{column}]", f"column {safe_id(name)} appears twice"))
    if problems:
        return
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(Problem(f"rows[{number}]", "more cells than columns"))
            continue
        yield (
            number,
            {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)},
        )


@checked
def read_applicants(source: str | PathLike[str] | IO[str]) -> tuple[Applicant, ...]:
    r"""Applicants from a CSV file with a header row, in file order.

    The columns (the how-to *Form groups from applicants* has a table):
    ``id`` (required), ``name``, ``email``, ``languages``,
    ``organisation`` (its id), ``organisation_name``, ``staff`` (how many
    work there), ``sector``, ``region`` and ``avoid`` (ids of people not to
    share a group with). The order is free, and
    commas, semicolons or tabs separate the cells (a spreadsheet's "CSV
    UTF-8" export). List cells (``languages``, ``avoid``) separate their
    items with spaces, commas or semicolons. An organisation's details may
    be given on one of its applicants' rows and left empty on the others.

    Raises:
        DocumentError: every problem found, each with the path
            ``rows[N].column`` where N is the spreadsheet row (the header is
            row 1); messages never repeat the cell's content.
        EmessiError: the file cannot be read.

    Example:
        >>> import io
        >>> text = '''id,name,organisation,staff,languages,avoid
        ... p-01,Aino,o-01,3,fi sv,
        ... p-02,Eero,o-02,2,fi,p-01
        ... '''
        >>> [(a.id, a.organisation.staff, a.person.languages, a.avoid)
        ...  for a in read_applicants(io.StringIO(text))]
        [('p-01', 3, ('fi', 'sv'), ()), ('p-02', 2, ('fi',), ('p-01',))]
        >>> read_applicants(io.StringIO("id,staff\np-01,many\n"))
        Traceback (most recent call last):
        ...
        emessi.errors.DocumentError: cannot load the CSV text: 1 problem
          expected a whole number of at least 1 @ rows[2].staff

    .. versionadded:: 0.1.0

    """
    handle, name, close = _open(source)
    problems: list[Problem] = []
    try:
        rows = list(_rows(handle, problems))
    finally:
        if close:
            handle.close()
    organisations: dict[str, dict[str, str]] = {}
    for number, row in rows:
        org = row.get("organisation", "")
        if not org:
            continue
        known = organisations.setdefault(org, {})
        for field in _ORG_FIELDS:
            value = row.get(field, "")
            if value and known.setdefault(field, value) != value:
                problems.append(
                    Problem(
                        f"rows[{number}].{field}", f"differs from an earlier row of {safe_id(org)}"
                    )
                )
    built: dict[str, Organisation] = {}
    for org, fields in organisations.items():
        staff = fields.get("staff", "1")
        if not _count(staff):
            number = next(n for n, r in rows if r.get("organisation") == org and r.get("staff"))
            problems.append(
                Problem(f"rows[{number}].staff", "expected a whole number of at least 1")
            )
            continue
        try:
            built[org] = Organisation(
                org,
                fields.get("organisation_name", ""),
                sector=fields.get("sector") or "third sector",
                staff=int(staff),
                region=fields.get("region") or None,
            )
        except EmessiError as error:
            number = next(n for n, r in rows if r.get("organisation") == org)
            problems.append(Problem(f"rows[{number}].organisation", error.message))
    for number, row in rows:
        staff = row.get("staff", "")
        if staff and not row.get("organisation") and not _count(staff):
            problems.append(
                Problem(f"rows[{number}].staff", "expected a whole number of at least 1")
            )
    applicants: list[Applicant] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        pid = row["id"]
        if pid in seen:
            problems.append(Problem(f"rows[{number}].id", f"the same id as row {seen[pid]}"))
            continue
        seen[pid] = number
        org = row.get("organisation", "")
        try:
            person = Person(
                pid,
                row.get("name", ""),
                email=row.get("email") or None,
                organisation=org or None,
                languages=_items(row.get("languages", "")) or ("fi",),
            )
        except EmessiError as error:
            problems.append(Problem(f"rows[{number}].{error.path or 'id'}", error.message))
            continue
        try:
            applicants.append(Applicant(person, built.get(org), _items(row.get("avoid", ""))))
        except EmessiError as error:
            problems.append(Problem(f"rows[{number}].avoid", error.message))
    if problems:
        problems.sort(key=lambda problem: _row_of(problem.path))
        raise DocumentError(problems, source=name)
    return tuple(applicants)


def _row_of(path: str) -> int:
    match = re.match(r"rows\[(\d+)\]", path)
    return int(match.group(1)) if match else 0
