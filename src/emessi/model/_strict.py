"""Run-time argument checks built from the type hints: one mechanism for all.

Every public attrs class is declared with ``field_transformer=strict``: from
each field's annotation this module builds an attrs converter once, at class
creation, that accepts the annotated type and refuses or converts anything
else (an enum's value becomes its member; any iterable of the right elements
becomes a tuple, but a bare ``str`` is refused). Public functions get the
same checks on their parameters with :func:`checked`. The checks raise
:class:`~emessi.errors.UsageError` (a ``TypeError``) for a wrong type and
:class:`~emessi.errors.DomainError` (a ``ValueError``) for a value out of
the domain bounds, each with the path of the field, and never echo the value.

The fast paths compare exact classes first, so a well-typed object (as the
document loader builds them) pays about one function call per field.
"""

from __future__ import annotations

import builtins
import enum
import functools
import inspect
import math
import operator
import re
import sys
import types
import typing
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, ParamSpec, TypeVar

import attrs

from emessi._calls import bare_signature, checked_class, wrong_call
from emessi._i18n import N_, _
from emessi.errors import (
    DomainError,
    EmessiError,
    UnknownMemberError,
    UnknownValueError,
    UsageError,
)
from emessi.model._checks import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_TEXT,
    a_date,
    aware,
    check_aware,
    check_duration,
    check_id,
    check_ids,
    check_nonnegative,
    check_optional_id,
    check_positive,
    check_zone,
    strings,
)

__all__ = [
    "MAX_INT",
    "MAX_SPAN",
    "OWN_CHECK",
    "OWN_FIRST",
    "PLAIN",
    "Choice",
    "call_checked",
    "check_for",
    "checked",
    "only_tuples",
    "read_all",
    "read_items",
    "strict",
    "wrong_call",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
#: Integers lie within +-MAX_INT (emessi's bound: far beyond any count, and
#: small enough that arithmetic on them stays fast).
MAX_INT = 10**15
#: No duration is longer than the span of years emessi accepts.
MAX_SPAN = timedelta(days=366 * (LAST_YEAR - FIRST_YEAR + 1))

# A check takes the value and the path for a message; it returns the value,
# converted where a conversion is allowed, or raises.
Check = Callable[[Any, str], Any]
# What a check expected, for its message: an N_-marked English phrase and
# its placeholders, translated when the message is made (so it follows the
# language of the moment, not the one of import time).
Expect = tuple[str | None, dict[str, Any]]

_SURROGATE = re.compile("[\ud800-\udfff]")


class _ChoiceType(enum.EnumMeta):
    """Enum metaclass whose unknown member names raise an emessi error."""

    def __getattr__(cls, name: str) -> Any:
        try:
            return super().__getattr__(name)  # type: ignore[misc]
        except AttributeError:
            if name.startswith("_"):
                raise
        members = ", ".join(cls.__members__)
        raise UnknownMemberError(
            _("{kind} has no such member; the members are: {members}").format(
                kind=cls.__name__, members=members
            )
        ) from None


class Choice(enum.Enum, metaclass=_ChoiceType):
    """Base of emessi's enums: an unknown value or name raises an emessi error."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        raise UnknownValueError(_allowed(cls))


def _one_of(allowed: Iterable[object]) -> str:
    return _("expected one of: {allowed}").format(allowed=", ".join(repr(a) for a in allowed))


def _allowed(kind: type[enum.Enum]) -> str:
    return _one_of(member.value for member in kind)


def _name(kind: Any) -> str:
    return getattr(kind, "__name__", str(kind))


def _a(name: str) -> Expect:
    """``a Group`` or ``an Organisation`` (translated as "a Group object")."""
    if name[:1].lower() in "aeiou":
        return N_("an {name}"), {"name": name}
    return N_("a {name}"), {"name": name}


def _option(kind: Any) -> Expect:
    """One option of a union in a message: ``'skip'`` for a Literal, else ``an int``."""
    if typing.get_origin(kind) is typing.Literal:
        return "", {"options": [(None, {"text": repr(a)}) for a in typing.get_args(kind)]}
    return _EXPECT.get(kind) or _a(_name(kind))


def _say(expected: Expect) -> str:
    msgid, params = expected
    if msgid is None:  # a value shown as is, e.g. 'skip'
        return str(params["text"])
    if msgid == "":  # several options: "a string or an integer"
        options = [_say(option) for option in params["options"]]
        text = options[0]
        for option in options[1:]:
            text = _("{first} or {second}").format(first=text, second=option)
        return text
    return _(msgid).format(**params)


def _wrong(expected: Expect, value: object, path: str) -> UsageError:
    return UsageError(
        _("expected {expected}, not {actual}").format(
            expected=_say(expected), actual=type(value).__name__
        ),
        path=path,
    )


_STRING: Expect = (N_("a string"), {})
_INTEGER: Expect = (N_("an integer"), {})
_NUMBER: Expect = (N_("a number"), {})
_BOOLEAN: Expect = (N_("true or false"), {})
_DATETIME: Expect = (N_("a datetime"), {})
_TIMEDELTA: Expect = (N_("a timedelta"), {})
_CALLABLE: Expect = (N_("a callable"), {})
_MAPPING: Expect = (N_("a mapping"), {})
_BYTES: Expect = (N_("bytes"), {})


# ---------------------------------------------------------------- leaf checks


def _text(value: Any, path: str) -> str:
    if value.__class__ is not str and not isinstance(value, str):
        raise _wrong(_STRING, value, path)
    if len(value) > MAX_TEXT:
        raise DomainError(_("a text holds at most {n} characters").format(n=MAX_TEXT), path=path)
    if not value.isascii() and _SURROGATE.search(value):
        raise DomainError(_("not valid Unicode text (a lone surrogate)"), path=path)
    return value


def _integer(value: Any, path: str) -> int:
    if value.__class__ is not int:
        if isinstance(value, bool) or not hasattr(type(value), "__index__"):
            raise _wrong(_INTEGER, value, path)
        try:
            value = operator.index(value)  # numpy integers and the like
        except (TypeError, ValueError):  # e.g. a numpy array of several items
            raise _wrong(_INTEGER, value, path) from None
    if not -MAX_INT <= value <= MAX_INT:
        raise DomainError(
            _("an integer lies between -{limit} and {limit}").format(limit=MAX_INT), path=path
        )
    return int(value)


def _number(value: Any, path: str) -> float:
    if value.__class__ is not float:
        if isinstance(value, bool | str | bytes) or not hasattr(type(value), "__float__"):
            raise _wrong(_NUMBER, value, path)
        try:
            value = float(value)
        except (OverflowError, ValueError, TypeError):
            raise DomainError(_("a number lies within the range of a float"), path=path) from None
    if not math.isfinite(value):
        raise DomainError(_("a number must be finite (not NaN or infinity)"), path=path)
    result: float = value
    return result


def _boolean(value: Any, path: str) -> bool:
    if value is True or value is False:
        return value
    raise _wrong(_BOOLEAN, value, path)


def _bytes(value: Any, path: str) -> Any:
    # bytearray where bytes is annotated, as type checkers have long allowed
    if value.__class__ is bytes or isinstance(value, bytes | bytearray):
        return value
    raise _wrong(_BYTES, value, path)


def _any_datetime(value: Any, path: str) -> datetime:
    """A parameter's datetime: naive ones are the function's to judge."""
    if not isinstance(value, datetime):
        raise _wrong(_DATETIME, value, path)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DomainError(
            _("a date-time must lie between the years {first} and {last}").format(
                first=FIRST_YEAR, last=LAST_YEAR
            ),
            path=path,
        )
    return value


def _timedelta(value: Any, path: str) -> timedelta:
    if not isinstance(value, timedelta):
        raise _wrong(_TIMEDELTA, value, path)
    if not -MAX_SPAN <= value <= MAX_SPAN:
        raise DomainError(
            _("a duration spans at most the years {first}-{last}").format(
                first=FIRST_YEAR, last=LAST_YEAR
            ),
            path=path,
        )
    return value


def _instance(kind: type) -> Check:
    expected = _a(_name(kind))

    def check(value: Any, path: str) -> Any:
        if value.__class__ is kind or isinstance(value, kind):
            return value
        raise _wrong(expected, value, path)

    return check


def _enum(kind: type[enum.Enum]) -> Check:
    by_value = dict(kind._value2member_map_)

    def check(value: Any, path: str) -> Any:
        if value.__class__ is kind:
            return value
        try:
            return by_value[value]
        except (KeyError, TypeError):
            raise UnknownValueError(_allowed(kind), path=path) from None

    return check


def _literal(allowed: tuple[Any, ...]) -> Check:
    def check(value: Any, path: str) -> Any:
        for option in allowed:
            if value.__class__ is option.__class__ and value == option:
                return value
        raise UnknownValueError(_one_of(allowed), path=path)

    return check


def _optional(inner: Check) -> Check:
    def check(value: Any, path: str) -> Any:
        return None if value is None else inner(value, path)

    return check


def _union(options: list[Check], names: Expect, exact: dict[type, Check] | None = None) -> Check:
    """One of *options*; *exact* maps a value's class to its check (a fast path)."""
    by_class = exact or {}

    def check(value: Any, path: str) -> Any:
        direct = by_class.get(value.__class__)
        if direct is not None:
            return direct(value, path)
        closest: EmessiError | None = None
        for option in options:
            try:
                return option(value, path)
            except UsageError:
                continue
            except EmessiError as error:  # the right type, a wrong value
                closest = closest or error
        if closest is not None:
            raise closest
        raise _wrong(names, value, path)

    return check


def _callable(value: Any, path: str) -> Any:
    if callable(value):
        return value
    raise _wrong(_CALLABLE, value, path)


def _iterable_of(element: Check | None, what: str, *, build: type | None) -> Check:
    """An iterable of elements; *build* (tuple, frozenset) materialises it."""
    expected: Expect = (N_("an iterable of {what}"), {"what": what})

    def check(value: Any, path: str) -> Any:
        if isinstance(value, str | bytes | bytearray | Mapping) or not hasattr(
            type(value), "__iter__"
        ):
            raise _wrong(expected, value, path)
        if build is None and not isinstance(value, list | tuple | set | frozenset):
            return value  # an iterator: checking it would consume it
        if element is None:
            if build is None or value.__class__ is build:
                return value
            return _read(build, value, path)
        items = value if value.__class__ is tuple else _read(tuple, value, path)
        checked = [element(item, f"{path}[{index}]") for index, item in enumerate(items)]
        if build is None:
            return value
        if build is tuple and all(a is b for a, b in zip(checked, items, strict=True)):
            return items
        return build(checked)

    return check


def _read(build: Callable[[Any], Any], value: Any, path: str) -> Any:
    """``build(value)``; an iterable that fails while it is read is a UsageError."""
    try:
        return build(value)
    except EmessiError:
        raise
    except Exception as error:  # e.g. the caller's generator raised
        raise UsageError(
            _("the iterable failed while it was read ({error})").format(error=type(error).__name__),
            path=path,
        ) from None


def _pairs(mapping: Mapping[Any, Any]) -> tuple[tuple[Any, Any], ...]:
    return tuple(mapping.items())


def read_items(value: Mapping[Any, Any], path: str) -> tuple[tuple[Any, Any], ...]:
    """*value*'s ``(key, item)`` pairs; a mapping whose ``items()`` fails is a UsageError."""
    result: tuple[tuple[Any, Any], ...] = _read(_pairs, value, path)
    return result


def read_all(value: Any, path: str) -> tuple[Any, ...]:
    """*value*'s items as a tuple; an iterable that fails while read is a UsageError at *path*."""
    result: tuple[Any, ...] = value if value.__class__ is tuple else _read(tuple, value, path)
    return result


def _fixed_tuple(elements: list[Check | None]) -> Check:
    expected: Expect = (N_("a tuple of {n} items"), {"n": len(elements)})

    def check(value: Any, path: str) -> Any:
        if isinstance(value, str | bytes | bytearray) or not isinstance(value, Sequence):
            raise _wrong(expected, value, path)
        if len(value) != len(elements):
            raise UsageError(
                _("expected {expected}, not {given} items").format(
                    expected=_say(expected), given=len(value)
                ),
                path=path,
            )
        return tuple(
            item if element is None else element(item, f"{path}[{index}]")
            for index, (item, element) in enumerate(zip(value, elements, strict=True))
        )

    return check


def _mapping_of(key: Check | None, item: Check | None) -> Check:
    def check(value: Any, path: str) -> Any:
        if not isinstance(value, Mapping):
            raise _wrong(_MAPPING, value, path)
        if key is None and item is None:
            return value
        for index, (k, v) in enumerate(read_items(value, path)):
            if key is not None:
                key(k, f"{path}[{index}] (key)")
            if item is not None:
                item(v, f"{path}[{index}]")
        return value

    return check


_LEAVES: dict[Any, Check] = {
    str: _text,
    int: _integer,
    float: _number,
    bool: _boolean,
    bytes: _bytes,
    datetime: aware,
    date: a_date,
    timedelta: _timedelta,
    time: _instance(time),
}
_SEQUENCES = {tuple, Sequence, Iterable, Collection, list, frozenset, set}
#: How a message names what a leaf type's check expected.
_EXPECT: dict[Any, Expect] = {
    str: _STRING,
    int: _INTEGER,
    float: _NUMBER,
    bool: _BOOLEAN,
    datetime: _DATETIME,
    date: (N_("a date"), {}),
    timedelta: _TIMEDELTA,
}


def _compile(hint: Any, *, field: bool) -> Check | None:
    """The check for *hint*, or None where the hint cannot be checked."""
    if hint is datetime and not field:
        return _any_datetime
    if hint in _LEAVES:
        return _LEAVES[hint]
    if hint is Any or hint is object or hint is None or isinstance(hint, TypeVar):
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in args if a is not type(None)]
        compiled = [_compile(a, field=field) for a in options]
        if any(c is None for c in compiled):
            return None
        names: Expect = ("", {"options": [_option(a) for a in options]})
        checks = [c for c in compiled if c is not None]
        # a union of plain types: a value goes straight to its own class's check
        plain = all(a in (str, int, float, bool) for a in options)
        exact = {a: _LEAVES[a] for a in options} if plain else None
        inner = checks[0] if len(checks) == 1 else _union(checks, names, exact)
        return _optional(inner) if len(options) < len(args) else inner
    if origin is typing.Literal:
        return _literal(args)
    if origin in _SEQUENCES:
        if origin is tuple and args and (len(args) != 2 or args[1] is not Ellipsis):
            return _fixed_tuple([_compile(a, field=field) for a in args])
        element = _compile(args[0], field=field) if args else None
        build: type | None
        if origin is frozenset or origin is set:
            build = frozenset if field or origin is frozenset else None
        elif origin is tuple or field:
            build = tuple
        else:
            build = None
        return _iterable_of(element, _name(args[0]) if args else "items", build=build)
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        return (
            _mapping_of(*(_compile(a, field=field) for a in args)) if args else _instance(Mapping)
        )
    if origin is not None and origin in (typing.Callable, Callable):
        return _callable
    if origin is type:
        return None
    if isinstance(origin, type) and origin.__module__ not in ("typing", "collections.abc"):
        return _instance(origin)  # e.g. os.PathLike[str]
    if hint is Callable:
        return _callable
    if isinstance(hint, type):
        if issubclass(hint, enum.Enum):
            return _enum(hint)
        if getattr(hint, "_is_protocol", False) and not getattr(
            hint, "_is_runtime_protocol", False
        ):
            return None
        if hint.__module__ == "typing":
            return None
        return _instance(hint)
    return None


def check_for(hint: Any) -> Check:
    """The check of a parameter annotated *hint*, for an inline fast path.

    Example: ``if role.__class__ is not Role: role = ROLE(role, "role")``.
    """
    check = _compile(hint, field=False)
    if check is None:
        raise TypeError(f"no run-time check for {hint!r}")
    return check


def _resolve(annotation: Any, namespace: dict[str, Any]) -> Any:
    if not isinstance(annotation, str):
        return annotation
    try:
        return eval(annotation, {**vars(builtins), **namespace})
    except Exception:  # a TYPE_CHECKING-only name: no run-time check
        return None


# ------------------------------------------------------------- attrs fields

# Validators that already check the type of their field (and its bounds).
_TYPED = {
    check_id,
    check_optional_id,
    check_ids,
    check_aware,
    check_duration,
    check_zone,
    check_positive,
    check_nonnegative,
}


def _validators(a: attrs.Attribute[Any]) -> list[Any]:
    found: list[Any] = []
    pending = [a.validator]
    while pending:
        v = pending.pop()
        if v is None:
            continue
        found.append(v)
        pending.extend(getattr(v, "_validators", ()))
        inner = getattr(v, "validator", None)
        if inner is not None:
            pending.append(inner)
    return found


#: Field metadata key: the field's converter takes the document's own form
#: (text, numbers, booleans, enum values, lists of them), so the document
#: loader may hand it the raw value instead of structuring it first.
PLAIN = "emessi_plain"


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """*hint* without ``| None``, and whether None was allowed."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1:
            return options[0], True
    return hint, False


def _is_plain(hint: Any) -> bool:
    hint, _optional_too = _unwrap(hint)
    if hint in (str, int, float, bool):
        return True
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return True
    if typing.get_origin(hint) is typing.Literal:
        return True
    args = typing.get_args(hint)
    return (
        typing.get_origin(hint) is tuple
        and len(args) == 2
        and args[1] is Ellipsis
        and args[0] in (str, int, float, bool)
    )


def _fast(hint: Any, check: Check, path: str) -> Callable[[Any], Any]:
    """A one-argument converter for *path*: an inline fast path, else *check*.

    The fast paths accept exactly the values that *check* returns unchanged,
    so they only save the call.
    """
    kind, optional = _unwrap(hint)
    if kind is str:

        def text(value: Any) -> Any:
            if value.__class__ is str and value.isascii() and len(value) <= MAX_TEXT:
                return value
            if optional and value is None:
                return value
            return check(value, path)

        return text
    if kind is int:

        def integer(value: Any) -> Any:
            if value.__class__ is int and -MAX_INT <= value <= MAX_INT:
                return value
            if optional and value is None:
                return value
            return check(value, path)

        return integer
    if kind in (bool, float) or (
        isinstance(kind, type) and kind.__module__ != "typing" and kind not in _LEAVES
    ):

        def exact(value: Any) -> Any:
            if value.__class__ is kind or (optional and value is None):
                return value
            return check(value, path)

        return exact
    args = typing.get_args(kind)
    if typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis:
        element = args[0]
        if element is str:

            def texts(value: Any) -> Any:
                cls = value.__class__
                if cls is tuple or cls is list:
                    try:
                        joined = "".join(value)
                    except TypeError:
                        return check(value, path)
                    if joined.isascii() and len(joined) <= MAX_TEXT:
                        return value if cls is tuple else tuple(value)
                return check(value, path)

            return texts
        if isinstance(element, type) and element not in _LEAVES:

            def items(value: Any) -> Any:
                cls = value.__class__
                if cls is tuple or cls is list:
                    for item in value:
                        if item.__class__ is not element:
                            return check(value, path)
                    return value if cls is tuple else tuple(value)
                return check(value, path)

            return items

    if optional:

        def optional_value(value: Any) -> Any:
            return value if value is None else check(value, path)

        return optional_value

    def general(value: Any) -> Any:
        return check(value, path)

    return general


#: Field metadata key: the field's own converter runs before the check even
#: for a collection, so it may turn another form into the collection (one
#: item given alone, a mapping into objects); it must pass what it does not
#: know to the check unchanged.
OWN_FIRST = "emessi_own_first"

#: Field metadata key: the field's own converter checks every value itself
#: (a fast path over many items); the transformer adds no check.
OWN_CHECK = "emessi_own_check"

_ONLY_TUPLES: set[object] = {strings}


def only_tuples(*converters: Callable[[Any], Any]) -> None:
    """Declare field converters that only turn an iterable into a tuple.

    They are kept in the class body so that mypy's attrs plugin types the
    ``__init__`` parameter as an iterable; at run time :func:`strict`'s own
    check already returns a tuple, so such a converter is skipped.
    """
    _ONLY_TUPLES.update(converters)


def _then(first: Callable[[Any], Any], second: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return second(first(value))

    return convert


def strict(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """Attrs ``field_transformer``: add a run-time check from each field's type.

    A field's own converter runs after the check for collections (so a bare
    ``str`` never becomes a tuple of characters) and before it otherwise.
    A field whose validator already checks its type (ids, time zones, aware
    datetimes, durations) gets no further check.
    """
    namespace = vars(sys.modules[cls.__module__])
    result = []
    for a in fields:
        if a.metadata.get(OWN_CHECK, False):
            result.append(a)
            continue
        hint = _resolve(a.type, namespace)
        if any(v in _TYPED for v in _validators(a)) and typing.get_origin(_unwrap(hint)[0]) is None:
            check = None
        else:
            check = _compile(hint, field=True)
        if check is None:
            result.append(a)
            continue
        converter = _fast(hint, check, a.name)
        own: Any = a.converter
        sequence = typing.get_origin(_unwrap(hint)[0]) in _SEQUENCES
        if sequence and own in _ONLY_TUPLES:
            own = None
        if own is not None:
            first = not sequence or a.metadata.get(OWN_FIRST, False)
            converter = _then(own, converter) if first else _then(converter, own)
        plain = _is_plain(hint) and (own is None or typing.get_origin(hint) is tuple)
        metadata = {**a.metadata, PLAIN: True} if plain else a.metadata
        result.append(a.evolve(converter=converter, metadata=metadata))
    return result


# ---------------------------------------------------------------- functions


@typing.overload
def checked(func: type[T]) -> type[T]: ...


@typing.overload
def checked(func: Callable[P, R]) -> Callable[P, R]: ...


def checked(func: Any) -> Any:
    """Check a public function's arguments against its type hints at run time.

    The checks are built on the first call (when every name in the hints
    can be resolved); a wrong number of arguments or an unknown keyword is a
    :class:`~emessi.errors.UsageError` too.

    On a class (above ``@attrs.frozen(field_transformer=strict)``, whose
    fields check themselves) it only turns a wrong call, a missing or an
    unknown argument, into a :class:`~emessi.errors.UsageError` naming the
    signature, instead of Python's bare ``TypeError``.
    """
    if isinstance(func, type):
        return checked_class(func)
    return _checked_function(func)


def _raise_if_wrong_call(
    signature: inspect.Signature,
    bare: inspect.Signature,
    name: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
) -> None:
    """After a TypeError: raise the UsageError if the call itself did not fit."""
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        raise wrong_call(bare, name, args, kwargs) from None


def _checked_function(func: Callable[P, R]) -> Callable[P, R]:
    signature = inspect.signature(func)
    bare = bare_signature(signature)
    plan: list[tuple[list[tuple[str, Check | None]], dict[str, Check | None]]] = []

    def build() -> tuple[list[tuple[str, Check | None]], dict[str, Check | None]]:
        namespace = getattr(func, "__globals__", {})
        positional: list[tuple[str, Check | None]] = []
        by_name: dict[str, Check | None] = {}
        for parameter in signature.parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            hint = _resolve(parameter.annotation, namespace)
            check = None if parameter.annotation is parameter.empty else _compile(hint, field=False)
            if parameter.kind is not parameter.KEYWORD_ONLY:
                positional.append((parameter.name, check))
            if parameter.kind is not parameter.POSITIONAL_ONLY:
                by_name[parameter.name] = check
        return positional, by_name

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not plan:
            plan.append(build())
        positional, by_name = plan[0]
        if args:
            values = list(args)
            for index, (name, check) in enumerate(positional[: len(values)]):
                if check is not None:
                    values[index] = check(values[index], name)
            args = tuple(values)  # type: ignore[assignment]
        for key, value in kwargs.items():
            check = by_name.get(key)
            if check is not None:
                kwargs[key] = check(value, key)
        try:
            return func(*args, **kwargs)
        except TypeError:
            _raise_if_wrong_call(signature, bare, func.__name__, args, kwargs)
            raise

    return wrapper


def call_checked(func: Callable[P, R]) -> Callable[P, R]:
    """Turn only a wrong call of *func* (missing or unknown argument) into a UsageError.

    For hot functions that check their own arguments inline with
    :func:`check_for`, where :func:`checked` would cost more than the
    function itself; the wrapper adds one call.
    """
    signature = inspect.signature(func)
    bare = bare_signature(signature)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except TypeError:
            _raise_if_wrong_call(signature, bare, func.__name__, args, kwargs)
            raise

    return wrapper
