"""One model of an eMessi cohort, four implementations: emessi, bare numpy, SimPy, Mesa.

Imported by ``simulation_vs_simpy.py``, ``simulation_vs_mesa.py`` and
``simulation_scaling.py``; not a benchmark itself.

The model (the same in all four): each peer's propensity to attend ~
Beta(mean 0.8, concentration 10), drawn once per run; at each of 8 planned
meetings the group cancels with probability 0.05 (the meeting is lost:
policy ``drop``); at each meeting that takes place, each remaining peer
drops out with probability 0.02 (timing ``held``), then attends with their
propensity; a meeting counts when at least 4 of the 6 peers are present; a
group completes with 6 such meetings. Each implementation returns, per
group and run, the meetings held, completion, dropouts and attendance rate,
whose means are compared for agreement (each side draws its own random
numbers).

emessi also plans every group's dates (every 4 weeks from a start day in
September, skipping Finnish public holidays and a summer break) and builds
its per-group and per-run tables; the others do neither. Each side is used
as its documentation recommends: emessi's ``simulate`` with many runs in one
call; numpy with one batch of ``runs x groups`` groups; SimPy with a fresh
``Environment`` per run and a process per group; Mesa 3 with a fresh
``Model`` per run, a ``Group`` agent per group (activated with
``AgentSet.do``: the groups do not interact, so no shuffling is needed) and
a ``Peer`` agent per peer.
"""

from __future__ import annotations

import functools
import math
import random
import statistics
import time
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

Stats = dict[str, np.ndarray]


@functools.cache
def scenario(groups: int) -> Scenario:
    """The model as an emessi scenario (built once per size: the model, outside the timing)."""
    return Scenario(
        start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
        groups=groups,
        peers=PEERS,
        meetings=MEETINGS,
        holidays=PublicHolidays("FI"),
        blackouts=[Blackout(date(2026, 6, 1), date(2026, 8, 15), "summer break")],
        attendance=AttendanceModel(MEAN, CONCENTRATION),
        dropout=DropoutModel(HAZARD, timing="held"),
        cancellation=CancellationModel(CANCEL, "drop"),
        threshold=THRESHOLD,
        required_meetings=REQUIRED,
    )


def run_emessi(groups: int, runs: int, seed: int) -> Stats:
    """emessi.simulation.simulate: *runs* replications, with its group and run tables."""
    result = simulate(scenario(groups), runs=runs, seed=seed)
    table = result.groups
    result.runs  # noqa: B018  (the per-run summary is part of the library's work)
    return {
        "held": table["meetings_held"],
        "completed": table["completed"],
        "dropouts": table["dropouts"],
        "rate": table["attendance_rate"],
    }


def run_bare(groups: int, runs: int, seed: int) -> Stats:
    """The same model as a bare numpy kernel: the floor.

    Runs and groups are independent, so *runs* replications of *groups*
    groups are one batch of ``runs * groups`` groups, peers on the first
    axis (counting the peers present adds six contiguous rows). No dates,
    no seeds per run, no tables.
    """
    rng = np.random.default_rng(seed)
    n = runs * groups
    propensity = rng.beta(A, B, size=(PEERS, n))
    active = np.ones((PEERS, n), bool)
    held = np.zeros(n, np.int64)
    present_sum = np.zeros(n, np.int64)
    active_sum = np.zeros(n, np.int64)
    for _ in range(MEETINGS):
        meets = rng.random(n) >= CANCEL
        active &= ~((rng.random((PEERS, n)) < HAZARD) & meets)
        attended = (rng.random((PEERS, n)) < propensity) & active & meets
        present = attended.sum(axis=0, dtype=np.int8)
        held += present >= THRESHOLD
        present_sum += present
        active_sum += np.where(meets, active.sum(axis=0, dtype=np.int8), 0)
    rate = np.full(n, np.nan)
    np.divide(present_sum, active_sum, out=rate, where=active_sum > 0)
    return {
        "held": held,
        "completed": held >= REQUIRED,
        "dropouts": PEERS - active.sum(axis=0),
        "rate": rate,
    }


Row = tuple[int, bool, int, float]


def run_simpy(groups: int, runs: int, seed: int) -> Stats:
    """The same model in SimPy: per run an Environment, a process per group, a meeting every 28 days."""
    import simpy

    rng = random.Random(seed)
    rows: list[Row] = []

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

    for _ in range(runs):
        env = simpy.Environment()
        for index in range(groups):
            env.process(group(env, index * 30 // groups))
        env.run()
    return columns(rows)


def run_mesa(groups: int, runs: int, seed: int) -> Stats:
    """The same model in Mesa 3: per run a Model, peers and groups as agents, a step per meeting."""
    import mesa

    class Peer(mesa.Agent):  # type: ignore[misc]
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.propensity = self.random.betavariate(A, B)
            self.active = True
            self.present = False

        def step(self) -> None:
            # called for the peers of a group that meets
            if self.active and self.random.random() < HAZARD:
                self.active = False
            self.present = self.active and self.random.random() < self.propensity

    class Group(mesa.Agent):  # type: ignore[misc]
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.peers = [Peer(model) for _ in range(PEERS)]
            self.held = self.present_sum = self.active_sum = 0

        def step(self) -> None:
            if self.random.random() < CANCEL:
                return
            for peer in self.peers:
                peer.step()
            present = sum(peer.present for peer in self.peers)
            self.held += present >= THRESHOLD
            self.present_sum += present
            self.active_sum += sum(peer.active for peer in self.peers)

    class Cohort(mesa.Model):  # type: ignore[misc]
        def __init__(self, groups: int, seed: int) -> None:
            super().__init__(seed=seed)
            for _ in range(groups):
                Group(self)

        def step(self) -> None:
            # the groups do not interact: their order does not matter
            self.agents_by_type[Group].do("step")

    rows: list[Row] = []
    for run in range(runs):
        model = Cohort(groups, seed * 1_000_003 + run)
        for _ in range(MEETINGS):
            model.step()
        for group in model.agents_by_type[Group]:
            rate = group.present_sum / group.active_sum if group.active_sum else math.nan
            dropped = sum(not peer.active for peer in group.peers)
            rows.append((group.held, group.held >= REQUIRED, dropped, rate))
        # Mesa 3.3's Agent._ids maps every model ever made to its id counter,
        # which keeps each model (and its agents) alive; let this one go.
        mesa.Agent._ids.pop(model, None)
    return columns(rows)


def columns(rows: list[Row]) -> Stats:
    """Rows of (held, completed, dropouts, rate) as columns."""
    held, completed, dropouts, rate = (np.array(column) for column in zip(*rows, strict=True))
    return {"held": held, "completed": completed.astype(bool), "dropouts": dropouts, "rate": rate}


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


#: The workloads of issue 14: (label, groups, runs, calls per timed round).
#: One run of 1,000 groups takes about a millisecond, shorter than a time
#: slice of a shared machine, so each timed round makes 20 calls (of every
#: side alike) and one preemption does not decide a round.
WORKLOADS = {
    "cohort": ("the 11-group eMessi2 cohort x 10,000 runs", 11, 10_000, 1),
    "1000": ("one run of 1,000 groups", 1_000, 1, 20),
    "100000": ("one run of 100,000 groups", 100_000, 1, 1),
}


class _Side:
    """*function* with a fresh seed per call, *calls* calls per round, CPU time kept."""

    def __init__(self, function: Any, groups: int, runs: int, calls: int) -> None:
        self.function, self.groups, self.runs, self.calls = function, groups, runs, calls
        self.seeds = iter(range(10**9))
        self.cpu: list[float] = []

    def __call__(self) -> Stats:
        start = time.process_time()
        for _ in range(self.calls):
            stats = self.function(self.groups, self.runs, next(self.seeds))
        self.cpu.append(time.process_time() - start)
        return stats


def _cpu_ratio(a: list[float], b: list[float], skip: int) -> str:
    """Paired ratios of CPU seconds after the warm-up: median [range]."""
    values = sorted(x / y for x, y in zip(a[skip:], b[skip:], strict=True))
    return f"{statistics.median(values):.2f}x [{values[0]:.2f}-{values[-1]:.2f}]"


def benchmark(peer: str, run_peer: Any, goal: float, names: list[str], rounds: int) -> None:
    """Time emessi, numpy and *peer* on each named workload, interleaved; print ratios.

    The harness times wall clock (its rule); the CPU seconds of this process
    are kept too and their paired ratios printed, because on a shared,
    loaded machine the wall clock also counts time the process waited.
    """
    from _harness import Side, compare, ratio, report

    for name in names:
        label, groups, runs, calls = WORKLOADS[name]
        functions = {"emessi": run_emessi, "numpy": run_bare, peer: run_peer}
        sides = {side: _Side(function, groups, runs, calls) for side, function in functions.items()}
        timings = compare([Side(side, run) for side, run in sides.items()], rounds=rounds)
        each = f", {calls} calls per round" if calls > 1 else ""
        print(
            f"\n{label} ({groups:,} groups x {MEETINGS} meetings x {PEERS} peers, "
            f"{runs:,} runs{each}; {rounds} rounds after 1 warm-up)"
        )
        report(timings, baseline="numpy")
        ours, bare, theirs = timings
        cpu = {side: run.cpu for side, run in sides.items()}
        print(
            f"  emessi / numpy   wall {ratio(ours, bare)}   CPU {_cpu_ratio(cpu['emessi'], cpu['numpy'], 1)}   (goal <= 1.5x)"
        )
        print(
            f"  {peer} / emessi   wall {ratio(theirs, ours)}   CPU {_cpu_ratio(cpu[peer], cpu['emessi'], 1)}   (goal >= {goal:g}x)"
        )
        print(f"  emessi vs numpy: {agreement(ours.results[-1], bare.results[-1])}")  # type: ignore[arg-type]
        print(f"  emessi vs {peer}: {agreement(ours.results[-1], theirs.results[-1])}")  # type: ignore[arg-type]
