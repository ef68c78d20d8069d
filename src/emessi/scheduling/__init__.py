"""Scheduling: plan a group's meetings, avoid holidays, agree a slot, move meetings.

eMessi groups meet "on a jointly agreed schedule, about once a month, for
1.5-2 hours", 6-8 times (eMessi2 source text). Everything here is a pure
function over the model; the optional ``holidays`` package is imported
only by :class:`PublicHolidays`.

Example:
    >>> from datetime import date
    >>> from emessi.scheduling import plan_starts
    >>> starts = plan_starts(date(2026, 1, 1), "second Tuesday of each month at 14:00", count=6)
    >>> [start.strftime("%a %d %b %H:%M") for start in starts[:2]]
    ['Tue 13 Jan 14:00', 'Tue 10 Feb 14:00']

.. versionadded:: 0.1.0

"""

from emessi.scheduling._recurrence import parse_recurrence
from emessi.scheduling._report import SCHEDULE_RULES, check_schedule
from emessi.scheduling.attendance import ExpectedAttendance, expected_attendance
from emessi.scheduling.availability import (
    AVAILABILITY_COLUMNS,
    availability_csv,
    read_availability,
)
from emessi.scheduling.changes import (
    ScheduleUpdate,
    add_makeup_meeting,
    cancel_planned_meeting,
    reschedule_meeting,
    restore_meeting,
)
from emessi.scheduling.cohort import (
    GroupSchedule,
    Obstacle,
    ObstacleKind,
    PlanCost,
    PlanWeights,
    ProgrammePlan,
    plan_programme,
)
from emessi.scheduling.exclusions import Blackout, HolidayCalendar, PublicHolidays, excluded_days
from emessi.scheduling.load import Overlap, PersonLoad, load_report
from emessi.scheduling.plan import (
    Adjustment,
    AdjustmentKind,
    OnExcluded,
    SchedulePlan,
    apply_plan,
    plan_schedule,
    plan_starts,
)
from emessi.scheduling.poll import (
    Answer,
    Poll,
    PollResult,
    Slot,
    SlotScore,
    Vote,
    common_slots,
    rank_slots,
)
from emessi.scheduling.replan import Alternative, alternative_slots

__all__ = [
    "AVAILABILITY_COLUMNS",
    "SCHEDULE_RULES",
    "Adjustment",
    "AdjustmentKind",
    "Alternative",
    "Answer",
    "Blackout",
    "ExpectedAttendance",
    "GroupSchedule",
    "HolidayCalendar",
    "Obstacle",
    "ObstacleKind",
    "OnExcluded",
    "Overlap",
    "PersonLoad",
    "PlanCost",
    "PlanWeights",
    "Poll",
    "PollResult",
    "ProgrammePlan",
    "PublicHolidays",
    "SchedulePlan",
    "ScheduleUpdate",
    "Slot",
    "SlotScore",
    "Vote",
    "add_makeup_meeting",
    "alternative_slots",
    "apply_plan",
    "availability_csv",
    "cancel_planned_meeting",
    "check_schedule",
    "common_slots",
    "excluded_days",
    "expected_attendance",
    "load_report",
    "parse_recurrence",
    "plan_programme",
    "plan_schedule",
    "plan_starts",
    "rank_slots",
    "read_availability",
    "reschedule_meeting",
    "restore_meeting",
]
