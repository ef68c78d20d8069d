"""Programme planning: ``plan_programme`` against a CP-SAT model of the same problem.

Instances (3 seeded cohorts per size): groups of 6 peers, each led by one
facilitator and one observer shared with other groups, each asking for a
rule of the form "<first-fourth> <Monday-Friday> of each month at
<9-15>:00", Finnish public holidays skipped, from 2026-09-01:

- ``11``: 11 groups sharing 4 facilitators and 3 observers, 8 meetings;
- ``100``: 100 groups, 34 facilitators and 25 observers, 8 meetings;
- ``1000``: 1,000 groups, 150 facilitators and 150 observers each on 6-7
  groups, 7 meetings each by 2027-05-31 (9 months).

Both sides solve the same integer problem (the candidates ``plan_programme``
builds: the wish moved by week of the month, working day or up to 3 hours;
30 minutes between one person's meetings; at most 2 a day) and are scored by
the same function (``emessi.scheduling._search.score``): violations (double
bookings, days over the cap) and the weighted objective of ``PlanWeights``.

- ``plan_programme`` end to end (candidates, search, meetings, validation)
  is timed by the harness: median and range of its rounds, wall clock and
  this process's CPU time (the machine is shared; CPU time is what the
  planner itself costs).
- CP-SAT (``emessi.scheduling._cpsat``, no hint) runs once per cohort with a
  time limit on 2 workers; its model is built outside the limit.

Goals (issue 12): zero violations always; the planner's objective at most
CP-SAT's after 30 s on 2 workers (ratio planner/CP-SAT <= 1.00); under 1 s
for 100 groups and under 10 s for 1,000.

Run: python benchmarks/planning_vs_cpsat.py [--seconds 30] [--workers 2]
[--rounds 5] [--sizes 11 100 1000] [--seeds 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

from _harness import Side, compare, fmt, header, report

from emessi.model import Group, Membership, Person, Programme, Role
from emessi.scheduling import PublicHolidays, cohort, plan_programme
from emessi.scheduling._cpsat import solve
from emessi.scheduling._search import Search, score

START = date(2026, 9, 1)
SIZES = {
    # groups: (facilitators, observers, meetings, last day)
    11: (4, 3, 8, None),
    100: (34, 25, 8, None),
    1000: (150, 150, 7, date(2027, 5, 31)),
}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WEEKS = ("first", "second", "third", "fourth")
HOLIDAYS = PublicHolidays("FI")


def cohort_of(groups: int, seed: int) -> tuple[Programme, dict[str, str]]:
    """A cohort of *groups* sharing staff, and each group's requested rule."""
    facilitators, observers, _, _ = SIZES[groups]
    rng = random.Random(seed)
    f = [f"f-{i:03d}" for i in range(facilitators)]
    o = [f"o-{i:03d}" for i in range(observers)]
    leads = [f[i % facilitators] for i in range(groups)]
    watches = [o[i % observers] for i in range(groups)]
    rng.shuffle(leads)
    rng.shuffle(watches)
    people = [Person(p, p) for p in f + o]
    built, requests = [], {}
    for g in range(groups):
        gid = f"g-{g:04d}"
        peers = [f"p-{g:04d}-{k}" for k in range(6)]
        people += [Person(p, p) for p in peers]
        members = [Membership(p) for p in peers]
        members += [Membership(leads[g], Role.FACILITATOR), Membership(watches[g], Role.OBSERVER)]
        built.append(Group(gid, memberships=members))
        requests[gid] = (
            f"{rng.choice(WEEKS)} {rng.choice(DAYS)} of each month at {rng.randint(9, 15)}:00"
        )
    return Programme(f"bench-{groups}-{seed}", people=people, groups=built), requests


def options(groups: int) -> dict[str, object]:
    _, _, count, end = SIZES[groups]
    return {"count": count, "end": end, "holidays": HOLIDAYS}


def planner(
    programme: Programme, requests: dict[str, str], settings: dict[str, object], cpu: list[float]
) -> Callable[[], int]:
    """One timed call of plan_programme; its CPU time goes to *cpu*."""

    def run() -> int:
        started = time.process_time()
        plan = plan_programme(programme, START, requests=requests, **settings)  # type: ignore[arg-type]
        cpu.append(time.process_time() - started)
        assert plan.report.ok, plan.report.summary()
        return plan.cost.total

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    header("ortools", "python-dateutil", "holidays")
    print(f"CP-SAT: {args.seconds:g} s on {args.workers} workers, once per cohort, no hint")
    for groups in args.sizes:
        print(f"\n== {groups} groups ==")
        ratios, walls, cpus, violations = [], [], [], []
        for seed in range(args.seeds):
            programme, requests = cohort_of(groups, seed)
            settings = options(groups)
            problem = cohort._prepare(programme, START, requests=requests, **settings).problem
            cpu: list[float] = []
            run = planner(programme, requests, settings, cpu)
            timings = compare([Side("plan_programme", run)], rounds=args.rounds)
            report(timings, "plan_programme", label=f"seed {seed}: plan_programme wall clock")
            cpu = cpu[1:]  # the warm-up call
            print(
                f"  CPU time        {fmt(statistics.median(cpu))} [{fmt(min(cpu))}-{fmt(max(cpu))}]"
            )
            planned = set(timings[0].results)
            assert len(planned) == 1, "the planner is deterministic for a seed"
            objective = planned.pop()
            assert isinstance(objective, int)
            result = solve(problem, seconds=args.seconds, workers=args.workers)
            bound = f"{result.bound:.0f}" if result.bound is not None else "-"
            print(
                f"  planner objective {objective}; CP-SAT {result.status} objective "
                f"{result.objective} (bound {bound}, violations {result.violations}), "
                f"model built in {fmt(result.build_seconds)}"
            )
            if result.objective is not None:
                ratios.append(objective / result.objective if result.objective else 1.0)
            walls.append(timings[0].median)
            cpus.append(statistics.median(cpu))
            # The same search on the same problem, scored by the shared function.
            again = Search(problem, 0).solve(1.0)
            checked = score(problem, again.choice)
            assert checked[1] == objective, (checked, objective)
            violations.append(checked[0])
        line = f"{groups} groups: planner wall {fmt(statistics.median(walls))} "
        line += f"[{fmt(min(walls))}-{fmt(max(walls))}], CPU {fmt(statistics.median(cpus))}"
        if ratios:
            line += (
                f"; objective planner/CP-SAT {statistics.median(ratios):.3f}x "
                f"[{min(ratios):.3f}-{max(ratios):.3f}] over {len(ratios)} cohorts"
            )
        else:
            line += "; CP-SAT found no plan in its time"
        print(line + f"; planner violations {max(violations)}")


if __name__ == "__main__":
    main()
