"""The formation problem as plain indexed data, and the one scorer of a solution.

Both solvers (the heuristic and CP-SAT) work on a :class:`Problem` and return
a :class:`Solution`; :func:`count` is the single definition of the
objective, so their results are compared on the same scale.
"""

from __future__ import annotations

import attrs

__all__ = [
    "IF_NEED_BE",
    "NO",
    "OBJECTIVES",
    "TIERS",
    "TIERS_FLEXIBILITY_FIRST",
    "YES",
    "Problem",
    "Solution",
    "check",
    "cost",
    "count",
    "decode",
    "tiered_weights",
    "tiers_for",
]

#: Poll answers, as codes: the cost of each is set by the weights.
YES, IF_NEED_BE, NO = 0, 1, 2

#: The objectives, in the order the score lists them (most important first).
OBJECTIVES = (
    "unassigned",
    "staff_clash",
    "unavailable",
    "language",
    "size",
    "rigid_slots",
    "balance",
    "if_need_be",
    "diversity",
    "same_organisation",
)

#: The lexicographic order of the objectives (emessi's reading of the
#: method): a unit of a tier outweighs any total of the tiers below it.
#: 1: place everyone who can be placed; 2: every group can meet (a slot
#: everyone can attend, staff not double-booked, a shared language); 3: the
#: preferred group size, a rule of the method ("as a rule 5-6" peers,
#: eMessi2 source text): peers outside the preferred range, summed over
#: groups; 4: schedule flexibility (fewest candidate slots some member
#: cannot attend, i.e. most common slots); 5: the soft preferences.
TIERS: tuple[tuple[str, ...], ...] = (
    ("unassigned",),
    ("staff_clash", "unavailable", "language"),
    ("size",),
    ("rigid_slots",),
    ("balance", "if_need_be", "diversity", "same_organisation"),
)

#: The order with schedule flexibility above the preferred size, which is
#: then a soft preference (``Weights(size_first=False)``): tier 3 is empty.
TIERS_FLEXIBILITY_FIRST: tuple[tuple[str, ...], ...] = (
    ("unassigned",),
    ("staff_clash", "unavailable", "language"),
    (),
    ("rigid_slots",),
    ("size", "balance", "if_need_be", "diversity", "same_organisation"),
)


def tiers_for(size_first: bool) -> tuple[tuple[str, ...], ...]:
    """The tiers of the objective: :data:`TIERS`, or flexibility before sizes."""
    return TIERS if size_first else TIERS_FLEXIBILITY_FIRST


@attrs.define(eq=False)
class Problem:
    """Everything a solver needs, by index; people ``0..n_peers-1`` are peers.

    Staff members follow the peers. ``slot_cost[i][s]`` and ``lang_cost[i][l]``
    are already weighted; ``answers[i][s]`` are the raw poll codes.
    """

    ids: list[str]
    n_peers: int
    groups: int
    lo: int
    hi: int
    pref_lo: int
    pref_hi: int
    org: list[int]
    separate: bool
    conflicts: list[frozenset[int]]
    facilitators: list[int]
    observers: list[int]
    per_group_facilitators: int
    per_group_observers: int
    capacity: list[int]
    slots: tuple[str, ...]
    answers: list[tuple[int, ...]]
    slot_required: list[bool]
    slot_cost: list[tuple[int, ...]]
    languages: tuple[str, ...]
    lang_cost: list[tuple[int, ...]]
    diversity: list[list[int]]
    weights: dict[str, int]
    #: Each peer's real organisation (``org`` may split an organisation with
    #: more applicants than groups into parts kept apart); empty: as ``org``.
    home: list[int] = attrs.field(factory=list)

    @property
    def staff(self) -> list[int]:
        """Facilitators then observers, as person indices."""
        return self.facilitators + self.observers


@attrs.define(eq=False)
class Solution:
    """Which group each peer is in (-1: none), each group's staff, slot and language."""

    group_of: list[int]
    staff: list[list[int]]
    slot: list[int]
    lang: list[int]

    def copy(self) -> Solution:
        """An independent copy."""
        return Solution(
            list(self.group_of), [list(s) for s in self.staff], list(self.slot), list(self.lang)
        )

    def members(self, groups: int) -> list[list[int]]:
        """The peers of each group, in index order."""
        result: list[list[int]] = [[] for _ in range(groups)]
        for peer, group in enumerate(self.group_of):
            if group >= 0:
                result[group].append(peer)
        return result


def count(problem: Problem, solution: Solution) -> dict[str, int]:
    """The unweighted count of each objective for *solution* (lower is better)."""
    counts = dict.fromkeys(OBJECTIVES, 0)
    members = solution.members(problem.groups)
    counts["unassigned"] = sum(1 for g in solution.group_of if g < 0)
    sizes = [len(m) for m in members]
    for size in sizes:
        counts["size"] += max(0, problem.pref_lo - size, size - problem.pref_hi)
    if sizes:
        counts["balance"] = max(sizes) - min(sizes)
    home = problem.home or problem.org
    for g, peers in enumerate(members):
        everyone = peers + solution.staff[g]
        if problem.slots:
            slot = solution.slot[g]
            required = [person for person in everyone if problem.slot_required[person]]
            for person in required:
                answer = problem.answers[person][slot]
                if answer == NO:
                    counts["unavailable"] += 1
                elif answer == IF_NEED_BE:
                    counts["if_need_be"] += 1
            counts["rigid_slots"] += sum(
                1
                for s in range(len(problem.slots))
                if any(problem.answers[person][s] == NO for person in required)
            )
        orgs = [home[p] for p in peers if home[p] >= 0]
        counts["same_organisation"] += len(orgs) - len(set(orgs))
        if problem.languages:
            lang = solution.lang[g]
            counts["language"] += sum(1 for p in everyone if problem.lang_cost[p][lang] > 0)
        for values in problem.diversity:
            present = [values[p] for p in peers if values[p] >= 0]
            counts["diversity"] += len(present) - len(set(present))
    if problem.slots:
        taken: dict[int, list[int]] = {}
        for g, staff in enumerate(solution.staff):
            for person in staff:
                taken.setdefault(person, []).append(solution.slot[g])
        counts["staff_clash"] = sum(len(s) - len(set(s)) for s in taken.values())
    return counts


def cost(problem: Problem, counts: dict[str, int]) -> int:
    """The weighted total of *counts*: the objective both solvers minimise.

    ``problem.weights`` are the tiered weights of :func:`tiered_weights`, so
    this one integer orders formations lexicographically by the problem's tiers.
    """
    return sum(problem.weights[name] * counts[name] for name in OBJECTIVES)


def tiered_weights(
    weights: dict[str, int],
    caps: dict[str, int],
    tiers: tuple[tuple[str, ...], ...] = TIERS,
) -> tuple[dict[str, int], tuple[tuple[int, int], ...]]:
    """Weights that make one weighted sum lexicographic by tier; each tier's (multiplier, divisor).

    Within a tier the caller's weights keep their ratios (divided by their
    greatest common divisor, to keep the numbers small); each tier is
    multiplied by one more than the largest total the tiers below it can
    reach, given *caps*, the largest count each objective can take. An
    empty tier gets the multiplier of the tier above it, so it decodes to 0.
    """
    from math import gcd

    result: dict[str, int] = {}
    multipliers: list[tuple[int, int]] = []
    multiplier, below = 1, 0
    for tier in reversed(tiers):
        divisor = 0
        for name in tier:
            divisor = gcd(divisor, weights[name])
        divisor = divisor or 1
        top = 0
        for name in tier:
            result[name] = weights[name] // divisor * multiplier
            top += result[name] * caps[name]
        multipliers.append((multiplier, divisor))
        below += top
        multiplier = below + 1
    return result, tuple(reversed(multipliers))


def check(problem: Problem, solution: Solution) -> list[str]:
    """The hard constraints *solution* breaks, as short codes (empty: none)."""
    broken: list[str] = []
    members = solution.members(problem.groups)
    for g, peers in enumerate(members):
        if not problem.lo <= len(peers) <= problem.hi:
            broken.append(f"size:{g}")
        if problem.separate:
            orgs = [problem.org[p] for p in peers if problem.org[p] >= 0]
            if len(orgs) != len(set(orgs)):
                broken.append(f"organisation:{g}")
        everyone = set(peers) | set(solution.staff[g])
        if any(problem.conflicts[p] & everyone for p in everyone):
            broken.append(f"conflict:{g}")
        facilitators = [p for p in solution.staff[g] if p in set(problem.facilitators)]
        observers = [p for p in solution.staff[g] if p in set(problem.observers)]
        if (
            len(set(facilitators)) != problem.per_group_facilitators
            or len(set(observers)) != problem.per_group_observers
            or len(solution.staff[g]) != len(facilitators) + len(observers)
        ):
            broken.append(f"staff:{g}")
    load: dict[int, int] = {}
    for staff in solution.staff:
        for person in staff:
            load[person] = load.get(person, 0) + 1
    broken += [f"load:{p}" for p, n in sorted(load.items()) if n > problem.capacity[p]]
    return broken


def decode(value: float, tiers: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    """Each tier's weighted value (the caller's weights) in a tiered total *value*.

    Monotone: a lower bound on the total decodes to a lexicographic lower
    bound on the tiers.
    """
    rest = int(value)
    values = []
    for multiplier, divisor in tiers:
        digit, rest = divmod(rest, multiplier)
        values.append(digit * divisor)
    return tuple(values)
