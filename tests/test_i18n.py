"""Message catalogues: complete, consistent, compiled, and the language chosen right."""

from __future__ import annotations

import gettext
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import emessi
from emessi import Group, Membership, Role, validate
from emessi._i18n import (
    LANGUAGES,
    LOCALE_DIR,
    _,
    get_language,
    lazy_gettext,
    lazy_ngettext,
    ngettext,
    set_language,
    translation,
    using_language,
)
from emessi.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
POT = LOCALE_DIR / "emessi.pot"
TRANSLATED = ("fi", "sv")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def _po(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "emessi.po"


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, msgid


def _messages(catalogue: Catalog) -> dict[tuple[str | None, str], Message]:
    return {_key(m): m for m in catalogue if m.id}


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdirfgx%]")


def _fields(text: str) -> set[str]:
    """The ``{name!conv:spec}`` and ``%(name)s`` placeholders of a format string."""
    fields = set(_PERCENT.findall(text))
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.add(f"{name}!{conversion or ''}:{spec or ''}")
    return fields


@pytest.fixture
def clean_language(monkeypatch: pytest.MonkeyPatch):
    for variable in ("EMESSI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    set_language(None)
    yield monkeypatch
    set_language(None)


def test_catalogue_matches_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pybabel extract` (configured in pyproject.toml) gives the committed emessi.pot."""
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-o", str(fresh)])
    extracted, committed = _messages(_read(fresh)), _messages(_read(POT))
    missing = sorted(set(extracted) - set(committed), key=str)
    stale = sorted(set(committed) - set(extracted), key=str)
    assert not missing, f"run `pybabel extract` then `pybabel update`: new texts {missing}"
    assert not stale, f"run `pybabel extract` then `pybabel update`: gone texts {stale}"
    for key, message in extracted.items():
        assert message.id == committed[key].id, key
        assert message.auto_comments == committed[key].auto_comments, key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_po_files_follow_the_template(lang: str) -> None:
    """Each .po has exactly the template's messages (no missing, no obsolete ones)."""
    template, po = _messages(_read(POT)), _messages(_read(_po(lang), lang))
    assert sorted(set(template) - set(po), key=str) == []
    assert sorted(set(po) - set(template), key=str) == []
    assert not _read(_po(lang), lang).obsolete
    for key, message in po.items():
        assert message.id == template[key].id, key


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    """Finnish and Swedish translate every message, every plural form, none fuzzy."""
    catalogue = _read(_po(lang), lang)
    assert catalogue.num_plurals == 2
    untranslated = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings) or len(strings) != (2 if message.pluralizable else 1):
            untranslated.append(_key(message))
    assert untranslated == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_agree(lang: str) -> None:
    """A translation uses exactly the placeholders of its English text."""
    for message in _read(_po(lang), lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(_fields(text) for text in ids))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text:
                assert _fields(text) == wanted, (lang, message.id, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogues_are_up_to_date(lang: str) -> None:
    """The committed .mo holds exactly what its .po compiles to (run `pybabel compile`)."""
    compiled = io.BytesIO()
    write_mo(compiled, _read(_po(lang), lang))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with (_po(lang).with_suffix(".mo")).open("rb") as file:
        committed = gettext.GNUTranslations(file)
    strip = {"": None}
    assert {k: v for k, v in fresh._catalog.items() if k not in strip} == {  # type: ignore[attr-defined]
        k: v
        for k, v in committed._catalog.items()  # type: ignore[attr-defined]
        if k not in strip
    }
    assert [fresh.plural(n) for n in range(5)] == [committed.plural(n) for n in range(5)]  # type: ignore[attr-defined]


def test_catalogues_ship_with_the_package() -> None:
    """The compiled catalogues are package data, so a wheel carries them."""
    for lang in LANGUAGES:
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / "emessi.mo").is_file()
    assert isinstance(translation("fi"), gettext.GNUTranslations)
    assert translation("fi").gettext("Feedback") == "Palaute"


def test_language_order(clean_language: pytest.MonkeyPatch) -> None:
    """--lang/set_language, then EMESSI_LANG, then the locale, then English."""
    monkeypatch = clean_language
    assert get_language() == "en"
    monkeypatch.setenv("LANG", "sv_FI.UTF-8")
    assert get_language() == "sv"
    monkeypatch.setenv("LANGUAGE", "de:fi")
    assert get_language() == "fi"
    monkeypatch.setenv("LC_ALL", "C")  # LANGUAGE first, as gettext does
    assert get_language() == "fi"
    monkeypatch.setenv("EMESSI_LANG", "en")
    assert get_language() == "en"
    monkeypatch.setenv("EMESSI_LANG", "xx")  # unknown: ignored
    assert get_language() == "fi"
    set_language("sv")
    assert get_language() == "sv"
    with using_language("fi"):
        assert get_language() == "fi"
    assert get_language() == "sv"


def test_unknown_language_is_a_usage_error(clean_language: pytest.MonkeyPatch) -> None:
    """Only en, fi and sv are accepted where a language is passed."""
    with pytest.raises(UsageError, match="lang: unknown language 'de'"):
        set_language("de")
    with pytest.raises(UsageError):
        validate(Group("g-01"), lang="de")


def test_public_language_functions() -> None:
    """set_language and get_language are public names of emessi."""
    assert emessi.set_language is set_language
    assert emessi.get_language is get_language


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "1 observer;", "2 observers;"),
        ("fi", "1 havainnoija;", "2 havainnoijaa;"),
        ("sv", "1 observatör;", "2 observatörer;"),
    ],
)
def test_plurals_in_findings(lang: str, one: str, two: str) -> None:
    """`1 observer`, `2 observers` in every language."""
    base = [Membership(f"p-{i}") for i in range(6)] + [Membership("f-1", Role.FACILITATOR)]
    observers = [Membership(f"o-{i}", Role.OBSERVER) for i in range(2)]
    verme = emessi.get_profile("verme")  # no observer preferred: one is a finding
    found = validate(Group("g-01", memberships=[*base, observers[0]]), verme, lang=lang)
    assert found.by_code("observer-count")[0].message.startswith(one)
    found = validate(Group("g-01", memberships=base + observers), lang=lang)
    assert found.by_code("observer-count")[0].message.startswith(two)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "1 error, 1 warning, 2 notes"),
        ("fi", "1 virhe, 1 varoitus, 2 huomautusta"),
        ("sv", "1 fel, 1 varning, 2 anmärkningar"),
    ],
)
def test_summary_plurals(lang: str, text: str) -> None:
    """The summary line counts with the right plural forms."""
    from emessi import Finding, Report, Severity

    kinds = [Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.INFO]
    report = Report([Finding("x", kind, "m") for kind in kinds], lang=lang)
    assert report.summary() == text


def test_report_speaks_its_language() -> None:
    """validate(lang=...) makes findings, summary and str() in that language."""
    report = validate(Group("g-01"), lang="sv")
    assert report.lang == "sv"
    assert str(report).splitlines()[0] == "2 fel, 1 varning, 1 anmärkning"
    assert report.summary("en") == "2 errors, 1 warning, 1 note"


def test_lazy_text_follows_the_language() -> None:
    """A lazy text renders when shown, in the language in force then."""
    text = lazy_ngettext("{n} peer", "{n} peers", 3, n=3)
    with using_language("fi"):
        assert str(text) == "3 vertaista"
    assert text.render("sv") == "3 kamrater"
    nested = lazy_gettext(
        "{count}; the {profile} profile prefers {preferred} (allowed {allowed}).",
        count=text,
        profile="emessi",
        preferred="5-6",
        allowed="3-8",
    )
    assert nested.render("fi").startswith("3 vertaista; profiilin emessi suositus on")


def test_functions_translate_in_the_current_language() -> None:
    """_ and ngettext look up the current language's catalogue."""
    with using_language("sv"):
        assert _("Feedback") == "Respons"
        assert ngettext("{n} meeting", "{n} meetings", 1) == "{n} träff"
    assert _("Feedback") == "Feedback"


def test_builtin_finnish_data_and_catalogue_agree() -> None:
    """The theme catalogue's and agendas' Finnish in TOML equals the fi catalogue's."""
    from emessi.method import default_catalogue
    from emessi.method.process import _agendas

    finnish = translation("fi")
    pairs = []
    for theme in default_catalogue():
        pairs += [(theme.title_en, theme.title_fi), (theme.description_en, theme.description_fi)]
    agendas = _agendas()
    for kind in ("first", "theme", "closing"):
        pairs += [(item.title_en, item.title_fi) for item in getattr(agendas, kind)]
    pairs += list(zip(agendas.ground_rules_en, agendas.ground_rules_fi, strict=True))
    assert [(en, fi) for en, fi in pairs if fi and finnish.gettext(en) != fi] == []
