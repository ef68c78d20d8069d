"""Documents: lossless JSON and TOML for every domain object.

A document is the object's fields headed by ``format`` (e.g.
``"emessi/programme"``) and ``version``. A loader for an older version stays
as a migration when the format changes.
"""

from __future__ import annotations

import functools
import importlib
import json
import stat
import tomllib
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

from emessi._convert import (
    FORMATS,
    MIGRATIONS,
    from_document,
    public_formats,
    register_format,
    to_document,
)
from emessi._i18n import N_, _
from emessi.errors import (
    DocumentError,
    MissingDependencyError,
    Problem,
    SaveError,
    UsageError,
)
from emessi.io._carried import carry_profile, embed_profile, register_carried
from emessi.model import Group, Meeting, Organisation, Person, Programme, Theme
from emessi.model._checks import safe_id
from emessi.model._strict import call_checked, check_for, checked
from emessi.rules import Report

__all__ = ["dump", "dumps", "formats", "from_data", "load", "loads", "to_data"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
Syntax = Literal["json", "toml"]

# Version 2: ``profile`` may carry the whole profile, inline or as a file
# next to the document (emessi.io._carried); a version 1 document reads as is.
register_format("emessi/programme", Programme, version=2)
MIGRATIONS[("emessi/programme", 1)] = dict
register_format("emessi/group", Group)
register_format("emessi/meeting", Meeting)
register_format("emessi/person", Person)
register_format("emessi/organisation", Organisation)
register_format("emessi/theme", Theme)
register_format("emessi/report", Report)

#: The module that registers each format defined outside this module.
#: ``import emessi`` imports none of them (PEP 562 lazy names); reading a
#: document imports the one module its format needs. A test checks that
#: every registered format is here or above.
_FORMAT_MODULES: dict[str, str] = {
    "emessi/agendas": "emessi.method.process",
    "emessi/instrument": "emessi.research.instruments",
    "emessi/profile": "emessi.method.registry",
    "emessi/scenario": "emessi.simulation.scenario",
    "emessi/study": "emessi.research.study",
    "emessi/themes": "emessi.method.themes",
}


def _register(data: Any) -> None:
    """Import the module that registers the format *data* names (all if unclear)."""
    name = data.get("format") if isinstance(data, dict) else None
    if isinstance(name, str) and name in _FORMAT_MODULES:
        importlib.import_module(_FORMAT_MODULES[name])
        return
    if isinstance(name, str) and name in _CORE:
        return
    for module in _FORMAT_MODULES.values():  # an unknown format: list every known one
        importlib.import_module(module)


_CORE = frozenset(
    {
        "emessi/group",
        "emessi/meeting",
        "emessi/organisation",
        "emessi/person",
        "emessi/programme",
        "emessi/report",
        "emessi/theme",
    }
)


_SYNTAX = check_for(Syntax)
_SOURCE = check_for(str)
_FOLDER = check_for(str | PathLike[str] | None)


def _check_cls(cls: object) -> None:
    """*cls* is None or a document type (a class :func:`formats` names)."""
    if cls is None:
        return
    if isinstance(cls, type) and any(kind is cls for kind, _version in FORMATS.values()):
        return
    what = cls.__name__ if isinstance(cls, type) else type(cls).__name__
    raise UsageError(
        _(
            "expected None or an emessi document type such as Group or Programme, not {actual}"
        ).format(actual=what),
        path="cls",
    )


def _call_checked_here(func: F) -> F:
    """:func:`~emessi.model._strict.call_checked`, wrapped by a function of this module.

    Sphinx's autodoc reads the annotations of an overloaded function's
    signatures in the namespace of the wrapper (its ``__globals__``): here,
    ``Syntax`` resolves.
    """
    guarded = call_checked(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return guarded(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@checked
def to_data(value: object) -> dict[str, Any]:
    """Plain data (dicts, lists, strings, numbers) for *value*, with its header.

    Example:
        >>> from emessi import Group
        >>> to_data(Group("g-01"))
        {'format': 'emessi/group', 'version': 1, 'id': 'g-01'}

    .. versionadded:: 0.1.0

    """
    try:
        data = to_document(value)
    except TypeError:
        raise UsageError(
            _("{kind} is not an emessi document type").format(kind=type(value).__name__)
        ) from None
    if isinstance(value, Programme):
        data = embed_profile(data)
    return data


@overload
def from_data(data: Any, cls: type[T], *, source: str = "") -> T: ...
@overload
def from_data(data: Any, cls: None = None, *, source: str = "") -> Any: ...
@checked
def from_data(data: Any, cls: type[T] | None = None, *, source: str = "") -> Any:
    """The object described by plain *data*; the data is not mutated.

    Args:
        data: A mapping with ``format`` and ``version`` (``format`` may be
            left out when *cls* is given).
        cls: The expected type; a document of another format is an error.
        source: A name for the data in error messages.

    Raises:
        DocumentError: every problem found, each with its path.

    Example:
        >>> from_data({"format": "emessi/group", "version": 1, "id": "g-01"})
        Group(id='g-01', name='', timezone='Europe/Helsinki', memberships=(), meetings=(), themes=(), ground_rules=(), link=None)

    .. versionadded:: 0.1.0

    """
    _check_cls(cls)
    return _build(data, cls, source=source, folder=None)


def _build(data: Any, cls: type[T] | None, *, source: str, folder: Path | None) -> Any:
    """The object *data* describes; a programme's carried profile is registered."""
    if cls is None:
        _register(data)
    data, profile = carry_profile(data, folder, source, programme=cls is Programme)
    value = from_document(data, cls, source=source)
    if profile is not None:
        register_carried(profile, source)
    return value


def _toml_writer() -> Any:
    try:
        import tomli_w
    except ImportError:
        raise MissingDependencyError("tomli_w", extra="toml", feature=N_("TOML output")) from None
    return tomli_w


@checked
def dumps(value: object, *, syntax: Syntax = "json") -> str:
    """*value* as a JSON (default) or TOML document.

    Example:
        >>> from emessi import Group
        >>> print(dumps(Group("g-01", name="Helsinki")))
        {
          "format": "emessi/group",
          "version": 1,
          "id": "g-01",
          "name": "Helsinki"
        }

    .. versionadded:: 0.1.0

    """
    data = to_data(value)
    if syntax == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    if syntax == "toml":
        text: str = _toml_writer().dumps(data)
        return text
    raise UsageError(
        _("unknown syntax {syntax}; use 'json' or 'toml'").format(syntax=safe_id(syntax)),
        path="syntax",
    )


@overload
def loads(
    text: str | bytes,
    cls: type[T],
    *,
    syntax: Syntax = "json",
    source: str = "",
    folder: str | PathLike[str] | None = None,
) -> T: ...
@overload
def loads(
    text: str | bytes,
    cls: None = None,
    *,
    syntax: Syntax = "json",
    source: str = "",
    folder: str | PathLike[str] | None = None,
) -> Any: ...
@_call_checked_here
def loads(
    text: str | bytes,
    cls: type[T] | None = None,
    *,
    syntax: Syntax = "json",
    source: str = "",
    folder: str | PathLike[str] | None = None,
) -> Any:
    """The object in a JSON (default) or TOML document.

    A programme document may carry its method profile (format version 2):
    inline, or as ``{"file": "NAME.toml"}`` next to the document, followed
    only when *folder* (the document's folder) is given. The profile is then
    registered under its name; see the format reference.

    Raises:
        DocumentError: the text is not valid JSON/TOML, or the document has
            problems; every problem is listed with its path.

    Example:
        >>> from emessi import Group
        >>> loads(dumps(Group("g-01"))) == Group("g-01")
        True
        >>> loads('{"format": "emessi/group", "version": 1, "id": 7}')
        Traceback (most recent call last):
        ...
        emessi.errors.DocumentError: cannot load the document: 1 problem
          expected a string @ $.id

    .. versionadded:: 0.1.0

    """
    # inline checks (and call_checked for a wrong call): the text of a
    # document has no length bound, which @checked would put on a str
    if not isinstance(text, str | bytes):
        raise UsageError(
            _("expected a str or bytes, not {actual}").format(actual=type(text).__name__),
            path="text",
        )
    _check_cls(cls)
    if syntax.__class__ is not str or syntax not in ("json", "toml"):
        _SYNTAX(syntax, "syntax")
    if source.__class__ is not str or not source.isascii() or len(source) > 200:
        _SOURCE(source, "source")
    if folder is not None:
        _FOLDER(folder, "folder")
    try:
        if syntax == "json":
            data = json.loads(text)
        else:
            data = tomllib.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise DocumentError(
            [
                Problem(
                    "$",
                    _("not valid JSON: {reason} at {where}").format(reason=error.msg, where=where),
                )
            ],
            source=source,
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise DocumentError(
            [Problem("$", _("not valid TOML: {reason}").format(reason=error))], source=source
        ) from None
    except (ValueError, RecursionError) as error:
        # UnicodeDecodeError, or a number literal longer than Python's
        # int-string conversion limit (a plain ValueError from int()).
        raise DocumentError(
            [Problem("$", _("cannot decode the text ({kind})").format(kind=type(error).__name__))],
            source=source,
        ) from None
    return _build(data, cls, source=source, folder=None if folder is None else Path(folder))


def _syntax_of(path: Path) -> Syntax:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".toml":
        return "toml"
    raise UsageError(
        _("cannot tell the syntax of {name}: use a .json or .toml file").format(
            name=safe_id(path.name)
        ),
        path="path",
    )


@checked
def dump(value: object, path: str | PathLike[str]) -> Path:
    """Save *value* to *path* (``.json`` or ``.toml``), atomically.

    The text goes to a temporary file that is flushed and renamed, so the
    file is never half-written; when saving fails, an existing file is left
    as it was and no temporary file stays behind.

    Raises:
        UsageError: *value* is not a document type, or the suffix is not
            ``.json`` or ``.toml``.
        DocumentError: the value cannot be written in TOML (text with an
            unpaired surrogate).
        EmessiError: the file cannot be written (the message says why).

    Example:
        >>> import tempfile, pathlib
        >>> from emessi import Group
        >>> file = dump(Group("g-01"), pathlib.Path(tempfile.mkdtemp()) / "group.toml")
        >>> load(file)
        Group(id='g-01', name='', timezone='Europe/Helsinki', memberships=(), meetings=(), themes=(), ground_rules=(), link=None)

    .. versionadded:: 0.1.0

    """
    from emessi._atomic import write_atomic

    file = Path(path)
    syntax = _syntax_of(file)
    text = dumps(value, syntax=syntax)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        # Text with an unpaired surrogate (it can arrive through a JSON
        # "\ud800" escape) is not UTF-8: JSON keeps it as an escape, TOML
        # cannot hold it at all.
        if syntax == "toml":
            raise DocumentError(
                [Problem("$", _("TOML cannot store text with an unpaired surrogate; use .json"))],
                source=file.name,
            ) from None
        data = json.dumps(to_data(value), ensure_ascii=True, indent=2).encode("ascii")
    try:
        write_atomic(file, data)
    except ValueError:  # a NUL in the path (os.stat and open refuse it)
        raise SaveError(_("cannot write the file (not a valid path)"), path="path") from None
    return file


@overload
def load(path: str | PathLike[str], cls: type[T]) -> T: ...
@overload
def load(path: str | PathLike[str], cls: None = None) -> Any: ...
@checked
def load(path: str | PathLike[str], cls: type[T] | None = None) -> Any:
    """The object saved in *path* (``.json`` or ``.toml``).

    Raises:
        DocumentError: the file cannot be read or has problems; the message
            names the file and each problem's path.

    Example:
        >>> import tempfile, pathlib
        >>> file = pathlib.Path(tempfile.mkdtemp()) / "broken.json"
        >>> _ = file.write_text('{"format": "emessi/group", "version": 1}')
        >>> load(file)
        Traceback (most recent call last):
        ...
        emessi.errors.DocumentError: cannot load broken.json: 1 problem
          required field missing @ $.id

    .. versionadded:: 0.1.0

    """
    _check_cls(cls)
    file = Path(path)
    syntax = _syntax_of(file)
    try:
        text = _read_regular(file)
    except OSError as error:
        raise DocumentError(
            [Problem("$", _("cannot read the file ({reason})").format(reason=error.strerror))],
            source=file.name,
        ) from None
    except DocumentError:
        raise
    except ValueError:  # a NUL in the path
        raise DocumentError(
            [Problem("$", _("cannot read the file (not a valid path)"))], source=file.name
        ) from None
    return loads(text, cls, syntax=syntax, source=file.name, folder=file.parent)


def _read_regular(file: Path) -> bytes:
    """The bytes of *file*, a regular file (a FIFO or a device would block or never end)."""
    if not stat.S_ISREG(file.stat().st_mode):
        raise DocumentError([Problem("$", _("not a regular file"))], source=file.name)
    return file.read_bytes()


@checked
def formats() -> list[str]:
    """The names of every document format this emessi reads.

    Example:
        >>> "emessi/programme" in formats()
        True

    .. versionadded:: 0.1.0

    """
    for module in _FORMAT_MODULES.values():
        importlib.import_module(module)
    return public_formats()
