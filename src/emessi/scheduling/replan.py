"""Moving one meeting of a planned cohort: ranked alternatives that keep the plan clean.

When a facilitator falls ill or a holiday was missed, one meeting moves.
:func:`alternative_slots` lists the starts it could move to such that no
member is double-booked across the programme (with the planner's buffer
and daily cap), no holiday, blackout or staff day away is hit, and the
group's rhythm stays within the profile; ranked by the programme planner's
:class:`~emessi.scheduling.PlanWeights`. Pass the chosen start to
:func:`~emessi.scheduling.reschedule_meeting` (with ``programme=`` to check
the whole programme again).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta

import attrs

from emessi._i18n import _
from emessi.errors import DomainError, ScheduleError, UsageError
from emessi.method.profiles import MethodProfile
from emessi.model._checks import (
    FIRST_YEAR,
    LAST_YEAR,
    check_ids,
    check_optional_id,
    safe_id,
    zone,
)
from emessi.model._strict import checked, only_tuples, strict
from emessi.model.meetings import MeetingStatus
from emessi.model.people import Role
from emessi.model.programme import Programme
from emessi.scheduling._args import profile_of
from emessi.scheduling._results import PlanWeights
from emessi.scheduling._zones import attach
from emessi.scheduling.exclusions import Blackout, HolidayCalendar, covering, days_excluded
from emessi.scheduling.exclusions import periods as blackout_periods
from emessi.scheduling.poll import Answer, Poll

__all__ = ["Alternative", "alternative_slots"]


def _ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


only_tuples(_ids)


@checked
@attrs.frozen(field_transformer=strict)
class Alternative:
    """A start one meeting could move to without double-booking anyone.

    Attributes:
        start: The new start, in the group's time zone.
        cost: Its cost under the planner's weights (lower is better).
        steps: Days plus hours moved from the current start.
        slot: The poll slot, when a poll was given.
        unavailable: Peers who answered *no* to the slot.
        if_need_be: Peers who answered *if need be*.
        away: Peers away that day.
        lonely: Staff for whom it would be the only meeting that day.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> Alternative(datetime(2026, 10, 20, 14, tzinfo=ZoneInfo("Europe/Helsinki")), 70, 7).steps
        7

    .. versionadded:: 0.1.0

    """

    start: datetime
    cost: int
    steps: int
    slot: str | None = attrs.field(default=None, validator=check_optional_id)
    unavailable: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=check_ids)
    if_need_be: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=check_ids)
    away: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=check_ids)
    lonely: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=check_ids)


def _int(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScheduleError(
            _("{name} is a whole number within {low}-{high}").format(name=name, low=low, high=high),
            path=name,
        )
    return value


@checked
def alternative_slots(
    programme: Programme,
    group: str,
    number: int,
    *,
    within: int = 14,
    poll: Poll | None = None,
    holidays: HolidayCalendar | None = None,
    blackouts: Iterable[Blackout] = (),
    away: Mapping[str, Iterable[Blackout]] | None = None,
    buffer: int = 30,
    max_per_day: int = 2,
    weights: PlanWeights | None = None,
    profile: MethodProfile | str | None = None,
    limit: int = 5,
) -> tuple[Alternative, ...]:
    """Where meeting *number* of *group* could move, best first, keeping the programme clean.

    The candidates are the days up to *within* days before or after the
    meeting, at its time of day or up to two hours earlier or later; with
    a *poll*, at the poll's weekly slots instead. A candidate is kept only
    if every member of the group (peers in other groups too, and the
    staff) is free then, with *buffer* minutes around their other
    meetings and at most *max_per_day* meetings that day; it is not on a
    holiday, a blackout or a day the facilitator or observer is *away*;
    with a poll, the facilitator (and, under ``observer_required``, the
    observer) can attend the slot; and the group's gaps stay within the
    profile's allowed interval. The rest are ranked by *weights*: peers
    who answered no or if need be, peers away, steps moved (one per day
    and per hour), days of gaps outside the preferred interval, and staff
    for whom it would be the day's only meeting.

    A cancelled meeting can be given too: the alternatives are then starts
    for its make-up meeting (:func:`~emessi.scheduling.add_makeup_meeting`).

    Raises:
        UnknownReferenceError: no such group.
        NotAMeetingError: no such meeting.
        DomainError: the meeting was already held.
        ScheduleError: a bad *within*, *buffer*, *max_per_day* or *limit*.

    Example:
        >>> from datetime import date
        >>> from emessi import Group, Membership, Programme, Role
        >>> from emessi.scheduling import plan_programme
        >>> staff = [Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)]
        >>> cohort = Programme("c", groups=[Group(g, memberships=staff) for g in ("g-01", "g-02")])
        >>> planned = plan_programme(cohort, date(2026, 9, 1), rule="second Tuesday of each month at 14:00")
        >>> best = alternative_slots(planned.programme, "g-01", 2)[0]
        >>> f"{best.start:%a %d.%m. %H:%M}", best.steps
        ('Tue 13.10. 15:00', 1)

    .. versionadded:: 0.1.0

    """
    resolved = profile_of(profile if profile is not None else programme.profile)
    target = programme.group(group)
    meeting = target.meeting(number)
    if meeting.status is MeetingStatus.HELD:
        raise DomainError(
            _("meeting {number} of group {group} was already held").format(
                number=number, group=safe_id(group)
            ),
            path="number",
        )
    within = _int(within, "within", 1, 62)
    buffer = _int(buffer, "buffer", 0, 24 * 60)
    cap = _int(max_per_day, "max_per_day", 1, 24)
    limit = _int(limit, "limit", 1, 1000)
    weights = PlanWeights() if weights is None else weights
    if not isinstance(weights, PlanWeights):
        raise UsageError(_("weights is a PlanWeights"), path="weights")
    if poll is not None and not isinstance(poll, Poll):
        raise UsageError(_("poll is a Poll"), path="poll")
    periods = blackout_periods(blackouts, "blackouts")
    days_away = {
        person: covering(blackout_periods(periods_away, f"away[{index}]"))
        for index, (person, periods_away) in enumerate((away or {}).items())
    }

    tz = zone(target.timezone)
    local = meeting.start.astimezone(tz)
    length = meeting.duration
    first, last = local.date() - timedelta(days=within), local.date() + timedelta(days=within)
    # Within the years of emessi's dates.
    first, last = max(first, date(FIRST_YEAR, 1, 1)), min(last, date(LAST_YEAR, 12, 31))
    off = days_excluded(first, last, holidays, periods)
    members = list(target.members(on=local.date()))
    required = {Role.FACILITATOR} | ({Role.OBSERVER} if resolved.observer_required else set())
    must = sorted({m.person for m in members if m.role in required})
    staff = sorted({m.person for m in members if m.role is not Role.PEER})
    peers = sorted({m.person for m in members if m.role is Role.PEER})
    ids = {m.person for m in members}

    # Everyone's other bookings: UTC start and end, and the local day.
    booked: dict[str, list[tuple[datetime, datetime, date]]] = {person: [] for person in ids}
    for other in programme.groups:
        other_tz = zone(other.timezone)
        for m in other.meetings:
            if not m.active or (other.id == group and m.number == number):
                continue
            day = m.start.astimezone(other_tz).date()
            start = m.start.astimezone(UTC)
            for membership in other.memberships:
                if membership.person in ids and membership.active_on(day):
                    booked[membership.person].append((start, start + m.duration, day))

    others = sorted(
        m.start.astimezone(tz).date() for m in target.meetings if m.active and m.number != number
    )
    low, high = resolved.interval_days.allowed
    good_low, good_high = resolved.interval_days.preferred

    times: list[tuple[time, str | None, int]] = []
    if poll is not None:
        for slot in poll.slots:
            if slot.weekday is not None and slot.at is not None:
                times.append((slot.at, slot.id, slot.weekday))
    else:
        for shift in (0, -1, 1, -2, 2):
            minutes = local.hour * 60 + local.minute + 60 * shift
            if minutes >= 0 and minutes + length // timedelta(minutes=1) <= 24 * 60:
                times.append((time(minutes // 60, minutes % 60), None, -1))

    found: list[Alternative] = []
    day = first
    while day <= last:
        if day in off or any(days_away[person](day) for person in staff if person in days_away):
            day += timedelta(days=1)
            continue
        for at, slot_id, weekday in times:
            if weekday >= 0 and day.weekday() != weekday:
                continue
            start, _unused = attach(datetime.combine(day, at), tz)
            if start == local:
                continue
            alternative = _priced(
                start,
                slot_id,
                local,
                day,
                poll,
                must,
                peers,
                staff,
                booked,
                days_away,
                others,
                (low, high, good_low, good_high),
                length,
                buffer,
                cap,
                weights,
            )
            if alternative is not None:
                found.append(alternative)
        day += timedelta(days=1)
    found.sort(key=lambda a: (a.cost, a.start))
    return tuple(found[:limit])


def _priced(
    start: datetime,
    slot: str | None,
    current: datetime,
    day: date,
    poll: Poll | None,
    must: list[str],
    peers: list[str],
    staff: list[str],
    booked: dict[str, list[tuple[datetime, datetime, date]]],
    away: dict[str, Callable[[date], bool]],
    others: list[date],
    bounds: tuple[int, int, int, int],
    length: timedelta,
    buffer: int,
    cap: int,
    w: PlanWeights,
) -> Alternative | None:
    """The alternative at *start*, or None when it breaks a hard rule."""
    no: list[str] = []
    maybe: list[str] = []
    if poll is not None:
        if any(not poll.answer(person, slot or "").can_attend for person in must):
            return None
        for person in peers:
            answer = poll.answer(person, slot or "")
            if answer is Answer.NO:
                no.append(person)
            elif answer is Answer.IF_NEED_BE:
                maybe.append(person)
    begin = start.astimezone(UTC)
    end = begin + length
    gap = timedelta(minutes=buffer)
    lonely = []
    for person, booking in booked.items():
        same_day = 0
        for s, e, d in booking:
            if s < end + gap and begin < e + gap:
                return None
            same_day += d == day
        if same_day >= cap:
            return None
        if person in staff and same_day == 0:
            lonely.append(person)
    low, high, good_low, good_high = bounds
    dates = sorted([*others, day])
    irregular = 0
    for a, b in itertools.pairwise(dates):
        days = (b - a).days
        if not low <= days <= high:
            return None
        irregular += max(0, good_low - days, days - good_high)
    gone = [p for p in peers if p in away and away[p](day)]
    moved = abs((start.date() - current.date()).days)
    hours = abs((start.hour * 60 + start.minute) - (current.hour * 60 + current.minute))
    steps = moved + -(-hours // 60)
    cost = (
        w.no * len(no)
        + w.if_need_be * len(maybe)
        + w.away * len(gone)
        + w.distance * steps
        + w.irregular * irregular
        + w.lonely_day * len(lonely)
    )
    return Alternative(start, cost, steps, slot, no, maybe, gone, lonely)
