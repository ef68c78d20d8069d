"""Plots are saved in the format their file name says; the timeline's legend hides no data."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from emessi.errors import UsageError
from emessi.simulation import Scenario, SimulationResult, StartWindow, simulate

pytest.importorskip("matplotlib")

from emessi.plotting import (
    image_bytes,
    image_format,
    plot_attendance,
    plot_completion,
    plot_timeline,
)

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF-"}


@pytest.fixture(scope="module")
def result() -> SimulationResult:
    return simulate(Scenario(start=StartWindow(date(2025, 9, 1), date(2025, 9, 30))), 5, seed=3)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
@pytest.mark.parametrize("plot", [plot_timeline, plot_attendance, plot_completion])
def test_the_extension_sets_the_format(
    result: SimulationResult, plot: object, fmt: str, tmp_path: Path
) -> None:
    """plot(result, 'x.svg') writes SVG, '.pdf' PDF, '.png' PNG (not PNG bytes in every file)."""
    file = tmp_path / f"plot.{fmt.upper() if fmt == 'pdf' else fmt}"
    plot(result, file)  # type: ignore[operator]
    assert file.read_bytes().startswith(MAGIC[fmt])


def test_svg_and_pdf_bytes_are_reproducible(result: SimulationResult) -> None:
    """No timestamp in the file: the same figure gives the same bytes."""
    for fmt in ("svg", "pdf"):
        assert image_bytes(plot_timeline(result), fmt) == image_bytes(plot_timeline(result), fmt)


@pytest.mark.parametrize("name", ["plot.jpg", "plot", "plot.png.txt"])
def test_another_extension_is_refused(result: SimulationResult, tmp_path: Path, name: str) -> None:
    """An extension emessi cannot honour is refused before anything is written."""
    with pytest.raises(UsageError, match=r"\.png, \.svg or \.pdf"):
        plot_attendance(result, tmp_path / name)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UsageError):
        image_format(name)


def test_timeline_legend_is_outside_the_data(result: SimulationResult) -> None:
    """The legend sits above the axes, so no meeting marker is drawn under it."""
    figure = plot_timeline(result)
    figure.canvas.draw()
    axes = figure.axes[0]
    legend = axes.get_legend().get_window_extent()
    assert legend.y0 >= axes.get_window_extent().y1 - 1


def test_cli_plot_svg_writes_three_svg_files(tmp_path: Path) -> None:
    """`emessi simulate --plot out.svg` writes SVG files; out.jpg is refused with exit 2."""
    run = [sys.executable, "-m", "emessi"]
    done = subprocess.run([*run, "demo", str(tmp_path)], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    scenario = str(tmp_path / "scenario.json")
    out = tmp_path / "out.svg"
    args = [*run, "simulate", scenario, "--runs", "3", "--quiet", "--plot", str(out)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for path in (out, tmp_path / "out-timeline.svg", tmp_path / "out-completion.svg"):
        assert path.read_bytes().startswith(MAGIC["svg"])
    args[-1] = str(tmp_path / "out.jpg")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert ".png, .svg or .pdf" in done.stderr
    assert not (tmp_path / "out.jpg").exists()
