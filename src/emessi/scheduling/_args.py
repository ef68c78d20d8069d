"""Argument checks the scheduling functions share, beyond the type hints.

The hints are checked by :func:`~emessi.model._strict.checked` (or inline
with :func:`~emessi.model._strict.check_for` on hot paths); these helpers
cover what a hint cannot: an iterable that must be read once (a generator
that fails while it is read is the caller's mistake, reported as a
:class:`~emessi.errors.UsageError`), a profile or zone named by the caller,
with the parameter's path on the error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from emessi.errors import (
    EmessiError,
    RecurrenceError,
    UnknownProfileError,
    UnknownTimeZoneError,
    UsageError,
)
from emessi.method.profiles import MethodProfile
from emessi.method.registry import get_profile
from emessi.model._checks import FIRST_YEAR, LAST_YEAR, zone
from emessi.model._strict import check_for

T = TypeVar("T")

#: get_profile without its own argument check: profile_of checks the
#: argument first, and the planner's hot path calls it once per plan.
resolve_profile: Callable[[str | MethodProfile | None], MethodProfile] = getattr(
    get_profile, "__wrapped__", get_profile
)

_TEXT = check_for(str)


def items(value: object, path: str, kind: type[T]) -> tuple[T, ...]:
    """*value*, an iterable of *kind*, as a tuple; anything else is a UsageError at *path*."""
    if value.__class__ is tuple:
        found: tuple[Any, ...] = value
    else:
        if isinstance(value, str | bytes | bytearray | Mapping) or not hasattr(value, "__iter__"):
            raise UsageError(
                f"expected an iterable of {kind.__name__}, not {type(value).__name__}", path=path
            )
        try:
            found = tuple(value)
        except EmessiError:
            raise
        except Exception as error:  # the caller's iterable failed while it was read
            raise UsageError(
                f"the iterable failed while it was read ({type(error).__name__})", path=path
            ) from None
    if kind is str:
        for index, item in enumerate(found):
            if item.__class__ is not str:
                _TEXT(item, f"{path}[{index}]")
        return found
    for index, item in enumerate(found):
        if item.__class__ is not kind and not isinstance(item, kind):
            raise UsageError(
                f"expected {_a(kind.__name__)}, not {type(item).__name__}",
                path=f"{path}[{index}]",
            )
    return found


def _a(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def profile_of(value: object, path: str = "profile") -> MethodProfile:
    """The profile *value* names (None: the default), with *path* on an unknown name."""
    if value is None or value.__class__ is MethodProfile:
        return resolve_profile(value)
    if not isinstance(value, str | MethodProfile):
        raise UsageError(
            f"expected a profile name or a MethodProfile, not {type(value).__name__}", path=path
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
        raise UsageError(f"expected a date or a datetime, not {type(value).__name__}", path=path)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:  # type: ignore[attr-defined]
        raise RecurrenceError(f"the start year must be within {FIRST_YEAR}-{LAST_YEAR}", path=path)
    return value  # type: ignore[return-value]
