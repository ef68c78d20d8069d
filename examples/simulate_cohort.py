"""What if 11 eMessi groups start in September? A Monte-Carlo study in a few lines.

eMessi2 (Humak University of Applied Sciences, 2013-2015) ran 11 closed
online groups of 5-6 peers that met 6-8 times, about once a month. This
example simulates such a cohort: groups start during September, meet monthly
on one of four agreed slots, skip Finnish public holidays and the summer
break; each peer attends with a personal propensity and may drop out;
meetings may be cancelled and move to the next slot. It prints how many
groups complete 6 meetings with at least 4 peers present, when the cohort
finishes, and the facilitator hours, then how this changes with dropout.

The attendance, dropout and cancellation figures are assumptions for the
example, not findings of eMessi2.

Run: python examples/simulate_cohort.py [--runs N] [--seed S] [--plot DIR]
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import numpy as np

from emessi.scheduling import Blackout, PublicHolidays
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    FacilitatorPool,
    Scenario,
    StartWindow,
    progress_bar,
    simulate,
    sweep,
)

SCENARIO = Scenario(
    name="eMessi2-like cohort",
    start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
    groups=11,
    peers=6,
    recurrences=[
        "first Monday of each month at 9:30",
        "second Tuesday of each month at 14:00",
        "third Wednesday of each month at 13:00",
        "last Thursday of each month at 15:00",
    ],
    holidays=PublicHolidays("FI"),
    blackouts=[Blackout(date(2026, 6, 1), date(2026, 8, 15), "summer break")],
    attendance=AttendanceModel(mean=0.8, concentration=8.0),
    dropout=DropoutModel(hazard=0.02, rise=0.03),
    cancellation=CancellationModel(probability=0.08, policy="next-slot"),
    facilitators=FacilitatorPool(size=6, max_groups=2),
    duration_minutes=105,
)


def _date(value: np.datetime64) -> str:
    return str(value.astype("datetime64[D]"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="replications (default 1000)")
    parser.add_argument("--seed", type=int, default=2013, help="root seed (default 2013)")
    parser.add_argument("--plot", type=Path, metavar="DIR", help="save PNG plots into DIR")
    args = parser.parse_args()

    result = simulate(SCENARIO, runs=args.runs, seed=args.seed, progress=progress_bar())
    runs = result.runs
    completed = runs["groups_completed"]
    low, median, high = np.percentile(completed, [5, 50, 95])
    print(f"{SCENARIO.name}: {SCENARIO.groups} groups, {args.runs} runs, seed {args.seed}")
    print(
        f"groups completing 6 meetings with >= {SCENARIO.threshold} peers: "
        f"median {median:.0f} of {SCENARIO.groups} (90% of runs: {low:.0f}-{high:.0f}); "
        f"all {SCENARIO.groups} in {np.mean(completed == SCENARIO.groups):.0%} of runs"
    )
    end = np.sort(runs["end"][~np.isnat(runs["end"])])
    print(
        f"the cohort's last meeting: median {_date(end[len(end) // 2])}, "
        f"90% of runs by {_date(end[int(0.9 * (len(end) - 1))])}"
    )
    print(
        f"attendance rate {np.mean(runs['attendance_rate']):.2f}; "
        f"peers dropping out per run {np.mean(runs['dropouts']):.1f}"
    )
    print(
        f"facilitator hours: {np.mean(runs['facilitator_hours']):.0f} in all, "
        f"{np.mean(runs['busiest_facilitator_hours']):.0f} for the busiest facilitator"
    )

    swept = sweep(SCENARIO, {"dropout.hazard": [0.0, 0.02, 0.05, 0.1]}, runs=250, seed=args.seed)
    rates = swept.runs["completion_rate"].reshape(4, 250).mean(axis=1)
    print("completion rate by dropout hazard per meeting:")
    for hazard, rate in zip([0.0, 0.02, 0.05, 0.1], rates, strict=True):
        print(f"  {hazard:4.2f}: {rate:.0%}")

    if args.plot is not None:
        from emessi.plotting import plot_attendance, plot_completion, plot_timeline

        args.plot.mkdir(parents=True, exist_ok=True)
        plot_timeline(result, args.plot / "timeline.png")
        plot_attendance(result, args.plot / "attendance.png")
        plot_completion(result, args.plot / "completion.png")
        print(f"plots saved in {args.plot}")


if __name__ == "__main__":
    main()
