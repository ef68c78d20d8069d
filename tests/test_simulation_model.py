"""The simulated model: statistical sanity, policies, dates and exclusions."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emessi.model import Group, Membership, Programme, Role
from emessi.scheduling import Blackout, PublicHolidays
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    FacilitatorPool,
    ReschedulePolicy,
    Scenario,
    StartWindow,
    _dates,
    simulate,
)

SEPTEMBER = StartWindow(date(2025, 9, 1), date(2025, 9, 30))
CALM = {
    "dropout": DropoutModel(0.0),
    "cancellation": CancellationModel(0.0),
}


def _scenario(**changes: Any) -> Scenario:
    return Scenario(**{"start": SEPTEMBER, **CALM, **changes})


def _local(stamps: Any) -> list[datetime]:
    """Helsinki wall-clock datetimes of datetime64 UTC stamps."""
    seconds = np.asarray(stamps).astype("datetime64[s]").astype("int64").tolist()
    return [datetime.fromtimestamp(s, UTC).astimezone(_helsinki()) for s in seconds]


@pytest.mark.parametrize(("mean", "concentration"), [(0.3, 2.0), (0.62, 10.0), (0.9, 50.0)])
def test_attendance_rate_converges_to_the_mean(mean: float, concentration: float) -> None:
    """With no dropout, the pooled attendance rate is the mean propensity, within 5 sigma."""
    groups, peers, runs = 1500, 6, 2
    scenario = _scenario(
        groups=groups,
        peers=peers,
        threshold=0,
        attendance=AttendanceModel(mean, concentration),
    )
    result = simulate(scenario, runs=runs, seed=11)
    meetings = result.meetings
    rate = meetings["present"].sum() / meetings["active"].sum()
    # Each peer has a propensity p ~ Beta (variance mean(1-mean)/(k+1)) and
    # attends each of m meetings with p: the pooled rate over n peers has
    # variance Var(p)/n + E[p(1-p)]/(n m).
    n, m = groups * peers * runs, 8
    spread = mean * (1 - mean) / (concentration + 1)
    sigma = math.sqrt(spread / n + (mean * (1 - mean) - spread) / (n * m))
    assert abs(rate - mean) < 5 * sigma
    assert (meetings["active"] == peers).all()


def test_without_cancellation_every_group_holds_all_planned_meetings() -> None:
    """Cancellation 0 and no exclusions: every planned meeting takes place as planned."""
    result = simulate(_scenario(groups=40), runs=5, seed=2)
    meetings = result.meetings
    assert not meetings["cancelled"].any()
    assert not meetings["rescheduled"].any()
    assert (meetings["actual"] == meetings["planned"]).all()


def test_full_attendance_holds_and_completes_every_meeting() -> None:
    """Attendance 1, no dropout, no cancellation: every meeting held, every group complete."""
    result = simulate(_scenario(groups=25, attendance=AttendanceModel(1.0)), runs=3, seed=5)
    assert result.meetings["held"].all()
    assert (result.groups["meetings_held"] == 8).all()
    assert result.runs["completion_rate"].tolist() == [1.0, 1.0, 1.0]
    assert (result.groups["attendance_rate"] == 1.0).all()


def test_certain_dropout_empties_every_group() -> None:
    """A hazard of 1: every peer leaves before the first meeting; nothing is held."""
    result = simulate(_scenario(groups=10, dropout=DropoutModel(1.0)), runs=2, seed=1)
    assert not result.meetings["held"].any()
    assert (result.groups["dropouts"] == 6).all()
    assert np.isnat(result.groups["end"]).all()
    assert np.isnan(result.groups["attendance_rate"]).all()


@pytest.mark.parametrize("policy", list(ReschedulePolicy))
def test_certain_cancellation_cancels_everything(policy: ReschedulePolicy) -> None:
    """Cancellation 1: no meeting takes place, whatever the policy."""
    scenario = _scenario(groups=10, cancellation=CancellationModel(1.0, policy))
    result = simulate(scenario, runs=2, seed=1)
    assert result.meetings["cancelled"].all()
    assert np.isnat(result.meetings["actual"]).all()
    assert (result.groups["facilitator_hours"] == 0).all()


def test_rising_hazard_raises_dropout() -> None:
    """Each missed meeting raising the hazard gives more dropouts than a flat hazard."""
    flat = _scenario(groups=400, dropout=DropoutModel(0.02), attendance=AttendanceModel(0.6))
    rising = _scenario(groups=400, dropout=DropoutModel(0.02, 0.1), attendance=AttendanceModel(0.6))
    calm = simulate(flat, runs=2, seed=3).runs["dropouts"].sum()
    worse = simulate(rising, runs=2, seed=3).runs["dropouts"].sum()
    assert worse > 1.5 * calm


def test_make_up_meetings_are_a_week_later() -> None:
    """Under make-up, a rescheduled meeting takes place 7 days after its planned slot."""
    scenario = _scenario(groups=30, cancellation=CancellationModel(0.3, ReschedulePolicy.MAKE_UP))
    meetings = simulate(scenario, runs=3, seed=4).meetings
    moved = meetings["rescheduled"]
    assert moved.any()
    pairs = zip(_local(meetings["actual"][moved]), _local(meetings["planned"][moved]), strict=True)
    for actual, planned in pairs:
        assert actual.date() - planned.date() == timedelta(days=7)
        assert actual.time() == planned.time()
    assert meetings["cancelled"].any()  # some make-ups were cancelled too


def test_next_slot_keeps_the_series_in_order() -> None:
    """Under next-slot, a group's meetings take place in order, on the rule's later slots."""
    scenario = _scenario(groups=30, cancellation=CancellationModel(0.3, ReschedulePolicy.NEXT_SLOT))
    result = simulate(scenario, runs=3, seed=4)
    meetings = result.meetings
    actual = meetings["actual"].reshape(3, 30, 8)
    planned = meetings["planned"].reshape(3, 30, 8)
    took = ~np.isnat(actual)
    assert meetings["rescheduled"].any()
    # meetings that took place are a prefix of the series, strictly in time order
    assert (took[..., :-1] >= took[..., 1:]).all()
    steps = np.diff(actual.astype("int64"), axis=-1)
    both = took[..., :-1] & took[..., 1:]
    assert (steps[both] > 0).all()
    assert (actual[took] >= planned[took]).all()
    # a moved meeting lands on a slot of the rule: a whole number of 4 weeks later
    pairs = zip(_local(actual[took]), _local(planned[took]), strict=True)
    assert all((a.date() - p.date()).days % 28 == 0 for a, p in pairs)


def test_drop_policy_never_reschedules() -> None:
    """Under drop, a cancelled meeting is lost and nothing moves."""
    scenario = _scenario(groups=30, cancellation=CancellationModel(0.3, ReschedulePolicy.DROP))
    meetings = simulate(scenario, runs=2, seed=9).meetings
    assert meetings["cancelled"].any()
    assert not meetings["rescheduled"].any()


def test_holidays_and_blackouts_are_avoided() -> None:
    """No planned or make-up meeting falls on a Finnish holiday or in the summer break."""
    summer = Blackout(date(2026, 6, 1), date(2026, 8, 15), "summer break")
    finland = PublicHolidays("FI")
    scenario = _scenario(
        groups=60,
        recurrences=["FREQ=WEEKLY;INTERVAL=2", "every 4 weeks on Friday at 13:00"],
        meetings=10,
        holidays=finland,
        blackouts=[summer],
        cancellation=CancellationModel(0.3, ReschedulePolicy.MAKE_UP),
        start=StartWindow(date(2025, 12, 1), date(2026, 3, 31)),
    )
    meetings = simulate(scenario, runs=2, seed=6).meetings
    days_off = finland.days_off(date(2025, 12, 1), date(2027, 12, 31))
    for column in ("planned", "actual"):
        stamps = np.unique(meetings[column][~np.isnat(meetings[column])])
        local = {moment.date() for moment in _local(stamps)}
        assert not local & set(days_off)
        assert not any(summer.covers(day) for day in local)


def _helsinki() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Helsinki")


def test_meetings_keep_local_time_across_dst() -> None:
    """Planned starts stay at 14:00 Helsinki time through the October and March changes."""
    meetings = simulate(_scenario(groups=5), runs=1, seed=0).meetings
    for local in _local(meetings["planned"]):
        assert (local.hour, local.minute) == (14, 0)


def test_each_distinct_plan_is_planned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 groups on 3 rules over a 30-day window ask the planner for at most 90 plans."""
    calls: list[object] = []
    real = _dates.plan_starts

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(_dates, "plan_starts", counting)
    scenario = _scenario(
        groups=10_000,
        recurrences=[
            "FREQ=WEEKLY;INTERVAL=4",
            "every 4 weeks on Monday at 9:30",
            "second Tuesday of each month at 14:00",
        ],
    )
    simulate(scenario, runs=1, seed=0)
    assert 0 < len(calls) <= 3 * 30


def test_group_starts_spread_over_the_window() -> None:
    """First meetings fall within the window's first weeks and on many different days."""
    meetings = simulate(_scenario(groups=30), runs=1, seed=0).meetings
    first = meetings["planned"][meetings["meeting"] == 1].astype("datetime64[D]")
    assert first.min() >= np.datetime64("2025-09-01")
    assert first.max() <= np.datetime64("2025-09-30")
    assert len(np.unique(first)) == 30


def test_programme_template_sets_sizes_and_facilitators() -> None:
    """A programme's groups give the cohort its group ids, sizes and facilitators."""
    groups = [
        Group(
            f"g-{n:02d}",
            memberships=[Membership(f"p-{n}-{k}") for k in range(4 + n)]
            + [Membership(f"f-{n // 2}", Role.FACILITATOR)],
        )
        for n in range(4)
    ]
    scenario = _scenario(
        programme=Programme("cohort", groups=groups), attendance=AttendanceModel(1.0)
    )
    result = simulate(scenario, runs=2, seed=0)
    assert result.group_ids == ("g-00", "g-01", "g-02", "g-03")
    assert result.groups["peers"].tolist() == [4, 5, 6, 7] * 2
    assert result.groups["facilitator"].tolist() == [0, 0, 1, 1] * 2
    # two groups each, 8 meetings of 90 minutes: 24 hours for the busiest
    assert result.runs["busiest_facilitator_hours"].tolist() == [24.0, 24.0]


def test_facilitator_hours_follow_duration_and_pool() -> None:
    """Hours are meetings that took place times the duration; the pool shares groups out."""
    scenario = _scenario(
        groups=9, duration_minutes=120, facilitators=FacilitatorPool(size=3, max_groups=3)
    )
    result = simulate(scenario, runs=1, seed=0)
    assert result.runs["facilitator_hours"].tolist() == [9 * 8 * 2.0]
    assert result.runs["busiest_facilitator_hours"].tolist() == [3 * 8 * 2.0]
    assert sorted(set(result.groups["facilitator"].tolist())) == [0, 1, 2]


@settings(max_examples=25)
@given(
    mean=st.floats(0.0, 1.0),
    hazard=st.floats(0.0, 0.5),
    cancel=st.floats(0.0, 0.6),
    policy=st.sampled_from(ReschedulePolicy),
    peers=st.integers(4, 8),
    seed=st.integers(0, 2**32),
)
def test_tables_are_consistent(
    mean: float, hazard: float, cancel: float, policy: ReschedulePolicy, peers: int, seed: int
) -> None:
    """Counts agree between tables, and every count stays within its bounds."""
    scenario = Scenario(
        start=SEPTEMBER,
        groups=7,
        peers=peers,
        attendance=AttendanceModel(mean),
        dropout=DropoutModel(hazard, 0.05),
        cancellation=CancellationModel(cancel, policy),
    )
    result = simulate(scenario, runs=3, seed=seed)
    meetings, groups, runs = result.meetings, result.groups, result.runs
    assert (meetings["present"] <= meetings["active"]).all()
    assert (meetings["active"] <= peers).all()
    assert (meetings["held"] == (~meetings["cancelled"] & (meetings["present"] >= 4))).all()
    held = meetings["held"].reshape(3, 7, 8).sum(-1).reshape(-1)
    assert (groups["meetings_held"] == held).all()
    assert (groups["completed"] == (held >= 6)).all()
    assert (np.isnat(groups["completed_on"]) == ~groups["completed"]).all()
    assert (runs["groups_completed"] == groups["completed"].reshape(3, 7).sum(-1)).all()
    assert (runs["meetings_held"] == held.reshape(3, 7).sum(-1)).all()
    done = groups["completed"]
    assert (groups["completed_on"][done] <= groups["end"][done]).all()
    # active peers never come back
    active = meetings["active"].reshape(3, 7, 8).astype(int)
    took = ~meetings["cancelled"].reshape(3, 7, 8)
    for run in range(3):
        for group in range(7):
            seen = active[run, group][took[run, group]]
            assert (np.diff(seen) <= 0).all()


def test_rescheduling_date_gap_is_never_negative() -> None:
    """No meeting takes place before it was planned, under any policy."""
    for policy in ReschedulePolicy:
        scenario = _scenario(groups=20, cancellation=CancellationModel(0.4, policy))
        meetings = simulate(scenario, runs=2, seed=8).meetings
        took = ~meetings["cancelled"]
        gap = meetings["actual"][took] - meetings["planned"][took]
        assert (gap >= np.timedelta64(timedelta(0))).all()
