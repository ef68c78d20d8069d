"""Formula injection: no CSV that emessi writes starts a cell with =, +, -, @, tab or CR."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from emessi import Group, Membership, Organisation, Person, Programme
from emessi._text import FORMULA_STARTS, csv_cell, csv_text
from emessi.demo import applicants_csv
from emessi.research import Consent, StudyData, pseudonymise
from emessi.research._tables_spec import COLUMNS, DESCRIPTIONS
from emessi.research.export import ResearchExport
from emessi.research.tables import Column, Table
from emessi.simulation.result import Table as SimulationTable

KEY = bytes.fromhex("3b8f0e6a91c4d27f5e08b1a9c63d47f2a05e9c18d7b2f46e13c8a09f5d7e2b61")
#: OWASP's examples and the issue's: formulas, DDE, a leading tab or CR.
HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1\n=2+2",
]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _assert_no_formula(text: str) -> None:
    """No cell starts like a formula, except a plain number such as -1."""
    for row in _cells(text):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or _number(cell), cell


@pytest.mark.parametrize("cell", HOSTILE)
def test_the_helper_neutralises_each_hostile_start(cell: str) -> None:
    """A leading quote makes a spreadsheet read the cell as text; the text is kept."""
    assert csv_cell(cell) == "'" + cell
    assert _cells(csv_text(["a"], [[cell]]))[1] == ["'" + cell]


def test_numbers_and_safe_text_are_unchanged() -> None:
    """Negative numbers stay numbers; ordinary text stays as it is."""
    text = csv_text(["n", "x", "t"], [[-3, -1.5, "youth work"]])
    assert _cells(text)[1] == ["-3", "-1.5", "youth work"]


def test_every_column_of_every_research_table_is_neutralised(tmp_path: Path) -> None:
    """Hostile text in every column of every export table: written CSV has no formula."""
    tables = [
        Table(
            name,
            [Column(c, "string") for c, _, _ in COLUMNS[name]],
            [
                tuple(HOSTILE[i % len(HOSTILE)] for i in range(n, n + len(COLUMNS[name])))
                for n in range(len(HOSTILE))
            ],
            DESCRIPTIONS[name],
        )
        for name in COLUMNS
    ]
    export = ResearchExport(tables, on=date(2015, 1, 1))
    for path in export.write(tmp_path, formats=["csv"]):
        if path.suffix == ".csv":
            text = path.read_text("utf-8")
            _assert_no_formula(text)
            assert sum(cell.startswith("'") for row in _cells(text) for cell in row) == len(
                HOSTILE
            ) * len(_cells(text)[0])


def test_a_hostile_sector_reaches_people_csv_as_text(tmp_path: Path) -> None:
    """The issue's case: Organisation.sector in people.csv."""
    people = [Person(f"p-{i}", "N", organisation=f"o-{i}") for i in range(len(HOSTILE))]
    programme = Programme(
        "p",
        organisations=[Organisation(f"o-{i}", "Org", s, 3) for i, s in enumerate(HOSTILE)],
        people=people,
        groups=[Group("g", memberships=[Membership(p.id) for p in people])],
    )
    study = StudyData("p", consents=[Consent(p.id, date(2014, 1, 1)) for p in people])
    export = pseudonymise(programme, study, key=KEY, on=date(2015, 1, 1), k=1)
    text = export.table("people").to_csv()
    _assert_no_formula(text)
    sectors = sorted(row[1] for row in _cells(text)[1:])
    assert sectors == sorted("'" + s for s in HOSTILE)
    raw = export.table("people").to_csv(escape_formulas=False)
    assert sorted(row[1] for row in _cells(raw)[1:]) == sorted(HOSTILE)


def test_the_caller_may_opt_out(tmp_path: Path) -> None:
    """escape_formulas=False writes the text as given."""
    table = Table("t", [Column("a", "string")], [("=1",)])
    export = ResearchExport([table], on=date(2015, 1, 1))
    (path, _) = export.write(tmp_path, formats=["csv"], escape_formulas=False)
    assert _cells(path.read_text("utf-8"))[1] == ["=1"]


def test_every_column_of_a_simulation_table_is_neutralised() -> None:
    """Text columns of simulation tables are neutralised; numbers are not."""
    columns = {f"c{i}": np.array([h, "ok"]) for i, h in enumerate(HOSTILE)}
    columns["n"] = np.array([-1, 2])
    text = SimulationTable(columns).to_csv()
    _assert_no_formula(text)
    assert [row[-1] for row in _cells(text)] == ["n", "-1", "2"]
    assert "=1+1" in SimulationTable(columns).to_csv(escape_formulas=False)


def test_the_demo_applicants_csv_has_no_formula() -> None:
    """The demo's applicants CSV goes through the same helper."""
    _assert_no_formula(applicants_csv())


def test_the_cli_simulate_csv_tables_have_no_formula(tmp_path: Path) -> None:
    """``emessi simulate --csv`` writes its tables through the helper."""

    def run(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "emessi", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr

    run("demo", str(tmp_path / "demo"))
    run(
        "simulate",
        str(tmp_path / "demo" / "scenario.json"),
        "--runs",
        "3",
        "--quiet",
        "--csv",
        str(tmp_path / "tables"),
    )
    for name in ("meetings", "groups", "runs"):
        text = (tmp_path / "tables" / f"{name}.csv").read_text("utf-8")
        assert len(_cells(text)) > 1
        _assert_no_formula(text)
    _assert_no_formula((tmp_path / "demo" / "applicants.csv").read_text("utf-8"))
