"""Issue 10 item 1 in emessi.simulation: wrong arguments refused at the door, with a path.

A wrong type is a UsageError (a TypeError) from the run-time checks built
from the type hints; an unknown choice an UnknownValueError listing the
allowed values; a wrong value of the right type stays a ScenarioError.
No message echoes the value given.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import date
from typing import Any

import numpy as np
import pytest

from emessi.errors import DomainError, ScenarioError, UnknownValueError, UsageError
from emessi.model import Programme
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    DropoutTiming,
    Estimate,
    FacilitatorPool,
    ReschedulePolicy,
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
from emessi.simulation.run import MAX_GROUP_RUNS, MAX_POINTS

SEPTEMBER = StartWindow(date(2025, 9, 1))
SCENARIO = Scenario(start=SEPTEMBER, groups=2)
SECRET = "Aino Virtanen <aino@example.org>"


def test_choices_given_as_their_values_become_members() -> None:
    """'drop' and 'monthly' become the enum members, as in the model layer."""
    assert CancellationModel(0.1, "drop").policy is ReschedulePolicy.DROP  # type: ignore[arg-type]
    assert DropoutModel(0.1, timing="monthly").timing is DropoutTiming.MONTHLY
    assert ReschedulePolicy("next-slot") is ReschedulePolicy.NEXT_SLOT


def test_an_unknown_choice_lists_the_allowed_values_without_echoing() -> None:
    """An unknown policy is an UnknownValueError at policy naming the three values."""
    with pytest.raises(UnknownValueError) as caught:
        CancellationModel(0.1, SECRET)  # type: ignore[arg-type]
    assert caught.value.path == "policy"
    assert "'drop', 'make-up', 'next-slot'" in caught.value.message
    assert SECRET not in str(caught.value)
    with pytest.raises(UnknownValueError):
        DropoutTiming(SECRET)


def test_a_misspelt_member_is_an_emessi_error() -> None:
    """DropoutTiming.WEEKLY raises UnknownMemberError (an AttributeError)."""
    from emessi.errors import UnknownMemberError

    with pytest.raises(UnknownMemberError):
        _ = DropoutTiming.WEEKLY  # type: ignore[attr-defined]


def test_one_recurrence_given_as_a_string_stays_one_rule() -> None:
    """recurrences="FREQ=MONTHLY" is one rule; a list of numbers is refused at its index."""
    assert Scenario(start=SEPTEMBER, recurrences="FREQ=MONTHLY").recurrences == ("FREQ=MONTHLY",)
    with pytest.raises(UsageError) as caught:
        Scenario(start=SEPTEMBER, recurrences=["FREQ=MONTHLY", 7])  # type: ignore[list-item]
    assert caught.value.path == "recurrences[1]"


def test_an_iterable_of_blackouts_becomes_a_tuple() -> None:
    """A generator of blackouts is stored as a tuple."""
    from emessi.scheduling import Blackout

    summer = Blackout(date(2026, 6, 1), date(2026, 8, 15))
    scenario = Scenario(start=SEPTEMBER, blackouts=(b for b in [summer]))
    assert scenario.blackouts == (summer,)


@pytest.mark.parametrize(
    ("make", "path", "error"),
    [
        (lambda: AttendanceModel(mean=math.nan), "mean", ScenarioError),
        (lambda: AttendanceModel(concentration=-math.inf), "concentration", ScenarioError),
        (lambda: DropoutModel(rise=math.inf), "rise", ScenarioError),
        (lambda: Scenario(start=SEPTEMBER, groups=10**20), "groups", DomainError),
        (lambda: FacilitatorPool(size=-(10**30)), "size", DomainError),
        (lambda: Scenario(start=SEPTEMBER, name="x" * 20_000), "name", DomainError),
        (lambda: Scenario(start=SEPTEMBER, name="\ud800"), "name", DomainError),
        (lambda: StartWindow(date(1, 1, 1)), "first", DomainError),
        (lambda: Scenario(start=SEPTEMBER, timezone=SECRET), "timezone", ScenarioError),
    ],
)
def test_wrong_values_keep_a_value_error(
    make: Callable[[], object], path: str, error: type[Exception]
) -> None:
    """NaN, infinity, huge numbers and hostile text are ValueErrors with the path."""
    with pytest.raises(error) as caught:
        make()
    assert isinstance(caught.value, ValueError)
    assert getattr(caught.value, "path", None) == path
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda: simulate(SCENARIO, runs="10"), "runs"),
        (lambda: simulate(SCENARIO, runs=2.0), "runs"),
        (lambda: simulate(SCENARIO, seed=None), "seed"),
        (lambda: simulate(SCENARIO, chunk_size=[1]), "chunk_size"),
        (lambda: simulate(SCENARIO, executor="processes"), "executor"),
        (lambda: simulate(SCENARIO, progress=3), "progress"),
        (lambda: simulate(SCENARIO, records=1), "records"),
        (lambda: simulate("scenario.json"), "scenario"),
        (lambda: sweep(SCENARIO, [("peers", [5])]), "grid"),
        (lambda: sweep(SCENARIO, {"attendance.mean": ["high"]}), "mean"),
        (lambda: sweep(SCENARIO, {"cancellation.policy": [SECRET]}), "policy"),
        (lambda: forecast(SCENARIO, SCENARIO), "programme"),
        (lambda: forecast(Programme("p"), SCENARIO, risk="high"), "risk"),
        (lambda: fit_scenario("programme.json"), "programmes"),
        (lambda: fit_scenario([Programme("p"), 7]), "programmes"),
        (lambda: fit_scenario(Programme("p"), level="95%"), "level"),
        (lambda: progress_bar(width="wide"), "width"),
        (lambda: progress_bar(stream=7), "stream"),
        (lambda: progress_bar(width=10**12), "width"),
        (lambda: Table(7), "columns"),
        (lambda: Table({"run": [0, 1]}), "columns['run']"),
        (lambda: Table({"a": np.zeros(2), "b": np.zeros(3)}), "columns['b']"),
        (lambda: Estimate("x", "0.5", 0.4, 0.6, "Wald", 10), "value"),
        (lambda: ScenarioFit(SCENARIO, ["estimate"], 0.95), "estimates[0]"),
    ],
)
def test_wrong_arguments_are_usage_errors_with_a_path(call: Callable[[], Any], path: str) -> None:
    """Each wrong argument is a UsageError (or its UnknownValueError) at its path."""
    with pytest.raises(UsageError) as caught:
        call()
    assert caught.value.path == path
    assert SECRET not in str(caught.value)


def test_a_table_zone_is_an_iana_name() -> None:
    """A table's time zone is checked as every zone in emessi: UnknownTimeZoneError."""
    from emessi.errors import UnknownTimeZoneError

    for zone in (7, SECRET):
        with pytest.raises(UnknownTimeZoneError) as caught:
            Table({"a": np.zeros(2)}, timezone=zone)  # type: ignore[arg-type]
        assert caught.value.path == "timezone"
        assert SECRET not in str(caught.value)


def test_a_wrong_call_is_a_usage_error() -> None:
    """An unknown keyword or a missing argument is a UsageError naming the call."""
    with pytest.raises(UsageError) as caught:
        simulate(SCENARIO, rnus=10)  # type: ignore[call-arg]
    assert "simulate(" in caught.value.message
    with pytest.raises(UsageError):
        sweep(SCENARIO)  # type: ignore[call-arg]


def test_methods_check_their_arguments() -> None:
    """Table[...], to_pandas(table=...), programme(run=...) and covers() refuse wrong types."""
    result = simulate(SCENARIO, runs=2, seed=1, records=True)
    with pytest.raises(UsageError) as caught:
        result.runs[["run"]]  # type: ignore[index]
    assert caught.value.path == "name"
    with pytest.raises(UsageError):
        result.to_pandas(table=["runs"])  # type: ignore[arg-type]
    with pytest.raises(UsageError) as caught:
        result.programme(run="0")  # type: ignore[arg-type]
    assert caught.value.path == "run"
    with pytest.raises(DomainError) as caught:
        result.programme(name=SECRET)
    assert caught.value.path == "name"
    assert SECRET not in str(caught.value)
    with pytest.raises(UsageError):
        result.runs.to_csv(escape_formulas="no")  # type: ignore[arg-type]
    with pytest.raises(UsageError) as caught:
        Estimate("x", 0.5, 0.4, 0.6, "Wald", 10).covers("0.5")  # type: ignore[arg-type]
    assert caught.value.path == "value"


def test_an_estimate_keeps_an_unbounded_interval() -> None:
    """inf and NaN are an estimate's numbers where the interval is unbounded or unknown."""
    estimate = Estimate("attendance.concentration", math.inf, math.nan, math.inf, "binomial", 3)
    assert estimate.high == math.inf
    assert Estimate("x", 1, 0, 2, "Wald", 10).value == 1.0


def test_runs_beyond_the_ceiling_are_refused_at_once() -> None:
    """runs=10**9 (or a forecast of as many) is refused before any work, not simulated."""
    with pytest.raises(UsageError) as caught:
        simulate(SCENARIO, runs=10**9)
    assert caught.value.path == "runs"
    assert f"{MAX_GROUP_RUNS:,}" in caught.value.message
    # group-runs count: 2 groups x (MAX_GROUP_RUNS // 2 + 1) runs
    with pytest.raises(UsageError):
        simulate(SCENARIO, runs=MAX_GROUP_RUNS // 2 + 1)
    with pytest.raises(UsageError):
        sweep(SCENARIO, {"peers": [5, 6]}, runs=MAX_GROUP_RUNS // 2)
    running = simulate(SCENARIO, runs=1, seed=5, records=True).programme()
    with pytest.raises(UsageError):
        forecast(running, SCENARIO, runs=MAX_GROUP_RUNS)


def test_a_grid_beyond_the_ceiling_is_refused_at_once() -> None:
    """A sweep of more than MAX_POINTS points, or an endless iterator, is refused at once."""
    import itertools

    with pytest.raises(UsageError) as caught:
        sweep(SCENARIO, {"peers": range(10**12)})
    assert caught.value.path == "grid"
    with pytest.raises(UsageError):
        sweep(SCENARIO, {"peers": itertools.count()})
    with pytest.raises(UsageError):
        sweep(SCENARIO, {"peers": [5] * 400, "groups": [1] * 400})
    assert MAX_POINTS == 100_000


def test_any_executor_subclass_is_accepted() -> None:
    """A bare concurrent.futures.Executor subclass passes the executor check."""

    class Inline(Executor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            from concurrent.futures import Future

            future: Future[Any] = Future()
            future.set_result(fn(*args, **kwargs))
            return future

    serial = simulate(SCENARIO, runs=3, seed=4)
    inline = simulate(SCENARIO, runs=3, seed=4, executor=Inline())
    assert (serial.runs["meetings_held"] == inline.runs["meetings_held"]).all()


def test_the_progress_bar_still_draws() -> None:
    """progress_bar with a stream and a width draws as before."""
    out = io.StringIO()
    progress_bar(out, width=4)(2, 4)
    assert out.getvalue() == "\r[##..] 2/4 runs"


def test_an_array_where_a_whole_number_belongs_is_a_usage_error() -> None:
    """A numpy array has __index__ but is no integer: UsageError, not a raw TypeError.

    (A fix in emessi.model._strict: operator.index raised TypeError.)
    """
    with pytest.raises(UsageError) as caught:
        simulate(SCENARIO, runs=np.array([1, 2]))  # type: ignore[arg-type]
    assert caught.value.path == "runs"
    assert simulate(SCENARIO, runs=np.int64(2), seed=np.uint8(1)).n_runs == 2


def test_a_huge_grid_value_is_named_without_its_digits() -> None:
    """A 5,000-digit number in a grid is refused without a ValueError from its repr.

    (A fix in emessi.model._checks.safe_id: repr() of such an int raises.)
    """
    with pytest.raises(UsageError) as caught:
        sweep(SCENARIO, {"start": [10**5000]})
    assert "<a huge number>" in caught.value.message
    with pytest.raises(DomainError):
        Estimate("x", 10**5000, 0.0, 1.0, "Wald", 3)


def _failing(first: Any) -> Any:
    yield first
    raise RuntimeError("the caller's own bug")


def test_an_iterable_that_fails_while_read_is_a_usage_error() -> None:
    """A generator that raises, given for a collection: UsageError at its path, no RuntimeError."""
    from emessi.scheduling import Blackout

    calls: list[tuple[Callable[[], Any], str]] = [
        (lambda: sweep(SCENARIO, {"peers": _failing(5)}), "grid['peers']"),
        (lambda: fit_scenario(_failing(Programme("p"))), "programmes"),
        (
            lambda: Scenario(
                start=SEPTEMBER, blackouts=_failing(Blackout(date(2026, 6, 1), date(2026, 6, 2)))
            ),
            "blackouts",
        ),
        (lambda: Scenario(start=SEPTEMBER, recurrences=_failing("FREQ=MONTHLY")), "recurrences"),
    ]
    for call, path in calls:
        with pytest.raises(UsageError) as caught:
            call()
        assert caught.value.path == path
        assert "bug" not in str(caught.value)
