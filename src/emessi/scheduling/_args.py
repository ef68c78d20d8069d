"""Argument checks the scheduling functions share, beyond the type hints.

The hints are checked by :func:`~emessi.model._strict.checked` (or inline
with :func:`~emessi.model._strict.check_for` on hot paths); these helpers
cover what a hint cannot: an iterable that must be read once (a generator
that fails while it is read is the caller's mistake, reported as a
:class:`~emessi.errors.UsageError`), a profile or zone named by the caller,
with the parameter's path on the error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from emessi._i18n import _
from emessi.errors import (
    RecurrenceError,
    UnknownProfileError,
    UnknownTimeZoneError,
    UsageError,
)
from emessi.method.profiles import MethodProfile
from emessi.method.registry import get_profile
from emessi.model._checks import FIRST_YEAR, LAST_YEAR, zone
from emessi.model._strict import Check, check_for, read_all

T = TypeVar("T")

#: get_profile without its own argument check: profile_of checks the
#: argument first, and the planner's hot path calls it once per plan.
resolve_profile: Callable[[str | MethodProfile | None], MethodProfile] = getattr(
    get_profile, "__wrapped__", get_profile
)

_TEXT = check_for(str)


def items(value: object, path: str, kind: type[T]) -> tuple[T, ...]:
    """*value*, an iterable of *kind*, as a tuple; anything else is a UsageError at *path*.

    The mechanism's own checks and messages: a bare ``str``, a mapping or a
    non-iterable is refused, and so is an iterable that fails while it is
    read (:func:`~emessi.model._strict.read_all`).
    """
    container, element = _checks(kind)  # type: ignore[arg-type]
    if value.__class__ is not tuple:
        container(value, path)
        value = read_all(value, path)
    found: tuple[Any, ...] = value
    if element is not None:
        for index, item in enumerate(found):
            if item.__class__ is not kind:
                element(item, f"{path}[{index}]")
    return found


@cache
def _checks(kind: type) -> tuple[Check, Check | None]:
    iterable: Any = Iterable
    return check_for(iterable[kind]), None if kind is object else check_for(kind)


def profile_of(value: object, path: str = "profile") -> MethodProfile:
    """The profile *value* names (None: the default), with *path* on an unknown name."""
    if value is None or value.__class__ is MethodProfile:
        return resolve_profile(value)
    if not isinstance(value, str | MethodProfile):
        raise UsageError(
            _("expected a profile name or a MethodProfile, not {actual}").format(
                actual=type(value).__name__
            ),
            path=path,
        )
    if isinstance(value, str):
        _TEXT(value, path)
    try:
        return resolve_profile(value)
    except UnknownProfileError as error:
        raise UnknownProfileError(error.message, path=path) from None


def zone_of(value: object, path: str = "timezone") -> ZoneInfo:
    """The IANA zone *value* names; a wrong type is a UsageError, an unknown name not."""
    if value.__class__ is not str:
        _TEXT(value, path)
    try:
        return zone(value)  # type: ignore[arg-type]
    except UnknownTimeZoneError as error:
        raise UnknownTimeZoneError(error.message, path=path) from None


def start_of(value: object, path: str = "start") -> date | datetime:
    """A start: a date or a datetime, in the years emessi accepts (else a RecurrenceError)."""
    cls = value.__class__
    if cls is not date and cls is not datetime and not isinstance(value, date):
        raise UsageError(
            _("expected a date or a datetime, not {actual}").format(actual=type(value).__name__),
            path=path,
        )
    if not FIRST_YEAR <= value.year <= LAST_YEAR:  # type: ignore[attr-defined]
        raise RecurrenceError(
            _("the start year must be within {first_year}-{last_year}").format(
                first_year=FIRST_YEAR, last_year=LAST_YEAR
            ),
            path=path,
        )
    return value  # type: ignore[return-value]
