"""Changes to a group over its life, as functions that return new objects.

Nothing here mutates: each function returns a new :class:`~emessi.Group`
(``attrs.evolve``) or raises a :class:`~emessi.errors.DomainError` for a
change the method forbids.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from emessi._i18n import _
from emessi.errors import (
    ClosedGroupError,
    DomainError,
    NotAMemberError,
)
from emessi.model._checks import safe_id, zone
from emessi.model._strict import checked
from emessi.model.groups import Group, Membership
from emessi.model.meetings import ChangeKind, Meeting, MeetingChange, MeetingStatus
from emessi.model.people import Role

__all__ = [
    "add_member",
    "assign_secretaries",
    "cancel_meeting",
    "hold_meeting",
    "local_date",
    "remove_member",
]


@checked
def local_date(group: Group, meeting: Meeting) -> date:
    """The calendar date of *meeting* in the group's time zone.

    Example:
        >>> from datetime import datetime, timezone
        >>> g = Group("g-01")
        >>> m = Meeting(1, datetime(2014, 1, 14, 22, 30, tzinfo=timezone.utc))
        >>> local_date(g, m)
        datetime.date(2014, 1, 15)

    .. versionadded:: 0.1.0

    """
    return meeting.start.astimezone(zone(group.timezone)).date()


def _replace_meeting(group: Group, meeting: Meeting) -> Group:
    return attrs.evolve(
        group,
        meetings=tuple(meeting if m.number == meeting.number else m for m in group.meetings),
    )


@checked
def add_member(
    group: Group, person: str, role: Role = Role.PEER, *, joined: date | None = None
) -> Group:
    """Add *person* to *group* in *role*.

    eMessi groups are closed (*suljettu ryhmä*): once a meeting has been
    held, no new peer joins. A facilitator or observer may still be
    replaced.

    Raises:
        ClosedGroupError: a peer joining after a held meeting.
        DomainError: the person is already an active member.

    Example:
        >>> g = add_member(Group("g-01"), "p-01")
        >>> [m.person for m in g.memberships]
        ['p-01']

    .. versionadded:: 0.1.0

    """
    if any(m.person == person and m.left is None for m in group.memberships):
        raise DomainError(
            _("{person} is already a member of group {group}").format(
                person=safe_id(person), group=safe_id(group.id)
            ),
            path="memberships",
        )
    if role is Role.PEER:
        held = [m for m in group.meetings if m.status is MeetingStatus.HELD]
        if held:
            first = min(held, key=lambda m: m.start)
            raise ClosedGroupError(
                _(
                    "group {group} is closed: its first meeting was held on {day},"
                    " so no new peer can join"
                ).format(group=safe_id(group.id), day=local_date(group, first).isoformat()),
                path="memberships",
            )
    membership = Membership(person, role, joined=joined)
    return attrs.evolve(group, memberships=(*group.memberships, membership))


@checked
def remove_member(group: Group, person: str, *, left: date, reason: str | None = None) -> Group:
    """Record that *person* left *group* on *left*.

    Leaving is always allowed; the membership is kept with its end date,
    and past attendance stays as it was.

    Raises:
        NotAMemberError: *person* is not an active member.

    Example:
        >>> g = add_member(Group("g-01"), "p-01")
        >>> remove_member(g, "p-01", left=date(2014, 3, 1)).memberships[0].left
        datetime.date(2014, 3, 1)

    .. versionadded:: 0.1.0

    """
    for index, membership in enumerate(group.memberships):
        if membership.person == person and membership.left is None:
            if membership.joined is not None and left < membership.joined:
                raise DomainError(
                    _("a member cannot leave before joining"),
                    path=f"memberships[{index}].left",
                )
            changed = attrs.evolve(membership, left=left, reason=reason)
            memberships = list(group.memberships)
            memberships[index] = changed
            return attrs.evolve(group, memberships=tuple(memberships))
    raise NotAMemberError(
        _("{person} is not an active member of group {group}").format(
            person=safe_id(person), group=safe_id(group.id)
        ),
        path="memberships",
    )


@checked
def hold_meeting(
    group: Group,
    number: int,
    *,
    attendance: Iterable[str],
    secretary: str | None = None,
    notes: str | None = None,
) -> Group:
    """Mark meeting *number* as held and record who attended.

    Raises:
        NotAMemberError: someone in *attendance* (or the secretary) was not a
            member of the group on the meeting's date.
        DomainError: the meeting was cancelled.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> start = datetime(2014, 1, 14, 14, tzinfo=ZoneInfo("Europe/Helsinki"))
        >>> g = Group("g-01", memberships=[Membership("p-01")], meetings=[Meeting(1, start)])
        >>> hold_meeting(g, 1, attendance=["p-01"]).meeting(1).status
        <MeetingStatus.HELD: 'held'>
        >>> hold_meeting(g, 1, attendance=["x-99"])
        Traceback (most recent call last):
        ...
        emessi.errors.NotAMemberError: meetings[0].attendance: 'x-99' was not a member of group 'g-01' on 2014-01-14

    .. versionadded:: 0.1.0

    """
    meeting = group.meeting(number)
    index = group.meetings.index(meeting)
    if meeting.status is MeetingStatus.CANCELLED:
        raise DomainError(
            _("meeting {number} of group {group} was cancelled").format(
                number=number, group=safe_id(group.id)
            ),
            path=f"meetings[{index}].status",
        )
    day = local_date(group, meeting)
    present = {m.person for m in group.members(on=day)}
    attendance = tuple(attendance)
    for person in attendance:
        if person not in present:
            raise NotAMemberError(
                _("{person} was not a member of group {group} on {day}").format(
                    person=safe_id(person), group=safe_id(group.id), day=day.isoformat()
                ),
                path=f"meetings[{index}].attendance",
            )
    if secretary is not None and secretary not in {
        m.person for m in group.members(Role.PEER, on=day)
    }:
        raise NotAMemberError(
            _("the secretary {person} is not a peer of group {group}").format(
                person=safe_id(secretary), group=safe_id(group.id)
            ),
            path=f"meetings[{index}].secretary",
        )
    held = attrs.evolve(
        meeting,
        status=MeetingStatus.HELD,
        attendance=attendance,
        secretary=secretary if secretary is not None else meeting.secretary,
        notes=notes if notes is not None else meeting.notes,
    )
    return _replace_meeting(group, held)


@checked
def cancel_meeting(group: Group, number: int, *, reason: str | None = None) -> Group:
    """Mark meeting *number* as cancelled; it stays in the series.

    The change is recorded in the meeting's history and its ``sequence``
    is raised, so calendar clients update the invitation.

    Raises:
        DomainError: the meeting was already held.

    Example:
        >>> from datetime import datetime, timezone
        >>> g = Group("g-01", meetings=[Meeting(1, datetime(2014, 1, 14, 12, tzinfo=timezone.utc))])
        >>> cancel_meeting(g, 1).meeting(1).status
        <MeetingStatus.CANCELLED: 'cancelled'>

    .. versionadded:: 0.1.0

    """
    meeting = group.meeting(number)
    if meeting.status is MeetingStatus.HELD:
        raise DomainError(
            _("meeting {number} of group {group} was already held").format(
                number=number, group=safe_id(group.id)
            ),
            path=f"meetings[{group.meetings.index(meeting)}].status",
        )
    if meeting.status is MeetingStatus.CANCELLED:
        return group
    change = MeetingChange(ChangeKind.CANCELLED, reason=reason)
    return _replace_meeting(
        group,
        attrs.evolve(
            meeting,
            status=MeetingStatus.CANCELLED,
            sequence=meeting.sequence + 1,
            history=(*meeting.history, change),
        ),
    )


@checked
def assign_secretaries(group: Group, *, overwrite: bool = False) -> Group:
    """Give each active meeting a secretary (*sihteeri*), in rotation.

    The peers take turns in the order they appear in the group's
    memberships; a peer who is not a member on a meeting's date is skipped.
    Meetings that already have a secretary keep theirs unless *overwrite*.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2014, 1, 14, 12, tzinfo=timezone.utc)
        >>> g = Group("g-01", memberships=[Membership("p-01"), Membership("p-02")],
        ...           meetings=[Meeting(n, t0 + timedelta(days=28 * n)) for n in (1, 2, 3)])
        >>> [m.secretary for m in assign_secretaries(g).meetings]
        ['p-01', 'p-02', 'p-01']

    .. versionadded:: 0.1.0

    """
    # No early return without peers: overwrite=True must still clear a
    # secretary who is not a peer.
    peers = [m for m in group.memberships if m.role is Role.PEER]
    turn = 0
    meetings = list(group.meetings)
    order = sorted(range(len(meetings)), key=lambda i: (meetings[i].start, meetings[i].number))
    for index in order:
        meeting = meetings[index]
        if not meeting.active or (meeting.secretary and not overwrite):
            continue
        day = local_date(group, meeting)
        chosen = None
        for step in range(len(peers)):
            candidate = peers[(turn + step) % len(peers)]
            if candidate.active_on(day):
                chosen = candidate
                turn = (turn + step + 1) % len(peers)
                break
        meetings[index] = attrs.evolve(meeting, secretary=chosen.person if chosen else None)
    return attrs.evolve(group, meetings=tuple(meetings))
