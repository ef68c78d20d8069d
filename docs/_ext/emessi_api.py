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
documented; see :func:`resolve_by_identity`. A name that is not qualified
(``:data:`POLICY```, a hint ``Figure`` imported under ``TYPE_CHECKING``,
``npt.NDArray``) is read as the module that wrote it reads it, including
its ``TYPE_CHECKING`` imports (:func:`qualify`): an emessi object is then
found by identity, an external one through intersphinx, and a private emessi
type (``Cohort``) is shown as plain text, because private names have no page.

A re-exported constant (``emessi.research.UWES9``) gets the ``#:`` comment
of the module that defines it (:func:`constant_comment`), not the docstring
of its type, and a constant with a long repr is shown without its value.

It also smooths two rough edges of the tools: napoleon reading a prose first
line with a colon as a type (:func:`keep_prose_colons`), and an exception's
description listing its ``__init__``'s return type
(:func:`no_return_type_for_exceptions`).
"""

from __future__ import annotations

import ast
import enum
import functools
import importlib
import importlib.util
import inspect
import re
import types
import typing
from typing import Any, TypeVar

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import RSTState
from docutils.statemachine import StringList
from sphinx import addnodes
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


def _top_level_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """The imports of a module body, including those under ``if`` and ``try``.

    ``if TYPE_CHECKING:`` blocks count: they are how type hints name classes
    the module does not import at run time. Imports inside functions do not.
    """
    found: list[ast.Import | ast.ImportFrom] = []
    for statement in body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            found.append(statement)
        elif isinstance(statement, ast.If):
            found += _top_level_imports(statement.body) + _top_level_imports(statement.orelse)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody):
                found += _top_level_imports(block)
            for handler in statement.handlers:
                found += _top_level_imports(handler.body)
    return found


@functools.cache
def imported_names(module_name: str) -> dict[str, str]:
    """The names *module_name* binds by importing: local name -> full dotted name.

    Read from the source, so names imported only for type checking are
    included: ``import numpy.typing as npt`` gives ``npt -> numpy.typing``,
    ``from matplotlib.figure import Figure`` gives ``Figure ->
    matplotlib.figure.Figure``.
    """
    try:
        module = importlib.import_module(module_name)
        tree = ast.parse(inspect.getsource(module))
    except (ImportError, OSError, TypeError, SyntaxError):
        return {}
    package = module_name if hasattr(module, "__path__") else module_name.rpartition(".")[0]
    names: dict[str, str] = {}
    for statement in _top_level_imports(tree.body):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    names[head] = head
            continue
        base = statement.module or ""
        if statement.level:
            base = importlib.util.resolve_name("." * statement.level + base, package)
        for alias in statement.names:
            if alias.name != "*":
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
    return names


def qualify(module_name: str, target: str) -> str | None:
    """*target* (``Figure``, ``npt.NDArray``, ``POLICY``) as *module_name* reads it.

    The full dotted name of what the first component of *target* means in
    that module: an import (also one made only for type checking), else a
    name the module defines. ``None`` if the module knows no such name.
    """
    head, dot, tail = target.partition(".")
    full = imported_names(module_name).get(head)
    if full is None:
        module = lookup(module_name)
        if not isinstance(module, types.ModuleType) or head not in vars(module):
            return None
        full = f"{module_name}.{head}"
    return f"{full}{dot}{tail}"


def defining_module(dotted: str) -> str | None:
    """The module whose source wrote the object documented as *dotted*.

    ``emessi.SimulationResult`` -> ``emessi.simulation.result``; for an
    attribute or a constant, the module of its class or of the module that
    documents it.
    """
    while dotted:
        obj = lookup(dotted)
        if isinstance(obj, property):
            obj = obj.fget
        if isinstance(obj, types.ModuleType):
            return obj.__name__
        if inspect.isclass(obj) or inspect.isroutine(obj):
            module = getattr(obj, "__module__", None)
            if isinstance(module, str):
                return module
        dotted = dotted.rpartition(".")[0]
    return None


def constant_comment(module_name: str, name: str) -> list[str]:
    """The ``#:`` comment of the constant *name* of *module_name*, or ``[]``.

    A module that re-exports the constant (``from .instruments import
    UWES9``) has no comment for it; the import is followed to the module
    that defines it, whose comment is the documentation.
    """
    from sphinx.errors import PycodeError
    from sphinx.pycode import ModuleAnalyzer

    seen: set[str] = set()
    while module_name not in seen:
        seen.add(module_name)
        try:
            docs = ModuleAnalyzer.for_module(module_name).find_attr_docs()
        except PycodeError:
            return []
        lines = list(docs.get(("", name), []))
        if "".join(lines).strip():
            return lines
        source = imported_names(module_name).get(name)
        if source is None:
            return []
        module_name, _, name = source.rpartition(".")
    return []


#: A constant whose repr is longer than this is shown without its value.
_LONGEST_VALUE = 60


def is_type_alias(obj: Any) -> bool:
    """Whether *obj* is a type alias (``Literal["skip"] | int``), documented as data.

    Such objects are callable, but they are not functions: their
    documentation is the ``#:`` comment above them.
    """
    if isinstance(obj, typing.TypeAliasType if hasattr(typing, "TypeAliasType") else ()):
        return True
    return typing.get_origin(obj) is not None and not inspect.isclass(obj)


def directive_lines(dotted: str, obj: Any) -> list[str]:
    """The autodoc directive (reST lines) that documents *obj* as *dotted*."""
    if is_type_alias(obj):
        return [f".. autodata:: {dotted}", ""]
    if isinstance(obj, type) and issubclass(obj, BaseException):
        return [f".. autoexception:: {dotted}", "   :members:", ""]
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        # Enum members carry no docstrings; list them anyway, with values.
        return [f".. autoclass:: {dotted}", "   :members:", "   :undoc-members:", ""]
    if isinstance(obj, type):
        return [f".. autoclass:: {dotted}", "   :members:", ""]
    if inspect.isroutine(obj) or callable(obj):
        return [f".. autofunction:: {dotted}", ""]
    if len(repr(obj)) > _LONGEST_VALUE:
        return [f".. autodata:: {dotted}", "   :no-value:", ""]
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


#: A cross-reference role in a docstring: ``:func:`~name``` (no explicit title).
_ROLE = re.compile(r"(?P<role>:(?:py:)?[a-z]+:)`(?P<tilde>~?)(?P<target>[A-Za-z_][\w.]*)`")


def qualify_roles(text: str, module_name: str) -> str:
    """Qualify the targets of the roles in *text* as *module_name* reads them.

    A summary line copied out of its module (into the table of
    :func:`summary_lines`) would otherwise lose the module its short
    targets (``:data:`POLICY```) are relative to. What is shown stays the
    same.
    """

    def qualified(match: re.Match[str]) -> str:
        role, tilde, target = match["role"], match["tilde"], match["target"]
        full = None if target.startswith("emessi.") else qualify(module_name, target)
        if full is None:
            return match[0]
        if tilde or "." not in target:
            return f"{role}`~{full}`"
        return f"{role}`{target} <{full}>`"

    return _ROLE.sub(qualified, text)


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
        elif (isinstance(obj, type) or callable(obj)) and not is_type_alias(obj):
            link, doc = f":py:obj:`~{module_name}.{name}`", inspect.getdoc(obj) or ""
        else:
            link = f":py:data:`~{module_name}.{name}`"
            doc = " ".join(line.strip() for line in constant_comment(module_name, name))
        summary = doc.strip().splitlines()[0] if doc.strip() else ""
        home = defining_module(f"{module_name}.{name}")
        summary = qualify_roles(summary, home) if home else summary
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


#: The node attribute that names the object whose documentation holds a reference.
_OWNER = "emessi_owner"


def note_owners(app: Sphinx, doctree: nodes.document) -> None:
    """Mark each reference in an object's documentation with that object's name.

    Type hints and docstrings name things as their module imports them
    (``Figure``, ``POLICY``); the resolver needs to know which module that
    is. The innermost object wins, so a method's references belong to the
    method.
    """
    for desc in reversed(list(doctree.findall(addnodes.desc))):
        if desc.get("domain") != "py" or not desc.children:
            continue
        signature = desc.children[0]
        if not isinstance(signature, addnodes.desc_signature):
            continue
        module, fullname = signature.get("module"), signature.get("fullname")
        if not fullname:
            continue
        owner = f"{module}.{fullname}" if module else fullname
        for reference in desc.findall(addnodes.pending_xref):
            reference.setdefault(_OWNER, owner)


def _home_reading(node: nodes.Element) -> str | None:
    """The target as the module that wrote the reference reads it, if known."""
    owner = node.get(_OWNER)
    home = defining_module(owner) if owner else None
    return qualify(home, node.get("reftarget", "")) if home else None


def _private(dotted: str) -> bool:
    return any(part.startswith("_") and not part.endswith("__") for part in dotted.split("."))


def resolve_by_identity(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Element
) -> nodes.Node | None:
    """Resolve a missing ``emessi.*`` reference to where its object is documented.

    The target is read as given, relative to the current class and module,
    and as the module that wrote it reads it (see :func:`qualify`). For
    each reading:

    - the object is documented under another name (a re-export): link there;
    - it is a field of an attrs class (``:attr:`staff```), documented in the
      class's parameters: link to the class;
    - it is a type variable (``T`` in an overload): nothing to link, so the
      name is shown as plain text.

    Then, for the module's reading: an external name (``Figure`` ->
    ``matplotlib.figure.Figure``) is looked up with intersphinx; a private
    emessi name (``Cohort``) is shown as plain text: it has no page, by
    design.
    """
    if node.get("refdomain") != "py":
        return None
    reading = _home_reading(node)
    candidates = _candidates(node)
    if reading and reading.startswith("emessi.") and reading not in candidates:
        candidates.append(reading)
    for candidate in candidates:
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
    target = node.get("reftarget", "")
    if target.startswith("emessi.") and _private(target) and lookup(target) is not _MISSING:
        return contnode  # a private type named in full (a type alias expanded)
    if not reading or reading == target:
        return None
    if reading.startswith("emessi."):
        return contnode if _private(reading) else None
    from sphinx.ext.intersphinx import missing_reference

    renamed = node.deepcopy()
    renamed["reftarget"] = reading
    return missing_reference(app, env, renamed, contnode)


#: The start of a prose sentence that has a colon in it (``The rule's
#: documentation: its check's docstring.``), as opposed to a type
#: (``list[str]: The names.``).
_PROSE_BEFORE_COLON = re.compile(r"^\s*[A-Z][\w'’-]*(?: [\w'’()`*-]+)+:\s")


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


def docs_from_defining_module(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Document a constant with its ``#:`` comment, wherever it is defined.

    autodoc looks for the comment only in the module the constant is
    documented under; for a re-export (``emessi.research.UWES9``) it finds
    none and falls back to the docstring of the value's type (``str``,
    ``int``, :class:`~emessi.research.Instrument`).
    """
    if what != "data":
        return
    module_name, _, attribute = name.rpartition(".")
    comment = constant_comment(module_name, attribute)
    if comment:
        lines[:] = [*comment, ""]


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
    app.connect("autodoc-process-docstring", docs_from_defining_module, priority=300)
    app.connect("autodoc-process-docstring", keep_prose_colons, priority=400)
    app.connect("doctree-read", note_owners)
    # before sphinx.ext.autodoc.typehints merges the hints (priority 500)
    app.connect("object-description-transform", no_return_type_for_exceptions, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
