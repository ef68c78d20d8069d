"""Planning a whole cohort at once: every group's series, nobody double-booked.

A coordinator running a cohort (eMessi2: 11 groups) shares a few
facilitators and observers among the groups, and each group meets "on a
jointly agreed schedule" (*yhdessä sovitun aikataulun mukaisesti*, eMessi2
source text). :func:`plan_programme` gives every group a series of
meetings so that no person (facilitator, observer, or a peer in two groups)
is in two meetings at once, keeping a buffer between one person's meetings
and a cap on their meetings a day, at slots the members can attend, on the
group's rhythm, avoiding holidays and blackouts; and among such plans it
looks for a cheap one under documented :class:`PlanWeights`.

The planner is emessi's own; the method only asks for an agreed,
about-monthly schedule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import attrs

from emessi._i18n import _
from emessi.errors import (
    DomainError,
    PlanningError,
    ScheduleError,
    UnknownReferenceError,
    UsageError,
)
from emessi.method.profiles import MethodProfile
from emessi.model._checks import check_id, safe_id
from emessi.model._strict import checked
from emessi.model.groups import Group
from emessi.model.meetings import MeetingStatus
from emessi.model.people import Role
from emessi.model.programme import Programme
from emessi.rules import validate
from emessi.scheduling import _build as build
from emessi.scheduling import _candidates as cand
from emessi.scheduling._args import profile_of
from emessi.scheduling._recurrence import local_start, rule_text
from emessi.scheduling._results import (
    GroupSchedule,
    Obstacle,
    ObstacleKind,
    PlanCost,
    PlanWeights,
    ProgrammePlan,
)
from emessi.scheduling._search import Problem, Search
from emessi.scheduling.exclusions import Blackout, HolidayCalendar
from emessi.scheduling.exclusions import periods as blackout_periods
from emessi.scheduling.plan import _count, _minutes, apply_plan, plan_schedule
from emessi.scheduling.poll import Poll, Slot

__all__ = [
    "GroupSchedule",
    "Obstacle",
    "ObstacleKind",
    "PlanCost",
    "PlanWeights",
    "ProgrammePlan",
    "plan_programme",
]


# -- inputs --------------------------------------------------------------------


def _int(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScheduleError(
            _("{name} is a whole number within {low}-{high}").format(name=name, low=low, high=high),
            path=name,
        )
    return value


def _wishes(value: object, path: str) -> list[cand.Shape]:
    items = value if isinstance(value, list | tuple) else [value]
    if not items:
        raise ScheduleError(_("give at least one rule or slot"), path=path)
    shapes = []
    for item in items:
        if isinstance(item, Slot):
            if not item.weekly:
                raise ScheduleError(_("a concrete slot is one date, not a series"), path=path)
            shapes.append(cand.slot_shape(item))
        else:
            try:
                shapes.append(cand.shape_of(rule_text(item)))
            except (ScheduleError, UsageError, DomainError) as error:
                raise type(error)(error.message, path=path) from None
    return shapes


def _away(value: Mapping[str, Iterable[Blackout]] | None) -> dict[str, tuple[Blackout, ...]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise UsageError(_("away is {person id: [Blackout, ...]}"), path="away")
    found = {}
    for person, days in value.items():
        check_id(None, _AWAY, person)
        found[person] = blackout_periods(days, f"away[{safe_id(person)}]")
    return found


#: The largest *effort*: 100 times the default budget of evaluations.
_MAX_EFFORT = 100


@attrs.frozen
class _Field:
    name: str


_AWAY = _Field("away")


def _polls(poll: Poll | Mapping[str, Poll] | None, ids: set[str]) -> dict[str, Poll] | Poll | None:
    if poll is None or isinstance(poll, Poll):
        if poll is not None and not any(s.weekly for s in poll.slots):
            raise ScheduleError(_("the poll has no weekly slot to plan a series on"), path="poll")
        return poll
    if not isinstance(poll, Mapping):
        raise UsageError(_("poll is a Poll or {group id: Poll}"), path="poll")
    for key, value in poll.items():
        if key not in ids:
            raise UnknownReferenceError(
                _("no group {key} in the programme").format(key=safe_id(key)), path="poll"
            )
        if not isinstance(value, Poll):
            raise UsageError(_("poll is a Poll or {group id: Poll}"), path=f"poll[{safe_id(key)}]")
    return dict(poll)


# -- the planner ---------------------------------------------------------------


@attrs.frozen
class _Prepared:
    """The checked inputs and the integer problem of one planning call."""

    problem: Problem
    programme: Programme
    planned: list[Group]
    options: list[list[build.Option]]
    everyone: list[Group]
    people: list[str]
    wanted: int
    minutes: timedelta
    resolved: MethodProfile
    holidays: HolidayCalendar | None
    blackouts: tuple[Blackout, ...]
    weights: PlanWeights


def _prepare(
    programme: Programme,
    start: date | datetime,
    *,
    rule: object | None = None,
    requests: Mapping[str, object] | None = None,
    poll: Poll | Mapping[str, Poll] | None = None,
    end: date | None = None,
    count: int | None = None,
    duration: timedelta | int | None = None,
    profile: MethodProfile | str | None = None,
    holidays: HolidayCalendar | None = None,
    blackouts: Iterable[Blackout] = (),
    away: Mapping[str, Iterable[Blackout]] | None = None,
    buffer: int = 30,
    max_per_day: int = 2,
    spread: int = 3,
    weights: PlanWeights | None = None,
    seed: int = 0,
    effort: float = 1.0,
    replace: bool = False,
) -> _Prepared:
    """Check the inputs and build the planning problem (also used by the benchmarks)."""
    if not isinstance(programme, Programme):
        raise UsageError(_("plan_programme() takes a Programme"), path="programme")
    resolved = profile_of(profile if profile is not None else programme.profile)
    wanted = _count(count, resolved)
    minutes = _minutes(duration, resolved)
    buffer = _int(buffer, "buffer", 0, 24 * 60)
    cap = _int(max_per_day, "max_per_day", 1, 24)
    spread = cand.check_spread(spread)
    _int(seed, "seed", -(2**63), 2**63)
    if isinstance(effort, bool) or not isinstance(effort, int | float):
        raise UsageError(_("effort is a number"), path="effort")
    if not 0 < effort <= _MAX_EFFORT:
        raise ScheduleError(
            _("effort is a number above 0, at most {max_effort}").format(max_effort=_MAX_EFFORT),
            path="effort",
        )
    weights = PlanWeights() if weights is None else weights
    if not isinstance(weights, PlanWeights):
        raise UsageError(_("weights is a PlanWeights"), path="weights")
    periods = blackout_periods(blackouts, "blackouts")
    if end is not None and not isinstance(end, date):
        raise UsageError(_("end is a date"), path="end")
    first = local_start(start, "UTC").date()
    ids = {g.id for g in programme.groups}
    for key in requests or {}:
        if key not in ids:
            raise UnknownReferenceError(
                _("no group {key} in the programme").format(key=safe_id(key)), path="requests"
            )
    default = _wishes(rule, "rule") if rule is not None else None
    wishes = {
        key: _wishes(value, f"requests[{safe_id(key)}]") for key, value in (requests or {}).items()
    }
    polls = _polls(poll, ids)
    days_away = _away(away)

    builder = build.Builder(resolved, wanted, minutes, holidays, periods, end, weights)
    required = build.required_roles(resolved)
    planned = [g for g in programme.groups if replace or not any(m.active for m in g.meetings)]
    planned_ids = {g.id for g in planned}
    for group in planned:
        if any(m.status is MeetingStatus.HELD for m in group.meetings):
            raise DomainError(
                _(
                    "group {id} has held meetings; they cannot be re-planned (move single meetings with alternative_slots)"
                ).format(id=safe_id(group.id)),
                path="replace",
            )
    options: list[list[build.Option]] = []
    obstacles: list[Obstacle] = []
    length = minutes // timedelta(minutes=1)
    spec_cache: dict[object, list[cand.Spec]] = {}
    option_cache: dict[object, tuple[list[build.Option], Counter[tuple[str, str]]]] = {}
    for group in planned:
        group_poll = polls.get(group.id) if isinstance(polls, dict) else polls
        shapes = wishes.get(group.id, default)
        if shapes is None and group_poll is None:
            raise ScheduleError(
                _("group {id} has no rule, request or poll to plan from").format(
                    id=safe_id(group.id)
                ),
                path="rule",
            )
        slots = group_poll.slots if group_poll is not None else None
        spec_key = (tuple(shapes) if shapes else None, slots)
        specs = spec_cache.get(spec_key)
        if specs is None:
            specs = spec_cache[spec_key] = build.specs(shapes, first, slots, spread, length)
        rejected: Counter[tuple[str, str]] = Counter()
        weeks: dict[str, set[str]] = defaultdict(set)
        plain = group_poll is None and not any(m.person in days_away for m in group.members())
        option_key = (spec_key, group.timezone)
        cached = option_cache.get(option_key) if plain else None
        if cached is None:
            found = build.options(
                builder, group, specs, group_poll, days_away, required, rejected, weeks
            )
            if plain:
                option_cache[option_key] = (found, rejected)
        else:
            found, rejected = cached
        if not found:
            obstacles.append(build.no_series(group.id, rejected, weeks))
        options.append(found)
    if obstacles:
        raise PlanningError(
            _("no plan: {obstacles}").format(obstacles="; ".join(str(o) for o in obstacles)),
            obstacles=obstacles,
        )

    # Fixed groups (kept meetings) take part as groups with one candidate.
    fixed = [g for g in programme.groups if g.id not in planned_ids]
    everyone = [*planned, *fixed]
    fixed_series = []
    for group in fixed:
        fixed_series.append(len(builder.series))
        builder.series.append(build.fixed(group, minutes))
    staff_roles = {Role.FACILITATOR, Role.OBSERVER}
    person_groups: dict[str, set[int]] = defaultdict(set)
    member_lists = [
        list(group.members() if group.id in planned_ids else group.memberships)
        for group in everyone
    ]
    for index, members in enumerate(member_lists):
        for m in members:
            person_groups[m.person].add(index)
    people = sorted(person_groups)
    number = {p: i for i, p in enumerate(people)}
    shared, staff = [], []
    for members in member_lists:
        shared.append(
            sorted({number[m.person] for m in members if len(person_groups[m.person]) > 1})
        )
        staff.append(sorted({number[m.person] for m in members if m.role in staff_roles}))
    problem = Problem(
        series=builder.series,
        cands=[[o.series for o in opts] for opts in options] + [[s] for s in fixed_series],
        costs=[[o.cost for o in opts] for opts in options] + [[0] for _unused in fixed_series],
        shared=shared,
        staff=staff,
        people=len(people),
        buffer=buffer,
        cap=cap,
        lonely=weights.lonely_day,
    )
    return _Prepared(
        problem,
        programme,
        planned,
        options,
        everyone,
        people,
        wanted,
        minutes,
        resolved,
        holidays,
        periods,
        weights,
    )


@checked
def plan_programme(
    programme: Programme,
    start: date | datetime,
    *,
    rule: object | None = None,
    requests: Mapping[str, object] | None = None,
    poll: Poll | Mapping[str, Poll] | None = None,
    end: date | None = None,
    count: int | None = None,
    duration: timedelta | int | None = None,
    profile: MethodProfile | str | None = None,
    holidays: HolidayCalendar | None = None,
    blackouts: Iterable[Blackout] = (),
    away: Mapping[str, Iterable[Blackout]] | None = None,
    buffer: int = 30,
    max_per_day: int = 2,
    spread: int = 3,
    weights: PlanWeights | None = None,
    seed: int = 0,
    effort: float = 1.0,
    replace: bool = False,
) -> ProgrammePlan:
    """Plan every group of a programme so that nobody is in two meetings at once.

    Each group gets a series of meetings (by default the profile's upper
    count, eMessi: 8) from *start*, on its agreed rhythm, skipping holidays
    and blackouts, such that:

    - no person who is in two groups (a facilitator, an observer, or a
      peer) has two meetings closer than *buffer* minutes, nor more than
      *max_per_day* meetings a day;
    - with a *poll*, every series falls on a slot the group's facilitator
      (and, under ``observer_required``, its observer) can attend; peers who
      answered *no* or *if need be* cost (see :class:`PlanWeights`);
    - no facilitator or observer is planned on a day they are *away*;
    - every series keeps the profile's count, rhythm and duration (no
      ``meeting-count``, ``meeting-rhythm`` or ``meeting-duration`` errors).

    **Candidates.** A group's wish is its entry in *requests* (a rule, a
    :class:`Slot` such as the one :func:`~emessi.formation.form_groups`
    chose, or a list of them, the first preferred), else *rule*. Without a
    poll the candidates are the wish moved to another week of the month,
    working day, or hour (up to *spread* hours); with a poll they are the
    poll's weekly slots, met monthly on the first to fourth week (the
    wish's week, or the second when there is no wish, costs nothing; or on
    the wish's rhythm when it is weekly). Each distinct series is planned once
    for all groups that share it (``dateutil.rrule``, cached).

    **Search.** Groups are placed greedily, most constrained first; then a
    min-conflicts repair moves groups that clash; then a local search moves
    single groups, or one group and the one group blocking it, to cheaper
    candidates. Work is counted in evaluated candidates, not seconds, so
    the same inputs and *seed* give the same plan on any machine.

    Groups that already have meetings are kept as they are (their meetings
    are others' constraints) unless *replace*.

    Args:
        programme: The cohort: groups with their members and staff.
        start: The first day a meeting may fall on.
        rule: The wish of every group without a request (friendly text,
            RRULE or ``dateutil`` rrule).
        requests: ``{group id: rule | Slot | [rule | Slot, ...]}``.
        poll: An availability :class:`Poll` (for everyone) or ``{group id:
            Poll}``; a slot a person did not answer counts as *no*.
        end: The last day a meeting may fall on.
        count: Meetings per group (default: the profile's upper preferred).
        duration: Minutes or a timedelta (default: the profile's lower
            preferred, eMessi: 90).
        profile: The method profile (default: the programme's).
        holidays: Days off, e.g. ``PublicHolidays("FI")``.
        blackouts: Periods without meetings for everyone.
        away: ``{person id: [Blackout, ...]}``: days a person cannot come.
            Hard for facilitators and observers, a cost for peers.
        buffer: Minutes a person needs between two meetings (emessi's
            assumption: 30, to close one call and open the next).
        max_per_day: A person's most meetings on one day (default 2: eMessi
            meetings last 1.5-2 hours).
        spread: Hours a series may move from the requested time (0-12).
        weights: The cost of each term (see :class:`PlanWeights`).
        seed: The seed of the search's random choices.
        effort: Multiplies the search's work budget (above 0, at most 100:
            emessi's bound, so that no call runs for hours).
        replace: Re-plan groups that have meetings (none may be held).

    Raises:
        PlanningError: no plan was found; its ``obstacles`` say who, which
            groups and which weeks (ids only).
        ScheduleError: a bad count, duration, buffer, cap or request.
        UnknownReferenceError: a request or poll for a group that is not in
            the programme.
        DomainError: *replace* with a group that has held meetings.
        UsageError: a wrong kind of argument.

    Example:
        >>> from datetime import date
        >>> from emessi import Group, Membership, Programme, Role, validate
        >>> f, o = Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)
        >>> groups = [Group(f"g-0{i}", memberships=[f, o, Membership(f"p-{i}")]) for i in (1, 2, 3)]
        >>> plan = plan_programme(Programme("c", groups=groups), date(2026, 9, 1),
        ...                       rule="second Tuesday of each month at 14:00")
        >>> [s.description for s in plan.schedules]  # doctest: +NORMALIZE_WHITESPACE
        ['second Wednesday of each month at 14:00', 'second Tuesday of each month at 14:00',
         'second Tuesday of each month at 12:00']
        >>> validate(plan.programme).codes() & {"meeting-overlap"}
        set()

    .. versionadded:: 0.1.0

    """
    prepared = _prepare(
        programme,
        start,
        rule=rule,
        requests=requests,
        poll=poll,
        end=end,
        count=count,
        duration=duration,
        profile=profile,
        holidays=holidays,
        blackouts=blackouts,
        away=away,
        buffer=buffer,
        max_per_day=max_per_day,
        spread=spread,
        weights=weights,
        seed=seed,
        effort=effort,
        replace=replace,
    )
    problem, planned, options = prepared.problem, prepared.planned, prepared.options
    everyone, people, wanted = prepared.everyone, prepared.people, prepared.wanted
    minutes, resolved, weights = prepared.minutes, prepared.resolved, prepared.weights
    periods = prepared.blackouts
    search = Search(problem, seed)
    solved = search.solve(effort)
    if solved.violations:
        found_obstacles = build.clashes(search, everyone, people)
        raise PlanningError(
            _("no plan without double bookings was found ({n} left): {obstacles}").format(
                n=solved.violations,
                obstacles="; ".join(str(o) for o in found_obstacles[:5])
                + (
                    _("; and {n} more").format(n=len(found_obstacles) - 5)
                    if len(found_obstacles) > 5
                    else ""
                ),
            ),
            obstacles=found_obstacles,
        )
    schedules = []
    groups = {g.id: g for g in programme.groups}
    for group, opts, choice in zip(planned, options, solved.choice, strict=False):
        option = opts[choice]
        plan = plan_schedule(
            option.spec.first,
            option.spec.rule,
            timezone=group.timezone,
            count=wanted,
            duration=minutes,
            profile=resolved,
            holidays=holidays,
            blackouts=periods + option.skipped,
            series=group.id,
            strict=False,
        )
        groups[group.id] = apply_plan(group, plan, replace=True)
        schedules.append(
            GroupSchedule(
                group.id,
                plan,
                option.spec.slot,
                option.spec.distance,
                option.no,
                option.maybe,
                option.away,
                option.irregular,
            )
        )
    chosen = [opts[c] for opts, c in zip(options, solved.choice, strict=False)]
    cost = PlanCost(
        no=sum(len(o.no) for o in chosen),
        if_need_be=sum(len(o.maybe) for o in chosen),
        away=sum(o.away_meetings for o in chosen),
        distance=sum(o.spec.distance for o in chosen),
        irregular=sum(o.irregular for o in chosen),
        lonely_days=search.lonely_days,
        weights=weights,
    )
    result = attrs.evolve(programme, groups=tuple(groups[g.id] for g in programme.groups))
    return ProgrammePlan(result, schedules, cost, validate(result, resolved), seed)
