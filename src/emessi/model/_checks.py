"""Field validators and converters shared by the model classes.

The run-time checks of every public class and function are built here from
the type hints, once per field or parameter (see :mod:`emessi._strict`);
this module keeps the semantic checks (ids, zones, durations, counts) and
the domain bounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from emessi._i18n import _
from emessi.errors import DomainError, NaiveDatetimeError, UnknownTimeZoneError, UsageError

#: Dates and times lie in these years (inclusive): far from both ends of
#: Python's datetime range, so no arithmetic in any time zone overflows.
#: emessi's assumption: no peer group met before 1900 or plans beyond 2200.
FIRST_YEAR = 1900
LAST_YEAR = 2200
#: The longest meeting (emessi's bound; eMessi meetings last 1.5-2 h).
MAX_MEETING = timedelta(hours=24)
#: The ceiling of counts such as an organisation's staff or a meeting number.
MAX_COUNT = 10**9
#: Text fields hold at most this many characters; notes and descriptions
#: may hold :data:`MAX_LONG_TEXT`.
MAX_TEXT = 10_000
MAX_LONG_TEXT = 1_000_000

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def hidden(value: object) -> str:
    """Repr of a personal-data field: shows only whether it is set."""
    return "<hidden>" if value else repr(value)


def _not_a(expected: str, value: object, path: str) -> UsageError:
    """The UsageError for *value* where *expected* (translated) belongs."""
    return UsageError(
        _("expected {expected}, not {actual}").format(
            expected=expected, actual=type(value).__name__
        ),
        path=path,
    )


def _id_rule() -> str:
    return _(
        "an id is 1-64 characters: letters, digits and . _ : - (starting with a letter or digit)"
    )


def check_id(instance: object, attribute: Any, value: str) -> None:
    """Ids are short, URL- and path-safe tokens (letters, digits, ``._:-``)."""
    if value.__class__ is not str or not _ID.match(value):
        if not isinstance(value, str):
            raise _not_a(_("a string id"), value, attribute.name)
        raise DomainError(_id_rule(), path=attribute.name)


def check_optional_id(instance: object, attribute: Any, value: str | None) -> None:
    """None or an id (one call where ``attrs.validators.optional`` takes two)."""
    if value is not None:
        check_id(instance, attribute, value)


def safe_id(value: object) -> str:
    """*value* quoted for a message if it is a valid id (or a number), else a placeholder.

    Messages name ids, never free text: a name or an e-mail passed where an
    id belongs must not be echoed.
    """
    if isinstance(value, str) and _ID.match(value):
        return repr(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int) and not -(10**15) <= value <= 10**15:
            return "<a huge number>"  # its repr may be too long to make
        return repr(value)  # a count or a parameter, not free text
    return "<not an id>"


class Shown:
    """Stands in for a value in a message: formats as :func:`safe_id` of it.

    For message templates (translations included) that quote a parameter
    with ``{name!r}`` or ``{name}``: a valid id is shown quoted, anything
    else as ``<not an id>``.
    """

    __slots__ = ("_text",)

    def __init__(self, value: object) -> None:
        self._text = safe_id(value)

    def __repr__(self) -> str:
        return self._text

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return format(self._text, spec)


def check_ids(instance: object, attribute: Any, value: Iterable[str]) -> None:
    """Every item is an id."""
    for index, item in enumerate(value):
        if item.__class__ is not str or not _ID.match(item):
            if not isinstance(item, str):
                raise _not_a(_("a string id"), item, f"{attribute.name}[{index}]")
            raise DomainError(_id_rule(), path=f"{attribute.name}[{index}]")


def aware(value: object, path: str) -> datetime:
    """*value* if it is a timezone-aware datetime within the years; else raise."""
    if not isinstance(value, datetime):
        raise _not_a(_("a datetime"), value, path)
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            _(
                "a naive datetime has no time zone; attach one, e.g. "
                "datetime(..., tzinfo=ZoneInfo('Europe/Helsinki'))"
            ),
            path=path,
        )
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DomainError(
            _("a date-time must lie between the years {first} and {last}").format(
                first=FIRST_YEAR, last=LAST_YEAR
            ),
            path=path,
        )
    return value


def a_date(value: object, path: str) -> date:
    """*value* if it is a date (not a datetime) within the years; else raise."""
    if value.__class__ is not date and (not isinstance(value, date) or isinstance(value, datetime)):
        raise _not_a(_("a date"), value, path)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DomainError(
            _("a date must lie between the years {first} and {last}").format(
                first=FIRST_YEAR, last=LAST_YEAR
            ),
            path=path,
        )
    return value


def check_aware(instance: object, attribute: Any, value: datetime) -> None:
    """Refuse a naive datetime: every time in emessi is timezone-aware."""
    aware(value, attribute.name)


def _zone_rule() -> str:
    return _("not an IANA time zone name (e.g. 'Europe/Helsinki')")


def zone(name: str) -> ZoneInfo:
    """Return the IANA zone *name*, or raise :class:`UnknownTimeZoneError`."""
    if not isinstance(name, str):  # before the cache: a list is unhashable
        raise UnknownTimeZoneError(_zone_rule())
    return _zone(name)


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        if not name or name != name.strip():
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise UnknownTimeZoneError(_zone_rule()) from None


def check_zone(instance: object, attribute: Any, value: str) -> None:
    """Validate an IANA time zone name."""
    try:
        zone(value)
    except UnknownTimeZoneError as error:
        raise UnknownTimeZoneError(error.message, path=attribute.name) from None


def check_duration(instance: object, attribute: Any, value: timedelta) -> None:
    """A meeting's duration: a positive whole number of minutes, at most 24 h."""
    if not isinstance(value, timedelta):
        raise _not_a(_("a timedelta"), value, attribute.name)
    if value <= timedelta(0) or value % timedelta(minutes=1):
        raise DomainError(
            _("a duration is a positive whole number of minutes"), path=attribute.name
        )
    if value > MAX_MEETING:
        raise DomainError(_("a meeting lasts at most 24 hours"), path=attribute.name)


def _count(value: object, low: int, path: str) -> None:
    if value.__class__ is not int:
        raise _not_a(_("an integer"), value, path)
    if value < low:
        raise DomainError(
            _("must not be negative") if low == 0 else _("must be at least {n}").format(n=low),
            path=path,
        )
    raise DomainError(_("must be at most {n}").format(n=MAX_COUNT), path=path)


def check_nonnegative(instance: object, attribute: Any, value: int) -> None:
    """Refuse anything but an int from 0 to :data:`MAX_COUNT`."""
    if value.__class__ is not int or not 0 <= value <= MAX_COUNT:
        _count(value, 0, attribute.name)


def check_positive(instance: object, attribute: Any, value: int) -> None:
    """Refuse anything but an int from 1 to :data:`MAX_COUNT`."""
    if value.__class__ is not int or not 1 <= value <= MAX_COUNT:
        _count(value, 1, attribute.name)


def strings(values: Iterable[str]) -> tuple[str, ...]:
    """Convert an iterable of strings into a tuple (attrs converter)."""
    return tuple(values)
