"""The availability poll, common slots and expected attendance."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi import Group, Membership, Role, get_profile
from emessi.errors import ScheduleError
from emessi.scheduling import (
    Answer,
    Poll,
    Slot,
    apply_plan,
    common_slots,
    expected_attendance,
    plan_schedule,
    rank_slots,
)

PEOPLE = ["p-01", "p-02", "p-03", "p-04", "p-05", "f-01", "o-01"]
GROUP = Group(
    "g-01",
    memberships=[Membership(p) for p in PEOPLE[:5]]
    + [Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)],
)


@st.composite
def polls(draw: st.DrawFn) -> Poll:
    n = draw(st.integers(1, 6))
    slots = [Slot(f"s-{i}", i % 7, time(9 + i)) for i in range(n)]
    answers = {
        person: {
            slot.id: draw(st.sampled_from(["yes", "if-need-be", "no"]))
            for slot in slots
            if draw(st.booleans()) or person == "p-01"
        }
        for person in PEOPLE
    }
    return Poll.from_answers(slots, answers)


@given(polls(), st.sampled_from(["emessi", "verme"]))
def test_the_chosen_slot_suits_the_required_and_has_most_attendees(
    poll: Poll, profile: str
) -> None:
    """The best slot suits the facilitator (and observer) and no suitable slot has more attendees."""
    result = rank_slots(poll, group=GROUP, profile=profile)
    required = {"f-01"} | ({"o-01"} if get_profile(profile).observer_required else set())
    assert set(result.required) == required
    feasible = [
        s for s in poll.slots if all(poll.answer(p, s.id) is not Answer.NO for p in required)
    ]
    if not feasible:
        assert result.best is None
        with pytest.raises(ScheduleError, match="no slot suits"):
            _ = result.chosen
        return
    chosen = result.chosen
    assert chosen in feasible
    assert all(poll.answer(p, chosen.id).can_attend for p in required)
    count = {s.id: sum(poll.answer(p, s.id).can_attend for p in PEOPLE) for s in poll.slots}
    assert all(count[s.id] <= count[chosen.id] for s in feasible)
    assert result.best is not None
    assert result.best.attendees == count[chosen.id]


@given(polls())
def test_ranking_is_deterministic_and_complete(poll: Poll) -> None:
    """Ranking twice, or from votes given in another order, gives the same result."""
    shuffled = Poll(poll.slots, list(reversed(poll.votes)))
    assert rank_slots(poll, group=GROUP) == rank_slots(shuffled, group=GROUP)
    result = rank_slots(poll, group=GROUP)
    assert sorted(s.slot.id for s in result.ranking) == sorted(s.id for s in poll.slots)


def test_tie_breaks_prefer_yes_then_the_poll_order() -> None:
    """Equal attendees: more yes wins; equal yes too: the earlier slot wins."""
    slots = [Slot("a", "Monday", time(9)), Slot("b", "Tuesday", time(9)), Slot("c", "Wed", time(9))]
    poll = Poll.from_answers(
        slots,
        {
            "f-01": {"a": "yes", "b": "yes", "c": "yes"},
            "o-01": {"a": "yes", "b": "yes", "c": "yes"},
            "p-01": {"a": "if-need-be", "b": "yes", "c": "yes"},
        },
    )
    assert [s.slot.id for s in rank_slots(poll, group=GROUP).ranking] == ["b", "c", "a"]


def test_explicit_required_people_are_honoured() -> None:
    """required= makes a person required even without a group."""
    poll = Poll.from_answers(
        [Slot("a", 0, time(9)), Slot("b", 1, time(9))],
        {"p-01": {"a": "yes", "b": "no"}, "p-02": {"a": "no", "b": "yes"}, "p-03": {"a": "yes"}},
    )
    assert rank_slots(poll).chosen.id == "a"
    assert rank_slots(poll, required=["p-02"]).chosen.id == "b"


def test_common_slots_for_formation() -> None:
    """common_slots lists the slots every given person can attend, in poll order."""
    poll = Poll.from_answers(
        [Slot("a", 0, time(9)), Slot("b", 1, time(9)), Slot("c", 2, time(9))],
        {
            "p-01": {"a": "yes", "b": "yes", "c": "if-need-be"},
            "p-02": {"b": "no", "c": "yes", "a": "yes"},
        },
    )
    assert [s.id for s in common_slots(poll, ["p-01", "p-02"])] == ["a", "c"]
    assert common_slots(poll, ["p-01", "p-09"]) == ()
    assert [s.id for s in common_slots(poll, [])] == ["a", "b", "c"]


def test_weekly_slot_becomes_a_monthly_rule_for_the_planner() -> None:
    """An agreed weekly slot plans the second such weekday each month."""
    slot = Slot("tue-14", "tuesday", time(14, 0))
    plan = plan_schedule(date(2025, 9, 1), slot.rule())
    assert {m.start.strftime("%a %H:%M") for m in plan.meetings} == {"Tue 14:00"}
    assert all(8 <= m.start.day <= 14 for m in plan.meetings)


def test_concrete_slots_need_an_aware_start() -> None:
    """A concrete slot is a timezone-aware datetime; mixing forms is refused."""
    start = datetime(2025, 9, 9, 14, tzinfo=ZoneInfo("Europe/Helsinki"))
    assert not Slot("d", start=start).weekly
    with pytest.raises(ScheduleError):
        Slot("d", start=datetime(2025, 9, 9, 14))
    with pytest.raises(ScheduleError):
        Slot("d", "Monday", time(9), start=start)
    with pytest.raises(ScheduleError):
        Slot("d", "Monday")
    with pytest.raises(ScheduleError):
        Slot("d", "Moonday", time(9))
    with pytest.raises(ScheduleError, match="only a weekly slot"):
        Slot("d", start=start).rule()


def test_poll_refuses_unknown_slots_duplicates_and_bad_answers() -> None:
    """Answers for a missing slot, a slot twice, or an unknown answer are errors."""
    slots = [Slot("a", 0, time(9))]
    with pytest.raises(ScheduleError, match="no slot 'b'"):
        Poll.from_answers(slots, {"p-01": {"b": "yes"}})
    with pytest.raises(ScheduleError, match="unique"):
        Poll([Slot("a", 0, time(9)), Slot("a", 1, time(9))])
    with pytest.raises(ScheduleError, match="'yes', 'if-need-be' or 'no'"):
        Poll.from_answers(slots, {"p-01": {"a": "maybe"}})


def test_expected_attendance_from_unavailable_dates() -> None:
    """Unavailable dates mark people absent; a missing facilitator makes a meeting infeasible."""
    plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00")
    group = apply_plan(GROUP, plan)
    second = plan.meetings[1].start.date()
    rows = expected_attendance(
        group, {"p-02": [second, date(2030, 1, 1)], "o-01": [second], "p-03": []}
    )
    assert len(rows) == 8
    assert rows[0].share == 1.0
    assert rows[1].absent == ("o-01", "p-02")
    assert rows[1].required_absent == ("o-01",)
    assert not rows[1].feasible
    relaxed = expected_attendance(group, {"o-01": [second]}, profile="verme")
    assert relaxed[1].feasible


def test_expected_attendance_counts_only_members_on_the_day() -> None:
    """A peer who left before a meeting is neither present nor absent there."""
    plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00")
    group = apply_plan(
        Group("g-01", memberships=[Membership("p-01"), Membership("p-02", left=date(2025, 10, 1))]),
        plan,
    )
    rows = expected_attendance(group, {})
    assert rows[0].present == ("p-01", "p-02")
    assert rows[1].present == ("p-01",)
