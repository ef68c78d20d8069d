"""Sphinx extension: API entries that read as the code means them.

- **Real defaults in signatures.** An attrs field with a factory shows
  ``NOTHING`` in the signature autodoc reads from ``__init__``; it shows the
  factory's value instead (``severities={}``). A ``timedelta`` default shows
  as ``timedelta(minutes=90)``, not ``datetime.timedelta(seconds=5400)``.
- **Parameters before examples.** With ``autodoc_typehints = "description"``
  autodoc appends a *Parameters* list for a docstring without ``Args:``,
  after its example; the list is moved before the first example.
- **No blanket "Added in version 0.1.0".** Everything public was added in
  the first release, so its ``versionadded`` says nothing; a later version's
  ``versionadded`` (and every ``versionchanged``) is kept.

The ``*_signature`` and ``*_docstring`` functions are plain, so
``tests/test_docs.py`` checks them directly.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import attrs
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

#: The version whose ``versionadded`` is not shown: the first release.
FIRST_RELEASE = "0.1.0"

_TIMEDELTA = re.compile(
    r"datetime\.timedelta\((?:days=(?P<days>-?\d+))?(?:, )?(?:seconds=(?P<seconds>\d+))?"
    r"(?:, )?(?:microseconds=(?P<micro>\d+))?\)"
)


def show_timedelta(value: timedelta) -> str:
    """*value* as a reader would write it: ``timedelta(minutes=90)``."""
    micro = value // timedelta(microseconds=1)
    for unit, size in (("weeks", 604_800), ("days", 86_400), ("hours", 3600), ("minutes", 60)):
        if micro % (size * 1_000_000) == 0:
            return f"timedelta({unit}={micro // (size * 1_000_000)})"
    if micro % 1_000_000 == 0:
        return f"timedelta(seconds={micro // 1_000_000})"
    return f"timedelta(microseconds={micro})"


def _timedelta_text(match: re.Match[str]) -> str:
    value = timedelta(
        days=int(match["days"] or 0),
        seconds=int(match["seconds"] or 0),
        microseconds=int(match["micro"] or 0),
    )
    return show_timedelta(value)


def _factory_defaults(cls: type) -> dict[str, str]:
    """The shown default of each attrs field whose default is a factory."""
    shown = {}
    for field in attrs.fields(cls):
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            factory: Any = field.default
            if factory.takes_self:
                text = "<computed>"
            else:
                value = factory.factory()
                text = show_timedelta(value) if isinstance(value, timedelta) else repr(value)
            shown[field.alias or field.name] = text
    return shown


def real_signature(obj: Any, signature: str) -> str:
    """*signature* with attrs factories and timedeltas shown as their values."""
    if isinstance(obj, type) and attrs.has(obj):
        for name, text in _factory_defaults(obj).items():
            signature = re.sub(rf"\b{re.escape(name)}=NOTHING\b", f"{name}={text}", signature)
    return _TIMEDELTA.sub(_timedelta_text, signature)


def _process_signature(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    if signature is None:
        return None
    return real_signature(obj, signature), return_annotation


def without_first_release(lines: list[str]) -> list[str]:
    """*lines* of a docstring without ``.. versionadded:: 0.1.0`` (in place, and returned)."""
    marker = re.compile(rf"^\s*\.\. versionadded:: {re.escape(FIRST_RELEASE)}\s*$")
    kept = [line for line in lines if not marker.match(line)]
    while kept and not kept[-1].strip():
        kept.pop()
    lines[:] = kept
    return lines


def _process_docstring(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    without_first_release(lines)


def parameters_first(content: nodes.Element) -> None:
    """Move field lists that follow an *Example* rubric to before the rubric."""
    children = list(content.children)
    rubric = next(
        (
            index
            for index, child in enumerate(children)
            if isinstance(child, nodes.rubric) and child.astext().startswith("Example")
        ),
        None,
    )
    if rubric is None:
        return
    late = [child for child in children[rubric + 1 :] if isinstance(child, nodes.field_list)]
    for field_list in late:
        content.remove(field_list)
        content.insert(content.index(children[rubric]), field_list)


def _transform(app: Sphinx, domain: str, objtype: str, content: addnodes.desc_content) -> None:
    if domain == "py":
        parameters_first(content)


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect the handlers; the transform runs after autodoc's type hints."""
    app.connect("autodoc-process-signature", _process_signature)
    app.connect("autodoc-process-docstring", _process_docstring, priority=900)
    app.connect("object-description-transform", _transform, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
