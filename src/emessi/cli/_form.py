"""The ``form`` subcommand: form groups from an applicants CSV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from emessi.cli._common import EXIT_ERRORS, EXIT_OK, emit, fail
from emessi.io.documents import dump
from emessi.model import Person, Role
from emessi.rules import validate

__all__ = ["register"]


def _staff(items: list[str], option: str) -> list[Any]:
    from emessi.formation import Staff

    staff = []
    for item in items:
        person, _, load = item.partition(":")
        try:
            most = int(load) if load else 1
        except ValueError:
            fail("expected ID or ID:MAX_GROUPS, e.g. f-01:2", path=option)
        staff.append(Staff(Person(person, person, languages=("fi", "sv", "en")), max_groups=most))
    return staff


def _form(args: argparse.Namespace) -> int:
    from emessi.formation import form_groups, read_applicants

    source = Path(args.applicants)
    if not source.exists():
        fail("no such file", path=str(source))
    if not args.facilitator:
        fail("name at least one facilitator (--facilitator ID[:MAX_GROUPS])", path="--facilitator")
    formation = form_groups(
        read_applicants(source),
        args.profile,
        facilitators=_staff(args.facilitator, "--facilitator"),
        observers=_staff(args.observer, "--observer"),
        groups=args.groups,
        diversity=args.diversity,
        eligibility="exclude" if args.exclude_outside else "report",
        seed=args.seed,
    )
    programme = formation.to_programme(args.id, args.name)
    report = validate(programme, args.profile)
    output = Path(args.output)
    dump(programme, output)
    lines = [f"{len(formation.groups)} groups from {source.name} (seed {args.seed}):"]
    groups = []
    for group in formation.groups:
        peers = [m.person for m in group.members(Role.PEER)]
        staff = [
            f"{m.person} ({m.role.value})" for m in group.memberships if m.role is not Role.PEER
        ]
        lines.append(f"  {group.id}: {len(peers)} peers; {', '.join(staff)}")
        groups.append({"id": group.id, "peers": peers, "staff": staff})
    for left in formation.unassigned:
        lines.append(f"  unassigned {left.applicant}: {left.reason.description}")
    if formation.outside_target:
        lines.append(f"  outside the target group: {', '.join(formation.outside_target)}")
    lines.append(f"Score: {formation.score}")
    lines.append(f"Validation: {report.summary()}")
    lines.append(f"Wrote {output}")
    data = {
        "written": str(output),
        "ok": report.ok,
        "groups": groups,
        "unassigned": [{"id": u.applicant, "reason": u.reason.value} for u in formation.unassigned],
        "outside_target": list(formation.outside_target),
        "score": {term.objective: term.points for term in formation.score},
    }
    emit(args, data, "\n".join(lines))
    return EXIT_OK if report.ok else EXIT_ERRORS


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``form`` to *sub*."""
    p = sub.add_parser(
        "form",
        parents=[common],
        help="form groups from an applicants CSV",
        description="Form peer groups from applicants (columns: id, name, email, languages, "
        "organisation, organisation_name, staff, sector, region, avoid) under a profile, "
        "then validate and save them as a programme document.",
    )
    p.add_argument("applicants", help="the applicants CSV ('emessi demo' writes one)")
    p.add_argument(
        "--facilitator",
        action="append",
        default=[],
        metavar="ID[:MAX]",
        help="a facilitator and the most groups they lead (repeatable)",
    )
    p.add_argument(
        "--observer",
        action="append",
        default=[],
        metavar="ID[:MAX]",
        help="an observer/technical support and their most groups (repeatable)",
    )
    p.add_argument("--groups", type=int, help="how many groups (default: from the profile)")
    p.add_argument("--profile", help="profile name (default emessi)")
    p.add_argument(
        "--diversity",
        action="append",
        default=[],
        choices=["sector", "region"],
        help="mix groups by sector or region (repeatable)",
    )
    p.add_argument(
        "--exclude-outside",
        action="store_true",
        help="leave out applicants outside the target group",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--id", default="cohort", help="the programme id (default cohort)")
    p.add_argument("--name", default="", help="the programme name")
    p.add_argument(
        "-o", "--output", default="formed.json", help="where to write (default formed.json)"
    )
    p.set_defaults(handler=_form)
