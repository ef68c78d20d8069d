"""Calibration of forecast: predictions after meeting 3 against what then happened.

Issue 14 item 3: a forecast made on the state after meeting 3 of simulated
cohorts should be calibrated. Each cohort (30 groups of 6 peers, 8
meetings, attendance Beta(mean 0.75, concentration 6), dropout 0.04 per held
meeting, cancellation 0.1, policy drop) is simulated in full with
``simulate(..., records=True)``; its records are cut after each group's
third meeting (later meetings planned, later leavers still in); ``forecast``
(400 runs, the true scenario) predicts each group's probability of
completing (6 counted meetings), which is compared with whether it did.
Printed: predicted and observed completion per band of predictions, each
with the binomial standard error of the observed share under the
predictions, and over all groups.

Run: python benchmarks/simulation_forecast_calibration.py [COHORTS]   (default 100)
"""

from __future__ import annotations

import itertools
import math
import sys
import time
from datetime import date

import attrs
import numpy as np

from emessi.model import MeetingStatus, Programme
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    Scenario,
    StartWindow,
    forecast,
    simulate,
)

TRUTH = Scenario(
    start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
    groups=30,
    peers=6,
    meetings=8,
    attendance=AttendanceModel(0.75, 6.0),
    dropout=DropoutModel(0.04),
    cancellation=CancellationModel(0.1, "drop"),
)
BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


def cut(programme: Programme, after: int = 3) -> Programme:
    """The records as they stood after each group's *after*-th meeting."""
    groups = []
    for group in programme.groups:
        meetings = sorted(group.meetings, key=lambda m: m.start)
        day = meetings[after - 1].start.date()
        kept = [
            m if i < after else attrs.evolve(m, status=MeetingStatus.PLANNED, attendance=())
            for i, m in enumerate(meetings)
        ]
        members = [
            m if m.left is None or m.left <= day else attrs.evolve(m, left=None)
            for m in group.memberships
        ]
        groups.append(attrs.evolve(group, meetings=kept, memberships=members))
    return attrs.evolve(programme, groups=groups)


def completed(programme: Programme, threshold: int = 4, required: int = 6) -> list[bool]:
    """Whether each group counted *required* meetings with *threshold* peers present."""
    return [
        sum(
            1
            for m in group.meetings
            if m.status is MeetingStatus.HELD and len(m.attendance) >= threshold
        )
        >= required
        for group in programme.groups
    ]


def predictions(cohorts: int, runs: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Predicted probabilities and observed completions, one per group of every cohort."""
    result = simulate(TRUTH, runs=cohorts, seed=31, records=True)
    predicted, observed = [], []
    for cohort in range(cohorts):
        full = result.programme(cohort)
        ahead = forecast(cut(full), TRUTH, runs=runs, seed=cohort)
        predicted.extend(ahead.groups["p_complete"].tolist())
        observed.extend(completed(full))
    return np.array(predicted), np.array(observed, float)


def bands(
    predicted: np.ndarray, observed: np.ndarray
) -> list[tuple[str, int, float, float, float]]:
    """(band, groups, mean predicted, observed share, standard error) per band of predictions."""
    rows = []
    for low, high in itertools.pairwise(BANDS):
        inside = (predicted >= low) & (predicted < high)
        n = int(inside.sum())
        if n == 0:
            continue
        p = predicted[inside]
        error = math.sqrt(float((p * (1 - p)).sum())) / n
        rows.append(
            (f"{low:.1f}-{min(high, 1.0):.1f}", n, p.mean(), observed[inside].mean(), error)
        )
    return rows


def main(cohorts: int) -> None:
    start = time.perf_counter()
    predicted, observed = predictions(cohorts)
    print(
        f"{cohorts} cohorts x 30 groups, forecast after meeting 3 ({time.perf_counter() - start:.1f} s)"
    )
    print("  band      groups  predicted  observed  (SE)")
    for band, n, p, o, error in bands(predicted, observed):
        print(f"  {band}  {n:6}  {p:9.3f}  {o:8.3f}  ({error:.3f})")
    error = math.sqrt(float((predicted * (1 - predicted)).sum())) / len(predicted)
    print(
        f"  all       {len(predicted):6}  {predicted.mean():9.3f}  {observed.mean():8.3f}  ({error:.3f})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
