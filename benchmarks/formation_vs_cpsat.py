"""Group formation: the heuristic against a straightforward CP-SAT model.

The same instances (eMessi2-like pools: small NGOs of 1-3 applicants, a few
Swedish speakers, facilitators leading two groups, observers four, a poll
over eight weekly slots) are solved by ``form_groups`` (greedy construction
and iterated local search, default effort) and by OR-Tools CP-SAT on the
model in ``emessi.formation._cpsat`` (one boolean per peer and group, staff
and group, group and slot, group and language), with a time limit and two
workers. Both are scored by the same function, so the costs compare.

Issue 7's goals: at 66 and 200 applicants, a cost at least as good as
CP-SAT's after 30 s on 2 workers, in under 1 s; the optimum where CP-SAT
proves one (22 applicants); 5,000 applicants in under 10 s. The "hard"
pools answer yes to a quarter of the slots instead of half.

Run: python benchmarks/formation_vs_cpsat.py [--seconds 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from datetime import time as clock

from emessi.formation import Applicant, Staff, Weights, _constraints, _cpsat, form_groups
from emessi.formation._problem import cost, count
from emessi.method import get_profile
from emessi.model import Organisation, Person
from emessi.scheduling import Poll, Slot

SLOTS = [
    Slot(f"{day[:3].lower()}-{hour}", day, clock(hour))
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday")
    for hour in (10, 14)
]
SECTORS = ["youth work", "social services", "culture", "sports", "health"]


def pool(n: int, seed: int, yes: float) -> dict[str, object]:
    """An applicant pool of *n* and its staff and poll, as form_groups' arguments."""
    rng = random.Random(seed)
    orgs = max(1, n * 30 // 66)
    organisations = [
        Organisation(
            f"o-{j:04d}",
            f"Association {j}",
            sector=rng.choice(SECTORS),
            staff=rng.randint(1, 4),
            region=rng.choice(["Uusimaa", "Pirkanmaa", "Lappi"]),
        )
        for j in range(orgs)
    ]
    applicants, answers = [], {}
    for i in range(n):
        r = rng.random()
        languages = ("fi",) if r < 0.85 else ("fi", "sv") if r < 0.95 else ("sv",)
        person = Person(f"p-{i:04d}", f"Applicant {i}", languages=languages)
        applicants.append(Applicant(person, organisations[i % orgs]))
    k = -(-n // 6)
    facilitators = [
        Staff(Person(f"f-{j:03d}", "", languages=("fi", "sv")), 2) for j in range((k + 1) // 2)
    ]
    observers = [Staff(Person(f"w-{j:03d}", ""), 4) for j in range((k + 3) // 4)]
    for a in applicants:
        answers[a.id] = {
            s.id: "yes" if (u := rng.random()) < yes else "if-need-be" if u < yes + 0.15 else "no"
            for s in SLOTS
        }
    for s in facilitators + observers:
        answers[s.id] = {slot.id: "yes" if rng.random() < 0.7 else "no" for slot in SLOTS}
    return {
        "applicants": applicants,
        "facilitators": facilitators,
        "observers": observers,
        "availability": Poll.from_answers(SLOTS, answers),
        "diversity": ["sector"],
    }


def heuristic(instance: dict[str, object]) -> tuple[int, float]:
    """The heuristic's cost and wall time through the public API."""
    start = time.perf_counter()
    formation = form_groups(seed=0, **instance)  # type: ignore[arg-type]
    return formation.score.total, time.perf_counter() - start


def exact(
    instance: dict[str, object], seconds: float, workers: int
) -> tuple[str, int | None, float, float]:
    """CP-SAT's status, cost (same scorer), best bound and wall time (model building included)."""
    start = time.perf_counter()
    inputs = _constraints.build(
        instance["applicants"],  # type: ignore[arg-type]
        get_profile(),
        facilitators=instance["facilitators"],  # type: ignore[arg-type]
        observers=instance["observers"],  # type: ignore[arg-type]
        availability=instance["availability"],
        groups=None,
        conflicts=(),
        diversity=instance["diversity"],  # type: ignore[arg-type]
        eligibility="report",
        weights=Weights().as_dict(),
    )
    problem = inputs.problem
    result = _cpsat.solve(problem, seconds=seconds, workers=workers, seed=0)
    wall = time.perf_counter() - start
    if result.solution is None:
        return result.status, None, float("nan"), wall
    found = cost(problem, count(problem, result.solution))
    return result.status, found, result.bound if result.bound is not None else float("nan"), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="CP-SAT time limit")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers")
    parser.add_argument("--big", type=int, default=5000, help="applicants in the large run")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    print(f"CP-SAT: {args.seconds:g} s limit, {args.workers} workers; cost: lower is better")
    print(
        f"{'applicants':>10} {'pool':>6} | {'heuristic':>9} {'time':>7} | "
        f"{'CP-SAT':>8} {'bound':>8} {'status':>9} {'time':>7} | {'gap':>7} {'time ratio':>10}"
    )
    for n in (22, 66, 200):
        for name, yes in (("normal", 0.5), ("hard", 0.25)):
            instance = pool(n, seed=n, yes=yes)
            h_cost, h_time = heuristic(instance)
            status, c_cost, bound, c_time = exact(instance, args.seconds, args.workers)
            gap = (h_cost - c_cost) / max(c_cost, 1) if c_cost is not None else float("nan")
            shown = "-" if c_cost is None else str(c_cost)
            verdict = ""
            if status == "OPTIMAL":
                verdict = "  optimal" if h_cost == c_cost else "  NOT optimal"
            print(
                f"{n:>10} {name:>6} | {h_cost:>9} {h_time:>6.2f}s | {shown:>8} {bound:>8.0f} "
                f"{status:>9} {c_time:>6.1f}s | {gap:>+7.1%} {h_time / c_time:>10.3f}{verdict}"
            )
    for name, yes in (("normal", 0.5), ("hard", 0.25)):
        h_cost, h_time = heuristic(pool(args.big, seed=args.big, yes=yes))
        print(
            f"{args.big:>10} {name:>6} | {h_cost:>9} {h_time:>6.2f}s | (heuristic only; goal < 10 s)"
        )


if __name__ == "__main__":
    main()
