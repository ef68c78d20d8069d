"""Issue 10 item 1 in emessi.method: profiles, bounds, the catalogue and the process.

A wrong type is a UsageError (a TypeError) naming the field or parameter;
a wrong value of the right type stays a ProfileError (or the DomainError
the function documents); no message echoes the value.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from emessi import Group, Meeting, Theme
from emessi.errors import (
    DocumentError,
    DomainError,
    EmessiError,
    ProfileError,
    UnknownMemberError,
    UnknownValueError,
    UsageError,
)
from emessi.method import (
    Bounds,
    MeetingKind,
    MeetingPlan,
    MethodProfile,
    Severity,
    ThemeCatalogue,
    agenda_for,
    default_catalogue,
    default_ground_rules,
    get_profile,
    load_profile,
    profile_from_dict,
    profile_origin,
    register_profile,
    session_framework,
    with_agendas,
)
from emessi.provenance import Provenance

#: Planted in wrong values: it must never appear in a message.
PLANTED = "Aino Virtanen aino@example.org"


def _refused(error: type[EmessiError], path: str, call: Any, *, exact: bool = True) -> EmessiError:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.path == path if exact else caught.value.path.startswith(path)
    assert "Aino" not in str(caught.value)
    assert caught.value.__cause__ is None
    return caught.value


# -- Severity and MeetingKind are Choices -------------------------------------


def test_severity_and_meeting_kind_refuse_unknown_values_and_members() -> None:
    """An unknown value lists the allowed ones; an unknown member name is an emessi error."""
    assert Severity("warning") is Severity.WARNING
    assert MeetingKind("closing") is MeetingKind.CLOSING
    with pytest.raises(UnknownValueError, match="'info', 'warning', 'error'"):
        Severity(PLANTED)
    with pytest.raises(UnknownValueError, match="'first', 'theme', 'closing'"):
        MeetingKind(PLANTED)
    with pytest.raises(UnknownMemberError, match="INFO, WARNING, ERROR"):
        Severity.FATAL  # noqa: B018
    assert not hasattr(MeetingKind, "OPENING")


# -- Bounds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("preferred", "allowed", "path"),
    [
        ("56", (3, 8), "preferred"),
        ((5, 6), None, "allowed"),
        ((5, PLANTED), (3, 8), "preferred[1]"),
        ((5, True), (3, 8), "preferred[1]"),
        ((5, 6.0), (3, 8), "preferred[1]"),
        ({5: 6}, (3, 8), "preferred"),
    ],
)
def test_bounds_of_a_wrong_type(preferred: Any, allowed: Any, path: str) -> None:
    """A range is a pair of integers: anything else is a UsageError at the field."""
    _refused(UsageError, path, lambda: Bounds(preferred, allowed))


def test_a_pair_of_the_wrong_length_says_what_was_expected() -> None:
    """The fixed-tuple check (model._strict) says 'expected a tuple of 2 items, not 3 items'."""
    error = _refused(UsageError, "preferred", lambda: Bounds((1, 2, 3), (0, 4)))  # type: ignore[arg-type]
    assert error.message == "expected a tuple of 2 items, not 3 items"


def test_bounds_values_keep_their_profile_error_and_huge_ones_a_domain_error() -> None:
    """An inconsistent range is a ProfileError; a 5,000-digit end is out of the domain."""
    _refused(ProfileError, "preferred", lambda: Bounds((6, 5), (3, 8)))
    _refused(DomainError, "allowed[1]", lambda: Bounds((5, 6), (3, 10**5000)))
    assert Bounds([5, 6], [3, 8]) == Bounds((5, 6), (3, 8))  # a list from TOML or JSON


def test_bounds_provenance_and_methods_check_their_arguments() -> None:
    """provenance, exactly() and severity() refuse wrong types."""
    _refused(UsageError, "provenance", lambda: Bounds((1, 2), (1, 3), provenance=PLANTED))
    _refused(UsageError, "value", lambda: Bounds.exactly(PLANTED))  # type: ignore[arg-type]
    _refused(ProfileError, "value", lambda: Bounds.exactly(-1))
    peers = Bounds((5, 6), (3, 8))
    _refused(UsageError, "value", lambda: peers.severity(PLANTED))  # type: ignore[arg-type]
    _refused(DomainError, "value", lambda: peers.severity(float("nan")))
    _refused(UsageError, "strict", lambda: peers.severity(5, strict="yes"))  # type: ignore[arg-type]
    assert peers.severity(7.5) is Severity.WARNING


# -- MethodProfile ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", 7, UsageError),
        ("name", PLANTED, ProfileError),
        ("peers", (5, 6), UsageError),
        ("peers", {"preferred": [5, 6], "allowed": [3, 8]}, UsageError),
        ("title", ["x"], UsageError),
        ("title", "x" * 10_001, DomainError),
        ("description", "\ud800", DomainError),
        ("closed", "yes", UsageError),
        ("online", 1, UsageError),
        ("severities", [("group-size", "error")], UsageError),
        ("severities", {7: "error"}, UsageError),
        ("severities", {"group-size": 2}, UsageError),
        ("severities", {"group-size": PLANTED}, ProfileError),
        ("disabled_rules", "group-size", UsageError),
        ("disabled_rules", [7], UsageError),
        ("provenance", PLANTED, UsageError),
        ("provenance", {"closed": PLANTED}, UsageError),
        ("provenance", {"peers": Provenance("emessi2")}, ProfileError),
    ],
)
def test_method_profile_field_by_field(field: str, value: Any, error: type[EmessiError]) -> None:
    """Each field refuses a wrong type (UsageError) or a wrong value (its own error)."""
    caught = _refused(
        error, field, lambda: attrs.evolve(get_profile(), **{field: value}), exact=False
    )
    assert field in str(caught)


def test_method_profile_converts_severity_values_and_refuses_wrong_methods_calls() -> None:
    """Severity values become members; the methods check their arguments."""
    profile = attrs.evolve(get_profile(), severities={"group-size": "error"})
    assert profile.severities == {"group-size": Severity.ERROR}
    assert profile.severity_for("group-size", "info") is Severity.ERROR  # type: ignore[arg-type]
    _refused(UsageError, "code", lambda: profile.enabled(7))  # type: ignore[arg-type]
    _refused(UsageError, "setting", lambda: profile.provenance_of(None))  # type: ignore[arg-type]
    _refused(UnknownValueError, "default", lambda: profile.severity_for("x", PLANTED))  # type: ignore[arg-type]


# -- the registry -------------------------------------------------------------


def test_registry_functions_refuse_wrong_types() -> None:
    """get_profile, register_profile, profile_origin and load_profile check their arguments."""
    _refused(UsageError, "name", lambda: get_profile(7))  # type: ignore[arg-type]
    _refused(UsageError, "profile", lambda: register_profile(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "replace", lambda: register_profile(get_profile(), replace="no"))  # type: ignore[arg-type]
    _refused(UsageError, "origin", lambda: register_profile(get_profile(), origin=7))  # type: ignore[arg-type]
    _refused(UsageError, "name", lambda: profile_origin(b"emessi"))  # type: ignore[arg-type]
    _refused(UsageError, "path", lambda: load_profile(7))  # type: ignore[arg-type]
    _refused(UsageError, "register", lambda: load_profile("x.toml", register=1))  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="argument"):
        get_profile("emessi", "verme")  # type: ignore[call-arg]


def test_load_profile_reads_regular_files_only(tmp_path: Path) -> None:
    """A FIFO, a folder or a NUL in the path is a DocumentError at $, never a hang."""
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    for path in (folder, str(tmp_path / "a\x00.toml"), tmp_path / "missing.toml"):
        with pytest.raises(DocumentError) as caught:
            load_profile(path)
        assert caught.value.path == "$"
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.toml"
        os.mkfifo(fifo)
        with pytest.raises(DocumentError, match="not a regular file"):
            load_profile(fifo)


def test_profile_from_dict_refuses_wrong_types_and_reports_wrong_content() -> None:
    """The data must be a mapping with text keys; its content gives a DocumentError with a path."""
    _refused(UsageError, "data", lambda: profile_from_dict(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "data[0] (key)", lambda: profile_from_dict({7: 1}))  # type: ignore[dict-item]
    _refused(UsageError, "source", lambda: profile_from_dict({}, source=7))  # type: ignore[arg-type]
    base = {"name": "x", "extends": "emessi"}
    for key, value, path in [
        ("peers", {"preferred": [10**5000, 6], "allowed": [3, 8]}, "$.peers.preferred[0]"),
        ("peers", {"preferred": "56", "allowed": [3, 8]}, "$.peers.preferred"),
        ("peers", {"preferred": [5, 6, 7], "allowed": [3, 8]}, "$.peers.preferred"),
        ("closed", "yes", "$.closed"),
        ("severities", {"group-size": PLANTED}, "$.severities"),
        ("title", [[[[[[[["deep"]]]]]]]], "$.title"),
    ]:
        with pytest.raises(DocumentError) as caught:
            profile_from_dict({**base, key: value})
        assert caught.value.problems[0].path.startswith(path)
        assert "Aino" not in str(caught.value)


def test_a_mapping_that_is_not_a_dict_is_read_as_one() -> None:
    """Any mapping of plain data makes a profile."""
    from types import MappingProxyType

    assert profile_from_dict(MappingProxyType({"name": "y", "extends": "emessi"})).name == "y"


# -- the catalogue and the session process ----------------------------------


def test_theme_catalogue_checks_its_fields_and_arguments() -> None:
    """Themes must be Theme values; merge, with_dimension and with_tag check theirs."""
    _refused(UsageError, "themes", lambda: ThemeCatalogue(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "themes[0]", lambda: ThemeCatalogue([PLANTED]))  # type: ignore[list-item]
    _refused(UsageError, "provenance", lambda: ThemeCatalogue(provenance=PLANTED))  # type: ignore[arg-type]
    catalogue = default_catalogue()
    _refused(UsageError, "others[0]", lambda: catalogue.merge(7))  # type: ignore[arg-type]
    _refused(UsageError, "others[1][0]", lambda: catalogue.merge([], [PLANTED]))  # type: ignore[list-item]
    assert "sauna" in catalogue.merge(iter([Theme("sauna", "Sauna")]))
    assert len(catalogue.with_dimension("vigour")) >= 1  # type: ignore[arg-type]
    _refused(UnknownValueError, "dimension", lambda: catalogue.with_dimension(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "tag", lambda: catalogue.with_tag(["volunteers"]))  # type: ignore[arg-type]


def test_session_process_functions_check_their_arguments() -> None:
    """agenda_for, session_framework, default_ground_rules and with_agendas refuse wrong types."""
    assert agenda_for("theme")[0].minutes == 15  # type: ignore[arg-type]
    _refused(UnknownValueError, "kind", lambda: agenda_for(PLANTED))  # type: ignore[arg-type]
    _refused(UsageError, "duration", lambda: agenda_for(MeetingKind.THEME, 90))  # type: ignore[arg-type]
    _refused(DomainError, "duration", lambda: agenda_for(MeetingKind.THEME, timedelta.max))
    _refused(DomainError, "duration", lambda: agenda_for(MeetingKind.THEME, -timedelta(hours=1)))
    _refused(UsageError, "lang", lambda: agenda_for(MeetingKind.THEME, lang=PLANTED))
    _refused(UsageError, "n", lambda: session_framework("6"))  # type: ignore[arg-type]
    _refused(DomainError, "n", lambda: session_framework(10**15))
    _refused(UsageError, "profile", lambda: session_framework(6, profile=6))  # type: ignore[arg-type]
    assert len(session_framework(6, profile="verme")) == 6
    _refused(UsageError, "lang", lambda: default_ground_rules(None))  # type: ignore[arg-type]
    _refused(UsageError, "group", lambda: with_agendas(PLANTED))  # type: ignore[arg-type]
    start = datetime(2014, 1, 14, 12, tzinfo=UTC)
    group = Group("g-01", meetings=[Meeting(1, start)])
    _refused(UsageError, "overwrite", lambda: with_agendas(group, overwrite="yes"))  # type: ignore[arg-type]


def test_meeting_plan_checks_its_fields() -> None:
    """A MeetingPlan's kind converts from its value; wrong types are refused."""
    plan = MeetingPlan(1, "first", agenda_for(MeetingKind.FIRST))  # type: ignore[arg-type]
    assert plan.kind is MeetingKind.FIRST
    _refused(UsageError, "number", lambda: MeetingPlan("1", MeetingKind.FIRST, ()))  # type: ignore[arg-type]
    _refused(UsageError, "agenda", lambda: MeetingPlan(1, MeetingKind.FIRST, PLANTED))  # type: ignore[arg-type]


def test_profiles_stay_values_after_the_checks() -> None:
    """The built-in profiles still load, compare and evolve as before."""
    emessi = get_profile("emessi")
    assert isinstance(emessi, MethodProfile)
    assert attrs.evolve(emessi) == emessi
    assert emessi.peers.severity(5) is None
