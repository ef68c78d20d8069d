"""emessi's simulation against the same model written in SimPy, and a bare numpy kernel.

Issue 6's goals at 100,000 groups x 8 meetings x 6 peers: at least 50x
faster than SimPy, and within 1.5x of a bare numpy kernel of the same model
(the floor): the library's dates, holidays and bookkeeping must cost little.
All three run in this process; the outputs' means are compared for
agreement (within 5 standard errors; each uses its own random numbers).

The model: each peer's propensity to attend ~ Beta(mean 0.8, concentration
10); at each planned meeting the group cancels with probability 0.05 (the
meeting is lost); at each meeting held, each remaining peer drops out with
probability 0.02, then attends with their propensity; a meeting counts when
at least 4 peers are present; a group completes with 6 such meetings.
emessi also plans every group's dates (every 4 weeks from a start day in
September, skipping Finnish public holidays and a summer break) and builds
its per-group and per-run summaries; the peers do neither.

Run: python benchmarks/simulation_vs_simpy.py [GROUPS ...]   (default: 10000 100000)
"""

from __future__ import annotations

import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from emessi.scheduling import Blackout, PublicHolidays
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    Scenario,
    StartWindow,
    simulate,
)

PEERS, MEETINGS, THRESHOLD, REQUIRED = 6, 8, 4, 6
MEAN, CONCENTRATION, HAZARD, CANCEL = 0.8, 10.0, 0.02, 0.05
A, B = MEAN * CONCENTRATION, (1 - MEAN) * CONCENTRATION
# SimPy or Mesa runs predicted to take longer than this run on a subset of
# the groups, and the time is extrapolated linearly (and labelled so).
BUDGET_SECONDS = 240.0

Stats = dict[str, np.ndarray]


def scenario(groups: int) -> Scenario:
    """The model as an emessi scenario."""
    return Scenario(
        start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
        groups=groups,
        peers=PEERS,
        meetings=MEETINGS,
        holidays=PublicHolidays("FI"),
        blackouts=[Blackout(date(2026, 6, 1), date(2026, 8, 15), "summer break")],
        attendance=AttendanceModel(MEAN, CONCENTRATION),
        dropout=DropoutModel(HAZARD),
        cancellation=CancellationModel(CANCEL, "drop"),
        threshold=THRESHOLD,
    )


def run_emessi(groups: int, seed: int) -> Stats:
    """emessi.simulation.simulate, one replication, with its per-group summary."""
    result = simulate(scenario(groups), runs=1, seed=seed)
    table = result.groups
    result.runs  # noqa: B018  (the per-run summary is part of the library's work)
    return {
        "held": table["meetings_held"],
        "completed": table["completed"],
        "dropouts": table["dropouts"],
        "rate": table["attendance_rate"],
    }


def run_bare(groups: int, seed: int) -> Stats:
    """The same model as a bare numpy kernel: the floor.

    It uses the layout emessi's kernel uses (peers x groups, so counting the
    peers present adds six contiguous rows) and nothing else: no dates, no
    seeds per run, no tables.
    """
    rng = np.random.default_rng(seed)
    propensity = rng.beta(A, B, size=(PEERS, groups))
    active = np.ones((PEERS, groups), bool)
    held = np.zeros(groups, np.int64)
    present_sum = np.zeros(groups, np.int64)
    active_sum = np.zeros(groups, np.int64)
    for _ in range(MEETINGS):
        meets = rng.random(groups) >= CANCEL
        active &= ~((rng.random((PEERS, groups)) < HAZARD) & meets)
        attended = (rng.random((PEERS, groups)) < propensity) & active & meets
        present = attended.sum(axis=0, dtype=np.int8)
        held += present >= THRESHOLD
        present_sum += present
        active_sum += np.where(meets, active.sum(axis=0, dtype=np.int8), 0)
    rate = np.full(groups, np.nan)
    np.divide(present_sum, active_sum, out=rate, where=active_sum > 0)
    return {
        "held": held,
        "completed": held >= REQUIRED,
        "dropouts": PEERS - active.sum(axis=0),
        "rate": rate,
    }


def run_simpy(groups: int, seed: int) -> Stats:
    """The same model in SimPy: a process per group, meeting every 28 days."""
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    rows: list[tuple[int, int, int, float]] = []

    def group(env: simpy.Environment, start: int) -> Any:
        yield env.timeout(start)
        propensity = [rng.betavariate(A, B) for _ in range(PEERS)]
        active = [True] * PEERS
        held = present_sum = active_sum = 0
        for _ in range(MEETINGS):
            if rng.random() >= CANCEL:
                for peer in range(PEERS):
                    if active[peer] and rng.random() < HAZARD:
                        active[peer] = False
                present = sum(
                    1 for peer in range(PEERS) if active[peer] and rng.random() < propensity[peer]
                )
                held += present >= THRESHOLD
                present_sum += present
                active_sum += sum(active)
            yield env.timeout(28)
        rate = present_sum / active_sum if active_sum else math.nan
        rows.append((held, held >= REQUIRED, PEERS - sum(active), rate))

    for index in range(groups):
        env.process(group(env, index * 30 // groups))
    env.run()
    return _columns(rows)


def _columns(rows: list[tuple[int, int, int, float]]) -> Stats:
    held, completed, dropouts, rate = (np.array(column) for column in zip(*rows, strict=True))
    return {"held": held, "completed": completed.astype(bool), "dropouts": dropouts, "rate": rate}


def cpu() -> float:
    """CPU seconds of this process (time.process_time), best of the repeats: the
    machine is shared with other jobs, whose load wall-clock time would count."""
    return time.process_time()


def best_of(
    repeats: int, function: Callable[[int, int], Stats], groups: int
) -> tuple[float, Stats]:
    """The best time of *repeats* calls (seed = repeat number) and the last output."""
    best, out = math.inf, {}
    for repeat in range(repeats):
        start = cpu()
        out = function(groups, repeat)
        best = min(best, cpu() - start)
    return best, out


def timed_peer(
    function: Callable[[int, int], Stats], groups: int, probe: float
) -> tuple[float, Stats, str]:
    """Run a slow peer in full, or on a subset and extrapolate linearly when it would take long.

    *probe* is the peer's time per group measured at a smaller size.
    """
    if probe * groups <= BUDGET_SECONDS:
        seconds, stats = best_of(1, function, groups)
        return seconds, stats, "measured"
    subset = max(1000, int(BUDGET_SECONDS / probe / 2))
    seconds, stats = best_of(1, function, subset)
    label = f"EXTRAPOLATED linearly x{groups / subset:.1f} from {subset:,} groups"
    return seconds * groups / subset, stats, label


def agreement(ours: Stats, theirs: Stats) -> str:
    """Each mean's difference in standard errors; 'agree' when all are within 5."""
    parts, worst = [], 0.0
    for key in ("held", "completed", "dropouts", "rate"):
        a = ours[key][~np.isnan(ours[key].astype(float))].astype(float)
        b = theirs[key][~np.isnan(theirs[key].astype(float))].astype(float)
        error = math.sqrt(a.var() / len(a) + b.var() / len(b)) or 1e-12
        z = (a.mean() - b.mean()) / error
        worst = max(worst, abs(z))
        parts.append(f"{key} {a.mean():.4f} vs {b.mean():.4f} ({z:+.1f} SE)")
    verdict = "agree" if worst < 5 else "DISAGREE"
    return f"{verdict}: " + "; ".join(parts)


def machine() -> str:
    """A one-line description of the machine and versions."""
    import simpy

    return (
        f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, numpy {np.__version__}, simpy {simpy.__version__}"
    )


def main(sizes: list[int]) -> None:
    print(f"machine: {machine()}")
    print(f"times: {cpu.__doc__}")
    for groups in sizes:
        emessi_s, ours = best_of(5, run_emessi, groups)
        bare_s, floor = best_of(5, run_bare, groups)
        probe_groups = min(groups, 5000)
        probe, _ = best_of(1, run_simpy, probe_groups)
        simpy_s, theirs, how = timed_peer(run_simpy, groups, probe / probe_groups)
        print(f"\n{groups:,} groups x {MEETINGS} meetings x {PEERS} peers")
        print(f"  emessi.simulate  {emessi_s:9.3f} s  (best of 5)")
        print(f"  bare numpy       {bare_s:9.3f} s  (best of 5)")
        print(f"  SimPy            {simpy_s:9.3f} s  ({how})")
        print(f"  SimPy / emessi   {simpy_s / emessi_s:9.1f} x   (goal >= 50 at 100,000 groups)")
        print(f"  emessi / bare    {emessi_s / bare_s:9.2f} x   (goal <= 1.5)")
        print(f"  emessi vs bare:  {agreement(ours, floor)}")
        print(f"  emessi vs SimPy: {agreement(ours, theirs)}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000])
