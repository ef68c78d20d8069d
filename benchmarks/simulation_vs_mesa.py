"""emessi's simulation against the same model in Mesa and as a bare numpy kernel.

Issue 14's goals: on the 11-group eMessi2 cohort x 10,000 runs, within 1.5x
of a bare numpy kernel and at least 60x faster than Mesa; one run of 1,000
groups within 1.5x of numpy; one run of 100,000 groups (issue 6) kept. The
model and the implementations are in ``simulation_models.py``: Mesa 3 gets a
fresh model per run, ``AgentSet.do`` (no shuffling: the groups do not
interact), and each finished model is released (Mesa 3.3 would otherwise
keep every model alive through ``Agent._ids``, slowing later runs). The
sides run interleaved in this process through ``_harness.py``, the same
number of rounds and runs each; medians and ranges; paired ratios.

Run: python benchmarks/simulation_vs_mesa.py [WORKLOAD ...] [--rounds N]
     WORKLOAD: cohort, 1000, 100000 (default: all three)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import header
from simulation_models import WORKLOADS, benchmark, run_mesa


def main(argv: list[str]) -> None:
    rounds = 5
    if "--rounds" in argv:
        at = argv.index("--rounds")
        rounds = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    header("numpy", "mesa", "emessi")
    benchmark("Mesa", run_mesa, 60, argv or list(WORKLOADS), rounds)


if __name__ == "__main__":
    main(sys.argv[1:])
