"""Plots of simulation results: valid PNG files and the expected artists."""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from emessi.errors import MissingDependencyError, UsageError
from emessi.plotting import plot_attendance, plot_completion, plot_timeline
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    Scenario,
    SimulationResult,
    StartWindow,
    simulate,
    sweep,
)

pytest.importorskip("matplotlib")

SCENARIO = Scenario(
    start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
    cancellation=CancellationModel(0.2, "drop"),
)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def result() -> SimulationResult:
    """Twenty runs of an eMessi2-sized cohort with cancellations."""
    return simulate(SCENARIO, runs=20, seed=5)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert data.endswith(b"IEND\xaeB`\x82")
    return width, height


PLOTS: list[Callable[..., Any]] = [plot_timeline, plot_attendance, plot_completion]


@pytest.mark.parametrize("plot", PLOTS, ids=lambda p: p.__name__)
def test_plot_saves_a_valid_small_png(
    result: SimulationResult, plot: Callable[..., Any], tmp_path: Path
) -> None:
    """Each plot saves a complete PNG of the figure's size, under 150 KB, and no temp file."""
    file = tmp_path / "plot.png"
    figure = plot(result, file)
    width, height = _png_size(file)
    expected = figure.get_size_inches() * figure.dpi
    assert (width, height) == (round(expected[0]), round(expected[1]))
    assert file.stat().st_size < 150_000
    assert [p.name for p in tmp_path.iterdir()] == ["plot.png"]


@pytest.mark.parametrize("plot", PLOTS, ids=lambda p: p.__name__)
def test_plot_without_path_writes_nothing(
    result: SimulationResult,
    plot: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a path, a figure is returned and no file is written."""
    monkeypatch.chdir(tmp_path)
    assert plot(result).axes
    assert list(tmp_path.iterdir()) == []


def test_timeline_marks_held_too_few_and_cancelled(result: SimulationResult) -> None:
    """The timeline has one scatter per outcome, with as many markers as meetings in the run."""
    axes = plot_timeline(result, run=3).axes[0]
    sizes = {c.get_label(): len(c.get_offsets()) for c in axes.collections}
    meetings = result.meetings
    rows = meetings["run"] == 3
    held = int((meetings["held"] & rows).sum())
    cancelled = int((meetings["cancelled"] & rows).sum())
    assert sizes == {
        "held": held,
        "too few peers": int(rows.sum()) - held - cancelled,
        "cancelled": cancelled,
    }
    assert [t.get_text() for t in axes.get_yticklabels()] == list(result.group_ids)


def test_timeline_limits_the_groups_shown(result: SimulationResult) -> None:
    """max_groups caps the rows of the timeline."""
    axes = plot_timeline(result, max_groups=4).axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["g-1", "g-2", "g-3", "g-4"]


def test_attendance_has_a_band_across_runs(result: SimulationResult) -> None:
    """The attendance plot has the mean line, a band across runs, and the threshold."""
    axes = plot_attendance(result).axes[0]
    lines = {line.get_label(): line for line in axes.get_lines()}
    assert set(lines) == {"peers present", "peers still in the group", "viability threshold (4)"}
    present = lines["peers present"].get_ydata()
    active = lines["peers still in the group"].get_ydata()
    assert len(present) == 8
    assert all(p <= a for p, a in zip(present, active, strict=True))
    bands = [c for c in axes.collections if c.get_label() == "5%-95% of runs"]
    assert len(bands) == 1


def test_attendance_without_dropout_keeps_the_group_whole() -> None:
    """With no dropout the 'still in the group' line stays at the group size."""
    calm = Scenario(
        start=StartWindow(date(2025, 9, 1)),
        dropout=DropoutModel(0.0),
        attendance=AttendanceModel(0.7),
    )
    axes = plot_attendance(simulate(calm, runs=5, seed=1)).axes[0]
    line = next(ln for ln in axes.get_lines() if ln.get_label() == "peers still in the group")
    assert list(line.get_ydata()) == [6.0] * 8


def test_completion_histogram_counts_completed_groups(result: SimulationResult) -> None:
    """The histogram's bars add up to the groups that completed, over all runs."""
    figure = plot_completion(result)
    axes = figure.axes[0]
    heights = sum(patch.get_height() for patch in axes.patches)
    assert heights == int(result.groups["completed"].sum())
    assert len(figure.axes) == 2  # the cumulative share on a twin axis


def test_completion_when_nobody_completes() -> None:
    """A cohort where no group completes still plots, and says so."""
    hopeless = Scenario(start=StartWindow(date(2025, 9, 1)), attendance=AttendanceModel(0.05))
    axes = plot_completion(simulate(hopeless, runs=2, seed=1)).axes[0]
    assert [t.get_text() for t in axes.texts] == ["no group completed"]


def test_plots_pick_a_sweep_point() -> None:
    """For a sweep, the plots show the chosen grid point."""
    swept = sweep(SCENARIO, {"attendance.mean": [0.3, 0.95]}, runs=3, seed=2)
    low = plot_attendance(swept, point=0).axes[0].get_lines()[0].get_ydata()
    high = plot_attendance(swept, point=1).axes[0].get_lines()[0].get_ydata()
    assert all(a < b for a, b in zip(low, high, strict=True))


def test_plot_bad_arguments_are_usage_errors(result: SimulationResult) -> None:
    """A run that does not exist, a bad band, or not a result: UsageError."""
    with pytest.raises(UsageError) as caught:
        plot_timeline(result, run=99)
    assert caught.value.path == "run"
    with pytest.raises(UsageError) as caught:
        plot_attendance(result, band=(0.9, 0.1))
    assert caught.value.path == "band"
    with pytest.raises(UsageError):
        plot_completion("not a result")  # type: ignore[arg-type]


def test_plot_without_matplotlib_names_the_extra(
    result: SimulationResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib, a plot raises MissingDependencyError naming the extra 'plot'."""
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingDependencyError) as caught:
        plot_timeline(result)
    assert caught.value.extra == "plot"


def test_plot_forecast_draws_a_bar_per_group(tmp_path: Path) -> None:
    """plot_forecast: one bar per group, at-risk groups in their own colour, saved as PNG."""
    from datetime import date

    from emessi.plotting import plot_forecast
    from emessi.simulation import Scenario, StartWindow, forecast, simulate

    scenario = Scenario(start=StartWindow(date(2025, 9, 1)), groups=4)
    records = simulate(scenario, runs=1, seed=2, records=True).programme()
    ahead = forecast(records, scenario, runs=50)
    figure = plot_forecast(ahead, tmp_path / "forecast.png")
    axes = figure.axes[0]
    assert len(axes.patches) == 4
    assert (tmp_path / "forecast.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(UsageError):
        plot_forecast("not a forecast")  # type: ignore[arg-type]
