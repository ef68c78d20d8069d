"""A scenario expanded into arrays: group sizes, plans and their dates.

Work that depends only on a recurrence is done once per distinct plan
(rule, start day, time zone), not once per group: 100,000 groups sharing 12
rules and a 30-day start window plan at most 360 date sequences. Everything
per group is an array.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from emessi._i18n import _, ngettext
from emessi.errors import ScenarioError, UnknownProfileError
from emessi.method import MethodProfile, get_profile
from emessi.model import Role
from emessi.model._checks import safe_id
from emessi.simulation import _dates
from emessi.simulation._kernel import (
    DROP,
    MAKE_UP,
    MONTHLY,
    NEXT_SLOT,
    ON_HELD,
    SCHEDULED,
    Spec,
)
from emessi.simulation.scenario import DropoutTiming, ReschedulePolicy, Scenario

__all__ = ["Cohort", "expand"]

_POLICY = {
    ReschedulePolicy.DROP: DROP,
    ReschedulePolicy.MAKE_UP: MAKE_UP,
    ReschedulePolicy.NEXT_SLOT: NEXT_SLOT,
}
_TIMING = {
    DropoutTiming.HELD: ON_HELD,
    DropoutTiming.SCHEDULED: SCHEDULED,
    DropoutTiming.MONTHLY: MONTHLY,
}
#: A mean Gregorian month in seconds (365.2425 / 12 days): the unit of a
#: monthly dropout hazard.
MONTH_SECONDS = 365.2425 / 12 * 86400


@attrs.frozen(eq=False)
class Cohort:
    """The arrays a scenario stands for; see :func:`expand`.

    ``times[p]`` holds plan *p*'s slot starts (seconds since the epoch, UTC)
    followed by the make-ups of its meetings; ``-1`` pads a plan whose rule
    gave fewer slots than the policy could use.
    """

    spec: Spec
    group_ids: tuple[str, ...] | None
    plan: npt.NDArray[np.int64]
    times: npt.NDArray[np.int64]
    facilitator: npt.NDArray[np.int64]
    required: int
    minutes: int


@attrs.frozen
class _Template:
    peers: Any  # one number, or one per group
    group_ids: tuple[str, ...] | None
    facilitator: npt.NDArray[np.int64]
    zones: tuple[str, ...]  # the distinct zones
    zone_of: npt.NDArray[np.int64]


def _profile(scenario: Scenario) -> MethodProfile:
    try:
        return get_profile(scenario.profile)
    except UnknownProfileError as error:
        raise ScenarioError(error.message, path="profile") from None


def _pool(scenario: Scenario, groups: int) -> int:
    return scenario.facilitators.size or -(-groups // scenario.facilitators.max_groups)


def _template(scenario: Scenario) -> _Template:
    programme = scenario.programme
    if programme is None:
        groups = scenario.groups
        # Groups are shared out in turn, so loads differ by at most one.
        facilitator = np.arange(groups, dtype=np.int64) % _pool(scenario, groups)
        return _Template(
            scenario.peers, None, facilitator, (scenario.timezone,), np.zeros(groups, np.int64)
        )
    if not programme.groups:
        raise ScenarioError(_("the programme has no groups"), path="programme.groups")
    groups = len(programme.groups)
    peers = np.array(
        [sum(1 for _member in g.members(Role.PEER)) for g in programme.groups], np.int64
    )
    if peers.max() < scenario.threshold:
        raise ScenarioError(
            ngettext(
                "no group of the programme has the threshold of {n} peer",
                "no group of the programme has the threshold of {n} peers",
                scenario.threshold,
            ).format(n=scenario.threshold),
            path="threshold",
        )
    if peers.max() > 100:
        raise ScenarioError(
            _("a group has more than {n} peers").format(n=100), path="programme.groups"
        )
    # A group's own facilitator leads it; a group without one gets one from
    # the pool, in turn.
    names: dict[str, int] = {}
    facilitator = np.empty(groups, np.int64)
    loose = 0
    for index, group in enumerate(programme.groups):
        own = next(iter(group.members(Role.FACILITATOR)), None)
        if own is None:
            key = f"\x00pool-{loose % _pool(scenario, groups)}"
            loose += 1
        else:
            key = own.person
        facilitator[index] = names.setdefault(key, len(names))
    most = int(np.bincount(facilitator).max())
    if most > scenario.facilitators.max_groups:
        raise ScenarioError(
            _("a facilitator of the programme leads {most} groups; at most {limit}").format(
                most=most, limit=scenario.facilitators.max_groups
            ),
            path="facilitators.max_groups",
        )
    zones = sorted({g.timezone for g in programme.groups})
    zone_of = np.array([zones.index(g.timezone) for g in programme.groups], np.int64)
    ids = tuple(g.id for g in programme.groups)
    return _Template(peers, ids, facilitator, tuple(zones), zone_of)


def _gaps(
    times: npt.NDArray[np.int64], plan: npt.NDArray[np.int64], steps: int
) -> npt.NDArray[np.float64]:
    """Months from each step's slot back to the previous one, ``(steps, groups)``; 0 at the first."""
    slots = times[:, :steps].astype(np.float64)
    gaps = np.zeros_like(slots)
    gaps[:, 1:] = np.diff(slots, axis=1) / MONTH_SECONDS
    # padding (-1) past a plan's last slot is never used; keep it harmless
    np.maximum(gaps, 0.0, out=gaps)
    return np.ascontiguousarray(gaps[plan].T)


# Plan tables of recently expanded scenarios: simulating a scenario again
# (or a sweep whose points share their dates) plans and converts them once,
# as the planner's own fast path caches each series.
_TABLES: dict[tuple[object, ...], tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = {}
_TABLES_KEPT = 64


def _plan_table(
    scenario: Scenario,
    zones: tuple[str, ...],
    distinct: npt.NDArray[np.int64],
    wanted: int,
    meetings: int,
    policy: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The slot starts (seconds) and slot counts of each distinct plan; cached."""
    key = (
        scenario.recurrences,
        scenario.start,
        scenario.time,
        zones,
        wanted,
        meetings,
        policy,
        scenario.holidays,
        scenario.blackouts,
        distinct.tobytes(),
    )
    try:
        found = _TABLES.get(key)
    except TypeError:  # holidays that cannot be hashed
        return _new_plan_table(scenario, zones, distinct, wanted, meetings, policy)
    if found is None:
        found = _new_plan_table(scenario, zones, distinct, wanted, meetings, policy)
        for array in found:
            array.flags.writeable = False
        if len(_TABLES) >= _TABLES_KEPT:
            _TABLES.pop(next(iter(_TABLES)))
        _TABLES[key] = found
    return found


def _new_plan_table(
    scenario: Scenario,
    zones: tuple[str, ...],
    distinct: npt.NDArray[np.int64],
    wanted: int,
    meetings: int,
    policy: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    days, n_zones = scenario.start.days, len(zones)
    times = np.full((len(distinct), wanted + meetings), -1, np.int64)
    limits = np.empty(len(distinct), np.int64)
    clock = time.fromisoformat(scenario.time)
    plans = []
    for row, value in enumerate(distinct.tolist()):
        rest, zone_index = divmod(value, n_zones)
        rule_index, offset = divmod(rest, days)
        found, seconds = _dates.slots(
            scenario.recurrences[rule_index],
            scenario.start.first + timedelta(days=offset),
            clock,
            zones[zone_index],
            wanted,
            meetings,
            scenario.holidays,
            scenario.blackouts,
            f"recurrences[{rule_index}]",
        )
        times[row, : len(found)] = seconds
        limits[row] = len(found)
        plans.append(found)
    if policy == MAKE_UP:
        # One table of excluded days for every plan's make-ups.
        off = _dates.excluded(
            [moment for found in plans for moment in found[:: max(1, len(found) - 1)]],
            scenario.holidays,
            scenario.blackouts,
        )
        for row, found in enumerate(plans):
            times[row, wanted:] = [
                int(_dates.make_up(moment, off).timestamp()) for moment in found[:meetings]
            ]
    return times, limits


# Cohorts of recently expanded scenarios, keyed by the scenario and its
# profile (a profile registered again under the same name is another key):
# simulating a scenario again, as a study or a benchmark does, expands it once.
_COHORTS: dict[tuple[Scenario, MethodProfile], Cohort] = {}
_COHORTS_KEPT = 16


def expand(scenario: Scenario) -> Cohort:
    """Expand *scenario*; plans every distinct (rule, start day, zone) once.

    Raises:
        ScenarioError: an unknown profile, a rule that cannot give the planned
            meetings, a programme that cannot be a template.

    """
    profile = _profile(scenario)
    key = (scenario, profile)
    try:
        found = _COHORTS.get(key)
    except TypeError:  # a part that cannot be hashed (custom holidays)
        return _expand(scenario, profile)
    if found is None:
        found = _expand(scenario, profile)
        # shared by every result of this scenario from now on: read-only
        for part in (found, found.spec):
            for value in attrs.asdict(part, recurse=False).values():
                if isinstance(value, np.ndarray):
                    value.flags.writeable = False
        if len(_COHORTS) >= _COHORTS_KEPT:
            _COHORTS.pop(next(iter(_COHORTS)))
        _COHORTS[key] = found
    return found


def _expand(scenario: Scenario, profile: MethodProfile) -> Cohort:
    meetings = scenario.meetings if scenario.meetings is not None else profile.meetings.preferred[1]
    required = scenario.required_meetings or profile.meetings.preferred[0]
    if meetings < required:
        if scenario.required_meetings:
            message = ngettext(
                "{n} planned meeting can never reach the {required} a group needs to complete",
                "{n} planned meetings can never reach the {required} a group needs to complete",
                meetings,
            )
        else:
            message = ngettext(
                "{n} planned meeting can never reach the {required} a group needs to complete "
                "under the {profile} profile",
                "{n} planned meetings can never reach the {required} a group needs to complete "
                "under the {profile} profile",
                meetings,
            )
        raise ScenarioError(
            message.format(n=meetings, required=required, profile=safe_id(profile.name)),
            path="meetings",
        )
    minutes = scenario.duration_minutes or profile.duration_minutes.preferred[0]
    template = _template(scenario)
    groups = len(template.facilitator)
    policy = _POLICY[scenario.cancellation.policy]
    # The next-slot policy may use up to twice the planned slots.
    wanted = 2 * meetings if policy == NEXT_SLOT else meetings
    rules, days, zones = len(scenario.recurrences), scenario.start.days, len(template.zones)
    index = np.arange(groups, dtype=np.int64)
    key = ((index % rules) * days + index * days // groups) * zones + template.zone_of
    # Keys are small and dense: a lookup table numbers the used ones without
    # sorting (np.unique would sort every group's key).
    used = np.zeros(rules * days * zones, bool)
    used[key] = True
    distinct = np.flatnonzero(used)
    number = np.cumsum(used) - 1
    plan = number[key]
    times, limits = _plan_table(scenario, template.zones, distinct, wanted, meetings, policy)
    timing = _TIMING[scenario.dropout.timing]
    spec = Spec(
        groups=groups,
        peers=template.peers,
        meetings=meetings,
        slots=limits[plan] if limits.min() < wanted else wanted,
        mean=scenario.attendance.mean,
        concentration=scenario.attendance.concentration,
        fixed=scenario.attendance.fixed,
        hazard=scenario.dropout.hazard,
        rise=scenario.dropout.rise,
        timing=timing,
        cancel=scenario.cancellation.probability,
        policy=policy,
        threshold=scenario.threshold,
        gaps=_gaps(times, plan, wanted) if timing == MONTHLY else None,
    )
    return Cohort(spec, template.group_ids, plan, times, template.facilitator, required, minutes)
