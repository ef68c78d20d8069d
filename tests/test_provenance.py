"""Promise 10: every number, rule and text says where it comes from."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import attrs
import pytest

import emessi
from emessi import Bounds, Dimension, MeetingKind, Role, get_profile, registered_rules
from emessi.errors import DocumentError, ProfileError, UsageError
from emessi.method import (
    default_ground_rules,
    ground_rules_provenance,
    profile_from_dict,
    text_provenance,
)
from emessi.method.profiles import OTHER_SETTINGS, RANGES
from emessi.provenance import SOURCES, Provenance

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import emessi_tables  # noqa: E402

BUILTIN_PROFILES = ("emessi", "verme")


def unstated(profile: emessi.MethodProfile) -> list[str]:
    """The settings of *profile* that do not say where they come from."""
    return [
        s for s in emessi_tables.profile_settings(profile) if not profile.provenance_of(s).stated
    ]


def _builtin_rules() -> list[emessi.Rule]:
    return [r for r in registered_rules() if r.check.__module__.startswith("emessi.")]


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_every_setting_of_a_builtin_profile_states_its_provenance(name: str) -> None:
    """Each range and setting of a built-in profile names a source or an assumption."""
    profile = get_profile(name)
    assert unstated(profile) == []
    for setting in emessi_tables.profile_settings(profile):
        source = profile.provenance_of(setting).source
        assert source in ("", *SOURCES), (setting, source)


def test_the_check_fails_for_a_range_without_provenance() -> None:
    """A range given without provenance is caught (so a new built-in range needs one)."""
    bare = attrs.evolve(get_profile(), peers=Bounds((4, 8), (3, 10)))
    assert unstated(bare) == ["peers"]
    no_flags = attrs.evolve(get_profile(), provenance={})
    assert set(unstated(no_flags)) >= {"closed", "online", "separate_organisations"}


def test_every_builtin_rule_states_its_provenance() -> None:
    """Each built-in rule (every code and scope) names a source or an assumption."""
    rules = _builtin_rules()
    assert len(rules) >= 20
    missing = [(r.code, r.scope) for r in rules if not r.provenance.stated]
    assert missing == []
    assert {r.provenance.source for r in rules} <= {"", *SOURCES}


def test_a_rule_registered_without_provenance_is_not_stated() -> None:
    """The check can fail: a rule registered without provenance states none."""

    def check(group: object, ctx: object) -> list[emessi.Breach]:
        """Nothing."""
        return []

    registered = emessi.register_rule("no-source", check, scope="group")  # type: ignore[arg-type]
    try:
        assert not registered.provenance.stated
        assert str(registered.provenance) == "not stated"
    finally:
        emessi.unregister_rule("no-source")
    with pytest.raises(UsageError, match="provenance"):
        emessi.register_rule("bad", check, scope="group", provenance="the guide")  # type: ignore[arg-type]


def test_every_builtin_text_states_its_provenance() -> None:
    """The session outline, agendas, ground rules, catalogue and terms all say where they come from."""
    texts = text_provenance()
    assert len(ground_rules_provenance()) == len(default_ground_rules()) == 4
    expected = {
        "session-framework",
        "theme-catalogue",
        "ngo-tags",
        *(f"meeting-kind.{k.value}" for k in MeetingKind),
        *(f"ground-rules[{i}]" for i in range(4)),
        *(f"role.{r.value}" for r in Role),
        *(f"dimension.{d.value}" for d in Dimension),
    }
    assert set(texts) == expected
    assert [key for key, p in texts.items() if not p.stated] == []
    assert {p.source for p in texts.values()} <= {"", *SOURCES}


@pytest.mark.parametrize(
    ("key", "source", "ours"),
    [
        ("ground-rules[0]", "verme", False),
        ("ground-rules[1]", "verme", False),
        ("ground-rules[2]", "", True),
        ("ground-rules[3]", "", True),
        ("meeting-kind.theme", "emessi2", True),  # teematapaaminen is coined
        ("meeting-kind.closing", "prestudy-contents", True),  # päätöstapaaminen is coined
        ("session-framework", "emessi2", True),  # the guide's framework content is unknown
        ("theme-catalogue", "emessi2", True),  # the themes are emessi's suggestions
        ("dimension.vigour", "hakanen-2005", True),  # UWES components, not eMessi texts
        ("dimension.individual", "manka-2008", False),
        ("role.peer", "emessi2", True),  # 'vertainen' is emessi's word
    ],
)
def test_what_is_ours_says_so(key: str, source: str, ours: bool) -> None:
    """The claims the sources do not make are marked as emessi's assumptions."""
    provenance = text_provenance()[key]
    assert provenance.source == source
    assert bool(provenance.assumption) is ours


@pytest.mark.parametrize(
    ("setting", "source"),
    [("separate_organisations", ""), ("online", "emessi2"), ("closed", "emessi2")],
)
def test_emessi_profile_settings(setting: str, source: str) -> None:
    """same-organisation's setting is emessi's own; closed and online come from the description."""
    assert get_profile().provenance_of(setting).source == source


@pytest.mark.parametrize(
    "setting", ["meetings", "duration_minutes", "observers", "online", "separate_organisations"]
)
def test_verme_settings_the_descriptions_do_not_give_are_assumptions(setting: str) -> None:
    """Verme's public descriptions give no meeting count, length, observer or medium."""
    provenance = get_profile("verme").provenance_of(setting)
    assert provenance.source == ""
    assert provenance.assumption


def test_same_organisation_is_not_justified_by_the_method() -> None:
    """The rule says it is emessi's own and does not cite 'vertaisuuden perusta'."""
    (same,) = [r for r in registered_rules() if r.code == "same-organisation"]
    assert same.provenance.source == ""
    assert "vertaisuuden perusta" not in same.doc
    assert "emessi's own check" in same.doc


def test_finnish_terms() -> None:
    """Manka's 'työn sisältö ja johtaminen'; Role.finnish does not claim to be the guide's."""
    assert Dimension.WORK_AND_MANAGEMENT.finnish == "työn sisältö ja johtaminen"
    assert "guide uses" not in (type(Role.PEER).finnish.__doc__ or "")


def test_the_method_is_peer_mentoring_and_verme_is_peer_group_mentoring() -> None:
    """eMessi is vertaismentorointi (peer mentoring); 'peer-group mentoring' is Verme's term."""
    assert get_profile().title == "eMessi: web-mediated peer mentoring"
    assert "peer-group" in get_profile("verme").title
    for path in ("README.md", "docs/index.md", "pyproject.toml", "src/emessi/__init__.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "peer-group mentoring for well-being" not in text, path
        assert "web-mediated peer-group" not in text, path


def test_package_data_names_no_file_outside_the_package() -> None:
    """Published package data does not mention the repository's shared/seed files."""
    folder = resources.files("emessi")
    for path in Path(str(folder)).rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert "shared/" not in text, path
        assert "seed" not in text.lower(), path
    assert "shared/seed" not in "\n".join(emessi_tables.profile_reference_lines())


def test_references_show_provenance() -> None:
    """The rule reference shows each rule's source; the profile reference each setting's."""
    rules = "\n".join(emessi_tables.rule_reference_lines())
    assert rules.count("**Source:**") + rules.count("**emessi's assumption:**") >= len(
        _builtin_rules()
    )
    assert "**Source:** not stated" not in rules
    profiles = "\n".join(emessi_tables.profile_reference_lines())
    for name in BUILTIN_PROFILES:
        assert f"Where each setting of ``{name}`` comes from" in profiles
    table = "\n".join(emessi_tables.provenance_table_lines())
    assert "Ours (emessi's assumption)" in table
    assert ":rule:`same-organisation`" in table
    assert "text ``ground-rules[3]``" in table


def test_provenance_is_checked_at_the_door() -> None:
    """Wrong types are refused with an EmessiError naming the field."""
    with pytest.raises(UsageError, match="source"):
        Provenance(source=1)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="provenance"):
        Bounds((1, 2), (1, 3), provenance="the guide")  # type: ignore[arg-type]
    with pytest.raises(ProfileError, match=r"provenance\.peers"):
        attrs.evolve(get_profile(), provenance={"peers": Provenance("emessi2")})
    with pytest.raises(ProfileError, match="setting"):
        get_profile().provenance_of("no-such-setting")


def test_profile_documents_carry_provenance_and_round_trip() -> None:
    """A TOML/JSON profile states provenance per range and per setting, losslessly."""
    profile = profile_from_dict(
        {
            "name": "coaches",
            "extends": "emessi",
            "peers": {
                "preferred": [4, 8],
                "allowed": [3, 10],
                "provenance": {"source": "our pilot, 2025", "assumption": "a guess"},
            },
            "provenance": {"online": {"assumption": "we meet on Teams"}},
        }
    )
    assert profile.peers.provenance.citation == "our pilot, 2025"
    assert profile.provenance_of("online").assumption == "we meet on Teams"
    assert profile.provenance_of("closed") == Provenance()  # replaced table: not inherited
    again = emessi.loads(emessi.dumps(profile))
    assert again == profile
    assert again.peers.provenance == profile.peers.provenance
    assert again.provenance == profile.provenance
    toml = emessi.loads(emessi.dumps(get_profile("verme"), syntax="toml"), syntax="toml")
    assert toml.provenance == get_profile("verme").provenance
    assert toml.meetings.provenance == get_profile("verme").meetings.provenance
    with pytest.raises(DocumentError, match=r"\$\.peers\.provenance\.source"):
        profile_from_dict(
            {
                "name": "x",
                "extends": "emessi",
                "peers": {"preferred": [4, 8], "allowed": [3, 10], "provenance": {"source": 3}},
            }
        )


@pytest.mark.parametrize("key", sorted(OTHER_SETTINGS + RANGES))
def test_provenance_of_knows_every_setting(key: str) -> None:
    """provenance_of answers for every setting name, ranges included."""
    assert isinstance(get_profile().provenance_of(key), Provenance)
