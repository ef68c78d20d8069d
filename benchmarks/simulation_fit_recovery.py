"""Recovery of fit_scenario: simulate with known numbers, fit, count the intervals that cover them.

Issue 14 item 2: 95 % intervals should cover the truth in about 95 % of 200
seeded repetitions. Each repetition simulates one recorded cohort (30
groups of 6 peers, 8 meetings, attendance Beta(mean 0.8, concentration 10),
dropout 0.03 per held meeting, cancellation 0.1 with the next-slot policy)
with ``simulate(..., records=True)``, writes it out as a programme, fits it
with ``fit_scenario`` and checks each 95 % interval. The coverage of each
estimate is printed with its binomial standard error; tests/test_simulation_fit.py
runs the same check with fewer repetitions.

Run: python benchmarks/simulation_fit_recovery.py [REPETITIONS]   (default 200)
"""

from __future__ import annotations

import math
import sys
import time
from datetime import date

from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    Scenario,
    StartWindow,
    fit_scenario,
    simulate,
)

TRUTH = Scenario(
    start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
    groups=30,
    peers=6,
    meetings=8,
    attendance=AttendanceModel(0.8, 10.0),
    dropout=DropoutModel(0.03),
    cancellation=CancellationModel(0.1, "next-slot"),
)
VALUES = {
    "attendance.mean": 0.8,
    "attendance.concentration": 10.0,
    "dropout.hazard": 0.03,
    "cancellation.probability": 0.1,
}


def coverage(repetitions: int, scenario: Scenario = TRUTH) -> dict[str, float]:
    """The share of repetitions whose 95 % interval covers each true value."""
    covered = dict.fromkeys(VALUES, 0)
    result = simulate(scenario, runs=repetitions, seed=2026, records=True)
    for run in range(repetitions):
        fit = fit_scenario(result.programme(run))
        for name, value in VALUES.items():
            covered[name] += fit[name].covers(value)
    return {name: hits / repetitions for name, hits in covered.items()}


def main(repetitions: int) -> None:
    start = time.perf_counter()
    shares = coverage(repetitions)
    seconds = time.perf_counter() - start
    print(f"{repetitions} seeded repetitions (seed 2026), {seconds:.1f} s")
    for name, share in shares.items():
        error = math.sqrt(0.95 * 0.05 / repetitions)
        print(f"  {name:26} covered {share:6.1%}  (95 % +- {2 * error:.1%} expected)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
