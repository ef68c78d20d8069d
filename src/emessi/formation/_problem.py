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
    "YES",
    "Problem",
    "Solution",
    "check",
    "cost",
    "count",
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
    "balance",
    "if_need_be",
    "diversity",
)


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
    for g, peers in enumerate(members):
        everyone = peers + solution.staff[g]
        if problem.slots:
            slot = solution.slot[g]
            for person in everyone:
                if not problem.slot_required[person]:
                    continue
                answer = problem.answers[person][slot]
                if answer == NO:
                    counts["unavailable"] += 1
                elif answer == IF_NEED_BE:
                    counts["if_need_be"] += 1
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
    """The weighted total of *counts*: the objective both solvers minimise."""
    return sum(problem.weights[name] * counts[name] for name in OBJECTIVES)


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
