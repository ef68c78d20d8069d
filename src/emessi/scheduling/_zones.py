"""Local wall-clock times in an IANA zone: DST gaps, folds and transitions.

Meetings keep their local wall-clock time across daylight-saving changes,
so the planner works in naive local time and attaches the zone last. A
local time can be missing (the spring gap) or happen twice (the autumn
fold); :func:`attach` resolves both by one policy and says what it did.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import attrs

from emessi.model._checks import zone

__all__ = ["Transition", "WallClock", "attach", "transition_days", "transitions"]


class WallClock(enum.Enum):
    """What happened to a local time on a transition day."""

    #: The local time does not exist (clocks jump forward over it); it is
    #: moved forward by the length of the gap, e.g. 03:30 -> 04:30 in
    #: Europe/Helsinki on the last Sunday of March.
    GAP = "gap"
    #: The local time happens twice (clocks fall back); the first of the two,
    #: the earlier instant still on summer time, is taken.
    FOLD = "fold"


def attach(local: datetime, tz: ZoneInfo) -> tuple[datetime, WallClock | None]:
    """*local* (naive wall time) in *tz*, with the policy applied if it was needed."""
    aware = local.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != local:
        # In a gap zoneinfo reads fold=0 with the offset before the jump, so the
        # round trip lands after the gap, by exactly its length.
        return back, WallClock.GAP
    if local.replace(tzinfo=tz, fold=1).utcoffset() != aware.utcoffset():
        return aware, WallClock.FOLD
    return aware, None


@attrs.frozen
class Transition:
    """One change of a zone's UTC offset (or its DST flag or abbreviation)."""

    at: datetime  # the UTC instant of the change
    offset_before: timedelta
    offset_after: timedelta
    dst: bool  # whether daylight-saving time is in force after the change
    name: str  # the abbreviation after the change, e.g. "EEST"

    @property
    def local_before(self) -> datetime:
        """The onset as local wall time on the old offset (what RFC 5545 DTSTART holds)."""
        return (self.at + self.offset_before).replace(tzinfo=None)


def _state(moment: datetime, tz: ZoneInfo) -> tuple[timedelta | None, bool, str | None]:
    local = moment.astimezone(tz)
    dst = local.dst()
    return local.utcoffset(), bool(dst), local.tzname()


@lru_cache(maxsize=256)
def transitions(zone_name: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Every transition of *zone_name* from 1 January *first_year* to the end of *last_year*.

    Found by stepping a day at a time in UTC and bisecting each day on
    which the offset changes down to the second; computed once per zone and
    range. zoneinfo keeps its transition table private, so this is the
    portable way to read it.
    """
    tz = zone(zone_name)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found: list[Transition] = []
    state = _state(moment, tz)
    day = timedelta(days=1)
    while moment < end:
        following = moment + day
        after = _state(following, tz)
        if after != state:
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _state(middle, tz) == state:
                    low = middle
                else:
                    high = middle
            before, now = state[0] or timedelta(0), after[0] or timedelta(0)
            found.append(Transition(high, before, now, after[1], after[2] or ""))
            state = after
        moment = following
    return tuple(found)


@lru_cache(maxsize=256)
def transition_days(zone_name: str, first_year: int, last_year: int) -> frozenset[date]:
    """Local dates on which *zone_name* changes its offset: the only days to check."""
    days: set[date] = set()
    for change in transitions(zone_name, first_year, last_year):
        days.add((change.at + change.offset_before).date())
        days.add((change.at + change.offset_after).date())
    return frozenset(days)
