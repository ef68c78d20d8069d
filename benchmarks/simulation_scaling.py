"""How emessi's simulation scales: with groups, with runs, and on a Dask cluster.

1. Time vs number of groups, 10^2 ... 10^6 (one replication each, the same
   model as ``simulation_vs_simpy.py``): the time per group should level off,
   i.e. the time is linear in the number of groups; the log-log slope from
   10^4 up is printed (1.0 is linear).
2. Time vs number of replications of an eMessi2-sized cohort (11 groups):
   replications are batched in one kernel pass, so this is linear too.
3. The same sweep serially, on a ``ProcessPoolExecutor`` and on a Dask
   ``LocalCluster`` through ``Client.get_executor()``, all with 2 workers
   (the machine has 2 cores), with the results checked to be identical.

Every time is the median [range] of the shared harness's rounds
(``_harness.py``, wall clock); in 3 the three executors run interleaved,
the same sweep each round. Time 3 depends on the machine's other load,
which is printed.

Run: python benchmarks/simulation_scaling.py [MAX_GROUPS]   (default: 1000000)
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Side, Timing, compare, header, report
from simulation_models import scenario

from emessi.simulation import SimulationResult, simulate, sweep


def timed(function: Callable[[], Any], rounds: int = 5) -> Timing:
    """*function* timed by the harness: median and range of *rounds* rounds."""
    return compare([Side("run", function)], rounds=rounds)[0]


def by_groups(largest: int) -> None:
    print("\n1. time vs groups (1 replication, with per-run summary; median [range] of 5)")
    sizes = [10**k for k in range(2, 7) if 10**k <= largest]
    medians = []
    for groups in sizes:
        each = scenario(groups)
        timing = timed(lambda each=each: simulate(each, 1, 0).runs)
        medians.append(timing.median)
        print(
            f"  {groups:>9,} groups  {timing!s:<30}  {timing.median / groups * 1e6:7.2f} us/group"
        )
    if len(sizes) >= 4:
        slope = np.polyfit(np.log10(sizes[2:]), np.log10(medians[2:]), 1)[0]
        print(f"  log-log slope from 10^4 groups: {slope:.2f} (1.00 = linear)")


def by_runs() -> None:
    print("\n2. time vs replications of an 11-group cohort (median [range] of 5)")
    cohort = scenario(11)
    for runs in (100, 1_000, 10_000, 100_000):
        timing = timed(lambda r=runs: simulate(cohort, r, 0).runs)
        print(f"  {runs:>9,} runs  {timing!s:<30}  {timing.median / runs * 1e6:7.2f} us/run")


def _same(left: SimulationResult, right: SimulationResult) -> bool:
    return all(
        np.array_equal(left.runs[name], right.runs[name], equal_nan=True)
        for name in left.runs.names
        if left.runs[name].dtype.kind != "O"
    )


def on_executors() -> None:
    import distributed

    base = scenario(20_000)
    grid = {"attendance.mean": [0.6, 0.7, 0.8, 0.9], "dropout.hazard": [0.0, 0.05]}
    runs = 8  # 8 grid points x 8 runs = 64 replications of 20,000 groups
    print(
        "\n3. a sweep of 8 grid points x 8 runs x 20,000 groups (wall s; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )

    context = multiprocessing.get_context("spawn")
    with (
        ProcessPoolExecutor(2, mp_context=context) as pool,
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        executor = client.get_executor(pure=False)
        sides = [
            Side("serial", lambda: sweep(base, grid, runs, 0)),
            Side(
                "ProcessPoolExecutor(2)",
                lambda: sweep(base, grid, runs, 0, executor=pool, chunk_size=4),
            ),
            Side(
                "Dask LocalCluster(2)",
                lambda: sweep(base, grid, runs, 0, executor=executor, chunk_size=4),
            ),
        ]
        timings = compare(sides, rounds=5)
    report(timings, baseline="serial")
    reference = timings[0].results[-1]
    for timing in timings[1:]:
        print(f"  {timing.name}: identical to serial: {_same(reference, timing.results[-1])}")  # type: ignore[arg-type]
    print(
        "  (a speed-up needs idle cores: with a load average above the number of CPUs "
        "the workers only share the same cores)"
    )


def main() -> None:
    largest = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    header("numpy", "dask", "distributed", "emessi")
    by_groups(largest)
    by_runs()
    on_executors()


if __name__ == "__main__":
    main()
