"""A CP-SAT model of the programme planning problem (OR-Tools, optional).

The same integer :class:`~emessi.scheduling._search.Problem` the planner's
search solves: one boolean per (group, candidate series), exactly one per
group; for each person in two or more groups, at most one chosen meeting
covers any moment (each meeting stretched by the buffer); at most ``cap``
meetings a person a day; and a boolean per (staff member, day) that must be
true when that day has exactly one of their meetings. The objective is the
same weighted sum, so the two are compared on one scale. Used by
``benchmarks/planning_vs_cpsat.py``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import attrs

from emessi._i18n import N_
from emessi.errors import MissingDependencyError
from emessi.scheduling._search import Problem, score

__all__ = ["Result", "solve"]


@attrs.frozen
class Result:
    """What CP-SAT found: a choice (None if none in time), its score, status and bound."""

    choice: tuple[int, ...] | None
    status: str
    objective: int | None
    violations: int | None
    bound: float | None
    seconds: float
    build_seconds: float


def _import() -> Any:
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        raise MissingDependencyError(
            "ortools", extra="cpsat", feature=N_("the CP-SAT model of programme planning")
        ) from None
    return cp_model


def solve(problem: Problem, *, seconds: float = 30.0, workers: int = 2, seed: int = 0) -> Result:
    """Solve *problem* with CP-SAT for at most *seconds* on *workers* threads."""
    cp_model = _import()
    started = time.perf_counter()
    model = cp_model.CpModel()
    x = [
        [model.NewBoolVar(f"x{g}_{i}") for i in range(len(c))] for g, c in enumerate(problem.cands)
    ]
    for row in x:
        model.AddExactlyOne(row)
    by_person: dict[int, list[int]] = defaultdict(list)
    for g, people in enumerate(problem.shared):
        for person in people:
            by_person[person].append(g)
    gap = problem.buffer
    for groups in by_person.values():
        # Intervals [start, end + buffer): two meetings clash iff theirs overlap,
        # so the clashes are the cliques at the intervals' left ends.
        items = [
            (s, e + gap, g, i)
            for g in groups
            for i, sid in enumerate(problem.cands[g])
            for s, e, _ in problem.series[sid]
        ]
        items.sort()
        active: list[tuple[int, int, int, int]] = []
        grown = False
        for item in [*items, (1 << 62, 0, -1, -1)]:
            kept = [other for other in active if other[1] > item[0]]
            if len(kept) < len(active) and grown:
                # A maximal clique: every interval in it covers this moment.
                if len({other[2] for other in active}) > 1:
                    model.AddAtMostOne(dict.fromkeys(x[o[2]][o[3]] for o in active))
                grown = False
            active = [*kept, item]
            grown = True
        days: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for g in groups:
            for i, sid in enumerate(problem.cands[g]):
                for _, _, d in problem.series[sid]:
                    days[d].append((g, i))
        for found in days.values():
            if len({g for g, _ in found}) > problem.cap:
                model.Add(sum(x[g][i] for g, i in found) <= problem.cap)
    objective = [
        cost * x[g][i]
        for g, costs in enumerate(problem.costs)
        for i, cost in enumerate(costs)
        if cost
    ]
    staff_groups: dict[int, list[int]] = defaultdict(list)
    for g, people in enumerate(problem.staff):
        for person in people:
            staff_groups[person].append(g)
    for groups in staff_groups.values():
        days = defaultdict(list)
        for g in groups:
            for i, sid in enumerate(problem.cands[g]):
                for _, _, d in problem.series[sid]:
                    days[d].append((g, i))
        for found in days.values():
            count = sum(x[g][i] for g, i in found)
            if len({g for g, _ in found}) == 1:
                objective.append(problem.lonely * count)
                continue
            alone = model.NewBoolVar("")
            # alone is false only when the day has not exactly one meeting.
            model.Add(count != 1).OnlyEnforceIf(alone.Not())
            objective.append(problem.lonely * alone)
    model.Minimize(sum(objective))
    built = time.perf_counter()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.Solve(model)
    name = solver.StatusName(status)
    choice: tuple[int, ...] | None = None
    found_objective = violations = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        choice = tuple(
            next(i for i, var in enumerate(row) if solver.BooleanValue(var)) for row in x
        )
        violations, found_objective = score(problem, choice)
    bound = solver.BestObjectiveBound() if choice is not None else None
    return Result(
        choice,
        name,
        found_objective,
        violations,
        bound,
        time.perf_counter() - built,
        built - started,
    )
