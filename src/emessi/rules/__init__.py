"""Validation: rules with stable codes, findings with paths, reports."""

from emessi.rules import builtin as _builtin  # noqa: F401 - registers the rules
from emessi.rules._engine import (
    Breach,
    Context,
    Finding,
    Report,
    Rule,
    register_rule,
    registered_rules,
    rule,
    unregister_rule,
    validate,
)

__all__ = [
    "Breach",
    "Context",
    "Finding",
    "Report",
    "Rule",
    "register_rule",
    "registered_rules",
    "rule",
    "unregister_rule",
    "validate",
]
