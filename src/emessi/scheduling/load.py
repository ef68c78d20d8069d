"""Programme-level load: how much each facilitator and observer is booked.

A coordinator running a cohort (eMessi2 ran 11 groups) shares a few
facilitators and project workers among the groups. The ``meeting-overlap``
rule reports double bookings as findings; :func:`load_report` gives each
person's groups, meetings and hours, with their double bookings found the
same way (each person's meetings sorted by start time, one pass).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import attrs

from emessi.model._checks import check_id, check_ids, zone
from emessi.model._strict import check_for, checked, only_tuples, strict
from emessi.model.people import Role
from emessi.model.programme import Programme
from emessi.scheduling._args import items

__all__ = ["Overlap", "PersonLoad", "load_report"]

_ROLE = check_for(Role)


@checked
@attrs.frozen(field_transformer=strict)
class Overlap:
    """A person booked in meetings of two groups at once.

    Example:
        >>> Overlap("f-01", "g-01", 2, "g-02", 2)
        Overlap(person='f-01', group='g-01', number=2, other_group='g-02', other_number=2)

    .. versionadded:: 0.1.0

    """

    person: str = attrs.field(validator=check_id)
    group: str = attrs.field(validator=check_id)
    number: int
    other_group: str = attrs.field(validator=check_id)
    other_number: int


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _roles(values: Iterable[Role]) -> tuple[Role, ...]:
    return tuple(values)


def _overlaps(values: Iterable[Overlap]) -> tuple[Overlap, ...]:
    return tuple(values)


only_tuples(_strings, _roles, _overlaps)


@checked
@attrs.frozen(field_transformer=strict)
class PersonLoad:
    """One person's bookings across a programme.

    Attributes:
        person: The person's id.
        roles: Their roles in any group (facilitator, observer).
        groups: The groups they facilitate or observe, sorted.
        meetings: Their active (planned or held) meetings.
        minutes: The meetings' total length in minutes.
        overlaps: Meetings of theirs that overlap a meeting of another group.

    Example:
        >>> load = PersonLoad("f-01", (Role.FACILITATOR,), ("g-01",), 8, 720)
        >>> load.hours
        12.0

    .. versionadded:: 0.1.0

    """

    person: str = attrs.field(validator=check_id)
    roles: tuple[Role, ...] = attrs.field(converter=_roles)
    groups: tuple[str, ...] = attrs.field(converter=_strings, validator=check_ids)
    meetings: int = 0
    minutes: int = 0
    overlaps: tuple[Overlap, ...] = attrs.field(default=(), converter=_overlaps)

    @property
    def hours(self) -> float:
        """The meetings' total length in hours."""
        return self.minutes / 60


@checked
def load_report(
    programme: Programme, roles: Iterable[Role] = (Role.FACILITATOR, Role.OBSERVER)
) -> tuple[PersonLoad, ...]:
    """The load of everyone holding one of *roles* in a group, sorted by id.

    A person counts for a meeting when they were a member of the group on
    its local date; cancelled meetings do not count.

    Example:
        >>> from datetime import date
        >>> from emessi import Group, Membership, Programme, Role
        >>> from emessi.scheduling import apply_plan, plan_schedule
        >>> plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00")
        >>> groups = [apply_plan(Group(g, memberships=[Membership("f-01", Role.FACILITATOR)]), plan)
        ...           for g in ("g-01", "g-02")]
        >>> [load] = load_report(Programme("cohort", groups=groups))
        >>> load.groups, load.meetings, load.hours, len(load.overlaps)
        (('g-01', 'g-02'), 16, 24.0, 8)

    .. versionadded:: 0.1.0

    """
    wanted = {
        _ROLE(role, f"roles[{index}]") for index, role in enumerate(items(roles, "roles", object))
    }
    booked: dict[str, list[tuple[datetime, datetime, str, int]]] = defaultdict(list)
    held_roles: dict[str, set[Role]] = defaultdict(set)
    groups: dict[str, set[str]] = defaultdict(set)
    minutes: dict[str, int] = defaultdict(int)
    for group in programme.groups:
        tz = zone(group.timezone)
        people = [m for m in group.memberships if m.role in wanted]
        for membership in people:
            held_roles[membership.person].add(membership.role)
            groups[membership.person].add(group.id)
        for meeting in group.meetings:
            if not meeting.active:
                continue
            day = meeting.start.astimezone(tz).date()
            start = meeting.start.astimezone(UTC)
            for membership in people:
                if membership.active_on(day):
                    booked[membership.person].append(
                        (start, start + meeting.duration, group.id, meeting.number)
                    )
                    minutes[membership.person] += meeting.duration // timedelta(minutes=1)
    loads = []
    for person in sorted(held_roles):
        slots = sorted(booked.get(person, []))
        overlaps = []
        latest: tuple[datetime, datetime, str, int] | None = None
        for slot in slots:
            if latest is not None and slot[0] < latest[1] and slot[2] != latest[2]:
                overlaps.append(Overlap(person, slot[2], slot[3], latest[2], latest[3]))
            if latest is None or slot[1] > latest[1]:
                latest = slot
        loads.append(
            PersonLoad(
                person,
                sorted(held_roles[person], key=lambda r: r.value),
                sorted(groups[person]),
                len(slots),
                minutes[person],
                overlaps,
            )
        )
    return tuple(loads)
