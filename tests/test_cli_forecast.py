"""``emessi forecast``: a running programme's chances, from the command line."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from emessi.cli import main
from emessi.io.documents import dump
from emessi.simulation import CancellationModel, Scenario, StartWindow, simulate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

SCENARIO = Scenario(
    start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
    groups=6,
    cancellation=CancellationModel(0.1, "drop"),
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from simulation_forecast_calibration import cut

    folder = tmp_path_factory.mktemp("forecast")
    full = simulate(SCENARIO, runs=1, seed=4, records=True).programme(name="running")
    dump(cut(full), folder / "running.json")
    dump(SCENARIO, folder / "scenario.json")
    return folder


def test_forecast_fits_the_records_and_prints_each_group(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --scenario the dynamics are fitted; every group gets a line and a probability."""
    assert main(["forecast", str(files / "running.json"), "--runs", "200"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Scenario fitted to the records (95% intervals): attendance.mean")
    assert all(f"g-{n} " in out for n in range(1, 7))
    assert "Expected to complete (6 counted meetings):" in out


def test_forecast_json_is_seeded_and_takes_a_scenario(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json output with --scenario; the same seed gives the same figures."""
    args = ["forecast", str(files / "running.json"), "--scenario", str(files / "scenario.json")]
    args += ["--runs", "300", "--seed", "3", "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert "fitted" not in first
    assert len(first["groups"]) == 6
    assert 0 <= first["expected_completed"] <= 6
    assert set(first["at_risk"]) == {g["group"] for g in first["groups"] if g["at_risk"]}


def test_forecast_writes_a_plot_and_tables_and_refuses_to_replace(
    files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--plot and --csv write a PNG and two CSV tables; again without --force is refused."""
    plot, tables = tmp_path / "forecast.png", tmp_path / "tables"
    args = ["forecast", str(files / "running.json"), "--runs", "100"]
    args += ["--plot", str(plot), "--csv", str(tables)]
    assert main(args) == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tables / "groups.csv").read_text().startswith("group,peers,counted,remaining")
    assert (tables / "meetings.csv").exists()
    capsys.readouterr()
    assert main(args) == 2
    assert "--force" in capsys.readouterr().err


@pytest.mark.parametrize("extra", [["--risk", "1.5"], ["--runs", "0"], ["--plot", "forecast.svg"]])
def test_forecast_bad_options_exit_2(
    files: Path, extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad option is one line and exit code 2."""
    assert main(["forecast", str(files / "running.json"), *extra]) == 2
    assert "error" in capsys.readouterr().err
