"""Sphinx extension: the rule, profile and format references, generated from the code.

Nothing here is copied by hand: at build time the directives ask emessi.

``.. emessi-rules::``
    A table of every registered validation rule (code, scope, default
    severity, summary), then one ``rule`` description per code with each
    scope's docstring. Rules are plain functions whose docstring is their
    documentation (:func:`emessi.rules.register_rule`).
``.. emessi-profiles::``
    A table comparing every built-in method profile (each number with its
    preferred and allowed range), then one ``profile`` description per
    profile with its description and the TOML it is loaded from, comments
    and citations included.
``.. emessi-provenance::``
    The explanation's table of every built-in claim (the eMessi profile's
    settings, the rules, the texts): its source and place, and what is
    emessi's own assumption.
``.. emessi-bands::``
    For each range of each built-in profile: the values with no finding, the
    tolerance band (a warning), the errors, and the errors under strict
    validation.
``.. emessi-formats::``
    The document formats emessi reads, with their classes and versions.
``.. emessi-fields:: emessi.Group``
    The keys of a class in a document: value type and default.

The object types ``rule`` and ``profile`` also give the roles
``:rule:`group-size``` and ``:profile:`emessi``` to link to them.

The ``*_lines`` functions return the generated reStructuredText, so
``tests/test_docs.py`` checks the same text the docs show.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from dataclasses import dataclass
from importlib import resources
from typing import Any

import attrs
from docutils import nodes
from docutils.parsers.rst.states import RSTState
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.domains.python import PyXRefRole
from sphinx.util.docutils import SphinxDirective

_SCOPES = ("meeting", "group", "programme")


def import_everything() -> None:
    """Import every emessi module, so every rule and format is registered.

    A module that needs a missing optional dependency at import time (such as
    ``emessi.testing`` without hypothesis) is skipped.
    """
    import emessi

    for info in pkgutil.walk_packages(emessi.__path__, "emessi.", onerror=lambda _: None):
        if info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except ImportError:
            continue


# -- rules -------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    """One registered rule: a code in one scope."""

    code: str
    scope: str
    severity: str
    doc: str
    source: str = ""
    assumption: str = ""

    @property
    def summary(self) -> str:
        """The first line of the docstring."""
        return self.doc.splitlines()[0] if self.doc else ""


def rule_rows() -> list[RuleRow]:
    """Every registered rule, sorted by code and then by scope."""
    import_everything()
    from emessi.rules import registered_rules

    rows = [
        RuleRow(
            r.code,
            r.scope,
            r.severity.value,
            inspect.cleandoc(r.check.__doc__ or ""),
            r.provenance.cited(),
            r.provenance.assumption,
        )
        for r in registered_rules()
    ]
    return sorted(rows, key=lambda row: (row.code, _SCOPES.index(row.scope)))


def _indent(text: str, prefix: str = "   ") -> list[str]:
    return [f"{prefix}{line}" if line else "" for line in text.splitlines()]


def rule_reference_lines() -> list[str]:
    """The reST of the rule reference: a summary table, then each rule."""
    rows = rule_rows()
    examples = rule_examples()
    lines = [
        ".. list-table:: Every rule, its scope and default severity",
        "   :header-rows: 1",
        "   :widths: 25 25 50",
        "   :class: emessi-table",
        "",
        "   * - Code",
        "     - Applies to (default severity)",
        "     - Checks that",
    ]
    for row in rows:
        lines += [
            f"   * - :rule:`{row.code}`",
            f"     - {row.scope} ({row.severity})",
            f"     - {row.summary or '(undocumented)'}",
        ]
    lines.append("")
    by_code: dict[str, list[RuleRow]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    for code, scoped in by_code.items():
        lines += [f".. rule:: {code}", ""]
        for row in scoped:
            lines += [
                f"   *Applies to a {row.scope}; default severity:* ``{row.severity}``",
                "",
                *_indent(row.doc or "(This rule has no docstring.)"),
                "",
                *_provenance_lines(row.source, row.assumption),
                *_example_lines(examples.get((row.code, row.scope))),
            ]
    return lines


def rule_examples() -> dict[tuple[str, str], tuple[str, str, str]]:
    """One example finding per built-in rule: (case name, English, Finnish).

    The subjects are the minimal breaches ``tests/test_rules.py`` checks
    each rule with (its ``CASES``), so every example shown here is tested.
    """
    import importlib.util
    from pathlib import Path

    from emessi.rules import validate

    path = Path(__file__).resolve().parents[2] / "tests" / "test_rules.py"
    spec = importlib.util.spec_from_file_location("_emessi_rule_cases", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the checkout has its tests
        return {}
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    examples: dict[tuple[str, str], tuple[str, str, str]] = {}
    for case in module.CASES:
        key = (case.code, case.scope)
        if key in examples:
            continue
        subject = case.build()
        pairs = zip(validate(subject).findings, validate(subject, lang="fi").findings, strict=True)
        found = [(f, g) for f, g in pairs if f.code == case.code and f.path == case.path]
        if found:
            english, finnish = found[0]
            examples[key] = (case.name, str(english), str(finnish))
    return examples


def _example_lines(example: tuple[str, str, str] | None) -> list[str]:
    if example is None:
        return []
    name, english, finnish = example
    return [
        f"   *Example finding* ({_rst(name)}), in English and in Finnish:",
        "",
        "   .. code-block:: text",
        "",
        f"      {english}",
        f"      {finnish}",
        "",
    ]


def _rst(text: str) -> str:
    """*text* safe inside reST prose (no markup starts by accident)."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("|", "\\|")


def _provenance_lines(source: str, assumption: str, indent: str = "   ") -> list[str]:
    lines = []
    if source:
        lines.append(f"{indent}**Source:** {_rst(source)}")
    if assumption:
        lines += [""] if lines else []
        lines.append(f"{indent}**emessi's assumption:** {_rst(assumption)}")
    if not lines:
        lines.append(f"{indent}**Source:** not stated")
    return [*lines, ""]


# -- profiles ----------------------------------------------------------------

#: Row labels of the profile table; a field missing here is still shown,
#: under its own name.
_LABELS = {
    "title": "Title",
    "sector": "Sector",
    "peers": "Peers per group",
    "meetings": "Meetings per group",
    "interval_days": "Days between meetings",
    "duration_minutes": "Meeting length (minutes)",
    "facilitators": "Facilitators per group",
    "observers": "Observers (technical support) per group",
    "workplace_size": "Staff of a peer's workplace",
    "closed": "Closed group",
    "observer_required": "Observer must fit the schedule",
    "separate_organisations": "Peers from different workplaces",
    "online": "Meets online",
    "severities": "Severity overrides",
    "disabled_rules": "Rules not run",
}
#: Shown per profile below the table, not in it.
_NOT_IN_TABLE = ("name", "description", "provenance")


def builtin_profile_names() -> list[str]:
    """The profiles that ship with emessi: the TOML files of its package data."""
    folder = resources.files("emessi.method").joinpath("data/profiles")
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def _builtin_text(name: str) -> str:
    folder = resources.files("emessi.method").joinpath("data/profiles")
    return folder.joinpath(f"{name}.toml").read_text("utf-8")


def _span(low: int, high: int) -> str:
    from emessi.method.profiles import UNBOUNDED

    if high >= UNBOUNDED:
        return "any" if low <= 1 else f"{low} or more"
    return str(low) if low == high else f"{low}-{high}"


def _cell(value: Any) -> str:
    from emessi.method.profiles import Bounds

    if isinstance(value, Bounds):
        preferred, allowed = _span(*value.preferred), _span(*value.allowed)
        return preferred if preferred == allowed else f"{preferred} (allowed {allowed})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        parts = [f":rule:`{code}`: {level.value}" for code, level in sorted(value.items())]
        return ", ".join(parts) or "none"
    if isinstance(value, tuple):
        return ", ".join(f":rule:`{code}`" for code in value) or "none"
    return str(value).strip().replace("\n", " ") or "-"


def profile_reference_lines(names: list[str] | None = None) -> list[str]:
    """The reST of the profile reference: a comparison table, then each profile."""
    import_everything()
    from emessi.method import MethodProfile, get_profile

    names = builtin_profile_names() if names is None else names
    profiles = [get_profile(name) for name in names]
    # the labels' order first (title and sector lead), then any newer field
    known = [f.name for f in attrs.fields(MethodProfile) if f.name not in _NOT_IN_TABLE]
    fields = [f for f in _LABELS if f in known] + [f for f in known if f not in _LABELS]
    lines = [
        ".. list-table:: The built-in profiles: preferred range (allowed range)",
        "   :header-rows: 1",
        "   :stub-columns: 1",
        "   :class: emessi-table",
        "",
        "   * - Setting",
        *[f"     - :profile:`{p.name}`" for p in profiles],
    ]
    for field in fields:
        lines.append(f"   * - {_LABELS.get(field, field)}")
        lines += [f"     - {_cell(getattr(p, field))}" for p in profiles]
    lines.append("")
    for profile in profiles:
        lines += [
            f".. profile:: {profile.name}",
            "",
            f"   **{profile.title or profile.name}** ({profile.sector or 'any sector'})",
            "",
            *_indent(profile.description.strip()),
            "",
            *_indent("\n".join(profile_provenance_lines(profile))),
            "",
            f"   Use it with ``get_profile({profile.name!r})``. It is loaded from this",
            "   TOML file of emessi's package data:",
            "",
            "   .. code-block:: toml",
            "",
            *_indent(_builtin_text(profile.name).strip(), "      "),
            "",
        ]
    return lines


def profile_settings(profile: Any) -> list[str]:
    """The settings of *profile* whose provenance it must state.

    Every range and every yes/no setting, the texts, and the severity
    overrides and disabled rules when it has any.
    """
    from emessi.method.profiles import OTHER_SETTINGS, RANGES

    return [
        *RANGES,
        *(
            s
            for s in OTHER_SETTINGS
            if s not in ("severities", "disabled_rules") or getattr(profile, s)
        ),
    ]


def profile_provenance_lines(profile: Any) -> list[str]:
    """The reST table: each setting of *profile*, its value, its source, emessi's part."""
    lines = [
        f".. list-table:: Where each setting of ``{profile.name}`` comes from",
        "   :header-rows: 1",
        "   :widths: 20 15 35 30",
        "   :class: emessi-table",
        "",
        "   * - Setting",
        "     - Value",
        "     - Source",
        "     - emessi's assumption",
    ]
    for setting in profile_settings(profile):
        provenance = profile.provenance_of(setting)
        value = (
            _cell(getattr(profile, setting))
            if setting not in ("title", "description")
            else "(text)"
        )
        lines += [
            f"   * - ``{setting}``",
            f"     - {value}",
            f"     - {_rst(provenance.cited()) or '-'}",
            f"     - {_rst(provenance.assumption) or '-'}",
        ]
    return [*lines, ""]


def provenance_table_lines() -> list[str]:
    """The reST of the explanation's table: claim | source | ours, for everything built in."""
    import_everything()
    from emessi.method import get_profile, text_provenance

    emessi = get_profile("emessi")
    rows: list[tuple[str, Any]] = []
    for setting in profile_settings(emessi):
        label = _LABELS.get(setting, setting)
        value = _cell(getattr(emessi, setting)) if setting not in ("title", "description") else ""
        claim = f"{label}: {value}" if value else label
        rows.append((f"eMessi profile: {claim}", emessi.provenance_of(setting)))
    from emessi.rules import registered_rules

    for registered in registered_rules():
        if registered.check.__module__.startswith("emessi."):
            rows.append(
                (f"rule :rule:`{registered.code}` ({registered.scope})", registered.provenance)
            )
    for key, provenance in text_provenance().items():
        rows.append((f"text ``{key}``", provenance))
    lines = [
        ".. list-table:: Every built-in claim: where it comes from, and what is emessi's",
        "   :header-rows: 1",
        "   :widths: 30 35 35",
        "   :class: emessi-table",
        "",
        "   * - Claim",
        "     - Source",
        "     - Ours (emessi's assumption)",
    ]
    for claim, provenance in rows:
        lines += [
            f"   * - {claim}",
            f"     - {_rst(provenance.cited()) or '-'}",
            f"     - {_rst(provenance.assumption) or '-'}",
        ]
    return [*lines, ""]


# -- bands: what each range gives, tolerant and strict --------------------------

#: The rule that grades each range of a profile.
RANGE_RULES = {
    "peers": "group-size",
    "meetings": "meeting-count",
    "interval_days": "meeting-rhythm",
    "duration_minutes": "meeting-duration",
    "facilitators": "facilitator-count",
    "observers": "observer-count",
    "workplace_size": "workplace-size",
}


def _outside(low: int, high: int) -> str:
    from emessi.method.profiles import UNBOUNDED

    parts = []
    if low > 0:
        parts.append(f"below {low}")
    if high < UNBOUNDED:
        parts.append(f"above {high}")
    return ", ".join(parts) or "never"


def _band(preferred: tuple[int, int], allowed: tuple[int, int]) -> str:
    parts = []
    if allowed[0] < preferred[0]:
        parts.append(_span(allowed[0], preferred[0] - 1))
    if preferred[1] < allowed[1]:
        parts.append(_span(preferred[1] + 1, allowed[1]))
    return ", ".join(parts) or "none"


def band_lines(names: list[str] | None = None) -> list[str]:
    """The reST table of each range: no finding, warning, error; and under strict."""
    import_everything()
    from emessi.method import get_profile

    names = builtin_profile_names() if names is None else names
    lines = [
        ".. list-table:: The ranges of the built-in profiles, tolerant and strict",
        "   :header-rows: 1",
        "   :class: emessi-table",
        "",
        "   * - Rule (setting)",
        "     - Profile",
        "     - No finding",
        "     - Warning (tolerance band)",
        "     - Error",
        "     - Error with ``strict=True``",
    ]
    for field, code in RANGE_RULES.items():
        for name in names:
            bounds = getattr(get_profile(name), field)
            lines += [
                f"   * - :rule:`{code}` (``{field}``)",
                f"     - :profile:`{name}`",
                f"     - {_span(*bounds.preferred)}",
                f"     - {_band(bounds.preferred, bounds.allowed)}",
                f"     - {_outside(*bounds.allowed)}",
                f"     - {_outside(*bounds.preferred)}",
            ]
    return [*lines, ""]


# -- formats -----------------------------------------------------------------


def format_rows() -> list[tuple[str, int, str]]:
    """Every document format: (name, current version, class path or '')."""
    import_everything()
    # The registry of formats is private to emessi; the docs read it to show
    # which class each format holds.
    from emessi._convert import FORMATS

    rows = []
    for name, (cls, version) in sorted(FORMATS.items()):
        public = not cls.__name__.startswith("_")
        rows.append((name, version, f"{cls.__module__}.{cls.__qualname__}" if public else ""))
    return rows


def format_reference_lines() -> list[str]:
    """The reST of the table of document formats."""
    lines = [
        ".. list-table:: Document formats",
        "   :header-rows: 1",
        "   :class: emessi-table",
        "",
        "   * - ``format``",
        "     - Current ``version``",
        "     - Holds",
    ]
    for name, version, path in format_rows():
        holds = f":emessi-class:`~{path}`" if path else "package data (internal)"
        lines += [f"   * - ``{name}``", f"     - {version}", f"     - {holds}"]
    return [*lines, ""]


def describe_type(kind: Any) -> str:
    """How a field of type *kind* is written in a document (reST)."""
    import datetime as dt
    import enum
    import types
    import typing

    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        text = " or ".join(describe_type(a) for a in rest)
        return f"{text}, or null" if len(rest) < len(args) else text
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"list of {describe_type(args[0])}"
        return "[" + ", ".join(describe_type(a) for a in args) + "]"
    if origin is dict:
        return f"table of {describe_type(args[0])} to {describe_type(args[1])}"
    simple = {
        str: "string",
        int: "integer",
        float: "number",
        bool: "true or false",
        dt.datetime: "date-time with zone (RFC 9557)",
        dt.date: "date (ISO 8601)",
        dt.timedelta: "whole minutes (integer)",
    }
    if kind in simple:
        return simple[kind]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "one of " + ", ".join(f"``{member.value}``" for member in kind)
    if isinstance(kind, type) and attrs.has(kind):
        return f":class:`~{kind.__module__}.{kind.__qualname__}` table"
    return f"``{kind}``"


def _default(field: Any) -> str:
    from emessi._convert import unstructure

    if field.default is attrs.NOTHING:
        return "**required**"
    value = field.default
    if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        value = value.factory()
    if value is None or value in ((), {}, ""):
        return "left out"
    return f"``{json.dumps(unstructure(value), ensure_ascii=False)}``"


def field_lines(dotted: str) -> list[str]:
    """A reST table of the document fields of the attrs class *dotted*."""
    import typing

    module_name, _, name = dotted.rpartition(".")
    cls = getattr(importlib.import_module(module_name), name)
    hints = typing.get_type_hints(cls)
    lines = [
        f".. list-table:: Fields of :class:`~{dotted}`",
        "   :header-rows: 1",
        "   :widths: 20 45 35",
        "   :class: emessi-table",
        "",
        "   * - Key",
        "     - Value",
        "     - Default",
    ]
    for field in attrs.fields(cls):
        lines += [
            f"   * - ``{field.name}``",
            f"     - {describe_type(hints[field.name])}",
            f"     - {_default(field)}",
        ]
    return [*lines, ""]


# -- directives ----------------------------------------------------------------


class _Generated(SphinxDirective):
    """Parses the reST a ``*_lines`` function returns."""

    def lines(self) -> list[str]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        if not isinstance(self.state, RSTState):
            raise self.error(f"{self.name} writes reStructuredText: use it inside {{eval-rst}}")
        container = nodes.container()
        source = self.get_source_info()[0]
        self.state.nested_parse(StringList(self.lines(), source=source), 0, container)
        return container.children


class RulesDirective(_Generated):
    """``.. emessi-rules::``: the rule reference."""

    def lines(self) -> list[str]:
        return rule_reference_lines()


class ProfilesDirective(_Generated):
    """``.. emessi-profiles::``: the profile reference."""

    def lines(self) -> list[str]:
        return profile_reference_lines()


class ProvenanceDirective(_Generated):
    """``.. emessi-provenance::``: claim | source | ours, for everything built in."""

    def lines(self) -> list[str]:
        return provenance_table_lines()


class BandsDirective(_Generated):
    """``.. emessi-bands::``: each range's bands, tolerant and strict."""

    def lines(self) -> list[str]:
        return band_lines()


class FormatsDirective(_Generated):
    """``.. emessi-formats::``: the table of document formats."""

    def lines(self) -> list[str]:
        return format_reference_lines()


class FieldsDirective(_Generated):
    """``.. emessi-fields:: emessi.Group``: the document fields of a class."""

    required_arguments = 1

    def lines(self) -> list[str]:
        return field_lines(self.arguments[0])


class OptionalClassRole(PyXRefRole):
    """``:emessi-class:`X```: a link to class X if it is documented, else its name.

    The formats table names every registered document class, including those
    of subpackages whose reference pages are not written yet; the API
    coverage test (``tests/test_docs.py``) is what insists on their docs.
    """

    def result_nodes(
        self, document: nodes.document, env: Any, node: nodes.Element, is_ref: bool
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        node["refdomain"], node["reftype"], node["emessi_optional"] = "py", "class", True
        return [node], []


def _unlinked_if_optional(
    app: Sphinx, env: Any, node: nodes.Element, contnode: nodes.Element
) -> nodes.Node | None:
    return contnode if node.get("emessi_optional") else None


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the object types and the directives."""
    app.add_object_type(
        "rule", "rule", objname="validation rule", indextemplate="pair: %s; validation rule"
    )
    app.add_object_type(
        "profile", "profile", objname="method profile", indextemplate="pair: %s; method profile"
    )
    app.add_directive("emessi-rules", RulesDirective)
    app.add_directive("emessi-profiles", ProfilesDirective)
    app.add_directive("emessi-formats", FormatsDirective)
    app.add_directive("emessi-bands", BandsDirective)
    app.add_directive("emessi-provenance", ProvenanceDirective)
    app.add_directive("emessi-fields", FieldsDirective)
    app.add_role("emessi-class", OptionalClassRole())
    # after every resolver that could find a real target
    app.connect("missing-reference", _unlinked_if_optional, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
