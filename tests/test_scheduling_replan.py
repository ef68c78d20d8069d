"""Moving one meeting of a planned cohort: alternatives that keep everyone free."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest

from emessi import Group, Membership, Programme, Role, hold_meeting
from emessi.errors import DomainError, NotAMeetingError, ScheduleError, UnknownReferenceError
from emessi.scheduling import (
    Blackout,
    Poll,
    Slot,
    alternative_slots,
    cancel_planned_meeting,
    plan_programme,
    reschedule_meeting,
)

START = date(2026, 9, 1)
RULE = "second Tuesday of each month at 14:00"


def cohort() -> Programme:
    staff = [Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)]
    groups = [
        Group(g, memberships=[*staff, Membership(f"p-{g}")]) for g in ("g-01", "g-02", "g-03")
    ]
    return plan_programme(Programme("c", groups=groups), START, rule=RULE).programme


def test_alternatives_keep_the_programme_clean() -> None:
    """Every alternative, applied, leaves no double booking within the buffer."""
    programme = cohort()
    alternatives = alternative_slots(programme, "g-01", 3, limit=20)
    assert len(alternatives) == 20
    assert [a.cost for a in alternatives] == sorted(a.cost for a in alternatives)
    for alternative in alternatives:
        update = reschedule_meeting(
            programme.group("g-01"), 3, alternative.start, programme=programme
        )
        assert not update.report.errors
        moved = programme.replace_group(update.group)
        starts = sorted((m.start, m.end) for g in moved.groups for m in g.meetings if m.active)
        for (_, end), (start, _) in itertools.pairwise(starts):
            assert start >= end + timedelta(minutes=30)


def test_move_onto_a_shared_facilitators_meeting_is_reported() -> None:
    """reschedule_meeting(programme=...) reports the double booking it causes."""
    programme = cohort()
    taken = programme.group("g-02").meeting(3).start
    update = reschedule_meeting(programme.group("g-01"), 3, taken, programme=programme)
    assert "meeting-overlap" in {f.code for f in update.report.errors}
    alone = reschedule_meeting(programme.group("g-01"), 3, taken)
    assert "meeting-overlap" not in {f.code for f in alone.report.errors}


def test_holidays_blackouts_and_staff_away_are_avoided() -> None:
    """No alternative falls on an excluded day or a day the staff are away."""
    programme = cohort()
    current = programme.group("g-01").meeting(2).start
    first = current.date() - timedelta(days=14)
    summer = Blackout(first, current.date() - timedelta(days=1), "break")
    away = {
        "f-01": [Blackout(current.date() + timedelta(days=1), current.date() + timedelta(days=7))]
    }
    for alternative in alternative_slots(
        programme, "g-01", 2, blackouts=[summer], away=away, limit=50
    ):
        day = alternative.start.date()
        assert not summer.covers(day)
        assert not away["f-01"][0].covers(day)


def test_poll_slots_rank_by_answers() -> None:
    """With a poll, only slots the facilitator can attend, fewest no answers first."""
    programme = cohort()
    poll = Poll.from_answers(
        [Slot("mon-10", "Monday", time(10)), Slot("wed-12", "Wednesday", time(12))],
        {
            "f-01": {"mon-10": "yes", "wed-12": "yes"},
            "o-01": {"mon-10": "yes", "wed-12": "yes"},
            "p-g-01": {"mon-10": "no", "wed-12": "yes"},
        },
    )
    alternatives = alternative_slots(programme, "g-01", 4, poll=poll, limit=50)
    assert alternatives
    assert {a.slot for a in alternatives} <= {"mon-10", "wed-12"}
    assert alternatives[0].slot == "wed-12"
    assert all(a.unavailable == ("p-g-01",) for a in alternatives if a.slot == "mon-10")


def test_cancelled_meeting_gets_makeup_alternatives_and_held_is_refused() -> None:
    """A cancelled meeting gets alternatives; a held one is refused; unknowns are errors."""
    programme = cohort()
    cancelled = cancel_planned_meeting(programme.group("g-01"), 5).group
    with_cancel = programme.replace_group(cancelled)
    assert alternative_slots(with_cancel, "g-01", 5)
    held = hold_meeting(programme.group("g-01"), 1, attendance=["p-g-01"])
    with pytest.raises(DomainError):
        alternative_slots(programme.replace_group(held), "g-01", 1)
    with pytest.raises(UnknownReferenceError):
        alternative_slots(programme, "g-99", 1)
    with pytest.raises(NotAMeetingError):
        alternative_slots(programme, "g-01", 99)
    with pytest.raises(ScheduleError):
        alternative_slots(programme, "g-01", 2, within=0)


def test_nothing_free_gives_no_alternatives() -> None:
    """When the staff are busy every day around the meeting, the list is empty."""
    programme = cohort()
    current: datetime = programme.group("g-01").meeting(2).start
    away = {
        "f-01": [Blackout(current.date() - timedelta(days=20), current.date() + timedelta(days=20))]
    }
    assert alternative_slots(programme, "g-01", 2, away=away) == ()
