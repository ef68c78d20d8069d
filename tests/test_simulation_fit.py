"""Fitting a scenario to records, and writing simulated runs out as records."""

from __future__ import annotations

import builtins
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from emessi.errors import MissingDependencyError, ScenarioError, UsageError
from emessi.model import Group, Meeting, MeetingStatus, Membership, Programme
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    ReschedulePolicy,
    Scenario,
    StartWindow,
    fit_scenario,
    simulate,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

START = StartWindow(date(2025, 9, 1), date(2025, 9, 30))


def test_recovery_95_percent_intervals_cover_the_truth() -> None:
    """Simulate with known numbers, fit, and the 95 % intervals cover them about 95 % of the time.

    100 seeded repetitions here (the benchmark script runs 200: 93.0 %,
    96.5 %, 95.5 % and 94.5 % for the four estimates); with 100, the
    coverage of a true 95 % interval is within 88-100 % (3 standard errors).
    """
    from simulation_fit_recovery import coverage

    shares = coverage(100)
    for name, share in shares.items():
        assert 0.88 <= share <= 1.0, (name, share)


@pytest.mark.parametrize("policy", list(ReschedulePolicy))
def test_records_agree_with_the_tables(policy: ReschedulePolicy) -> None:
    """A run written out as a programme has the tables' attendance, meetings and dropouts."""
    scenario = Scenario(
        start=START,
        groups=5,
        dropout=DropoutModel(0.1),
        cancellation=CancellationModel(0.3, policy),
    )
    result = simulate(scenario, runs=3, seed=4, records=True)
    plain = simulate(scenario, runs=3, seed=4)
    np.testing.assert_array_equal(result.meetings["present"], plain.meetings["present"])
    for run in range(3):
        programme = result.programme(run)
        table = result.groups
        for g, group in enumerate(programme.groups):
            row = run * 5 + g
            held = [m for m in group.meetings if m.status is MeetingStatus.HELD]
            present = result.meetings["present"].reshape(3, 5, 8)[run, g]
            took = ~result.meetings["cancelled"].reshape(3, 5, 8)[run, g]
            assert sorted(len(m.attendance) for m in held) == sorted(present[took].tolist())
            left = sum(1 for m in group.memberships if m.left is not None)
            assert left == table["dropouts"][row]
            starts = [m.start for m in group.meetings]
            assert starts == sorted(starts)
            for meeting in held:  # nobody attends after leaving
                for person in meeting.attendance:
                    member = next(m for m in group.memberships if m.person == person)
                    assert member.active_on(meeting.start.date())


def test_records_need_records_true() -> None:
    """programme() on a simulation without records is a usage error; so is a run out of range."""
    result = simulate(Scenario(start=START, groups=2), runs=2, seed=1)
    with pytest.raises(UsageError):
        result.programme()
    recorded = simulate(Scenario(start=START, groups=2), runs=2, seed=1, records=True)
    with pytest.raises(UsageError):
        recorded.programme(2)


def test_fitted_scenario_is_ready_to_simulate_and_near_the_truth() -> None:
    """A large recorded cohort gives estimates close to the truth and a scenario that runs."""
    truth = Scenario(
        start=START,
        groups=200,
        attendance=AttendanceModel(0.7, 5.0),
        dropout=DropoutModel(0.05),
        cancellation=CancellationModel(0.2, "drop"),
    )
    fit = fit_scenario(simulate(truth, runs=1, seed=9, records=True).programme())
    for name, value in [
        ("attendance.mean", 0.7),
        ("dropout.hazard", 0.05),
        ("cancellation.probability", 0.2),
    ]:
        estimate = fit[name]
        error = (estimate.high - estimate.low) / (2 * 1.96)
        assert abs(estimate.value - value) < 3 * error, estimate
    assert abs(fit.scenario.attendance.mean - 0.7) < 0.03
    assert fit.scenario.groups == 200
    assert fit.level == 0.95
    assert [e.name for e in fit] == [
        "attendance.mean",
        "attendance.concentration",
        "dropout.hazard",
        "cancellation.probability",
    ]
    assert len(simulate(fit.scenario, runs=2, seed=1).runs) == 2


def test_scheduled_timing_fits_the_hazard_per_scheduled_meeting() -> None:
    """With dropout per scheduled meeting, timing='scheduled' recovers the hazard."""
    truth = Scenario(
        start=START,
        groups=300,
        dropout=DropoutModel(0.05, timing="scheduled"),
        cancellation=CancellationModel(0.3, "drop"),
    )
    programme = simulate(truth, runs=1, seed=12, records=True).programme()
    estimate = fit_scenario(programme, timing="scheduled")["dropout.hazard"]
    assert abs(estimate.value - 0.05) < 3 * (estimate.high - estimate.low) / (2 * 1.96)
    # read per held meeting instead, the hazard is larger: fewer draws, the same leavers
    assert fit_scenario(programme)["dropout.hazard"].value > 0.06


def test_full_attendance_is_a_fixed_probability() -> None:
    """Everyone always present: the mean is 1 and attendance is fixed."""
    scenario = Scenario(start=START, groups=5, attendance=AttendanceModel(1.0))
    fit = fit_scenario(simulate(scenario, runs=1, seed=1, records=True).programme())
    assert fit.scenario.attendance.fixed
    assert fit["attendance.mean"].value == 1.0


def test_a_base_scenario_keeps_its_other_fields() -> None:
    """Estimates go into the base scenario; its policy and cohort stay."""
    base = Scenario(start=START, groups=3, cancellation=CancellationModel(0.5, "make-up"))
    records = simulate(Scenario(start=START, groups=20), runs=1, seed=2, records=True)
    fit = fit_scenario([records.programme()], base, level=0.9)
    assert fit.scenario.groups == 3
    assert fit.scenario.cancellation.policy is ReschedulePolicy.MAKE_UP
    assert fit.level == 0.9


def _tiny(meetings: list[Meeting]) -> Programme:
    return Programme("p", groups=[Group("g-1", memberships=[Membership("a-1")], meetings=meetings)])


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: fit_scenario("records"), UsageError),
        (lambda: fit_scenario([]), UsageError),
        (lambda: fit_scenario(_tiny([]), base=7), UsageError),  # type: ignore[arg-type]
        (lambda: fit_scenario(_tiny([]), timing="monthly"), UsageError),
        (lambda: fit_scenario(_tiny([]), timing="weekly"), UsageError),
        (lambda: fit_scenario(_tiny([]), level=1.5), UsageError),
        (lambda: fit_scenario(_tiny([])), ScenarioError),
    ],
)
def test_bad_input_is_an_emessi_error(call: Any, error: type[Exception]) -> None:
    """Wrong arguments and records without a held meeting raise EmessiErrors."""
    with pytest.raises(error):
        call()


def test_scipy_is_imported_only_when_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without SciPy, fitting raises MissingDependencyError naming the extra."""
    real = builtins.__import__

    def no_scipy(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("scipy"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_scipy)
    records = simulate(Scenario(start=START, groups=2), runs=1, seed=1, records=True)
    with pytest.raises(MissingDependencyError) as caught:
        fit_scenario(records.programme())
    assert "fit" in str(caught.value)


def test_cancelled_meetings_count_and_planned_ones_do_not() -> None:
    """Cancellation is cancelled / (held + cancelled); planned meetings are not counted."""
    from datetime import UTC, datetime, timedelta

    start = datetime(2025, 9, 1, 14, tzinfo=UTC)
    meetings = [
        Meeting(n + 1, start + timedelta(weeks=4 * n), status=status, attendance=attendance)
        for n, (status, attendance) in enumerate(
            [
                (MeetingStatus.HELD, ("a-1",)),
                (MeetingStatus.CANCELLED, ()),
                (MeetingStatus.HELD, ()),
                (MeetingStatus.PLANNED, ()),
            ]
        )
    ]
    fit = fit_scenario(_tiny(meetings))
    assert fit["cancellation.probability"].value == pytest.approx(1 / 3)
    assert fit["cancellation.probability"].observations == 3
    assert fit["attendance.mean"].value == pytest.approx(0.5, abs=0.01)
