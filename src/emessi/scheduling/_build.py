"""Building the programme planner's problem: series planned once, candidates priced per group."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

import attrs

from emessi._i18n import _
from emessi.errors import ScheduleError
from emessi.method.profiles import MethodProfile
from emessi.model._checks import zone
from emessi.model.groups import Group
from emessi.model.people import Role
from emessi.scheduling import _candidates as cand
from emessi.scheduling._results import Obstacle, ObstacleKind, PlanWeights
from emessi.scheduling._search import Search
from emessi.scheduling.exclusions import Blackout, HolidayCalendar, covering
from emessi.scheduling.plan import _problems, plan_starts
from emessi.scheduling.poll import Answer, Poll, Slot

__all__ = [
    "Builder",
    "Option",
    "clashes",
    "fixed",
    "no_series",
    "options",
    "required_roles",
    "specs",
    "week",
]


@attrs.frozen
class Series:
    starts: tuple[datetime, ...]
    meetings: tuple[tuple[int, int, int], ...]
    days: tuple[date, ...]
    irregular: int


@attrs.frozen
class Option:
    spec: cand.Spec
    series: int
    cost: int
    no: tuple[str, ...]
    maybe: tuple[str, ...]
    away: tuple[str, ...]
    away_meetings: int
    irregular: int
    skipped: tuple[Blackout, ...] = ()  # the staff's days away, skipped like blackouts


def week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


_Key = tuple[str, date, str, tuple[Blackout, ...]]


def _period(blackout: Blackout) -> tuple[date, date, str]:
    return (blackout.first, blackout.last, blackout.label)


class Builder:
    """Plans each distinct series once and prices each group's candidates."""

    def __init__(
        self,
        profile: MethodProfile,
        count: int,
        minutes: timedelta,
        holidays: HolidayCalendar | None,
        blackouts: tuple[Blackout, ...],
        end: date | None,
        weights: PlanWeights,
    ) -> None:
        self.profile, self.count, self.minutes = profile, count, minutes
        self.holidays, self.blackouts, self.end, self.weights = holidays, blackouts, end, weights
        self.cache: dict[_Key, Series | str] = {}
        self.series: list[tuple[tuple[int, int, int], ...]] = []
        self.index: dict[_Key, int] = {}
        low, high = profile.interval_days.preferred
        self.low, self.high = low, high

    def plan(self, spec: cand.Spec, zone_name: str, extra: tuple[Blackout, ...]) -> Series | str:
        """The series of *spec* in *zone_name*, also skipping *extra* days, or why not."""
        key = (spec.rule, spec.first, zone_name, extra)
        found = self.cache.get(key)
        if found is None:
            found = self._plan(spec, zone_name, extra)
            self.cache[key] = found
        return found

    def _plan(self, spec: cand.Spec, zone_name: str, extra: tuple[Blackout, ...]) -> Series | str:
        try:
            starts = plan_starts(
                spec.first,
                spec.rule,
                timezone=zone_name,
                count=self.count,
                profile=self.profile,
                holidays=self.holidays,
                blackouts=self.blackouts + extra,
                strict=False,
            )
        except ScheduleError:
            return "too-few"
        days = tuple(s.date() for s in starts)
        if _problems(days, self.minutes, self.profile):
            return "rhythm"
        if self.end is not None and days[-1] > self.end:
            return "window"
        length = self.minutes // timedelta(minutes=1)
        meetings = tuple(
            (m, m + length, d.toordinal())
            for m, d in zip((cand.minutes_utc(s) for s in starts), days, strict=True)
        )
        irregular = 0
        for a, b in itertools.pairwise(days):
            gap = (b - a).days
            irregular += max(0, self.low - gap, gap - self.high)
        return Series(starts, meetings, days, irregular)

    def series_id(
        self, spec: cand.Spec, zone_name: str, extra: tuple[Blackout, ...], found: Series
    ) -> int:
        """The number of the series in the problem."""
        key = (spec.rule, spec.first, zone_name, extra)
        sid = self.index.get(key)
        if sid is None:
            sid = self.index[key] = len(self.series)
            self.series.append(found.meetings)
        return sid


def required_roles(profile: MethodProfile) -> set[Role]:
    roles = {Role.FACILITATOR}
    if profile.observer_required:
        roles.add(Role.OBSERVER)
    return roles


def options(
    builder: Builder,
    group: Group,
    specs: list[cand.Spec],
    poll: Poll | None,
    away: dict[str, tuple[Blackout, ...]],
    required: set[Role],
    rejected: Counter[tuple[str, str]],
    weeks_away: dict[str, set[str]],
) -> list[Option]:
    members = list(group.members())
    must = sorted({m.person for m in members if m.role in required})
    peers = sorted({m.person for m in members if m.role is Role.PEER})
    peers_away = [p for p in peers if p in away]
    w = builder.weights
    options: list[Option] = []
    answers: dict[str | None, tuple[tuple[str, ...], tuple[str, ...], str | None]] = {}
    tests: dict[str, Callable[[date], bool]] = {}
    # The days the required staff are away are skipped like blackouts.
    gone = [person for person in must if away.get(person)]
    extra = tuple(sorted({b for person in gone for b in away[person]}, key=_period))
    for person in gone:
        weeks_away[person].update(week(d) for b in away[person] for d in (b.first, b.last))
    for spec in specs:
        found = builder.plan(spec, group.timezone, extra)
        if isinstance(found, str):
            rejected[("away", gone[0]) if gone else (found, "")] += 1
            continue
        if poll is not None:
            if spec.slot not in answers:
                slot = spec.slot or ""
                missing = [p for p in must if not poll.answer(p, slot).can_attend]
                given = [(p, poll.answer(p, slot)) for p in peers]
                answers[spec.slot] = (
                    tuple(p for p, a in given if a is Answer.NO),
                    tuple(p for p, a in given if a is Answer.IF_NEED_BE),
                    missing[0] if missing else None,
                )
            no, maybe, missing_person = answers[spec.slot]
            if missing_person is not None:
                rejected[("poll", missing_person)] += 1
                continue
        else:
            no, maybe = (), ()
        away_peers, away_meetings = [], 0
        for person in peers_away:
            covers = tests.get(person)
            if covers is None:
                covers = tests[person] = covering(away[person])
            hits = sum(1 for d in found.days if covers(d))
            if hits:
                away_peers.append(person)
                away_meetings += hits
        cost = (
            w.no * len(no)
            + w.if_need_be * len(maybe)
            + w.away * away_meetings
            + w.distance * spec.distance
            + w.irregular * found.irregular
        )
        options.append(
            Option(
                spec,
                builder.series_id(spec, group.timezone, extra, found),
                cost,
                no,
                maybe,
                tuple(away_peers),
                away_meetings,
                found.irregular,
                extra,
            )
        )
    options.sort(key=lambda o: o.cost)  # stable: spec order breaks ties
    return options


def specs(
    shapes: list[cand.Shape] | None,
    first: date,
    slots: tuple[Slot, ...] | None,
    spread: int,
    length: int,
) -> list[cand.Spec]:
    """The candidate specs of a list of wishes, the nearest kept when two coincide."""
    specs: dict[tuple[str, date], cand.Spec] = {}
    for rank, shape in enumerate(shapes or [None]):
        for spec in cand.variants(shape, first, slots, spread, length):
            if rank:
                spec = attrs.evolve(spec, distance=spec.distance + rank)
            key = (spec.rule, spec.first)
            if key not in specs or specs[key].distance > spec.distance:
                specs[key] = spec
    return list(specs.values())


def fixed(group: Group, minutes: timedelta) -> tuple[tuple[int, int, int], ...]:
    tz = zone(group.timezone)
    return tuple(
        sorted(
            (
                cand.minutes_utc(m.start),
                cand.minutes_utc(m.start) + m.duration // timedelta(minutes=1),
                m.start.astimezone(tz).date().toordinal(),
            )
            for m in group.meetings
            if m.active
        )
    )


def no_series(
    group: str, rejected: Counter[tuple[str, str]], weeks: dict[str, set[str]]
) -> Obstacle:
    if not rejected:
        detail = _("it has no rule or poll slot to plan from")
        return Obstacle(ObstacleKind.NO_SERIES, (group,), detail=detail)
    (reason, person), _count = max(rejected.items(), key=lambda item: (item[1], item[0]))
    if reason == "poll":
        detail = _("{person} cannot attend any of the poll's slots").format(person=person)
        return Obstacle(ObstacleKind.NO_SERIES, (group,), person, detail=detail)
    if reason == "away":
        detail = _("{person} is away so long that no candidate series keeps the rhythm").format(
            person=person
        )
        return Obstacle(ObstacleKind.NO_SERIES, (group,), person, tuple(weeks[person]), detail)
    detail = {
        "too-few": _("holidays and blackouts leave too few meetings for any candidate rule"),
        "rhythm": _("holidays and blackouts break the profile's rhythm for every candidate rule"),
        "window": _("no candidate series ends by the end of the window"),
    }[reason]
    return Obstacle(ObstacleKind.NO_SERIES, (group,), detail=detail)


def clashes(search: Search, groups: Sequence[Group], people: Sequence[str]) -> list[Obstacle]:
    """The double bookings and full days left in *search*'s state, one obstacle a person."""
    p = search.p
    by_person: dict[int, list[int]] = defaultdict(list)
    for g in range(p.groups):
        for person in p.shared[g]:
            by_person[person].append(g)
    found = []
    for person, own in sorted(by_person.items()):
        meetings = sorted(
            (s, e, d, g) for g in own if search.sid[g] >= 0 for s, e, d in p.series[search.sid[g]]
        )
        clash_groups: set[str] = set()
        clash_weeks: set[str] = set()
        for i, (_s, e, d, g) in enumerate(meetings):
            for s2, _e2, d2, g2 in meetings[i + 1 :]:
                if s2 >= e + p.buffer:
                    break
                if g2 != g:
                    clash_groups |= {groups[g].id, groups[g2].id}
                    clash_weeks |= {week(date.fromordinal(d)), week(date.fromordinal(d2))}
        if clash_groups:
            found.append(
                Obstacle(
                    ObstacleKind.DOUBLE_BOOKED, sorted(clash_groups), people[person], clash_weeks
                )
            )
        per_day: dict[int, set[int]] = defaultdict(set)
        for _s, _e, d, g in meetings:
            per_day[d].add(g)
        full = {d: gs for d, gs in per_day.items() if len(gs) > p.cap}
        if full:
            names = sorted({groups[g].id for gs in full.values() for g in gs})
            weeks = {week(date.fromordinal(d)) for d in full}
            found.append(
                Obstacle(
                    ObstacleKind.DAY_FULL,
                    names,
                    people[person],
                    weeks,
                    _("at most {n} a day").format(n=p.cap),
                )
            )
    return found
