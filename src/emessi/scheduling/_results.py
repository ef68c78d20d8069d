"""What the programme planner returns: the plan, its cost, and obstacles when it fails.

:func:`~emessi.scheduling.plan_programme` returns a :class:`ProgrammePlan`;
when no plan exists, :class:`~emessi.errors.PlanningError` carries
:class:`Obstacle` values that name people, groups and weeks by id only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from emessi._i18n import _, ngettext, pgettext
from emessi.errors import UnknownReferenceError, UsageError
from emessi.model._checks import check_id, check_ids, check_optional_id, safe_id
from emessi.model._strict import Choice, checked, only_tuples, strict
from emessi.model.programme import Programme
from emessi.rules import Report
from emessi.scheduling._candidates import describe
from emessi.scheduling.plan import SchedulePlan

__all__ = ["GroupSchedule", "Obstacle", "ObstacleKind", "PlanCost", "PlanWeights", "ProgrammePlan"]


def _weight(instance: object, attribute: Any, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(_("a weight is a whole number, 0 or more"), path=attribute.name)


@checked
@attrs.frozen(field_transformer=strict)
class PlanWeights:
    """What the programme planner minimises, each term with its weight.

    The defaults are emessi's assumption, ordered as a coordinator would:
    a peer who cannot come weighs most, then a peer who comes only if need
    be, then moving a group away from what it asked for; irregular gaps
    and staff days with a single meeting are tie-breakers.

    Args:
        no: Per peer who answered *no* to the group's slot in the poll.
        if_need_be: Per peer who answered *if need be*.
        away: Per meeting that falls on a day a peer said they are away.
        distance: Per step from the requested rule or slot: one step per
            weekday, week of the month (or of a multi-week rhythm) and hour
            the series is moved by.
        irregular: Per day a gap between two meetings falls outside the
            profile's preferred interval (eMessi: 21-42 days), as when a
            holiday skips a month.
        lonely_day: Per day on which a facilitator or observer has a single
            meeting (two on one day save them a day).

    Example:
        >>> PlanWeights().no, PlanWeights(distance=0).distance
        (100, 0)

    .. versionadded:: 0.1.0

    """

    no: int = attrs.field(default=100, validator=_weight)
    if_need_be: int = attrs.field(default=20, validator=_weight)
    away: int = attrs.field(default=30, validator=_weight)
    distance: int = attrs.field(default=10, validator=_weight)
    irregular: int = attrs.field(default=1, validator=_weight)
    lonely_day: int = attrs.field(default=3, validator=_weight)


@checked
@attrs.frozen(field_transformer=strict)
class PlanCost:
    """The counts behind a plan's cost, and the total under its weights.

    Attributes:
        no: Peers who answered *no* to their group's slot (summed over groups).
        if_need_be: Peers who answered *if need be*.
        away: Peer-meetings on a day the peer is away.
        distance: Steps from the requested rules or slots.
        irregular: Days of gaps outside the preferred interval.
        lonely_days: Staff days with a single meeting.
        weights: The weights of the total.

    Example:
        >>> PlanCost(distance=2, lonely_days=4).total
        32

    .. versionadded:: 0.1.0

    """

    no: int = 0
    if_need_be: int = 0
    away: int = 0
    distance: int = 0
    irregular: int = 0
    lonely_days: int = 0
    weights: PlanWeights = PlanWeights()

    @property
    def total(self) -> int:
        """The weighted sum the planner minimises."""
        w = self.weights
        return (
            w.no * self.no
            + w.if_need_be * self.if_need_be
            + w.away * self.away
            + w.distance * self.distance
            + w.irregular * self.irregular
            + w.lonely_day * self.lonely_days
        )


def _ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@checked
@attrs.frozen(field_transformer=strict)
class GroupSchedule:
    """The series the planner chose for one group, and what it costs.

    Attributes:
        group: The group's id.
        plan: The planned series (meetings and adjustments).
        slot: The poll slot's id, when a poll was given.
        distance: Steps from what the group asked for.
        unavailable: Peers who answered *no* to the slot.
        if_need_be: Peers who answered *if need be*.
        away: Peers away on at least one of the meetings' days.
        irregular: Days of gaps outside the preferred interval.

    Example:
        >>> from datetime import date
        >>> from emessi.scheduling import plan_schedule
        >>> plan = plan_schedule(date(2026, 9, 1), "second Tuesday of each month at 14:00")
        >>> GroupSchedule("g-01", plan).description
        'second Tuesday of each month at 14:00'

    .. versionadded:: 0.1.0

    """

    group: str = attrs.field(validator=check_id)
    plan: SchedulePlan
    slot: str | None = attrs.field(default=None, validator=check_optional_id)
    distance: int = 0
    unavailable: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=check_ids)
    if_need_be: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=check_ids)
    away: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=check_ids)
    irregular: int = 0

    @property
    def rule(self) -> str:
        """The RFC 5545 RRULE of the series."""
        return self.plan.rule

    @property
    def description(self) -> str:
        """The rule in words where it has a simple form, e.g. "second Tuesday of each month"."""
        return describe(self.plan.rule)


class ObstacleKind(Choice):
    """Why a programme has no conflict-free plan.

    - ``NO_SERIES``: a group has no series at all (its required staff
      cannot attend any slot, are away, or holidays and blackouts leave too
      few meetings in the window or break the rhythm).
    - ``DOUBLE_BOOKED``: a person would be in two groups' meetings at once
      (or closer than the buffer) however the planner tried.
    - ``DAY_FULL``: a person would have more meetings a day than the cap.

    Example:
        >>> ObstacleKind("double-booked").name
        'DOUBLE_BOOKED'

    .. versionadded:: 0.1.0

    """

    NO_SERIES = "no-series"
    DOUBLE_BOOKED = "double-booked"
    DAY_FULL = "day-full"


def _weeks(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


@checked
@attrs.frozen(field_transformer=strict)
class Obstacle:
    """One reason a programme could not be planned, in ids only.

    Attributes:
        kind: What kind of obstacle.
        groups: The groups involved.
        person: The person involved (a staff member, or a peer in two
            groups), when there is one.
        weeks: ISO weeks involved (``2026-W37``).
        detail: A short explanation without personal data.

    Example:
        >>> print(Obstacle(ObstacleKind.DOUBLE_BOOKED, ("g-01", "g-02"), "f-01", ("2026-W37",)))
        f-01 is needed by g-01 and g-02 at once (or within the buffer) in 2026-W37

    .. versionadded:: 0.1.0

    """

    kind: ObstacleKind
    groups: tuple[str, ...] = attrs.field(converter=_ids, validator=check_ids)
    person: str | None = attrs.field(default=None, validator=check_optional_id)
    weeks: tuple[str, ...] = attrs.field(default=(), converter=_weeks, validator=check_ids)
    detail: str = ""

    def __str__(self) -> str:
        if len(self.groups) == 2:
            groups = _("{first} and {second}").format(first=self.groups[0], second=self.groups[1])
        else:
            groups = ", ".join(self.groups)
        weeks = _(" in {weeks}").format(weeks=", ".join(self.weeks)) if self.weeks else ""
        if self.kind is ObstacleKind.DOUBLE_BOOKED:
            text = _("{person} is needed by {groups} at once (or within the buffer){weeks}").format(
                person=self.person, groups=groups, weeks=weeks
            )
        elif self.kind is ObstacleKind.DAY_FULL:
            text = _(
                "{person} would have more meetings a day than allowed, for {groups}{weeks}"
            ).format(person=self.person, groups=groups, weeks=weeks)
        else:
            text = _("group {groups} has no series").format(groups=groups)
        return _("{text}: {detail}").format(text=text, detail=self.detail) if self.detail else text


def _schedules(values: Iterable[GroupSchedule]) -> tuple[GroupSchedule, ...]:
    return tuple(values)


only_tuples(_ids, _schedules)


@checked
@attrs.frozen(field_transformer=strict)
class ProgrammePlan:
    """A programme with every group planned, and how the plan was chosen.

    Attributes:
        programme: The programme with the planned meetings.
        schedules: The series chosen for each planned group.
        cost: The plan's cost terms and total.
        report: :func:`~emessi.validate` of the planned programme.
        seed: The seed the planner used.

    Example:
        >>> from datetime import date
        >>> from emessi import Group, Membership, Programme, Role
        >>> from emessi.scheduling import plan_programme
        >>> staff = [Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)]
        >>> programme = Programme("c", groups=[Group(g, memberships=staff) for g in ("g-01", "g-02")])
        >>> plan = plan_programme(programme, date(2026, 9, 1), rule="second Tuesday of each month at 14:00")
        >>> [s.description for s in plan.schedules]
        ['second Tuesday of each month at 14:00', 'second Tuesday of each month at 12:00']
        >>> plan.schedule("g-02").distance, plan.cost.total
        (2, 20)

    .. versionadded:: 0.1.0

    """

    programme: Programme
    schedules: tuple[GroupSchedule, ...] = attrs.field(converter=_schedules)
    cost: PlanCost = PlanCost()
    report: Report = attrs.field(factory=Report)
    seed: int = 0

    @checked
    def schedule(self, group: str) -> GroupSchedule:
        """The chosen series of *group*.

        Raises:
            UnknownReferenceError: the group was not planned.

        """
        for schedule in self.schedules:
            if schedule.group == group:
                return schedule
        raise UnknownReferenceError(
            _("group {group} was not planned").format(group=safe_id(group)), path="schedules"
        )

    def summary(self) -> str:
        """A few lines for a person: how many groups and meetings, cost, validation.

        Example:
            >>> from datetime import date
            >>> from emessi import Group, Membership, Programme, Role
            >>> from emessi.scheduling import plan_programme
            >>> programme = Programme("c", groups=[Group("g-01", memberships=[Membership("f-01", Role.FACILITATOR)])])
            >>> print(plan_programme(programme, date(2026, 9, 1), rule="first Monday monthly at 10:00").summary())
            Planned 1 group, 8 meetings from 2026-09-07 to 2027-04-05; nobody is double-booked.
              g-01: first Monday of each month at 10:00
            Cost 24: 8 staff days with one meeting.

        """
        starts = [m.start for s in self.schedules for m in s.plan.meetings]
        if not starts:
            return _("Nothing to plan.")
        count = len(self.schedules)
        lines = [
            _(
                "Planned {groups}, {meetings} from {first} to {last}; nobody is double-booked."
            ).format(
                groups=ngettext("{n} group", "{n} groups", count).format(n=count),
                meetings=ngettext("{n} meeting", "{n} meetings", len(starts)).format(n=len(starts)),
                first=f"{min(starts):%Y-%m-%d}",
                last=f"{max(starts):%Y-%m-%d}",
            )
        ]
        for s in self.schedules:
            notes = []
            if s.distance:
                notes.append(
                    ngettext(
                        "{n} step from the request", "{n} steps from the request", s.distance
                    ).format(n=s.distance)
                )
            if s.unavailable:
                n = len(s.unavailable)
                notes.append(ngettext("{n} answered no", "{n} answered no", n).format(n=n))
            if s.away:
                n = len(s.away)
                notes.append(ngettext("{n} away some day", "{n} away some day", n).format(n=n))
            slot = f" [{s.slot}]" if s.slot else ""
            note = f" ({'; '.join(notes)})" if notes else ""
            # Translators: {rule} is in emessi's English recurrence syntax (what
            # --rule accepts); in another language, quote it: '{rule}'.
            line = _("{group}: {rule}{slot}{note}")
            lines.append(
                "  " + line.format(group=s.group, rule=s.description, slot=slot, note=note)
            )
        c = self.cost
        terms = [
            (c.no, ngettext("{n} peer who answered no", "{n} peers who answered no", c.no)),
            (c.if_need_be, ngettext("{n} if need be", "{n} if need be", c.if_need_be)),
            (
                c.away,
                ngettext("{n} peer-meeting on days away", "{n} peer-meetings on days away", c.away),
            ),
            (
                c.distance,
                ngettext("{n} step from the requests", "{n} steps from the requests", c.distance),
            ),
            (
                c.irregular,
                ngettext("{n} day of irregular gaps", "{n} days of irregular gaps", c.irregular),
            ),
            (
                c.lonely_days,
                ngettext(
                    "{n} staff day with one meeting",
                    "{n} staff days with one meeting",
                    c.lonely_days,
                ),
            ),
        ]
        said = ", ".join(text.format(n=n) for n, text in terms if n)
        lines.append(
            _("Cost {total}: {terms}.").format(
                total=c.total, terms=said or pgettext("cost", "nothing")
            )
        )
        return "\n".join(lines)
