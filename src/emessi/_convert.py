"""The one configured cattrs converter, shared by package data and documents.

It sits just above the model: the method layer loads its package data
(profiles, the theme catalogue, agendas) with it, and :mod:`emessi.io` wraps
it with document formats, versions and files. Two converters share one set of
hooks: a fast one, and one with cattrs' detailed validation that runs only
when the fast one failed, to list every problem with its path.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, get_origin
from zoneinfo import ZoneInfo

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception as _cattrs_format_exception
from cattrs.v import transform_error

from emessi._i18n import N_, _, ngettext
from emessi.errors import (
    DocumentError,
    EmessiError,
    NaiveDatetimeError,
    Problem,
    UnknownTimeZoneError,
)
from emessi.model._checks import zone
from emessi.model._strict import PLAIN

__all__ = [
    "FORMATS",
    "converter",
    "from_document",
    "public_formats",
    "register_format",
    "structure",
    "to_document",
    "unstructure",
]

T = TypeVar("T")

# RFC 9557 style: an ISO 8601 date-time with offset, and the IANA zone in
# brackets so that a document keeps the zone, not just the offset.
_ZONED = re.compile(r"^(?P<stamp>[^\[\]]+)(?:\[(?P<zone>[^\[\]]+)\])?$")


class _BadValue(ValueError):
    """A value of the right type that is still wrong; the message says why.

    The message is English (an exact msgid of the catalogues); it is
    translated when the problem is reported (:func:`_describe`).
    """


# Messages made at run time from parts, and cattrs' own, for the catalogues.
_MESSAGES = (
    N_("expected a string"),
    N_("expected an integer"),
    N_("expected true or false"),
    N_("required field missing"),
)


def _strict(kind: type, name: str) -> Callable[[Any, Any], Any]:
    # An exact type check: bool is an int subclass, and a document's true is
    # not a count; cattrs' default would turn 5 into "5" for a str field.
    # These hooks run for every field of every object, so they stay minimal.
    message = f"expected {name}"

    def hook(value: Any, _kind: Any) -> Any:
        if value.__class__ is kind:
            return value
        raise _BadValue(message)

    return hook


def _structure_float(value: Any, _kind: Any) -> float:
    if value.__class__ is float or value.__class__ is int:
        return float(value)
    raise _BadValue(N_("expected a number"))


def _structure_datetime(value: Any, _kind: Any) -> datetime:
    if isinstance(value, datetime):
        # A hand-written TOML file may use TOML's own offset date-times;
        # a local (naive) one is refused like a naive string.
        if value.utcoffset() is None:
            raise NaiveDatetimeError(_("a date-time needs a UTC offset (naive)"))
        return value
    if not isinstance(value, str):
        raise _BadValue(N_("expected an ISO 8601 date-time string"))
    match = _ZONED.match(value)
    try:
        if match is None:
            raise ValueError
        stamp = datetime.fromisoformat(match["stamp"])
    except ValueError:
        raise _BadValue(
            N_(
                "expected an ISO 8601 date-time such as '2014-01-14T14:00:00+02:00[Europe/Helsinki]'"
            )
        ) from None
    if stamp.tzinfo is None:
        raise NaiveDatetimeError(_("a date-time needs a UTC offset (naive)"))
    name = match["zone"]
    if name is None:
        return stamp
    tz = zone(name)  # UnknownTimeZoneError
    local = stamp.replace(tzinfo=tz)
    for fold in (0, 1):
        candidate = local.replace(fold=fold)
        if candidate.utcoffset() == stamp.utcoffset():
            return candidate
    raise _BadValue(N_("the UTC offset does not match the time zone at that time"))


def _unstructure_datetime(value: datetime) -> str:
    text = value.isoformat()
    if isinstance(value.tzinfo, ZoneInfo) and value.tzinfo.key:
        return f"{text}[{value.tzinfo.key}]"
    return text


def _structure_date(value: Any, _kind: Any) -> date:
    if type(value) is date:  # a TOML local date; a date-time is not a date here
        return value
    if not isinstance(value, str):
        raise _BadValue(N_("expected an ISO 8601 date string"))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _BadValue(N_("expected an ISO 8601 date such as '2014-01-14'")) from None


def _structure_minutes(value: Any, _kind: Any) -> timedelta:
    if type(value) is not int or value <= 0:
        raise _BadValue(N_("expected a duration in whole minutes (a positive integer)"))
    return timedelta(minutes=value)


def _unstructure_minutes(value: timedelta) -> int:
    return int(value // timedelta(minutes=1))


def _is_homogeneous_tuple(kind: Any) -> bool:
    args: tuple[Any, ...] = getattr(kind, "__args__", ())
    return get_origin(kind) is tuple and len(args) == 2 and args[-1] is Ellipsis


def _strict_tuple(kind: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs turns any iterable into a tuple, so a string would become a
    # tuple of characters; a document must give a list.
    base = homogenous_tuple_structure_factory(kind, conv)

    def hook(value: Any, _kind: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise _BadValue(N_("expected a list"))
        return base(value, kind)

    return hook


def _mapping_first(cls: type, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs would index a string or a list as if it were a mapping and
    # report an AttributeError; say plainly what was expected instead.
    base: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, conv)

    def hook(value: Any, _kind: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _BadValue(N_("expected a mapping (a JSON object or a TOML table)"))
        return base(value, cls)

    return hook


def _raw_for_plain_fields(cls: type, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # The model's own field converters (emessi.model._strict) take the
    # document's form of text, numbers, booleans and enum values and check
    # them; handing them the raw value saves a second check per field.
    # Other fields (dates, nested objects) are structured by their hooks.
    attrs.resolve_types(cls)
    overrides: dict[str, Any] = {
        a.name: cattrs.override(struct_hook=conv.get_structure_hook(a.type))
        for a in attrs.fields(cls)
        if a.converter is not None and not a.metadata.get(PLAIN)
    }
    base: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, conv, _cattrs_prefer_attrib_converters=True, **overrides
    )
    return _shared_values(cls, base) or base


#: How many distinct values of one small class a load keeps for sharing.
_SHARED_MAX = 4096


def _shared_values(cls: type, base: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any] | None:
    """For a frozen class of text and whole-number fields only, share equal values.

    Agenda items repeat across a programme's meetings (a few templates for
    thousands of meetings); a frozen value can be shared, so an item is
    built and checked once and reused for every equal document mapping.
    The key holds each field's exact type, so ``true`` never matches ``1``.
    """
    fields = attrs.fields(cls)
    if getattr(cls.__setattr__, "__name__", "") != "_frozen_setattrs":
        return None  # attrs' frozen classes; a mutable value could not be shared
    if not 0 < len(fields) <= 3 or any(f.type not in (str, int, "str", "int") for f in fields):
        return None
    names = tuple(f.name for f in fields)
    shared: dict[tuple[Any, ...], Any] = {}

    def hook(value: Any, kind: Any) -> Any:
        if value.__class__ is not dict or len(value) != len(names):
            return base(value, kind)
        try:
            key = tuple((value[n].__class__, value[n]) for n in names)
            found = shared.get(key)
        except (KeyError, TypeError):  # a missing field or an unhashable value
            return base(value, kind)
        if found is None:
            found = base(value, kind)
            if len(shared) >= _SHARED_MAX:
                shared.clear()
            shared[key] = found
        return found

    return hook


def _configure(detailed: bool) -> cattrs.Converter:
    conv = cattrs.Converter(
        omit_if_default=True,
        forbid_extra_keys=True,
        detailed_validation=detailed,
    )
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(int, _strict(int, "an integer"))
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _strict_tuple)
    if detailed:  # the fast converter fails anyway, and the detailed one explains
        conv.register_structure_hook_factory(attrs.has, _mapping_first)
    else:
        conv.register_structure_hook_factory(attrs.has, _raw_for_plain_fields)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(timedelta, _structure_minutes)
    conv.register_unstructure_hook(timedelta, _unstructure_minutes)
    return conv


#: The converter every emessi document goes through (fast path).
converter = _configure(detailed=False)
_detailed = _configure(detailed=True)


def unstructure(value: object) -> Any:
    """Turn a domain object into plain data (dicts, lists, str, int, bool)."""
    return converter.unstructure(value)


def _describe(exc: BaseException, kind: type | None) -> str:
    if isinstance(exc, EmessiError):
        # attrs validators raise with the field name as path
        message = _(exc.message)
        return f"{message}\x1f{exc.path}" if exc.path else message
    if isinstance(exc, _BadValue):
        return _(str(exc))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _("expected one of: {values}").format(
            values=", ".join(repr(member.value) for member in kind)
        )
    if isinstance(exc, ForbiddenExtraKeysError):
        # An unknown key may be anything a user typed, personal data
        # included: name the fields that are allowed instead of echoing it.
        count = len(exc.extra_fields)
        allowed = ", ".join(a.name for a in attrs.fields(exc.cl)) if attrs.has(exc.cl) else ""
        return ngettext(
            "{n} unknown field; the fields are: {allowed}",
            "{n} unknown fields; the fields are: {allowed}",
            count,
        ).format(n=count, allowed=allowed)
    message = _cattrs_format_exception(exc, kind)
    if message.startswith(("unknown error", "invalid type (")):
        # never echo the exception text: it may quote the value
        return _("invalid value ({kind})").format(kind=type(exc).__name__)
    return _(message)


def problems_of(exc: BaseException) -> list[Problem]:
    """Every problem in a detailed-validation exception, each with its path."""
    problems = []
    for line in transform_error(exc, "$", _describe):
        message, _sep, path = line.rpartition(" @ ")
        message, _sep, sub = message.partition("\x1f")
        problems.append(Problem(f"{path}.{sub}" if sub else path, message))
    return problems


def structure(data: Any, cls: type[T], *, source: str = "") -> T:
    """Build *cls* from plain *data*, or raise :class:`DocumentError`.

    The caller's data is never mutated.
    """
    try:
        return converter.structure(data, cls)
    except Exception:
        pass
    try:
        value = _detailed.structure(data, cls)
    except (UnknownTimeZoneError, NaiveDatetimeError) as exc:
        raise DocumentError([Problem("$", exc.message)], source=source) from None
    except Exception as exc:
        raise DocumentError(problems_of(exc), source=source) from None
    return value


#: Document formats: name -> (class, current version).
FORMATS: dict[str, tuple[type, int]] = {}
#: Migrations: (format, version) -> a function from that version's data to
#: the next version's. A loader for an old version stays as a migration.
MIGRATIONS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}


def register_format(name: str, cls: type, version: int = 1) -> None:
    """Make *cls* a document format called *name* at *version*."""
    FORMATS[name] = (cls, version)


def public_formats() -> list[str]:
    """The format names users may write, sorted (package-data formats left out)."""
    return sorted(
        name for name, (cls, _version) in FORMATS.items() if not cls.__name__.startswith("_")
    )


def format_of(cls: type) -> str:
    """The format name of *cls*."""
    for name, (kind, _version) in FORMATS.items():
        if kind is cls:
            return name
    raise TypeError(f"{cls.__name__} is not an emessi document type")


def to_document(value: object) -> dict[str, Any]:
    """Plain data for *value*, headed by its ``format`` and ``version``."""
    name = format_of(type(value))
    return {"format": name, "version": FORMATS[name][1], **unstructure(value)}


def from_document(data: Any, expected: type[T] | None = None, *, source: str = "") -> T:
    """Build the object a document describes; *data* is not mutated.

    Raises:
        DocumentError: a missing or unknown format or version, a format other
            than *expected*, or any problem in the content.

    """
    if not isinstance(data, dict):
        raise DocumentError(
            [Problem("$", _("expected a mapping (a JSON object or a TOML table)"))],
            source=source,
        )
    name = data.get("format") if "format" in data or expected is None else format_of(expected)
    if (
        not isinstance(name, str)
        or name not in FORMATS
        or (
            # package-data formats (private classes) load only when asked for by type
            expected is None and FORMATS[name][0].__name__.startswith("_")
        )
    ):
        known = ", ".join(public_formats())
        raise DocumentError(
            [
                Problem(
                    "$.format",
                    _("unknown document format; expected one of: {known}").format(known=known),
                )
            ],
            source=source,
        )
    cls, current = FORMATS[name]
    if expected is not None and cls is not expected:
        raise DocumentError(
            [
                Problem(
                    "$.format",
                    _("expected an {expected} document, not {name}").format(
                        expected=format_of(expected), name=name
                    ),
                )
            ],
            source=source,
        )
    version = data.get("version", current)
    if type(version) is not int or not 1 <= version <= current:
        raise DocumentError(
            [
                Problem(
                    "$.version",
                    (
                        _("unsupported version; this emessi reads {name} version 1")
                        if current == 1
                        else _("unsupported version; this emessi reads {name} versions 1-{current}")
                    ).format(name=name, current=current),
                )
            ],
            source=source,
        )
    body = {k: v for k, v in data.items() if k not in ("format", "version")}
    while version < current:
        migrate = MIGRATIONS.get((name, version))
        if migrate is None:
            raise DocumentError(
                [
                    Problem(
                        "$.version",
                        _("no migration from {name} version {version}").format(
                            name=name, version=version
                        ),
                    )
                ],
                source=source,
            )
        body = migrate(body)
        version += 1
    return structure(body, cls, source=source)
