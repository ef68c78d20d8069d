"""Forecasting a running cohort: state, remaining meetings, calibration."""

from __future__ import annotations

import math
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
import numpy as np
import pytest

from emessi.errors import ScenarioError, UsageError
from emessi.model import Group, Meeting, MeetingStatus, Membership, Programme
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    Forecast,
    Scenario,
    StartWindow,
    forecast,
    simulate,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

START = StartWindow(date(2025, 9, 1))


def test_forecasts_after_meeting_3_are_calibrated() -> None:
    """Predicted completion after meeting 3 matches what then happened, band by band.

    30 simulated cohorts of 30 groups here (the benchmark script runs 100;
    see docs/reference/simulation.md for its table); in every band of
    predictions with at least 50 groups, and over all groups, the observed
    share is within 3 standard errors of the mean prediction.
    """
    from simulation_forecast_calibration import bands, predictions

    predicted, observed = predictions(30, runs=300)
    for band, n, p, o, error in bands(predicted, observed):
        if n >= 50:
            assert abs(o - p) <= 3 * error, (band, n, p, o, error)
    total_error = math.sqrt(float((predicted * (1 - predicted)).sum())) / len(predicted)
    assert abs(observed.mean() - predicted.mean()) <= 3 * total_error


def _running() -> Programme:
    """One group: 3 of 6 meetings held (4, 4 and 2 of 5 peers present), one peer gone, 3 planned."""
    start = datetime(2025, 9, 1, 14, tzinfo=UTC)
    peers = [f"p-{n}" for n in range(1, 6)]
    records = [
        (MeetingStatus.HELD, peers[:4]),
        (MeetingStatus.CANCELLED, []),
        (MeetingStatus.HELD, peers[1:5]),
        (MeetingStatus.HELD, peers[1:3]),
        (MeetingStatus.PLANNED, []),
        (MeetingStatus.PLANNED, []),
        (MeetingStatus.PLANNED, []),
    ]
    meetings = [
        Meeting(n + 1, start + timedelta(weeks=4 * n), status=status, attendance=present)
        for n, (status, present) in enumerate(records)
    ]
    members = [Membership(p) for p in peers[:4]] + [Membership(peers[4], left=date(2025, 11, 20))]
    return Programme("running", groups=[Group("g-1", memberships=members, meetings=meetings)])


def test_the_state_is_read_from_the_records() -> None:
    """Counted meetings, peers still in, remaining planned meetings come from the records."""
    ahead = forecast(_running(), Scenario(start=START), runs=200, seed=1)
    assert isinstance(ahead, Forecast)
    row = next(ahead.groups.rows())
    assert (row["group"], row["peers"], row["counted"], row["remaining"]) == ("g-1", 4, 2, 3)
    assert row["needed"] == 4  # 6 required, 2 counted: more than the 3 planned
    assert row["p_complete"] == 0.0
    assert row["at_risk"]
    assert ahead.at_risk == ("g-1",)
    assert len(ahead.meetings) == 3
    assert ahead.meetings["planned"][0] == np.datetime64("2025-12-22T14:00:00")


def test_with_certain_attendance_the_outcome_is_certain() -> None:
    """Everyone comes, nothing is cancelled, nobody leaves: the forecast is exact."""
    scenario = Scenario(
        start=START,
        attendance=AttendanceModel(1.0),
        dropout=DropoutModel(0.0),
        cancellation=CancellationModel(0.0, "drop"),
        required_meetings=5,
    )
    ahead = forecast(_running(), scenario, runs=50, seed=2)
    assert ahead.groups["p_complete"].tolist() == [1.0]
    assert ahead.groups["expected_counted"].tolist() == [5.0]
    assert ahead.meetings["expected_present"].tolist() == [4.0, 4.0, 4.0]
    assert ahead.meetings["p_takes_place"].tolist() == [1.0, 1.0, 1.0]
    assert ahead.expected_completed == 1.0
    assert ahead.probability_all == 1.0
    assert ahead.at_risk == ()


def test_a_peers_own_record_moves_their_propensity() -> None:
    """Peers who came often are expected to come more than peers who rarely did."""
    scenario = Scenario(
        start=START,
        attendance=AttendanceModel(0.5, 2.0),
        dropout=DropoutModel(0.0),
        cancellation=CancellationModel(0.0, "drop"),
    )
    ahead = forecast(_running(), scenario, runs=4000, seed=3)
    # prior mean 0.5 with k = 2; records: p-1 1/3, p-2 3/3, p-3 3/3, p-4 2/3 (p-5 gone)
    expected = sum((1 + x) / (2 + 3) for x in (1, 3, 3, 2))
    assert ahead.meetings["expected_present"][0] == pytest.approx(expected, abs=0.05)


def test_same_seed_same_forecast_and_policies_run() -> None:
    """Forecasts are seeded; every policy and timing runs from a running state."""
    for policy in ("drop", "make-up", "next-slot"):
        for timing in ("held", "scheduled", "monthly"):
            scenario = Scenario(
                start=START,
                cancellation=CancellationModel(0.3, policy),
                dropout=DropoutModel(0.05, 0.02, timing),
            )
            one = forecast(_running(), scenario, runs=100, seed=4)
            two = forecast(_running(), scenario, runs=100, seed=4)
            np.testing.assert_array_equal(one.groups["p_complete"], two.groups["p_complete"])


def test_bad_arguments_are_emessi_errors() -> None:
    """Wrong types and ranges raise UsageError; a programme without groups ScenarioError."""
    scenario = Scenario(start=START)
    with pytest.raises(UsageError):
        forecast("p", scenario)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        forecast(_running(), "s")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        forecast(_running(), scenario, runs=0)
    with pytest.raises(UsageError):
        forecast(_running(), scenario, risk=2.0)
    with pytest.raises(ScenarioError):
        forecast(Programme("empty"), scenario)


def test_a_fitted_scenario_forecasts_its_own_programme() -> None:
    """fit_scenario then forecast: the researcher's journey on a running cohort."""
    from emessi.simulation import fit_scenario

    truth = Scenario(start=START, groups=12, cancellation=CancellationModel(0.1, "drop"))
    full = simulate(truth, runs=1, seed=6, records=True).programme()
    from simulation_forecast_calibration import cut

    running = cut(full)
    fitted = fit_scenario(running).scenario
    ahead = forecast(running, attrs.evolve(fitted, required_meetings=6), runs=200, seed=1)
    assert len(ahead.groups) == 12
    assert ((ahead.groups["p_complete"] >= 0) & (ahead.groups["p_complete"] <= 1)).all()


@pytest.mark.parametrize("policy", ["drop", "make-up", "next-slot"])
def test_records_until_a_day_are_a_running_cohort(policy: str) -> None:
    """programme(until=day): later meetings planned (the series' remainder), later leavers in."""
    scenario = Scenario(
        start=START,
        groups=8,
        dropout=DropoutModel(0.1),
        cancellation=CancellationModel(0.3, policy),
    )
    result = simulate(scenario, runs=1, seed=9, records=True)
    day = date(2026, 1, 10)
    running = result.programme(until=day)
    for group in running.groups:
        past = [m for m in group.meetings if m.start.date() <= day]
        later = [m for m in group.meetings if m.start.date() > day]
        assert all(m.status is not MeetingStatus.PLANNED for m in past)
        assert all(m.status is MeetingStatus.PLANNED and not m.attendance for m in later)
        taken = sum(1 for m in past if m.status is MeetingStatus.HELD)
        assert len(later) <= 8 - taken
        assert all(m.left is None or m.left <= day for m in group.memberships)
    with pytest.raises(UsageError):
        result.programme(until="2026-01-10")  # type: ignore[arg-type]
