"""The simulation's dynamics against their closed-form expectations.

Each test states an expectation that follows exactly from the model as
documented in docs/reference/simulation.md ("The model, exactly") and
checks the simulated mean against it within 3 standard errors (or exactly,
where the model leaves no chance).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest

from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    DropoutTiming,
    ReschedulePolicy,
    Scenario,
    StartWindow,
    simulate,
)

START = StartWindow(date(2025, 9, 1), date(2025, 9, 28))
PEERS, MEETINGS = 6, 8
#: A mean Gregorian month in days, the unit of a monthly hazard.
MONTH_DAYS = 365.2425 / 12


def _scenario(**changes: Any) -> Scenario:
    base: dict[str, Any] = {
        "start": START,
        "groups": 2000,
        "peers": PEERS,
        "meetings": MEETINGS,
        "attendance": AttendanceModel(1.0),
        "dropout": DropoutModel(0.0),
        "cancellation": CancellationModel(0.0, ReschedulePolicy.DROP),
    }
    return Scenario(**{**base, **changes})


def _binomial_tail(n: int, p: float, at_least: int) -> float:
    """P(Binomial(n, p) >= at_least)."""
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(at_least, n + 1))


def _close(values: Any, expected: float, sigmas: float = 3.0) -> None:
    """The mean of *values* is within *sigmas* standard errors of *expected*."""
    values = np.asarray(values, float)
    error = values.std(ddof=1) / math.sqrt(len(values))
    assert abs(values.mean() - expected) <= sigmas * max(error, 1e-12), (
        f"mean {values.mean():.5f}, expected {expected:.5f}, standard error {error:.5f}"
    )


def _taken(result: Any) -> Any:
    """Meetings that took place per run and group."""
    meetings = result.meetings
    took = ~meetings["cancelled"]
    groups = len(result.groups)
    return took.reshape(groups, MEETINGS).sum(axis=1)


@pytest.mark.parametrize("required", [None, 3])
def test_fixed_attendance_holds_and_completes_as_binomials(required: int | None) -> None:
    """Fixed p: a meeting counts with q = P(Bin(6, p) >= 4); completion is P(Bin(8, q) >= r)."""
    p, threshold = 0.7, 4
    scenario = _scenario(
        attendance=AttendanceModel(p, fixed=True), threshold=threshold, required_meetings=required
    )
    groups = simulate(scenario, runs=3, seed=1).groups
    q = _binomial_tail(PEERS, p, threshold)
    _close(groups["meetings_held"], MEETINGS * q)
    r = 6 if required is None else required  # default: the eMessi profile's minimum
    _close(groups["completed"], _binomial_tail(MEETINGS, q, r))


def test_beta_attendance_has_the_beta_binomial_spread() -> None:
    """Peers present over 8 meetings: variance 6*8*m(1-m)(k+8)/(k+1) (Beta), 6*8*p(1-p) (fixed)."""
    mean, k = 0.75, 4.0
    for fixed, factor in ((False, (k + MEETINGS) / (k + 1)), (True, 1.0)):
        scenario = _scenario(attendance=AttendanceModel(mean, k, fixed=fixed), threshold=0)
        result = simulate(scenario, runs=3, seed=2)
        present = result.meetings["present"].reshape(-1, MEETINGS).sum(axis=1).astype(float)
        expected = PEERS * MEETINGS * mean * (1 - mean) * factor
        centred = present - present.mean()
        variance = (centred**2).mean()
        # the standard error of a sample variance: sqrt((m4 - s^4) / n)
        error = math.sqrt(((centred**4).mean() - variance**2) / len(present))
        assert abs(variance - expected) <= 3 * error, (fixed, variance, expected, error)
        _close(present, PEERS * MEETINGS * mean)


@pytest.mark.parametrize("timing", list(DropoutTiming))
def test_dropout_timing_closed_forms(timing: DropoutTiming) -> None:
    """Peers left after 8 meetings with cancellation c under the drop policy.

    held: 6 (c + (1 - c)(1 - h))^8 (a cancelled meeting draws nothing);
    scheduled: 6 (1 - h)^8; monthly: 6 (1 - h)^months, the months from the
    first to the last scheduled meeting.
    """
    h, c = 0.08, 0.3
    scenario = _scenario(
        dropout=DropoutModel(h, timing=timing),
        cancellation=CancellationModel(c, ReschedulePolicy.DROP),
        threshold=0,
    )
    result = simulate(scenario, runs=2, seed=3)
    remaining = PEERS - result.groups["dropouts"]
    if timing is DropoutTiming.HELD:
        expected: Any = PEERS * (c + (1 - c) * (1 - h)) ** MEETINGS
    elif timing is DropoutTiming.SCHEDULED:
        expected = PEERS * (1 - h) ** MEETINGS
    else:
        planned = result.meetings["planned"].astype("datetime64[s]").astype(np.int64)
        planned = planned.reshape(-1, MEETINGS)
        months = (planned[:, -1] - planned[:, 0]) / 86400 / MONTH_DAYS
        assert 6.3 < months.mean() < 6.5  # 7 gaps of 4 weeks
        expected = float((PEERS * (1 - h) ** months).mean())
    _close(remaining, expected)


def test_monthly_dropout_never_empties_a_group_before_its_first_meeting() -> None:
    """Monthly timing: everyone is still there at the first meeting; held timing draws there."""
    monthly = _scenario(groups=300, dropout=DropoutModel(0.5, timing="monthly"), threshold=0)
    first = simulate(monthly, runs=1, seed=4).meetings["active"].reshape(-1, MEETINGS)[:, 0]
    assert (first == PEERS).all()
    held = _scenario(groups=300, dropout=DropoutModel(0.5), threshold=0)
    first = simulate(held, runs=1, seed=4).meetings["active"].reshape(-1, MEETINGS)[:, 0]
    _close(first, PEERS * 0.5)


def test_rising_hazard_matches_its_exact_recursion() -> None:
    """hazard + rise * missed: the survival of a peer follows a recursion over meetings missed."""
    p, h, rise = 0.6, 0.03, 0.05
    scenario = _scenario(
        attendance=AttendanceModel(p, fixed=True), dropout=DropoutModel(h, rise), threshold=0
    )
    result = simulate(scenario, runs=2, seed=5)
    # alive[m]: P(still in the group, having missed m meetings)
    alive = np.zeros(MEETINGS + 1)
    alive[0] = 1.0
    for _ in range(MEETINGS):
        stay = alive * (1 - np.minimum(1.0, h + rise * np.arange(MEETINGS + 1)))
        alive = stay * p
        alive[1:] += stay[:-1] * (1 - p)
    _close(PEERS - result.groups["dropouts"], PEERS * alive.sum())


@pytest.mark.parametrize("policy", list(ReschedulePolicy))
def test_cancellation_policy_closed_forms(policy: ReschedulePolicy) -> None:
    """Meetings that take place: drop 8(1 - c); make-up 8(1 - c^2); next-slot E min(8, Bin(16, 1 - c))."""
    c = 0.25
    scenario = _scenario(cancellation=CancellationModel(c, policy), threshold=0)
    taken = _taken(simulate(scenario, runs=2, seed=6))
    if policy is ReschedulePolicy.DROP:
        expected = MEETINGS * (1 - c)
    elif policy is ReschedulePolicy.MAKE_UP:
        expected = MEETINGS * (1 - c**2)
    else:
        slots = 2 * MEETINGS
        expected = sum(
            min(MEETINGS, s) * math.comb(slots, s) * (1 - c) ** s * c ** (slots - s)
            for s in range(slots + 1)
        )
    _close(taken, expected)


def test_certain_events_are_exact() -> None:
    """No chance left: attendance 1, no dropout, no cancellation gives 8 held meetings everywhere."""
    result = simulate(_scenario(groups=50, required_meetings=8), runs=3, seed=7)
    assert (result.groups["meetings_held"] == MEETINGS).all()
    assert result.groups["completed"].all()
    scheduled = _scenario(groups=50, dropout=DropoutModel(1.0, timing="scheduled"))
    assert (simulate(scheduled, runs=1, seed=7).groups["dropouts"] == PEERS).all()
