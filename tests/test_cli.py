"""The ``emessi`` command, run through its real entry points in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import emessi
from emessi.cli import build_parser

SCRIPT = Path(sys.executable).with_name("emessi")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "emessi", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    done = run("demo", str(folder))
    assert done.returncode == 0, done.stderr
    return folder


def test_every_subcommand_has_help() -> None:
    """Every subcommand answers --help with its description and exit code 0."""
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {
        "demo",
        "validate",
        "schedule",
        "ics",
        "simulate",
        "profiles",
        "themes",
        "rules",
    } <= set(commands)
    for name in commands:
        done = run(name, "--help")
        assert done.returncode == 0, name
        assert "usage: emessi " + name in done.stdout


@pytest.mark.skipif(
    not SCRIPT.exists(), reason="the console script is not installed next to python"
)
def test_console_script_runs() -> None:
    """The installed ``emessi`` console script runs the same command."""
    done = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stdout.strip() == f"emessi {emessi.__version__}"


def test_demo_writes_documents_that_load(demo: Path) -> None:
    """``demo`` writes a cohort, an unscheduled copy and a scenario that all load."""
    cohort = emessi.load(demo / "cohort.json")
    assert len(cohort.groups) == 11
    assert all(not g.meetings for g in emessi.load(demo / "unscheduled.json").groups)
    assert type(emessi.load(demo / "scenario.json")).__name__ == "Scenario"


def test_validate_clean_cohort_exits_0(demo: Path) -> None:
    """A cohort that follows the method validates with exit code 0."""
    done = run("validate", str(demo / "cohort.json"))
    assert done.returncode == 0
    assert "0 errors" in done.stdout


def test_validate_json_and_finnish(demo: Path, tmp_path: Path) -> None:
    """A plan with errors exits 1; --json lists findings; --lang fi speaks Finnish."""
    cohort = emessi.load(demo / "cohort.json")
    broken = cohort.replace_group(emessi.Group("g-01"))
    emessi.dump(broken, tmp_path / "broken.json")
    done = run("validate", str(tmp_path / "broken.json"), "--json", "--lang", "fi")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["ok"] is False
    codes = {f["code"] for f in data["findings"]}
    assert {"group-size", "facilitator-count"} <= codes
    assert any("profiili" in f["message"] for f in data["findings"])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"format": "emessi/group", "version": 1, "id": 5}', "$.id"),
        ("{not json", "not valid JSON"),
        ('{"format": "emessi/nothing", "version": 1}', "$.format"),
        (
            '{"format": "emessi/meeting", "version": 1, "number": 1, "start": "2014-01-01T10:00"}',
            "$.start",
        ),
    ],
)
def test_bad_file_exits_2_with_path(tmp_path: Path, content: str, expected: str) -> None:
    """A damaged document exits 2 naming the file and the path, with no traceback."""
    file = tmp_path / "damaged.json"
    file.write_text(content)
    done = run("validate", str(file))
    assert done.returncode == 2
    assert "damaged.json" in done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file_and_bad_options_exit_2(tmp_path: Path, demo: Path) -> None:
    """A missing file, an unknown profile and a bad option all exit 2."""
    for args in (
        ("validate", str(tmp_path / "nope.json")),
        ("validate", str(demo / "cohort.json"), "--profile", "no-such"),
        ("validate", "--lang", "de", str(demo / "cohort.json")),
        ("simulate", str(demo / "scenario.json"), "--runs", "0"),
    ):
        done = run(*args)
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr


def test_schedule_plans_and_validates(demo: Path, tmp_path: Path) -> None:
    """``schedule`` plans every group on its own rule and the result validates."""
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday"]
    rules = [
        f"--group-rule=g-{g:02d}=second {weekdays[(g - 1) % 4]} of each month at {9 + 2 * ((g - 1) // 4)}:00"
        for g in range(1, 12)
    ]
    out = tmp_path / "planned.json"
    done = run(
        "schedule",
        str(demo / "unscheduled.json"),
        "--start",
        "2026-09-01",
        "--count",
        "7",
        "--blackout",
        "2027-06-01:2027-08-15",
        *rules,
        "-o",
        str(out),
        "--json",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["ok"] is True
    planned = emessi.load(out)
    assert all(len(g.meetings) == 7 for g in planned.groups)
    assert emessi.validate(planned).ok


def test_schedule_reports_overlaps_with_exit_1(demo: Path, tmp_path: Path) -> None:
    """With --same-rule, one slot for every group double-books shared facilitators: exit 1."""
    done = run(
        "schedule",
        str(demo / "unscheduled.json"),
        "--same-rule",
        "--start",
        "2026-09-01",
        "--rule",
        "second Tuesday of each month at 14:00",
        "-o",
        str(tmp_path / "x.json"),
    )
    assert done.returncode == 1
    assert "errors" in done.stdout


def test_ics_writes_calendar(demo: Path, tmp_path: Path) -> None:
    """``ics`` writes one VEVENT per meeting and no e-mail without --attendees."""
    out = tmp_path / "g.ics"
    done = run("ics", str(demo / "cohort.json"), "--group", "g-02", "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    group = emessi.load(demo / "cohort.json").group("g-02")
    assert text.count("BEGIN:VEVENT") == len(group.meetings)
    assert "ATTENDEE" not in text


def test_simulate_summary_plot_and_json(demo: Path, tmp_path: Path) -> None:
    """``simulate`` is seeded: the same seed prints the same summary; --plot writes PNGs."""
    args = ("simulate", str(demo / "scenario.json"), "--runs", "20", "--seed", "7", "--json")
    first, second = run(*args), run(*args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == json.loads(second.stdout)
    plot = tmp_path / "sim.png"
    done = run("simulate", str(demo / "scenario.json"), "--runs", "5", "--plot", str(plot))
    assert done.returncode == 0, done.stderr
    for path in (plot, tmp_path / "sim-timeline.png", tmp_path / "sim-completion.png"):
        assert path.read_bytes().startswith(b"\x89PNG")
    assert "5/5 runs" in done.stderr


def test_listings() -> None:
    """``profiles``, ``themes --lang fi`` and ``rules`` list what is built in."""
    assert "verme" in run("profiles").stdout
    assert "Työskentely vapaaehtoisten kanssa" in run("themes", "--lang", "fi").stdout
    rules = json.loads(run("rules", "--json").stdout)
    assert {r["code"] for r in rules} >= {"group-size", "closed-membership", "meeting-rhythm"}


def test_form_groups_from_demo_applicants(demo: Path, tmp_path: Path) -> None:
    """``form`` forms 11 valid groups from the demo applicants; too little staff exits 2."""
    staff = [f"--facilitator=f-{i}:2" for i in range(1, 7)] + [
        f"--observer=w-{i}:4" for i in range(1, 4)
    ]
    out = tmp_path / "formed.json"
    done = run("form", str(demo / "applicants.csv"), *staff, "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert len(data["groups"]) == 11
    assert emessi.validate(emessi.load(out)).ok
    short = run(
        "form", str(demo / "applicants.csv"), "--facilitator", "f-1", "-o", str(tmp_path / "s.json")
    )
    assert short.returncode == 2
    assert "observers" in short.stderr
    assert "Traceback" not in short.stderr
