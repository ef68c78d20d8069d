"""Sphinx extension: curated API pages that cannot lose a public name.

The directive ``emessi-api`` documents names of a module's ``__all__`` with
the matching autodoc directive (``autoclass``, ``autoexception``,
``autofunction``, ``autodata``)::

    .. emessi-api:: emessi.model

       Group Membership

With names, it documents those (a name that is not in ``__all__`` is a build
error, so a rename cannot silently empty a section). Without names, it
documents every name of ``__all__`` that no ``emessi-api`` directive on the
same page has shown yet, under a rubric. A page therefore groups the names it
knows about by hand and ends with a bare ``emessi-api``: a name someone adds
to the subpackage's ``__all__`` later appears on the page without an edit.

Objects are documented under the name users import: ``emessi.Group`` when the
top-level package exports the very same object, else ``emessi.model.Group``
(the ``:module-names:`` flag keeps the module's own names, e.g. for
``emessi.errors``). Submodules in ``__all__`` (``emessi.errors``) are skipped:
they have their own page.

The extension also resolves cross-references by object identity, so
``emessi.rules.Breach``, ``emessi.rules._engine.Breach`` (what type hints
name) and ``emessi.Breach`` all reach the one place where ``Breach`` is
documented; see :func:`resolve_by_identity`. It also smooths two rough
edges of the tools: napoleon reading a prose first line with a colon as a
type (:func:`keep_prose_colons`), and an exception's description listing its
``__init__``'s return type (:func:`no_return_type_for_exceptions`).
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
import types
from typing import Any, TypeVar

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import RSTState
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

_MISSING = object()


def public_names(module_name: str) -> list[str]:
    """The names in the ``__all__`` of *module_name*, in their order."""
    module = importlib.import_module(module_name)
    return list(getattr(module, "__all__", []))


def lookup(dotted: str) -> Any:
    """The object a dotted name refers to, or ``_MISSING``.

    Imports the longest importable module prefix and walks the rest as
    attributes, so ``emessi.Report.raise_for_errors`` works.
    """
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        except Exception:
            return _MISSING
        for attribute in parts[cut:]:
            value = getattr(value, attribute, _MISSING)
            if value is _MISSING:
                return _MISSING
        return value
    return _MISSING


def documented_name(module_name: str, name: str, *, module_names: bool = False) -> str:
    """The dotted name under which *name* of *module_name* is documented."""
    obj = getattr(importlib.import_module(module_name), name)
    if not module_names and module_name != "emessi":
        top = importlib.import_module("emessi")
        if getattr(top, name, _MISSING) is obj:
            return f"emessi.{name}"
    return f"{module_name}.{name}"


def directive_lines(dotted: str, obj: Any) -> list[str]:
    """The autodoc directive (reST lines) that documents *obj* as *dotted*."""
    if isinstance(obj, type) and issubclass(obj, BaseException):
        return [f".. autoexception:: {dotted}", "   :members:", ""]
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        # Enum members carry no docstrings; list them anyway, with values.
        return [f".. autoclass:: {dotted}", "   :members:", "   :undoc-members:", ""]
    if isinstance(obj, type):
        return [f".. autoclass:: {dotted}", "   :members:", ""]
    if inspect.isroutine(obj) or callable(obj):
        return [f".. autofunction:: {dotted}", ""]
    return [f".. autodata:: {dotted}", ""]


class EmessiApi(SphinxDirective):
    """``.. emessi-api:: module`` with optional names as content."""

    required_arguments = 1
    has_content = True
    option_spec = {  # noqa: RUF012 - docutils' interface
        "module-names": directives.flag,
        "rubric": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        if not isinstance(self.state, RSTState):
            raise self.error("emessi-api writes reStructuredText: use it inside {eval-rst}")
        module_name = self.arguments[0]
        try:
            names = public_names(module_name)
        except ImportError as error:
            raise self.error(f"cannot import {module_name}: {error}") from None
        shown: set[str] = self.env.temp_data.setdefault("emessi_api_shown", {}).setdefault(
            module_name, set()
        )
        wanted = " ".join(self.content).split()
        unknown = [name for name in wanted if name not in names]
        if unknown:
            raise self.error(f"not in {module_name}.__all__: {', '.join(unknown)}")
        rest = not wanted
        if rest:
            wanted = [name for name in names if name not in shown]
        module = importlib.import_module(module_name)
        lines: list[str] = []
        for name in wanted:
            shown.add(name)
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType):
                continue
            dotted = documented_name(module_name, name, module_names="module-names" in self.options)
            lines += directive_lines(dotted, obj)
        if not lines:
            return []
        if rest:
            rubric = self.options.get("rubric", f"More in {module_name}")
            lines = [f".. rubric:: {rubric}", "", *lines]
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), 0, container)
        return container.children


def summary_lines(module_name: str) -> list[str]:
    """A reST table of every name in ``__all__``: a link and the first docstring line."""
    module = importlib.import_module(module_name)
    lines = [
        f".. list-table:: Every name in ``{module_name}``",
        "   :header-rows: 1",
        "   :widths: 30 70",
        "   :class: emessi-table",
        "",
        "   * - Name",
        "     - What it is",
    ]
    for name in public_names(module_name):
        obj = getattr(module, name)
        if isinstance(obj, types.ModuleType):
            link, doc = f":py:mod:`{obj.__name__}`", inspect.getdoc(obj) or ""
        elif isinstance(obj, type) or callable(obj):
            link, doc = f":py:obj:`~{module_name}.{name}`", inspect.getdoc(obj) or ""
        else:
            link, doc = f":py:data:`~{module_name}.{name}`", ""
        summary = doc.strip().splitlines()[0] if doc.strip() else ""
        lines += [f"   * - {link}", f"     - {summary}"]
    return [*lines, ""]


class EmessiApiSummary(SphinxDirective):
    """``.. emessi-api-summary:: module``: a table of the module's public names."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        if not isinstance(self.state, RSTState):
            raise self.error("emessi-api-summary writes reStructuredText: use it inside {eval-rst}")
        container = nodes.container()
        lines = summary_lines(self.arguments[0])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), 0, container)
        return container.children


_INDEX_KEY = "_emessi_api_index"


def _index(env: BuildEnvironment) -> dict[str, list[str]]:
    """Documented ``emessi`` objects by their last name component."""
    domain = env.get_domain("py")
    objects: dict[str, Any] = domain.objects  # type: ignore[attr-defined]
    cached = getattr(env, _INDEX_KEY, None)
    if cached is not None and cached[0] == len(objects):
        return cached[1]
    index: dict[str, list[str]] = {}
    for fullname in objects:
        if fullname.startswith("emessi"):
            index.setdefault(fullname.rpartition(".")[2], []).append(fullname)
    setattr(env, _INDEX_KEY, (len(objects), index))
    return index


def _candidates(node: nodes.Element) -> list[str]:
    target: str = node.get("reftarget", "")
    module, cls = node.get("py:module"), node.get("py:class")
    candidates = [target]
    if module and cls:
        candidates.append(f"{module}.{cls}.{target}")
    if module:
        candidates.append(f"{module}.{target}")
    return [c for c in candidates if c.startswith("emessi.")]


def _entry_for(env: BuildEnvironment, dotted: str) -> tuple[str, Any] | None:
    """The documented name and py-domain entry of the object *dotted* names."""
    obj = lookup(dotted)
    if obj is _MISSING:
        return None
    objects: dict[str, Any] = env.get_domain("py").objects  # type: ignore[attr-defined]
    for fullname in _index(env).get(dotted.rpartition(".")[2], []):
        if lookup(fullname) is obj:
            return fullname, objects[fullname]
    return None


def resolve_by_identity(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Element
) -> nodes.Node | None:
    """Resolve a missing ``emessi.*`` reference to where its object is documented.

    Three cases, tried for each reading of the target (as given, or
    relative to the current class and module):

    - the object is documented under another name (a re-export): link there;
    - it is a field of an attrs class (``:attr:`staff```), documented in the
      class's parameters: link to the class;
    - it is a type variable (``T`` in an overload): nothing to link, so the
      name is shown as plain text.
    """
    if node.get("refdomain") != "py":
        return None
    for candidate in _candidates(node):
        found = _entry_for(env, candidate)
        if found is None:
            owner, _, field = candidate.rpartition(".")
            owner_obj = lookup(owner)
            if attrs.has(owner_obj) and field in attrs.fields_dict(owner_obj):
                found = _entry_for(env, owner)
        if found is not None:
            fullname, entry = found
            return make_refnode(
                app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, fullname
            )
        if isinstance(lookup(candidate), TypeVar):
            return contnode
    return None


#: The start of a prose sentence that has a colon in it (``The rule's
#: documentation: its check's docstring.``), as opposed to a type
#: (``list[str]: The names.``).
_PROSE_BEFORE_COLON = re.compile(r"^\s*[A-Z][\w'’-]*(?: [\w'’()-]+)+:\s")


def keep_prose_colons(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Stop napoleon reading a prose sentence with a colon as a type.

    Google style lets an attribute's docstring start with its type
    (``int: The count.``), so napoleon takes whatever precedes the first
    colon of a property, attribute or data docstring as a type. For a
    sentence such as ``When the meeting ends: start + duration`` that gives
    a broken type link; an empty type (a leading ``: ``) avoids it.
    """
    if what in {"attribute", "property", "data"} and lines and _PROSE_BEFORE_COLON.match(lines[0]):
        lines[0] = ": " + lines[0].lstrip()


def no_return_type_for_exceptions(
    app: Sphinx, domain: str, objtype: str, contentnode: nodes.Element
) -> None:
    """Drop the ``-> None`` of an exception's ``__init__`` from its description.

    Sphinx leaves out a class's return type when it merges type hints into
    the description, but not an exception's, which then reads "Return type:
    None". This runs just before that merge.
    """
    if domain != "py" or objtype != "exception":
        return
    signature = contentnode.parent[0]
    module, fullname = signature.get("module"), signature.get("fullname")
    if not fullname:
        return
    document = getattr(app.env, "current_document", None)
    annotations = getattr(document, "autodoc_annotations", None)
    if annotations is None:  # Sphinx before 8.2 kept them in temp_data
        annotations = app.env.temp_data.get("annotations", {})
    annotations.get(f"{module}.{fullname}" if module else fullname, {}).pop("return", None)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive and the reference resolver."""
    app.add_directive("emessi-api", EmessiApi)
    app.add_directive("emessi-api-summary", EmessiApiSummary)
    app.connect("missing-reference", resolve_by_identity)
    # before napoleon (priority 500), which reads the type from the first line
    app.connect("autodoc-process-docstring", keep_prose_colons, priority=400)
    # before sphinx.ext.autodoc.typehints merges the hints (priority 500)
    app.connect("object-description-transform", no_return_type_for_exceptions, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
