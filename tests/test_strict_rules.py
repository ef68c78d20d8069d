"""Issue 10 item 1 in emessi.rules: findings, reports, rules and validate().

validate() raises only for a wrong argument (never for content a
constructor accepted), names the parameter and never echoes the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

from emessi import Group, Meeting, Membership, Programme, Role, get_profile, register_profile
from emessi.errors import (
    EmessiError,
    ProfileError,
    UnknownProfileError,
    UnknownValueError,
    UsageError,
)
from emessi.method import Severity
from emessi.rules import (
    Breach,
    Context,
    Finding,
    Report,
    Rule,
    load_rules,
    register_rule,
    registered_rules,
    rule,
    rule_origin,
    unregister_rule,
    validate,
)

PLANTED = "Aino Virtanen aino@example.org"
START = datetime(2014, 1, 14, 12, tzinfo=UTC)


def _refused(error: type[EmessiError], path: str, call: Any) -> EmessiError:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.path == path
    assert "Aino" not in str(caught.value)
    assert caught.value.__cause__ is None
    return caught.value


def _check(subject: object, ctx: Context) -> Iterator[Breach]:
    """Nothing to report."""
    return iter(())


# -- validate -----------------------------------------------------------------


@pytest.mark.parametrize("profile", [5, 5.0, b"emessi", ["emessi"], {"name": "emessi"}])
def test_validate_with_a_profile_of_the_wrong_type_does_not_echo_it(profile: Any) -> None:
    """validate(g, 5) is a UsageError at profile; the 5 is not in the message (the old bug)."""
    error = _refused(UsageError, "profile", lambda: validate(Group("g-01"), profile))
    assert "5" not in error.message.replace("expected", "")
    assert "emessi" not in error.message


def test_validate_refuses_every_wrong_argument_at_its_parameter() -> None:
    """subject, lang, catalogue, strict and unknown keywords are checked."""
    group = Group("g-01")
    _refused(UsageError, "subject", lambda: validate(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "subject", lambda: validate(Membership("p-01")))  # type: ignore[arg-type]
    _refused(UsageError, "lang", lambda: validate(group, lang=PLANTED))
    _refused(UsageError, "lang", lambda: validate(group, lang=5))  # type: ignore[arg-type]
    _refused(UsageError, "catalogue", lambda: validate(group, catalogue=[PLANTED]))  # type: ignore[arg-type]
    _refused(UsageError, "strict", lambda: validate(group, strict=1))  # type: ignore[arg-type]
    _refused(UnknownProfileError, "", lambda: validate(group, PLANTED))
    with pytest.raises(UsageError, match="argument"):
        validate(group, colour="red")  # type: ignore[call-arg]
    with pytest.raises(UsageError, match="argument"):
        validate()  # type: ignore[call-arg]


def test_a_programme_whose_profile_names_unknown_rules_is_a_finding_not_an_error() -> None:
    """The programme's own profile is content: validate reports it and goes on."""
    typo = attrs.evolve(get_profile(), name="typo-rules", severities={"no-such-rule": "error"})
    register_profile(typo, replace=True)
    programme = Programme("p-1", profile="typo-rules", groups=[Group("g-01")])
    report = validate(programme)
    [note] = [f for f in report.findings if f.path == "profile"]
    assert note.code == "unknown-reference"
    assert "'no-such-rule'" in note.message
    assert report.by_code("group-size")
    with pytest.raises(ProfileError):  # passed as the argument: the caller's mistake
        validate(programme, typo)


def test_validate_never_raises_for_content_a_constructor_accepted() -> None:
    """Odd but accepted content (years at the ends, empty groups, huge numbers) gives findings."""
    late = datetime(2200, 12, 31, 23, tzinfo=UTC)
    early = datetime(1900, 1, 1, tzinfo=UTC)
    group = Group(
        "g-01",
        memberships=[Membership("p-01", "facilitator"), Membership("p-01")],  # type: ignore[arg-type]
        meetings=[Meeting(10**9, late), Meeting(1, early), Meeting(1, early)],
    )
    for subject in (group, Programme("p-1", profile="no-such-profile", groups=[group, group])):
        report = validate(subject, strict=True)
        assert not report.ok
        assert not [f for f in report.findings if "the rule failed" in f.message]


# -- findings, reports, breaches, contexts, rules -------------------------------


def test_finding_report_and_breach_check_their_fields() -> None:
    """Severities convert from their values; wrong types are UsageErrors at the field."""
    finding = Finding("a", "warning", "m", "x")  # type: ignore[arg-type]
    assert finding.severity is Severity.WARNING
    _refused(UnknownValueError, "severity", lambda: Finding("a", PLANTED, "m"))  # type: ignore[arg-type]
    _refused(UsageError, "code", lambda: Finding(None, Severity.INFO, "m"))  # type: ignore[arg-type]
    _refused(UsageError, "findings", lambda: Report(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "findings[0]", lambda: Report([PLANTED]))  # type: ignore[list-item]
    _refused(UsageError, "lang", lambda: Report(lang=5))  # type: ignore[arg-type]
    _refused(UsageError, "lang", lambda: Report().summary(5))  # type: ignore[arg-type]
    _refused(UsageError, "code", lambda: Report().by_code(5))  # type: ignore[arg-type]
    assert Report(iter([finding])).findings == (finding,)
    _refused(UsageError, "path", lambda: Breach(5, "m"))  # type: ignore[arg-type]
    _refused(UsageError, "message", lambda: Breach("", 5))  # type: ignore[arg-type]
    _refused(UsageError, "message", lambda: Breach("", {"en": 5}))  # type: ignore[dict-item]
    _refused(UsageError, "ranged", lambda: Breach("", "m", ranged="yes"))  # type: ignore[arg-type]
    _refused(UsageError, "lang", lambda: Breach("", "m").text(5))  # type: ignore[arg-type]
    assert Breach("", "m", "error").severity is Severity.ERROR  # type: ignore[arg-type]


def test_context_and_rule_check_their_fields() -> None:
    """A Context needs a profile; a Rule a known scope and a callable check."""
    _refused(UsageError, "profile", lambda: Context("emessi"))  # type: ignore[arg-type]
    _refused(UsageError, "themes", lambda: Context(get_profile(), themes="abc"))  # type: ignore[arg-type]
    _refused(UsageError, "people", lambda: Context(get_profile(), people=[1]))  # type: ignore[arg-type]
    _refused(UsageError, "strict", lambda: Context(get_profile(), strict=None))  # type: ignore[arg-type]
    assert Context(get_profile(), themes=["a", "b"]).themes == frozenset({"a", "b"})
    _refused(UnknownValueError, "scope", lambda: Rule("x", "cohort", Severity.ERROR, _check))  # type: ignore[arg-type]
    _refused(UsageError, "check", lambda: Rule("x", "group", Severity.ERROR, PLANTED))  # type: ignore[arg-type]


def test_rule_registration_functions_check_their_arguments() -> None:
    """register_rule, rule, unregister_rule, registered_rules, rule_origin and load_rules."""
    _refused(UsageError, "code", lambda: register_rule(5, _check, scope="group"))  # type: ignore[arg-type]
    _refused(UsageError, "check", lambda: register_rule("x-y", PLANTED, scope="group"))  # type: ignore[arg-type]
    _refused(UnknownValueError, "scope", lambda: register_rule("x-y", _check, scope=PLANTED))  # type: ignore[arg-type]
    _refused(
        UnknownValueError,
        "severity",
        lambda: register_rule("x-y", _check, scope="group", severity=PLANTED),
    )  # type: ignore[arg-type]
    _refused(
        UsageError,
        "provenance",
        lambda: register_rule("x-y", _check, scope="group", provenance=PLANTED),
    )  # type: ignore[arg-type]
    _refused(UsageError, "replace", lambda: register_rule("x-y", _check, scope="group", replace=1))  # type: ignore[arg-type]
    _refused(UsageError, "check", lambda: rule("x-y", scope="group")(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "code", lambda: unregister_rule(None))  # type: ignore[arg-type]
    _refused(UnknownValueError, "scope", lambda: unregister_rule("x-y", PLANTED))  # type: ignore[arg-type]
    _refused(UnknownValueError, "scope", lambda: registered_rules(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "registered", lambda: rule_origin(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "spec", lambda: load_rules(5))  # type: ignore[arg-type]
    assert "x-y" not in {r.code for r in registered_rules()}
    registered = register_rule("x-y", _check, scope="group", severity="info")  # type: ignore[arg-type]
    try:
        assert registered.severity is Severity.INFO
        assert rule_origin(registered).startswith("registered in code")
    finally:
        unregister_rule("x-y")


def test_a_rule_that_builds_a_wrong_breach_is_a_finding() -> None:
    """A plug-in rule whose Breach has a wrong type fails alone, as a finding."""

    def broken(group: Group, ctx: Context) -> Iterator[Breach]:
        """Builds a wrong breach."""
        yield Breach("name", 42)  # type: ignore[arg-type]

    register_rule("broken-breach", broken, scope="group")
    try:
        [finding] = validate(Group("g-01")).by_code("broken-breach")
    finally:
        unregister_rule("broken-breach")
    assert "UsageError" in finding.message
    assert finding.severity is Severity.ERROR


def test_memberships_built_from_role_values_validate() -> None:
    """Roles given as values are members: validate counts the facilitator."""
    group = Group("g-01", memberships=[Membership("f-01", "facilitator")])  # type: ignore[arg-type]
    assert "facilitator-count" not in validate(group).codes()
    assert len(list(group.members(Role.FACILITATOR))) == 1
