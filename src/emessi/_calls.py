"""Wrong calls: a missing, unknown or extra argument is a UsageError.

The bottom layer (beside :mod:`emessi.errors`): any module may decorate a
class with :func:`checked_class`, and :func:`emessi.model._strict.checked`
uses it for classes. Python's own ``TypeError`` for a wrong call names no
path and is not an ``EmessiError``; the messages here name the argument,
never a value the caller passed.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from emessi._i18n import _, ngettext
from emessi.errors import UsageError

__all__ = ["bare_signature", "checked_class", "wrong_call"]

T = TypeVar("T")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}\Z")


def bare_signature(signature: inspect.Signature, *, drop_self: bool = False) -> inspect.Signature:
    """*signature* without annotations (and without ``self``), for a message."""
    parameters = list(signature.parameters.values())
    if drop_self and parameters and parameters[0].name == "self":
        parameters = parameters[1:]
    return signature.replace(
        parameters=[p.replace(annotation=p.empty) for p in parameters],
        return_annotation=signature.empty,
    )


def wrong_call(
    signature: inspect.Signature, name: str, args: Sequence[Any], kwargs: Mapping[str, Any]
) -> UsageError:
    """The UsageError for a call that does not fit *signature*: which argument, not the value.

    Example:
        >>> import inspect
        >>> def f(a, b=1, *, c=2): ...
        >>> print(wrong_call(inspect.signature(f), "f", (), {}))
        a: f() needs the argument 'a'
        >>> print(wrong_call(inspect.signature(f), "f", (1,), {"d": 1}))
        d: f() has no such argument; its arguments are: a, b, c
    """
    kinds = inspect.Parameter
    parameters = signature.parameters
    named = [
        p.name
        for p in parameters.values()
        if p.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)
    ]
    any_keyword = any(p.kind is kinds.VAR_KEYWORD for p in parameters.values())
    for key in kwargs:
        found = parameters.get(key)
        if (found is None and not any_keyword) or (
            found is not None and found.kind is kinds.POSITIONAL_ONLY
        ):
            path = key if isinstance(key, str) and _NAME.match(key) else "<not a name>"
            return UsageError(
                _("{call}() has no such argument; its arguments are: {names}").format(
                    call=name, names=", ".join(named)
                ),
                path=path,
            )
    positional = [
        p
        for p in parameters.values()
        if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)
    ]
    if len(args) > len(positional) and not any(
        p.kind is kinds.VAR_POSITIONAL for p in parameters.values()
    ):
        return _too_many(name, len(positional), len(args))
    given = {p.name for p in positional[: len(args)]}
    for key in kwargs:
        if key in given:
            return UsageError(
                _("{call}() got the argument {argument!r} twice").format(call=name, argument=key),
                path=key,
            )
    given.update(kwargs)
    for parameter in parameters.values():
        if (
            parameter.default is parameter.empty
            and parameter.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)
            and parameter.name not in given
        ):
            return _needs(name, parameter.name)
    return UsageError(_("wrong arguments; the call is {call}").format(call=f"{name}{signature}"))


def _too_many(name: str, fit: int, given: int) -> UsageError:
    return UsageError(
        ngettext(
            "{call}() takes at most {n} positional argument, not {given}",
            "{call}() takes at most {n} positional arguments, not {given}",
            fit,
        ).format(call=name, n=fit, given=given)
    )


def _needs(name: str, argument: str) -> UsageError:
    return UsageError(
        _("{call}() needs the argument {argument!r}").format(call=name, argument=argument),
        path=argument,
    )


class _Missing:
    """The default of a required parameter in a checked ``__init__``."""

    def __repr__(self) -> str:
        return "<required>"


_MISSING: Any = _Missing()


def checked_class(cls: type[T]) -> type[T]:
    """Wrap *cls*'s ``__init__`` so that a wrong call is a UsageError.

    The wrapper has the same parameters as attrs' ``__init__`` (a required one
    defaults to a marker), plus ``*args`` and ``**kwargs`` that catch extra and
    unknown arguments, and passes everything on by position: about 0.1 us per
    object, where a ``*args, **kwargs`` wrapper costs 0.3 us. Python itself
    still raises ``TypeError`` for an argument given both by position and by
    name.
    """
    init = cls.__init__
    signature = inspect.signature(init)
    kinds = inspect.Parameter
    parameters = list(signature.parameters.values())[1:]  # without self
    if any(p.kind in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD) for p in parameters) or any(
        not p.name.isidentifier() or p.name.startswith("_emessi") for p in parameters
    ):
        raise TypeError(f"@checked cannot wrap {cls.__name__}.__init__")  # a bug in emessi
    shown = bare_signature(signature, drop_self=True)
    namespace: dict[str, Any] = {"_emessi_init": init, "_emessi_missing": _MISSING}
    heads: list[str] = []
    keywords: list[str] = []
    passed: list[str] = []
    required: list[str] = []
    for index, parameter in enumerate(parameters):
        if parameter.default is parameter.empty:
            default = "_emessi_missing"
            required.append(parameter.name)
        else:
            default = f"_emessi_default_{index}"
            namespace[default] = parameter.default
        text = f"{parameter.name}={default}"
        if parameter.kind is kinds.KEYWORD_ONLY:
            keywords.append(text)
            passed.append(f"{parameter.name}={parameter.name}")
        else:
            heads.append(text)
            passed.append(parameter.name)
    tests = ["_emessi_extra", "_emessi_unknown"] + [
        f"{name} is _emessi_missing" for name in required
    ]
    names = [p.name for p in parameters]

    def fail(values: tuple[Any, ...], extra: tuple[Any, ...], unknown: dict[str, Any]) -> None:
        if extra:
            raise _too_many(cls.__name__, len(heads), len(heads) + len(extra))
        if unknown:
            raise wrong_call(shown, cls.__name__, (), unknown)
        for name, value in zip(names, values, strict=True):
            if value is _MISSING:
                raise _needs(cls.__name__, name)

    namespace["_emessi_fail"] = fail
    source = (
        f"def __init__(self, {', '.join(heads)}{', ' if heads else ''}*_emessi_extra"
        f"{', ' if keywords else ''}{', '.join(keywords)}, **_emessi_unknown):\n"
        f"    if {' or '.join(tests)}:\n"
        f"        _emessi_fail(({''.join(n + ', ' for n in names)}), _emessi_extra,"
        " _emessi_unknown)\n"
        f"    _emessi_init(self, {', '.join(passed)})\n"
    )
    exec(compile(source, f"<emessi checked {cls.__name__}.__init__>", "exec"), namespace)
    wrapper = functools.wraps(init)(namespace["__init__"])
    setattr(cls, "__init__", wrapper)  # noqa: B010 - mypy forbids assigning a method
    return cls
