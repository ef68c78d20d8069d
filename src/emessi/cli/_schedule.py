"""Subcommands over scheduling: ``schedule`` and ``ics``."""

from __future__ import annotations

import argparse
import io
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from emessi.cli._common import EXIT_ERRORS, EXIT_OK, add_force, bounded, emit, fail, load_document
from emessi.cli._files import Outputs, document_bytes, read_text
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


def _away(items: list[str]) -> dict[str, list[Any]]:
    from emessi.scheduling import Blackout

    away: dict[str, list[Any]] = {}
    for item in items:
        person, sep, period = item.partition("=")
        first, sep2, last = period.partition(":")
        if not (sep and sep2):
            fail("--away takes PERSON=FIRST:LAST, e.g. f-01=2026-10-05:2026-10-09", path="--away")
        day, end = _day(first, "--away"), _day(last, "--away")
        if end < day:
            fail("a period's last day is before its first", path="--away")
        away.setdefault(person, []).append(Blackout(day, end, "away"))
    return away


def _holidays(args: argparse.Namespace) -> Any:
    from emessi.scheduling import PublicHolidays

    return None if args.no_holidays else PublicHolidays(args.country, subdiv=args.subdiv)


class _Named(io.StringIO):
    """A CSV file's text, named after the file for the error messages."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text, newline="")
        self.name = name


def read_poll(file: str) -> Any:
    """The availability poll in the CSV *file* (one row per person and slot)."""
    from emessi.scheduling import read_availability

    path = Path(file)
    return read_availability(_Named(read_text(path), path.name))


_COST_TERMS = ("no", "if_need_be", "away", "distance", "irregular", "lonely_days")


def _report_lines(report: Any) -> list[str]:
    """The report in full when short, else its summary and where to see more."""
    if len(report.findings) <= 10:
        return [f"Validation: {report}"]
    return [f"Validation: {report.summary()} (run 'emessi validate' on the result for the list)"]


def _schedule(args: argparse.Namespace) -> int:
    outputs = Outputs(force=args.force)
    output = outputs.plan(Path(args.output) if args.output else Path(args.file))
    programme, is_programme = _programme(args.file)
    rules = dict(item.split("=", 1) for item in args.group_rule if "=" in item)
    if len(rules) != len(args.group_rule):
        fail("--group-rule takes GROUP=RULE", path="--group-rule")
    if args.same_rule:
        result, data, lines = _schedule_each(args, programme, rules)
    else:
        planned = _schedule_cohort(args, programme, rules)
        if planned is None:
            return EXIT_ERRORS
        result, data, lines = planned
    report = validate(result, args.profile)
    outputs.add(output, document_bytes(result if is_programme else result.groups[0], output))
    outputs.commit()
    lines += [*_report_lines(report), f"Wrote {output}"]
    data.update({"written": str(output), "ok": report.ok})
    data["report"] = [str(f) for f in report.findings]
    emit(args, data, "\n".join(lines))
    return EXIT_OK if report.ok else EXIT_ERRORS


def _schedule_cohort(
    args: argparse.Namespace, programme: Programme, rules: dict[str, str]
) -> tuple[Programme, dict[str, Any], list[str]] | None:
    """Plan the chosen groups at once; None (after saying why) when no plan exists."""
    from emessi.errors import PlanningError
    from emessi.scheduling import plan_programme

    chosen = {g.id for g in _chosen(programme, args.group)}
    poll = read_poll(args.availability) if args.availability else None
    if args.rule is None and poll is None:
        missing = [g.id for g in programme.groups if g.id in chosen and g.id not in rules]
        if missing:
            fail(
                f"no --rule, --group-rule or --availability for group {missing[0]!r}",
                path="--rule",
            )
    # Unchosen groups take part only through the meetings they already have.
    taking_part = [g for g in programme.groups if g.id in chosen or g.meetings]
    try:
        plan = plan_programme(
            attrs.evolve(programme, groups=taking_part),
            _day(args.start, "--start"),
            rule=args.rule,
            requests={g: r for g, r in rules.items() if g in chosen},
            poll=poll,
            end=_day(args.end, "--end") if args.end else None,
            count=args.count,
            duration=args.duration,
            profile=args.profile or programme.profile,
            holidays=_holidays(args),
            blackouts=[_blackout(text) for text in args.blackout],
            away=_away(args.away),
            buffer=args.buffer,
            max_per_day=args.max_per_day,
            seed=args.seed,
            replace=args.replace,
        )
    except PlanningError as error:
        lines = ["No plan without double bookings was found; nothing was written:"]
        lines += [f"  {obstacle}" for obstacle in error.obstacles]
        emit(
            args,
            {"ok": False, "obstacles": [str(o) for o in error.obstacles]},
            "\n".join(lines),
        )
        return None
    planned = {g.id: g for g in plan.programme.groups}
    result = attrs.evolve(programme, groups=tuple(planned.get(g.id, g) for g in programme.groups))
    data: dict[str, Any] = {
        "cost": {
            "total": plan.cost.total,
            **{term: getattr(plan.cost, term) for term in _COST_TERMS},
        },
        "groups": {
            s.group: {
                "rule": s.rule,
                "description": s.description,
                "slot": s.slot,
                "distance": s.distance,
                "starts": [m.start.isoformat() for m in s.plan.meetings],
            }
            for s in plan.schedules
        },
    }
    return result, data, [plan.summary()]


def _schedule_each(
    args: argparse.Namespace, programme: Programme, rules: dict[str, str]
) -> tuple[Programme, dict[str, Any], list[str]]:
    """Today's behaviour before the planner: each group on its own rule."""
    from emessi.scheduling import apply_plan, plan_schedule

    holidays = _holidays(args)
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
    lines = []
    data: dict[str, Any] = {"groups": {}}
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
    return result, data, lines


def _ics(args: argparse.Namespace) -> int:
    from emessi.io.ical import dumps_ical

    targets = [bool(args.output), bool(args.per_group), bool(args.per_person)]
    if sum(targets) != 1:
        fail("give one of -o FILE, --per-group DIR or --per-person DIR", path="--output")
    outputs = Outputs(force=args.force)
    programme, _ = _programme(args.file)
    groups = _chosen(programme, args.group)
    people = programme.people if args.attendees else ()
    options: dict[str, Any] = {
        "programme": programme.id,
        "attendees": args.attendees,
        "people": people,
        "lang": args.lang,
    }
    if args.output:
        output = outputs.plan(args.output)
        subject: Group | Programme = (
            groups[0] if args.group and len(groups) == 1 else attrs.evolve(programme, groups=groups)
        )
        outputs.add(output, dumps_ical(subject, **options).encode("utf-8"))
        (path,) = outputs.commit()
        meetings = sum(len(g.meetings) for g in groups)
        emit(args, {"written": str(path), "events": meetings}, f"Wrote {meetings} events to {path}")
        return EXIT_OK
    folder = Path(args.per_group or args.per_person)
    calendars: list[tuple[str, Group | Programme]] = []
    if args.per_group:
        calendars = [(group.id, group) for group in groups]
    else:
        mine: dict[str, list[Group]] = {}
        for group in groups:
            for person in dict.fromkeys(m.person for m in group.memberships):
                mine.setdefault(person, []).append(group)
        calendars = [
            (person, attrs.evolve(programme, groups=mine[person])) for person in sorted(mine)
        ]
    for name, subject in calendars:
        path = outputs.plan(folder / f"{name}.ics", create_folder=True)
        outputs.add(path, dumps_ical(subject, **options).encode("utf-8"))
    written = [str(p) for p in outputs.commit()]
    what = "group" if args.per_group else "person"
    emit(
        args,
        {"written": written},
        f"Wrote {len(written)} calendars, one per {what}, to {folder}",
    )
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``schedule`` and ``ics`` to *sub*."""
    p = sub.add_parser(
        "schedule",
        parents=[common],
        help="plan the groups' meetings",
        description="Plan (or re-plan with --replace) the meetings of a programme's groups, "
        "all at once so that no facilitator, observer or shared peer is in two meetings at "
        "once (with --buffer minutes between and at most --max-per-day a day), near each "
        "group's rule or on the slots of an availability poll, skipping public holidays, "
        "blackout periods and the staff's days away; then validate. With --same-rule, each "
        "group is planned on its own rule without looking at the others. Exit 0 when the "
        "plan has no errors, 1 when it has (or no plan without double bookings exists), "
        "2 for bad input.",
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
    p.add_argument(
        "--availability",
        metavar="CSV",
        help="availability answers, one row per person and slot (person, weekday, time, "
        "answer); 'emessi demo' writes one",
    )
    p.add_argument("--end", help="last day a meeting may fall on (YYYY-MM-DD)")
    p.add_argument(
        "--away",
        action="append",
        default=[],
        metavar="PERSON=FIRST:LAST",
        help="days a person cannot come, e.g. f-01=2026-10-05:2026-10-09 (repeatable)",
    )
    p.add_argument(
        "--buffer", type=int, default=30, help="minutes between one person's meetings (default 30)"
    )
    p.add_argument(
        "--max-per-day", type=int, default=2, help="a person's most meetings a day (default 2)"
    )
    p.add_argument(
        "--seed", type=bounded("--seed"), default=0, help="the planner's random seed (default 0)"
    )
    p.add_argument(
        "--same-rule",
        action="store_true",
        help="plan each group on its own rule, not the cohort at once (no double-booking check)",
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
        "iCalendar (.ics) file with stable UIDs, time zones and cancellations; or one file "
        "per group or per person.",
    )
    p.add_argument("file", help="a programme or group document")
    p.add_argument("--group", action="append", help="only this group (repeatable)")
    p.add_argument("-o", "--output", help="the .ics file to write")
    p.add_argument(
        "--per-group", metavar="DIR", help="write one calendar per group (GROUP.ics) to DIR"
    )
    p.add_argument(
        "--per-person",
        metavar="DIR",
        help="write one calendar per person (PERSON.ics, their groups' meetings) to DIR",
    )
    p.add_argument(
        "--attendees",
        action="store_true",
        help="include participants' e-mail addresses (personal data; off by default)",
    )
    p.add_argument("--lang", choices=["en", "fi"], default="en", help="language of titles")
    add_force(p)
    p.set_defaults(handler=_ics)
