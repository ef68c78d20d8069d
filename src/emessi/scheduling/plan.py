"""Planning a group's series of meetings from a recurrence rule.

eMessi groups meet "on a jointly agreed schedule, about once a month, for
1.5-2 hours", 6-8 times (eMessi2 source text). :func:`plan_schedule` turns
a recurrence into those meetings in the group's time zone, skipping
excluded days, and checks the result against the profile's
``meeting-count``, ``meeting-rhythm`` and ``meeting-duration`` rules.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal, TypeAlias, TypeGuard

import attrs

from emessi._i18n import N_, _, ngettext
from emessi.errors import (
    DomainError,
    RecurrenceError,
    ScheduleError,
    UnknownTimeZoneError,
    UsageError,
)
from emessi.method.profiles import MethodProfile
from emessi.model._checks import FIRST_YEAR, LAST_YEAR, MAX_MEETING, check_zone, safe_id, zone
from emessi.model._strict import Choice, call_checked, check_for, checked, only_tuples, strict
from emessi.model.groups import Group
from emessi.model.meetings import Meeting, MeetingStatus
from emessi.rules import Report
from emessi.scheduling._args import profile_of, resolve_profile, start_of, zone_of
from emessi.scheduling._recurrence import (
    HORIZON_YEARS,
    compile_rule,
    local_start,
    rule_text,
)
from emessi.scheduling._report import check_schedule
from emessi.scheduling._zones import WallClock, attach, transition_days
from emessi.scheduling.exclusions import Blackout, HolidayCalendar, days_excluded
from emessi.scheduling.exclusions import periods as blackout_periods

__all__ = [
    "Adjustment",
    "AdjustmentKind",
    "OnExcluded",
    "SchedulePlan",
    "apply_plan",
    "plan_schedule",
    "plan_starts",
]

#: What to do with a meeting that falls on an excluded day: ``"skip"`` to
#: the rule's next occurrence, or a number of days to move it by (e.g. ``1``
#: for the next day, ``-1`` for the day before); a move is re-checked.
OnExcluded: TypeAlias = Literal["skip"] | int

#: A moved meeting is moved again at most this many times.
_MAX_MOVES = 14


class AdjustmentKind(Choice):
    """How the planner departed from the rule's plain occurrence.

    - ``SKIPPED``: the occurrence fell on an excluded day and was left out.
    - ``MOVED``: it fell on an excluded day and was moved by the set days.
    - ``DST_GAP``: the local time does not exist that day (clocks jump
      forward); the meeting starts later by the length of the gap.
    - ``DST_FOLD``: the local time happens twice that day (clocks fall
      back); the meeting takes the first, still on summer time.

    Example:
        >>> AdjustmentKind("dst-gap")
        <AdjustmentKind.DST_GAP: 'dst-gap'>

    .. versionadded:: 0.1.0

    """

    SKIPPED = "skipped"
    MOVED = "moved"
    DST_GAP = "dst-gap"
    DST_FOLD = "dst-fold"


@checked
@attrs.frozen(field_transformer=strict)
class Adjustment:
    """One departure of a plan from its rule, reported so nothing happens silently.

    Args:
        kind: What was done.
        original: The rule's occurrence, as local wall time in the plan's
            zone (for a DST gap, a time that does not exist that day).
        planned: The start that was planned, or None when skipped.
        number: The planned meeting's number, or None when skipped.
        reason: Why: the holiday's or blackout's label, or the DST change.

    Example:
        >>> from datetime import date
        >>> from emessi.scheduling import plan_schedule
        >>> plan = plan_schedule(date(2025, 5, 23), "every 4 weeks on Friday at 14:00",
        ...                      count=6, blackouts=[Blackout(date(2025, 6, 20), date(2025, 6, 20), "Midsummer")])
        >>> [(a.kind.value, a.original.date().isoformat(), a.reason) for a in plan.adjustments]
        [('skipped', '2025-06-20', 'Midsummer')]

    .. versionadded:: 0.1.0

    """

    kind: AdjustmentKind
    original: datetime
    planned: datetime | None = None
    number: int | None = None
    reason: str = ""


def _meetings(values: Iterable[Meeting]) -> tuple[Meeting, ...]:
    return tuple(values)


def _adjustments(values: Iterable[Adjustment]) -> tuple[Adjustment, ...]:
    return tuple(values)


only_tuples(_meetings, _adjustments)


@checked
@attrs.frozen(field_transformer=strict)
class SchedulePlan:
    """A planned series of meetings, with every adjustment the planner made.

    Args:
        meetings: The planned meetings, numbered from 1 in time order.
        adjustments: Skipped and moved occurrences, DST resolutions.
        timezone: The IANA zone the plan keeps wall-clock time in.
        rule: The RFC 5545 RRULE the plan follows (friendly text is
            converted).

    Example:
        >>> from datetime import date
        >>> from emessi.scheduling import plan_schedule
        >>> plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00")
        >>> [m.start.date().isoformat() for m in plan.meetings][:3]
        ['2025-09-09', '2025-10-14', '2025-11-11']
        >>> plan.rule
        'FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=14;BYMINUTE=0;BYSECOND=0'

    .. versionadded:: 0.1.0

    """

    meetings: tuple[Meeting, ...] = attrs.field(converter=_meetings)
    adjustments: tuple[Adjustment, ...] = attrs.field(default=(), converter=_adjustments)
    timezone: str = attrs.field(default="Europe/Helsinki", validator=check_zone)
    rule: str = ""

    @property
    def skipped(self) -> tuple[Adjustment, ...]:
        """The occurrences left out because they fell on excluded days."""
        return tuple(a for a in self.adjustments if a.kind is AdjustmentKind.SKIPPED)

    @property
    def starts(self) -> tuple[datetime, ...]:
        """The meetings' starts."""
        return tuple(m.start for m in self.meetings)

    @checked
    def check(self, profile: MethodProfile | str | None = None) -> Report:
        """The schedule rules' findings for the plan (see :func:`check_schedule`).

        Example:
            >>> from datetime import date
            >>> from emessi.scheduling import plan_schedule
            >>> plan = plan_schedule(date(2025, 1, 1), "first Monday of each month at 10:00")
            >>> print(plan.check())
            0 errors, 0 warnings

        """
        return check_schedule(
            Group("plan", timezone=self.timezone, meetings=self.meetings), profile
        )


@attrs.frozen
class _Core:
    starts: tuple[datetime, ...]
    adjustments: tuple[Adjustment, ...]
    days: tuple[date, ...]  # the local dates of the starts


@lru_cache(maxsize=64)
def _excluded_cached(
    holidays: Any, blackouts: tuple[Blackout, ...], first: date, last: date
) -> dict[date, str]:
    return days_excluded(first, last, holidays, blackouts)


def _excluded(
    holidays: HolidayCalendar | None, blackouts: tuple[Blackout, ...], first_year: int
) -> dict[date, str]:
    # Computed once per calendar and year range: planning then only looks
    # dates up in a dict.
    # Never past the last year of emessi's dates: no meeting is planned there.
    first = date(first_year, 1, 1)
    last = date(min(first_year + HORIZON_YEARS + 1, LAST_YEAR), 12, 31)
    if _hashable(holidays):
        return _excluded_cached(holidays, blackouts, first, last)
    return days_excluded(first, last, holidays, blackouts)


def _hashable(value: object) -> TypeGuard[Hashable]:
    if not isinstance(value, Hashable):
        return False
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _core(
    text: str,
    start: datetime,
    zone_name: str,
    count: int,
    holidays: HolidayCalendar | None,
    blackouts: tuple[Blackout, ...],
    on_excluded: OnExcluded,
    min_gap: int,
) -> _Core:
    rule = compile_rule(text, start, zone_name)
    tz = zone(zone_name)
    dst_days = transition_days(zone_name, start.year, start.year + HORIZON_YEARS + 1)
    off = _excluded(holidays, blackouts, start.year)
    starts: list[datetime] = []
    days: list[date] = []
    adjustments: list[Adjustment] = []
    last_day: date | None = None
    moved_last = False
    seen = 0
    ended = ngettext("{n} year", "{n} years", HORIZON_YEARS).format(n=HORIZON_YEARS)
    cut = None
    for occurrence in rule.occurrences():
        if occurrence.year > LAST_YEAR:
            cut = _("the end of {year}, the last year of emessi's dates").format(year=LAST_YEAR)
            break
        seen += 1
        day = occurrence.date()
        moved: Adjustment | None = None
        if day in off:
            target = day
            if on_excluded != "skip":
                for _unused in range(_MAX_MOVES):
                    target += timedelta(days=on_excluded)
                    if target not in off:
                        break
            if (
                target in off
                or not FIRST_YEAR <= target.year <= LAST_YEAR
                or (last_day is not None and (target - last_day).days < min_gap)
            ):
                adjustments.append(
                    Adjustment(
                        AdjustmentKind.SKIPPED, occurrence.replace(tzinfo=tz), reason=off[day]
                    )
                )
                continue
            moved = Adjustment(AdjustmentKind.MOVED, occurrence.replace(tzinfo=tz), reason=off[day])
            occurrence, day = datetime.combine(target, occurrence.time()), target
        elif moved_last and last_day is not None and (day - last_day).days < min_gap:
            # A moved meeting would come too close to (or after) the rule's
            # next one; the series keeps its rhythm by leaving that one out.
            adjustments.append(
                Adjustment(
                    AdjustmentKind.SKIPPED,
                    occurrence.replace(tzinfo=tz),
                    reason=N_("too close to the previous meeting, which was moved"),
                )
            )
            continue
        if day in dst_days:
            aware, wall = attach(occurrence, tz)
        else:
            aware, wall = occurrence.replace(tzinfo=tz), None
        starts.append(aware)
        days.append(aware.date())
        number = len(starts)
        if moved is not None:
            adjustments.append(attrs.evolve(moved, planned=aware, number=number))
        if wall is not None:
            adjustments.append(
                Adjustment(
                    AdjustmentKind.DST_GAP if wall is WallClock.GAP else AdjustmentKind.DST_FOLD,
                    occurrence.replace(tzinfo=tz),
                    aware,
                    number,
                    _WALL_REASONS[wall],
                )
            )
        last_day, moved_last = day, moved is not None
        if number == count:
            break
    if seen == 0:
        if cut is None:
            none = _("the rule has no occurrence within {span} of the start").format(span=ended)
        else:
            none = _("the rule has no occurrence before {day}").format(day=cut)
        raise RecurrenceError(none, path="rule")
    if len(starts) < count:
        skipped = sum(1 for a in adjustments if a.kind is AdjustmentKind.SKIPPED)
        raise ScheduleError(
            ngettext(
                "only {count} of {n} meetings fit: the rule ends, or runs past {end}, "
                "after {seen} occurrence, {skipped} of them on excluded days",
                "only {count} of {n} meetings fit: the rule ends, or runs past {end}, "
                "after {seen} occurrences, {skipped} of them on excluded days",
                seen,
            ).format(
                count=len(starts),
                n=count,
                end=_("{span} from the start").format(span=ended) if cut is None else cut,
                seen=seen,
                skipped=skipped,
            ),
            path="rule",
        )
    return _Core(tuple(starts), tuple(adjustments), tuple(days))


_WALL_REASONS = {
    # English, as every reason; a user interface translates them with
    # emessi._i18n._ (the catalogues carry them).
    WallClock.GAP: N_("the clocks go forward over this time; the meeting starts after the gap"),
    WallClock.FOLD: N_("the clocks go back over this time; the first of the two is taken"),
}


# Small on purpose: a simulation shares a few dozen rules, and thousands of
# cached plans cost the garbage collector more than they save.
@lru_cache(maxsize=512)
def _core_cached(
    text: str,
    start: datetime,
    zone_name: str,
    count: int,
    holidays: Any,
    blackouts: tuple[Blackout, ...],
    on_excluded: OnExcluded,
    min_gap: int,
) -> _Core:
    return _core(text, start, zone_name, count, holidays, blackouts, on_excluded, min_gap)


def _minutes(duration: timedelta | int | None, profile: MethodProfile) -> timedelta:
    if duration is None:
        # The lower end of the preferred range: eMessi's "1.5-2 hours" -> 90 minutes.
        return timedelta(minutes=profile.duration_minutes.preferred[0])
    if duration.__class__ is not int and duration.__class__ is not timedelta:
        duration = _DURATION(duration, "duration")
    if isinstance(duration, int):
        if not 0 < duration <= _MAX_MINUTES:
            raise ScheduleError(_(_DURATION_RANGE), path="duration")
        return timedelta(minutes=duration)
    if not timedelta(0) < duration <= MAX_MEETING or duration % timedelta(minutes=1):
        raise ScheduleError(_(_DURATION_RANGE), path="duration")
    return duration


_DURATION = check_for(timedelta | int)
_MAX_MINUTES = MAX_MEETING // timedelta(minutes=1)
_DURATION_RANGE = N_("a duration is a positive whole number of minutes, at most 24 hours")
_COUNT = check_for(int)
_TEXT = check_for(str)


def _count(count: int | None, profile: MethodProfile) -> int:
    if count is None:
        # The upper end of the preferred range (eMessi: 8 of "6-8 meetings"),
        # so that one or two cancellations still leave a full series.
        return profile.meetings.preferred[1]
    if count.__class__ is not int:
        count = _COUNT(count, "count")
    if not 1 <= count <= 100:
        raise ScheduleError(
            _("the number of meetings is a whole number within 1-100"), path="count"
        )
    return count


def _policy(on_excluded: object) -> OnExcluded:
    if on_excluded.__class__ is str or isinstance(on_excluded, str):
        if on_excluded == "skip":
            return "skip"
        raise ScheduleError(
            _("on_excluded is 'skip' or a number of days to move the meeting by"),
            path="on_excluded",
        )
    if on_excluded.__class__ is not int:
        on_excluded = _COUNT(on_excluded, "on_excluded")
    if not on_excluded or abs(on_excluded) > 31:  # type: ignore[arg-type]
        raise ScheduleError(
            _("on_excluded is 'skip' or a non-zero number of days, at most 31, to move by"),
            path="on_excluded",
        )
    return on_excluded  # type: ignore[return-value]


def _problems(
    days: tuple[date, ...], duration: timedelta, profile: MethodProfile
) -> list[tuple[str, str]]:
    """What the profile's count, rhythm and duration rules would call an error.

    The same arithmetic as the ``meeting-count``, ``meeting-rhythm`` and
    ``meeting-duration`` rules, on the local dates of the planned starts.
    """
    problems: list[tuple[str, str]] = []
    low, high = profile.meetings.allowed
    if not low <= len(days) <= high:
        problems.append(
            (
                "count",
                _("{n} meetings, outside the allowed {low}-{high}").format(
                    n=len(days), low=low, high=high
                ),
            )
        )
    minutes = duration // timedelta(minutes=1)
    low, high = profile.duration_minutes.allowed
    if not low <= minutes <= high:
        problems.append(
            (
                "duration",
                _("{n} minutes, outside the allowed {low}-{high}").format(
                    n=minutes, low=low, high=high
                ),
            )
        )
    low, high = profile.interval_days.allowed
    for index in range(1, len(days)):
        gap = (days[index] - days[index - 1]).days
        if not low <= gap <= high:
            problems.append(
                (
                    f"meetings[{index}].start",
                    _(
                        "meeting {number} is {n} days after meeting {previous}, "
                        "outside the allowed {low}-{high} days"
                    ).format(number=index + 1, n=gap, previous=index, low=low, high=high),
                )
            )
    return problems


def _plan(
    start: date | datetime,
    rule: object,
    timezone: str,
    count: int | None,
    duration: timedelta | int | None,
    profile: MethodProfile | str | None,
    holidays: HolidayCalendar | None,
    blackouts: Iterable[Blackout],
    on_excluded: object,
    strict: bool,
) -> tuple[_Core, str, timedelta, MethodProfile]:
    # The hints checked inline, exact classes first: this is the hot path
    # of simulations (plan_starts), where checked() would cost more than
    # a cached plan.
    resolved = resolve_profile(None) if profile is None else profile_of(profile)
    try:
        zone(timezone)
    except UnknownTimeZoneError as error:
        if timezone.__class__ is not str:
            zone_of(timezone)
        raise UnknownTimeZoneError(error.message, path="timezone") from None
    text = rule_text(rule)
    if start.__class__ is not date or not FIRST_YEAR <= start.year <= LAST_YEAR:
        start = start_of(start)
    local = local_start(start, timezone)
    wanted = _count(count, resolved)
    minutes = _minutes(duration, resolved)
    policy = _policy(on_excluded)
    if blackouts.__class__ is tuple and not blackouts:
        periods: tuple[Blackout, ...] = ()
    else:
        periods = blackout_periods(blackouts, "blackouts")
    # Duck-typed: isinstance() on a runtime Protocol is slow on this hot path.
    if holidays is not None and not callable(getattr(holidays, "days_off", None)):
        raise UsageError(
            _("holidays is a HolidayCalendar, e.g. PublicHolidays('FI')"), path="holidays"
        )
    if strict is not True and strict is not False:
        raise UsageError(
            _("expected true or false, not {actual}").format(actual=type(strict).__name__),
            path="strict",
        )
    gap = resolved.interval_days.allowed[0]
    if _hashable(holidays):
        core = _core_cached(text, local, timezone, wanted, holidays, periods, policy, gap)
    else:
        core = _core(text, local, timezone, wanted, holidays, periods, policy, gap)
    if strict:
        problems = _problems(core.days, minutes, resolved)
        if problems:
            if len(problems) > 1:
                broken = ngettext(
                    "the plan breaks the {name} profile: {problem} (and {n} more); "
                    "pass strict=False to get it anyway",
                    "the plan breaks the {name} profile: {problem} (and {n} more); "
                    "pass strict=False to get it anyway",
                    len(problems) - 1,
                ).format(name=resolved.name, problem=problems[0][1], n=len(problems) - 1)
            else:
                broken = _(
                    "the plan breaks the {name} profile: {problem}; pass strict=False to get it anyway"
                ).format(name=resolved.name, problem=problems[0][1])
            raise ScheduleError(
                broken,
                path=problems[0][0],
            )
    return core, text, minutes, resolved


@call_checked
def plan_schedule(
    start: date | datetime,
    rule: object,
    *,
    timezone: str = "Europe/Helsinki",
    count: int | None = None,
    duration: timedelta | int | None = None,
    profile: MethodProfile | str | None = None,
    holidays: HolidayCalendar | None = None,
    blackouts: Iterable[Blackout] = (),
    on_excluded: OnExcluded = "skip",
    series: str | None = None,
    strict: bool = True,
) -> SchedulePlan:
    """Plan a group's meetings from *start* by a recurrence rule.

    The rule's occurrences are generated in local wall-clock time and the
    zone is attached last, so a 14:00 meeting stays at 14:00 across
    daylight-saving changes. On a transition day a time that does not
    exist is moved forward by the length of the gap, and a time that
    happens twice takes the first; both are reported in
    :attr:`SchedulePlan.adjustments`. Occurrences on excluded days
    (holidays, blackouts) are skipped, or moved by *on_excluded* days and
    checked again (up to 14 times). A moved meeting keeps the profile's
    shortest gap (eMessi: 14 days) to its neighbours: if it cannot, it is
    skipped, and an occurrence that comes too soon after it is skipped.

    Every rule is bounded: occurrences are looked for at most 5 years
    after the start (and at most 1,000 of them), so a rule without an end
    is fine, and one that never matches is an error, never a hang.

    Args:
        start: The first day a meeting may fall on; a datetime also gives
            the time of day to an RRULE without ``BYHOUR``. An aware
            datetime is read in *timezone*.
        rule: Friendly text (see :func:`~emessi.scheduling.parse_recurrence`), an RFC 5545
            RRULE, or a :class:`dateutil.rrule.rrule` (its own start is
            replaced by *start*).
        timezone: The IANA zone the meetings keep their wall-clock time in.
        count: How many meetings; by default the upper end of the
            profile's preferred range (eMessi: 8).
        duration: A timedelta or minutes; by default the lower end of the
            profile's preferred range (eMessi: 90 minutes).
        profile: The method profile (eMessi by default).
        holidays: Days off to avoid, e.g. ``PublicHolidays("FI")``; none by
            default.
        blackouts: Periods without meetings, e.g. a summer break.
        on_excluded: ``"skip"`` or a number of days to move by.
        series: A series id given to every meeting (kept when rescheduled).
        strict: Refuse a plan that breaks the profile's meeting count,
            rhythm or duration (errors, not warnings); with False the plan
            is returned and :meth:`SchedulePlan.check` says what is wrong.

    Raises:
        RecurrenceError: the rule is unreadable, has INTERVAL=0, a COUNT
            over 1,000, a frequency below daily, or never matches.
        ScheduleError: fewer meetings fit than asked for, or (when
            *strict*) the plan breaks the profile.
        MissingDependencyError: public holidays without the ``holidays``
            extra.
        UsageError: an argument of the wrong type (at its name), an
            iterable that fails while it is read, or a wrong call.

    Example:
        >>> from datetime import date
        >>> from emessi.scheduling import Blackout, plan_schedule
        >>> plan = plan_schedule(date(2026, 1, 1), "last Friday monthly at 13:00",
        ...                      count=6, blackouts=[Blackout(date(2026, 4, 1), date(2026, 4, 30), "Easter break")])
        >>> [m.start.strftime("%d.%m. %H:%M %Z") for m in plan.meetings]
        ['30.01. 13:00 EET', '27.02. 13:00 EET', '27.03. 13:00 EET', '29.05. 13:00 EEST', '26.06. 13:00 EEST', '31.07. 13:00 EEST']
        >>> [a.reason for a in plan.skipped]
        ['Easter break']
        >>> plan_schedule(date(2026, 1, 1), "every Monday at 10:00")
        Traceback (most recent call last):
        ...
        emessi.errors.ScheduleError: meetings[1].start: the plan breaks the emessi profile: meeting 2 is 7 days after meeting 1, outside the allowed 14-92 days (and 6 more); pass strict=False to get it anyway

    .. versionadded:: 0.1.0

    """
    if series is not None and series.__class__ is not str:
        _TEXT(series, "series")
    core, text, minutes, _unused = _plan(
        start, rule, timezone, count, duration, profile, holidays, blackouts, on_excluded, strict
    )
    meetings = [
        Meeting(number, moment, minutes, series=series)
        for number, moment in enumerate(core.starts, 1)
    ]
    return SchedulePlan(meetings, core.adjustments, timezone, text)


@call_checked
def plan_starts(
    start: date | datetime,
    rule: object,
    *,
    timezone: str = "Europe/Helsinki",
    count: int | None = None,
    profile: MethodProfile | str | None = None,
    holidays: HolidayCalendar | None = None,
    blackouts: Iterable[Blackout] = (),
    on_excluded: OnExcluded = "skip",
    strict: bool = True,
) -> tuple[datetime, ...]:
    """The start times :func:`plan_schedule` would plan, without building meetings.

    The fast path for simulations: the work for a rule, start, zone and
    exclusions is done once and cached (the last 512 distinct inputs),
    so 100,000 simulated groups that share a dozen rules plan a dozen
    series. Arguments and errors are those of :func:`plan_schedule`.

    Example:
        >>> from datetime import date
        >>> from emessi.scheduling import plan_starts
        >>> starts = plan_starts(date(2025, 9, 1), "every 4 weeks on Monday at 9:30", count=6)
        >>> [s.strftime("%Y-%m-%d %H:%M") for s in starts][:2]
        ['2025-09-01 09:30', '2025-09-29 09:30']

    .. versionadded:: 0.1.0

    """
    core, _text, _minutes, _profile = _plan(
        start, rule, timezone, count, None, profile, holidays, blackouts, on_excluded, strict
    )
    return core.starts


@checked
def apply_plan(group: Group, plan: SchedulePlan, *, replace: bool = False) -> Group:
    """A copy of *group* with the plan's meetings.

    Raises:
        ScheduleError: the plan is for another time zone than the group's,
            or the group already has meetings and *replace* is false.
        DomainError: *replace* would drop a meeting that was held.

    Example:
        >>> from datetime import date
        >>> from emessi import Group
        >>> from emessi.scheduling import apply_plan, plan_schedule
        >>> plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00")
        >>> len(apply_plan(Group("g-01"), plan).meetings)
        8

    .. versionadded:: 0.1.0

    """
    if plan.timezone != group.timezone:
        raise ScheduleError(
            _("the plan keeps time in {timezone} but group {id} in {timezone2}").format(
                timezone=plan.timezone, id=safe_id(group.id), timezone2=group.timezone
            ),
            path="timezone",
        )
    if group.meetings and not replace:
        raise ScheduleError(
            _("group {id} already has meetings; pass replace=True to replace them").format(
                id=safe_id(group.id)
            ),
            path="meetings",
        )
    if any(m.status is MeetingStatus.HELD for m in group.meetings):
        raise DomainError(
            _("group {id} has held meetings; they cannot be replaced by a plan").format(
                id=safe_id(group.id)
            ),
            path="meetings",
        )
    return attrs.evolve(group, meetings=plan.meetings)
