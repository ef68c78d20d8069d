"""The formation heuristic's whole-formation moves: negative-cycle cancelling and staff changes.

Each pass must keep every hard constraint and the exact cost, lower the
cost exactly when it reports a change, and never give up a higher tier.
The preferences pass is also checked against brute force: when it stops,
no formation of its neighbourhood (same slots, staff, sizes and common
slots) is cheaper.
"""

from __future__ import annotations

import itertools
import random
from datetime import time

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emessi.formation import Applicant, Staff, Weights, _constraints, _heuristic
from emessi.formation._cancel import negative_cycle
from emessi.formation._flow import Opener, reassign
from emessi.formation._problem import Problem, Solution, check, cost, count
from emessi.method import get_profile
from emessi.method.profiles import Bounds
from emessi.model import Organisation, Person
from emessi.scheduling import Poll, Slot

SLOTS = [Slot(f"s-{d}", d, time(10)) for d in range(4)]


def _problem(
    seed: int, n: int, load: int, *, small: bool = False, diversity: tuple[str, ...] = ("sector",)
) -> Problem:
    """A random pool: organisations of two, three sectors, a poll, staff leading *load* groups."""
    rng = random.Random(seed)
    applicants = []
    answers: dict[str, dict[str, str]] = {}
    for i in range(n):
        org = Organisation(f"o-{i // 2}", "", sector=f"s{i // 2 % 3}", region=f"r{i // 2 % 2}")
        langs = rng.choice([("fi",), ("fi",), ("fi",), ("fi", "sv")])
        applicants.append(Applicant(Person(f"p-{i:02d}", "", languages=langs), org))
    staff = -(-n // 3) if small else -(-n // 5)
    facilitators = [Staff(Person(f"f-{i}", "", languages=("fi", "sv")), load) for i in range(staff)]
    observers = [Staff(Person(f"w-{i}", ""), load) for i in range(staff)]
    for person in [a.id for a in applicants] + [s.id for s in facilitators + observers]:
        answers[person] = {s.id: rng.choice(["yes", "yes", "if-need-be", "no"]) for s in SLOTS}
    profile = get_profile()
    if small:
        profile = attrs.evolve(profile, peers=Bounds(preferred=(3, 4), allowed=(2, 4)))
    return _constraints.build(
        applicants,
        profile,
        facilitators=facilitators,
        observers=observers,
        availability=Poll.from_answers(SLOTS, answers),
        groups=None,
        conflicts=[(applicants[0].id, applicants[2].id)],
        diversity=list(diversity),
        eligibility="report",
        weights=Weights().as_dict(),
    ).problem


def _search(problem: Problem, seed: int) -> _heuristic._Search:
    search = _heuristic._Search(problem, seed, 1.0)
    search.evaluations, search.budget = 0, 10**7
    search.construct()
    search.descend(list(range(problem.n_peers)))
    return search


def _exact(search: _heuristic._Search) -> int:
    return cost(search.p, count(search.p, search.state.solution()))


def _tiers(search: _heuristic._Search) -> tuple[int, ...]:
    """Every tier above the preferences, as a tuple (lower is better)."""
    c = count(search.p, search.state.solution())
    return (
        c["unassigned"],
        c["staff_clash"] + c["unavailable"] + c["language"],
        c["size"],
        c["rigid_slots"],
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(12, 40), st.integers(1, 3))
def test_the_whole_formation_passes_keep_constraints_and_the_exact_cost(
    seed: int, n: int, load: int
) -> None:
    """Cancelling cycles, re-staffing (alone, paired, swaps), staffed chains, flows lower the cost."""
    problem = _problem(seed, n, load, diversity=("sector", "region"))
    search = _search(problem, seed)
    state = search.state
    for move in (
        search.cancel_pass,
        search.crew_pass,
        search.crew_pair_pass,
        search.swap_cancel_pass,
        search.staffed_pass,
        search.flow_pass,
    ):
        before, tiers = state.total(), _tiers(search)
        touched = move()
        assert state.total() == _exact(search)
        assert not check(problem, state.solution())
        if touched:
            assert state.total() < before
        else:
            assert state.total() == before
            assert _tiers(search) == tiers


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(9, 40))
def test_cancelling_cycles_never_gives_up_a_higher_tier(seed: int, n: int) -> None:
    """The preferences pass keeps slots, staff and common slots, sizes in range: tiers 1-4 hold."""
    problem = _problem(seed, n, 2)
    search = _search(problem, seed)
    search._masks()
    common = list(search.common)
    tiers = _tiers(search)
    spread = count(problem, search.state.solution())["balance"]
    search.cancel_pass()
    assert _tiers(search) <= tiers
    assert count(problem, search.state.solution())["balance"] <= spread
    for g in range(problem.groups):
        assert search._common(g) & common[g] == common[g]


def _neighbourhood_best(search: _heuristic._Search) -> int:
    """The cheapest formation of the cancel pass's neighbourhood, by brute force.

    Sizes stay within the sizes there are now and the preferred range
    (fixed for a group outside it). A peer goes only where nobody they
    are in conflict with is now (the
    pass's rule: conflicts are pairs, which a flow cannot price). Only
    formations with as many rigid slots as now: the pass prices the
    preferences; a formation that also opens a slot (a blocker left) is a
    bonus the exact cost decides, not what the flow minimises.
    """
    st, p = search.state, search.p
    search._masks()
    solution = st.solution()
    rigid = count(p, solution)["rigid_slots"]
    peers = [i for i in range(p.n_peers) if st.group_of[i] >= 0]
    sizes = [len(m) for m in st.members]
    low, high = max(min(sizes), p.pref_lo), min(max(sizes), p.pref_hi)
    allowed = []
    for i in peers:
        home = st.group_of[i]
        allowed.append(
            {
                h
                for h in range(p.groups)
                if h == home
                or (
                    not search.no_mask[i] & search.common[h]
                    and st.sc[i][st.slot[h]] < st.t_no
                    and st.lc[i][st.lang[h]] <= st.lc[i][st.lang[home]]
                    and st.conflict_free(i, h)
                )
            }
        )
    best = None
    for groups in itertools.product(range(p.groups), repeat=len(peers)):
        if any(g not in allowed[x] for x, g in enumerate(groups)):
            continue
        if any(
            n != sizes[g] if not low <= sizes[g] <= high else not low <= n <= high
            for g, n in enumerate(groups.count(g) for g in range(p.groups))
        ):
            continue
        group_of = list(solution.group_of)
        for x, g in enumerate(groups):
            group_of[peers[x]] = g
        candidate = Solution(group_of, solution.staff, solution.slot, solution.lang)
        if check(p, candidate):
            continue
        counts = count(p, candidate)
        if counts["rigid_slots"] != rigid:
            continue
        value = cost(p, counts)
        best = value if best is None else min(best, value)
    assert best is not None  # the formation itself is in its neighbourhood
    return best


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_cancelling_cycles_stops_only_at_the_best_of_its_neighbourhood(seed: int) -> None:
    """Ten peers in three groups of three or four: no formation of its neighbourhood is cheaper.

    (Among those with as many common slots: see :func:`_neighbourhood_best`.)
    """
    problem = _problem(seed, 10, 1, small=True)
    assert problem.groups == 3
    search = _heuristic._Search(problem, seed, 1.0)
    search.evaluations, search.budget = 0, 10**7
    search.construct(jitter=True)  # no local search: the pass has work to do
    search.CYCLES = 1_000
    search.cancel_pass()
    assert search.state.total() == _exact(search)
    assert search.state.total() <= _neighbourhood_best(search)


def test_a_negative_cycle_is_found_and_none_where_there_is_none() -> None:
    """Bellman-Ford over arcs (from, to, cost, label)."""
    arcs = [(0, 1, 2, 10), (1, 2, -1, 11), (2, 0, -2, 12), (2, 3, 5, 13)]
    cycle, work = negative_cycle(arcs, 4, 10)
    assert sorted(arcs[e][3] for e in cycle) == [10, 11, 12]
    assert work >= 0
    arcs[0] = (0, 1, 3, 10)
    assert negative_cycle(arcs, 4, 10)[0] == []


def _staffing_best(search: _heuristic._Search, role: list[int]) -> int:
    """The cheapest staffing of *role* (with each group's slot) the crew pass could reach.

    By brute force: each group one member of the role, at its slot or at one
    everyone else in it can attend where the other role's staff have no
    other group; nobody over their load or in two groups in one slot.
    """
    st, p = search.state, search.p
    solution = st.solution()
    in_role = set(role)
    options = []
    for g in range(p.groups):
        others = [i for i in st.members[g] + st.staff[g] if i not in in_role]
        slots = [
            s
            for s in range(st.S)
            if s == st.slot[g]
            or (
                all(st.sc[i][s] < st.t_no for i in others)
                and not any(st.scnt[o][s] for o in st.staff[g] if o not in in_role)
            )
        ]
        options.append([(f, s) for f in role for s in slots])
    best = None
    for choice in itertools.product(*options):
        load: dict[int, int] = {}
        busy: set[tuple[int, int]] = set()
        for f, s in choice:
            load[f] = load.get(f, 0) + 1
            busy.add((f, s))
        if len(busy) < len(choice) or any(n > p.capacity[f] for f, n in load.items()):
            continue
        staff = [
            sorted([i for i in solution.staff[g] if i not in in_role] + [f])
            for g, (f, _) in enumerate(choice)
        ]
        slot = [s for _, s in choice]
        candidate = Solution(solution.group_of, staff, slot, solution.lang)
        if check(p, candidate):
            continue
        value = cost(p, count(p, candidate))
        best = value if best is None else min(best, value)
    assert best is not None
    return best


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_re_staffing_stops_only_at_the_best_staffing_of_its_neighbourhood(seed: int) -> None:
    """Ten peers in three groups: no facilitator staffing (and slots) it could reach is cheaper."""
    problem = _problem(seed, 10, 2, small=True)
    assert problem.groups == 3
    search = _heuristic._Search(problem, seed, 1.0)
    search.evaluations, search.budget = 0, 10**7
    search.construct(jitter=True)
    search.CREW_CYCLES = 1_000
    search.crew_pass()
    assert search.state.total() == _exact(search)
    assert search.state.total() <= _staffing_best(search, problem.facilitators)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(12, 40), st.integers(1, 3))
def test_the_opener_answers_as_a_fresh_flow_does(seed: int, n: int, load: int) -> None:
    """One graph asked about every rigid slot: feasible exactly when a flow built anew is.

    Its moves leave nobody in the group who cannot attend the slot, keep
    every other group's common slots, and the graph as it was.
    """
    problem = _problem(seed, n, load)
    search = _search(problem, seed)
    state = search.state
    search._masks()
    common = list(search.common)
    opener = Opener(state, search.no_mask, list(common))
    sizes = [len(m) for m in state.members]
    low = [max(problem.lo, min(k, problem.pref_lo)) for k in sizes]
    high = [min(problem.hi, max(k, problem.pref_hi)) for k in sizes]
    capacities = list(opener.graph.cap)
    for g in range(problem.groups):
        for s in range(state.S):
            bit = 1 << s
            if common[g] & bit:
                continue
            moves = opener.open(g, bit)
            assert opener.graph.cap == capacities
            target = list(common)
            target[g] |= bit
            fresh, _ = reassign(state, search.no_mask, target, low, high)
            assert (moves is None) == (fresh is None)
            if moves is None:
                continue
            start = state.solution()
            search._apply(moves)
            for h in range(problem.groups):
                for i in state.members[h]:
                    assert not search.no_mask[i] & target[h]
                assert low[h] <= len(state.members[h]) <= high[h]
            state.load(start)


def test_the_flow_phase_is_skipped_beyond_deep_groups() -> None:
    """Above DEEP_GROUPS groups the whole-formation flow graph is never built (5,000 applicants)."""
    problem = _problem(7, 30, 2)
    search = _search(problem, 7)
    start, before = search.state.solution(), search.state.total()

    def refuse() -> list[int]:
        raise AssertionError("the flow pass ran")

    search.flow_pass = refuse  # type: ignore[method-assign]
    search.DEEP_GROUPS = problem.groups - 1
    kept, cost_kept = search._open_by_flow(start, before)
    assert kept is start
    assert cost_kept == before
    search.DEEP_GROUPS = problem.groups
    assert before > search.floor
    with pytest.raises(AssertionError, match="the flow pass ran"):
        search._open_by_flow(start, before)
