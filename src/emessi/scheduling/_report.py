"""The schedule part of validation: the rules a planner or a change can break."""

from __future__ import annotations

from emessi.method.profiles import MethodProfile
from emessi.model._strict import checked
from emessi.model.groups import Group
from emessi.rules import Report, validate

__all__ = ["SCHEDULE_RULES", "check_schedule"]

#: The codes of the rules about a group's schedule.
SCHEDULE_RULES = ("meeting-count", "meeting-duration", "meeting-overlap", "meeting-rhythm")


@checked
def check_schedule(group: Group, profile: MethodProfile | str | None = None) -> Report:
    """The findings of the schedule rules for *group*: count, rhythm, duration, overlap.

    Runs :func:`emessi.validate` and keeps the findings of
    ``meeting-count``, ``meeting-rhythm``, ``meeting-duration`` and
    ``meeting-overlap``, so a change to one meeting can be checked without
    the group's other findings (its roles, its themes).

    Example:
        >>> from datetime import date
        >>> from emessi import Group
        >>> from emessi.scheduling import apply_plan, check_schedule, plan_schedule
        >>> plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00")
        >>> check_schedule(apply_plan(Group("g-01"), plan)).ok
        True
        >>> check_schedule(Group("g-01")).codes()
        {'meeting-count'}

    .. versionadded:: 0.1.0

    """
    report = validate(group, profile)
    return Report(tuple(f for f in report.findings if f.code in SCHEDULE_RULES))
