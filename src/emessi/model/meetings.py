"""Meetings of a group and their agendas."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import attrs

from emessi.model._checks import (
    check_aware,
    check_duration,
    check_ids,
    check_nonnegative,
    check_optional_id,
    check_positive,
    hidden,
    strings,
)
from emessi.model._strict import Choice, checked, only_tuples, strict

__all__ = ["AgendaItem", "ChangeKind", "Meeting", "MeetingChange", "MeetingStatus"]


class MeetingStatus(Choice):
    """Where a meeting stands: planned, held or cancelled.

    Example:
        >>> MeetingStatus("held")
        <MeetingStatus.HELD: 'held'>

    .. versionadded:: 0.1.0

    """

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class ChangeKind(Choice):
    """What happened to a meeting after it was first planned.

    Example:
        >>> ChangeKind("rescheduled")
        <ChangeKind.RESCHEDULED: 'rescheduled'>

    .. versionadded:: 0.1.0
    """

    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    RESTORED = "restored"


@checked
@attrs.frozen(field_transformer=strict)
class MeetingChange:
    """One entry in a meeting's history of changes.

    Args:
        kind: Rescheduled, cancelled or restored.
        previous_start: The start before the change (for a reschedule).
        previous_duration: The duration before the change, if it changed.
        reason: Why (free text, personal data; hidden in the repr).

    Example:
        >>> MeetingChange(ChangeKind.CANCELLED, reason="facilitator ill")
        MeetingChange(kind=<ChangeKind.CANCELLED: 'cancelled'>, previous_start=None, previous_duration=None, reason=<hidden>)

    .. versionadded:: 0.1.0
    """

    kind: ChangeKind
    previous_start: datetime | None = attrs.field(
        default=None, validator=attrs.validators.optional(check_aware)
    )
    previous_duration: timedelta | None = attrs.field(
        default=None, validator=attrs.validators.optional(check_duration)
    )
    reason: str | None = attrs.field(default=None, repr=hidden)


@checked
@attrs.frozen(field_transformer=strict)
class AgendaItem:
    """One item of a meeting's agenda, with the minutes set aside for it.

    Args:
        title: What the item is, e.g. ``"Check-in round"``.
        minutes: Minutes reserved (at least 1).

    Example:
        >>> AgendaItem("Check-in round", 15)
        AgendaItem(title='Check-in round', minutes=15)

    .. versionadded:: 0.1.0

    """

    title: str
    minutes: int = attrs.field(validator=check_positive)


def _sorted_ids(ids: object) -> tuple[str, ...]:
    # Attendance is a set in meaning; keeping it sorted makes documents and
    # equality independent of the order it was recorded in.
    return tuple(sorted(set(ids)))  # type: ignore[call-overload]


def _meeting_changes(values: Iterable[MeetingChange]) -> tuple[MeetingChange, ...]:
    return tuple(values)


def _agenda_items(values: Iterable[AgendaItem]) -> tuple[AgendaItem, ...]:
    return tuple(values)


only_tuples(_meeting_changes, _agenda_items)


@checked
@attrs.frozen(field_transformer=strict)
class Meeting:
    """One online meeting (*tapaaminen*) of a group.

    eMessi meetings last 1.5-2 hours and a group meets 6-8 times, about once
    a month (eMessi2 source text). Times are always timezone-aware.

    Args:
        number: The meeting's place in the series, from 1.
        start: When it starts; a timezone-aware datetime.
        duration: How long it lasts; a positive whole number of minutes,
            at most 24 hours. The start lies between the years 1900 and
            2200.
        themes: Ids of the themes discussed (from the catalogue or the
            group's own themes).
        status: Planned, held or cancelled.
        attendance: Ids of the people present (recorded when held).
        secretary: Id of the peer keeping notes (*sihteeri*) this time.
        agenda: The agenda items; their minutes must fit the duration.
        notes: Free-text notes (personal data; hidden in the repr).
        series: An optional stable id of the series this meeting belongs
            to, kept when it is rescheduled.
        sequence: How many times the meeting was changed since first
            planned (the iCalendar ``SEQUENCE``).
        history: What changed, oldest first.
        makeup_for: For a make-up meeting, the number of the cancelled
            meeting it replaces.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> start = datetime(2014, 1, 14, 14, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
        >>> meeting = Meeting(1, start)
        >>> meeting.end.isoformat()
        '2014-01-14T15:30:00+02:00'
        >>> Meeting(1, datetime(2014, 1, 14, 14, 0))
        Traceback (most recent call last):
        ...
        emessi.errors.NaiveDatetimeError: start: a naive datetime has no time zone; attach one, e.g. datetime(..., tzinfo=ZoneInfo('Europe/Helsinki'))

    .. versionadded:: 0.1.0

    """

    number: int = attrs.field(validator=check_positive)
    start: datetime = attrs.field(validator=check_aware)
    duration: timedelta = attrs.field(default=timedelta(minutes=90), validator=check_duration)
    themes: tuple[str, ...] = attrs.field(default=(), converter=strings)
    status: MeetingStatus = MeetingStatus.PLANNED
    attendance: tuple[str, ...] = attrs.field(
        default=(), converter=_sorted_ids, validator=check_ids
    )
    secretary: str | None = attrs.field(default=None, validator=check_optional_id)
    agenda: tuple[AgendaItem, ...] = attrs.field(default=(), converter=_agenda_items)
    notes: str | None = attrs.field(default=None, repr=hidden)
    series: str | None = attrs.field(default=None, validator=check_optional_id)
    sequence: int = attrs.field(default=0, validator=check_nonnegative)
    history: tuple[MeetingChange, ...] = attrs.field(default=(), converter=_meeting_changes)
    makeup_for: int | None = None

    @property
    def end(self) -> datetime:
        """When the meeting ends: start + duration in elapsed time.

        Computed through UTC, so a meeting across a DST change still lasts
        its duration.
        """
        return (self.start.astimezone(UTC) + self.duration).astimezone(self.start.tzinfo)

    @property
    def active(self) -> bool:
        """True unless the meeting is cancelled."""
        return self.status is not MeetingStatus.CANCELLED
