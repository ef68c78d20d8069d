"""Applicants and staff records, the CSV reader, and applicants from documents."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from emessi.errors import DocumentError, DomainError, EmessiError, UnknownReferenceError
from emessi.formation import (
    Applicant,
    Staff,
    applicants_from_programme,
    form_groups,
    read_applicants,
)
from emessi.formation._csv import COLUMNS
from emessi.io import dump, load
from emessi.model import Organisation, Person, Programme

GOOD = """id,name,email,languages,organisation,organisation_name,staff,sector,region,avoid
p-01,Aino Virtanen,aino@example.org,fi sv,o-01,Nuoret ry,3,youth work,Uusimaa,
p-02,Eero Mäki,,fi,o-01,,,,,p-03
p-03,Liisa Koski,,"fi, en",o-02,Kulttuuri ry,2,culture,,
p-04,Olli Salo,,,,,,,,
"""


def test_a_good_file_reads_every_column() -> None:
    """Every documented column lands in the applicant, person or organisation."""
    first, second, third, fourth = read_applicants(io.StringIO(GOOD))
    assert first.person.email == "aino@example.org"
    assert first.person.languages == ("fi", "sv")
    assert first.organisation == Organisation(
        "o-01", "Nuoret ry", sector="youth work", staff=3, region="Uusimaa"
    )
    # the organisation's details come from its first row
    assert second.organisation == first.organisation
    assert second.avoid == ("p-03",)
    assert third.person.languages == ("fi", "en")
    assert fourth.organisation is None
    assert fourth.person.languages == ("fi",)


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    """A spreadsheet's semicolon CSV with a UTF-8 BOM reads the same as commas."""
    path = tmp_path / "hakijat.csv"
    path.write_text(GOOD.replace(",", ";").replace('"fi; en"', '"fi en"'), encoding="utf-8-sig")
    applicants = read_applicants(path)
    assert [a.id for a in applicants] == ["p-01", "p-02", "p-03", "p-04"]
    assert applicants[2].person.languages == ("fi", "en")


def test_blank_lines_are_skipped_and_columns_are_case_blind() -> None:
    """Empty rows are ignored; header names are matched without case."""
    text = "ID,Name\n\np-01,Aino\n,\n"
    assert [a.id for a in read_applicants(io.StringIO(text))] == ["p-01"]


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        ("id,staff\np-01,many\n", ["rows[2].staff"]),
        ("id,organisation,staff\np-01,o-1,0\n", ["rows[2].staff"]),
        ("id,name\np 01,Aino\n", ["rows[2].id"]),
        ("id,name\np-01,Aino\np-01,Eero\n", ["rows[3].id"]),
        ("id,avoid\np-01,bad id!\n", ["rows[2].avoid"]),
        ("name\nAino\n", ["rows[1]"]),
        ("id,shoe_size\np-01,42\n", ["rows[1][1]"]),
        ("id,name,name\np-01,A,B\n", ["rows[1][2]"]),
        ("id,name\np-01,Aino,extra\n", ["rows[2]"]),
        (
            "id,organisation,staff\np-01,o-1,2\np-02,o-1,3\np-03,,x\n",
            ["rows[3].staff", "rows[4].staff"],
        ),
    ],
)
def test_every_bad_row_is_reported_with_its_row_and_column(text: str, paths: list[str]) -> None:
    """Each problem has the spreadsheet row (header = 1) and column as its path."""
    with pytest.raises(DocumentError) as caught:
        read_applicants(io.StringIO(text))
    assert [problem.path for problem in caught.value.problems] == paths
    for secret in ("Aino", "Eero", "many", "bad id!", "42"):
        assert secret not in str(caught.value)


def test_a_file_that_is_not_utf8_is_a_document_error(tmp_path: Path) -> None:
    """Latin-1 bytes give a DocumentError, not a UnicodeDecodeError."""
    path = tmp_path / "latin.csv"
    path.write_bytes("id,name\np-01,Jörö\n".encode("latin-1"))
    with pytest.raises(DocumentError, match="not UTF-8"):
        read_applicants(path)


def test_a_missing_file_is_an_emessi_error(tmp_path: Path) -> None:
    """A file that cannot be opened raises EmessiError with the path."""
    with pytest.raises(EmessiError) as caught:
        read_applicants(tmp_path / "nope.csv")
    assert caught.value.path.endswith("nope.csv")


def test_the_columns_are_documented() -> None:
    """COLUMNS lists every column with a description, id first."""
    assert next(iter(COLUMNS)) == "id"
    assert all(text for text in COLUMNS.values())


def test_applicants_from_a_csv_form_groups() -> None:
    """Applicants read from CSV go straight into form_groups, avoid pairs kept apart."""
    rows = ["id,organisation,staff,avoid"]
    rows += [f"p-{i:02d},o-{i:02d},2,{'p-01' if i == 0 else ''}" for i in range(12)]
    applicants = read_applicants(io.StringIO("\n".join(rows) + "\n"))
    staff = [Staff(Person(f"f-{i}", ""), 1) for i in range(2)]
    seers = [Person("w-1", ""), Person("w-2", "")]
    formation = form_groups(applicants, facilitators=staff, observers=seers)
    groups = {m.person: g.id for g in formation.groups for m in g.memberships}
    assert groups["p-00"] != groups["p-01"]


def test_applicant_fills_in_the_person_s_organisation() -> None:
    """An applicant's person gets the organisation id when it has none."""
    applicant = Applicant(Person("p-01", "A"), Organisation("o-01", "N"))
    assert applicant.person.organisation == "o-01"
    assert applicant.id == "p-01"


def test_applicant_refuses_two_organisations() -> None:
    """A person of one organisation cannot apply with another."""
    with pytest.raises(DomainError) as caught:
        Applicant(Person("p-01", "A", organisation="o-02"), Organisation("o-01", "N"))
    assert caught.value.path == "organisation"


def test_staff_needs_a_positive_load() -> None:
    """max_groups below 1 is a DomainError."""
    with pytest.raises(DomainError):
        Staff(Person("f-01", "F"), 0)
    assert Staff(Person("f-01", "F")).id == "f-01"


def test_applicants_from_a_saved_programme(tmp_path: Path) -> None:
    """A roster saved as a programme document gives the same applicants back."""
    roster = Programme(
        "spring",
        organisations=[Organisation("o-01", "N", staff=2)],
        people=[Person("p-01", "A", organisation="o-01"), Person("p-02", "B"), Person("f-1", "F")],
    )
    dump(roster, tmp_path / "roster.json")
    applicants = applicants_from_programme(load(tmp_path / "roster.json"), exclude=["f-1"])
    assert [(a.id, a.organisation) for a in applicants] == [
        ("p-01", Organisation("o-01", "N", staff=2)),
        ("p-02", None),
    ]


def test_applicants_from_a_programme_with_an_unknown_organisation() -> None:
    """A person whose organisation is missing from the programme is an UnknownReferenceError."""
    roster = Programme("p", people=[Person("p-01", "A", organisation="o-09")])
    with pytest.raises(UnknownReferenceError) as caught:
        applicants_from_programme(roster)
    assert caught.value.path == 'people["p-01"].organisation'


def _table(heading: str) -> list[list[str]]:
    """The rows of the first Markdown table after *heading* in the how-to."""
    page = Path(__file__).resolve().parent.parent / "docs" / "howto" / "form-groups.md"
    text = page.read_text(encoding="utf-8").split(heading, 1)[1]
    rows = [line for line in text.splitlines() if line.startswith("|")]
    block: list[list[str]] = []
    for line in rows:
        if block and not line.startswith("|"):
            break
        block.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return [row for row in block[2:] if row]


def test_the_how_to_lists_every_csv_column_as_the_reader_knows_it() -> None:
    """The how-to's column table is COLUMNS, in order, with the same descriptions."""
    assert _table("### From a spreadsheet")[: len(COLUMNS)] == [
        [name, text] for name, text in COLUMNS.items()
    ]
