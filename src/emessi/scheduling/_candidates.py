"""Candidate series for the programme planner: variants of a wish, and their own costs.

A group's *wish* is the rule or poll slot it asked for (or that formation
chose for it). Its candidates are nearby series the planner may give it
instead: the same rule on another week of the month, weekday or hour, or
another slot of its poll. Each candidate is planned once per distinct rule,
start and zone with :func:`~emessi.scheduling.plan_starts` (cached), so a
thousand groups that share a few wishes plan a few hundred series.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import attrs

from emessi._i18n import _
from emessi.errors import ScheduleError
from emessi.scheduling.poll import Slot

__all__ = ["Shape", "Spec", "shape_of", "slot_shape", "variants"]

_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ORDER = ("FREQ", "INTERVAL", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND")
#: Ordinals a monthly variant may take (the fifth weekday is missing in most months).
_ORDINALS = (1, 2, 3, 4)
#: Weekdays a variant may move to: working days (a weekend wish keeps its own day).
_WORKDAYS = (0, 1, 2, 3, 4)
#: A variant starts no earlier and ends no later than this (local wall time).
_EARLIEST, _LATEST = 7 * 60, 21 * 60


@attrs.frozen
class Shape:
    """What a wish looks like, as far as the planner can vary it.

    ``kind`` is ``"nth"`` (the n-th weekday of each month), ``"weekly"``
    (every *interval* weeks on a weekday), ``"monthday"`` (a day of the
    month) or ``"other"`` (any other rule: only its start date is used).
    """

    kind: str
    rule: str
    weekday: int | None = None
    ordinal: int | None = None
    interval: int = 1
    monthday: int | None = None
    minute: int | None = None  # minutes after midnight, when the rule has one time
    slot: str | None = None


@attrs.frozen
class Spec:
    """One candidate series before planning: its rule, first day and distance."""

    rule: str
    first: date
    distance: int
    slot: str | None = None
    weekday: int | None = None
    minute: int | None = None


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        key, _unused, value = item.partition("=")
        parts[key] = value
    return parts


def _join(parts: dict[str, str]) -> str:
    keys = [k for k in _ORDER if k in parts] + sorted(k for k in parts if k not in _ORDER)
    return ";".join(f"{k}={parts[k]}" for k in keys)


def _single_int(value: str | None) -> int | None:
    if value is None or "," in value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def shape_of(rule: str, slot: str | None = None) -> Shape:
    """The shape of a canonical RRULE *rule*."""
    parts = _parts(rule)
    hour, minute = _single_int(parts.get("BYHOUR")), _single_int(parts.get("BYMINUTE", "0"))
    at = hour * 60 + minute if hour is not None and minute is not None else None
    simple = set(parts) <= {*_ORDER, "WKST"} and parts.get("BYSECOND", "0") == "0"
    byday = parts.get("BYDAY", "")
    interval = _single_int(parts.get("INTERVAL", "1")) or 1
    if simple and at is not None and byday and "," not in byday:
        code, number = byday[-2:], byday[:-2]
        if code in _BYDAY:
            weekday = _BYDAY.index(code)
            if parts["FREQ"] == "MONTHLY" and number and interval == 1:
                ordinal = int(number)
                if ordinal in (1, 2, 3, 4, 5, -1):
                    return Shape("nth", rule, weekday, ordinal, minute=at, slot=slot)
            if parts["FREQ"] == "WEEKLY" and not number:
                return Shape("weekly", rule, weekday, None, interval, minute=at, slot=slot)
    monthday = _single_int(parts.get("BYMONTHDAY"))
    monthly = simple and parts["FREQ"] == "MONTHLY" and not byday and interval == 1
    if monthly and at is not None and monthday and 1 <= monthday <= 28:
        return Shape("monthday", rule, monthday=monthday, minute=at, slot=slot)
    return Shape("other", rule, minute=at, slot=slot)


def slot_shape(slot: Slot, ordinal: int = 2) -> Shape:
    """The shape of a weekly poll slot met monthly (see :meth:`Slot.rule`)."""
    return shape_of(slot.rule(ordinal), slot.id)


def _at(parts: dict[str, str], minute: int) -> None:
    parts["BYHOUR"], parts["BYMINUTE"], parts["BYSECOND"] = str(minute // 60), str(minute % 60), "0"


def _nth(weekday: int, ordinal: int, minute: int) -> str:
    # Written out (not through _join): the planner builds thousands of these.
    return (
        f"FREQ=MONTHLY;BYDAY={ordinal:+d}{_BYDAY[weekday]};"
        f"BYHOUR={minute // 60};BYMINUTE={minute % 60};BYSECOND=0"
    )


def _weekly(weekday: int, interval: int, minute: int) -> str:
    parts = {"FREQ": "WEEKLY", "INTERVAL": str(interval), "BYDAY": _BYDAY[weekday]}
    _at(parts, minute)
    return _join(parts)


def _monthday(day: int, minute: int) -> str:
    parts = {"FREQ": "MONTHLY", "BYMONTHDAY": str(day)}
    _at(parts, minute)
    return _join(parts)


def _hours(minute: int, spread: int, duration: int) -> list[int]:
    found = []
    for step in range(-spread, spread + 1):
        moved = minute + 60 * step
        if moved >= _EARLIEST and moved + duration <= _LATEST:
            found.append(moved)
    return found or [minute]


def _ordinal_steps(a: int, b: int) -> int:
    # "last" sits after the fourth week.
    return abs((5 if a == -1 else a) - (5 if b == -1 else b))


def _clock_steps(a: int, b: int) -> int:
    return math.ceil(abs(a - b) / 60)


def variants(
    wish: Shape | None,
    start: date,
    slots: tuple[Slot, ...] | None,
    spread: int,
    duration: int,
) -> Iterator[Spec]:
    """Candidate series near *wish*; with *slots* (a poll), only at those slots.

    The distance of a candidate is the number of steps from the wish: one
    per weekday, week of the month (or week of a multi-week rhythm) and
    hour it is moved by.
    """
    if slots is not None:
        yield from _poll_variants(wish, start, slots)
        return
    if wish is None:
        return
    if wish.kind == "nth" and wish.minute is not None and wish.weekday is not None:
        assert wish.ordinal is not None
        days = sorted({*_WORKDAYS, wish.weekday})
        ordinals = sorted({*_ORDINALS, wish.ordinal})
        for weekday in days:
            for ordinal in ordinals:
                for minute in _hours(wish.minute, spread, duration):
                    yield Spec(
                        _nth(weekday, ordinal, minute),
                        start,
                        abs(weekday - wish.weekday)
                        + _ordinal_steps(ordinal, wish.ordinal)
                        + _clock_steps(minute, wish.minute),
                        weekday=weekday,
                        minute=minute,
                    )
    elif wish.kind == "weekly" and wish.minute is not None and wish.weekday is not None:
        days = sorted({*_WORKDAYS, wish.weekday})
        for weekday in days:
            for phase in range(wish.interval):
                for minute in _hours(wish.minute, spread, duration):
                    yield Spec(
                        _weekly(weekday, wish.interval, minute),
                        start + timedelta(weeks=phase),
                        abs(weekday - wish.weekday) + phase + _clock_steps(minute, wish.minute),
                        weekday=weekday,
                        minute=minute,
                    )
    elif wish.kind == "monthday" and wish.minute is not None and wish.monthday is not None:
        for day in range(max(1, wish.monthday - 3), min(28, wish.monthday + 3) + 1):
            for minute in _hours(wish.minute, spread, duration):
                yield Spec(
                    _monthday(day, minute),
                    start,
                    abs(day - wish.monthday) + _clock_steps(minute, wish.minute),
                    minute=minute,
                )
    else:
        yield Spec(wish.rule, start, 0, minute=wish.minute)


def _poll_variants(wish: Shape | None, start: date, slots: tuple[Slot, ...]) -> Iterator[Spec]:
    weekly = wish is not None and wish.kind == "weekly"
    for slot in slots:
        if slot.weekday is None or slot.at is None:
            continue  # a concrete slot is one date, not a series
        minute = slot.at.hour * 60 + slot.at.minute
        near = 0
        if wish is not None and wish.weekday is not None and wish.minute is not None:
            near = abs(slot.weekday - wish.weekday) + _clock_steps(minute, wish.minute)
        if weekly:
            assert wish is not None
            for phase in range(wish.interval):
                yield Spec(
                    _weekly(slot.weekday, wish.interval, minute),
                    start + timedelta(weeks=phase),
                    near + phase,
                    slot.id,
                    slot.weekday,
                    minute,
                )
            continue
        # Without a wish, a weekly slot is met on its second week of the
        # month, as Slot.rule() does; other weeks are a step each away.
        wanted = 2
        if wish is not None and wish.kind == "nth" and wish.ordinal is not None:
            wanted = wish.ordinal
        for ordinal in sorted({*_ORDINALS, wanted}):
            steps = _ordinal_steps(ordinal, wanted)
            yield Spec(
                _nth(slot.weekday, ordinal, minute),
                start,
                near + steps,
                slot.id,
                slot.weekday,
                minute,
            )


def describe(rule: str) -> str:
    """A rule in the planner's friendly words where it has them, else the RRULE."""
    try:  # a SchedulePlan made by hand may hold any text
        shape = shape_of(rule)
        if shape.minute is None:
            return rule
        at = time(shape.minute // 60, shape.minute % 60).strftime("%H:%M")
    except (KeyError, ValueError, IndexError):
        return rule
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    if shape.kind == "nth" and shape.weekday is not None and shape.ordinal is not None:
        word = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
        return f"{word[shape.ordinal]} {names[shape.weekday]} of each month at {at}"
    if shape.kind == "weekly" and shape.weekday is not None:
        every = "every" if shape.interval == 1 else f"every {shape.interval} weeks on"
        return f"{every} {names[shape.weekday]} at {at}"
    if shape.kind == "monthday" and shape.monthday is not None:
        return f"day {shape.monthday} of each month at {at}"
    return rule


def check_spread(spread: object) -> int:
    """*spread* as hours (0-12)."""
    if isinstance(spread, bool) or not isinstance(spread, int) or not 0 <= spread <= 12:
        raise ScheduleError(_("spread is a whole number of hours within 0-12"), path="spread")
    return spread


def minutes_utc(moment: datetime) -> int:
    """Whole minutes since the epoch."""
    return int(moment.timestamp()) // 60
