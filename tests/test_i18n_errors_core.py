"""Error messages of method, rules, io (and the layers beneath services) in en, fi and sv.

A few representative errors per package, raised under each language: the
message comes from the gettext catalogues and follows the language at the
time the error is raised.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from emessi import Bounds, Group, dump, get_profile, loads, session_framework
from emessi._i18n import set_language, using_language
from emessi._text import single_line
from emessi.demo import applicants_csv
from emessi.errors import (
    DocumentError,
    DomainError,
    EmessiError,
    InfeasibleError,
    ProfileError,
    UnsafeTextError,
    UsageError,
)
from emessi.formation import Applicant, form_groups, read_applicants
from emessi.io.ical import dumps_ical
from emessi.method import default_catalogue
from emessi.method.process import MeetingKind, agenda_for
from emessi.model import Person
from emessi.provenance import Provenance
from emessi.rules import load_rules, register_rule, unregister_rule
from emessi.testing import texts

Case = tuple[str, Callable[[], Any], type[EmessiError], str]

METHOD: list[Case] = [
    (
        "en",
        lambda: session_framework(3),
        DomainError,
        "the emessi profile allows 5-10 meetings, not 3",
    ),
    (
        "fi",
        lambda: session_framework(3),
        DomainError,
        "profiili emessi sallii 5–10 tapaamista, ei 3",
    ),
    (
        "sv",
        lambda: session_framework(3),
        DomainError,
        "profilen emessi tillåter 5–10 träffar, inte 3",
    ),
    (
        "fi",
        lambda: agenda_for(MeetingKind.FIRST, timedelta(minutes=5)),
        DomainError,
        "first-tyyppinen tapaaminen tarvitsee enemmän kuin",
    ),
    (
        "sv",
        lambda: default_catalogue()["no-such"],
        EmessiError,
        "katalogen har inget tema 'no-such'",
    ),
    (
        "fi",
        lambda: default_catalogue()["no-such"],
        EmessiError,
        "luettelossa ei ole teemaa 'no-such'",
    ),
    ("fi", lambda: Bounds((5, 6), (6, 8)), ProfileError, "rajojen pitää täyttää 0 <= sallittu min"),
    (
        "sv",
        lambda: get_profile().provenance_of("same-organisation"),
        ProfileError,
        "ingen inställning 'same-organisation'; en regels källa är Rule.provenance",
    ),
    (
        "fi",
        lambda: get_profile().provenance_of("nothing"),
        ProfileError,
        "asetusta 'nothing' ei ole",
    ),
]

RULES: list[Case] = [
    (
        "fi",
        lambda: unregister_rule("no-such-rule"),
        UsageError,
        "sääntöä 'no-such-rule' ei ole rekisteröity",
    ),
    (
        "sv",
        lambda: unregister_rule("no-such-rule"),
        UsageError,
        "ingen regel 'no-such-rule' är registrerad",
    ),
    (
        "en",
        lambda: unregister_rule("no-such-rule"),
        UsageError,
        "no rule 'no-such-rule' is registered",
    ),
    (
        "sv",
        lambda: load_rules("emessi:nothing_here"),
        UsageError,
        "'emessi' har inget 'nothing_here'",
    ),
    (
        "fi",
        lambda: load_rules("emessi:nothing_here"),
        UsageError,
        "moduulissa 'emessi' ei ole nimeä 'nothing_here'",
    ),
]

IO: list[Case] = [
    (
        "fi",
        lambda: dump(Group("g-01"), "g.yaml"),
        UsageError,
        "tiedoston 'g.yaml' syntaksia ei voi päätellä",
    ),
    (
        "sv",
        lambda: dump(Group("g-01"), "g.yaml"),
        UsageError,
        "syntaxen för 'g.yaml' går inte att avgöra",
    ),
    ("fi", lambda: loads(3), UsageError, "piti olla str tai bytes, ei int"),  # type: ignore[call-overload]
    ("sv", lambda: loads(3), UsageError, "skulle vara str eller bytes, inte int"),  # type: ignore[call-overload]
    (
        "fi",
        lambda: loads(
            '{"format": "emessi/programme", "version": 2, "id": "p", "profile": {"file": "x.toml"}}'
        ),
        DocumentError,
        "profiilitiedostoa seurataan vain, kun asiakirjan kansio tiedetään",
    ),
    (
        "sv",
        lambda: dumps_ical(Group("g-01"), programme="bad id!"),
        DomainError,
        "programmet i UID:er är ett id",
    ),
]


@pytest.mark.parametrize(("lang", "call", "kind", "expected"), METHOD + RULES + IO)
def test_errors_speak_the_language_of_the_moment(
    lang: str, call: Callable[[], Any], kind: type[EmessiError], expected: str
) -> None:
    with using_language(lang), pytest.raises(kind) as caught:
        call()
    assert expected in str(caught.value)


def test_a_stored_message_is_translated_when_raised(tmp_path: Path) -> None:
    """The carried-profile messages are N_-marked constants: the language is the raise's."""
    text = (
        '{"format": "emessi/programme", "version": 2, "id": "p", "profile": {"file": "../x.toml"}}'
    )
    messages = []
    for lang in ("en", "fi", "sv"):
        with using_language(lang), pytest.raises(DocumentError) as caught:
            loads(text, folder=tmp_path)
        messages.append(caught.value.problems[0].message)
    assert messages == [
        "a profile file must be a relative .toml path inside the document's folder",
        "profiilitiedoston pitää olla suhteellinen .toml-polku asiakirjan kansiossa",
        "en profilfil måste vara en relativ .toml-sökväg i dokumentets mapp",
    ]


def test_a_rule_registered_twice() -> None:
    def check(group: Group) -> Any:
        return iter(())

    register_rule("i18n-twice", check, scope="group")
    try:
        for lang, expected in [
            ("en", "a group rule 'i18n-twice' is already registered"),
            ("fi", "sääntö 'i18n-twice' (laajuus group) on jo rekisteröity"),
            ("sv", "regeln 'i18n-twice' (omfattning group) är redan registrerad"),
        ]:
            with using_language(lang), pytest.raises(ProfileError) as caught:
                register_rule("i18n-twice", check, scope="group")
            assert caught.value.message == expected
    finally:
        unregister_rule("i18n-twice")


def _problems(call: Callable[[], Any]) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        call()
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "rows[1]: the header row has no 'id' column",
                "rows[1][0]: unknown column; see the documented columns",
            ],
        ),
        (
            "fi",
            [
                "rows[1]: otsikkorivillä ei ole saraketta 'id'",
                "rows[1][0]: tuntematon sarake; katso dokumentoidut sarakkeet",
            ],
        ),
        (
            "sv",
            [
                "rows[1]: rubrikraden har ingen kolumn 'id'",
                "rows[1][0]: okänd kolumn; se de dokumenterade kolumnerna",
            ],
        ),
    ],
)
def test_the_csv_reader_speaks_the_language(lang: str, expected: list[str]) -> None:
    with using_language(lang):
        assert _problems(lambda: read_applicants(io.StringIO("who\nx\n"))) == expected


BOTTOM: list[Case] = [
    ("fi", lambda: single_line(5, "title"), UnsafeTextError, "title: piti olla tekstiä"),
    ("sv", lambda: single_line("a\nb", "title"), UnsafeTextError, "radbrytning eller styrtecken"),
    (
        "fi",
        lambda: set_language("de"),
        UsageError,
        "lang: tuntematon kieli 'de'; käytä jotakin näistä: en, fi, sv",
    ),
    (
        "sv",
        lambda: set_language("de"),
        UsageError,
        "lang: okänt språk 'de'; använd ett av: en, fi, sv",
    ),
    (
        "fi",
        lambda: applicants_csv(10_001),
        DomainError,
        "count: esimerkkiaineistossa näitä on 0–10,000",
    ),
    ("sv", lambda: texts(-1), DomainError, "min_size: skulle vara 0–"),
    ("fi", lambda: Provenance(source=5), UsageError, "source: odotettiin merkkijonoa"),  # type: ignore[arg-type]
]

FORMATION: list[Case] = [
    (
        "fi",
        lambda: form_groups([], facilitators=[]),
        InfeasibleError,
        "ei hakijoita, joista muodostaa ryhmiä",
    ),
    (
        "sv",
        lambda: form_groups([], facilitators=[]),
        InfeasibleError,
        "inga sökande att bilda grupper av",
    ),
    (
        "fi",
        lambda: form_groups(_pool(), facilitators=[], polish_workers=0),
        DomainError,
        "polish_workers on vähintään 1",
    ),
    (
        "sv",
        lambda: form_groups(_pool(), facilitators=[], effort=1000),
        DomainError,
        "effort: effort är högst 100",
    ),
    (
        "fi",
        lambda: form_groups(_pool(), facilitators=[]),
        EmessiError,
        "facilitators: fasilitaattorit eivät riitä: 8 hakijaa tarvitsee vähintään 1 ryhmää",
    ),
    (
        "sv",
        lambda: form_groups(_pool(2), facilitators=[]),
        InfeasibleError,
        "2 sökande är färre än den minsta tillåtna gruppen (3 kamrater enligt profilen emessi)",
    ),
    (
        "fi",
        lambda: form_groups(_pool(1), facilitators=[]),
        InfeasibleError,
        "1 hakija on vähemmän kuin pienin sallittu ryhmä",
    ),
]


def _pool(n: int = 8) -> list[Applicant]:
    return [Applicant(Person(f"a-{i}", "")) for i in range(1, n + 1)]


@pytest.mark.parametrize(("lang", "call", "kind", "expected"), BOTTOM + FORMATION)
def test_bottom_layer_and_formation_errors_speak_the_language(
    lang: str, call: Callable[[], Any], kind: type[EmessiError], expected: str
) -> None:
    with using_language(lang), pytest.raises(kind) as caught:
        call()
    assert expected in str(caught.value)


def _plan(rule: str) -> Any:
    from datetime import date

    from emessi.scheduling import plan_starts

    return plan_starts(date(2025, 9, 1), rule, count=6)


SCHEDULING: list[Case] = [
    (
        "fi",
        lambda: _plan("whenever it suits"),
        EmessiError,
        "rule: toistuvuutta ei voi lukea; toistuvuus on RFC 5545 -RRULE",
    ),
    (
        "sv",
        lambda: _plan("whenever it suits"),
        EmessiError,
        "rule: upprepningen kan inte läsas; en upprepning är en RFC 5545-RRULE",
    ),
    (
        "fi",
        lambda: _plan("FREQ=HOURLY;BYHOUR=9;BYMINUTE=0"),
        EmessiError,
        "tapaamiset toistuvat DAILY, WEEKLY, MONTHLY tai YEARLY, ei HOURLY",
    ),
    (
        "sv",
        lambda: _plan("FREQ=WEEKLY;COUNT=2;BYHOUR=9;BYMINUTE=0"),
        EmessiError,
        "bara 2 av 6 träffar ryms",
    ),
    (
        "en",
        lambda: _plan("FREQ=WEEKLY;COUNT=2;BYHOUR=9;BYMINUTE=0"),
        EmessiError,
        "only 2 of 6 meetings fit: the rule ends, or runs past 5 years from the start, after 2 occurrences",
    ),
    ("fi", lambda: _plan("every Monday at 25:00"), EmessiError, "kellonaika on HH:MM, 00:00–23:59"),
]


@pytest.mark.parametrize(("lang", "call", "kind", "expected"), SCHEDULING)
def test_scheduling_errors_speak_the_language(
    lang: str, call: Callable[[], Any], kind: type[EmessiError], expected: str
) -> None:
    with using_language(lang), pytest.raises(kind) as caught:
        call()
    assert expected in str(caught.value)


def test_an_obstacle_is_told_in_the_language_it_is_shown_in() -> None:
    from emessi.scheduling import Obstacle, ObstacleKind

    obstacle = Obstacle(ObstacleKind.DOUBLE_BOOKED, ("g-01", "g-02"), "p-01", ("2025-W40",))
    shown = {}
    for lang in ("en", "fi", "sv"):
        with using_language(lang):
            shown[lang] = str(obstacle)
    assert shown == {
        "en": "p-01 is needed by g-01 and g-02 at once (or within the buffer) in 2025-W40",
        "fi": "p-01 tarvitaan ryhmissä g-01 ja g-02 samaan aikaan (tai puskurin sisällä) viikoilla 2025-W40",
        "sv": "p-01 behövs av g-01 och g-02 samtidigt (eller inom bufferten) under 2025-W40",
    }


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Plots needs the optional package 'matplotlib': pip install 'emessi[plot]'"),
        ("fi", "Kuvaajat: tarvitaan valinnainen paketti 'matplotlib': pip install 'emessi[plot]'"),
        ("sv", "Diagram kräver det valfria paketet 'matplotlib': pip install 'emessi[plot]'"),
    ],
)
def test_a_missing_extra_is_named_in_the_language(lang: str, expected: str) -> None:
    """MissingDependencyError translates its sentence and the feature's name."""
    from emessi._i18n import N_, using_language
    from emessi.errors import MissingDependencyError

    with using_language(lang):
        error = MissingDependencyError("matplotlib", extra="plot", feature=N_("Plots"))
    assert str(error) == expected
