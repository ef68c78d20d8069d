"""Narrative pages link every API name they mention to its reference entry.

A tutorial or how-to that writes ``simulate`` or ``Scenario.groups`` in
backticks, instead of ``{func}`~emessi.simulate```, leaves the reader
without a way to the reference. :func:`unresolved` counts such names in a
page's prose, and the names its code comments mention that the page links
nowhere; the test below wants none on every tutorial and how-to page,
including pages added later.
"""

from __future__ import annotations

import functools
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: The narrative sections whose pages must link the API names they use.
SECTIONS = ("tutorials", "howto")
#: Modules whose ``__all__`` names are API names.
MODULES = (
    "emessi",
    "emessi.errors",
    "emessi.provenance",
    "emessi.model",
    "emessi.method",
    "emessi.rules",
    "emessi.io",
    "emessi.io.ical",
    "emessi.scheduling",
    "emessi.simulation",
    "emessi.plotting",
    "emessi.research",
    "emessi.formation",
    "emessi.testing",
    "emessi.demo",
    "emessi.cli",
)

_FENCE = re.compile(r"^(```+|~~~+)[^\n]*\n.*?^\1[ \t]*$", re.S | re.M)
_SPAN = re.compile(r"(?<![}`])`([^`\n]+)`(?!`)")
_ROLE = re.compile(r"\{[\w:-]+\}`([^`]+)`")
_IDENT = re.compile(r"^[A-Za-z_][\w.]*$")
_CALL = re.compile(r"\(.+\)$")


@functools.cache
def api_names() -> dict[str, object]:
    """Every public name, short (``simulate``) and qualified (``emessi.simulate``)."""
    names: dict[str, object] = {}
    for module_name in MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # an optional dependency is missing
            continue
        names[module_name] = module
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            names.setdefault(name, obj)
            names[f"{module_name}.{name}"] = obj
    names.pop("emessi", None)  # the package, and the command: not one entry
    # emessi.testing's strategies share their short names with fields
    # (`people`, `themes`): only their qualified names count.
    testing = importlib.import_module("emessi.testing")
    for name in getattr(testing, "__all__", []):
        if names.get(name) is getattr(testing, name):
            del names[name]
    return names


def api_name(text: str) -> str | None:
    """The API name *text* (an inline code span) refers to, or None."""
    text = text.strip()
    text = re.sub(r"\(.*\)$", "", text)  # simulate() or simulate(scenario)
    if not _IDENT.match(text) or text.endswith("="):
        return None
    names = api_names()
    if text in names:
        return text
    head, _, attribute = text.rpartition(".")
    owner = names.get(head)
    if owner is not None and isinstance(owner, type) and attribute:
        fields = getattr(owner, "__attrs_attrs__", ())
        if hasattr(owner, attribute) or any(f.name == attribute for f in fields):
            return text
    return None


def _linked(prose: str) -> set[str]:
    """The names the page's roles link to, by every suffix of their target."""
    linked: set[str] = set()
    for content in _ROLE.findall(prose):
        target = content.rsplit("<", 1)[-1].rstrip(">").lstrip("~!").strip()
        parts = target.split(".")
        linked.update(".".join(parts[i:]) for i in range(len(parts)))
    return linked


def _comments(code: str) -> list[str]:
    comments = []
    for line in code.splitlines():
        source = re.sub(r"^\s*(>>>|\.\.\.)\s?", "", line)
        source = re.sub(r"(['\"]).*?\1", "", source)  # no '#' inside strings
        if "#" in source:
            comments.append(source.split("#", 1)[1])
    return comments


def _comment_names(comment: str) -> list[str]:
    found = []
    for span in _SPAN.findall(comment):
        found.append(span)
    for word in re.findall(r"\b([A-Za-z_][\w.]*)(?:\(\))?", comment):
        if word[:1].isupper() or "." in word or f"{word}()" in comment:
            found.append(word)
    return [name for name in (api_name(f) for f in found) if name]


def unresolved(text: str) -> list[str]:
    """API names the page mentions without a link: in prose, and in code comments."""
    prose = _FENCE.sub("", text)
    # Tables describe columns and fields (a `size_band` column), not the API.
    prose = "\n".join(line for line in prose.splitlines() if not line.lstrip().startswith("|"))
    spans = _SPAN.findall(prose)
    linked = _linked(prose)
    # A bare name must be a link; an example call (`simulate(scenario, runs)`)
    # keeps its code, so its name must be linked elsewhere on the page.
    calls = [s for s in spans if _CALL.search(s)]
    missing = [name for name in (api_name(s) for s in spans if s not in calls) if name]
    missing += [f"{n}(...)" for n in (api_name(s) for s in calls) if n and n not in linked]
    for match in _FENCE.finditer(text):
        for comment in _comments(match.group(0)):
            missing += [f"# {n}" for n in _comment_names(comment) if n not in linked]
    return missing


def pages() -> list[Path]:
    return sorted(p for section in SECTIONS for p in (DOCS / section).glob("*.md"))


@pytest.mark.parametrize("page", pages(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_api_name_in_prose_links_to_the_reference(page: Path) -> None:
    """No API name in backticks without a link, nor in a code comment without one on the page."""
    assert unresolved(page.read_text(encoding="utf-8")) == []


def test_the_count_sees_unlinked_names() -> None:
    """The counter finds plain spans and unlinked comment names, and accepts roles."""
    text = (
        "Run `simulate` on a `Scenario` with `Scenario.groups` and `runs=`;"
        " {func}`~emessi.simulation.sweep` is linked.\n\n"
        "```{doctest}\n>>> result = sweep(x)  # sweep() then plot_timeline()\n```\n"
    )
    assert unresolved(text) == ["simulate", "Scenario", "Scenario.groups", "# plot_timeline"]
    calls = "See `sweep(scenario, grid)` and `simulate(scenario, 10)`; {func}`~emessi.sweep`."
    assert unresolved(calls) == ["simulate(...)"]
