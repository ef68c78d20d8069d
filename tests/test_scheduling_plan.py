"""plan_schedule: wall-clock time across DST, the method's rhythm, the fast path."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi import Group, Meeting, MeetingStatus, Membership, Role, get_profile, validate
from emessi.errors import DomainError, ScheduleError, UsageError
from emessi.scheduling import (
    AdjustmentKind,
    Blackout,
    SchedulePlan,
    apply_plan,
    plan_schedule,
    plan_starts,
)
from emessi.scheduling._zones import transitions

HELSINKI = ZoneInfo("Europe/Helsinki")


def _helsinki_transitions() -> list[datetime]:
    return [t.at for t in transitions("Europe/Helsinki", 2020, 2035)]


def test_helsinki_has_two_transitions_a_year_2020_2035() -> None:
    """The zone scan finds the 32 EU changes: last Sundays of March and October at 01:00 UTC."""
    found = _helsinki_transitions()
    assert len(found) == 32
    for moment in found:
        assert moment.month in (3, 10)
        assert moment.weekday() == 6
        assert (moment + timedelta(days=7)).month != moment.month
        assert moment.time() == time(1, 0)


@pytest.mark.parametrize("moment", _helsinki_transitions(), ids=lambda m: m.date().isoformat())
def test_meetings_keep_local_time_across_every_helsinki_transition(moment: datetime) -> None:
    """A series straddling each DST change 2020-2035 stays at 14:00 local, offsets change."""
    start = moment.date() - timedelta(days=28 * 3)
    plan = plan_schedule(start, "every 4 weeks on Sunday at 14:00", count=6)
    local = [s.astimezone(HELSINKI) for s in plan.starts]
    assert {s.time() for s in local} == {time(14, 0)}
    assert all(s.weekday() == 6 for s in local)
    assert len({s.utcoffset() for s in local}) == 2
    before = [s for s in plan.starts if s < moment]
    after = [s for s in plan.starts if s > moment]
    assert before
    assert after
    assert plan.adjustments == ()


@pytest.mark.parametrize("moment", _helsinki_transitions(), ids=lambda m: m.date().isoformat())
def test_transition_day_times_follow_the_documented_policy(moment: datetime) -> None:
    """03:30 on a transition day: in spring after the gap (04:30), in autumn the first 03:30."""
    day = moment.date()
    plan = plan_schedule(day, "FREQ=YEARLY;BYHOUR=3;BYMINUTE=30", count=1, strict=False)
    [meeting] = plan.meetings
    [adjustment] = plan.adjustments
    assert adjustment.number == 1
    assert adjustment.original.replace(tzinfo=None) == datetime.combine(day, time(3, 30))
    if day.month == 3:
        assert adjustment.kind is AdjustmentKind.DST_GAP
        assert meeting.start.astimezone(HELSINKI).time() == time(4, 30)
        assert meeting.start.astimezone(UTC).time() == time(1, 30)
    else:
        assert adjustment.kind is AdjustmentKind.DST_FOLD
        assert meeting.start.astimezone(HELSINKI).time() == time(3, 30)
        # The first 03:30 is still summer time (UTC+3), i.e. 00:30 UTC.
        assert meeting.start.astimezone(UTC).time() == time(0, 30)


_FRIENDLY = st.one_of(
    st.builds(
        "{} {} of each month at {}:{:02d}".format,
        st.sampled_from(["first", "second", "third", "fourth", "last"]),
        st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
        st.integers(8, 18),
        st.sampled_from([0, 15, 30, 45]),
    ),
    st.builds(
        "every {} weeks on {} at {}:00".format,
        st.integers(3, 6),
        st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
        st.integers(8, 18),
    ),
    st.builds("the {}th of each month at 10:00".format, st.integers(4, 28)),
    st.builds("every {} days at 13:00".format, st.integers(21, 42)),
)


@given(
    rule=_FRIENDLY,
    start=st.dates(date(2020, 1, 1), date(2040, 12, 31)),
    count=st.integers(6, 8),
    zone=st.sampled_from(
        ["Europe/Helsinki", "Europe/Stockholm", "America/Sao_Paulo", "Asia/Kolkata"]
    ),
    skip=st.booleans(),
)
def test_monthly_plans_pass_the_count_and_rhythm_rules(
    rule: str, start: date, count: int, zone: str, skip: bool
) -> None:
    """Plans for about-monthly rules are made and validate with no count or rhythm error."""
    blackouts = [Blackout(date(start.year, 7, 1), date(start.year, 7, 31), "July")]
    plan = plan_schedule(
        start,
        rule,
        timezone=zone,
        count=count,
        blackouts=blackouts,
        on_excluded="skip" if skip else 7,
    )
    group = apply_plan(Group("g-01", timezone=zone), plan)
    report = validate(group)
    assert not [f for f in report.errors if f.code in ("meeting-count", "meeting-rhythm")]
    assert len(plan.meetings) == count
    assert not any(
        date(start.year, 7, 1) <= local <= date(start.year, 7, 31)
        for local in (m.start.astimezone(ZoneInfo(zone)).date() for m in plan.meetings)
    )


_ANY_RULE = st.one_of(
    _FRIENDLY,
    st.builds(
        "FREQ={};INTERVAL={};BYHOUR=10".format,
        st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]),
        st.integers(1, 20),
    ),
    st.builds(
        "every {} weeks on Friday at 9:00".format,
        st.integers(1, 16),
    ),
)


@given(
    rule=_ANY_RULE,
    start=st.dates(date(2020, 1, 1), date(2040, 12, 31)),
    profile=st.sampled_from(["emessi", "verme"]),
    summer=st.booleans(),
)
def test_any_plan_made_validates_without_count_or_rhythm_errors(
    rule: str, start: date, profile: str, summer: bool
) -> None:
    """Whatever the rule, plan_schedule refuses (ScheduleError) or plans within the profile."""
    blackouts = (
        [Blackout(date(start.year, 6, 1), date(start.year, 8, 31), "summer")] if summer else []
    )
    try:
        plan = plan_schedule(start, rule, profile=profile, blackouts=blackouts)
    except ScheduleError:
        return
    report = validate(apply_plan(Group("g-01"), plan), profile)
    assert not [f for f in report.errors if f.code in ("meeting-count", "meeting-rhythm")]
    assert len(plan.meetings) == get_profile(profile).meetings.preferred[1]


def test_a_weekly_rule_is_refused_with_the_reason() -> None:
    """Weekly meetings break eMessi's rhythm: a ScheduleError names the gap and the range."""
    with pytest.raises(
        ScheduleError, match="7 days after meeting 1, outside the allowed 14-92"
    ) as raised:
        plan_schedule(date(2025, 1, 1), "every Monday at 10:00")
    assert raised.value.path == "meetings[1].start"


def test_a_full_summer_break_is_reported_not_hidden() -> None:
    """A June-August blackout makes a gap over 92 days: refused, or returned with strict=False."""
    summer = [Blackout(date(2025, 6, 1), date(2025, 8, 31), "summer break")]
    rule = "second Tuesday of each month at 14:00"
    with pytest.raises(ScheduleError, match="outside the allowed 14-92 days"):
        plan_schedule(date(2025, 3, 1), rule, blackouts=summer)
    plan = plan_schedule(date(2025, 3, 1), rule, blackouts=summer, strict=False)
    assert [a.reason for a in plan.skipped] == ["summer break"] * 3
    assert "meeting-rhythm" in {f.code for f in plan.check().errors}


def test_defaults_come_from_the_profile() -> None:
    """Count is the preferred maximum, duration the preferred minimum of the profile."""
    emessi = plan_schedule(date(2025, 1, 1), "first Monday of each month at 10:00")
    verme = plan_schedule(date(2025, 1, 1), "first Monday of each month at 10:00", profile="verme")
    assert len(emessi.meetings) == 8
    assert len(verme.meetings) == 10
    assert {m.duration for m in emessi.meetings} == {timedelta(minutes=90)}
    assert plan_schedule(
        date(2025, 1, 1), "first Monday of each month at 10:00", duration=120
    ).meetings[0].duration == timedelta(minutes=120)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"count": 0}, ScheduleError),
        ({"count": 11}, ScheduleError),
        ({"duration": 30}, ScheduleError),
        ({"duration": timedelta(seconds=90)}, ScheduleError),
        ({"duration": "90"}, UsageError),
        ({"on_excluded": 0}, ScheduleError),
        ({"on_excluded": "later"}, ScheduleError),
        ({"holidays": "FI"}, UsageError),
        ({"blackouts": [date(2025, 7, 1)]}, UsageError),
        ({"timezone": "Mars/Olympus"}, LookupError),
    ],
)
def test_bad_arguments_raise_emessi_errors(
    kwargs: dict[str, object], error: type[Exception]
) -> None:
    """Each bad argument gets an EmessiError subclass naming it."""
    with pytest.raises(error):
        plan_schedule(date(2025, 1, 1), "first Monday of each month at 10:00", **kwargs)  # type: ignore[arg-type]


def test_move_policy_moves_and_rechecks() -> None:
    """on_excluded=1 moves to the next day, again while that is excluded too."""
    blackout = [
        Blackout(date(2025, 3, 4), date(2025, 3, 5), "closed"),
    ]
    plan = plan_schedule(
        date(2025, 2, 1),
        "first Tuesday of each month at 10:00",
        count=6,
        blackouts=blackout,
        on_excluded=1,
    )
    [moved] = [a for a in plan.adjustments if a.kind is AdjustmentKind.MOVED]
    assert moved.original.date() == date(2025, 3, 4)
    assert moved.planned is not None
    assert moved.planned.date() == date(2025, 3, 6)
    assert moved.number == 2
    assert plan.meetings[1].start.astimezone(HELSINKI).time() == time(10, 0)


def test_a_move_never_reorders_the_series() -> None:
    """A move past the next occurrence skips that occurrence instead of reordering."""
    blackout = [Blackout(date(2025, 3, 3), date(2025, 3, 3), "closed")]
    plan = plan_schedule(
        date(2025, 3, 3),
        "every 3 weeks on Monday at 10:00",
        count=6,
        blackouts=blackout,
        on_excluded=25,
    )
    assert list(plan.starts) == sorted(plan.starts)
    assert [s.date() for s in plan.starts[:2]] == [date(2025, 3, 28), date(2025, 4, 14)]
    assert plan.skipped[0].original.date() == date(2025, 3, 24)
    assert plan.skipped[0].reason == "too close to the previous meeting, which was moved"


def test_plan_starts_is_the_fast_path_of_plan_schedule() -> None:
    """plan_starts gives exactly the starts plan_schedule plans, and repeats are cached."""
    rule = "every 4 weeks on Thursday at 16:00"
    first = plan_starts(date(2026, 1, 1), rule)
    assert first == plan_schedule(date(2026, 1, 1), rule).starts
    assert plan_starts(date(2026, 1, 1), rule) is first


def test_plans_are_deterministic_values() -> None:
    """The same arguments give equal plans; meetings carry the series id."""
    a = plan_schedule(date(2026, 1, 1), "last Friday monthly at 13:00", series="s-1")
    b = plan_schedule(date(2026, 1, 1), "last Friday monthly at 13:00", series="s-1")
    assert a == b
    assert {m.series for m in a.meetings} == {"s-1"}
    assert [m.number for m in a.meetings] == list(range(1, 9))


def test_apply_plan_refuses_other_zones_existing_meetings_and_held_ones() -> None:
    """apply_plan checks the zone and never drops meetings silently."""
    plan = plan_schedule(date(2026, 1, 1), "last Friday monthly at 13:00")
    with pytest.raises(ScheduleError, match="keeps time in"):
        apply_plan(Group("g-01", timezone="Europe/Stockholm"), plan)
    group = apply_plan(Group("g-01"), plan)
    with pytest.raises(ScheduleError, match="replace=True"):
        apply_plan(group, plan)
    assert apply_plan(group, plan, replace=True) == group
    held = attrs.evolve(
        group, meetings=[attrs.evolve(group.meetings[0], status=MeetingStatus.HELD)]
    )
    with pytest.raises(DomainError):
        apply_plan(held, plan, replace=True)


def test_apply_plan_does_not_touch_the_callers_group() -> None:
    """The group passed in is unchanged; a new one is returned."""
    group = Group("g-01", memberships=[Membership("f-01", Role.FACILITATOR)])
    before = attrs.evolve(group)
    new = apply_plan(group, plan_schedule(date(2026, 1, 1), "last Friday monthly at 13:00"))
    assert group == before
    assert group.meetings == ()
    assert len(new.meetings) == 8


def test_schedule_plan_check_reports_warnings() -> None:
    """A plan with 10-week gaps is allowed but warned about."""
    plan = plan_schedule(date(2026, 1, 1), "every 10 weeks on Monday at 10:00", count=6)
    report = plan.check()
    assert report.ok
    assert {f.code for f in report.warnings} == {"meeting-rhythm"}
    assert isinstance(plan, SchedulePlan)


def test_meetings_are_aware_in_the_zone() -> None:
    """Every planned start carries the plan's zone."""
    plan = plan_schedule(
        date(2026, 1, 1), "last Friday monthly at 13:00", timezone="America/New_York"
    )
    assert all(isinstance(m, Meeting) for m in plan.meetings)
    assert {m.start.tzinfo for m in plan.meetings} == {ZoneInfo("America/New_York")}
