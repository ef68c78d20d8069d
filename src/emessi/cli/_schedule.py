"""Subcommands over scheduling: ``schedule`` and ``ics``."""

from __future__ import annotations

import argparse
import io
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from emessi._i18n import _, ngettext
from emessi.cli._common import EXIT_ERRORS, EXIT_OK, add_force, bounded, emit, fail, load_document
from emessi.cli._extend import add_profile, resolve_profile
from emessi.cli._files import Outputs, document_bytes, read_text
from emessi.model import Group, Programme
from emessi.model._checks import Shown
from emessi.rules import validate

__all__ = ["register"]


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(_("expected an ISO date such as 2025-09-01"), path=what)


def _blackout(text: str) -> Any:
    from emessi.scheduling import Blackout

    first, sep, last = text.partition(":")
    if not sep:
        fail(_("a blackout is FIRST:LAST, e.g. 2026-06-01:2026-08-15"), path="--blackout")
    return Blackout(_day(first, "--blackout"), _day(last, "--blackout"), _("blackout"))


def _programme(file: str) -> tuple[Programme, bool]:
    subject = load_document(file)
    if isinstance(subject, Programme):
        return subject, True
    if not isinstance(subject, Group):
        fail(_("expected a programme or group document"), path=file)
    return Programme("single", groups=[subject]), False


def _chosen(programme: Programme, wanted: list[str] | None) -> list[Group]:
    if not wanted:
        return list(programme.groups)
    known = {g.id for g in programme.groups}
    for group_id in wanted:
        if group_id not in known:
            fail(
                _("no group {group!r} in the document").format(group=Shown(group_id)),
                path="--group",
            )
    return [g for g in programme.groups if g.id in wanted]


def _away(items: list[str]) -> dict[str, list[Any]]:
    from emessi.scheduling import Blackout

    away: dict[str, list[Any]] = {}
    for item in items:
        person, sep, period = item.partition("=")
        first, sep2, last = period.partition(":")
        if not (sep and sep2):
            fail(
                _("--away takes PERSON=FIRST:LAST, e.g. f-01=2026-10-05:2026-10-09"), path="--away"
            )
        day, end = _day(first, "--away"), _day(last, "--away")
        if end < day:
            fail(_("a period's last day is before its first"), path="--away")
        away.setdefault(person, []).append(Blackout(day, end, _("away")))
    return away


def _holidays(args: argparse.Namespace) -> Any:
    from emessi.scheduling import PublicHolidays

    if args.no_holidays:
        return None
    return PublicHolidays(
        args.country, subdiv=args.subdiv, language=_holiday_language(args.lang, args.country)
    )


def _holiday_language(lang: str, country: str) -> str:
    """The ``holidays`` package's name of *lang* for *country*'s holiday names."""
    if lang == "sv":
        return "sv_FI" if country.upper() == "FI" else "sv"
    return {"en": "en_US"}.get(lang, lang)


def _adjustment(adjustment: Any) -> str:
    """One departure of a plan from its rule, as a line for people."""
    from emessi.scheduling.plan import AdjustmentKind

    day = f"{adjustment.original:%Y-%m-%d}"
    reason = _(adjustment.reason) if adjustment.reason else ""
    planned = f"{adjustment.planned:%Y-%m-%d %H:%M}" if adjustment.planned else ""
    if adjustment.kind is AdjustmentKind.SKIPPED:
        text = _("{day}: skipped ({reason})")
    elif adjustment.kind is AdjustmentKind.MOVED:
        text = _("{day}: moved to {planned} ({reason})")
    else:
        text = _("{day}: meeting {number} starts at {planned} ({reason})")
    return text.format(day=day, reason=reason, planned=planned, number=adjustment.number)


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
        return [_("Validation: {report}").format(report=report)]
    return [
        _("Validation: {report} (run 'emessi validate' on the result for the list)").format(
            report=report.summary()
        )
    ]


def _schedule(args: argparse.Namespace) -> int:
    outputs = Outputs(force=args.force)
    output = outputs.plan(Path(args.output) if args.output else Path(args.file))
    profile = resolve_profile(args.profile)
    args.profile = profile.name if profile else None  # a file's profile is registered
    programme, is_programme = _programme(args.file)
    if profile is not None:
        # The plan follows this profile from now on: the document says so.
        programme = attrs.evolve(programme, profile=profile.name)
    rules = dict(item.split("=", 1) for item in args.group_rule if "=" in item)
    if len(rules) != len(args.group_rule):
        fail(_("--group-rule takes GROUP=RULE"), path="--group-rule")
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
    lines += [*_report_lines(report), _("Wrote {path}").format(path=output)]
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
                _("no --rule, --group-rule or --availability for group {group!r}").format(
                    group=Shown(missing[0])
                ),
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
        lines = [_("No plan without double bookings was found; nothing was written:")]
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
            fail(_("no --rule for group {group!r}").format(group=Shown(group.id)), path="--rule")
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
            ngettext(
                "{group}: {n} meeting, {first} to {last} ({rule})",
                "{group}: {n} meetings, {first} to {last} ({rule})",
                len(starts),
            ).format(
                group=group_id,
                n=len(starts),
                first=f"{starts[0]:%Y-%m-%d}",
                last=f"{starts[-1]:%Y-%m-%d}",
                rule=plan.rule,
            )
        )
        lines += [f"    {_adjustment(a)}" for a in plan.adjustments]
        data["groups"][group_id] = {
            "rule": plan.rule,
            "starts": [s.isoformat() for s in starts],
            "adjustments": [str(a) for a in plan.adjustments],
        }
    if not planned:
        lines.append(_("Nothing to plan: every chosen group has meetings (use --replace)."))
    return result, data, lines


def _ics(args: argparse.Namespace) -> int:
    from emessi.io.ical import dumps_ical

    targets = [bool(args.output), bool(args.per_group), bool(args.per_person)]
    if sum(targets) != 1:
        fail(_("give one of -o FILE, --per-group DIR or --per-person DIR"), path="--output")
    outputs = Outputs(force=args.force)
    programme, _is_programme = _programme(args.file)
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
        emit(
            args,
            {"written": str(path), "events": meetings},
            ngettext("Wrote {n} event to {path}", "Wrote {n} events to {path}", meetings).format(
                n=meetings, path=path
            ),
        )
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
    if args.per_group:
        text = ngettext(
            "Wrote {n} calendar, one per group, to {folder}",
            "Wrote {n} calendars, one per group, to {folder}",
            len(written),
        )
    else:
        text = ngettext(
            "Wrote {n} calendar, one per person, to {folder}",
            "Wrote {n} calendars, one per person, to {folder}",
            len(written),
        )
    emit(args, {"written": written}, text.format(n=len(written), folder=folder))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``schedule`` and ``ics`` to *sub*."""
    p = sub.add_parser(
        "schedule",
        parents=[common],
        help=_("plan the groups' meetings"),
        description=_(
            "Plan (or re-plan with --replace) the meetings of a programme's groups, "
            "all at once so that no facilitator, observer or shared peer is in two meetings at "
            "once (with --buffer minutes between and at most --max-per-day a day), near each "
            "group's rule or on the slots of an availability poll, skipping public holidays, "
            "blackout periods and the staff's days away; then validate. With --same-rule, each "
            "group is planned on its own rule without looking at the others. Exit 0 when the "
            "plan has no errors, 1 when it has (or no plan without double bookings exists), "
            "2 for bad input."
        ),
    )
    p.add_argument("file", help=_("a programme or group document (.json or .toml)"))
    p.add_argument("--start", required=True, help=_("first day to plan from (YYYY-MM-DD)"))
    p.add_argument(
        "--rule",
        help=_(
            "recurrence for every group: friendly ('second Tuesday of each month at 14:00') "
            "or an RFC 5545 RRULE"
        ),
    )
    p.add_argument(
        "--group-rule",
        action="append",
        default=[],
        metavar="GROUP=RULE",
        help=_("a recurrence for one group (repeatable)"),
    )
    p.add_argument("--group", action="append", help=_("plan only this group (repeatable)"))
    p.add_argument(
        "--count", type=bounded("--count"), help=_("meetings per group (default: the profile's)")
    )
    p.add_argument(
        "--duration",
        type=bounded("--duration"),
        help=_("minutes per meeting (default: the profile's)"),
    )
    add_profile(
        p,
        _(
            "a profile name or a profile .toml file (default: the document's; "
            "a given one becomes the programme's)"
        ),
    )
    p.add_argument(
        "--country", default="FI", help=_("public holidays of this country (default FI)")
    )
    p.add_argument("--subdiv", help=_("a subdivision, e.g. 01 (Åland)"))
    p.add_argument("--no-holidays", action="store_true", help=_("do not skip public holidays"))
    p.add_argument(
        "--blackout",
        action="append",
        default=[],
        metavar="FIRST:LAST",
        help=_("a period without meetings, e.g. 2026-06-01:2026-08-15 (repeatable)"),
    )
    p.add_argument(
        "--availability",
        metavar="CSV",
        help=_(
            "availability answers, one row per person and slot (person, weekday, time, "
            "answer); 'emessi demo' writes one"
        ),
    )
    p.add_argument("--end", help=_("last day a meeting may fall on (YYYY-MM-DD)"))
    p.add_argument(
        "--away",
        action="append",
        default=[],
        metavar="PERSON=FIRST:LAST",
        help=_("days a person cannot come, e.g. f-01=2026-10-05:2026-10-09 (repeatable)"),
    )
    p.add_argument(
        "--buffer",
        type=int,
        default=30,
        help=_("minutes between one person's meetings (default 30)"),
    )
    p.add_argument(
        "--max-per-day", type=int, default=2, help=_("a person's most meetings a day (default 2)")
    )
    p.add_argument(
        "--seed", type=bounded("--seed"), default=0, help=_("the planner's random seed (default 0)")
    )
    p.add_argument(
        "--same-rule",
        action="store_true",
        help=_("plan each group on its own rule, not the cohort at once (no double-booking check)"),
    )
    p.add_argument("--replace", action="store_true", help=_("re-plan groups that have meetings"))
    p.add_argument(
        "-o", "--output", help=_("where to write the result (default: over FILE, with --force)")
    )
    add_force(p)
    p.set_defaults(handler=_schedule)

    p = sub.add_parser(
        "ics",
        parents=[common],
        help=_("export meetings as an iCalendar file"),
        description=_(
            "Write the meetings of a programme (or of chosen groups) as an "
            "iCalendar (.ics) file with stable UIDs, time zones and cancellations; or one file "
            "per group or per person."
        ),
    )
    p.add_argument("file", help=_("a programme or group document"))
    p.add_argument("--group", action="append", help=_("only this group (repeatable)"))
    p.add_argument("-o", "--output", help=_("the .ics file to write"))
    p.add_argument(
        "--per-group", metavar="DIR", help=_("write one calendar per group (GROUP.ics) to DIR")
    )
    p.add_argument(
        "--per-person",
        metavar="DIR",
        help=_("write one calendar per person (PERSON.ics, their groups' meetings) to DIR"),
    )
    p.add_argument(
        "--attendees",
        action="store_true",
        help=_("include participants' e-mail addresses (personal data; off by default)"),
    )
    add_force(p)
    p.set_defaults(handler=_ics)
