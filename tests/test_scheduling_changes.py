"""Changing one meeting: reschedule, cancel, restore, make-up; the rhythm re-checked."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from emessi import ChangeKind, Group, MeetingStatus, hold_meeting
from emessi.errors import DomainError, NaiveDatetimeError, NotAMeetingError, ScheduleError
from emessi.scheduling import (
    add_makeup_meeting,
    apply_plan,
    cancel_planned_meeting,
    check_schedule,
    plan_schedule,
    reschedule_meeting,
    restore_meeting,
)

TZ = ZoneInfo("Europe/Helsinki")


def _group() -> Group:
    plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00", series="s-1")
    return apply_plan(Group("g-01"), plan)


def test_reschedule_keeps_identity_and_records_history() -> None:
    """A move keeps number and series, raises sequence, records the old start."""
    group = _group()
    old = group.meeting(2)
    update = reschedule_meeting(group, 2, old.start + timedelta(days=2), reason="clash")
    moved = update.meeting
    assert (moved.number, moved.series) == (2, "s-1")
    assert moved.sequence == old.sequence + 1
    assert moved.history[-1].kind is ChangeKind.RESCHEDULED
    assert moved.history[-1].previous_start == old.start
    assert moved.history[-1].previous_duration is None
    assert update.report.ok


def test_reschedule_twice_raises_sequence_each_time() -> None:
    """Every change raises the sequence by one."""
    group = _group()
    start = group.meeting(3).start
    once = reschedule_meeting(group, 3, start + timedelta(days=1)).group
    twice = reschedule_meeting(once, 3, start + timedelta(days=2), duration=timedelta(minutes=120))
    assert twice.meeting.sequence == 2
    assert twice.meeting.history[-1].previous_duration == timedelta(minutes=90)
    assert twice.meeting.duration == timedelta(minutes=120)


def test_reschedule_to_the_same_time_changes_nothing() -> None:
    """Moving a meeting to where it is leaves the group as it was."""
    group = _group()
    assert reschedule_meeting(group, 1, group.meeting(1).start).group == group


def test_a_move_that_breaks_the_rhythm_is_reported() -> None:
    """Moving a meeting a day after the previous one gives a meeting-rhythm error."""
    group = _group()
    update = reschedule_meeting(group, 3, group.meeting(2).start + timedelta(days=1))
    assert [(f.code, f.path) for f in update.report.errors] == [
        ("meeting-rhythm", "meetings[2].start")
    ]


def test_reschedule_refuses_held_cancelled_and_naive() -> None:
    """Held meetings cannot move, cancelled ones need restoring, naive starts are refused."""
    group = _group()
    later = group.meeting(1).start + timedelta(days=1)
    held = hold_meeting(group, 1, attendance=[])
    with pytest.raises(DomainError, match="already held"):
        reschedule_meeting(held, 1, later)
    cancelled = cancel_planned_meeting(group, 1).group
    with pytest.raises(ScheduleError, match="restore it first"):
        reschedule_meeting(cancelled, 1, later)
    with pytest.raises(NaiveDatetimeError):
        reschedule_meeting(group, 1, datetime(2025, 9, 10, 14))
    with pytest.raises(NotAMeetingError):
        reschedule_meeting(group, 99, later)


def test_changes_never_mutate_the_callers_group() -> None:
    """The group passed in is equal to a copy made before the change."""
    group = _group()
    copy = attrs.evolve(group)
    reschedule_meeting(group, 2, group.meeting(2).start + timedelta(days=1))
    cancel_planned_meeting(group, 2)
    assert group == copy


def test_cancel_then_restore_round_trip() -> None:
    """Cancel and restore bring the status back, with two history entries and sequence 2."""
    group = _group()
    cancelled = cancel_planned_meeting(group, 4, reason="ill")
    assert cancelled.meeting.status is MeetingStatus.CANCELLED
    restored = restore_meeting(cancelled.group, 4)
    assert restored.meeting.status is MeetingStatus.PLANNED
    assert [c.kind for c in restored.meeting.history] == [ChangeKind.CANCELLED, ChangeKind.RESTORED]
    assert restored.meeting.sequence == 2
    assert restored.meeting.start == group.meeting(4).start
    with pytest.raises(ScheduleError, match="not cancelled"):
        restore_meeting(restored.group, 4)


def test_makeup_meeting_replaces_a_cancelled_one() -> None:
    """A make-up takes the next number, the series, and restores the count."""
    group = _group()
    cancelled = cancel_planned_meeting(group, 8).group
    assert len(check_schedule(cancelled).by_code("meeting-count")) == 0  # 7 is still preferred
    start = cancelled.meeting(8).start + timedelta(days=7)
    update = add_makeup_meeting(cancelled, 8, start)
    makeup = update.meeting
    assert (makeup.number, makeup.makeup_for, makeup.series) == (9, 8, "s-1")
    assert makeup.duration == group.meeting(8).duration
    assert sum(1 for m in update.group.meetings if m.active) == 8
    with pytest.raises(ScheduleError, match="already has a make-up"):
        add_makeup_meeting(update.group, 8, start + timedelta(days=1))
    with pytest.raises(ScheduleError, match="cancel it first"):
        restore_meeting(update.group, 8)
    with pytest.raises(ScheduleError, match="not cancelled"):
        add_makeup_meeting(update.group, 3, start)


def test_cancelling_a_meeting_shows_the_longer_gap() -> None:
    """Cancelling a middle meeting doubles a gap; the report shows the rhythm warning."""
    group = _group()
    update = cancel_planned_meeting(group, 4)
    rhythm = update.report.by_code("meeting-rhythm")
    assert len(rhythm) == 1
    assert rhythm[0].path == "meetings[4].start"
    assert update.report.ok
