"""The command in Finnish and Swedish: its journeys print no English sentence."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from emessi.cli import main

# Words that mark English prose and are not Finnish or Swedish words (so not
# "on", "in", "at", "var", "för"); a line with two of them is English.
_ENGLISH = frozenset(
    """
    the a an of to and or is are was were be been with from for not no this that these
    those it its by as each every which than then your you their there has have had will
    can must should would only more less into onto about after before when where while
    meeting meetings group groups peer peers error errors warning warnings note notes
    wrote written profile allowed prefers expects days minutes staff themes theme
    agenda usage options arguments show help message exit file files folder document
    """.split()  # noqa: SIM905
)
# Ids, codes, paths, options and file names are not prose.
_NOT_PROSE = re.compile(r"[-_./\\\[\]\"'=:@0-9{}()]")


# Text in single quotes is a literal to type, e.g. the recurrence syntax
# 'second Tuesday of each month at 14:00', which is English by design.
_QUOTED = re.compile(r"'[^']*'", re.DOTALL)


def english_lines(text: str) -> list[str]:
    """The lines of *text* that read as English prose."""
    found = []
    for line in _QUOTED.sub("''", text).splitlines():
        words = [w.lower() for w in re.split(r"[\s,;]+", line) if w and not _NOT_PROSE.search(w)]
        if len({w for w in words if w in _ENGLISH}) >= 2:
            found.append(line)
    return found


def test_the_detector_finds_english() -> None:
    """The check itself: English prose is found, Finnish, Swedish and ids are not."""
    assert english_lines("0 errors, 1 warning")
    assert english_lines("  warning group-size  memberships: 7 peers; the emessi profile")
    assert not english_lines("0 virhettä, 1 varoitus\n0 fel, 1 varning")
    assert not english_lines('  varning group-size groups["g-01"].memberships: 7 kamrater')
    assert not english_lines("emessi --lang fi validate cohort.json --profile emessi")


def _run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    code, _text = _run("demo", str(folder), "--lang", "fi")
    assert code == 0
    return folder


def _journeys(demo: Path, lang: str) -> list[tuple[str, ...]]:
    out = demo / lang
    broken = demo / "broken.json"  # document-facing errors, each with its path
    broken.write_text(
        '{"format": "emessi/group", "version": 1, "id": "g-1", "meetings": [{"number": "x"}]}',
        "utf-8",
    )
    future = demo / "future.json"
    future.write_text('{"format": "emessi/programme", "version": 99}', "utf-8")
    rule = "second Tuesday of each month at 14:00"
    return [
        ("demo", str(out), "--lang", lang),
        ("validate", str(demo / "cohort.json"), "--lang", lang),
        ("validate", str(demo / "unscheduled.json"), "--lang", lang),
        ("validate", str(demo / "cohort.json"), "--strict", "--lang", lang),
        ("--lang", lang, "validate", str(demo / "no-such-file.json")),
        ("validate", str(broken), "--lang", lang),
        ("validate", str(future), "--lang", lang),
        ("validate", str(demo / "cohort.json"), "--profile", "no-such", "--lang", lang),
        ("validate", "--lang", lang),  # argparse's own error
        ("profiles", "--lang", lang),
        ("rules", "--lang", lang),
        ("themes", "--lang", lang),
        (
            "schedule",
            str(demo / "unscheduled.json"),
            "--start",
            "2026-09-01",
            "--rule",
            rule,
            "-o",
            str(out / "scheduled.json"),
            "--lang",
            lang,
        ),
        (
            "schedule",
            str(demo / "unscheduled.json"),
            "--start",
            "2025-11-28",  # Boxing Day 2025 is skipped, a gap of 56 days is a warning
            "--rule",
            "every 4 weeks on Friday at 14:00",
            "--group",
            "g-01",
            "-o",
            str(out / "winter.json"),
            "--lang",
            lang,
        ),
        ("ics", str(demo / "cohort.json"), "-o", str(out / "cohort.ics"), "--lang", lang),
        ("--help", "--lang", lang),
        *[
            (command, "--help", "--lang", lang)
            for command in (
                "demo",
                "validate",
                "profiles",
                "themes",
                "rules",
                "schedule",
                "ics",
                "simulate",
                "form",
                "forecast",
            )
        ],
    ]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_journeys_print_no_english(demo: Path, lang: str) -> None:
    """demo, validate, profiles, rules, themes, schedule, ics and every --help, in fi and sv."""
    english = {}
    for argv in _journeys(demo, lang):
        _code, text = _run(*argv)
        assert text.strip(), argv
        if found := english_lines(text):
            english[" ".join(argv)] = found
    assert english == {}


@pytest.mark.parametrize(("lang", "word"), [("fi", "eMessi-tapaaminen"), ("sv", "eMessi-träff")])
def test_calendar_titles_follow_the_language(demo: Path, lang: str, word: str) -> None:
    """`emessi ics --lang` writes event titles and agendas in that language."""
    target = demo / f"titles-{lang}.ics"
    code, _text = _run("ics", str(demo / "cohort.json"), "-o", str(target), "--lang", lang)
    assert code == 0
    calendar = target.read_text("utf-8")
    assert f": {word} 1" in calendar
    assert "eMessi meeting" not in calendar


def test_language_from_the_environment(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --lang the command follows EMESSI_LANG, then the locale."""
    monkeypatch.setenv("EMESSI_LANG", "sv")
    assert _run("validate", str(demo / "cohort.json"))[1].endswith(
        ": 0 fel, 0 varningar (profil emessi)\n"
    )
    monkeypatch.delenv("EMESSI_LANG")
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    assert _run("validate", str(demo / "cohort.json"))[1].endswith(
        ": 0 virhettä, 0 varoitusta (profiili emessi)\n"
    )
    assert _run("validate", str(demo / "cohort.json"), "--lang", "en")[1].endswith(
        ": 0 errors, 0 warnings (profile emessi)\n"
    )


def test_language_does_not_leak_out_of_the_command(demo: Path) -> None:
    """After `main([... --lang fi])` the library speaks as before."""
    from emessi import Group, validate

    _run("profiles", "--lang", "fi")
    assert validate(Group("g-01")).summary() == "2 errors, 1 warning, 1 note"
    import argparse

    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
