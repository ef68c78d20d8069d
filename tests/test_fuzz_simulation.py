"""Issue 10 item 4 for emessi.simulation: fuzz Scenario field by field and the run arguments.

Each test feeds one field of :class:`~emessi.simulation.Scenario` (or one
of its parts) or one argument of ``simulate``/``sweep``/``forecast``/
``fit_scenario`` a hostile value (wrong types, out-of-range and huge
numbers, NaN/inf, hostile text, nested lists, iterators...) and asserts
that only an ``EmessiError`` with a path leaves, within the budget; what a
constructor accepts simulates and round-trips without a raw exception.
``HYPOTHESIS_PROFILE=fuzz`` runs many more examples (nightly).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import emessi
from emessi import Group, Membership, Programme
from emessi.errors import EmessiError
from emessi.scheduling import Blackout
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    Estimate,
    FacilitatorPool,
    Scenario,
    ScenarioFit,
    StartWindow,
    Table,
    fit_scenario,
    forecast,
    progress_bar,
    simulate,
    sweep,
)
from emessi.testing import hostile_numbers, hostile_text, hostile_values

#: Seconds any one call may take on the shared CI machine (as tests/test_fuzz.py).
BUDGET = 5.0

HOSTILE_TEXT = hostile_text(
    "drop",
    "monthly",
    "FREQ=MONTHLY",
    "FREQ=WEEKLY;INTERVAL=4;UNTIL=99991231T235959Z",
    "every 4 weeks on Monday at 9:30",
    "14:00",
    "Europe/Helsinki",
    "Mars/Olympus",
    "emessi",
)
NUMBERS = st.one_of(
    hostile_numbers(4, 6, 10**7 + 1),
    st.builds(np.int64, st.integers(-(2**63), 2**63 - 1)),
    st.builds(np.float64, st.floats()),
)
VALUES = hostile_values(HOSTILE_TEXT, NUMBERS)


def _raising() -> Any:
    yield "FREQ=MONTHLY"
    raise RuntimeError("a caller's generator that fails")


ANYTHING = st.one_of(
    VALUES,
    st.sampled_from(
        [
            b"FREQ=MONTHLY",
            bytearray(b"x"),
            object(),
            date(2, 1, 1),
            date(9998, 12, 31),
            date(2025, 9, 1),
            datetime(2025, 9, 1, 14),
            datetime(9998, 1, 1, tzinfo=UTC),
            timedelta(days=10**8),
            Membership("p-01"),
            StartWindow(date(2025, 9, 1)),
            AttendanceModel(),
            DropoutModel(),
            CancellationModel(),
            FacilitatorPool(),
            Blackout(date(2026, 6, 1), date(2026, 8, 15)),
            Programme("p"),
            frozenset({"FREQ=MONTHLY"}),
            range(3),
            np.array([1.0, math.nan]),
            np.zeros((2, 2)),
        ]
    ),
    st.builds(lambda: iter(["FREQ=MONTHLY", 3])),
    st.builds(_raising),
    st.builds(lambda: (x for x in [Blackout(date(2026, 6, 1), date(2026, 8, 15))])),
)

SEPTEMBER = StartWindow(date(2025, 9, 1))
#: Where a scenario's checks across fields report (peers vs threshold, ...).
CROSS_FIELD = {"threshold", "required_meetings", "facilitators", "meetings"}
SMALL = Scenario(start=SEPTEMBER, groups=2, meetings=6)


def _only_emessi_errors(call: Callable[[], object], field: str | None = None) -> object:
    """*call*'s result, or None after an EmessiError with a str path (at *field*)."""
    began = time.perf_counter()
    result: object = None
    caught: EmessiError | None = None
    try:
        result = call()
    except EmessiError as error:
        caught = error
    assert time.perf_counter() - began < BUDGET
    if caught is not None:
        assert isinstance(caught.path, str)
        assert caught.__cause__ is None
        if field is not None:
            head = caught.path.split("[")[0].split(".")[0]
            assert head == field or head in CROSS_FIELD, (caught.path, field)
    return result


PARTS: dict[str, tuple[Callable[..., object], dict[str, Any], list[str]]] = {
    "Scenario": (
        Scenario,
        {"start": SEPTEMBER, "groups": 2},
        [
            "start",
            "name",
            "profile",
            "groups",
            "peers",
            "programme",
            "recurrences",
            "time",
            "timezone",
            "meetings",
            "duration_minutes",
            "holidays",
            "blackouts",
            "attendance",
            "dropout",
            "cancellation",
            "facilitators",
            "threshold",
            "required_meetings",
        ],
    ),
    "StartWindow": (StartWindow, {"first": date(2025, 9, 1)}, ["first", "last"]),
    "AttendanceModel": (AttendanceModel, {}, ["mean", "concentration", "fixed"]),
    "DropoutModel": (DropoutModel, {}, ["hazard", "rise", "timing"]),
    "CancellationModel": (CancellationModel, {}, ["probability", "policy"]),
    "FacilitatorPool": (FacilitatorPool, {}, ["size", "max_groups"]),
}
SPOTS = [(name, field) for name, (_, _, fields) in PARTS.items() for field in fields]


def _cheap(scenario: Scenario) -> bool:
    """A scenario small enough to simulate once within the budget."""
    groups = len(scenario.programme.groups) if scenario.programme else scenario.groups
    return groups <= 50


@given(st.sampled_from(SPOTS), ANYTHING)
def test_fuzz_every_scenario_field(spot: tuple[str, str], value: Any) -> None:
    """Field by field: any value is accepted or refused with an EmessiError at that field.

    A scenario the constructor accepted simulates (or raises ScenarioError)
    and round-trips through its document form.
    """
    name, field = spot
    make, required, _ = PARTS[name]
    part = _only_emessi_errors(lambda: make(**{**required, field: value}), field)
    if part is None:
        return
    scenario = (
        part
        if isinstance(part, Scenario)
        else _only_emessi_errors(
            lambda: Scenario(
                start=part if isinstance(part, StartWindow) else SEPTEMBER,
                groups=2,
                **(
                    {}
                    if isinstance(part, StartWindow)
                    else {
                        {
                            AttendanceModel: "attendance",
                            DropoutModel: "dropout",
                            CancellationModel: "cancellation",
                            FacilitatorPool: "facilitators",
                        }[type(part)]: part
                    }
                ),
            )
        )
    )
    if isinstance(scenario, Scenario):
        assert emessi.loads(emessi.dumps(scenario)) == scenario
        if _cheap(scenario):
            _only_emessi_errors(lambda: simulate(scenario, runs=2, seed=1))


RUN_ARGUMENTS = ["scenario", "runs", "seed", "executor", "chunk_size", "progress", "records"]


def _affordable(name: str, value: Any) -> bool:
    """Skip valid run counts too big for the budget (their ceiling is tested apart)."""
    if name in ("runs", "chunk_size") and isinstance(value, int | np.integer):
        return not 200 < int(value) < 10**9 or name == "chunk_size"
    return True


@given(st.sampled_from(RUN_ARGUMENTS), ANYTHING)
def test_fuzz_simulate_arguments(name: str, value: Any) -> None:
    """simulate() refuses any wrong argument with an EmessiError at its name."""
    assume(_affordable(name, value))
    arguments: dict[str, Any] = {"scenario": SMALL, "runs": 2, "seed": 1, name: value}
    _only_emessi_errors(lambda: simulate(**arguments), name)


@given(st.sampled_from([*RUN_ARGUMENTS[:-1], "grid"]), ANYTHING)
def test_fuzz_sweep_arguments(name: str, value: Any) -> None:
    """sweep() refuses any wrong argument with an EmessiError at its name."""
    assume(_affordable(name, value))
    arguments: dict[str, Any] = {
        "scenario": SMALL,
        "grid": {"peers": [5]},
        "runs": 2,
        "seed": 1,
        name: value,
    }
    _only_emessi_errors(lambda: sweep(**arguments), name)


GRID_KEYS = [
    "peers",
    "groups",
    "attendance.mean",
    "dropout.timing",
    "cancellation.policy",
    "recurrences",
    "start",
    "facilitators.size",
    "programme",
    "nonsense",
]


@given(st.sampled_from(GRID_KEYS), ANYTHING)
def test_fuzz_sweep_grid_values(key: str, value: Any) -> None:
    """Any grid value list, or any one value in it, gives a result or an EmessiError."""
    if not isinstance(value, int | np.integer) or int(value) <= 50:  # groups: budget
        _only_emessi_errors(lambda: sweep(SMALL, {key: [value]}, runs=1, seed=0))
    _only_emessi_errors(lambda: sweep(SMALL, {key: value}, runs=1, seed=0))


FORECAST_ARGUMENTS = ["programme", "scenario", "runs", "seed", "risk"]


@given(st.sampled_from(FORECAST_ARGUMENTS), ANYTHING)
def test_fuzz_forecast_arguments(name: str, value: Any) -> None:
    """forecast() refuses any wrong argument with an EmessiError at its name."""
    assume(_affordable(name, value))
    running = _running()
    arguments: dict[str, Any] = {
        "programme": running,
        "scenario": SMALL,
        "runs": 5,
        "seed": 1,
        name: value,
    }
    _only_emessi_errors(lambda: forecast(**arguments), name)


_CACHE: dict[str, Programme] = {}


def _running() -> Programme:
    if "running" not in _CACHE:
        _CACHE["running"] = simulate(SMALL, runs=1, seed=5, records=True).programme(
            until=date(2025, 12, 1)
        )
    return _CACHE["running"]


@given(st.sampled_from(["programmes", "base", "timing", "level"]), ANYTHING)
def test_fuzz_fit_scenario_arguments(name: str, value: Any) -> None:
    """fit_scenario() refuses any wrong argument with an EmessiError."""
    arguments: dict[str, Any] = {"programmes": _running(), name: value}
    _only_emessi_errors(lambda: fit_scenario(**arguments))


@given(ANYTHING, ANYTHING)
def test_fuzz_results_and_helpers(first: Any, second: Any) -> None:
    """Table, Estimate, ScenarioFit, progress_bar and the result's methods refuse wrong values."""
    _only_emessi_errors(lambda: Table(first, second))
    _only_emessi_errors(lambda: Table({"a": np.zeros(1)}, second))
    _only_emessi_errors(lambda: Estimate(first, second, 0.1, 0.2, "Wald", 3))
    _only_emessi_errors(lambda: Estimate("x", 0.5, first, second, "Wald", 3))
    _only_emessi_errors(lambda: ScenarioFit(SMALL, first, second))
    _only_emessi_errors(lambda: progress_bar(first, 10))
    _only_emessi_errors(lambda: progress_bar(None, second))
    result = _result()
    _only_emessi_errors(lambda: result.runs[first])
    _only_emessi_errors(lambda: result.to_pandas(first))
    _only_emessi_errors(lambda: result.programme(first))
    _only_emessi_errors(lambda: result.programme(0, first, second))
    _only_emessi_errors(lambda: result.runs.to_csv(escape_formulas=first))
    _only_emessi_errors(lambda: Estimate("x", 0.5, 0.4, 0.6, "Wald", 3).covers(first))


def _result() -> Any:
    if "result" not in _CACHE:
        _CACHE["result"] = simulate(SMALL, runs=2, seed=5, records=True)  # type: ignore[assignment]
    return _CACHE["result"]


@given(st.integers(1, 3), st.sampled_from(["p", "g-1", "x.y"]))
def test_fuzz_programme_template(groups: int, name: str) -> None:
    """A programme template of small groups gives a result or a ScenarioError."""
    programme = Programme(
        name,
        groups=[
            Group(f"g-{n}", memberships=[Membership(f"p-{n}-{k}") for k in range(n + 2)])
            for n in range(groups)
        ],
    )
    scenario = Scenario(start=SEPTEMBER, programme=programme)
    _only_emessi_errors(lambda: simulate(scenario, runs=2, seed=0))
