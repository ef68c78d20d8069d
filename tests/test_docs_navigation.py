"""Docs a reader can navigate: titles, signatures, order, the changelog, plots' descriptions."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from docutils import nodes

import emessi

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
import emessi_docfixes  # noqa: E402


def _title(page: Path) -> str:
    first = page.read_text(encoding="utf-8").lstrip().splitlines()[0]
    assert first.startswith("# "), page
    return first[2:]


def _pages(section: str) -> list[Path]:
    return sorted((DOCS / section).glob("*.md"))


#: One pattern per section: a tutorial says so; a how-to starts with what you
#: do; a reference page names its subject, a colon and what it holds; an
#: explanation is a noun phrase with "The".
PATTERNS = {
    "tutorials": r"^Tutorial: \S",
    "howto": r"^(?!How\b|The\b|A\b|An\b)[A-Z][a-z]+(?<!ing)\b[^:]*$",
    "reference": r"^[A-Z][\w`' -]*: \S",
    "explanation": r"^The \S",
}


@pytest.mark.parametrize(
    "page",
    [p for section in PATTERNS for p in _pages(section)],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_titles_follow_their_sections_pattern(page: Path) -> None:
    """Every page title follows its section's pattern (pages added later too)."""
    assert re.match(PATTERNS[page.parent.name], _title(page)), _title(page)


def test_the_changelog_is_in_the_docs() -> None:
    """docs/changelog.md includes CHANGELOG.md and the index lists it."""
    assert "{include} ../CHANGELOG.md" in (DOCS / "changelog.md").read_text(encoding="utf-8")
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert re.search(r"```\{toctree\}[^`]*\nchangelog\n```", index)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(minutes=90), "timedelta(minutes=90)"),
        (timedelta(hours=2), "timedelta(hours=2)"),
        (timedelta(days=7), "timedelta(weeks=1)"),
        (timedelta(seconds=5), "timedelta(seconds=5)"),
    ],
)
def test_timedelta_defaults_read_as_written(value: timedelta, text: str) -> None:
    """A timedelta default shows as a reader writes it."""
    assert emessi_docfixes.show_timedelta(value) == text


def test_signatures_show_real_defaults() -> None:
    """attrs factories and timedeltas appear as their values, never NOTHING."""
    signature = emessi_docfixes.real_signature(
        emessi.MethodProfile,
        "(name, peers, severities=NOTHING, disabled_rules=(), provenance=NOTHING)",
    )
    assert signature == "(name, peers, severities={}, disabled_rules=(), provenance={})"
    assert emessi_docfixes.real_signature(
        emessi.agenda_for, "(kind, duration=datetime.timedelta(seconds=5400), lang='en')"
    ) == ("(kind, duration=timedelta(minutes=90), lang='en')")


def test_only_the_first_release_versionadded_is_dropped() -> None:
    """'Added in version 0.1.0' says nothing; a later versionadded stays."""
    lines = ["Text.", "", ".. versionadded:: 0.1.0", "", ".. versionadded:: 0.2.0", ""]
    assert emessi_docfixes.without_first_release(lines) == [
        "Text.",
        "",
        "",
        ".. versionadded:: 0.2.0",
    ]


def test_parameters_move_before_the_example() -> None:
    """A parameter list autodoc appended after an example moves before it."""
    content = nodes.container()
    content += nodes.paragraph(text="Summary.")
    content += nodes.rubric(text="Example")
    content += nodes.doctest_block(text=">>> 1")
    content += nodes.field_list()
    emessi_docfixes.parameters_first(content)
    kinds = [type(child).__name__ for child in content.children]
    assert kinds == ["paragraph", "field_list", "rubric", "doctest_block"]


def test_built_html_has_no_placeholder_defaults() -> None:
    """In a built reference (if one is there), no NOTHING, no seconds=5400, no blanket 0.1.0."""
    built = ROOT / "docs" / "_build" / "html" / "reference"
    if not built.is_dir():
        pytest.skip("the docs are not built here; CI builds them before and checks the code above")
    text = "".join(page.read_text(encoding="utf-8") for page in built.glob("*.html"))
    assert "NOTHING" not in text
    assert "timedelta(seconds=5400)" not in text
    assert "Added in version 0.1.0" not in text
    assert "emessi.emessi.__version__" not in text


def test_readme_plot_description_matches_the_plot() -> None:
    """The README's alt text gives the number of runs make_plots.py simulates."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (alt,) = re.findall(r"!\[([^\]]*)\]\(docs/_static/simulation-attendance\.png\)", readme)
    script = (DOCS / "_static" / "make_plots.py").read_text(encoding="utf-8")
    (runs,) = re.findall(r"simulate\(SCENARIO, runs=(\d+)", script)
    assert f"{runs} simulated runs" in alt
