"""A CP-SAT model of the formation problem: the exact mode (OR-Tools, optional).

One boolean per (peer, group), (staff member, group), (group, slot),
(group, language) and (group, rigid slot); the objective is the same tiered
weighted sum that :func:`emessi.formation._problem.count` defines, so the
heuristic and the exact solver are compared on one scale. Groups are
interchangeable, so their symmetry is broken: group g holds a peer only if
group g - 1 holds a peer of lower index (groups ordered by their first
peer). A hint (the heuristic's answer) is relabelled to that order. Used by
``form_groups(polish=...)`` and by ``benchmarks/formation_vs_cpsat.py``.
"""

from __future__ import annotations

import time
from typing import Any

import attrs

from emessi._i18n import N_
from emessi.errors import MissingDependencyError
from emessi.formation._problem import Problem, Solution

__all__ = ["Result", "canonical", "safe_floor", "solve"]


@attrs.frozen
class Result:
    """What CP-SAT found: a solution (None if none in time), its status and bound."""

    solution: Solution | None
    status: str
    objective: float | None
    bound: float | None
    seconds: float


def _import() -> Any:
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        raise MissingDependencyError(
            "ortools", extra="cpsat", feature=N_("polishing formations with CP-SAT")
        ) from None
    return cp_model


def solve(
    problem: Problem,
    *,
    hint: Solution | None = None,
    seconds: float = 10.0,
    workers: int = 1,
    seed: int = 0,
) -> Result:
    """Solve *problem* with CP-SAT for at most *seconds*, starting from *hint*."""
    cp_model = _import()
    started = time.perf_counter()
    model = cp_model.CpModel()
    p, k = problem, problem.groups
    w = problem.weights
    peers = range(p.n_peers)
    staff = p.staff
    x = [[model.NewBoolVar(f"x{i}_{g}") for g in range(k)] for i in peers]
    y = {f: [model.NewBoolVar(f"y{f}_{g}") for g in range(k)] for f in staff}
    terms: list[Any] = []

    for i in peers:
        model.Add(sum(x[i]) <= 1)
        terms.append(w["unassigned"] * (1 - sum(x[i])))
    sizes = []
    for g in range(k):
        size = sum(x[i][g] for i in peers)
        sizes.append(size)
        model.Add(size >= p.lo)
        model.Add(size <= p.hi)
        dev = model.NewIntVar(0, p.hi, f"dev{g}")
        model.Add(dev >= p.pref_lo - size)
        model.Add(dev >= size - p.pref_hi)
        terms.append(w["size"] * dev)
        model.Add(sum(y[f][g] for f in p.facilitators) == p.per_group_facilitators)
        model.Add(sum(y[f][g] for f in p.observers) == p.per_group_observers)
    largest = model.NewIntVar(0, p.hi, "largest")
    smallest = model.NewIntVar(0, p.hi, "smallest")
    for size in sizes:
        model.Add(largest >= size)
        model.Add(smallest <= size)
    terms.append(w["balance"] * (largest - smallest))
    # Symmetry breaking: groups in the order of their lowest-index peer.
    # seen[i][g]: group g holds one of peers 0..i; peer i may open group g
    # only if group g - 1 already holds a peer before i.
    if p.lo >= 1 and p.n_peers:
        seen = [[model.NewBoolVar(f"u{i}_{g}") for g in range(k)] for i in peers]
        for i in peers:
            for g in range(k):
                if i == 0:
                    model.Add(seen[i][g] == x[i][g])
                else:
                    model.AddImplication(seen[i - 1][g], seen[i][g])
                    model.AddImplication(x[i][g], seen[i][g])
                    model.Add(seen[i][g] <= seen[i - 1][g] + x[i][g])
                if g:
                    model.Add(x[i][g] == 0) if i == 0 else model.AddImplication(
                        x[i][g], seen[i - 1][g - 1]
                    )
    for f in staff:
        model.Add(sum(y[f]) <= p.capacity[f])

    if p.separate:
        by_org: dict[int, list[int]] = {}
        for i in peers:
            if p.org[i] >= 0:
                by_org.setdefault(p.org[i], []).append(i)
        for members in by_org.values():
            if len(members) > 1:
                for g in range(k):
                    model.Add(sum(x[i][g] for i in members) <= 1)

    def var(person: int, g: int) -> Any:
        return x[person][g] if person < p.n_peers else y[person][g]

    for a in range(len(p.ids)):
        for b in sorted(p.conflicts[a]):
            if a < b:
                for g in range(k):
                    model.AddBoolOr([var(a, g).Not(), var(b, g).Not()])

    everyone = list(peers) + list(staff)
    if p.slots and w["rigid_slots"]:
        for g in range(k):
            for s in range(len(p.slots)):
                saying_no = [
                    var(i, g) for i in everyone if p.slot_required[i] and p.answers[i][s] == 2
                ]
                if saying_no:
                    rigid = model.NewBoolVar(f"r{g}_{s}")
                    for v in saying_no:
                        model.AddImplication(v, rigid)
                    terms.append(w["rigid_slots"] * rigid)
    chosen_slot = _choice(model, k, p.slots, p.slot_cost, everyone, var, terms, "s")
    chosen_lang = _choice(model, k, p.languages, p.lang_cost, everyone, var, terms, "l")

    if chosen_slot is not None:
        for f in staff:
            if p.capacity[f] < 2:
                continue
            for s in range(len(p.slots)):
                both = []
                for g in range(k):
                    b = model.NewBoolVar(f"w{f}_{g}_{s}")
                    model.Add(b >= y[f][g] + chosen_slot[g][s] - 1)
                    both.append(b)
                clash = model.NewIntVar(0, k, f"clash{f}_{s}")
                model.Add(clash >= sum(both) - 1)
                terms.append(w["staff_clash"] * clash)

    for a, values in enumerate(p.diversity):
        labels = sorted({v for v in values if v >= 0})
        for g in range(k):
            present = []
            for v in labels:
                with_v = [x[i][g] for i in peers if values[i] == v]
                has = model.NewBoolVar(f"d{a}_{g}_{v}")
                model.Add(has <= sum(with_v))
                present.append(has)
            counted = sum(x[i][g] for i in peers if values[i] >= 0)
            terms.append(w["diversity"] * (counted - sum(present)))

    home = p.home or p.org
    if p.separate and w["same_organisation"] and home != p.org:
        for o in sorted({v for v in home if v >= 0}):
            colleagues = [i for i in peers if home[i] == o]
            if len(colleagues) <= k:
                continue
            for g in range(k):
                has = model.NewBoolVar(f"h{o}_{g}")
                model.Add(has <= sum(x[i][g] for i in colleagues))
                terms.append(w["same_organisation"] * (sum(x[i][g] for i in colleagues) - has))

    model.Minimize(sum(terms))
    if hint is not None:
        pairs = _hint(problem, canonical(hint, k), x, y, chosen_slot, chosen_lang)
        _complete_hint(cp_model, model, pairs, workers)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(seconds)
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.random_seed = int(seed)
    status = solver.Solve(model)
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Result(None, name, None, None, time.perf_counter() - started)
    group_of = [-1] * p.n_peers
    for i in peers:
        for g in range(k):
            if solver.Value(x[i][g]):
                group_of[i] = g
    crew: list[list[int]] = [[f for f in staff if solver.Value(y[f][g])] for g in range(k)]
    slot = _picked(solver, chosen_slot, k)
    lang = _picked(solver, chosen_lang, k)
    return Result(
        Solution(group_of, crew, slot, lang),
        name,
        solver.ObjectiveValue(),
        solver.BestObjectiveBound(),
        time.perf_counter() - started,
    )


def _choice(
    model: Any,
    k: int,
    options: tuple[str, ...],
    costs: list[tuple[int, ...]],
    everyone: list[int],
    var: Any,
    terms: list[Any],
    tag: str,
) -> list[list[Any]] | None:
    """One chosen option per group; its cost is the members' summed costs."""
    if not options:
        return None
    chosen = []
    top = sum(max(costs[i]) for i in everyone)
    for g in range(k):
        picks = [model.NewBoolVar(f"{tag}{g}_{o}") for o in range(len(options))]
        model.AddExactlyOne(picks)
        paid = model.NewIntVar(0, top, f"{tag}cost{g}")
        for o, pick in enumerate(picks):
            expr = sum(costs[i][o] * var(i, g) for i in everyone if costs[i][o])
            model.Add(paid >= expr).OnlyEnforceIf(pick)
        terms.append(paid)
        chosen.append(picks)
    return chosen


def _picked(solver: Any, chosen: list[list[Any]] | None, k: int) -> list[int]:
    if chosen is None:
        return [-1] * k
    return [next(o for o, b in enumerate(chosen[g]) if solver.Value(b)) for g in range(k)]


def _hint(
    problem: Problem,
    hint: Solution,
    x: list[list[Any]],
    y: dict[int, list[Any]],
    slot: list[list[Any]] | None,
    lang: list[list[Any]] | None,
) -> list[tuple[Any, int]]:
    """The decision variables' values in *hint*."""
    pairs: list[tuple[Any, int]] = []
    for i, row in enumerate(x):
        for g, v in enumerate(row):
            pairs.append((v, int(hint.group_of[i] == g)))
    for f, row in y.items():
        for g, v in enumerate(row):
            pairs.append((v, int(f in hint.staff[g])))
    for chosen, values in ((slot, hint.slot), (lang, hint.lang)):
        if chosen is not None:
            for g, picks in enumerate(chosen):
                for o, v in enumerate(picks):
                    pairs.append((v, int(values[g] == o)))
    return pairs


def _complete_hint(cp_model: Any, model: Any, pairs: list[tuple[Any, int]], workers: int) -> None:
    """Hint every variable: the decisions as given, the rest solved with them fixed.

    A hint of the decisions alone leaves CP-SAT to complete the auxiliary
    variables (sizes, rigid slots, costs) itself, which it may fail to do on
    large models and then search without the hint at all.
    """
    trial = model.clone()
    for var, value in pairs:
        trial.Add(trial.get_int_var_from_proto_index(var.Index()) == value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 30.0
    solver.parameters.num_workers = max(1, int(workers))
    status = solver.Solve(trial)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for var, value in pairs:  # the decisions alone, then
            model.AddHint(var, value)
        return
    for index in range(len(model.Proto().variables)):
        value = solver.Value(trial.get_int_var_from_proto_index(index))
        model.AddHint(model.get_int_var_from_proto_index(index), value)


def canonical(solution: Solution, groups: int) -> Solution:
    """The same formation with groups renumbered in the order of their lowest-index peer."""
    members = solution.members(groups)
    order = sorted(range(groups), key=lambda g: (members[g][0] if members[g] else 1 << 30, g))
    new = {g: number for number, g in enumerate(order)}
    return Solution(
        [new[g] if g >= 0 else -1 for g in solution.group_of],
        [list(solution.staff[g]) for g in order],
        [solution.slot[g] for g in order],
        [solution.lang[g] for g in order],
    )


def safe_floor(bound: float) -> int:
    """CP-SAT's bound (a float) as an integer that is still a lower bound."""
    value = int(bound)
    if abs(bound) >= 2**52:  # beyond exact float integers: step below the rounding
        value -= int(abs(bound) * 2**-50) + 1
    return value
