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

Times 1-2 are CPU seconds of this process (best of the repeats); time 3 is
wall-clock (the work happens in other processes), so it depends on the
machine's other load, which is printed.

Run: python benchmarks/simulation_scaling.py [MAX_GROUPS]   (default: 1000000)
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from simulation_models import scenario

from emessi.simulation import SimulationResult, simulate, sweep


def best(repeats: int, function: Callable[[], Any], clock: Callable[[], float]) -> float:
    """The best time of *repeats* calls of *function*."""
    times = []
    for _ in range(repeats):
        start = clock()
        function()
        times.append(clock() - start)
    return min(times)


def by_groups(largest: int) -> None:
    print("\n1. time vs groups (1 replication, with per-run summary; CPU s, best of 3)")
    sizes = [10**k for k in range(2, 7) if 10**k <= largest]
    times = []
    for groups in sizes:
        each = scenario(groups)
        seconds = best(3, lambda each=each: simulate(each, 1, 0).runs, time.process_time)
        times.append(seconds)
        print(f"  {groups:>9,} groups  {seconds:8.4f} s  {seconds / groups * 1e6:7.2f} us/group")
    if len(sizes) >= 3:
        slope = np.polyfit(np.log10(sizes[2:]), np.log10(times[2:]), 1)[0]
        print(f"  log-log slope from 10^4 groups: {slope:.2f} (1.00 = linear)")


def by_runs() -> None:
    print("\n2. time vs replications of an 11-group cohort (CPU s, best of 3)")
    cohort = scenario(11)
    for runs in (100, 1_000, 10_000, 100_000):
        seconds = best(
            3 if runs < 100_000 else 1,
            lambda r=runs: simulate(cohort, r, 0).runs,
            time.process_time,
        )
        print(f"  {runs:>9,} runs  {seconds:8.4f} s  {seconds / runs * 1e6:7.2f} us/run")


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

    def serial() -> SimulationResult:
        return sweep(base, grid, runs, 0)

    start, cpu = time.perf_counter(), time.process_time()
    reference = serial()
    serial_s = time.perf_counter() - start
    print(
        f"  serial                          {serial_s:7.2f} s  "
        f"(this process's CPU: {time.process_time() - cpu:.2f} s)"
    )

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        sweep(base, {"peers": [6]}, 1, 0, executor=pool)  # start the workers
        start, cpu = time.perf_counter(), time.process_time()
        pooled = sweep(base, grid, runs, 0, executor=pool, chunk_size=4)
        pool_s, pool_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"  ProcessPoolExecutor(2)          {pool_s:7.2f} s  (this process's CPU: "
        f"{pool_cpu:.2f} s)  identical: {_same(reference, pooled)}"
    )

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        executor = client.get_executor(pure=False)
        sweep(base, {"peers": [6]}, 1, 0, executor=executor)  # warm the workers
        start, cpu = time.perf_counter(), time.process_time()
        clustered = sweep(base, grid, runs, 0, executor=executor, chunk_size=4)
        dask_s, dask_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"  Dask LocalCluster (2 workers)   {dask_s:7.2f} s  (this process's CPU: "
        f"{dask_cpu:.2f} s)  identical: {_same(reference, clustered)}"
    )
    print(f"  speed-up: process pool {serial_s / pool_s:.2f}x, Dask {serial_s / dask_s:.2f}x")
    print(
        "  (a speed-up needs idle cores: with a load average above the number of CPUs "
        "the workers only share the same cores)"
    )


def main() -> None:
    largest = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, numpy {np.__version__}"
    )
    by_groups(largest)
    by_runs()
    on_executors()


if __name__ == "__main__":
    main()
