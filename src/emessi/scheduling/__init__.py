"""Scheduling: plan a group's meetings, avoid holidays, agree a slot, move meetings.

Everything here is a pure function over the model; optional dependencies
(``holidays``) are imported only by the functions that need them.
"""

from emessi.scheduling._recurrence import parse_recurrence
from emessi.scheduling._report import SCHEDULE_RULES, check_schedule
from emessi.scheduling.exclusions import Blackout, HolidayCalendar, PublicHolidays, excluded_days
from emessi.scheduling.plan import (
    Adjustment,
    AdjustmentKind,
    OnExcluded,
    SchedulePlan,
    apply_plan,
    plan_schedule,
    plan_starts,
)

__all__ = [
    "SCHEDULE_RULES",
    "Adjustment",
    "AdjustmentKind",
    "Blackout",
    "HolidayCalendar",
    "OnExcluded",
    "PublicHolidays",
    "SchedulePlan",
    "apply_plan",
    "check_schedule",
    "excluded_days",
    "parse_recurrence",
    "plan_schedule",
    "plan_starts",
]
