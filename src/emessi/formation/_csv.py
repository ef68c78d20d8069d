"""Reading applicants from a CSV file (a coordinator's spreadsheet)."""

from __future__ import annotations

import re
from os import PathLike
from typing import IO

from emessi._csvread import open_text, table_rows
from emessi._i18n import _
from emessi.errors import DocumentError, EmessiError, Problem
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


def _count(text: str) -> bool:
    """Whether *text* is a whole number from 1 to 10**9 (ASCII digits only)."""
    return text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= 10**9


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
    handle, name, close = open_text(source, "read_applicants")
    problems: list[Problem] = []
    try:
        rows = list(table_rows(handle, COLUMNS, ("id",), problems))
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
                        f"rows[{number}].{field}",
                        _("differs from an earlier row of {organisation}").format(
                            organisation=safe_id(org)
                        ),
                    )
                )
    built: dict[str, Organisation] = {}
    for org, fields in organisations.items():
        staff = fields.get("staff", "1")
        if not _count(staff):
            number = next(n for n, r in rows if r.get("organisation") == org and r.get("staff"))
            problems.append(
                Problem(f"rows[{number}].staff", _("expected a whole number of at least 1"))
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
                Problem(f"rows[{number}].staff", _("expected a whole number of at least 1"))
            )
    applicants: list[Applicant] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        pid = row["id"]
        if pid in seen:
            problems.append(
                Problem(f"rows[{number}].id", _("the same id as row {row}").format(row=seen[pid]))
            )
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
