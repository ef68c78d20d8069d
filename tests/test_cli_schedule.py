"""``emessi schedule``, ``form`` and ``ics`` over the programme planner, through main()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import emessi
from emessi import Group, Membership, Programme, Role
from emessi.cli import main
from emessi.scheduling import read_availability


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", str(folder)]) == 0
    return folder


def staff_args() -> list[str]:
    args = []
    for i in range(1, 7):
        args += ["--facilitator", f"f-{i:02d}:2"]
    for i in range(1, 4):
        args += ["--observer", f"w-{i:02d}:4"]
    return args


def test_demo_writes_availability_answers(demo: Path) -> None:
    """``demo`` writes availability.csv for the applicants and the staff."""
    poll = read_availability(demo / "availability.csv")
    assert len(poll.slots) == 8
    assert {"p-01", "p-66", "f-01", "w-03"} <= set(poll.people)


def test_schedule_plans_the_cohort_by_default(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One rule for 11 groups sharing staff: a clean plan and a short summary."""
    out = tmp_path / "planned.json"
    code = main(
        [
            "schedule",
            str(demo / "unscheduled.json"),
            "--start",
            "2026-09-01",
            "--rule",
            "second Tuesday of each month at 14:00",
            "-o",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert len(printed.splitlines()) <= 20
    assert "nobody is double-booked" in printed
    planned = emessi.load(out)
    assert emessi.validate(planned).ok
    assert "meeting-overlap" not in emessi.validate(planned).codes()


def test_schedule_json_and_availability(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--availability plans on the poll's slots; --json gives the cost and each series."""
    out = tmp_path / "planned.json"
    code = main(
        [
            "form",
            str(demo / "applicants.csv"),
            "--availability",
            str(demo / "availability.csv"),
            *staff_args(),
            "-o",
            str(tmp_path / "formed.json"),
        ]
    )
    assert code == 0
    capsys.readouterr()
    code = main(
        [
            "schedule",
            str(tmp_path / "formed.json"),
            "--start",
            "2026-09-01",
            "--availability",
            str(demo / "availability.csv"),
            "--away",
            "f-01=2026-10-01:2026-10-31",
            "--json",
            "-o",
            str(out),
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["ok"] is True
    assert set(data["cost"]) >= {"total", "no", "distance", "lonely_days"}
    slots = {g["slot"] for g in data["groups"].values()}
    assert slots <= {s.id for s in read_availability(demo / "availability.csv").slots}
    planned = emessi.load(out)
    for group in planned.groups:
        if any(m.person == "f-01" for m in group.memberships):
            assert all(m.start.month != 10 for m in group.meetings)


def test_form_and_plan_in_one_command(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``form --availability --start`` forms the groups and plans them from their slots."""
    out = tmp_path / "planned.json"
    code = main(
        [
            "form",
            str(demo / "applicants.csv"),
            "--availability",
            str(demo / "availability.csv"),
            *staff_args(),
            "--start",
            "2026-09-01",
            "-o",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "nobody is double-booked" in printed
    planned = emessi.load(out)
    assert all(len(g.meetings) == 8 for g in planned.groups)
    assert emessi.validate(planned).ok


def test_no_plan_exits_1_with_reasons_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Five groups on one facilitator, one slot, one meeting a day: exit 1, who and when."""
    groups = [
        Group(f"g-0{i}", memberships=[Membership("f-01", Role.FACILITATOR), Membership(f"p-{i}")])
        for i in range(1, 6)
    ]
    source = tmp_path / "cohort.json"
    emessi.dump(Programme("c", groups=groups), source)
    answers = tmp_path / "availability.csv"
    answers.write_text(
        "person,weekday,time,answer\nf-01,Tuesday,14:00,yes\n"
        + "".join(f"p-{i},Tuesday,14:00,yes\n" for i in range(1, 6)),
        encoding="utf-8",
    )
    out = tmp_path / "planned.json"
    code = main(
        [
            "schedule",
            str(source),
            "--start",
            "2026-09-01",
            "--availability",
            str(answers),
            "--max-per-day",
            "1",
            "-o",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 1
    assert "nothing was written" in printed
    assert "f-01" in printed
    assert not out.exists()


@pytest.mark.parametrize(
    "extra",
    [
        ["--away", "f-01"],
        ["--away", "f-01=2026-10-09:2026-10-01"],
        ["--availability", "missing.csv"],
        ["--buffer", "-5"],
    ],
)
def test_bad_schedule_options_exit_2(
    demo: Path, extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad planner options are bad input: exit 2, a message, no traceback."""
    code = main(
        [
            "schedule",
            str(demo / "unscheduled.json"),
            "--start",
            "2026-09-01",
            "--rule",
            "second Tuesday of each month at 14:00",
            "-o",
            "never.json",
            *extra,
        ]
    )
    assert code == 2
    assert "error" in capsys.readouterr().err


def test_ics_per_group_and_per_person(demo: Path, tmp_path: Path) -> None:
    """``ics --per-group`` writes one calendar a group, ``--per-person`` one a person."""
    assert main(["ics", str(demo / "cohort.json"), "--per-group", str(tmp_path / "g")]) == 0
    files = sorted(p.name for p in (tmp_path / "g").iterdir())
    assert files[0] == "g-01.ics"
    assert len(files) == 11
    assert main(["ics", str(demo / "cohort.json"), "--per-person", str(tmp_path / "p")]) == 0
    f01 = (tmp_path / "p" / "f-01.ics").read_text(encoding="utf-8")
    cohort = emessi.load(demo / "cohort.json")
    led = [g for g in cohort.groups if any(m.person == "f-01" for m in g.memberships)]
    assert f01.count("BEGIN:VEVENT") == sum(len(g.meetings) for g in led)
    assert main(["ics", str(demo / "cohort.json"), "--per-group", "x", "-o", "y.ics"]) == 2
