"""Rules from elsewhere: the ``emessi.rules`` entry-point group and ``module:attribute``.

A rule plug-in is a module that registers its rules when imported (with
:func:`~emessi.rules.rule` or :func:`~emessi.rules.register_rule`), or an
attribute that is a :class:`~emessi.rules.Rule` or a list of them. Each rule
remembers where it came from, for ``emessi rules``.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable, Iterable
from importlib import metadata
from typing import Any

from emessi._i18n import _
from emessi.errors import ProfileError, UsageError
from emessi.model._strict import checked
from emessi.rules._engine import _RULES, Rule, register_rule

__all__ = ["RULES_ENTRY_POINT_GROUP", "load_rules", "rule_origin"]

#: The entry-point group through which installed packages add rules.
RULES_ENTRY_POINT_GROUP = "emessi.rules"

_origins: dict[tuple[str, str], str] = {}
_state = {"loaded": False}
# Plug-ins that failed to load: raised on every use until fixed, so that a
# validation never silently runs without an installed rule.
# Each failed plug-in: its name, its entry point's value, where, and the
# message of the failure; the ProfileError is made when raised, so that its
# words follow the language of that moment.
_failures: list[tuple[str, str, str, str]] = []


@checked
def rule_origin(registered: Rule) -> str:
    """Where *registered* came from.

    ``"built-in"``, ``"entry point NAME (module:attribute)"``, ``"module
    module:attribute"`` for :func:`load_rules`, or ``"registered in code
    (module)"``.

    Example:
        >>> from emessi.rules import registered_rules
        >>> rule_origin(registered_rules()[0])
        'built-in'

    .. versionadded:: 0.1.0

    """
    key = (registered.code, registered.scope)
    if key in _origins:
        return _origins[key]
    module = getattr(registered.check, "__module__", "") or ""
    if module.startswith("emessi.rules."):
        return "built-in"
    return f"registered in code ({module})" if module else "registered in code"


def _adopt(value: Any, before: set[Any], origin: str, where: str) -> list[Rule]:
    """Register what *value* holds; mark every rule it added with *origin*."""
    rules: list[Rule] = []
    if isinstance(value, Rule):
        rules = [value]
    elif not isinstance(value, types.ModuleType | str) and isinstance(value, Iterable):
        rules = list(value)
        if not all(isinstance(item, Rule) for item in rules):
            raise UsageError(_("expected Rule objects in the list"), path=where)
    elif not isinstance(value, types.ModuleType) and not callable(value):
        raise UsageError(_("expected a module, a rule, or a list of rules"), path=where)
    for item in rules:
        if _RULES.get((item.code, item.scope)) is not item:
            register_rule(item.code, item.check, scope=item.scope, severity=item.severity)
    added = [r for key, r in _RULES.items() if key not in before]
    if callable(value) and not isinstance(value, Rule) and not added:
        raise UsageError(
            _("this function is not a registered rule: decorate it with @rule(...)"), path=where
        )
    for item in added:
        _origins[(item.code, item.scope)] = origin
    return added


@checked
def load_rules(spec: str) -> list[Rule]:
    """Import the rules named by *spec*, ``"module"`` or ``"module:attribute"``.

    The module is imported (its ``@rule`` functions register themselves);
    an attribute that is a :class:`~emessi.rules.Rule` or a list of rules is
    registered. The command line's ``--rules`` uses this (and searches the
    current folder first).

    Returns:
        The rules that were added.

    Raises:
        UsageError: *spec* is malformed, cannot be imported, or names
            something that is not a rule.

    Example:
        >>> [r.code for r in load_rules("emessi.rules.builtin")]  # already registered
        []

    .. versionadded:: 0.1.0

    """
    if not isinstance(spec, str) or not spec.strip():
        raise UsageError(_("expected module or module:attribute"), path="rules")
    module_name, _colon, attribute = spec.partition(":")
    origin = f"module {spec}"

    def loader() -> Any:
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise UsageError(
                _(
                    "cannot import {module!r} ({error}); "
                    "is it in the current folder or on PYTHONPATH?"
                ).format(module=module_name, error=type(error).__name__),
                path="rules",
            ) from None
        if not attribute:
            return module
        value: Any = module
        for part in attribute.split("."):
            if not hasattr(value, part):
                raise UsageError(
                    _("{module!r} has no {attribute!r}").format(
                        module=module_name, attribute=attribute
                    ),
                    path="rules",
                )
            value = getattr(value, part)
        return value

    return _load(loader, origin, "rules")


def _load(loader: Callable[[], Any], origin: str, where: str) -> list[Rule]:
    before = set(_RULES)
    try:
        value = loader()
    except UsageError:
        raise
    except Exception as error:
        raise UsageError(
            _("loading the rules failed ({error})").format(error=type(error).__name__), path=where
        ) from None
    return _adopt(value, before, origin, where)


def load_rule_plugins() -> None:
    """Load the ``emessi.rules`` entry points (once per process).

    Raises:
        ProfileError: an installed rule plug-in failed to load (every time
            until it is fixed or uninstalled); the others are loaded.
    """
    if not _state["loaded"]:
        _state["loaded"] = True
        for entry in metadata.entry_points(group=RULES_ENTRY_POINT_GROUP):
            where = f"entry_points[{RULES_ENTRY_POINT_GROUP!r}][{entry.name!r}]"
            try:
                _load(entry.load, f"entry point {entry.name} ({entry.value})", where)
            except UsageError as error:
                _failures.append((entry.name, entry.value, where, error.message))
    if _failures:
        name, value, where, failure = _failures[0]
        raise ProfileError(
            _("the rule plug-in {name!r} ({value}) failed to load: {error}").format(
                name=name, value=value, error=failure
            ),
            path=where,
        )
