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
from emessi.rules._plugins import RULES_ENTRY_POINT_GROUP, load_rules, rule_origin

__all__ = [
    "RULES_ENTRY_POINT_GROUP",
    "Breach",
    "Context",
    "Finding",
    "Report",
    "Rule",
    "load_rules",
    "register_rule",
    "registered_rules",
    "rule",
    "rule_origin",
    "unregister_rule",
    "validate",
]
