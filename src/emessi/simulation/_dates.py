"""Dates for the simulation, from :mod:`emessi.scheduling`'s planner.

The planner's cached fast path (:func:`~emessi.scheduling.plan_starts`)
does the recurrence, the time zone and the exclusions; this module only asks
it for as many slots as a reschedule policy may need, and finds make-up days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

from emessi._i18n import _
from emessi.errors import EmessiError, RecurrenceError, ScenarioError, ScheduleError
from emessi.scheduling import Blackout, PublicHolidays, excluded_days, plan_starts

__all__ = ["excluded", "make_up", "slots"]

# How far beyond a series' last slot a make-up meeting may fall.
_MAKE_UP_REACH = timedelta(days=120)


Slots = tuple[tuple[datetime, ...], tuple[int, ...]]


def slots(
    rule: str,
    first: date,
    clock: time,
    timezone: str,
    wanted: int,
    needed: int,
    holidays: PublicHolidays | None,
    blackouts: tuple[Blackout, ...],
    path: str,
) -> Slots:
    """Up to *wanted* (at least *needed*) slots of *rule* from the day *first*.

    Returns the slots and their starts in seconds since the epoch.

    Raises:
        ScenarioError: the rule cannot give *needed* slots (with *path*).

    """
    found = _plan(rule, first, clock, timezone, wanted, needed, holidays, blackouts, path)
    return found, tuple(int(moment.timestamp()) for moment in found)


def _plan(
    rule: str,
    first: date,
    clock: time,
    timezone: str,
    wanted: int,
    needed: int,
    holidays: PublicHolidays | None,
    blackouts: tuple[Blackout, ...],
    path: str,
) -> tuple[datetime, ...]:
    start = datetime.combine(first, clock)
    for count in dict.fromkeys((wanted, needed)):
        try:
            # strict=False: a researcher may study rhythms the profile
            # would warn about; the profile still gives the defaults.
            return plan_starts(
                start,
                rule,
                timezone=timezone,
                count=count,
                holidays=holidays,
                blackouts=blackouts,
                strict=False,
            )
        except RecurrenceError as error:
            raise ScenarioError(error.message, path=path) from None
        except ScheduleError as error:
            if count == needed:
                raise ScenarioError(
                    _("from {day}: {message}").format(day=first.isoformat(), message=error.message),
                    path=path,
                ) from None
        except EmessiError as error:
            raise ScenarioError(error.message, path=path) from None
    raise AssertionError("unreachable")  # pragma: no cover


def excluded(
    starts: Sequence[datetime], holidays: PublicHolidays | None, blackouts: tuple[Blackout, ...]
) -> Mapping[date, str]:
    """The excluded days around *starts*, where make-up meetings may fall."""
    days = [moment.date() for moment in starts]
    return excluded_days(min(days), max(days) + _MAKE_UP_REACH, holidays, blackouts)


def make_up(moment: datetime, off: Mapping[date, str]) -> datetime:
    """A make-up for the meeting at *moment*: a week later, on the first day not excluded."""
    later = moment + timedelta(weeks=1)
    while later.date() in off:
        later += timedelta(days=1)
    return later
