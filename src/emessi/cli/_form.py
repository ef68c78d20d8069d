"""The ``form`` subcommand: form groups from an applicants CSV."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

from emessi._i18n import _, ngettext, pgettext
from emessi.cli._common import EXIT_ERRORS, EXIT_OK, LIMITS, add_force, bounded, emit, fail
from emessi.cli._extend import add_profile, resolve_profile
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
        person, _sep, load = item.partition(":")
        low, high, _why = LIMITS["MAX_GROUPS"]
        most = 1
        if load:
            digits = load.isascii() and load.isdigit() and len(load) <= 10
            most = int(load) if digits else 0
        if not low <= most <= high:
            fail(
                _("expected ID or ID:MAX_GROUPS (MAX_GROUPS {low}-{high}), e.g. f-01:2").format(
                    low=low, high=high
                ),
                path=option,
            )
        staff.append(Staff(Person(person, person, languages=("fi", "sv", "en")), max_groups=most))
    return staff


def _role(role: Role) -> str:
    return {
        Role.PEER: pgettext("role", "peer"),
        Role.FACILITATOR: pgettext("role", "facilitator"),
        Role.OBSERVER: pgettext("role", "observer"),
    }[role]


def _form(args: argparse.Namespace) -> int:
    from emessi.formation import form_groups, read_applicants

    source = Path(args.applicants)
    outputs = Outputs(force=args.force)
    output = outputs.plan(Path(args.output))
    profile = resolve_profile(args.profile)
    args.profile = profile.name if profile else None  # a file's profile is registered
    text = read_text(source)
    if not args.facilitator:
        fail(
            _("name at least one facilitator (--facilitator ID[:MAX_GROUPS])"),
            path="--facilitator",
        )
    poll = None
    if args.availability:
        from emessi.cli._schedule import read_poll

        poll = read_poll(args.availability)
    if args.start and poll is None and not args.rule:
        fail(_("--start needs --availability or --rule to plan from"), path="--start")
    formation = form_groups(
        read_applicants(_Named(text, source.name)),
        args.profile,
        facilitators=_staff(args.facilitator, "--facilitator"),
        observers=_staff(args.observer, "--observer"),
        groups=args.groups,
        diversity=args.diversity,
        eligibility="exclude" if args.exclude_outside else "report",
        availability=poll,
        seed=args.seed,
    )
    programme = formation.to_programme(args.id, args.name)
    plan = _plan(args, programme, formation, poll) if args.start else None
    if plan is not None:
        programme = plan.programme
    report = validate(programme, args.profile)
    outputs.add(output, document_bytes(programme, output))
    outputs.commit()
    count = len(formation.groups)
    lines = [
        ngettext(
            "{n} group from {file} (seed {seed}):", "{n} groups from {file} (seed {seed}):", count
        ).format(n=count, file=source.name, seed=args.seed)
    ]
    groups = []
    for group in formation.groups:
        peers = [m.person for m in group.members(Role.PEER)]
        staff = [
            f"{m.person} ({_role(m.role)})" for m in group.memberships if m.role is not Role.PEER
        ]
        lines.append(
            "  "
            + ngettext(
                "{group}: {n} peer; {staff}", "{group}: {n} peers; {staff}", len(peers)
            ).format(group=group.id, n=len(peers), staff=", ".join(staff))
        )
        groups.append({"id": group.id, "peers": peers, "staff": staff})
    for left in formation.unassigned:
        lines.append(
            "  "
            + _("unassigned {applicant}: {reason}").format(
                applicant=left.applicant, reason=_(left.reason.description)
            )
        )
    if formation.outside_target:
        lines.append(
            "  "
            + _("outside the target group: {ids}").format(ids=", ".join(formation.outside_target))
        )
    lines.append(_("Score: {score}").format(score=formation.score))
    if plan is not None:
        lines.append(plan.summary())
    lines.append(_("Validation: {report}").format(report=report.summary()))
    lines.append(_("Wrote {path}").format(path=output))
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


def _plan(args: argparse.Namespace, programme: Any, formation: Any, poll: Any) -> Any:
    """Plan the formed groups at once, starting from the slots formation chose."""
    from emessi.cli._schedule import _blackout, _day, _holidays
    from emessi.errors import PlanningError
    from emessi.scheduling import plan_programme

    requests = {fit.group: fit.slot for fit in formation.fits if fit.slot is not None}
    try:
        return plan_programme(
            programme,
            _day(args.start, "--start"),
            rule=args.rule,
            requests=requests,
            poll=poll,
            count=args.count,
            profile=args.profile,
            holidays=_holidays(args),
            blackouts=[_blackout(text) for text in args.blackout],
            buffer=args.buffer,
            max_per_day=args.max_per_day,
            seed=args.seed,
        )
    except PlanningError as error:
        fail(
            _("the groups were formed but cannot be planned: {reason}").format(
                reason=error.message
            ),
            path="--start",
        )


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``form`` to *sub*."""
    p = sub.add_parser(
        "form",
        parents=[common],
        help=_("form groups from an applicants CSV"),
        description=_(
            "Form peer groups from applicants (columns: id, name, email, languages, "
            "organisation, organisation_name, staff, sector, region, avoid) under a profile, "
            "optionally with availability answers (--availability) and planned at once "
            "(--start), then validate and save them as a programme document."
        ),
    )
    p.add_argument("applicants", help=_("the applicants CSV ('emessi demo' writes one)"))
    p.add_argument(
        "--facilitator",
        action="append",
        default=[],
        metavar="ID[:MAX]",
        help=_("a facilitator and the most groups they lead (repeatable)"),
    )
    p.add_argument(
        "--observer",
        action="append",
        default=[],
        metavar="ID[:MAX]",
        help=_("an observer/technical support and their most groups (repeatable)"),
    )
    p.add_argument(
        "--groups", type=bounded("--groups"), help=_("how many groups (default: from the profile)")
    )
    add_profile(p, _("a profile name or a profile .toml file (default: emessi)"))
    p.add_argument(
        "--diversity",
        action="append",
        default=[],
        choices=["sector", "region"],
        help=_("mix groups by sector or region (repeatable)"),
    )
    p.add_argument(
        "--exclude-outside",
        action="store_true",
        help=_("leave out applicants outside the target group"),
    )
    p.add_argument(
        "--availability",
        metavar="CSV",
        help=_(
            "availability answers, one row per person and slot (person, weekday, time, "
            "answer); groups get a slot their members can attend"
        ),
    )
    p.add_argument(
        "--start",
        help=_(
            "also plan the groups' meetings from this day (YYYY-MM-DD), starting from the "
            "slot each group was formed around, with nobody double-booked"
        ),
    )
    p.add_argument("--rule", help=_("with --start and no availability: every group's recurrence"))
    p.add_argument("--count", type=bounded("--count"), help=_("with --start: meetings per group"))
    p.add_argument("--country", default="FI", help=_("with --start: public holidays (default FI)"))
    p.add_argument("--subdiv", help=_("with --start: a subdivision, e.g. 01 (Åland)"))
    p.add_argument("--no-holidays", action="store_true", help=_("with --start: ignore holidays"))
    p.add_argument(
        "--blackout",
        action="append",
        default=[],
        metavar="FIRST:LAST",
        help=_("with --start: a period without meetings (repeatable)"),
    )
    p.add_argument(
        "--buffer",
        type=int,
        default=30,
        help=_("with --start: minutes between meetings (default 30)"),
    )
    p.add_argument(
        "--max-per-day",
        type=int,
        default=2,
        help=_("with --start: most meetings a day (default 2)"),
    )
    p.add_argument("--seed", type=bounded("--seed"), default=0, help=_("random seed (default 0)"))
    p.add_argument("--id", default="cohort", help=_("the programme id (default cohort)"))
    p.add_argument("--name", default="", help=_("the programme name"))
    p.add_argument(
        "-o", "--output", default="formed.json", help=_("where to write (default formed.json)")
    )
    add_force(p)
    p.set_defaults(handler=_form)
