"""Recurrence rules: the English grammar, RRULE text, rrule objects, bounds."""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time

import pytest
from dateutil.rrule import MONTHLY, TU, rrule
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import EmessiError, RecurrenceError, ScheduleError
from emessi.scheduling import SchedulePlan, parse_recurrence, plan_schedule, plan_starts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "second Tuesday of each month at 14:00",
            "FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=14;BYMINUTE=0;BYSECOND=0",
        ),
        (
            "  The LAST friday   Monthly at 1pm ",
            "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=13;BYMINUTE=0;BYSECOND=0",
        ),
        (
            "every 4 weeks on Monday at 9:30",
            "FREQ=WEEKLY;INTERVAL=4;BYDAY=MO;BYHOUR=9;BYMINUTE=30;BYSECOND=0",
        ),
        (
            "every other week on thu at 10.15",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=10;BYMINUTE=15;BYSECOND=0",
        ),
        ("every Wednesday at 8", "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;BYHOUR=8;BYMINUTE=0;BYSECOND=0"),
        (
            "the 15th of each month at 12:00",
            "FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=12;BYMINUTE=0;BYSECOND=0",
        ),
        ("every 28 days at 16:45", "FREQ=DAILY;INTERVAL=28;BYHOUR=16;BYMINUTE=45;BYSECOND=0"),
        ("rrule:freq=monthly;byday=1mo;byhour=9", "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9"),
    ],
)
def test_parse_recurrence_reads_the_documented_forms(text: str, expected: str) -> None:
    """Every documented English form and RRULE text becomes the expected RRULE."""
    assert parse_recurrence(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "whenever we feel like it",
        "second Tuesday of each month",
        "fifth Monday of each month at 10:00",
        "every 4 weeks on Monday at 25:00",
        "every 4 weeks on Monday at 13pm",
        "the 32nd of each month at 10:00",
        "FREQ=SOMETIMES",
        "FREQ=MONTHLY;BYDAY=XX",
        "DTSTART:20250101T100000\nRRULE:FREQ=MONTHLY",
        "",
    ],
)
def test_parse_recurrence_refuses_unreadable_text(text: str) -> None:
    """Text that is neither form raises RecurrenceError with the path 'rule'."""
    with pytest.raises(RecurrenceError) as raised:
        parse_recurrence(text)
    assert raised.value.path == "rule"


def test_error_messages_do_not_echo_the_rule_text() -> None:
    """A bad rule's message names the part, not the caller's text."""
    with pytest.raises(RecurrenceError) as raised:
        parse_recurrence("FREQ=MONTHLY;BYDAY=SECRETWORD")
    assert "SECRETWORD" not in str(raised.value)
    assert "BYDAY" in str(raised.value)


def test_friendly_text_rrule_text_and_rrule_object_plan_the_same() -> None:
    """The three ways to give a recurrence plan identical meetings."""
    start = date(2025, 9, 1)
    friendly = plan_schedule(start, "second Tuesday of each month at 14:00")
    text = plan_schedule(start, "FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=14;BYMINUTE=0")
    obj = plan_schedule(
        start, rrule(MONTHLY, byweekday=TU(2), byhour=14, byminute=0, dtstart=datetime(1999, 1, 1))
    )
    assert friendly.starts == text.starts == obj.starts
    assert [s.strftime("%a %H:%M") for s in friendly.starts] == ["Tue 14:00"] * 8


def test_time_of_day_comes_from_a_datetime_start_when_the_rule_has_none() -> None:
    """An RRULE without BYHOUR takes the start's time; with a bare date it is an error."""
    starts = plan_starts(datetime(2025, 9, 2, 9, 30), "FREQ=WEEKLY;INTERVAL=4")
    assert {s.time() for s in starts} == {time(9, 30)}
    with pytest.raises(RecurrenceError, match="time of day"):
        plan_starts(date(2025, 9, 2), "FREQ=WEEKLY;INTERVAL=4")


def test_aware_start_is_read_in_the_plan_zone() -> None:
    """An aware start is converted to the plan's zone before the rule runs."""
    from zoneinfo import ZoneInfo

    start = datetime(2025, 9, 2, 6, 30, tzinfo=ZoneInfo("UTC"))
    starts = plan_starts(start, "FREQ=WEEKLY;INTERVAL=4", timezone="Europe/Helsinki", count=6)
    assert starts[0].isoformat() == "2025-09-02T09:30:00+03:00"


def test_until_in_utc_is_accepted_and_bounds_the_plan() -> None:
    """UNTIL=...Z (as calendar clients write it) bounds the series."""
    starts = plan_starts(
        date(2025, 1, 1),
        "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=10;UNTIL=20250701T000000Z",
        count=6,
    )
    assert len(starts) == 6
    with pytest.raises(ScheduleError, match="only 6 of 7"):
        plan_starts(
            date(2025, 1, 1), "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=10;UNTIL=20250701T000000Z", count=7
        )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=MONTHLY;INTERVAL=0;BYHOUR=10", "INTERVAL must be at least 1"),
        ("FREQ=MONTHLY;COUNT=1000000;BYHOUR=10", "COUNT must be within"),
        ("FREQ=MONTHLY;COUNT=8;UNTIL=20260101;BYHOUR=10", "COUNT and UNTIL"),
        ("FREQ=MINUTELY;BYHOUR=10", "DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=MONTHLY;INTERVAL=1000;BYHOUR=10", "repeats less than once"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=10", "no occurrence within 5 years"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;BYHOUR=10", "no occurrence within 5 years"),
        ("FREQ=MONTHLY;BYEASTER=0;BYHOUR=10", "BYEASTER"),
        ("FREQ=MONTHLY;BYHOUR=10;UNTIL=20200101", "UNTIL is before the start"),
    ],
)
def test_unbounded_or_impossible_rules_are_refused(rule: str, message: str) -> None:
    """INTERVAL=0, a huge COUNT, sub-daily rules and rules that never match are errors."""
    with pytest.raises(RecurrenceError, match=message):
        plan_schedule(date(2025, 1, 1), rule)


def test_a_rule_without_an_end_is_fine() -> None:
    """No COUNT and no UNTIL: the planner bounds the rule itself."""
    plan = plan_schedule(date(2025, 1, 1), "FREQ=MONTHLY;BYDAY=1WE;BYHOUR=10")
    assert len(plan.meetings) == 8


def test_start_outside_the_supported_years_is_refused() -> None:
    """Start years outside 1900-2200 get a RecurrenceError, not an overflow."""
    with pytest.raises(RecurrenceError, match="1900-2200"):
        plan_schedule(date(9998, 1, 1), "every 4 weeks on Monday at 10:00")


_PARTS = st.one_of(
    st.sampled_from(
        ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "X"]
    ).map(lambda f: f"FREQ={f}"),
    st.integers(-3, 10**7).map(lambda n: f"INTERVAL={n}"),
    st.integers(-3, 10**7).map(lambda n: f"COUNT={n}"),
    st.dates(date(1890, 1, 1), date(2600, 1, 1)).map(lambda d: f"UNTIL={d:%Y%m%d}"),
    st.dates(date(1990, 1, 1), date(2060, 1, 1)).map(lambda d: f"UNTIL={d:%Y%m%d}T000000Z"),
    st.lists(
        st.tuples(
            st.integers(-60, 60), st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
        ),
        min_size=1,
        max_size=3,
    ).map(lambda days: "BYDAY=" + ",".join(f"{n or ''}{d}" for n, d in days)),
    st.lists(st.integers(-40, 40), min_size=1, max_size=3).map(
        lambda v: "BYMONTHDAY=" + ",".join(map(str, v))
    ),
    st.lists(st.integers(-1, 13), min_size=1, max_size=3).map(
        lambda v: "BYMONTH=" + ",".join(map(str, v))
    ),
    st.lists(st.integers(-400, 400), min_size=1, max_size=2).map(
        lambda v: "BYYEARDAY=" + ",".join(map(str, v))
    ),
    st.lists(st.integers(-60, 60), min_size=1, max_size=2).map(
        lambda v: "BYWEEKNO=" + ",".join(map(str, v))
    ),
    st.lists(st.integers(-400, 400), min_size=1, max_size=2).map(
        lambda v: "BYSETPOS=" + ",".join(map(str, v))
    ),
    st.lists(st.integers(-1, 25), min_size=1, max_size=3).map(
        lambda v: "BYHOUR=" + ",".join(map(str, v))
    ),
    st.lists(st.integers(0, 61), min_size=1, max_size=3).map(
        lambda v: "BYMINUTE=" + ",".join(map(str, v))
    ),
    st.sampled_from(["WKST=MO", "WKST=SU", "BYEASTER=1", "X-NAME=1", "BYSECOND=0,30"]),
)
_HOSTILE = st.one_of(
    st.lists(_PARTS, min_size=1, max_size=7).map(";".join),
    st.lists(_PARTS, min_size=1, max_size=6).map(lambda parts: "FREQ=DAILY;" + ";".join(parts)),
    st.text(max_size=60),
)


@given(
    rule=_HOSTILE,
    start=st.datetimes(datetime(1995, 1, 1), datetime(2110, 12, 31)),
    zone=st.sampled_from(["Europe/Helsinki", "America/New_York", "Australia/Lord_Howe", "UTC"]),
)
def test_hostile_rules_give_a_plan_or_an_emessi_error_in_bounded_time(
    rule: str, start: datetime, zone: str
) -> None:
    """Any RRULE-like text plans or raises an EmessiError, within 2 seconds."""
    began = clock.perf_counter()
    try:
        plan = plan_schedule(start, rule, timezone=zone, count=6, strict=False)
    except EmessiError:
        pass
    else:
        assert isinstance(plan, SchedulePlan)
        assert len(plan.meetings) == 6
        assert list(plan.starts) == sorted(plan.starts)
    assert clock.perf_counter() - began < 2.0
