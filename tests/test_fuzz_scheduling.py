"""Issue 10 item 4 for scheduling: every public class and entry point, field by field.

Each test feeds one argument (or one field) a hostile value: wrong types,
out-of-range numbers, hostile text, iterators and generators that fail,
naive or far-off datetimes; and plan_schedule/parse_recurrence hostile
RRULEs (endless rules, huge COUNT and INTERVAL, UNTIL in 9999, BYxxx lists
of 10^5 items, surrogates and line breaks). Only an ``EmessiError`` with a
str path and no exception chain may leave, within :data:`BUDGET` seconds
per call. ``HYPOTHESIS_PROFILE=fuzz`` runs many more examples (nightly).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, rrule
from hypothesis import given
from hypothesis import strategies as st

from emessi import Group, Membership, Person, Programme, Role
from emessi.errors import EmessiError
from emessi.io.ical import dump_ical, dumps_ical, meeting_uid
from emessi.rules import Report
from emessi.scheduling import (
    Adjustment,
    AdjustmentKind,
    Alternative,
    Blackout,
    ExpectedAttendance,
    GroupSchedule,
    Obstacle,
    ObstacleKind,
    Overlap,
    PersonLoad,
    PlanCost,
    PlanWeights,
    Poll,
    PollResult,
    ProgrammePlan,
    PublicHolidays,
    SchedulePlan,
    ScheduleUpdate,
    Slot,
    SlotScore,
    Vote,
    add_makeup_meeting,
    alternative_slots,
    apply_plan,
    availability_csv,
    cancel_planned_meeting,
    check_schedule,
    common_slots,
    excluded_days,
    expected_attendance,
    load_report,
    parse_recurrence,
    plan_programme,
    plan_schedule,
    plan_starts,
    rank_slots,
    read_availability,
    reschedule_meeting,
    restore_meeting,
)
from emessi.testing import hostile_numbers, hostile_text, hostile_values

#: Seconds any one call may take on the shared CI machine.
BUDGET = 5.0

TZ = ZoneInfo("Europe/Helsinki")
START = datetime(2026, 9, 8, 14, tzinfo=TZ)
RULE = "second Tuesday of each month at 14:00"


def _raising() -> Iterator[Any]:
    yield Blackout(date(2026, 7, 1), date(2026, 7, 2))
    raise ValueError("Aino Virtanen")


class _FailingMapping(Mapping[str, Any]):
    """A mapping whose iteration raises, as a caller's broken object might."""

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        raise ValueError("Aino Virtanen")

    def __len__(self) -> int:
        return 1


class _Calendar:
    """A caller's holiday calendar that misbehaves."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def days_off(self, first: date, last: date) -> Any:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


HOSTILE_TEXT = hostile_text(max_size=30)
NUMBERS = hostile_numbers(7, 10**15, -(10**15))
VALUES = hostile_values(HOSTILE_TEXT, NUMBERS, max_leaves=8)
ANYTHING = st.one_of(
    VALUES,
    st.sampled_from(
        [
            b"p-01",
            object(),
            date(1, 1, 1),
            date(9999, 12, 31),
            datetime(2026, 9, 8, 14),
            datetime(9998, 1, 1, tzinfo=UTC),
            datetime(1, 1, 2, tzinfo=UTC),
            timedelta(days=10**8),
            timedelta(0),
            timedelta(minutes=-5),
            clock(14),
            Membership("p-01"),
            Role.FACILITATOR,
            "facilitator",
            "skip",
            "emessi",
            "Europe/Helsinki",
            "p-01",
            RULE,
            ZoneInfo("UTC"),
            PlanWeights(),
            Blackout(date(2026, 7, 1), date(2026, 7, 31), "summer"),
            [Blackout(date(2026, 7, 1), date(2026, 7, 31), "summer")],
            [Blackout(date(1900, 1, 1), date(2200, 12, 31), "all")] * 1000,
            [Blackout(date(2026, 7, 1), date(2026, 7, 1), "day")] * 1001,
            ["p-01"] * 100_000,
            {"f-01": [Blackout(date(1900, 1, 1), date(2200, 12, 31))] * 1000},
            _Calendar(ValueError("Aino Virtanen")),
            _Calendar({"2026-12-06": "x"}),
            _Calendar(None),
            _Calendar({date(2026, 12, 6): object()}),
        ]
    ),
    st.builds(_raising),
    st.builds(lambda: iter([1, 2, 3])),
    st.builds(lambda: {"a": [1]}),
    st.builds(_FailingMapping),
    st.builds(lambda: {"p-01": _raising()}),
)


def _only_emessi_errors(call: Callable[[], object]) -> EmessiError | None:
    """*call* returns or raises an EmessiError with a str path, within the budget."""
    began = time.perf_counter()
    caught: EmessiError | None = None
    try:
        call()
    except EmessiError as error:
        caught = error
    elapsed = time.perf_counter() - began
    if caught is not None:
        assert isinstance(caught.path, str)
        assert caught.__cause__ is None
        assert "Aino" not in str(caught)
    assert elapsed < BUDGET, f"{elapsed:.1f} s"
    return caught


# -- fixtures, built once -------------------------------------------------------------

STAFF = [Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)]
PLAN = plan_schedule(date(2026, 9, 1), RULE)
GROUP = apply_plan(Group("g-01", memberships=[*STAFF, Membership("p-01")]), PLAN)
COHORT = Programme("c", groups=[GROUP, apply_plan(Group("g-02", memberships=STAFF), PLAN)])
CANCELLED = cancel_planned_meeting(GROUP, 3).group
SLOTS = [Slot("tue-14", "Tuesday", clock(14)), Slot("thu-10", "Thursday", clock(10))]
POLL = Poll.from_answers(SLOTS, {"p-01": {"tue-14": "yes"}, "f-01": {"thu-10": "no"}})
EMPTY = Programme("c", groups=[Group("g-01", memberships=STAFF)])

# -- plan_schedule and plan_starts, argument by argument ------------------------------

PLAN_ARGUMENTS = {
    "start": date(2026, 9, 1),
    "rule": RULE,
    "timezone": "Europe/Helsinki",
    "count": 6,
    "duration": 90,
    "profile": "emessi",
    "holidays": None,
    "blackouts": (),
    "on_excluded": "skip",
    "series": "s-1",
    "strict": False,
}


@given(st.sampled_from(sorted(PLAN_ARGUMENTS)), ANYTHING)
def test_fuzz_plan_schedule_argument_by_argument(name: str, value: Any) -> None:
    """Any value of any one argument: a plan, or an EmessiError."""
    arguments = {**PLAN_ARGUMENTS, name: value}
    start, rule = arguments.pop("start"), arguments.pop("rule")
    _only_emessi_errors(lambda: plan_schedule(start, rule, **arguments))
    arguments.pop("duration")
    arguments.pop("series")
    _only_emessi_errors(lambda: plan_starts(start, rule, **arguments))


def _by_list(part: str, n: int, item: str) -> str:
    return f"{part}=" + ",".join([item] * n)


RRULE_PARTS = st.one_of(
    st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "SECONDLY", "X", ""]).map(
        lambda f: f"FREQ={f}"
    ),
    st.sampled_from([0, 1, 2, 12, 10**6, 10**100]).map(lambda n: f"INTERVAL={n}"),
    st.sampled_from([0, 1, 8, 1000, 1001, 10**9, 10**100]).map(lambda n: f"COUNT={n}"),
    st.sampled_from(
        [
            "UNTIL=99991231T235959Z",
            "UNTIL=99991231",
            "UNTIL=00010101T000000Z",
            "UNTIL=19000101",
            "UNTIL=20270101T000000",
            "UNTIL=2027",
        ]
    ),
    st.sampled_from(["BYDAY=2TU", "BYDAY=-1FR", "BYDAY=9TU", "BYDAY=+53MO", "BYDAY=XX"]),
    st.sampled_from(["BYMONTHDAY=31", "BYMONTHDAY=30;BYMONTH=2", "BYMONTHDAY=-1", "BYMONTHDAY=0"]),
    st.sampled_from(["BYSETPOS=-1", "BYSETPOS=366", "BYWEEKNO=53", "BYYEARDAY=366"]),
    st.sampled_from(["BYHOUR=14", "BYHOUR=99", "BYMINUTE=61", "BYSECOND=60", "BYEASTER=0"]),
    st.sampled_from(["WKST=SU", "WKST=XX", "RDATE=20260101", "EXDATE=20260101", "X-FOO=1"]),
    st.tuples(
        st.sampled_from(["BYMONTHDAY", "BYHOUR", "BYDAY", "BYSETPOS"]),
        st.sampled_from([2, 300, 10**5]),
        st.sampled_from(["1", "15", "TU", "-1"]),
    ).map(lambda t: _by_list(*t)),
    st.sampled_from(["\ud800", "\x00", "\r\n", "\n", "\r", ":", "DTSTART:20260101", " "]),
)


@given(
    st.lists(RRULE_PARTS, min_size=1, max_size=5).map(";".join),
    st.sampled_from(["", "RRULE:", "rrule:", " "]),
    st.sampled_from([date(2026, 9, 1), datetime(2026, 9, 1, 14), datetime(2200, 12, 1, 9)]),
)
def test_fuzz_hostile_rrules(rule: str, prefix: str, start: date) -> None:
    """Hostile RRULE text: a plan or an EmessiError, within the budget, never a hang."""
    _only_emessi_errors(lambda: parse_recurrence(prefix + rule))
    _only_emessi_errors(lambda: plan_schedule(start, prefix + rule, count=8, strict=False))
    _only_emessi_errors(lambda: plan_starts(start, prefix + rule, count=1, on_excluded=-3))


@given(
    st.sampled_from(["second Tuesday of each month at", "every", "the", "every 999 days at"]),
    st.sampled_from(["14:00", "99:99", "2pm", "13pm", "0", "\ud800", "x" * 5000, "\r\n9"]),
)
def test_fuzz_friendly_rules(words: str, at: str) -> None:
    """Friendly text with hostile times: a rule or a RecurrenceError."""
    _only_emessi_errors(lambda: plan_schedule(date(2026, 9, 1), f"{words} {at}", strict=False))


@given(st.sampled_from([MONTHLY]), st.integers(1, 10**6), st.integers(0, 10**6))
def test_fuzz_dateutil_rules(freq: int, interval: int, count: int) -> None:
    """A dateutil rrule object: its own start replaced; huge values refused."""
    rule = rrule(freq, interval=interval, count=count or None, dtstart=datetime(2026, 1, 1, 14))
    _only_emessi_errors(lambda: plan_schedule(date(2026, 9, 1), rule, strict=False))


# -- plan_programme, argument by argument ---------------------------------------------

PROGRAMME_ARGUMENTS: dict[str, Any] = {
    "programme": EMPTY,
    "start": date(2026, 9, 1),
    "rule": RULE,
    "requests": None,
    "poll": None,
    "end": None,
    "count": 6,
    "duration": None,
    "profile": None,
    "holidays": None,
    "blackouts": (),
    "away": None,
    "buffer": 30,
    "max_per_day": 2,
    "spread": 1,
    "weights": None,
    "seed": 0,
    "effort": 0.05,
    "replace": False,
}


@given(st.sampled_from(sorted(PROGRAMME_ARGUMENTS)), ANYTHING)
def test_fuzz_plan_programme_argument_by_argument(name: str, value: Any) -> None:
    """plan_programme with a wrong type in any one argument: only EmessiErrors."""
    if name == "effort" and isinstance(value, int | float) and not isinstance(value, bool):
        value = min(value, 0.1) if value == value else value  # a bound on time, not on checks
    arguments = {**PROGRAMME_ARGUMENTS, name: value}
    programme, start = arguments.pop("programme"), arguments.pop("start")
    _only_emessi_errors(lambda: plan_programme(programme, start, **arguments))


@given(
    st.sampled_from(["requests", "poll", "away"]),
    st.dictionaries(
        st.sampled_from(["g-01", "f-01", "p-01", "x y", "\ud800"]), ANYTHING, max_size=2
    ),
)
def test_fuzz_plan_programme_mappings(name: str, value: dict[str, Any]) -> None:
    """The mapping arguments with hostile keys and values."""
    arguments = {**PROGRAMME_ARGUMENTS, name: value}
    programme, start = arguments.pop("programme"), arguments.pop("start")
    _only_emessi_errors(lambda: plan_programme(programme, start, **arguments))


# -- every other entry point, argument by argument ------------------------------------


def _calls() -> dict[str, tuple[Callable[..., object], dict[str, Any]]]:
    return {
        "apply_plan": (apply_plan, {"group": Group("g-09"), "plan": PLAN, "replace": False}),
        "check_schedule": (check_schedule, {"group": GROUP, "profile": None}),
        "expected_attendance": (
            expected_attendance,
            {"group": GROUP, "unavailable": {"p-01": [date(2026, 10, 13)]}, "profile": None},
        ),
        "load_report": (load_report, {"programme": COHORT, "roles": [Role.FACILITATOR]}),
        "reschedule_meeting": (
            reschedule_meeting,
            {
                "group": GROUP,
                "number": 2,
                "start": START + timedelta(days=36),
                "duration": None,
                "reason": "ill",
                "profile": None,
                "programme": None,
            },
        ),
        "cancel_planned_meeting": (
            cancel_planned_meeting,
            {"group": GROUP, "number": 2, "reason": None, "profile": None, "programme": COHORT},
        ),
        "restore_meeting": (
            restore_meeting,
            {"group": CANCELLED, "number": 3, "reason": None, "profile": None, "programme": None},
        ),
        "add_makeup_meeting": (
            add_makeup_meeting,
            {
                "group": CANCELLED,
                "number": 3,
                "start": START + timedelta(days=70),
                "duration": None,
                "profile": None,
                "programme": None,
            },
        ),
        "alternative_slots": (
            alternative_slots,
            {
                "programme": COHORT,
                "group": "g-01",
                "number": 2,
                "within": 3,
                "poll": None,
                "holidays": None,
                "blackouts": (),
                "away": None,
                "buffer": 30,
                "max_per_day": 2,
                "weights": None,
                "profile": None,
                "limit": 5,
            },
        ),
        "rank_slots": (rank_slots, {"poll": POLL, "group": GROUP, "profile": None, "required": ()}),
        "common_slots": (common_slots, {"poll": POLL, "people": ["p-01"]}),
        "excluded_days": (
            excluded_days,
            {
                "first": date(2026, 1, 1),
                "last": date(2026, 12, 31),
                "holidays": None,
                "blackouts": (),
            },
        ),
        "availability_csv": (availability_csv, {"poll": POLL}),
        "read_availability": (read_availability, {"source": io.StringIO("person,weekday\n")}),
        "parse_recurrence": (parse_recurrence, {"text": RULE}),
        "Slot.rule": (SLOTS[0].rule, {"ordinal": 2}),
        "Poll.from_answers": (Poll.from_answers, {"slots": SLOTS, "answers": {}}),
        "Poll.answer": (POLL.answer, {"person": "p-01", "slot": "tue-14"}),
        "SchedulePlan.check": (PLAN.check, {"profile": None}),
        "Blackout.covers": (
            Blackout(date(2026, 1, 1), date(2026, 1, 2)).covers,
            {"day": date(2026, 1, 1)},
        ),
        "PublicHolidays.days_off": (
            PublicHolidays().days_off,
            {"first": date(2026, 1, 1), "last": date(2026, 1, 31)},
        ),
        "dumps_ical": (
            dumps_ical,
            {
                "subject": COHORT,
                "programme": None,
                "attendees": True,
                "people": [Person("f-01", "F", email="f@example.org")],
                "stamp": None,
                "lang": "en",
                "catalogue": None,
                "link": True,
            },
        ),
        "dumps_ical of a group": (
            dumps_ical,
            {
                "subject": GROUP,
                "programme": "emessi2",
                "attendees": True,
                "people": [Person("p-01", "P", email="p@example.org")],
                "stamp": START,
                "lang": "fi",
                "catalogue": None,
                "link": False,
            },
        ),
        "meeting_uid": (
            meeting_uid,
            {"group": GROUP, "meeting": GROUP.meetings[0], "programme": None},
        ),
    }


CALLS = _calls()
SPOTS = [(name, argument) for name, (_, arguments) in CALLS.items() for argument in arguments]


@given(st.sampled_from(SPOTS), ANYTHING, st.booleans())
def test_fuzz_every_entry_point_argument_by_argument(
    spot: tuple[str, str], value: Any, by_keyword: bool
) -> None:
    """Any value of any one argument of any entry point: a result or an EmessiError."""
    name, argument = spot
    call, arguments = CALLS[name]
    given_arguments = {**arguments, argument: value}
    if by_keyword:
        _only_emessi_errors(lambda: call(**given_arguments))
    else:
        _only_emessi_errors(lambda: call(*given_arguments.values()))


@given(st.sampled_from(sorted(CALLS)), st.sampled_from(["missing", "unknown", "extra"]))
def test_wrong_calls_are_usage_errors(name: str, how: str) -> None:
    """A missing, unknown or extra argument is a UsageError, not a bare TypeError."""
    call, arguments = CALLS[name]
    if how == "missing":  # a call without arguments: fine where all have defaults
        _only_emessi_errors(lambda: call())
    elif how == "unknown":
        assert _only_emessi_errors(lambda: call(**arguments, bogus=1)) is not None
    else:
        assert _only_emessi_errors(lambda: call(*arguments.values(), 1, 2, 3)) is not None


@given(ANYTHING)
def test_fuzz_dump_ical_path(value: Any) -> None:
    """dump_ical with any path: written, or an EmessiError."""
    # Relative paths land in the temporary folder, never in the checkout;
    # no absolute path or parent folder is tried (a path such as /dev/null
    # is the atomic writer's test, without touching the machine's own).
    if isinstance(value, str):
        value = value.replace("/", "_")  # a name in the folder (".." is a folder: refused)
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        _only_emessi_errors(lambda: dump_ical(GROUP, value))
        _only_emessi_errors(lambda: dump_ical(GROUP, Path(folder) / "g.ics", lang=value))


# -- the public classes, field by field -----------------------------------------------

WHEN = START
CONSTRUCTORS: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "Adjustment": (
        Adjustment,
        {
            "kind": AdjustmentKind.SKIPPED,
            "original": WHEN,
            "planned": None,
            "number": None,
            "reason": "x",
        },
    ),
    "SchedulePlan": (
        SchedulePlan,
        {"meetings": PLAN.meetings, "adjustments": (), "timezone": "Europe/Helsinki", "rule": ""},
    ),
    "Blackout": (Blackout, {"first": date(2026, 1, 1), "last": date(2026, 1, 2), "label": "x"}),
    "PublicHolidays": (
        PublicHolidays,
        {"country": "FI", "subdiv": None, "de_facto": True, "language": "en_US"},
    ),
    "Slot": (Slot, {"id": "s-1", "weekday": "Tuesday", "at": clock(14), "start": None}),
    "Vote": (Vote, {"person": "p-01", "slot": "s-1", "answer": "yes"}),
    "Poll": (Poll, {"slots": SLOTS, "votes": POLL.votes}),
    "SlotScore": (
        SlotScore,
        {"slot": SLOTS[0], "yes": (), "if_need_be": (), "no": (), "missing_required": ()},
    ),
    "PollResult": (PollResult, {"ranking": (), "required": ()}),
    "ExpectedAttendance": (
        ExpectedAttendance,
        {"number": 1, "start": WHEN, "present": (), "absent": (), "required_absent": ()},
    ),
    "Overlap": (
        Overlap,
        {"person": "f-01", "group": "g-01", "number": 1, "other_group": "g-02", "other_number": 1},
    ),
    "PersonLoad": (
        PersonLoad,
        {
            "person": "f-01",
            "roles": (Role.FACILITATOR,),
            "groups": ("g-01",),
            "meetings": 1,
            "minutes": 90,
            "overlaps": (),
        },
    ),
    "ScheduleUpdate": (ScheduleUpdate, {"group": GROUP, "number": 1, "report": Report()}),
    "Alternative": (
        Alternative,
        {
            "start": WHEN,
            "cost": 1,
            "steps": 1,
            "slot": None,
            "unavailable": (),
            "if_need_be": (),
            "away": (),
            "lonely": (),
        },
    ),
    "PlanWeights": (
        PlanWeights,
        {"no": 1, "if_need_be": 1, "away": 1, "distance": 1, "irregular": 1, "lonely_day": 1},
    ),
    "PlanCost": (
        PlanCost,
        {
            "no": 0,
            "if_need_be": 0,
            "away": 0,
            "distance": 0,
            "irregular": 0,
            "lonely_days": 0,
            "weights": PlanWeights(),
        },
    ),
    "GroupSchedule": (
        GroupSchedule,
        {
            "group": "g-01",
            "plan": PLAN,
            "slot": None,
            "distance": 0,
            "unavailable": (),
            "if_need_be": (),
            "away": (),
            "irregular": 0,
        },
    ),
    "Obstacle": (
        Obstacle,
        {
            "kind": ObstacleKind.NO_SERIES,
            "groups": ("g-01",),
            "person": None,
            "weeks": (),
            "detail": "",
        },
    ),
    "ProgrammePlan": (
        ProgrammePlan,
        {"programme": COHORT, "schedules": (), "cost": PlanCost(), "report": Report(), "seed": 0},
    ),
}
FIELDS = [(name, field) for name, (_, fields) in CONSTRUCTORS.items() for field in fields]


@given(st.sampled_from(FIELDS), ANYTHING)
def test_fuzz_every_scheduling_field(spot: tuple[str, str], value: Any) -> None:
    """Field by field, any value is accepted or refused with an EmessiError at that field."""
    name, field = spot
    make, fields = CONSTRUCTORS[name]
    made: list[object] = []
    caught = _only_emessi_errors(lambda: made.append(make(**{**fields, field: value})))
    if caught is not None and caught.path:
        # the path names the field given (or, for a cross-field check, one it depends on)
        assert caught.path.split("[")[0].split(".")[0] in fields
    for thing in made:  # what a constructor accepted works: every property, repr, str
        _only_emessi_errors(lambda thing=thing: (repr(thing), str(thing)))
        for attribute in dir(type(thing)):
            if isinstance(getattr(type(thing), attribute, None), property):
                _only_emessi_errors(lambda a=attribute, t=thing: getattr(t, a))
        for method in ("summary", "check", "rule"):
            if callable(getattr(thing, method, None)):
                _only_emessi_errors(lambda m=method, t=thing: getattr(t, m)())
