"""Draw the simulation plots shown in docs/tutorials/researcher.md.

The PNGs are committed beside this script; run it again after a change to
the simulation or the plots, from anywhere:

    python docs/_static/make_plots.py

It simulates the tutorial's scenario (an eMessi2-like cohort of 11 groups
starting in September 2025) with the tutorial's seed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from emessi.plotting import plot_attendance, plot_completion, plot_timeline
from emessi.scheduling import Blackout, PublicHolidays
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    Scenario,
    StartWindow,
    simulate,
)

HERE = Path(__file__).resolve().parent

SCENARIO = Scenario(
    start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
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
)


def main() -> None:
    result = simulate(SCENARIO, runs=1000, seed=2013)
    for name, plot in (
        ("timeline", plot_timeline),
        ("attendance", plot_attendance),
        ("completion", plot_completion),
    ):
        path = HERE / f"simulation-{name}.png"
        plot(result, path)
        print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
