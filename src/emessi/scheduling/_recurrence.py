"""Recurrence rules: a small English grammar, RFC 5545 RRULEs, bounded iteration.

Parsing of RRULE text is left to :func:`dateutil.rrule.rrulestr`; this module
adds the friendly grammar on top, refuses rules that cannot describe a
series of meetings, and iterates every rule within a hard bound.
"""

from __future__ import annotations

import re
from calendar import isleap
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Any

import attrs
from dateutil import rrule as _rr  # type: ignore[import-untyped, unused-ignore]

from emessi._i18n import N_, _
from emessi.errors import RecurrenceError
from emessi.model._checks import FIRST_YEAR as _FIRST_YEAR
from emessi.model._checks import LAST_YEAR as _LAST_YEAR
from emessi.model._checks import zone
from emessi.model._strict import check_for, checked

__all__ = ["parse_recurrence"]

#: Occurrences of a rule are looked for this many years after the start.
HORIZON_YEARS = 5
#: At most this many occurrences are examined for one plan (skipped ones count).
MAX_CANDIDATES = 1000
#: The largest COUNT a rule may have.
MAX_COUNT = 1000
#: Earliest and latest start years the planner accepts: those of every
#: date-time in emessi (:data:`emessi.model._checks.FIRST_YEAR`).
FIRST_YEAR, LAST_YEAR = _FIRST_YEAR, _LAST_YEAR

_FREQ_DAYS = {_rr.YEARLY: 366, _rr.MONTHLY: 31, _rr.WEEKLY: 7, _rr.DAILY: 1}
_FREQ_NAMES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")

_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY = rf"(?P<day>{'|'.join(sorted(_WEEKDAYS, key=len, reverse=True))})s?"
_ORD = rf"(?P<ord>{'|'.join(_ORDINALS)})"
_AT = r"at\s+(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?"
_EVERY_N = r"(?P<n>\d{1,3}|other)"
_FORMS = (
    # "second Tuesday of each month at 14:00", "last Friday monthly at 13:00"
    re.compile(
        rf"^(?:the\s+)?{_ORD}\s+{_DAY}\s+"
        rf"(?:of\s+(?:each|every|the)\s+month|monthly|(?:of\s+)?every\s+month|each\s+month)"
        rf"\s+{_AT}$"
    ),
    # "every 4 weeks on Monday at 9:30", "every other week on Thursday at 10"
    re.compile(rf"^every\s+(?:{_EVERY_N}\s+)?weeks?\s+on\s+{_DAY}\s+{_AT}$"),
    # "every Monday at 9:30" (weekly)
    re.compile(rf"^every\s+{_DAY}\s+{_AT}$"),
    # "the 15th of each month at 14:00", "day 15 of every month at 9"
    re.compile(
        r"^(?:on\s+)?(?:the\s+|day\s+)?(?P<mday>\d{1,2})(?:st|nd|rd|th)?\s+"
        rf"(?:day\s+)?of\s+(?:each|every|the)\s+month\s+{_AT}$"
    ),
    # "every 28 days at 14:00"
    re.compile(rf"^every\s+{_EVERY_N}\s+days\s+{_AT}$"),
)

_GRAMMAR = N_(
    "a recurrence is an RFC 5545 RRULE (e.g. 'FREQ=MONTHLY;BYDAY=2TU;BYHOUR=14') "
    "or one of: '<first|second|third|fourth|last> <weekday> of each month at HH:MM', "
    "'<ordinal> <weekday> monthly at HH:MM', 'every [N|other] weeks on <weekday> at HH:MM', "
    "'every <weekday> at HH:MM', 'the <N>th of each month at HH:MM', "
    "'every <N> days at HH:MM'"
)


def _clock(match: re.Match[str]) -> tuple[int, int]:
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    ampm = match["ampm"]
    if ampm:
        if not 1 <= hour <= 12:
            raise RecurrenceError(_("with am/pm the hour is 1-12"), path="rule")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise RecurrenceError(_("the time of day is HH:MM, 00:00-23:59"), path="rule")
    return hour, minute


def _every(text: str | None) -> int:
    if text is None:
        return 1
    return 2 if text == "other" else int(text)


def _friendly(text: str) -> str:
    words = " ".join(text.lower().replace(",", " ").split())
    for form in _FORMS:
        match = form.match(words)
        if match is None:
            continue
        hour, minute = _clock(match)
        groups = match.groupdict()
        at = f"BYHOUR={hour};BYMINUTE={minute};BYSECOND=0"
        if groups.get("ord"):
            day = _BYDAY[_WEEKDAYS[groups["day"]]]
            return f"FREQ=MONTHLY;BYDAY={_ORDINALS[groups['ord']]:+d}{day};{at}"
        if groups.get("mday"):
            mday = int(groups["mday"])
            if not 1 <= mday <= 31:
                raise RecurrenceError(_("a day of the month is 1-31"), path="rule")
            return f"FREQ=MONTHLY;BYMONTHDAY={mday};{at}"
        if groups.get("day"):
            day = _BYDAY[_WEEKDAYS[groups["day"]]]
            interval = _every(groups.get("n"))
            return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day};{at}"
        return f"FREQ=DAILY;INTERVAL={_every(groups.get('n'))};{at}"
    raise RecurrenceError(
        _("cannot read the recurrence; {grammar}").format(grammar=_(_GRAMMAR)), path="rule"
    )


@checked
def parse_recurrence(text: str) -> str:
    """The RFC 5545 RRULE for a recurrence written in English or as an RRULE.

    The English grammar (case and extra spaces do not matter; times are
    24-hour ``14:00``, ``9.30`` or ``2pm``):

    - ``<first|second|third|fourth|last> <weekday> of each month at HH:MM``
      (also ``... of every month``, ``... monthly``)
    - ``every [N|other] week(s) on <weekday> at HH:MM``
    - ``every <weekday> at HH:MM`` (weekly)
    - ``the <N>th of each month at HH:MM``
    - ``every <N> days at HH:MM``

    RRULE text (with or without the ``RRULE:`` prefix) is checked by
    :func:`dateutil.rrule.rrulestr` and returned in a canonical form.

    Raises:
        RecurrenceError: the text is neither; the message lists the forms.

    Example:
        >>> from emessi.scheduling import parse_recurrence
        >>> parse_recurrence("second Tuesday of each month at 14:00")
        'FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=14;BYMINUTE=0;BYSECOND=0'
        >>> parse_recurrence("every 4 weeks on Monday at 9:30")
        'FREQ=WEEKLY;INTERVAL=4;BYDAY=MO;BYHOUR=9;BYMINUTE=30;BYSECOND=0'
        >>> parse_recurrence("RRULE:FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=13")
        'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=13'

    .. versionadded:: 0.1.0

    """
    return _canonical(text)


@lru_cache(maxsize=1024)
def _canonical(text: str) -> str:
    """:func:`parse_recurrence` of a str already checked, cached."""
    if len(text) > _MAX_RULE:
        raise RecurrenceError(
            _("a rule is at most {max_rule:,} characters").format(max_rule=_MAX_RULE), path="rule"
        )
    stripped = text.strip()
    body = stripped[6:] if stripped[:6].upper() == "RRULE:" else stripped
    if "=" not in body:
        return _friendly(stripped)
    if any(c in body for c in "\r\n:") or not body.isascii():
        raise RecurrenceError(
            _(
                "give one RRULE line only; the start is the start argument, and excluded days are holidays or blackouts"
            ),
            path="rule",
        )
    _parse(body.upper(), datetime(2000, 1, 1))
    return body.upper()


#: The longest rule text read (emessi's bound: a real RRULE is a line).
_MAX_RULE = 1000

_TEXT = check_for(str)

_PART = re.compile(r"'([A-Z]+)'")


def _parse(text: str, dtstart: datetime, aware: bool = False) -> Any:
    """``rrulestr(text)`` with *dtstart*; dateutil's errors as RecurrenceError."""
    if "COUNT=" in text and "UNTIL=" in text:
        # RFC 5545 forbids both; dateutil only warns (and will raise later).
        raise RecurrenceError(_("COUNT and UNTIL must not both be given"), path="rule")
    try:
        return _rr.rrulestr(text, dtstart=dtstart.replace(tzinfo=UTC) if aware else dtstart)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        if not aware and "UNTIL" in str(error):
            # dateutil reads UNTIL=...Z only with an aware start; the wall
            # fields of the start are what matter, so any zone will do.
            return _parse(text, dtstart, aware=True)
        part = _PART.search(str(error))
        if part and part[1] in _KNOWN_PARTS:
            invalid = _("not a valid RFC 5545 RRULE (bad {part})").format(part=part[1])
        else:
            invalid = _("not a valid RFC 5545 RRULE")
        raise RecurrenceError(invalid, path="rule") from None


_KNOWN_PARTS = frozenset(
    {
        *("FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY"),
        *("BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"),
    }
)


@attrs.frozen
class CompiledRule:
    """A parsed rule ready to iterate: canonical text, start, and a bounded iterator.

    dateutil checks UNTIL only when it yields, so a rule that never matches
    iterates period by period up to the year 9999 (seconds for a daily
    rule). So the rule runs on a copy of its start moved forward by a whole
    number of years, into years near 9999 whose calendar (leap years and
    weekdays) is the same as that of the years planned for; dateutil then
    stops within decades (at most a few centuries) of periods, and each occurrence is moved
    back. BYEASTER, a dateutil extension outside RFC 5545, depends on more
    than the calendar and is refused.
    """

    text: str
    start: datetime  # naive local wall time
    shifted: Any = attrs.field(eq=False)  # the rrule on the shifted start
    shift: int  # years added

    def occurrences(self) -> Iterator[datetime]:
        """Naive local occurrences from the start, at most the horizon ahead."""
        end = self.start + timedelta(days=366 * HORIZON_YEARS)
        shift = self.shift
        occurrences = iter(self.shifted)
        for _unused in range(MAX_CANDIDATES):
            try:
                moved = next(occurrences, None)
            except (ValueError, IndexError, KeyError, TypeError, OverflowError):
                # dateutil accepts some rules it cannot evaluate.
                raise RecurrenceError(
                    _("the rule cannot be evaluated; check its BY... parts"), path="rule"
                ) from None
            if moved is None:
                return
            occurrence = moved.replace(year=moved.year - shift)
            if occurrence > end:
                return
            yield occurrence


def _same_calendar(year: int, other: int) -> bool:
    return (
        isleap(year) == isleap(other) and date(year, 1, 1).weekday() == date(other, 1, 1).weekday()
    )


@cache
def _shift(year: int) -> int:
    """Years to add to *year* so that the planned years land just below 9999.

    The years from one before the start to two after the horizon (ISO week
    numbers look at the neighbouring years) must have the same calendar
    after the shift. The Gregorian calendar repeats every 400 years, so a
    shift is always found within 400 years of the largest possible one.
    """
    first, last = year - 1, year + HORIZON_YEARS + 2
    for shift in range(9999 - last, 9999 - last - 401, -1):
        if all(_same_calendar(y, y + shift) for y in range(first, last + 1)):
            return shift
    raise AssertionError("the Gregorian calendar repeats every 400 years")  # pragma: no cover


def local_start(start: date | datetime, zone_name: str) -> datetime:
    if isinstance(start, datetime):
        if start.tzinfo is not None and start.utcoffset() is not None:
            return start.astimezone(zone(zone_name)).replace(tzinfo=None, fold=0)
        return start.replace(tzinfo=None, fold=0)
    if isinstance(start, date):
        return datetime.combine(start, time())
    raise RecurrenceError(_("the start is a date or a datetime"), path="start")


def rule_text(rule: object) -> str:
    """The canonical RRULE text of a friendly text, an RRULE text or an rrule."""
    if rule.__class__ is str:
        return _canonical(rule)
    if isinstance(rule, _rr.rrule):
        try:
            text = str(rule)
        except Exception:  # dateutil cannot write every rule it holds
            raise RecurrenceError(
                _("the rrule cannot be written as RRULE text"), path="rule"
            ) from None
        lines = [line for line in text.splitlines() if not line.startswith("DTSTART")]
        return _canonical(lines[0] if lines else "")
    return _canonical(_TEXT(rule, "rule"))


@lru_cache(maxsize=64)
def compile_rule(text: str, start: datetime, zone_name: str) -> CompiledRule:
    """Check the canonical *text* and prepare it for bounded iteration from *start*."""
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise RecurrenceError(
            _("the start year must be within {first_year}-{last_year}").format(
                first_year=FIRST_YEAR, last_year=LAST_YEAR
            ),
            path="start",
        )
    if "BYHOUR" not in text and start.time() == time():
        raise RecurrenceError(
            _("the rule has no time of day: add BYHOUR/BYMINUTE or give the start as a datetime"),
            path="rule",
        )
    # Parsed on the shifted start (see CompiledRule); UNTIL stays in real years.
    shift = _shift(start.year)
    shifted = start.replace(year=start.year + shift)
    parsed = _parse(text, shifted)
    if not isinstance(parsed, _rr.rrule):
        raise RecurrenceError(_("give one RRULE, not a set of rules"), path="rule")
    freq, interval, count = parsed._freq, parsed._interval, parsed._count
    if freq not in _FREQ_DAYS:
        raise RecurrenceError(
            _(
                "meetings recur DAILY, WEEKLY, MONTHLY or YEARLY, not {freq_names}; set the time of day with BYHOUR and BYMINUTE"
            ).format(freq_names=_FREQ_NAMES[freq]),
            path="rule",
        )
    if getattr(parsed, "_byeaster", None):
        raise RecurrenceError(_("BYEASTER is not part of RFC 5545"), path="rule")
    limit = {_rr.MONTHLY: 5, _rr.YEARLY: 53}.get(freq, 0)
    if any(not 0 < abs(n) <= limit for _unused, n in parsed._bynweekday or ()):
        raise RecurrenceError(
            _(
                "a numbered BYDAY (e.g. 2TU) is 1-5 or -1 to -5 in a MONTHLY rule, 1-53 or -1 to -53 in a YEARLY one, and not used in others"
            ),
            path="rule",
        )
    if interval < 1:
        raise RecurrenceError(_("INTERVAL must be at least 1"), path="rule")
    if interval * _FREQ_DAYS[freq] > 366 * HORIZON_YEARS:
        raise RecurrenceError(
            _(
                "INTERVAL is so large that the rule repeats less than once in {horizon_years} years"
            ).format(horizon_years=HORIZON_YEARS),
            path="rule",
        )
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise RecurrenceError(
            _("COUNT must be within 1-{max_count}").format(max_count=MAX_COUNT), path="rule"
        )
    until = parsed._until
    if until is not None and until.tzinfo is not None:
        try:
            until = until.astimezone(zone(zone_name)).replace(tzinfo=None)
        except OverflowError:  # UNTIL=99991231T235959Z: far beyond the horizon anyway
            until = datetime.max - timedelta(days=1)
    if until is not None and until < start:
        raise RecurrenceError(_("UNTIL is before the start"), path="rule")
    if until is not None:
        until = min(until, start + timedelta(days=366 * HORIZON_YEARS))
        parsed = parsed.replace(dtstart=shifted, until=until.replace(year=until.year + shift))
    return CompiledRule(text, start, parsed, shift)
