"""emessi's simulation against the same model in SimPy and as a bare numpy kernel.

Issue 14's goals: on the 11-group eMessi2 cohort x 10,000 runs, within 1.5x
of a bare numpy kernel and at least 50x faster than SimPy; one run of 1,000
groups within 1.5x of numpy; one run of 100,000 groups (issue 6) kept. The
model and the three implementations are in ``simulation_models.py``. The
three sides run interleaved in this process through ``_harness.py``: the
same number of rounds (default 5, after one warm-up), each side the same
runs; each summarised by the median and range of its wall times, and the
ratios taken round by round. The outputs' means are compared for
agreement (within 5 standard errors).

Run: python benchmarks/simulation_vs_simpy.py [WORKLOAD ...] [--rounds N]
     WORKLOAD: cohort, 1000, 100000 (default: all three)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import header
from simulation_models import WORKLOADS, benchmark, run_simpy


def main(argv: list[str]) -> None:
    rounds = 5
    if "--rounds" in argv:
        at = argv.index("--rounds")
        rounds = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    header("numpy", "simpy", "emessi")
    benchmark("SimPy", run_simpy, 50, argv or list(WORKLOADS), rounds)


if __name__ == "__main__":
    main(sys.argv[1:])
