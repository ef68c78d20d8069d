"""A programme document that carries its method profile, so it validates the same everywhere.

Since ``emessi/programme`` version 2 the ``profile`` field is either a
profile name (as in version 1), a table holding the whole profile (inline;
the same keys as a profile TOML file, ``extends`` allowed), or ``{ file =
"NAME.toml" }``, a profile file next to the document (by reference; only
:func:`emessi.load` and ``loads(..., folder=...)`` can follow it).

Loading such a document registers the profile under its name, with the
origin ``document SOURCE``; a *different* profile already known under that
name is a :class:`~emessi.errors.DocumentError`. Writing a programme whose
profile is registered but not built in puts the profile inline, so the
document can be validated where that profile is not installed.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from emessi._i18n import N_, _
from emessi.errors import DocumentError, EmessiError, Problem

__all__ = ["carry_profile", "embed_profile", "register_carried"]

#: Profile files referenced by documents are small: at most this many bytes.
_MAX_PROFILE_BYTES = 1024 * 1024

# Marked for the catalogues (N_) and translated when raised (_MESSAGES[...]
# goes through _() at each use), so they follow the language of that moment.
_MESSAGES = {
    "no-folder": N_(
        "a profile file is followed only when the document's folder is known "
        "(emessi.load, or loads(..., folder=...))"
    ),
    "not-relative": N_("a profile file must be a relative .toml path inside the document's folder"),
    "not-regular": N_("the profile file is not a regular file"),
    "too-big": N_("the profile file is larger than 1 MiB"),
    "unreadable": N_("cannot read the profile file ({reason})"),
    "not-toml": N_("the profile file is not valid TOML"),
    "file-key": N_("a profile reference is a table with one key: file"),
    "differs": N_(
        "the document's profile {name!r} differs from the {origin} profile of that "
        "name available here; give one of them another name"
    ),
}


def _problems(error: DocumentError, prefix: str) -> list[Problem]:
    return [Problem(prefix + p.path.removeprefix("$"), p.message) for p in error.problems]


def _read(reference: Any, folder: Path | None, source: str) -> dict[str, Any]:
    where = "$.profile.file"
    if folder is None:
        raise DocumentError([Problem(where, _(_MESSAGES["no-folder"]))], source=source)
    if not isinstance(reference, str) or not reference.lower().endswith(".toml"):
        raise DocumentError([Problem(where, _(_MESSAGES["not-relative"]))], source=source)
    parts = (PurePosixPath(reference), PureWindowsPath(reference))
    if any(p.is_absolute() or p.drive or ".." in p.parts for p in parts):
        raise DocumentError([Problem(where, _(_MESSAGES["not-relative"]))], source=source)
    path = folder / reference
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        message = _(_MESSAGES["unreadable"]).format(reason=error.strerror)
        raise DocumentError([Problem(where, message)], source=source) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError([Problem(where, _(_MESSAGES["not-regular"]))], source=source)
        if info.st_size > _MAX_PROFILE_BYTES:
            raise DocumentError([Problem(where, _(_MESSAGES["too-big"]))], source=source)
        data = os.read(handle, _MAX_PROFILE_BYTES + 1)
    finally:
        os.close(handle)
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError):
        raise DocumentError([Problem(where, _(_MESSAGES["not-toml"]))], source=source) from None
    return table


def carry_profile(
    data: Any, folder: Path | None, source: str, *, programme: bool = False
) -> tuple[Any, Any]:
    """*data* with a carried profile replaced by its name, and that profile (or None).

    *data* is not mutated. Only a programme document's ``profile`` table is
    looked at (*programme*: the caller expects one when ``format`` is left
    out); anything else is returned as it is.
    """
    if not isinstance(data, dict) or not isinstance(data.get("profile"), dict):
        return data, None
    if data.get("format", "emessi/programme" if programme else None) != "emessi/programme":
        return data, None
    from emessi.method import profile_from_dict

    table = data["profile"]
    prefix = "$.profile"
    if "file" in table:
        if len(table) != 1:
            raise DocumentError([Problem(prefix, _(_MESSAGES["file-key"]))], source=source)
        table = _read(table["file"], folder, source)
        prefix = "$.profile.file"
    try:
        profile = profile_from_dict(table, source=source)
    except DocumentError as error:
        raise DocumentError(_problems(error, prefix), source=source) from None
    except EmessiError as error:
        raise DocumentError([Problem(prefix, error.message)], source=source) from None
    return {**data, "profile": profile.name}, profile


def register_carried(profile: Any, source: str) -> None:
    """Make the carried *profile* available under its name (or refuse a clash)."""
    from emessi.method import get_profile, profile_names, profile_origin, register_profile

    if profile.name in profile_names():
        if get_profile(profile.name) != profile:
            message = _(_MESSAGES["differs"]).format(
                name=profile.name, origin=profile_origin(profile.name)
            )
            raise DocumentError([Problem("$.profile", message)], source=source)
        return
    register_profile(profile, origin=f"document {source}" if source else "document")


def embed_profile(data: dict[str, Any]) -> dict[str, Any]:
    """A programme's document *data* with its profile inline when it is not built in."""
    name = data.get("profile")
    if not isinstance(name, str):
        return data
    from emessi._convert import unstructure
    from emessi.method import get_profile, profile_origin
    from emessi.method.registry import _registry

    # Only profiles already known in this process; looking a name up does not
    # load plug-ins here, so writing stays cheap and free of side effects.
    if name not in _registry or profile_origin(name) == "built-in":
        return data
    table = unstructure(get_profile(name))
    return {**data, "profile": table}
