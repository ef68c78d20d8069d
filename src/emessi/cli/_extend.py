"""Profiles and rules from files and plug-ins: ``profiles``, ``profile new``, ``rules``.

Also what other commands share: ``--profile NAME|FILE`` and ``--rules
module:attribute``.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

import attrs

from emessi._i18n import _, pgettext
from emessi.cli._common import EXIT_OK, add_force, emit, fail
from emessi.cli._files import Outputs, read_text
from emessi.cli._table import render
from emessi.errors import ProfileError
from emessi.method import (
    MethodProfile,
    get_profile,
    profile_from_dict,
    profile_names,
    profile_origin,
    register_profile,
)

__all__ = ["add_profile", "add_rules", "load_rule_specs", "register", "resolve_profile"]

#: The rule that grades each range of a profile: its findings are warnings
#: outside the preferred range and errors outside the allowed one.
RANGE_RULES = {
    "peers": "group-size",
    "meetings": "meeting-count",
    "interval_days": "meeting-rhythm",
    "duration_minutes": "meeting-duration",
    "facilitators": "facilitator-count",
    "observers": "observer-count",
    "workplace_size": "workplace-size",
}

# What `emessi profile new` explains for each setting.
_SETTINGS = {
    "peers": "Peers per group.",
    "meetings": "Meetings per group (cancelled ones do not count).",
    "interval_days": "Days between consecutive meetings.",
    "duration_minutes": "Length of a meeting in minutes.",
    "facilitators": "Facilitators per group.",
    "observers": "Observers (technical support) per group.",
    "workplace_size": "Staff of a peer's workplace (the target group).",
    "closed": "Groups are closed to new peers once they have met.",
    "observer_required": "The observer must be able to attend the agreed schedule.",
    "separate_organisations": "Peers of one workplace should be in different groups.",
    "online": "Meetings are held online.",
    "severities": 'Per-rule severity, e.g. { "same-organisation" = "error" }.',
    "disabled_rules": 'Rule codes not run under this profile, e.g. ["workplace-size"].',
}


def add_profile(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """Add ``--profile NAME|FILE`` to *parser*."""
    parser.add_argument(
        "--profile",
        metavar="NAME|FILE",
        help=help_text
        or _("a profile name or a profile .toml file (default: the document's, else emessi)"),
    )


def add_rules(parser: argparse.ArgumentParser) -> None:
    """Add ``--rules MODULE[:ATTRIBUTE]`` to *parser*."""
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="MODULE[:ATTR]",
        help=_(
            "also run the rules of this module (repeatable): module or module:attribute, "
            "found in the current folder or on PYTHONPATH"
        ),
    )


def origin_text(origin: str) -> str:
    """Where a profile or rule came from, in the user's language."""
    kind, _space, rest = origin.partition(" ")
    if origin == "built-in":
        return _("built-in")
    if origin.startswith("registered in code"):
        return _("registered in code") + origin.removeprefix("registered in code")
    texts = {
        "file": _("file {where}"),
        "document": _("document {where}"),
        "module": _("module {where}"),
    }
    if kind in texts:
        return texts[kind].format(where=rest)
    if origin.startswith("entry point "):
        return _("entry point {where}").format(where=origin.removeprefix("entry point "))
    return origin


def _is_file(value: str) -> bool:
    return value.lower().endswith(".toml") or "/" in value or "\\" in value


def resolve_profile(value: str | None) -> MethodProfile | None:
    """The profile *value* names: a registered name, or a profile TOML file.

    A file's profile is registered under its own name (so a programme that
    names it validates under it, and documents written carry it inline); a
    file that reuses the name of a different profile is refused.
    """
    if value is None:
        return None
    if not _is_file(value):
        return get_profile(value)
    text = read_text(value)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        fail(_("not valid TOML ({reason})").format(reason=error), path=value)
    except RecursionError:
        fail(_("not valid TOML (nested too deeply)"), path=value)
    profile = profile_from_dict(data, source=Path(value).name)
    if profile.name in profile_names() and get_profile(profile.name) != profile:
        fail(
            _(
                "the file's profile is named {name!r}, like the profile of that name "
                "({origin}); give it a name of its own"
            ).format(name=profile.name, origin=origin_text(profile_origin(profile.name))),
            path=value,
        )
    return register_profile(profile, origin=f"file {value}")


def load_rule_specs(specs: list[str]) -> None:
    """Load ``--rules`` modules, searching the current folder first (like ``python -m``)."""
    if not specs:
        return
    from emessi.rules import load_rules

    if "" not in sys.path and str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    for spec in specs:
        load_rules(spec)


def _ranges(p: MethodProfile) -> str:
    return _("peers {peers}, meetings {meetings}, every {interval} days, {duration} min").format(
        peers=p.peers.describe(),
        meetings=p.meetings.describe(),
        interval=p.interval_days.describe(),
        duration=p.duration_minutes.describe(),
    )


def _profiles(args: argparse.Namespace) -> int:
    if args.format == "json":
        args.json = True
    extra = resolve_profile(args.profile)
    names = profile_names()
    if extra is not None and extra.name not in names:
        names.append(extra.name)
    profiles = [get_profile(name) for name in names]
    csv = args.format == "csv"  # CSV keeps stable values for scripts
    rows = [
        [
            p.name,
            profile_origin(p.name) if csv else origin_text(profile_origin(p.name)),
            p.title if csv else _(p.title),
        ]
        for p in profiles
    ]
    data = [{**_data(p), "origin": profile_origin(p.name)} for p in profiles]
    headers = ["name", "from", "title"] if csv else [_("name"), _("from"), _("title")]
    lines = render(headers, rows, args.format)
    if args.format == "table":
        lines += ["", *[f"{p.name}: {_ranges(p)}" for p in profiles]]
    emit(args, data, "\n".join(lines))
    return EXIT_OK


def _data(profile: MethodProfile) -> dict[str, Any]:
    from emessi.io.documents import to_data

    return to_data(profile)


def _severity(registered: Any, csv: bool) -> str:
    if registered.code in RANGE_RULES.values():
        return "warning/error by range" if csv else _("warning/error by range")
    return str(registered.severity.value if csv else registered.severity.label)


def _scope(scope: str) -> str:
    return {
        "meeting": pgettext("rule scope", "meeting"),
        "group": pgettext("rule scope", "group"),
        "programme": pgettext("rule scope", "programme"),
    }.get(scope, scope)


def _rules(args: argparse.Namespace) -> int:
    from emessi.rules import registered_rules, rule_origin

    if args.format == "json":
        args.json = True
    load_rule_specs(args.rules)
    registered = registered_rules()
    csv = args.format == "csv"  # CSV keeps stable values for scripts
    rows = [
        [
            r.code,
            r.scope if csv else _scope(r.scope),
            _severity(r, csv),
            rule_origin(r) if csv else origin_text(rule_origin(r)),
            r.summary,
        ]
        for r in registered
    ]
    headers = (
        ["code", "scope", "severity", "from", "checks that"]
        if csv
        else [_("code"), _("scope"), _("severity"), _("from"), _("checks that")]
    )
    data = [
        {
            "code": r.code,
            "scope": r.scope,
            "severity": r.severity.value,
            "graded_by_range": r.code in RANGE_RULES.values(),
            "origin": rule_origin(r),
            "doc": r.doc,
        }
        for r in registered
    ]
    emit(
        args,
        data,
        "\n".join(render(headers, rows, args.format)),
    )
    return EXIT_OK


def _toml(value: Any) -> str:
    """*value* (a profile setting) as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    return _toml(str(getattr(value, "value", value)))


def _key(key: str) -> str:
    return key if key.replace("_", "").isalnum() else _toml(key)


def template(name: str, base: MethodProfile) -> str:
    """A commented TOML profile that extends *base*, for ``emessi profile new``."""
    from emessi._convert import unstructure

    data = unstructure(base)
    lines = [
        f"# The method profile {name!r}: every number of the method, as data.",
        f"# Written by 'emessi profile new'. It extends the profile {base.name!r}: a setting you",
        "# leave commented out keeps that profile's value (shown). Uncomment and",
        "# change what differs in your sector, and say where each number comes from.",
        "#",
        "# A range has a preferred part (outside it: a warning) and an allowed part",
        "# (outside it: an error): { preferred = [MIN, MAX], allowed = [MIN, MAX] }.",
        "#",
        "# Use it:  emessi validate PROGRAMME.json --profile THIS-FILE.toml",
        'format = "emessi/profile"',
        "version = 1",
        f"name = {_toml(name)}",
        f"extends = {_toml(base.name)}",
        f"title = {_toml(name)}",
        f"sector = {_toml(base.sector)}",
        'description = "Where these numbers come from."',
    ]
    for setting, comment in _SETTINGS.items():
        value = data.get(setting, getattr(base, setting))
        lines += ["", f"# {comment}", f"# {setting} = {_toml(value)}"]
    return "\n".join(lines) + "\n"


def _profile_new(args: argparse.Namespace) -> int:
    name = args.name
    base = resolve_profile(args.extends) or get_profile()
    try:
        attrs.evolve(base, name=name)
    except ProfileError:
        fail("a profile name is a slug: letters, digits, - and _", path="NAME")
    outputs = Outputs(force=args.force)
    path = outputs.plan(Path(args.output or f"{name}.toml"))
    outputs.add(path, template(name, base).encode("utf-8"))
    outputs.commit()
    emit(
        args,
        {"written": str(path), "name": name, "extends": base.name},
        _(
            "Wrote {path}: the profile {name!r}, extending {base!r}.\n"
            "Edit it, then: emessi validate PROGRAMME.json --profile {path}"
        ).format(path=path, name=name, base=base.name),
    )
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``profiles``, ``profile`` and ``rules`` to *sub*."""
    formats = argparse.ArgumentParser(add_help=False)
    formats.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help=_("output format: aligned table (default), CSV, or JSON (as --json)"),
    )
    p = sub.add_parser(
        "profiles",
        parents=[common, formats],
        help=_("list the method profiles and where each came from"),
        description=_(
            "List every available method profile (built in, from an entry point of "
            "the emessi.profiles group, or from a file) and its numbers."
        ),
    )
    p.add_argument("--profile", metavar="FILE", help=_("also list the profile of this .toml file"))
    p.set_defaults(handler=_profiles)

    p = sub.add_parser(
        "profile",
        help=_("start a profile for another sector"),
        description=_("Work with profile files."),
    )
    actions = p.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    new = actions.add_parser(
        "new",
        parents=[common],
        help=_("write a commented profile TOML to start from"),
        description=_(
            "Write NAME.toml (or -o FILE): a profile that extends another "
            "(emessi by default), every setting explained and commented out."
        ),
    )
    new.add_argument("name", help=_("the new profile's name (a slug)"))
    new.add_argument(
        "--extends", default="emessi", metavar="NAME|FILE", help=_("the profile to start from")
    )
    new.add_argument("-o", "--output", metavar="FILE", help=_("where to write (default NAME.toml)"))
    add_force(new)
    new.set_defaults(handler=_profile_new)

    p = sub.add_parser(
        "rules",
        parents=[common, formats],
        help=_("list the validation rules and where each came from"),
        description=_(
            "List every validation rule: built in, from an entry point of the "
            "emessi.rules group, or from --rules."
        ),
    )
    add_rules(p)
    p.set_defaults(handler=_rules)
