"""Expected attendance of planned meetings, from the days people cannot come.

A coordinator collects each participant's unavailable dates (holidays,
training days) and sees, before the meetings, who is expected at each one
and whether the facilitator and the observer can be there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

import attrs

from emessi.method.profiles import MethodProfile
from emessi.method.registry import get_profile
from emessi.model._checks import check_ids, zone
from emessi.model._strict import checked, strict
from emessi.model.groups import Group
from emessi.model.meetings import MeetingStatus
from emessi.model.people import Role
from emessi.scheduling._args import items

__all__ = ["ExpectedAttendance", "expected_attendance"]


@checked
@attrs.frozen(field_transformer=strict)
class ExpectedAttendance:
    """Who is expected at one planned meeting.

    Attributes:
        number: The meeting's number.
        start: When it starts.
        present: Members expected (not unavailable that day).
        absent: Members unavailable that day.
        required_absent: The facilitator or (when the profile requires
            one) the observer among the absent.

    Example:
        >>> from datetime import datetime, timezone
        >>> row = ExpectedAttendance(1, datetime(2025, 1, 14, 12, tzinfo=timezone.utc), ("p-01",), ("p-02",))
        >>> row.share, row.feasible
        (0.5, True)

    .. versionadded:: 0.1.0

    """

    number: int
    start: datetime
    present: tuple[str, ...] = attrs.field(default=(), validator=check_ids)
    absent: tuple[str, ...] = attrs.field(default=(), validator=check_ids)
    required_absent: tuple[str, ...] = attrs.field(default=(), validator=check_ids)

    @property
    def share(self) -> float:
        """The share of members expected, 0-1 (1 for a meeting with no members)."""
        total = len(self.present) + len(self.absent)
        return len(self.present) / total if total else 1.0

    @property
    def feasible(self) -> bool:
        """Every required person is expected."""
        return not self.required_absent


@checked
def expected_attendance(
    group: Group,
    unavailable: Mapping[str, Iterable[date]],
    *,
    profile: MethodProfile | str | None = None,
) -> tuple[ExpectedAttendance, ...]:
    """Who is expected at each planned meeting of *group*, in time order.

    A member is expected unless *unavailable* lists the meeting's local
    date (in the group's time zone) for them. Only members on that date
    count; held and cancelled meetings are left out.

    Args:
        group: The group and its planned meetings.
        unavailable: ``{person id: dates they cannot come}``.
        profile: Decides whether the observer is required (eMessi: yes).

    Example:
        >>> from datetime import date
        >>> from emessi import Group, Membership, Role
        >>> from emessi.scheduling import apply_plan, plan_schedule
        >>> plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00")
        >>> group = apply_plan(Group("g-01", memberships=[Membership("p-01"), Membership("p-02"),
        ...     Membership("f-01", Role.FACILITATOR)]), plan)
        >>> rows = expected_attendance(group, {"p-02": [date(2025, 10, 14)], "f-01": [date(2025, 11, 11)]})
        >>> [(r.number, r.absent, r.feasible) for r in rows[:3]]
        [(1, (), True), (2, ('p-02',), True), (3, ('f-01',), False)]

    .. versionadded:: 0.1.0

    """
    days_off = {
        person: frozenset(items(days, f"unavailable[{index}]", date))
        for index, (person, days) in enumerate(unavailable.items())
    }
    roles = {Role.FACILITATOR}
    if get_profile(profile).observer_required:
        roles.add(Role.OBSERVER)
    tz = zone(group.timezone)
    rows = []
    for meeting in sorted(group.meetings, key=lambda m: (m.start, m.number)):
        if meeting.status is not MeetingStatus.PLANNED:
            continue
        day = meeting.start.astimezone(tz).date()
        members = list(group.members(on=day))
        absent = {m.person for m in members if day in days_off.get(m.person, ())}
        rows.append(
            ExpectedAttendance(
                meeting.number,
                meeting.start,
                tuple(sorted({m.person for m in members} - absent)),
                tuple(sorted(absent)),
                tuple(sorted({m.person for m in members if m.role in roles} & absent)),
            )
        )
    return tuple(rows)
