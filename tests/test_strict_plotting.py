"""Issue 10 in emessi.plotting: every plot function checks its arguments.

A wrong type is a UsageError with the parameter's path; a file name that
cannot be a file a SaveError; never a raw exception from numpy or matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emessi.errors import DomainError, EmessiError, SaveError, UsageError
from emessi.simulation import Scenario, StartWindow, forecast, simulate

pytest.importorskip("matplotlib")

from emessi.plotting import (
    image_bytes,
    image_format,
    plot_attendance,
    plot_completion,
    plot_forecast,
    plot_timeline,
)

SCENARIO = Scenario(start=StartWindow(date(2025, 9, 1)), groups=3)
RESULT = simulate(SCENARIO, runs=3, seed=1, records=True)


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda: plot_timeline("result.json"), "result"),
        (lambda: plot_timeline(RESULT, run="0"), "run"),
        (lambda: plot_timeline(RESULT, max_groups=0), "max_groups"),
        (lambda: plot_timeline(RESULT, max_groups=10**20), "max_groups"),
        (lambda: plot_attendance(RESULT, band=(0.1,)), "band"),
        (lambda: plot_attendance(RESULT, band=(math.nan, 0.5)), "band[0]"),
        (lambda: plot_attendance(RESULT, band="wide"), "band"),
        (lambda: plot_completion(RESULT, point=[0]), "point"),
        (lambda: plot_completion(RESULT, point=1), "point"),
        (lambda: plot_attendance(RESULT, point=-1), "point"),
        (lambda: plot_completion(RESULT, 7), "path"),
        (lambda: plot_forecast(RESULT), "forecast"),
        (lambda: image_format(7), "path"),
        (lambda: image_bytes("figure"), "figure"),
        (lambda: image_bytes(plot_timeline(RESULT), fmt=["png"]), "fmt"),
        (lambda: plot_timeline(RESULT, "/tmp/x\x00.png"), "path"),
    ],
)
def test_wrong_arguments_are_refused_with_a_path(call: Callable[[], Any], path: str) -> None:
    """Each wrong argument is an EmessiError at its parameter, never a raw exception."""
    with pytest.raises(EmessiError) as caught:
        call()
    assert caught.value.path == path
    assert isinstance(caught.value, UsageError | SaveError | DomainError)


def test_a_forecast_still_plots(tmp_path: Path) -> None:
    """A well-typed call draws and saves as before."""
    running = RESULT.programme(until=date(2025, 12, 1))
    figure = plot_forecast(forecast(running, SCENARIO, runs=20), tmp_path / "f.svg")
    assert figure.axes
    assert (tmp_path / "f.svg").read_bytes().startswith(b"<?xml")


ARGUMENTS = {
    "plot_timeline": (plot_timeline, ["result", "path", "run", "point", "max_groups"]),
    "plot_attendance": (plot_attendance, ["result", "path", "point", "band"]),
    "plot_completion": (plot_completion, ["result", "path", "point"]),
    "image_format": (image_format, ["path"]),
}
SPOTS = [(name, argument) for name, (_, names) in ARGUMENTS.items() for argument in names]
HOSTILE = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [b"x.png", "x.gif", "\x00.png", "\ud800.svg", 10**5000, (0.5, 0.1), (0.1,), [0], object()]
    ),
    st.lists(st.integers(), max_size=3),
)


# A fifth of the profile's examples: a valid value draws a plot (~0.1 s).
@settings(max_examples=max(10, settings().max_examples // 5))
@given(st.sampled_from(SPOTS), HOSTILE)
def test_fuzz_plot_arguments(spot: tuple[str, str], value: Any) -> None:
    """Any value for any argument: a figure, or an EmessiError with a path; nothing raw."""
    name, argument = spot
    function, _ = ARGUMENTS[name]
    base: dict[str, Any] = {} if name == "image_format" else {"result": RESULT}
    if argument == "path" and isinstance(value, str) and "\x00" not in value:
        value = None  # never write into the working folder
    caught: EmessiError | None = None
    try:
        function(**{**base, argument: value})
    except EmessiError as error:
        caught = error
    assert caught is None or (isinstance(caught.path, str) and caught.__cause__ is None)
