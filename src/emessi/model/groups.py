"""Groups, the memberships that make them up, and their ground rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import attrs

from emessi._i18n import _
from emessi.errors import NotAMeetingError
from emessi.model._checks import a_date, check_id, check_zone, hidden, safe_id, strings
from emessi.model._strict import check_for, checked, only_tuples, strict
from emessi.model.meetings import Meeting
from emessi.model.people import Role
from emessi.model.themes import Theme

__all__ = ["Group", "Membership"]

_ROLE = check_for(Role)
_NUMBER = check_for(int)


@checked
@attrs.frozen(field_transformer=strict)
class Membership:
    """A person's place in a group: their role, when they joined and left.

    Leaving is allowed in a closed group and is recorded here, with an
    optional reason; past attendance is kept.

    Args:
        person: The id of the :class:`~emessi.Person`.
        role: Peer, facilitator or observer.
        joined: The date they joined.
        left: The date they left, if they did.
        reason: Why they left (personal data; hidden in the repr).

    Example:
        >>> from datetime import date
        >>> Membership("p-01", Role.PEER, joined=date(2013, 11, 1))
        Membership(person='p-01', role=<Role.PEER: 'peer'>, joined=datetime.date(2013, 11, 1), left=None, reason=None)

    .. versionadded:: 0.1.0

    """

    person: str = attrs.field(validator=check_id)
    role: Role = Role.PEER
    joined: date | None = None
    left: date | None = None
    reason: str | None = attrs.field(default=None, repr=hidden)

    def active_on(self, day: date) -> bool:
        """Whether the person was a member on *day*.

        Example:
            >>> m = Membership("p-01", left=date(2014, 3, 1))
            >>> m.active_on(date(2014, 2, 1)), m.active_on(date(2014, 3, 2))
            (True, False)

        """
        if day.__class__ is not date:  # hot in validation: the check inline
            day = a_date(day, "day")
        if self.joined is not None and day < self.joined:
            return False
        return self.left is None or day < self.left


def _memberships(values: Iterable[Membership]) -> tuple[Membership, ...]:
    return tuple(values)


def _meetings(values: Iterable[Meeting]) -> tuple[Meeting, ...]:
    return tuple(values)


def _themes(values: Iterable[Theme]) -> tuple[Theme, ...]:
    return tuple(values)


only_tuples(_memberships, _meetings, _themes)


@checked
@attrs.frozen(field_transformer=strict)
class Group:
    """A closed peer-mentoring group (*vertaisryhmä*, *suljettu ryhmä*).

    In eMessi a group has, as a rule, 5-6 peers, one facilitator and one
    observer who is also the technical support; it meets online 6-8 times,
    about monthly, on a jointly agreed schedule, and chooses its own themes
    (eMessi2 source text).

    Args:
        id: A short stable id, unique in the programme (``"g-03"``).
        name: A display name.
        timezone: The IANA time zone the group schedules in.
        memberships: Who is in the group, in which role.
        meetings: The meetings, in series order.
        themes: Themes the group added beyond the catalogue.
        ground_rules: Ground rules the group agreed (*pelisäännöt*).
        link: The online meeting link.

    Example:
        >>> group = Group("g-01", memberships=[Membership("p-01"), Membership("f-01", Role.FACILITATOR)])
        >>> [m.person for m in group.members(Role.PEER)]
        ['p-01']

    .. versionadded:: 0.1.0

    """

    id: str = attrs.field(validator=check_id)
    name: str = ""
    timezone: str = attrs.field(default="Europe/Helsinki", validator=check_zone)
    memberships: tuple[Membership, ...] = attrs.field(default=(), converter=_memberships)
    meetings: tuple[Meeting, ...] = attrs.field(default=(), converter=_meetings)
    themes: tuple[Theme, ...] = attrs.field(default=(), converter=_themes)
    ground_rules: tuple[str, ...] = attrs.field(default=(), converter=strings)
    link: str | None = attrs.field(default=None, repr=hidden)

    def members(self, role: Role | None = None, *, on: date | None = None) -> Iterator[Membership]:
        """The memberships with *role* (all roles if None), active *on* a day.

        Without *on*, members who have not left.

        Example:
            >>> g = Group("g-01", memberships=[Membership("p-01"), Membership("p-02", left=date(2014, 1, 1))])
            >>> [m.person for m in g.members(Role.PEER)]
            ['p-01']

        """
        if role is not None and role.__class__ is not Role:
            role = _ROLE(role, "role")
        if on is not None and on.__class__ is not date:
            on = a_date(on, "on")
        for membership in self.memberships:
            if role is not None and membership.role is not role:
                continue
            if on is None:
                if membership.left is None:
                    yield membership
            elif membership.active_on(on):
                yield membership

    def meeting(self, number: int) -> Meeting:
        """The meeting with *number*.

        Raises:
            NotAMeetingError: the group has no meeting *number* (also a
                :class:`LookupError`, so ``except LookupError`` catches it).

        Example:
            >>> Group("g-01").meeting(1)
            Traceback (most recent call last):
            ...
            emessi.errors.NotAMeetingError: meetings: group 'g-01' has no meeting number 1

        """
        if number.__class__ is not int:
            number = _NUMBER(number, "number")
        for meeting in self.meetings:
            if meeting.number == number:
                return meeting
        raise NotAMeetingError(
            _("group {group} has no meeting number {number}").format(
                group=safe_id(self.id), number=number
            ),
            path="meetings",
        )
