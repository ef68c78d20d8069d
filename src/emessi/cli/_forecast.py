"""The ``forecast`` subcommand: a running programme's chances of completing."""

from __future__ import annotations

import argparse
import importlib.util
import io
from pathlib import Path
from typing import Any

from emessi._i18n import N_, _, pgettext
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


def _risk(text: str) -> float:
    try:
        value = float(text) if len(text) <= 20 else None
    except ValueError:
        value = None
    if value is None or not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(_("expected a probability from 0 to 1"))
    return value


def _plan(args: argparse.Namespace) -> tuple[Outputs, Path | None, list[Path]]:
    """Check every file to write before the forecast runs."""
    outputs = Outputs(force=args.force)
    plot = None
    if args.plot:
        plot = Path(args.plot)
        if plot.suffix.lower() != ".png":
            fail(_("expected a .png file name"), path="--plot")
        plot = outputs.plan(plot)
        if importlib.util.find_spec("matplotlib") is None:
            raise MissingDependencyError("matplotlib", extra="plot", feature=N_("Plots"))
    tables: list[Path] = []
    if args.csv:
        folder = Path(args.csv)
        if folder.exists() and not folder.is_dir():
            fail(_("not a folder"), path="--csv")
        tables = [
            outputs.plan(folder / f"{name}.csv", create_folder=True)
            for name in ("groups", "meetings")
        ]
    return outputs, plot, tables


def _text(ahead: Any, fitted: Any) -> tuple[dict[str, Any], str]:
    rows = list(ahead.groups.rows())
    data: dict[str, Any] = {
        "required_meetings": ahead.required,
        "expected_completed": ahead.expected_completed,
        "probability_all": ahead.probability_all,
        "at_risk": list(ahead.at_risk),
        "groups": [
            {
                key: (bool(value) if key == "at_risk" else value)
                for key, value in row.items()
                if key != "p_complete_se"
            }
            for row in rows
        ],
    }
    lines = []
    if fitted is not None:
        data["fitted"] = {
            e.name: {"value": e.value, "low": e.low, "high": e.high} for e in fitted.estimates
        }
        parts = [f"{e.name} {e.value:.3g} ({e.low:.3g}-{e.high:.3g})" for e in fitted.estimates]
        lines.append(
            _("Scenario fitted to the records ({level} intervals): {estimates}").format(
                level="95%", estimates="; ".join(parts)
            )
        )
    header = (
        pgettext("forecast column", "group"),
        pgettext("forecast column", "peers"),
        pgettext("forecast column", "counted"),
        pgettext("forecast column", "planned"),
        pgettext("forecast column", "P(complete)"),
    )
    lines.append(f"{header[0]:<12} {header[1]:>5} {header[2]:>7} {header[3]:>7} {header[4]:>11}")
    for row in rows:
        flag = "  " + _("at risk") if row["at_risk"] else ""
        lines.append(
            f"{row['group']:<12} {row['peers']:>5} {row['counted']:>7} {row['remaining']:>7} "
            f"{row['p_complete']:>11.0%}{flag}"
        )
    lines.append(
        _(
            "Expected to complete ({required} counted meetings): {expected:.1f} of {total} "
            "groups; all of them: {all:.0%}; at risk (below {risk:.0%}): {at_risk}"
        ).format(
            required=ahead.required,
            expected=ahead.expected_completed,
            total=len(rows),
            all=ahead.probability_all,
            risk=ahead.risk,
            at_risk=", ".join(ahead.at_risk) or pgettext("nobody at risk", "none"),
        )
    )
    return data, "\n".join(lines)


def _forecast(args: argparse.Namespace) -> int:
    from emessi.model import Programme
    from emessi.simulation import Scenario, fit_scenario, forecast

    outputs, plot, tables = _plan(args)
    programme = load_document(args.programme, Programme)
    if args.runs * max(1, len(programme.groups)) > MAX_GROUP_RUNS:
        fail(
            _(
                "{runs:,} runs of {groups:,} groups exceed the {most:,} group-runs "
                "one command simulates"
            ).format(runs=args.runs, groups=len(programme.groups), most=MAX_GROUP_RUNS),
            path="--runs",
        )
    fitted = None
    if args.scenario:
        scenario = load_document(args.scenario, Scenario)
    else:
        fitted = fit_scenario(programme)
        scenario = fitted.scenario
    ahead = forecast(programme, scenario, runs=args.runs, seed=args.seed, risk=args.risk)
    data, text = _text(ahead, fitted)
    if plot is not None:
        from emessi.plotting import plot_forecast

        buffer = io.BytesIO()
        plot_forecast(ahead).savefig(buffer, format="png")
        outputs.add(plot, buffer.getvalue())
        data["plot"] = str(plot)
        text += "\n" + _("Plot: {file}").format(file=plot)
    for path in tables:
        # Table.to_csv neutralises spreadsheet formulas (OWASP); no pandas needed.
        outputs.add(path, getattr(ahead, path.stem).to_csv().encode("utf-8"))
    if tables:
        data["tables"] = str(tables[0].parent)
        text += "\n" + _("Tables: {files}").format(
            files=f"{tables[0].parent}/{{groups,meetings}}.csv"
        )
    outputs.commit()
    emit(args, data, text)
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``forecast`` to *sub*."""
    p = sub.add_parser(
        "forecast",
        parents=[common],
        help=_("forecast a running programme: each group's chance of completing"),
        description=_(
            "Simulate the remaining planned meetings of a running programme "
            "(format emessi/programme) from its actual state, and print each group's "
            "probability of completing and the groups at risk. The dynamics are fitted "
            "to the programme's own records (the extra 'fit'), or taken from --scenario."
        ),
    )
    p.add_argument("programme", help=_("a programme document (.json or .toml) part-way through"))
    p.add_argument(
        "--scenario", metavar="FILE", help=_("assume this scenario's dynamics instead of fitting")
    )
    p.add_argument(
        "--runs", type=bounded("--runs"), default=1000, help=_("replications (default 1000)")
    )
    p.add_argument("--seed", type=bounded("--seed"), default=0, help=_("random seed (default 0)"))
    p.add_argument(
        "--risk",
        type=_risk,
        default=0.8,
        help=_("a group below this probability of completing is at risk (default 0.8)"),
    )
    p.add_argument("--plot", metavar="OUT.png", help=_("also write the forecast as a plot"))
    p.add_argument(
        "--csv", metavar="DIR", help=_("also write the groups and meetings tables as CSV")
    )
    add_force(p)
    p.set_defaults(handler=_forecast)
