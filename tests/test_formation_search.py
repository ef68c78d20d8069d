"""The search's bookkeeping is exact, and the exact solver agrees on small pools."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import time

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emessi.errors import MissingDependencyError
from emessi.formation import (
    Applicant,
    Objective,
    Staff,
    Weights,
    _constraints,
    _cpsat,
    _heuristic,
    form_groups,
)
from emessi.formation._problem import Problem, check, cost, count
from emessi.method import get_profile
from emessi.method.profiles import Bounds
from emessi.model import Organisation, Person
from emessi.scheduling import Poll, Slot

SLOTS = [Slot(f"s-{d}", d, time(10)) for d in range(4)]


def _problem(seed: int, n: int, load: int, *, diversity: bool = True) -> Problem:
    rng = random.Random(seed)
    applicants = []
    answers: dict[str, dict[str, str]] = {}
    for i in range(n):
        org = Organisation(f"o-{i // 2}", "", sector=f"s{i // 2 % 3}", region=f"r{i // 2 % 2}")
        langs = rng.choice([("fi",), ("fi",), ("sv",), ("fi", "sv")])
        applicants.append(Applicant(Person(f"p-{i:02d}", "", languages=langs), org))
    facilitators = [Staff(Person(f"f-{i}", ""), load) for i in range(-(-n // 5))]
    observers = [Staff(Person(f"w-{i}", ""), load) for i in range(-(-n // 5))]
    for person in [a.id for a in applicants] + [s.id for s in facilitators + observers]:
        answers[person] = {s.id: rng.choice(["yes", "yes", "if-need-be", "no"]) for s in SLOTS}
    inputs = _constraints.build(
        applicants,
        get_profile(),
        facilitators=facilitators,
        observers=observers,
        availability=Poll.from_answers(SLOTS, answers),
        groups=None,
        conflicts=[(applicants[0].id, applicants[2].id)],
        diversity=["sector", "region"] if diversity else [],
        eligibility="report",
        weights=Weights().as_dict(),
    )
    return inputs.problem


def _exact(search: _heuristic._Search) -> int:
    return cost(search.p, count(search.p, search.state.solution()))


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.integers(12, 30))
def test_move_and_swap_prices_are_exact_when_no_staff_is_shared(seed: int, n: int) -> None:
    """With one group per staff member, every priced move or swap changes the cost by its price."""
    problem = _problem(seed, n, load=1)
    search = _heuristic._Search(problem, seed, 1.0)
    search.construct()
    state, rng = search.state, random.Random(seed)
    assert state.total() == _exact(search)
    for _ in range(60):
        i = rng.randrange(problem.n_peers)
        if rng.random() < 0.5:
            h = rng.randrange(problem.groups)
            delta = state.move_delta(i, h) if h != state.group_of[i] else None
            if delta is None:
                continue
            before = state.total()
            state.move(i, h)
        else:
            j = rng.randrange(problem.n_peers)
            delta = state.swap_delta(i, j)
            if delta is None:
                continue
            before = state.total()
            state.swap(i, j)
        assert state.total() - before == delta
        assert state.total() == _exact(search)
    assert not check(problem, state.solution())


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.integers(12, 30))
def test_the_state_keeps_the_exact_cost_with_shared_staff(seed: int, n: int) -> None:
    """With staff leading several groups, moves, swaps and staff changes keep the cost exact."""
    problem = _problem(seed, n, load=3)
    search = _heuristic._Search(problem, seed, 1.0)
    search.evaluations, search.budget = 0, 10**6
    search.construct()
    state = search.state
    search.descend(list(range(problem.n_peers)))
    assert state.total() == _exact(search)
    search.staff_pass()
    assert state.total() == _exact(search)
    search.descend(search.regroup_pass())
    assert state.total() == _exact(search)
    search.descend(search.flex_pass())
    assert state.total() == _exact(search)
    search.descend(search.shift(3))
    assert state.total() == _exact(search)
    search.sweep = True
    search.descend(list(range(problem.n_peers)))
    search.sweep = False
    assert state.total() == _exact(search)
    for g in range(problem.groups):
        for f in list(state.staff[g]):
            same_role = problem.facilitators if f in problem.facilitators else problem.observers
            for f2 in same_role:
                if f2 not in state.staff[g] and state.staff_fits(f2, g, without=f):
                    before = state.total()
                    delta = search._replace_delta(g, f, f2)
                    state.take_staff(f, g)
                    state.put_staff(f2, g)
                    state.refresh(g)
                    assert state.total() - before == delta
                    break
    assert state.total() == _exact(search)
    assert not check(problem, state.solution())


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.integers(12, 36), st.integers(1, 3))
def test_ejection_chains_keep_the_constraints_and_never_lose_a_higher_tier(
    seed: int, n: int, load: int
) -> None:
    """A chain pass keeps every hard constraint, the exact cost, and no group loses a common slot."""
    problem = _problem(seed, n, load=load)
    search = _heuristic._Search(problem, seed, 1.0)
    search.evaluations, search.budget = 0, 10**6
    search.construct()
    state = search.state
    search.descend(list(range(problem.n_peers)))
    before = state.total()
    search._masks()
    common = list(search.common)
    touched = search.chain_pass()
    assert state.total() == _exact(search)
    assert not check(problem, state.solution())
    if touched:
        assert state.total() < before
        for g in range(problem.groups):
            # no group lost a common slot; at least one group gained one
            assert search._common(g) & common[g] == common[g]
        assert any(search._common(g) != common[g] for g in range(problem.groups))
    else:
        assert state.total() == before


@settings(max_examples=20)
@given(st.integers(0, 10_000), st.integers(12, 36), st.integers(1, 3))
def test_the_last_cyclic_exchanges_only_lower_the_cost(seed: int, n: int, load: int) -> None:
    """The final preferences phase keeps the constraints and never returns a worse formation."""
    problem = _problem(seed, n, load=load)
    search = _heuristic._Search(problem, seed, 1.0)
    search.construct()
    search.descend(list(range(problem.n_peers)))
    state = search.state
    start, before = state.solution(), state.total()
    found = search._prefer(start, before)
    assert attrs.astuple(state.solution()) == attrs.astuple(found)
    assert state.total() == _exact(search) <= before
    assert not check(problem, found)
    # beyond DEEP_GROUPS groups the phase is skipped: the formation comes back as it was
    search.DEEP_GROUPS = 0
    state.load(start)
    assert search._prefer(start, before) is start
    assert state.total() == before


@settings(max_examples=20)
@given(st.integers(0, 10_000), st.integers(12, 36), st.integers(1, 3))
def test_cycles_pairs_trades_and_shakes_keep_the_constraints_and_the_exact_cost(
    seed: int, n: int, load: int
) -> None:
    """Cyclic exchanges, pair regrouping and trades lower the exact cost; shakes keep it exact."""
    problem = _problem(seed, n, load=load)
    search = _heuristic._Search(problem, seed, 1.0)
    search.evaluations, search.budget = 0, 10**6
    search.construct()
    state = search.state
    search.descend(list(range(problem.n_peers)))
    for move in (
        lambda: search.cycle_pass(problem.n_peers),
        lambda: search.pair_pass(problem.groups**2),
        lambda: search.trade_pass(200),
    ):
        before = state.total()
        touched = move()
        assert state.total() == _exact(search)
        assert not check(problem, state.solution())
        assert state.total() < before if touched else state.total() == before
    for shake in (lambda: search.force(2), search.staff_kick, lambda: search.kick(2)):
        shake()
        assert state.total() == _exact(search)
        assert not check(problem, state.solution())


@pytest.mark.parametrize("size_first", [True, False])
def test_a_tiered_total_decodes_to_the_objective_in_either_order(size_first: bool) -> None:
    """decode() of the weighted total gives Objective.of(score), an empty tier giving 0."""
    from emessi.formation import Score
    from emessi.formation._problem import decode

    weights = Weights(size_first=size_first)
    inputs = _constraints.build(
        [Applicant(Person(f"p-{i:02d}", "")) for i in range(15)],
        get_profile(),
        facilitators=[Person("f-1", "")],
        observers=[Person("w-1", "")],
        availability=None,
        groups=1,
        conflicts=(),
        diversity=(),
        eligibility="report",
        weights=weights.as_dict(),
        size_first=size_first,
    )
    counts = {"unassigned": 7, "size": 2, "balance": 0}
    full = dict.fromkeys(inputs.problem.weights, 0) | counts
    decoded = decode(cost(inputs.problem, full), inputs.tiers)
    assert Objective(*decoded) == Objective.of(Score.of(counts, weights))
    assert (decoded[2] == 0) is not size_first


def test_reloading_a_solution_restores_its_cost() -> None:
    """load(solution()) rebuilds the same state and cost."""
    problem = _problem(3, 25, load=2)
    search = _heuristic._Search(problem, 3, 0.1)
    solution = search.run()
    search.state.load(solution)
    assert search.state.total() == cost(problem, count(problem, solution))
    assert search.state.solution().group_of == solution.group_of


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_heuristic_is_optimal_where_cp_sat_proves_optimality(seed: int) -> None:
    """On 12-applicant pools the heuristic's cost equals CP-SAT's proven optimum."""
    problem = _problem(seed, 12, load=2)
    exact = _cpsat.solve(problem, seconds=20, workers=2, seed=0)
    assert exact.status == "OPTIMAL"
    assert exact.solution is not None
    assert not check(problem, exact.solution)
    optimum = cost(problem, count(problem, exact.solution))
    assert optimum == exact.objective
    heuristic = _heuristic.solve(problem, seed=seed, effort=0.3)
    assert cost(problem, count(problem, heuristic)) == optimum


def test_polishing_never_makes_the_formation_worse() -> None:
    """A CP-SAT polish keeps the heuristic's result unless it finds a better one."""
    applicants = [
        Applicant(
            Person(f"p-{i:02d}", "", languages=("fi",) if i % 4 else ("sv",)),
            Organisation(f"o-{i // 2}", ""),
        )
        for i in range(12)
    ]
    staff = [Staff(Person(f"f-{i}", ""), 1) for i in range(2)]
    seers = [Staff(Person(f"w-{i}", ""), 1) for i in range(2)]
    plain = form_groups(applicants, facilitators=staff, observers=seers, effort=0.01)
    polished = form_groups(
        applicants, facilitators=staff, observers=seers, effort=0.01, polish=5, polish_workers=2
    )
    assert polished.objective <= plain.objective
    assert polished.solver in ("heuristic", "heuristic+cp-sat")
    assert polished.bound <= polished.objective


def test_the_exact_mode_proves_the_heuristic_optimal_on_a_small_pool() -> None:
    """With time to prove optimality, CP-SAT's bound makes the gap zero on 12 applicants."""
    rng = random.Random(5)
    applicants = [
        Applicant(Person(f"p-{i:02d}", ""), Organisation(f"o-{i // 2}", "")) for i in range(12)
    ]
    staff = [Staff(Person("f-0", ""), 2)]
    seers = [Staff(Person("w-0", ""), 2)]
    answers = {
        person: {s.id: rng.choice(["yes", "yes", "if-need-be", "no"]) for s in SLOTS}
        for person in [a.id for a in applicants] + ["f-0", "w-0"]
    }
    poll = Poll.from_answers(SLOTS, answers)
    plain = form_groups(applicants, facilitators=staff, observers=seers, availability=poll)
    exact = form_groups(
        applicants,
        facilitators=staff,
        observers=seers,
        availability=poll,
        polish=20,
        polish_workers=2,
    )
    assert exact.optimal
    assert exact.objective <= plain.objective
    assert exact.gap == Objective(0, 0, 0, 0, 0)
    assert plain.bound <= exact.bound


def test_a_positive_bound_stops_the_search_well_under_its_budget() -> None:
    """200 applicants in 33 groups of at most 6: 2 can never be placed; the search stops there."""
    profile = attrs.evolve(get_profile(), peers=Bounds(preferred=(5, 6), allowed=(3, 6)))
    applicants = [
        Applicant(Person(f"p-{i:03d}", ""), Organisation(f"o-{i}", "")) for i in range(200)
    ]
    staff = [Staff(Person(f"f-{i}", ""), 2) for i in range(17)]
    seers = [Staff(Person(f"w-{i}", ""), 4) for i in range(9)]
    inputs = _constraints.build(
        applicants,
        profile,
        facilitators=staff,
        observers=seers,
        availability=None,
        groups=33,
        conflicts=(),
        diversity=(),
        eligibility="report",
        weights=Weights().as_dict(),
    )
    assert inputs.bound["unassigned"] == 2
    search = _heuristic._Search(inputs.problem, 0, 1.0)
    search.floor = cost(inputs.problem, inputs.bound)
    solution = search.run()
    assert cost(inputs.problem, count(inputs.problem, solution)) == search.floor
    assert search.evaluations < search.budget / 10
    formation = form_groups(applicants, profile, facilitators=staff, observers=seers, groups=33)
    assert formation.optimal
    assert formation.bound.unassigned == 2 * Weights().unassigned
    assert len(formation.unassigned) == 2


def test_polishing_without_or_tools_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without OR-Tools, polish raises MissingDependencyError naming the cpsat extra."""
    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)
    monkeypatch.setitem(sys.modules, "ortools.sat.python.cp_model", None)
    applicants = [Applicant(Person(f"p-{i}", "")) for i in range(6)]
    with pytest.raises(MissingDependencyError) as caught:
        form_groups(
            applicants, facilitators=[Person("f", "")], observers=[Person("w", "")], polish=1
        )
    assert caught.value.extra == "cpsat"


def test_importing_formation_loads_no_optional_dependency() -> None:
    """import emessi.formation does not import OR-Tools, numpy or pandas."""
    code = (
        "import sys, emessi, emessi.formation; "
        "print(sorted(m for m in ('ortools', 'numpy', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
