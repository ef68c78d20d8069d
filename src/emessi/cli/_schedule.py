"""Subcommands over scheduling: ``schedule`` and ``ics``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from emessi.cli._common import EXIT_ERRORS, EXIT_OK, add_force, bounded, emit, fail, load_document
from emessi.cli._files import Outputs, document_bytes
from emessi.model import Group, Programme
from emessi.rules import validate

__all__ = ["register"]


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"expected an ISO date such as 2025-09-01, for {what}", path=what)


def _blackout(text: str) -> Any:
    from emessi.scheduling import Blackout

    first, sep, last = text.partition(":")
    if not sep:
        fail("a blackout is FIRST:LAST, e.g. 2026-06-01:2026-08-15", path="--blackout")
    return Blackout(_day(first, "--blackout"), _day(last, "--blackout"), "blackout")


def _programme(file: str) -> tuple[Programme, bool]:
    subject = load_document(file)
    if isinstance(subject, Programme):
        return subject, True
    if not isinstance(subject, Group):
        fail("expected a programme or group document", path=file)
    return Programme("single", groups=[subject]), False


def _chosen(programme: Programme, wanted: list[str] | None) -> list[Group]:
    if not wanted:
        return list(programme.groups)
    known = {g.id for g in programme.groups}
    for group_id in wanted:
        if group_id not in known:
            fail(f"no group {group_id!r} in the document", path="--group")
    return [g for g in programme.groups if g.id in wanted]


def _schedule(args: argparse.Namespace) -> int:
    from emessi.scheduling import PublicHolidays, apply_plan, plan_schedule

    outputs = Outputs(force=args.force)
    output = outputs.plan(Path(args.output) if args.output else Path(args.file))
    programme, is_programme = _programme(args.file)
    rules = dict(item.split("=", 1) for item in args.group_rule if "=" in item)
    if len(rules) != len(args.group_rule):
        fail("--group-rule takes GROUP=RULE", path="--group-rule")
    holidays = None if args.no_holidays else PublicHolidays(args.country, subdiv=args.subdiv)
    blackouts = [_blackout(text) for text in args.blackout]
    start = _day(args.start, "--start")
    planned: dict[str, Any] = {}
    groups = {g.id: g for g in programme.groups}
    for group in _chosen(programme, args.group):
        if group.meetings and not args.replace:
            continue
        rule = rules.get(group.id, args.rule)
        if rule is None:
            fail(f"no --rule for group {group.id!r}", path="--rule")
        plan = plan_schedule(
            start,
            rule,
            timezone=group.timezone,
            count=args.count,
            duration=args.duration,
            profile=args.profile or programme.profile,
            holidays=holidays,
            blackouts=blackouts,
            series=group.id,
        )
        groups[group.id] = apply_plan(group, plan, replace=args.replace)
        planned[group.id] = plan
    result = attrs.evolve(programme, groups=tuple(groups[g.id] for g in programme.groups))
    report = validate(result, args.profile)
    outputs.add(output, document_bytes(result if is_programme else result.groups[0], output))
    outputs.commit()
    lines = []
    data: dict[str, Any] = {"written": str(output), "ok": report.ok, "groups": {}}
    for group_id, plan in planned.items():
        starts = [m.start for m in plan.meetings]
        lines.append(
            f"{group_id}: {len(starts)} meetings, {starts[0]:%Y-%m-%d} to {starts[-1]:%Y-%m-%d} "
            f"({plan.rule})"
        )
        lines += [f"    {a}" for a in plan.adjustments]
        data["groups"][group_id] = {
            "rule": plan.rule,
            "starts": [s.isoformat() for s in starts],
            "adjustments": [str(a) for a in plan.adjustments],
        }
    if not planned:
        lines.append("Nothing to plan: every chosen group has meetings (use --replace).")
    lines.append(f"Validation: {report}")
    lines.append(f"Wrote {output}")
    data["report"] = [str(f) for f in report.findings]
    emit(args, data, "\n".join(lines))
    return EXIT_OK if report.ok else EXIT_ERRORS


def _ics(args: argparse.Namespace) -> int:
    from emessi.io.ical import dumps_ical

    outputs = Outputs(force=args.force)
    output = outputs.plan(args.output)
    programme, _ = _programme(args.file)
    groups = _chosen(programme, args.group)
    subject: Group | Programme = (
        groups[0] if args.group and len(groups) == 1 else attrs.evolve(programme, groups=groups)
    )
    people = programme.people if args.attendees else ()
    text = dumps_ical(
        subject,
        programme=programme.id,
        attendees=args.attendees,
        people=people,
        lang=args.lang,
    )
    outputs.add(output, text.encode("utf-8"))
    (path,) = outputs.commit()
    meetings = sum(len(g.meetings) for g in groups)
    emit(args, {"written": str(path), "events": meetings}, f"Wrote {meetings} events to {path}")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``schedule`` and ``ics`` to *sub*."""
    p = sub.add_parser(
        "schedule",
        parents=[common],
        help="plan the groups' meetings",
        description="Plan (or re-plan with --replace) the meetings of a programme's groups "
        "from a recurrence, skipping public holidays and blackout periods, then validate. "
        "Exit 0 when the plan has no errors, 1 when it has, 2 for bad input.",
    )
    p.add_argument("file", help="a programme or group document (.json or .toml)")
    p.add_argument("--start", required=True, help="first day to plan from (YYYY-MM-DD)")
    p.add_argument(
        "--rule",
        help="recurrence for every group: friendly ('second Tuesday of each month at 14:00') "
        "or an RFC 5545 RRULE",
    )
    p.add_argument(
        "--group-rule",
        action="append",
        default=[],
        metavar="GROUP=RULE",
        help="a recurrence for one group (repeatable)",
    )
    p.add_argument("--group", action="append", help="plan only this group (repeatable)")
    p.add_argument(
        "--count", type=bounded("--count"), help="meetings per group (default: the profile's)"
    )
    p.add_argument(
        "--duration",
        type=bounded("--duration"),
        help="minutes per meeting (default: the profile's)",
    )
    p.add_argument("--profile", help="profile name (default: the document's)")
    p.add_argument("--country", default="FI", help="public holidays of this country (default FI)")
    p.add_argument("--subdiv", help="a subdivision, e.g. 01 (Åland)")
    p.add_argument("--no-holidays", action="store_true", help="do not skip public holidays")
    p.add_argument(
        "--blackout",
        action="append",
        default=[],
        metavar="FIRST:LAST",
        help="a period without meetings, e.g. 2026-06-01:2026-08-15 (repeatable)",
    )
    p.add_argument("--replace", action="store_true", help="re-plan groups that have meetings")
    p.add_argument(
        "-o", "--output", help="where to write the result (default: over FILE, with --force)"
    )
    add_force(p)
    p.set_defaults(handler=_schedule)

    p = sub.add_parser(
        "ics",
        parents=[common],
        help="export meetings as an iCalendar file",
        description="Write the meetings of a programme (or of chosen groups) as an "
        "iCalendar (.ics) file with stable UIDs, time zones and cancellations.",
    )
    p.add_argument("file", help="a programme or group document")
    p.add_argument("--group", action="append", help="only this group (repeatable)")
    p.add_argument("-o", "--output", required=True, help="the .ics file to write")
    p.add_argument(
        "--attendees",
        action="store_true",
        help="include participants' e-mail addresses (personal data; off by default)",
    )
    p.add_argument("--lang", choices=["en", "fi"], default="en", help="language of titles")
    add_force(p)
    p.set_defaults(handler=_ics)
