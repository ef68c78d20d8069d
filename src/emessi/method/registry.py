"""The profile registry: built-in, registered, loaded from TOML, and plug-ins."""

from __future__ import annotations

import functools
import stat
import tomllib
from importlib import metadata, resources
from os import PathLike
from pathlib import Path
from typing import Any

from emessi._convert import from_document, register_format, unstructure
from emessi._i18n import N_, _
from emessi.errors import DocumentError, Problem, ProfileError, UnknownProfileError
from emessi.method.profiles import MethodProfile
from emessi.model._checks import safe_id
from emessi.model._strict import checked

__all__ = [
    "ENTRY_POINT_GROUP",
    "get_profile",
    "load_profile",
    "profile_from_dict",
    "profile_names",
    "profile_origin",
    "register_profile",
]

register_format("emessi/profile", MethodProfile)

#: The entry-point group through which installed packages add profiles.
ENTRY_POINT_GROUP = "emessi.profiles"
_BUILTIN = ("emessi", "verme")
_registry: dict[str, MethodProfile] = {}
# Where each registered profile came from, for ``emessi profiles``.
_origins: dict[str, str] = {}
_plugins_loaded = False
# Plug-ins that failed to load, by entry-point name: (message, path, cause).
# A plug-in's failure, kept to be raised when its profile is asked for: the
# N_-marked message and its placeholders (translated when raised), the path,
# the cause.
_plugin_errors: dict[str, tuple[str, dict[str, str], str, BaseException | None]] = {}


@checked
def profile_from_dict(data: dict[str, Any], *, source: str = "") -> MethodProfile:
    """A profile from plain data, as read from TOML or JSON.

    ``extends = "NAME"`` starts from a registered profile, so a sector's
    profile names only what differs; the data is not mutated.

    Example:
        >>> p = profile_from_dict({"name": "coaches", "extends": "emessi", "peers": {"preferred": [4, 8], "allowed": [3, 10]}})
        >>> p.peers.preferred, p.meetings.preferred
        ((4, 8), (6, 8))

    .. versionadded:: 0.1.0

    """
    data = dict(data)  # any mapping (the run-time check refused anything else)
    base_name = data.get("extends")
    body = {k: v for k, v in data.items() if k != "extends"}
    if base_name is not None:
        if not isinstance(base_name, str):
            raise DocumentError([Problem("$.extends", _("expected a profile name"))], source=source)
        try:
            base = get_profile(base_name)
        except UnknownProfileError as error:
            raise DocumentError([Problem("$.extends", error.message)], source=source) from None
        body = {**unstructure(base), **body}
    profile: MethodProfile = from_document(body, MethodProfile, source=source)
    return profile


@checked
def load_profile(path: str | PathLike[str], *, register: bool = False) -> MethodProfile:
    r"""Load a profile from a TOML file (optionally ``extends`` another).

    Args:
        path: The ``.toml`` file.
        register: Also register it (replacing one of the same name).

    Raises:
        DocumentError: the file is not valid TOML or not a valid profile.

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "coaches.toml").write_text('name = "coaches"\nextends = "emessi"\npeers = { preferred = [4, 8], allowed = [3, 10] }\n')
        >>> load_profile(folder / "coaches.toml").peers.describe()
        '4-8 (allowed 3-10)'

    .. versionadded:: 0.1.0

    """
    file = Path(path)
    try:
        if not stat.S_ISREG(file.stat().st_mode):  # a FIFO or a device would block
            raise DocumentError([Problem("$", _("not a regular file"))], source=file.name)
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except DocumentError:
        raise
    except OSError as error:
        raise DocumentError(
            [Problem("$", _("cannot read the file ({reason})").format(reason=error.strerror))],
            source=file.name,
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise DocumentError(
            [Problem("$", _("not valid TOML: {reason}").format(reason=error))], source=file.name
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:
        # a number longer than Python's int-string limit (a plain ValueError),
        # a NUL in the path, or tables nested too deeply to parse
        raise DocumentError(
            [
                Problem(
                    "$",
                    _("cannot read the file as TOML ({error})").format(error=type(error).__name__),
                )
            ],
            source=file.name,
        ) from None
    profile = profile_from_dict(data, source=file.name)
    if register:
        register_profile(profile, replace=True, origin=f"file {file}")
    return profile


@functools.cache
def _builtin(name: str) -> MethodProfile:
    text = (
        resources.files("emessi.method").joinpath(f"data/profiles/{name}.toml").read_text("utf-8")
    )
    return profile_from_dict(tomllib.loads(text), source=f"built-in profile {name}")


def _ensure_builtins() -> None:
    for name in _BUILTIN:
        if name not in _registry:
            _registry[name] = _builtin(name)
            _origins[name] = "built-in"


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        # One broken plug-in must not hide the others: its error is kept and
        # raised when its profile is asked for.
        where = f"entry_points[{ENTRY_POINT_GROUP!r}][{safe_id(entry.name)}]"
        try:
            value = entry.load()
            profile = value() if callable(value) and not isinstance(value, MethodProfile) else value
        except Exception as error:
            message = N_("the plug-in profile {name} ({value}) failed to load: {error}")
            params = {"name": safe_id(entry.name), "value": entry.value}
            params["error"] = type(error).__name__
            _plugin_errors[entry.name] = (message, params, where, error)
            continue
        if not isinstance(profile, MethodProfile):
            message = N_("the plug-in {name} gave no MethodProfile")
            _plugin_errors[entry.name] = (message, {"name": safe_id(entry.name)}, where, None)
            continue
        if profile.name not in _registry:
            _registry[profile.name] = profile
            _origins[profile.name] = f"entry point {entry.name} ({entry.value})"


@checked
def register_profile(
    profile: MethodProfile, *, replace: bool = False, origin: str | None = None
) -> MethodProfile:
    """Register *profile* under its name, so ``get_profile(name)`` finds it.

    Args:
        profile: The profile.
        replace: Replace a different profile registered under the same name.
        origin: Where the profile came from, as :func:`profile_origin`
            reports it (default: ``"registered in code"``).

    Raises:
        ProfileError: a profile of that name exists and *replace* is false.

    Example:
        >>> import attrs
        >>> coaches = attrs.evolve(get_profile("emessi"), name="coaches-doc")
        >>> register_profile(coaches) is get_profile("coaches-doc")
        True

    .. versionadded:: 0.1.0

    """
    _ensure_builtins()
    if profile.name in _registry and not replace and _registry[profile.name] != profile:
        raise ProfileError(
            _(
                "a profile named {name} is already registered; pass replace=True to replace it"
            ).format(name=safe_id(profile.name)),
            path="name",
        )
    if _registry.get(profile.name) != profile or profile.name not in _origins:
        _origins[profile.name] = origin or "registered in code"
    _registry[profile.name] = profile
    return profile


@checked
def profile_origin(name: str) -> str:
    """Where the available profile *name* came from.

    ``"built-in"``, ``"entry point NAME (module:attribute)"`` for a plug-in,
    ``"file PATH"`` for :func:`load_profile` with ``register=True``,
    ``"document NAME"`` for a profile carried by a programme document, or
    ``"registered in code"``.

    Raises:
        UnknownProfileError: no profile has that name.

    Example:
        >>> profile_origin("emessi")
        'built-in'

    .. versionadded:: 0.1.0

    """
    profile = get_profile(name)
    if name in _BUILTIN and profile == _builtin(name):
        return "built-in"  # also after a test or a caller put it back
    return _origins.get(name, "registered in code")


@checked
def get_profile(name: str | MethodProfile | None = None) -> MethodProfile:
    """The registered profile *name* (``"emessi"`` by default).

    Looks at the built-in profiles, those registered with
    :func:`register_profile`, then plug-ins of the ``emessi.profiles``
    entry-point group. A :class:`MethodProfile` passed in is returned as is.

    Raises:
        UnknownProfileError: no profile has that name.
        ProfileError: the plug-in registered under *name* failed to load or
            gave no :class:`MethodProfile`.

    Example:
        >>> get_profile().name, get_profile("verme").peers.preferred
        ('emessi', (4, 10))

    .. versionadded:: 0.1.0

    """
    if isinstance(name, MethodProfile):
        return name
    if name is None:
        name = "emessi"
    _ensure_builtins()
    if isinstance(name, str):
        if name not in _registry:
            _load_plugins()
        if name in _registry:
            return _registry[name]
        if name in _plugin_errors:
            message, params, where, cause = _plugin_errors[name]
            raise ProfileError(_(message).format(**params), path=where) from cause
    known = ", ".join(profile_names())
    raise UnknownProfileError(
        _("no method profile named {name}; known: {known}").format(name=safe_id(name), known=known)
    )


def profile_names() -> list[str]:
    """The names of every available profile, sorted.

    Example:
        >>> {"emessi", "verme"} <= set(profile_names())
        True

    .. versionadded:: 0.1.0

    """
    _ensure_builtins()
    _load_plugins()
    return sorted(_registry)
