"""Issue 10 item 1 for scheduling: every wrong argument refused at the door, with a path.

Wrong types are UsageErrors (TypeErrors) from the run-time checks; wrong
values keep the package's own ScheduleError/RecurrenceError; messages never
repeat what the caller passed.
"""

from __future__ import annotations

import time as _time
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi import Group, Membership, Programme, Role
from emessi.errors import (
    DomainError,
    EmessiError,
    RecurrenceError,
    ScheduleError,
    UnknownMemberError,
    UnknownProfileError,
    UnknownTimeZoneError,
    UnknownValueError,
    UsageError,
)
from emessi.io.ical import dump_ical
from emessi.model._strict import call_checked, check_for
from emessi.scheduling import (
    AdjustmentKind,
    Answer,
    Blackout,
    ObstacleKind,
    PersonLoad,
    PlanWeights,
    Poll,
    PublicHolidays,
    SchedulePlan,
    Slot,
    Vote,
    apply_plan,
    common_slots,
    excluded_days,
    expected_attendance,
    load_report,
    parse_recurrence,
    plan_programme,
    plan_schedule,
    plan_starts,
    rank_slots,
    reschedule_meeting,
)

RULE = "second Tuesday of each month at 14:00"
START = date(2026, 9, 1)
SECRET = "Aino Virtanen <aino@example.org>"
STAFF = [Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)]
SLOTS = [Slot("tue-14", "Tuesday", time(14))]
POLL = Poll.from_answers(SLOTS, {"p-01": {"tue-14": "yes"}})


def _failing() -> Iterator[Blackout]:
    yield Blackout(date(2026, 7, 1), date(2026, 7, 2))
    raise ValueError(SECRET)


def _refused(kind: type[EmessiError], path: str, call: Any) -> EmessiError:
    with pytest.raises(kind) as caught:
        call()
    error = caught.value
    assert error.path == path
    assert "Aino" not in str(error)
    assert error.__cause__ is None
    assert error.__context__ is None
    return error


# -- enums --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [AdjustmentKind, Answer, ObstacleKind])
def test_enums_list_their_values_and_members(kind: Any) -> None:
    """An unknown value lists the allowed ones; an unknown member name lists the members."""
    with pytest.raises(UnknownValueError) as caught:
        kind(SECRET)
    assert "expected one of" in caught.value.message
    assert "Aino" not in str(caught.value)
    with pytest.raises(UnknownMemberError):
        _ = kind.NOPE


def test_an_answer_given_as_its_value_becomes_the_member() -> None:
    """Vote(..., "if-need-be") holds Answer.IF_NEED_BE; an unknown answer is refused at answer."""
    assert Vote("p-01", "s-1", "if-need-be").answer is Answer.IF_NEED_BE  # type: ignore[arg-type]
    _refused(UnknownValueError, "answer", lambda: Vote("p-01", "s-1", SECRET))
    _refused(DomainError, "slot", lambda: Vote("p-01", SECRET, "yes"))


def test_roles_given_as_values_are_converted() -> None:
    """PersonLoad(roles=["facilitator"]) and load_report(roles=["observer"]) take role values."""
    load = PersonLoad("f-01", ["facilitator"], ["g-01"])  # type: ignore[list-item]
    assert load.roles == (Role.FACILITATOR,)
    group = Group("g-01", memberships=STAFF)
    assert [x.person for x in load_report(Programme("c", groups=[group]), ["observer"])] == [  # type: ignore[list-item]
        "o-01"
    ]
    _refused(UnknownValueError, "roles[0]", lambda: load_report(Programme("c"), [SECRET]))


# -- classes ------------------------------------------------------------------------


def test_classes_refuse_wrong_types_at_the_field() -> None:
    """Each public class checks its fields' types where the object is made."""
    _refused(UsageError, "first", lambda: Blackout("2026-07-01", date(2026, 7, 2)))  # type: ignore[arg-type]
    _refused(DomainError, "first", lambda: Blackout(date(1, 1, 1), date(2026, 7, 2)))
    _refused(UsageError, "label", lambda: Blackout(date(2026, 7, 1), date(2026, 7, 2), 5))  # type: ignore[arg-type]
    _refused(UsageError, "weekday", lambda: Slot("s-1", [1], time(9)))  # type: ignore[arg-type]
    _refused(ScheduleError, "weekday", lambda: Slot("s-1", 9, time(9)))
    _refused(ScheduleError, "start", lambda: Slot("s-1", start=datetime(2026, 1, 1, 9)))
    _refused(UsageError, "at", lambda: Slot("s-1", 1, "09:00"))  # type: ignore[arg-type]
    _refused(UsageError, "no", lambda: PlanWeights(no="1"))  # type: ignore[arg-type]
    _refused(UnknownTimeZoneError, "timezone", lambda: SchedulePlan((), timezone="Mars/Olympus"))
    _refused(UsageError, "country", lambda: PublicHolidays(["FI"]))  # type: ignore[arg-type]


def test_collections_refuse_a_bare_str_and_wrong_items() -> None:
    """Poll(slots="tue-14") is refused, not read as characters; items are checked by index."""
    _refused(UsageError, "slots", lambda: Poll("tue-14"))  # type: ignore[arg-type]
    _refused(UsageError, "votes[0]", lambda: Poll(SLOTS, ["p-01"]))  # type: ignore[list-item]
    _refused(UsageError, "groups", lambda: PersonLoad("f-01", (), "g-01"))


def test_an_iterable_that_fails_while_read_is_a_usage_error() -> None:
    """A generator that raises is the caller's mistake: a UsageError, its text not echoed."""
    _refused(UsageError, "slots", lambda: Poll(_failing()))  # type: ignore[arg-type]
    _refused(UsageError, "memberships", lambda: Group("g-01", memberships=_failing()))  # type: ignore[arg-type]


# -- plan_schedule and plan_starts ---------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "kind", "path"),
    [
        ({"count": "8"}, UsageError, "count"),
        ({"count": 10**20}, ScheduleError, "count"),
        ({"count": 101}, ScheduleError, "count"),
        ({"duration": 10**15}, ScheduleError, "duration"),
        ({"duration": timedelta(days=10**6)}, ScheduleError, "duration"),
        ({"duration": 24 * 60 + 1}, ScheduleError, "duration"),
        ({"timezone": 5}, UsageError, "timezone"),
        ({"timezone": SECRET}, UnknownTimeZoneError, "timezone"),
        ({"profile": 5}, UsageError, "profile"),
        ({"profile": "nope"}, UnknownProfileError, "profile"),
        ({"blackouts": 5}, UsageError, "blackouts"),
        ({"blackouts": "summer"}, UsageError, "blackouts"),
        ({"blackouts": [SECRET]}, UsageError, "blackouts[0]"),
        ({"on_excluded": 2.5}, UsageError, "on_excluded"),
        ({"on_excluded": 99}, ScheduleError, "on_excluded"),
        ({"on_excluded": SECRET}, ScheduleError, "on_excluded"),
        ({"strict": "yes"}, UsageError, "strict"),
        ({"series": 5}, UsageError, "series"),
    ],
)
def test_plan_schedule_checks_every_argument(
    arguments: dict[str, Any], kind: type[EmessiError], path: str
) -> None:
    """Wrong types are UsageErrors, wrong values the planner's own errors, each at its path."""
    _refused(kind, path, lambda: plan_schedule(START, RULE, **arguments))
    if "series" not in arguments and "duration" not in arguments:
        _refused(kind, path, lambda: plan_starts(START, RULE, **arguments))


def test_blackouts_from_a_failing_generator() -> None:
    """The generator's exception (and its text) does not leave plan_schedule."""
    _refused(UsageError, "blackouts", lambda: plan_schedule(START, RULE, blackouts=_failing()))


@pytest.mark.parametrize("start", ["2026-09-01", 20260901, None])
def test_a_start_of_the_wrong_type(start: Any) -> None:
    """start is a date or a datetime: anything else is a UsageError (was a RecurrenceError)."""
    _refused(UsageError, "start", lambda: plan_schedule(start, RULE))


@pytest.mark.parametrize("start", [date(1, 1, 1), date(9999, 12, 31), datetime(2201, 1, 1, 9)])
def test_a_start_outside_the_years(start: date) -> None:
    """Start years outside 1900-2200 (emessi's bound for every date) are a RecurrenceError."""
    _refused(RecurrenceError, "start", lambda: plan_starts(start, RULE))


@pytest.mark.parametrize("rule", [["FREQ=MONTHLY"], 5, b"FREQ=MONTHLY", None])
def test_a_rule_of_the_wrong_type(rule: Any) -> None:
    """A rule is text or a dateutil rrule: anything else is a UsageError at rule."""
    _refused(UsageError, "rule", lambda: plan_schedule(START, rule))


def test_the_old_failures_of_the_issue() -> None:
    """UNTIL at the end of time plans; a huge duration is a ScheduleError, not OverflowError."""
    plan = plan_schedule(
        START, "FREQ=MONTHLY;BYDAY=2TU;BYHOUR=14;UNTIL=99991231T235959Z", count=6, strict=False
    )
    assert len(plan.meetings) == 6
    _refused(ScheduleError, "duration", lambda: plan_schedule(START, RULE, duration=10**15))


def test_wrong_calls_are_usage_errors() -> None:
    """A missing or unknown argument is a UsageError naming the call, not a bare TypeError."""
    with pytest.raises(UsageError, match="plan_schedule"):
        plan_schedule(START, RULE, colour="red")  # type: ignore[call-arg]
    with pytest.raises(UsageError, match="plan_starts"):
        plan_starts(START)  # type: ignore[call-arg]
    with pytest.raises(UsageError, match="parse_recurrence"):
        parse_recurrence()  # type: ignore[call-arg]
    with pytest.raises(UsageError, match="answer"):
        POLL.answer("p-01")  # type: ignore[call-arg]


def test_parse_recurrence_checks_its_text() -> None:
    """parse_recurrence: a wrong type is a UsageError, an over-long rule a RecurrenceError."""
    _refused(UsageError, "text", lambda: parse_recurrence(["FREQ=DAILY"]))  # type: ignore[arg-type]
    _refused(DomainError, "text", lambda: parse_recurrence("FREQ=DAILY\ud800"))
    rule = "FREQ=MONTHLY;BYMONTHDAY=" + ",".join(["1"] * 100_000)
    _refused(DomainError, "text", lambda: parse_recurrence(rule))
    rule = "FREQ=MONTHLY;BYMONTHDAY=" + ",".join(["1"] * 1000)
    _refused(RecurrenceError, "rule", lambda: parse_recurrence(rule))


# -- other entry points -------------------------------------------------------------


def test_plan_programme_checks_its_arguments() -> None:
    """Effort has a ceiling; wrong types are UsageErrors; an away list that fails is one too."""
    cohort = Programme("c", groups=[Group("g-01", memberships=STAFF)])

    def plan(**options: Any) -> Any:
        return lambda: plan_programme(cohort, START, **{"rule": RULE, **options})

    _refused(ScheduleError, "effort", plan(effort=1e9))
    _refused(UsageError, "effort", plan(effort="1"))
    _refused(DomainError, "effort", plan(effort=float("nan")))
    _refused(DomainError, "seed", plan(seed=2**70))
    _refused(UsageError, "end", plan(end=datetime(2027, 1, 1, tzinfo=UTC)))
    _refused(UsageError, "buffer", plan(buffer="30"))
    _refused(UsageError, "away['f-01']", plan(away={"f-01": _failing()}))
    _refused(UsageError, "rule", plan(rule=[5]))


def test_functions_refuse_bare_strings_for_collections() -> None:
    """rank_slots(required="f-01"), common_slots(poll, "p-01") are refused, not read as letters."""
    _refused(UsageError, "required", lambda: rank_slots(POLL, required="f-01"))
    _refused(UsageError, "people", lambda: common_slots(POLL, "p-01"))
    group = Group("g-01", memberships=STAFF)
    _refused(
        UsageError,
        "unavailable[0]",
        lambda: expected_attendance(group, {"f-01": "2026-10-13"}),  # type: ignore[dict-item]
    )


class _Broken:
    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def days_off(self, first: date, last: date) -> Any:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_a_holiday_calendar_that_fails() -> None:
    """A caller's calendar that raises or answers nonsense is a ScheduleError at holidays."""
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    _refused(
        ScheduleError, "holidays", lambda: excluded_days(first, last, _Broken(KeyError(SECRET)))
    )
    _refused(ScheduleError, "holidays", lambda: excluded_days(first, last, _Broken(None)))
    _refused(
        ScheduleError, "holidays[0]", lambda: excluded_days(first, last, _Broken({SECRET: "x"}))
    )
    _refused(UsageError, "holidays", lambda: excluded_days(first, last, "FI"))  # type: ignore[arg-type]
    plan = lambda: plan_schedule(START, RULE, holidays=_Broken(ValueError(SECRET)))  # noqa: E731
    _refused(ScheduleError, "holidays", plan)


def test_changes_check_their_arguments() -> None:
    """reschedule_meeting with a number as text is a UsageError at number."""
    tz = ZoneInfo("Europe/Helsinki")
    group = apply_plan(Group("g-01"), plan_schedule(START, RULE))
    when = datetime(2026, 10, 20, 14, tzinfo=tz)
    _refused(UsageError, "number", lambda: reschedule_meeting(group, "2", when))  # type: ignore[arg-type]
    _refused(UsageError, "start", lambda: reschedule_meeting(group, 2, "tomorrow"))  # type: ignore[arg-type]
    _refused(UsageError, "reason", lambda: reschedule_meeting(group, 2, when, reason=5))  # type: ignore[arg-type]


def test_dump_ical_refuses_a_nul_in_the_path(tmp_path: Path) -> None:
    """A path with a NUL is a UsageError, not a ValueError from the file system."""
    group = apply_plan(Group("g-01"), plan_schedule(START, RULE))
    _refused(UsageError, "path", lambda: dump_ical(group, str(tmp_path / "a\x00b.ics")))
    _refused(UsageError, "path", lambda: dump_ical(group, 5))  # type: ignore[arg-type]


# -- the mechanism's small additions ---------------------------------------------------


def test_a_literal_option_is_named_plainly_in_a_union_message() -> None:
    """check_for(Literal["skip"] | int) says "expected 'skip' or an integer", not typing's repr."""
    from typing import Literal

    with pytest.raises(UsageError) as caught:
        check_for(Literal["skip"] | int)([], "on_excluded")
    assert caught.value.message == "expected 'skip' or an integer, not list"


def test_call_checked_turns_only_a_wrong_call_into_a_usage_error() -> None:
    """call_checked: a wrong call is a UsageError; a TypeError from the body stays one."""

    @call_checked
    def add(a: int, b: int = 1) -> int:
        return a + b

    assert add(1, b=2) == 3
    with pytest.raises(UsageError, match="no such argument; its arguments are: a, b") as wrong:
        add(1, c=2)  # type: ignore[call-arg]
    assert wrong.value.path == "c"
    with pytest.raises(UsageError, match="needs the argument 'a'"):
        add()  # type: ignore[call-arg]
    with pytest.raises(TypeError) as caught:
        add("x")  # type: ignore[arg-type]
    assert not isinstance(caught.value, UsageError)


# -- bounded work --------------------------------------------------------------------


def _naive_excluded(first: date, last: date, blackouts: list[Blackout]) -> dict[date, str]:
    days: dict[date, str] = {}
    for blackout in blackouts:
        day = max(first, blackout.first)
        while day <= min(last, blackout.last):
            days.setdefault(day, blackout.label)
            day += timedelta(days=1)
    return dict(sorted(days.items()))


@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 30), st.sampled_from(["a", "b", "c"])),
        max_size=12,
    ),
    st.integers(0, 40),
    st.integers(0, 80),
)
def test_excluded_days_paints_each_day_once_with_the_first_label(
    spans: list[tuple[int, int, str]], low: int, high: int
) -> None:
    """The painting gives what a day-by-day walk gives: the first blackout's label wins."""
    base = date(2026, 1, 1)
    blackouts = [
        Blackout(base + timedelta(days=a), base + timedelta(days=a + n), label)
        for a, n, label in spans
    ]
    first, last = base + timedelta(days=low), base + timedelta(days=high)
    assert excluded_days(first, last, blackouts=blackouts) == _naive_excluded(
        first, last, blackouts
    )


def test_long_and_many_blackouts_cost_what_the_days_cost() -> None:
    """A thousand blackouts of three centuries each: the range's days, not 10^8 steps."""
    whole = [Blackout(date(1900, 1, 1), date(2200, 12, 31), f"b{i}") for i in range(1000)]
    began = _time.perf_counter()
    days = excluded_days(date(1900, 1, 1), date(2200, 12, 31), blackouts=whole)
    assert len(days) == (date(2200, 12, 31) - date(1900, 1, 1)).days + 1
    assert set(days.values()) == {"b0"}
    with pytest.raises(ScheduleError):
        plan_schedule(START, RULE, blackouts=whole)
    assert _time.perf_counter() - began < 5


def test_a_series_that_would_run_past_2200_is_cut_there() -> None:
    """Planning near the last year: a ScheduleError that says why, not a DomainError."""
    assert len(plan_schedule(date(2200, 1, 1), RULE, count=8).meetings) == 8
    with pytest.raises(ScheduleError, match="the end of 2200") as caught:
        plan_schedule(date(2200, 9, 1), RULE, holidays=PublicHolidays())
    assert caught.value.path == "rule"
    with pytest.raises(RecurrenceError, match="the end of 2200"):
        plan_starts(date(2200, 12, 25), "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28;BYHOUR=9")


def test_blackout_lists_have_a_ceiling() -> None:
    """At most 1,000 blackout periods an argument: more is a ScheduleError at its path."""
    many = [Blackout(date(2026, 7, 1), date(2026, 7, 1))] * 1001
    _refused(ScheduleError, "blackouts", lambda: plan_schedule(START, RULE, blackouts=many))
    _refused(ScheduleError, "blackouts", lambda: excluded_days(START, START, blackouts=many))
    cohort = Programme("c", groups=[Group("g-01", memberships=STAFF)])
    _refused(
        ScheduleError,
        "away['f-01']",
        lambda: plan_programme(cohort, START, rule=RULE, away={"f-01": many}),
    )


def test_result_classes_hold_ids_only() -> None:
    """Results that messages quote (obstacles, scores, loads) refuse free text where ids belong."""
    from emessi.scheduling import Alternative, GroupSchedule, Obstacle, Overlap, SlotScore

    _refused(
        DomainError, "missing_required[0]", lambda: SlotScore(SLOTS[0], missing_required=(SECRET,))
    )
    _refused(DomainError, "person", lambda: Obstacle(ObstacleKind.DAY_FULL, ("g-01",), SECRET))
    _refused(DomainError, "person", lambda: Overlap(SECRET, "g-01", 1, "g-02", 1))
    when = datetime(2026, 10, 20, 14, tzinfo=UTC)
    _refused(DomainError, "away[0]", lambda: Alternative(when, 1, 1, away=[SECRET]))
    plan = plan_schedule(START, RULE)
    _refused(DomainError, "group", lambda: GroupSchedule(SECRET, plan))


@pytest.mark.parametrize(
    "rule", ["BYDAY=", "FREQ=MONTHLY;BYHOUR=99", "=;=", "FREQ=WEEKLY;BYDAY=+TU"]
)
def test_a_hand_made_plan_describes_any_rule(rule: str) -> None:
    """GroupSchedule.description of a SchedulePlan made by hand: its rule, never a KeyError."""
    from emessi.scheduling import GroupSchedule

    assert GroupSchedule("g-01", SchedulePlan((), rule=rule)).description == rule


def test_dumps_ical_reads_people_once_and_checks_the_programme_id() -> None:
    """A failing generator of people is a UsageError; a programme that is no id a DomainError."""
    from emessi.io.ical import dumps_ical

    group = apply_plan(Group("g-01", memberships=[Membership("p-01")]), plan_schedule(START, RULE))

    def people() -> Iterator[Any]:
        yield 5
        raise ValueError(SECRET)

    _refused(UsageError, "people", lambda: dumps_ical(group, attendees=True, people=people()))
    _refused(UsageError, "people[0]", lambda: dumps_ical(group, attendees=True, people=iter([5])))
    _refused(DomainError, "programme", lambda: dumps_ical(group, programme=SECRET))


def test_a_mapping_that_fails_while_read_is_a_usage_error() -> None:
    """A Mapping whose iteration raises: a UsageError at the argument, its text not echoed."""
    from collections.abc import Mapping

    class Failing(Mapping[str, Any]):
        def __getitem__(self, key: str) -> Any:
            raise KeyError(key)

        def __iter__(self) -> Iterator[str]:
            raise ValueError(SECRET)

        def __len__(self) -> int:
            return 1

    _refused(UsageError, "unavailable", lambda: expected_attendance(Group("g-01"), Failing()))
    _refused(UsageError, "answers", lambda: Poll.from_answers(SLOTS, Failing()))
