"""Changing one meeting of a planned series: move, cancel, restore, make up.

Each change keeps the meeting's ``series`` id, raises its ``sequence``
(the iCalendar ``SEQUENCE``, so calendar clients update the invitation) and
appends to its history. Each returns a :class:`ScheduleUpdate`: the new
group and the schedule rules' findings for it, so that a move that breaks
the "about once a month" rhythm is seen at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from emessi._i18n import _
from emessi.errors import DomainError, ScheduleError, UsageError
from emessi.method.profiles import MethodProfile
from emessi.model._checks import check_aware, check_duration, safe_id
from emessi.model._strict import checked, strict
from emessi.model.changes import cancel_meeting
from emessi.model.groups import Group
from emessi.model.meetings import ChangeKind, Meeting, MeetingChange, MeetingStatus
from emessi.model.programme import Programme
from emessi.rules import Report, validate
from emessi.scheduling._report import check_schedule

__all__ = [
    "ScheduleUpdate",
    "add_makeup_meeting",
    "cancel_planned_meeting",
    "reschedule_meeting",
    "restore_meeting",
]


@checked
@attrs.frozen(field_transformer=strict)
class ScheduleUpdate:
    """A changed group and the schedule rules' findings for it.

    Args:
        group: The group after the change.
        number: The number of the meeting changed or added.
        report: The findings of :func:`~emessi.scheduling.check_schedule`.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from emessi import Group, Meeting
        >>> tz = ZoneInfo("Europe/Helsinki")
        >>> group = Group("g-01", meetings=[Meeting(n, datetime(2025, n, 14, 14, tzinfo=tz)) for n in range(1, 8)])
        >>> update = reschedule_meeting(group, 3, datetime(2025, 3, 21, 14, tzinfo=tz))
        >>> update.group.meeting(3).sequence, update.report.ok
        (1, True)

    .. versionadded:: 0.1.0

    """

    group: Group
    number: int
    report: Report

    @property
    def meeting(self) -> Meeting:
        """The meeting changed or added."""
        return self.group.meeting(self.number)


def _replace(group: Group, meeting: Meeting) -> Group:
    return attrs.evolve(
        group,
        meetings=tuple(meeting if m.number == meeting.number else m for m in group.meetings),
    )


def _checked(
    group: Group, profile: MethodProfile | str | None, programme: Programme | None
) -> Report:
    """The schedule findings for *group*, and across *programme* its double bookings."""
    report = check_schedule(group, profile)
    if programme is None:
        return report
    if not isinstance(programme, Programme):
        raise UsageError(_("programme is a Programme"), path="programme")
    whole = programme.replace_group(group)
    # The programme-wide overlap rule reports each double booking once, on
    # the later meeting; keep those that touch this group either way.
    mine = f'groups["{group.id}"]'
    named = f"group {safe_id(group.id)}"
    overlaps = tuple(
        f
        for f in validate(whole, profile if profile is not None else programme.profile).findings
        if f.code == "meeting-overlap" and (f.path.startswith(mine) or named in f.message)
    )
    return Report(report.findings + overlaps)


def _index(group: Group, meeting: Meeting) -> int:
    return group.meetings.index(meeting)


def _checked_start(start: datetime) -> datetime:
    try:
        check_aware(None, _START, start)
    except DomainError as error:
        raise type(error)(error.message, path="start") from None
    return start


def _checked_duration(duration: timedelta) -> timedelta:
    check_duration(None, _DURATION, duration)
    return duration


@attrs.frozen
class _Field:
    name: str


_START, _DURATION = _Field("start"), _Field("duration")


@checked
def reschedule_meeting(
    group: Group,
    number: int,
    start: datetime,
    *,
    duration: timedelta | None = None,
    reason: str | None = None,
    profile: MethodProfile | str | None = None,
    programme: Programme | None = None,
) -> ScheduleUpdate:
    """Move planned meeting *number* to *start* (and optionally a new duration).

    With *programme* (the cohort the group belongs to), the report also has
    the programme-wide ``meeting-overlap`` findings that involve the group:
    a move that puts a shared facilitator in two meetings at once is seen at
    once. :func:`~emessi.scheduling.alternative_slots` lists moves that
    keep the whole programme clean.

    Raises:
        NotAMeetingError: no meeting *number*.
        DomainError: the meeting was already held.
        ScheduleError: the meeting is cancelled (restore it first, or add a
            make-up meeting).
        NaiveDatetimeError: *start* has no time zone.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from emessi import Group, Meeting
        >>> tz = ZoneInfo("Europe/Helsinki")
        >>> group = Group("g-01", meetings=[Meeting(n, datetime(2025, n, 14, 14, tzinfo=tz), series="s-1") for n in range(1, 8)])
        >>> update = reschedule_meeting(group, 2, datetime(2025, 2, 3, 14, tzinfo=tz), reason="ski holiday")
        >>> moved = update.meeting
        >>> moved.series, moved.sequence, moved.history[0].previous_start.date().isoformat()
        ('s-1', 1, '2025-02-14')
        >>> print(update.report)
        0 errors, 1 warning
          warning meeting-rhythm      meetings[1].start: 20 days after the previous meeting; the emessi profile prefers 21-42 days (allowed 14-92).
        >>> from emessi import Membership, Programme, Role
        >>> f = [Membership("f-01", Role.FACILITATOR)]
        >>> cohort = Programme("c", groups=[attrs.evolve(group, memberships=f),
        ...     Group("g-02", memberships=f, meetings=[Meeting(1, datetime(2025, 2, 3, 14, tzinfo=tz))])])
        >>> clash = reschedule_meeting(cohort.group("g-01"), 2, datetime(2025, 2, 3, 14, tzinfo=tz), programme=cohort)
        >>> [f.code for f in clash.report.errors]
        ['meeting-overlap']

    .. versionadded:: 0.1.0

    """
    meeting = group.meeting(number)
    index = _index(group, meeting)
    if meeting.status is MeetingStatus.HELD:
        raise DomainError(
            _("meeting {number} of group {id} was already held").format(
                number=number, id=safe_id(group.id)
            ),
            path=f"meetings[{index}].status",
        )
    if meeting.status is MeetingStatus.CANCELLED:
        raise ScheduleError(
            _(
                "meeting {number} of group {id} is cancelled; restore it first or add a make-up meeting"
            ).format(number=number, id=safe_id(group.id)),
            path=f"meetings[{index}].status",
        )
    start = _checked_start(start)
    new_duration = meeting.duration if duration is None else _checked_duration(duration)
    if start == meeting.start and new_duration == meeting.duration:
        return ScheduleUpdate(group, number, _checked(group, profile, programme))
    change = MeetingChange(
        ChangeKind.RESCHEDULED,
        previous_start=meeting.start,
        previous_duration=meeting.duration if new_duration != meeting.duration else None,
        reason=reason,
    )
    moved = attrs.evolve(
        meeting,
        start=start,
        duration=new_duration,
        sequence=meeting.sequence + 1,
        history=(*meeting.history, change),
    )
    changed = _replace(group, moved)
    return ScheduleUpdate(changed, number, _checked(changed, profile, programme))


@checked
def cancel_planned_meeting(
    group: Group,
    number: int,
    *,
    reason: str | None = None,
    profile: MethodProfile | str | None = None,
    programme: Programme | None = None,
) -> ScheduleUpdate:
    """Cancel meeting *number* (see :func:`emessi.cancel_meeting`) and re-check the schedule.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from emessi import Group, Meeting
        >>> tz = ZoneInfo("Europe/Helsinki")
        >>> group = Group("g-01", meetings=[Meeting(n, datetime(2025, n, 14, 14, tzinfo=tz)) for n in range(1, 7)])
        >>> update = cancel_planned_meeting(group, 3)
        >>> update.meeting.status.value, [(f.code, f.severity.value) for f in update.report]
        ('cancelled', [('meeting-count', 'warning'), ('meeting-rhythm', 'warning')])

    .. versionadded:: 0.1.0

    """
    changed = cancel_meeting(group, number, reason=reason)
    return ScheduleUpdate(changed, number, _checked(changed, profile, programme))


def _makeup_of(group: Group, number: int) -> Meeting | None:
    for meeting in group.meetings:
        if meeting.makeup_for == number and meeting.active:
            return meeting
    return None


@checked
def restore_meeting(
    group: Group,
    number: int,
    *,
    reason: str | None = None,
    profile: MethodProfile | str | None = None,
    programme: Programme | None = None,
) -> ScheduleUpdate:
    """Undo the cancellation of meeting *number*: it is planned again.

    Raises:
        ScheduleError: the meeting is not cancelled, or an active make-up
            meeting replaces it (cancel that first).

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from emessi import Group, Meeting
        >>> tz = ZoneInfo("Europe/Helsinki")
        >>> group = Group("g-01", meetings=[Meeting(n, datetime(2025, n, 14, 14, tzinfo=tz)) for n in range(1, 8)])
        >>> restored = restore_meeting(cancel_planned_meeting(group, 3).group, 3).meeting
        >>> restored.status.value, restored.sequence, [c.kind.value for c in restored.history]
        ('planned', 2, ['cancelled', 'restored'])

    .. versionadded:: 0.1.0

    """
    meeting = group.meeting(number)
    index = _index(group, meeting)
    if meeting.status is not MeetingStatus.CANCELLED:
        raise ScheduleError(
            _("meeting {number} of group {id} is not cancelled").format(
                number=number, id=safe_id(group.id)
            ),
            path=f"meetings[{index}].status",
        )
    makeup = _makeup_of(group, number)
    if makeup is not None:
        raise ScheduleError(
            _(
                "meeting {number} of group {id} makes up for meeting {number2}; cancel it first"
            ).format(number=makeup.number, id=safe_id(group.id), number2=number),
            path=f"meetings[{_index(group, makeup)}].makeup_for",
        )
    restored = attrs.evolve(
        meeting,
        status=MeetingStatus.PLANNED,
        sequence=meeting.sequence + 1,
        history=(*meeting.history, MeetingChange(ChangeKind.RESTORED, reason=reason)),
    )
    changed = _replace(group, restored)
    return ScheduleUpdate(changed, number, _checked(changed, profile, programme))


@checked
def add_makeup_meeting(
    group: Group,
    number: int,
    start: datetime,
    *,
    duration: timedelta | None = None,
    profile: MethodProfile | str | None = None,
    programme: Programme | None = None,
) -> ScheduleUpdate:
    """Add a make-up meeting at *start* for cancelled meeting *number*.

    The make-up meeting takes the next free number, the cancelled
    meeting's series, duration, themes and agenda, and ``makeup_for``
    pointing at it. Numbers are never reused, so calendar invitations
    of other meetings stay as they were.

    Raises:
        ScheduleError: meeting *number* is not cancelled, or already has
            an active make-up meeting.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from emessi import Group, Meeting
        >>> tz = ZoneInfo("Europe/Helsinki")
        >>> group = Group("g-01", meetings=[Meeting(n, datetime(2025, n, 14, 14, tzinfo=tz)) for n in range(1, 7)])
        >>> cancelled = cancel_planned_meeting(group, 3).group
        >>> update = add_makeup_meeting(cancelled, 3, datetime(2025, 3, 25, 14, tzinfo=tz))
        >>> update.number, update.meeting.makeup_for, update.report.ok
        (7, 3, True)

    .. versionadded:: 0.1.0

    """
    meeting = group.meeting(number)
    index = _index(group, meeting)
    if meeting.status is not MeetingStatus.CANCELLED:
        raise ScheduleError(
            _("meeting {number} of group {id} is not cancelled; move it instead").format(
                number=number, id=safe_id(group.id)
            ),
            path=f"meetings[{index}].status",
        )
    if _makeup_of(group, number) is not None:
        raise ScheduleError(
            _("meeting {number} of group {id} already has a make-up meeting").format(
                number=number, id=safe_id(group.id)
            ),
            path=f"meetings[{index}]",
        )
    start = _checked_start(start)
    new_number = max(m.number for m in group.meetings) + 1
    makeup = Meeting(
        new_number,
        start,
        meeting.duration if duration is None else _checked_duration(duration),
        themes=meeting.themes,
        agenda=meeting.agenda,
        series=meeting.series,
        makeup_for=number,
    )
    changed = attrs.evolve(group, meetings=(*group.meetings, makeup))
    return ScheduleUpdate(changed, new_number, _checked(changed, profile, programme))
