"""The ``form`` subcommand: form groups from an applicants CSV."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

from emessi.cli._common import EXIT_ERRORS, EXIT_OK, LIMITS, add_force, bounded, emit, fail
from emessi.cli._files import Outputs, document_bytes, read_text
from emessi.model import Person, Role
from emessi.rules import validate

__all__ = ["register"]


class _Named(io.StringIO):
    """The applicants' text, named after its file for the error messages."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text, newline="")
        self.name = name


def _staff(items: list[str], option: str) -> list[Any]:
    from emessi.formation import Staff

    staff = []
    for item in items:
        person, _, load = item.partition(":")
        low, high, _ = LIMITS["MAX_GROUPS"]
        most = 1
        if load:
            digits = load.isascii() and load.isdigit() and len(load) <= 10
            most = int(load) if digits else 0
        if not low <= most <= high:
            fail(
                f"expected ID or ID:MAX_GROUPS (MAX_GROUPS {low}-{high}), e.g. f-01:2", path=option
            )
        staff.append(Staff(Person(person, person, languages=("fi", "sv", "en")), max_groups=most))
    return staff


def _form(args: argparse.Namespace) -> int:
    from emessi.formation import form_groups, read_applicants

    source = Path(args.applicants)
    outputs = Outputs(force=args.force)
    output = outputs.plan(Path(args.output))
    text = read_text(source)
    if not args.facilitator:
        fail("name at least one facilitator (--facilitator ID[:MAX_GROUPS])", path="--facilitator")
    formation = form_groups(
        read_applicants(_Named(text, source.name)),
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
    outputs.add(output, document_bytes(programme, output))
    outputs.commit()
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
    p.add_argument(
        "--groups", type=bounded("--groups"), help="how many groups (default: from the profile)"
    )
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
    p.add_argument("--seed", type=bounded("--seed"), default=0, help="random seed (default 0)")
    p.add_argument("--id", default="cohort", help="the programme id (default cohort)")
    p.add_argument("--name", default="", help="the programme name")
    p.add_argument(
        "-o", "--output", default="formed.json", help="where to write (default formed.json)"
    )
    add_force(p)
    p.set_defaults(handler=_form)
