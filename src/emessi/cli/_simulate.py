"""The ``simulate`` subcommand."""

from __future__ import annotations

import argparse
import importlib.util
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from emessi._i18n import N_, _
from emessi.cli._common import (
    EXIT_OK,
    MAX_GROUP_RUNS,
    add_force,
    bounded,
    emit,
    fail,
    load_document,
)
from emessi.cli._files import Outputs
from emessi.errors import MissingDependencyError

__all__ = ["register"]

_TABLES = ("meetings", "groups", "runs")


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
        (_("runs"), f"{len(runs)}"),
        (
            _("groups completing"),
            _("{mean} (runs: {low}-{high})").format(
                mean=f"{completion.mean():.1%}",
                low=f"{completion.min():.0%}",
                high=f"{completion.max():.0%}",
            ),
        ),
        (_("attendance rate"), f"{attendance.mean():.1%}"),
        (_("meetings held per run"), f"{held.mean():.1f}"),
        (_("facilitator hours per run"), f"{hours.mean():.1f}"),
        (
            _("cohort ends"),
            _("median {median} (first {first}, last {last})").format(
                median=ends[len(ends) // 2], first=ends[0], last=ends[-1]
            ),
        ),
    ]
    width = max(len(name) for name, _value in rows)
    return data, "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def _ignore_interrupts() -> None:
    """In worker processes: Ctrl-C is the parent's to handle (no worker tracebacks)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """End the workers now: after Ctrl-C nobody waits for the chunks they run.

    ``terminate_workers()`` arrives in Python 3.14; before it, the pool's
    own table of processes is the only handle.
    """
    stop = getattr(executor, "terminate_workers", None)
    if callable(stop):
        stop()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()


def _group_count(scenario: Any) -> int:
    programme = scenario.programme
    return len(programme.groups) if programme is not None else int(scenario.groups)


def _plan(args: argparse.Namespace) -> tuple[Outputs, list[Path], list[Path]]:
    """Check every file to write before the simulation runs."""
    outputs = Outputs(force=args.force)
    plots: list[Path] = []
    tables: list[Path] = []
    if args.plot:
        path = Path(args.plot)
        suffix = path.suffix.lower()
        if suffix not in (".png", ".svg", ".pdf"):
            fail(_("expected a .png, .svg or .pdf file name"), path="--plot")
        stem = path.with_suffix("")
        plots = [path, Path(f"{stem}-timeline{suffix}"), Path(f"{stem}-completion{suffix}")]
        plots = [outputs.plan(p) for p in plots]
    if args.csv:
        folder = Path(args.csv)
        if folder.exists() and not folder.is_dir():
            fail(_("not a folder"), path="--csv")
        tables = [outputs.plan(folder / f"{name}.csv", create_folder=True) for name in _TABLES]
    return outputs, plots, tables


def _simulate(args: argparse.Namespace) -> int:
    from emessi.simulation import Scenario, progress_bar, simulate

    outputs, plots, tables = _plan(args)
    scenario = load_document(args.scenario, Scenario)
    groups = _group_count(scenario)
    if args.runs * groups > MAX_GROUP_RUNS:
        fail(
            _(
                "{runs:,} runs of {groups:,} groups exceed the {most:,} group-runs "
                "one command simulates; use at most {fit:,} runs"
            ).format(
                runs=args.runs,
                groups=groups,
                most=MAX_GROUP_RUNS,
                fit=max(1, MAX_GROUP_RUNS // groups),
            ),
            path="--runs",
        )
    if plots and importlib.util.find_spec("matplotlib") is None:
        # Say so now, not after the simulation.
        raise MissingDependencyError("matplotlib", extra="plot", feature=N_("Plots"))
    progress = None if args.quiet or args.json else progress_bar(sys.stderr)
    executor: ProcessPoolExecutor | None = None
    if args.workers > 1:
        executor = ProcessPoolExecutor(args.workers, initializer=_ignore_interrupts)
    interrupted = False
    try:
        result = simulate(
            scenario, runs=args.runs, seed=args.seed, executor=executor, progress=progress
        )
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if executor is not None:
            if interrupted:
                _stop_workers(executor)
            executor.shutdown(wait=not interrupted, cancel_futures=True)
    data, text = _summary(result)
    if plots:
        from emessi.plotting import image_bytes, plot_attendance, plot_completion, plot_timeline

        fmt = plots[0].suffix.lower().lstrip(".")
        outputs.add(plots[0], image_bytes(plot_attendance(result), fmt))
        outputs.add(plots[1], image_bytes(plot_timeline(result), fmt))
        outputs.add(plots[2], image_bytes(plot_completion(result), fmt))
    for path in tables:
        # Table.to_csv neutralises spreadsheet formulas (OWASP); no pandas needed.
        table = getattr(result, path.stem)
        outputs.add(path, table.to_csv().encode("utf-8"))
    outputs.commit()
    if plots:
        data["plots"] = [str(p) for p in plots]
        text += "\n" + _("Plots: {files}").format(files=", ".join(str(p) for p in plots))
    if tables:
        data["tables"] = str(tables[0].parent)
        text += "\n" + _("Tables: {files}").format(
            files=f"{tables[0].parent}/{{meetings,groups,runs}}.csv"
        )
    emit(args, data, text)
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``simulate`` to *sub*."""
    p = sub.add_parser(
        "simulate",
        parents=[common],
        help=_("run Monte-Carlo replications of a scenario"),
        description=_(
            "Simulate a cohort described by a scenario document "
            "(format emessi/scenario; 'emessi demo' writes one) and print a summary."
        ),
    )
    p.add_argument("scenario", help=_("a scenario document (.json or .toml)"))
    p.add_argument(
        "--runs", type=bounded("--runs"), default=100, help=_("replications (default 100)")
    )
    p.add_argument("--seed", type=bounded("--seed"), default=0, help=_("random seed (default 0)"))
    p.add_argument(
        "--workers", type=bounded("--workers"), default=1, help=_("worker processes (default 1)")
    )
    p.add_argument(
        "--plot",
        metavar="OUT.png",
        help=_(
            "also write plots (OUT.png, OUT-timeline.png, OUT-completion.png); "
            "the extension (.png, .svg or .pdf) sets the format"
        ),
    )
    p.add_argument("--csv", metavar="DIR", help=_("also write the tidy tables as CSV files"))
    p.add_argument("--quiet", action="store_true", help=_("no progress bar"))
    add_force(p)
    p.set_defaults(handler=_simulate)
