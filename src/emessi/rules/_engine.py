"""The validation engine: rules, findings, reports and ``validate``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, TypeAlias

import attrs

from emessi._i18n import LazyText, _, check_language, get_language, lazy_gettext, translation
from emessi.errors import InvalidPlanError, ProfileError, UnknownProfileError, UsageError
from emessi.method._severity import Severity
from emessi.method.profiles import MethodProfile
from emessi.method.registry import get_profile
from emessi.method.themes import ThemeCatalogue, default_catalogue
from emessi.model._checks import Shown, safe_id
from emessi.model._strict import checked, strict
from emessi.model.groups import Group
from emessi.model.meetings import Meeting
from emessi.model.people import Organisation, Person, Role
from emessi.model.programme import Programme
from emessi.provenance import Provenance

__all__ = [
    "Breach",
    "Context",
    "Finding",
    "Report",
    "Rule",
    "register_rule",
    "registered_rules",
    "rule",
    "unregister_rule",
    "validate",
]

Scope: TypeAlias = Literal["meeting", "group", "programme"]
Message: TypeAlias = str | Mapping[str, str] | LazyText


@checked
@attrs.frozen(field_transformer=strict)
class Finding:
    """One departure from the method, found by a rule.

    Args:
        code: The rule's stable slug, e.g. ``"group-size"``.
        severity: Error, warning or info.
        message: A readable message in the requested language; it names
            ids, never names or e-mails.
        path: Where the problem is, relative to the validated object, e.g.
            ``groups["g-03"].meetings[2].start``.

    Example:
        >>> Finding("group-size", Severity.WARNING, "7 peers", 'groups["g-01"].memberships')
        Finding(code='group-size', severity=<Severity.WARNING: 'warning'>, message='7 peers', path='groups["g-01"].memberships')

    .. versionadded:: 0.1.0

    """

    code: str
    severity: Severity
    message: str
    path: str = ""

    def __str__(self) -> str:
        # As wide as the longest severity word of the language, plus a space.
        width = max(len(severity.label) for severity in Severity) + 1
        # The code column keeps one space after even the longest code.
        return f"{self.severity.label:<{width}}{self.code:<19} {self.path or '.'}: {self.message}"


def _findings(values: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(values)


@checked
@attrs.frozen(field_transformer=strict)
class Report:
    """The findings of one validation, in a stable order.

    Example:
        >>> from emessi import Group, validate
        >>> report = validate(Group("g-01"))
        >>> report.ok, [f.code for f in report.errors]
        (False, ['group-size', 'facilitator-count'])
        >>> print(report.summary())
        2 errors, 1 warning, 1 note

    .. versionadded:: 0.1.0

    """

    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)
    #: The language the findings were made in; the summary speaks it too
    #: (None: the current language, see :func:`emessi.set_language`).
    lang: str | None = attrs.field(default=None, kw_only=True)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that break the method."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that depart from the method's preferred numbers."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings are allowed)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def codes(self) -> set[str]:
        """The codes of all findings.

        Example:
            >>> Report([Finding("a", Severity.INFO, "x")]).codes()
            {'a'}

        """
        return {f.code for f in self.findings}

    @checked
    def by_code(self, code: str) -> tuple[Finding, ...]:
        """The findings of rule *code*.

        Example:
            >>> len(Report().by_code("group-size"))
            0

        """
        return tuple(f for f in self.findings if f.code == code)

    @checked
    def summary(self, lang: str | None = None) -> str:
        """A one-line count, e.g. ``1 error, 2 warnings``, in the report's language.

        Args:
            lang: ``"en"``, ``"fi"`` or ``"sv"``; by default the language
                the report was made in.

        Example:
            >>> Report([Finding("a", Severity.ERROR, "x")]).summary("sv")
            '1 fel, 0 varningar'

        """
        catalogue = translation(check_language(lang or self.lang or get_language()))
        errors, warnings = len(self.errors), len(self.warnings)
        notes = len(self.findings) - errors - warnings
        parts = [
            catalogue.ngettext("{n} error", "{n} errors", errors).format(n=errors),
            catalogue.ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        ]
        if notes:
            parts.append(catalogue.ngettext("{n} note", "{n} notes", notes).format(n=notes))
        return ", ".join(parts)

    def raise_for_errors(self) -> Report:
        """Raise :class:`~emessi.errors.InvalidPlanError` if there are errors.

        Returns the report itself otherwise, so calls chain.

        Example:
            >>> Report().raise_for_errors().ok
            True

        """
        if not self.ok:
            raise InvalidPlanError(self)
        return self

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __str__(self) -> str:
        lines = [self.summary()]
        lines += [f"  {finding}" for finding in self.findings]
        return "\n".join(lines)


@checked
@attrs.frozen(field_transformer=strict)
class Breach:
    """What a rule yields: a path, a message, and optionally a severity.

    Args:
        path: Relative to the rule's subject (``"memberships[2].joined"``).
        message: English text, ``{"en": ..., "fi": ..., "sv": ...}``, or a
            text from the catalogues (``emessi._i18n.lazy_gettext``).
        severity: None for the rule's default severity.
        ranged: True when the breach is a value outside a profile's
            preferred range (:class:`~emessi.Bounds`): strict validation
            makes it an error whatever the profile's severity overrides.

    Example:
        >>> Breach("duration", {"en": "too long", "fi": "liian pitkä"}).text("fi")
        'liian pitkä'

    .. versionadded:: 0.1.0

    """

    path: str
    message: Message
    severity: Severity | None = None
    ranged: bool = attrs.field(default=False, kw_only=True)

    @checked
    def text(self, lang: str) -> str:
        """The message in *lang*, falling back to English."""
        if isinstance(self.message, str):
            return self.message
        if isinstance(self.message, LazyText):
            return self.message.render(lang)
        return self.message.get(lang) or self.message.get("en") or ""


@checked
@attrs.frozen(field_transformer=strict)
class Context:
    """What a rule sees besides its subject.

    Attributes:
        profile: The method profile in force.
        themes: Ids of every known theme (catalogue, programme, group).
        programme: The programme being validated, if any.
        group: The group a meeting belongs to, if any.
        people: The programme's people by id (empty without a programme).
        organisations: The programme's organisations by id.
        steady_members: Ids of the group's members with no joining or
            leaving date (members on every day), computed once per group.
        steady_peers: The same for peers.
        strict: Whether validation is strict: a value outside a profile's
            preferred range is an error (:meth:`~emessi.Bounds.severity`
            with ``strict=True``).

    Example:
        >>> from emessi import get_profile
        >>> Context(get_profile()).programme is None
        True

    .. versionadded:: 0.1.0

    """

    profile: MethodProfile
    themes: frozenset[str] = frozenset()
    programme: Programme | None = None
    group: Group | None = None
    people: Mapping[str, Person] = attrs.field(factory=dict)
    organisations: Mapping[str, Organisation] = attrs.field(factory=dict)
    steady_members: frozenset[str] = frozenset()
    steady_peers: frozenset[str] = frozenset()
    strict: bool = False


Check: TypeAlias = Callable[[Any, Context], Iterable[Breach]]


@checked
@attrs.frozen(field_transformer=strict)
class Rule:
    """A registered rule: a stable code, a scope, a default severity, a check.

    Attributes:
        code: The stable slug of its findings.
        scope: ``"meeting"``, ``"group"`` or ``"programme"``.
        severity: The severity of a finding that sets none.
        check: The function that yields :class:`Breach` values.
        provenance: Where the rule comes from: the source and place, or
            emessi's assumption and why (not stated for a rule registered
            without one).

    Example:
        >>> [r.code for r in registered_rules("meeting")][:2]
        ['meeting-duration', 'agenda-fits']
        >>> print(registered_rules("meeting")[0].provenance)
        eMessi2 project description (Humak University of Applied Sciences, 2015), "eMessi meetings lasting 1.5-2 hours"

    .. versionadded:: 0.1.0

    """

    code: str
    scope: Scope
    severity: Severity
    check: Check = attrs.field(eq=False)
    provenance: Provenance = attrs.field(factory=Provenance, eq=False, repr=False)

    @property
    def doc(self) -> str:
        """The rule's documentation: its check's docstring."""
        return (self.check.__doc__ or "").strip()

    @property
    @checked
    def summary(self) -> str:
        """The first line of the documentation, translated when the catalogues know it."""
        return _(self.doc.splitlines()[0]) if self.doc else ""


_RULES: dict[tuple[str, Scope], Rule] = {}


@checked
def register_rule(
    code: str,
    check: Check,
    *,
    scope: Scope,
    severity: Severity = Severity.ERROR,
    replace: bool = False,
    provenance: Provenance | None = None,
) -> Rule:
    """Register *check* as rule *code* for subjects of *scope*.

    A code may be registered once per scope (``meeting-overlap`` has a
    group and a programme part). The check's docstring is the rule's
    documentation, so write one, and say where the rule comes from with
    *provenance*.

    Raises:
        ProfileError: the code is taken and *replace* is false.
        UsageError: *provenance* is not a :class:`~emessi.provenance.Provenance`.

    Example:
        >>> def short_names(group, ctx):
        ...     '''Group names are at most 40 characters.'''
        ...     if len(group.name) > 40:
        ...         yield Breach("name", "the name is longer than 40 characters")
        >>> register_rule("short-name", short_names, scope="group", severity=Severity.WARNING).code
        'short-name'
        >>> unregister_rule("short-name")

    .. versionadded:: 0.1.0

    """
    if scope not in ("meeting", "group", "programme"):
        raise UsageError(_("unknown scope {scope}").format(scope=safe_id(scope)), path="scope")
    if (code, scope) in _RULES and not replace:
        raise ProfileError(
            _("a {scope} rule {code} is already registered").format(
                scope=scope, code=safe_id(code)
            ),
            path="code",
        )
    if provenance is None:
        provenance = Provenance()
    elif not isinstance(provenance, Provenance):
        raise UsageError(_("expected a Provenance"), path="provenance")
    registered = Rule(code, scope, severity, check, provenance)
    _RULES[(code, scope)] = registered
    return registered


@checked
def unregister_rule(code: str, scope: Scope | None = None) -> None:
    """Remove rule *code* (of one *scope*, or of every scope).

    Raises:
        UsageError: no rule *code* (of that *scope*) is registered.

    Example:
        >>> unregister_rule("no-such-rule")
        Traceback (most recent call last):
        ...
        emessi.errors.UsageError: code: no rule 'no-such-rule' is registered

    .. versionadded:: 0.1.0

    """
    keys = [key for key in _RULES if key[0] == code and scope in (None, key[1])]
    if not keys:
        raise UsageError(_("no rule {code} is registered").format(code=safe_id(code)), path="code")
    for key in keys:
        del _RULES[key]


@checked
def rule(
    code: str,
    *,
    scope: Scope,
    severity: Severity = Severity.ERROR,
    provenance: Provenance | None = None,
) -> Callable[[Check], Check]:
    """Decorator form of :func:`register_rule`.

    Example:
        >>> from emessi.provenance import Provenance
        >>> @rule("has-link", scope="group", severity=Severity.INFO,
        ...       provenance=Provenance(assumption="our platform needs a link a week ahead"))
        ... def has_link(group, ctx):
        ...     '''An online group has a meeting link.'''
        ...     if ctx.profile.online and not group.link:
        ...         yield Breach("link", "no online meeting link yet")
        >>> from emessi import Group, validate
        >>> validate(Group("g-01")).by_code("has-link")[0].message
        'no online meeting link yet'
        >>> unregister_rule("has-link")

    .. versionadded:: 0.1.0

    """

    def decorate(check: Check) -> Check:
        register_rule(code, check, scope=scope, severity=severity, provenance=provenance)
        return check

    return decorate


@checked
def registered_rules(scope: Scope | None = None) -> list[Rule]:
    """The registered rules, in registration order (optionally of one scope).

    Example:
        >>> "closed-membership" in {r.code for r in registered_rules()}
        True

    .. versionadded:: 0.1.0

    """
    from emessi.rules._plugins import load_rule_plugins

    load_rule_plugins()
    return [r for r in _RULES.values() if scope is None or r.scope == scope]


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _copy(ctx: Context, **changes: Any) -> Context:
    """*ctx* with *changes*, without the run-time checks of the constructor.

    validate() makes one Context per group from values it built itself;
    checking the programme's people and organisations again for each group
    would cost more than the rules.
    """
    copy = object.__new__(Context)
    for field in _CONTEXT_FIELDS:
        object.__setattr__(copy, field, changes.get(field, getattr(ctx, field)))
    return copy


_CONTEXT_FIELDS = tuple(a.name for a in attrs.fields(Context))


class _Run:
    def __init__(self, profile: MethodProfile, lang: str, strict: bool) -> None:
        self.profile = profile
        self.lang = lang
        self.strict = strict
        self.findings: list[Finding] = []
        self.active = {
            scope: [r for r in registered_rules(scope) if profile.enabled(r.code)]
            for scope in ("meeting", "group", "programme")
        }

    def run(self, scope: Scope, subject: object, ctx: Context, prefix: str) -> None:
        for registered in self.active[scope]:
            # A rule (a plug-in's too) that raises, or yields something that
            # is not a Breach, fails alone: one finding, and validation goes on.
            try:
                breaches = list(registered.check(subject, ctx))
                if not breaches:  # the common case: no frame for a comprehension
                    continue
                found = [self.finding(registered, breach, prefix) for breach in breaches]
            except Exception as error:
                failed = Breach(
                    "",
                    lazy_gettext(
                        "the rule failed ({error}); please report it",
                        error=type(error).__name__,
                    ),
                    Severity.ERROR,
                )
                found = [self.finding(registered, failed, prefix)]
            self.findings.extend(found)

    def finding(self, registered: Rule, breach: Breach, prefix: str) -> Finding:
        if not isinstance(breach, Breach):
            raise UsageError(
                _("a rule yields Breach values, not {actual}").format(actual=type(breach).__name__)
            )
        default = breach.severity or registered.severity
        severity = self.profile.severity_for(registered.code, default)
        if self.strict and breach.ranged:
            severity = Severity.ERROR
        return Finding(
            registered.code, severity, breach.text(self.lang), _join(prefix, breach.path)
        )

    def group(self, group: Group, ctx: Context, prefix: str) -> None:
        steady = [m for m in group.memberships if m.joined is None and m.left is None]
        ctx = _copy(
            ctx,
            group=group,
            themes=ctx.themes | {t.id for t in group.themes} if group.themes else ctx.themes,
            steady_members=frozenset(m.person for m in steady),
            steady_peers=frozenset(m.person for m in steady if m.role is Role.PEER),
        )
        self.run("group", group, ctx, prefix)
        for index, meeting in enumerate(group.meetings):
            self.run("meeting", meeting, ctx, _join(prefix, f"meetings[{index}]"))


@checked
def validate(
    subject: Meeting | Group | Programme,
    profile: MethodProfile | str | None = None,
    *,
    lang: str | None = None,
    catalogue: ThemeCatalogue | None = None,
    strict: bool = False,
) -> Report:
    """Check *subject* against the method and report every finding.

    Runs the rules that apply to the subject: a programme's rules, then each
    group's, then each meeting's. Validation never raises for invalid
    content and never mutates; it raises only for a misuse of the API.

    Args:
        subject: A :class:`~emessi.Meeting`, :class:`~emessi.Group` or
            :class:`~emessi.Programme`.
        profile: A profile or its name; by default the programme's profile,
            else eMessi.
        lang: ``"en"``, ``"fi"`` or ``"sv"`` for the messages; by default
            the current language (:func:`emessi.get_language`).
        catalogue: Known themes; by default the built-in catalogue.
        strict: Treat the profile's preferred ranges as the only ones
            allowed: a value outside a preferred range (5 or 9 meetings under
            eMessi's 6-8) is an error instead of a warning. Findings that do
            not grade a number (``same-organisation``, ``meeting-order``, ...)
            keep their severity.

    Raises:
        UsageError: an argument of the wrong type (*subject* not a meeting,
            group or programme, *profile* neither a profile nor a name,
            *strict* not a bool, ...) or an unknown *lang*; the message
            names the parameter, never its value.
        UnknownProfileError: no profile has the name passed as *profile*.
        ProfileError: the profile passed as *profile* overrides or disables
            an unknown rule.

    Nothing in *subject* makes it raise: a programme's own unknown profile,
    or its profile naming unknown rules, is an ``unknown-reference``
    finding, and a rule that fails on odd content is a finding too.

    Example:
        >>> from emessi import Group, Membership, Role, validate
        >>> group = Group("g-01", memberships=[Membership(f"p-0{i}") for i in range(1, 7)]
        ...     + [Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)])
        >>> validate(group).codes()
        {'meeting-count'}
        >>> print(validate(group, lang="fi").findings[0].message)
        Tapaamisia ei ole vielä suunniteltu; profiilin emessi suositus on 6-8 (sallittu 5-10).
        >>> print(validate(group, lang="sv").summary())
        0 fel, 0 varningar, 1 anmärkning

    .. versionadded:: 0.1.0

    """
    lang = get_language() if lang is None else check_language(lang)
    if not isinstance(strict, bool):
        raise UsageError(_("strict is True or False"), path="strict")
    if not isinstance(subject, Meeting | Group | Programme):
        raise UsageError(
            _("validate() takes a Meeting, Group or Programme, not {actual}").format(
                actual=type(subject).__name__
            )
        )
    notes: list[Finding] = []
    from_content = profile is None and isinstance(subject, Programme)
    if profile is None and isinstance(subject, Programme):
        # The programme's own profile name is content: an unknown one (or a
        # plug-in profile that failed to load) is a finding, and the default
        # profile stands in, so validation goes on.
        try:
            resolved = get_profile(subject.profile)
        except (UnknownProfileError, ProfileError):
            resolved = get_profile()
            notes.append(
                Finding(
                    "unknown-reference",
                    Severity.ERROR,
                    lazy_gettext(
                        "no method profile named {name!r} is available; validated under {default!r}.",
                        name=Shown(subject.profile),
                        default=Shown(resolved.name),
                    ).render(lang),
                    "profile",
                )
            )
    else:
        resolved = get_profile(profile)
    known = {r.code for r in registered_rules()}
    unknown = (set(resolved.severities) | set(resolved.disabled_rules)) - known
    if unknown:
        codes = ", ".join(safe_id(code) for code in sorted(unknown))
        if not from_content:
            raise ProfileError(
                _("profile {profile} names unknown rules: {codes}").format(
                    profile=safe_id(resolved.name), codes=codes
                ),
                path="severities",
            )
        # the programme's profile is content: say so, ignore those codes, go on
        ignored = lazy_gettext(
            "profile {profile} names unknown rules: {codes}; they were ignored",
            profile=safe_id(resolved.name),
            codes=codes,
        )
        notes.append(Finding("unknown-reference", Severity.ERROR, ignored.render(lang), "profile"))
    themes = (catalogue if catalogue is not None else default_catalogue()).ids()
    run = _Run(resolved, lang, strict)
    run.findings.extend(notes)
    ctx = Context(resolved, themes, strict=strict)
    if isinstance(subject, Meeting):
        run.run("meeting", subject, ctx, "")
    elif isinstance(subject, Group):
        run.group(subject, ctx, "")
    else:
        ctx = _copy(
            ctx,
            programme=subject,
            themes=themes | {t.id for t in subject.themes},
            people={p.id: p for p in subject.people},
            organisations={o.id: o for o in subject.organisations},
        )
        run.run("programme", subject, ctx, "")
        for group in subject.groups:
            run.group(group, ctx, f'groups["{group.id}"]')
    return Report(tuple(run.findings), lang=lang)
