"""Field validators and converters shared by the model classes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from emessi.errors import DomainError, NaiveDatetimeError, UnknownTimeZoneError

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def hidden(value: object) -> str:
    """Repr of a personal-data field: shows only whether it is set."""
    return "<hidden>" if value else repr(value)


def check_id(instance: object, attribute: Any, value: str) -> None:
    """Ids are short, URL- and path-safe tokens (letters, digits, ``._:-``)."""
    if value.__class__ is not str or not _ID.match(value):
        raise DomainError(
            "an id is 1-64 characters: letters, digits and . _ : - "
            "(starting with a letter or digit)",
            path=attribute.name,
        )


def safe_id(value: object) -> str:
    """*value* quoted for a message if it is a valid id, else a placeholder.

    Messages name ids, never free text: a name or an e-mail passed where an
    id belongs must not be echoed.
    """
    if isinstance(value, str) and _ID.match(value):
        return repr(value)
    return "<not an id>"


def check_ids(instance: object, attribute: Any, value: Iterable[str]) -> None:
    """Every item is an id."""
    for index, item in enumerate(value):
        if item.__class__ is not str or not _ID.match(item):
            raise DomainError(
                "an id is 1-64 characters: letters, digits and . _ : - "
                "(starting with a letter or digit)",
                path=f"{attribute.name}[{index}]",
            )


def check_aware(instance: object, attribute: Any, value: datetime) -> None:
    """Refuse a naive datetime: every time in emessi is timezone-aware."""
    if not isinstance(value, datetime):
        raise DomainError("expected a datetime", path=attribute.name)
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            "a naive datetime has no time zone; attach one, e.g. "
            "datetime(..., tzinfo=ZoneInfo('Europe/Helsinki'))",
            path=attribute.name,
        )


@cache
def zone(name: str) -> ZoneInfo:
    """Return the IANA zone *name*, or raise :class:`UnknownTimeZoneError`."""
    try:
        if not isinstance(name, str) or not name or name != name.strip():
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise UnknownTimeZoneError("not an IANA time zone name (e.g. 'Europe/Helsinki')") from None


def check_zone(instance: object, attribute: Any, value: str) -> None:
    """Validate an IANA time zone name."""
    try:
        zone(value)
    except UnknownTimeZoneError as error:
        raise UnknownTimeZoneError(error.message, path=attribute.name) from None


def check_duration(instance: object, attribute: Any, value: timedelta) -> None:
    """A duration is positive and a whole number of minutes."""
    if not isinstance(value, timedelta):
        raise DomainError("expected a timedelta", path=attribute.name)
    if value <= timedelta(0) or value % timedelta(minutes=1):
        raise DomainError("a duration is a positive whole number of minutes", path=attribute.name)


def check_nonnegative(instance: object, attribute: Any, value: int) -> None:
    """Refuse a negative count."""
    if value < 0:
        raise DomainError("must not be negative", path=attribute.name)


def check_positive(instance: object, attribute: Any, value: int) -> None:
    """Refuse a count below one."""
    if value < 1:
        raise DomainError("must be at least 1", path=attribute.name)


def strings(values: Iterable[str]) -> tuple[str, ...]:
    """Convert an iterable of strings into a tuple (attrs converter)."""
    return tuple(values)
