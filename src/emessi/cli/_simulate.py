"""The ``simulate`` subcommand."""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from emessi.cli._common import EXIT_OK, emit, fail, load_document

__all__ = ["register"]


def _summary(result: Any) -> tuple[dict[str, Any], str]:
    import numpy as np

    runs = result.runs
    completion = np.asarray(runs["completion_rate"], dtype=float)
    attendance = np.asarray(runs["attendance_rate"], dtype=float)
    hours = np.asarray(runs["facilitator_hours"], dtype=float)
    held = np.asarray(runs["meetings_held"], dtype=float)
    ends = sorted(str(end)[:10] for end in runs["end"])
    data = {
        "runs": len(runs),
        "completion_rate": {
            "mean": float(completion.mean()),
            "min": float(completion.min()),
            "max": float(completion.max()),
        },
        "attendance_rate": {"mean": float(attendance.mean())},
        "meetings_held": {"mean": float(held.mean())},
        "facilitator_hours": {"mean": float(hours.mean())},
        "end": {"first": ends[0], "median": ends[len(ends) // 2], "last": ends[-1]},
    }
    rows = [
        ("runs", f"{len(runs)}"),
        (
            "groups completing",
            f"{completion.mean():.1%} (runs: {completion.min():.0%}-{completion.max():.0%})",
        ),
        ("attendance rate", f"{attendance.mean():.1%}"),
        ("meetings held per run", f"{held.mean():.1f}"),
        ("facilitator hours per run", f"{hours.mean():.1f}"),
        ("cohort ends", f"median {ends[len(ends) // 2]} (first {ends[0]}, last {ends[-1]})"),
    ]
    width = max(len(name) for name, _ in rows)
    return data, "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def _simulate(args: argparse.Namespace) -> int:
    from emessi.simulation import Scenario, progress_bar, simulate

    scenario = load_document(args.scenario, Scenario)
    if args.runs < 1:
        fail("--runs must be at least 1", path="--runs")
    if args.workers < 1:
        fail("--workers must be at least 1", path="--workers")
    progress = None if args.quiet or args.json else progress_bar(sys.stderr)
    executor: Executor | None = ProcessPoolExecutor(args.workers) if args.workers > 1 else None
    try:
        result = simulate(
            scenario, runs=args.runs, seed=args.seed, executor=executor, progress=progress
        )
    finally:
        if executor is not None:
            executor.shutdown()
    data, text = _summary(result)
    if args.plot:
        from emessi.plotting import plot_attendance, plot_completion, plot_timeline

        path = Path(args.plot)
        stem = path.with_suffix("")
        written = [path, Path(f"{stem}-timeline.png"), Path(f"{stem}-completion.png")]
        plot_attendance(result, written[0])
        plot_timeline(result, written[1])
        plot_completion(result, written[2])
        data["plots"] = [str(p) for p in written]
        text += "\nPlots: " + ", ".join(str(p) for p in written)
    if args.csv:
        folder = Path(args.csv)
        folder.mkdir(parents=True, exist_ok=True)
        frames = {name: result.to_pandas(name) for name in ("meetings", "groups", "runs")}
        for name, frame in frames.items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        data["tables"] = str(folder)
        text += f"\nTables: {folder}/{{meetings,groups,runs}}.csv"
    emit(args, data, text)
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``simulate`` to *sub*."""
    p = sub.add_parser(
        "simulate",
        parents=[common],
        help="run Monte-Carlo replications of a scenario",
        description="Simulate a cohort described by a scenario document "
        "(format emessi/scenario; 'emessi demo' writes one) and print a summary.",
    )
    p.add_argument("scenario", help="a scenario document (.json or .toml)")
    p.add_argument("--runs", type=int, default=100, help="replications (default 100)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument(
        "--plot",
        metavar="OUT.png",
        help="also write plots (OUT.png, OUT-timeline.png, OUT-completion.png)",
    )
    p.add_argument("--csv", metavar="DIR", help="also write the tidy tables as CSV files")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_simulate)
