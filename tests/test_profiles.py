"""Method profiles: bounds, the built-in profiles, the registry and TOML profiles."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import DocumentError, ProfileError, UnknownProfileError, UsageError
from emessi.method import (
    Bounds,
    MethodProfile,
    Severity,
    get_profile,
    load_profile,
    profile_from_dict,
    profile_names,
    register_profile,
)
from emessi.method import registry as _registry_module
from emessi.model import Group, Meeting, Membership, Person, Programme, Role
from emessi.rules import validate

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture(autouse=True)
def _isolated_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Profiles registered by a test do not leak into other tests."""
    monkeypatch.setattr(_registry_module, "_registry", dict(_registry_module._registry))


def _group(peers: int, *, observer: bool = True) -> Group:
    members = [Membership(f"p-{k:02d}") for k in range(peers)]
    members.append(Membership("f-01", Role.FACILITATOR))
    if observer:
        members.append(Membership("w-01", Role.OBSERVER))
    start = datetime(2014, 1, 14, 14, tzinfo=HELSINKI)
    meetings = [Meeting(n, start + timedelta(weeks=4 * (n - 1))) for n in range(1, 7)]
    return Group("g-01", memberships=members, meetings=meetings)


# -- bounds -----------------------------------------------------------------


@given(st.lists(st.integers(0, 100), min_size=4, max_size=4), st.integers(-10, 110))
def test_bounds_severity(ends: list[int], value: int) -> None:
    """Inside preferred: None; inside allowed only: warning; outside allowed: error."""
    a, b, c, d = sorted(ends)
    bounds = Bounds((b, c), (a, d))
    expected = None if b <= value <= c else Severity.WARNING if a <= value <= d else Severity.ERROR
    assert bounds.severity(value) is expected


@pytest.mark.parametrize(
    ("preferred", "allowed"),
    [((5, 6), (6, 8)), ((5, 9), (3, 8)), ((6, 5), (3, 8)), ((-1, 2), (-2, 3))],
)
def test_inconsistent_bounds_are_a_profile_error(
    preferred: tuple[int, ...], allowed: tuple[int, ...]
) -> None:
    """Allowed must contain preferred, both ordered, not negative, two integers each."""
    with pytest.raises(ProfileError):
        Bounds(preferred, allowed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("preferred", "allowed", "path"),
    [
        ((1, 2, 3), (0, 4), "preferred"),
        ((1, 2), "04", "allowed"),
        ((1, 2.5), (0, 4), "preferred[1]"),
    ],
)
def test_bounds_of_the_wrong_shape_are_a_usage_error(
    preferred: object, allowed: object, path: str
) -> None:
    """A range is a pair of integers: three items, a string or a float are a UsageError."""
    with pytest.raises(UsageError) as caught:
        Bounds(preferred, allowed)  # type: ignore[arg-type]
    assert caught.value.path == path


def test_bounds_describe_and_exactly() -> None:
    """describe() shows both ranges; exactly(n) accepts only n."""
    assert Bounds((5, 6), (3, 8)).describe() == "5-6 (allowed 3-8)"
    assert Bounds.exactly(1).describe() == "1 (allowed 1)"
    assert Bounds.exactly(1).severity(2) is Severity.ERROR


# -- the built-in profiles --------------------------------------------------


def test_emessi_profile_holds_the_source_numbers() -> None:
    """eMessi: 5-6 peers, 6-8 meetings about monthly, 90-120 minutes, one facilitator."""
    emessi = get_profile("emessi")
    assert get_profile() is emessi
    assert emessi.peers.preferred == (5, 6)
    assert emessi.meetings.preferred == (6, 8)
    assert emessi.interval_days.preferred == (21, 42)
    assert emessi.duration_minutes.preferred == (90, 120)
    assert emessi.facilitators == Bounds.exactly(1)
    assert emessi.observers.preferred == (1, 1)
    assert emessi.workplace_size.preferred == (1, 4)  # fewer than 5 people
    assert (emessi.closed, emessi.online, emessi.separate_organisations) == (True, True, True)
    assert emessi.sector == "third sector"


def test_verme_profile_is_another_sector() -> None:
    """Verme (teachers): 4-10 peers and a mentor, no observer needed."""
    verme = get_profile("verme")
    assert verme.peers.preferred == (4, 10)
    assert verme.observers.preferred == (0, 0)
    assert verme.sector == "education"
    assert not verme.enabled("workplace-size")


def test_the_method_travels_to_another_sector() -> None:
    """A group of nine teachers without an observer fits Verme but not eMessi."""
    group = _group(9, observer=False)
    assert validate(group, "verme").findings == ()
    assert {f.code for f in validate(group, "emessi").findings} == {"group-size", "observer-count"}
    people = [Person(m.person, f"Teacher {m.person}") for m in group.memberships]
    programme = Programme("p", profile="verme", people=people, groups=[group])
    assert validate(programme).findings == ()  # the programme's own profile is the default
    assert validate(programme, "emessi").codes() == {"group-size", "observer-count"}


def test_every_builtin_profile_is_registered() -> None:
    """Every profile file shipped as package data is registered under its own name."""
    folder = resources.files("emessi.method").joinpath("data/profiles")
    shipped = {Path(entry.name).stem for entry in folder.iterdir() if entry.name.endswith(".toml")}
    assert shipped == {"emessi", "verme"}
    assert shipped <= set(profile_names())
    for name in shipped:
        profile = get_profile(name)
        assert profile.name == name
        assert profile.title
        assert profile.description


def test_get_profile_passes_a_profile_through() -> None:
    """get_profile(profile) returns the profile itself, registered or not."""
    custom = attrs.evolve(get_profile(), name="unregistered")
    assert get_profile(custom) is custom


@pytest.mark.parametrize("name", ["no-such-sector", "", "EMESSI"])
def test_unknown_profile(name: Any) -> None:
    """An unknown name is an UnknownProfileError (a LookupError) listing the known names."""
    with pytest.raises(UnknownProfileError) as caught:
        get_profile(name)
    assert isinstance(caught.value, LookupError)
    assert "emessi" in str(caught.value)
    with pytest.raises(UnknownProfileError):
        validate(_group(5), name)


@pytest.mark.parametrize("name", [7, ["emessi"], b"emessi"])
def test_a_profile_name_of_the_wrong_type_is_a_usage_error(name: Any) -> None:
    """Not a name nor a profile: a UsageError (a TypeError) at the parameter."""
    with pytest.raises(UsageError) as caught:
        get_profile(name)
    assert caught.value.path == "name"
    with pytest.raises(UsageError) as caught:
        validate(_group(5), name)
    assert caught.value.path == "profile"


# -- the registry -----------------------------------------------------------


def test_register_profile() -> None:
    """A registered profile is found by name and listed."""
    coaches = attrs.evolve(get_profile(), name="coaches", peers=Bounds((4, 8), (3, 10)))
    assert register_profile(coaches) is coaches
    assert get_profile("coaches") is coaches
    assert "coaches" in profile_names()
    assert validate(_group(8), "coaches").findings == ()


def test_register_profile_refuses_a_duplicate_name() -> None:
    """Another profile under a taken name needs replace=True; the same one is fine."""
    emessi = get_profile("emessi")
    register_profile(emessi)  # the same profile again: no change
    changed = attrs.evolve(emessi, peers=Bounds((4, 8), (3, 10)))
    with pytest.raises(ProfileError) as caught:
        register_profile(changed)
    assert caught.value.path == "name"
    assert get_profile("emessi") is emessi
    register_profile(changed, replace=True)
    assert get_profile("emessi") is changed


def test_register_profile_refuses_a_non_profile() -> None:
    """Only a MethodProfile can be registered: anything else is a UsageError (a TypeError)."""
    with pytest.raises(UsageError):
        register_profile({"name": "x"})  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", "has space", "a/b", "a.b"])
def test_profile_names_are_slugs(name: str) -> None:
    """A profile name is a slug of letters, digits, - and _."""
    with pytest.raises(ProfileError):
        attrs.evolve(get_profile(), name=name)


# -- severities and disabled rules ------------------------------------------


def test_severity_override_changes_findings() -> None:
    """severities turns a rule's warning into an error (and back)."""
    group = _group(7)
    assert validate(group).by_code("group-size")[0].severity is Severity.WARNING
    strict = attrs.evolve(get_profile(), name="strict", severities={"group-size": "error"})
    assert strict.severities == {"group-size": Severity.ERROR}
    [finding] = validate(group, strict).by_code("group-size")
    assert finding.severity is Severity.ERROR
    assert not validate(group, strict).ok
    lenient = attrs.evolve(get_profile(), name="lenient", severities={"group-size": "info"})
    assert validate(_group(1), lenient).ok


def test_disabled_rule_is_not_run() -> None:
    """disabled_rules removes a rule's findings."""
    group = _group(7)
    profile = attrs.evolve(get_profile(), name="relaxed", disabled_rules=["group-size"])
    assert validate(group, profile).findings == ()
    assert not profile.enabled("group-size")


@pytest.mark.parametrize(
    "changes", [{"severities": {"no-such-rule": "error"}}, {"disabled_rules": ["no-such-rule"]}]
)
def test_profile_naming_an_unknown_rule_makes_validate_raise(changes: dict[str, Any]) -> None:
    """A profile that overrides or disables a rule that does not exist is a ProfileError."""
    profile = attrs.evolve(get_profile(), name="typo", **changes)
    with pytest.raises(ProfileError) as caught:
        validate(_group(5), profile)
    assert "no-such-rule" in str(caught.value)


def test_bad_severity_level() -> None:
    """A severity that is not info, warning or error is a ProfileError at severities."""
    with pytest.raises(ProfileError) as caught:
        attrs.evolve(get_profile(), severities={"group-size": "fatal"})
    assert caught.value.path == "severities"


# -- profiles from TOML -----------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "profile.toml") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def test_load_profile_with_extends(tmp_path: Path) -> None:
    """A TOML profile that extends another names only what differs."""
    file = _write(
        tmp_path,
        'name = "entrepreneurs"\nextends = "emessi"\nsector = "enterprise"\n'
        "peers = { preferred = [4, 8], allowed = [3, 10] }\n"
        'severities = { "same-organisation" = "error" }\n'
        'disabled_rules = ["workplace-size"]\n',
    )
    profile = load_profile(file)
    emessi = get_profile("emessi")
    assert profile.name == "entrepreneurs"
    assert profile.peers == Bounds((4, 8), (3, 10))
    assert (profile.meetings, profile.duration_minutes) == (
        emessi.meetings,
        emessi.duration_minutes,
    )
    assert profile.severities == {"same-organisation": Severity.ERROR}
    assert profile.disabled_rules == ("workplace-size",)
    assert "entrepreneurs" not in profile_names()
    assert load_profile(file, register=True) == profile
    assert get_profile("entrepreneurs") == profile
    assert validate(_group(8), "entrepreneurs").findings == ()


def test_load_profile_extends_a_loaded_profile(tmp_path: Path) -> None:
    """extends can name a profile that was itself loaded and registered."""
    load_profile(_write(tmp_path, 'name = "base"\nextends = "verme"\n', "base.toml"), register=True)
    child = load_profile(_write(tmp_path, 'name = "child"\nextends = "base"\nonline = true\n'))
    assert child.peers == get_profile("verme").peers
    assert child.online


def test_a_complete_profile_needs_no_extends(tmp_path: Path) -> None:
    """A TOML file with every number is a profile on its own (the built-ins are such files)."""
    text = resources.files("emessi.method").joinpath("data/profiles/verme.toml").read_text("utf-8")
    profile = load_profile(_write(tmp_path, text))
    assert profile == get_profile("verme")


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("name = ", "$"),
        ('name = "x"\nname = "y"\n', "$"),
        ('name = "x"\nextends = "nope"\n', "$.extends"),
        ('name = "x"\nextends = 7\n', "$.extends"),
        ('name = "has space"\nextends = "emessi"\n', "$.name"),
        (
            'name = "x"\nextends = "emessi"\npeers = { preferred = [5, 6], allowed = [6, 8] }\n',
            "$.peers.preferred",
        ),
        (
            'name = "x"\nextends = "emessi"\npeers = { preferred = ["a", 6], allowed = [3, 8] }\n',
            "$.peers.preferred[0]",
        ),
        ('name = "x"\nextends = "emessi"\nmeetings = 7\n', "$.meetings"),
        (
            'name = "x"\nextends = "emessi"\nseverities = { group-size = "fatal" }\n',
            "$.severities['group-size']",
        ),
        ('name = "x"\nextends = "emessi"\ndisabled_rules = "group-size"\n', "$.disabled_rules"),
        ('name = "x"\nextends = "emessi"\nbogus = 1\n', "$"),
        ('name = "x"\n', "$.peers"),
        ('format = "emessi/group"\nname = "x"\nextends = "emessi"\n', "$.format"),
        ('name = "x"\nextends = "emessi"\nversion = 9\n', "$.version"),
    ],
)
def test_bad_profile_files_are_document_errors_with_paths(
    tmp_path: Path, text: str, path: str
) -> None:
    """Bad TOML or bad content: DocumentError naming the file, with the problem's path."""
    with pytest.raises(DocumentError) as caught:
        load_profile(_write(tmp_path, text))
    assert path in [p.path for p in caught.value.problems]
    assert "profile.toml" in str(caught.value)


def test_missing_profile_file(tmp_path: Path) -> None:
    """A file that does not exist is a DocumentError, not an OSError."""
    with pytest.raises(DocumentError):
        load_profile(tmp_path / "missing.toml")


def test_profile_from_dict_does_not_mutate() -> None:
    """profile_from_dict leaves the caller's data as it was."""
    data = {"name": "x", "extends": "emessi", "peers": {"preferred": [4, 8], "allowed": [3, 10]}}
    snapshot = copy.deepcopy(data)
    assert profile_from_dict(data).peers.preferred == (4, 8)
    assert data == snapshot


def test_profile_from_dict_refuses_a_non_mapping() -> None:
    """Data that is not a mapping is a UsageError (a TypeError) at data."""
    with pytest.raises(UsageError) as caught:
        profile_from_dict(["name"])  # type: ignore[arg-type]
    assert caught.value.path == "data"


def test_profile_is_a_value() -> None:
    """Profiles are frozen values compared by content."""
    emessi = get_profile("emessi")
    assert attrs.evolve(emessi) == emessi
    assert isinstance(emessi, MethodProfile)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        emessi.name = "x"  # type: ignore[misc]
