"""Subcommands over the core library: demo, validate, themes."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from emessi._i18n import _
from emessi.cli._common import EXIT_ERRORS, EXIT_OK, add_force, emit, fail, load_document
from emessi.cli._extend import add_profile, add_rules, load_rule_specs, resolve_profile
from emessi.cli._files import Outputs, document_bytes
from emessi.cli._table import render
from emessi.io.documents import to_data
from emessi.method import default_catalogue
from emessi.model import Group, Meeting, Programme
from emessi.rules import validate
from emessi.scheduling import PublicHolidays

__all__ = ["register"]


def _demo(args: argparse.Namespace) -> int:
    from emessi.demo import applicants_csv, availability_poll, emessi2_cohort
    from emessi.scheduling import availability_csv
    from emessi.simulation import Scenario, StartWindow

    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        fail(_("not a folder"), path=str(folder))
    outputs = Outputs(force=args.force)
    names = ("cohort", "unscheduled", "scenario")
    paths = [outputs.plan(folder / f"{name}.{args.format}", create_folder=True) for name in names]
    applicants = outputs.plan(folder / "applicants.csv", create_folder=True)
    availability = outputs.plan(folder / "availability.csv", create_folder=True)
    cohort = emessi2_cohort()
    unplanned = attrs.evolve(cohort, groups=[attrs.evolve(g, meetings=()) for g in cohort.groups])
    scenario = Scenario(
        start=StartWindow(date(2026, 9, 1)), groups=11, holidays=PublicHolidays("FI")
    )
    for path, value in zip(paths, (cohort, unplanned, scenario), strict=True):
        outputs.add(path, document_bytes(value, path))
    outputs.add(applicants, applicants_csv().encode("utf-8"))
    outputs.add(availability, availability_csv(availability_poll()).encode("utf-8"))
    written = [str(p) for p in outputs.commit()]
    path, plan, scenario_path = paths
    emit(
        args,
        {"written": written},
        _(
            "Wrote an eMessi2-like cohort of 11 groups to {cohort},\n"
            "the same groups without meetings (for 'emessi schedule') to {plan},\n"
            "a simulation scenario (for 'emessi simulate') to {scenario},\n"
            "66 synthetic applicants (for 'emessi form') to {applicants},\n"
            "and their and the staff's availability answers to {availability}."
        ).format(
            cohort=path,
            plan=plan,
            scenario=scenario_path,
            applicants=applicants,
            availability=availability,
        ),
    )
    return EXIT_OK


#: The columns of a validation report in CSV (stable names for scripts).
_FINDING_COLUMNS = ["severity", "code", "path", "message"]


def _columns() -> list[str]:
    """The columns of a validation report as a table, in the user's language."""
    return [_("severity"), _("code"), _("path"), _("message")]


def _validate(args: argparse.Namespace) -> int:
    profile = resolve_profile(args.profile)
    load_rule_specs(args.rules)
    subject = load_document(args.file)
    if not isinstance(subject, Programme | Group | Meeting):
        fail(_("expected a programme, group or meeting document"), path=args.file)
    report = validate(subject, profile, lang=args.lang, strict=args.strict)
    used = profile.name if profile else getattr(subject, "profile", "emessi")
    findings = [{**attrs.asdict(f), "severity": f.severity.value} for f in report.findings]
    data = {
        "file": args.file,
        "profile": used,
        "ok": report.ok,
        "summary": report.summary(),
        "findings": findings,
    }
    if args.format == "json":
        args.json = True
    labels = args.format != "csv"  # CSV keeps the stable values for scripts
    rows = [
        [f.severity.label if labels else f.severity.value, f.code, f.path or ".", f.message]
        for f in report.findings
    ]
    if args.format == "csv":
        text = render(_FINDING_COLUMNS, rows, "csv")[0]
    else:
        text = _("{file}: {summary} (profile {profile})").format(
            file=args.file, summary=report.summary(), profile=used
        )
        if rows:
            text += "\n" + "\n".join(render(_columns(), rows, "table"))
    emit(args, data, text)
    return EXIT_OK if report.ok else EXIT_ERRORS


def _themes(args: argparse.Namespace) -> int:
    catalogue = default_catalogue()
    lines = [
        f"{t.id:<26}{t.title(args.lang)}  [{', '.join(d.label for d in t.dimensions)}]"
        for t in catalogue
    ]
    emit(args, to_data(catalogue)["themes"], "\n".join(lines))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the core subcommands to *sub*."""
    p = sub.add_parser(
        "demo",
        parents=[common],
        help=_("write an example cohort document to start from"),
        description=_("Write an eMessi2-like cohort (11 groups) to DIR/cohort.json."),
    )
    p.add_argument("dir", help=_("folder to write into (created if missing)"))
    p.add_argument("--format", choices=["json", "toml"], default="json", help=_("document syntax"))
    add_force(p)
    p.set_defaults(handler=_demo)

    p = sub.add_parser(
        "validate",
        parents=[common],
        help=_("check a document against the method"),
        description=_(
            "Validate a programme, group or meeting document. "
            "Exit 0 when it has no errors, 1 when it has, 2 for bad input."
        ),
    )
    p.add_argument("file", help=_("a .json or .toml document"))
    add_profile(p)
    add_rules(p)
    p.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help=_("report format: aligned table (default), CSV, or JSON (as --json)"),
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help=_("anything outside the profile's preferred ranges is an error, not a warning"),
    )
    p.set_defaults(handler=_validate)

    p = sub.add_parser(
        "themes",
        parents=[common],
        help=_("list the theme catalogue"),
        description=_("List the built-in catalogue of suggested themes."),
    )
    p.set_defaults(handler=_themes)
