"""Files the command reads and writes: regular files only, nothing replaced silently.

Reading: only a regular file (not a folder, FIFO, socket or device) of at
most :data:`MAX_INPUT_BYTES` is read, so that a mistyped path cannot hang the
command or fill the memory.

Writing: every file a command writes is first *planned* (:meth:`Outputs.plan`,
before any slow work, so a refusal comes at once), then *added* with its
bytes once they are all rendered in memory, and finally *committed* together.
An existing file is replaced only with ``--force``. Each file is written
atomically by :func:`emessi._atomic.write_atomic`; if one of them fails,
the files this run already wrote are removed and those it replaced are put
back, so a failed run leaves no partial set of files.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Literal

from emessi._i18n import N_, _
from emessi.cli._common import fail
from emessi.errors import SaveError

__all__ = ["MAX_INPUT_BYTES", "Outputs", "document_bytes", "read_regular", "read_text"]

#: The largest input file the command reads (documents, CSV), in bytes:
#: 64 MiB, about a hundred times a 1,000-group programme document.
MAX_INPUT_BYTES = 64 * 1024 * 1024

_MESSAGES = {
    "missing": N_("no such file"),
    "folder": N_("is a folder, not a file"),
    "special": N_(
        "is not a regular file (a FIFO, socket or device); emessi reads regular files only"
    ),
    "too-big": N_("the file is larger than the {limit} MiB that emessi reads"),
    "unreadable": N_("cannot read the file ({reason})"),
    "exists": N_("the file exists; use --force to replace it"),
    "folder-out": N_("is a folder; name a file to write"),
    "no-folder": N_("the folder to write into does not exist"),
    "not-folder": N_("is not a folder"),
    "twice": N_("the same file is written twice by this command"),
}


def read_regular(file: str | Path, *, limit: int | None = None) -> bytes:
    """The bytes of *file*, a regular file of at most *limit* bytes.

    The file is opened without blocking and checked with ``fstat`` on the
    open handle, so a FIFO never blocks the command and the check holds for
    the file actually read.
    """
    most = MAX_INPUT_BYTES if limit is None else limit
    where = str(file)
    try:
        handle = os.open(where, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        fail(_(_MESSAGES["missing"]), path=where)
    except IsADirectoryError:
        fail(_(_MESSAGES["folder"]), path=where)
    except OSError as error:
        fail(_(_MESSAGES["unreadable"]).format(reason=error.strerror), path=where)
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            fail(_(_MESSAGES["folder"]), path=where)
        if not stat.S_ISREG(info.st_mode):
            fail(_(_MESSAGES["special"]), path=where)
        if info.st_size > most:
            fail(_(_MESSAGES["too-big"]).format(limit=most // (1024 * 1024)), path=where)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(handle, 1 << 20):
            size += len(chunk)
            if size > most:  # the file grew while we read it
                fail(_(_MESSAGES["too-big"]).format(limit=most // (1024 * 1024)), path=where)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        fail(_(_MESSAGES["unreadable"]).format(reason=error.strerror), path=where)
    finally:
        os.close(handle)


class Outputs:
    """The files one run of a command writes, committed together at the end.

    Args:
        force: Replace existing files (the ``--force`` option).
    """

    def __init__(self, *, force: bool = False) -> None:
        self.force = force
        self._planned: list[Path] = []
        self._data: dict[Path, bytes] = {}

    def plan(self, path: str | Path, *, create_folder: bool = False) -> Path:
        """Check now that *path* may be written; return it.

        Refuses a folder, a missing folder (unless *create_folder*), a file
        planned twice, and an existing file without ``--force``.
        """
        target = Path(path)
        self._check(target, create_folder=create_folder)
        if any(_same(target, other) for other in self._planned):
            fail(_(_MESSAGES["twice"]), path=str(target))
        self._planned.append(target)
        return target

    def _check(self, target: Path, *, create_folder: bool) -> None:
        folder = target.parent
        if folder.exists() and not folder.is_dir():
            fail(_(_MESSAGES["not-folder"]), path=str(folder))
        if not folder.exists() and not create_folder:
            fail(_(_MESSAGES["no-folder"]), path=str(folder))
        if target.is_dir():
            fail(_(_MESSAGES["folder-out"]), path=str(target))
        if (target.exists() or target.is_symlink()) and not self.force:
            fail(_(_MESSAGES["exists"]), path=str(target))

    def add(self, path: Path, data: bytes) -> None:
        """Keep *data* to write to the planned *path* at :meth:`commit`."""
        if path not in self._planned:
            raise RuntimeError(f"{path} was not planned")  # a bug in the command
        self._data[path] = data

    def commit(self) -> list[Path]:
        """Write every added file, or none of them; return the paths written."""
        written: list[Path] = []
        created: set[Path] = set()
        kept: dict[Path, Path] = {}  # replaced file -> a hard link to its old content
        try:
            for path in self._planned:
                if path not in self._data:
                    continue
                self._check(path, create_folder=True)
                path.parent.mkdir(parents=True, exist_ok=True)
                if not (path.exists() or path.is_symlink()):
                    created.add(path)
                elif not path.is_symlink() and (link := _keep(path)) is not None:
                    kept[path] = link
                _write(path, self._data[path])
                written.append(path)
        except BaseException:
            for path in reversed(written):
                with contextlib.suppress(OSError):
                    if path in kept:
                        os.replace(kept.pop(path), path)
                    elif path in created:
                        path.unlink()
            raise
        finally:
            for link in kept.values():
                with contextlib.suppress(OSError):
                    link.unlink()
        return written


def _same(one: Path, other: Path) -> bool:
    return one.absolute() == other.absolute()


def _keep(path: Path) -> Path | None:
    """A hard link to *path*'s current content, to put it back if the run fails."""
    for attempt in range(100):
        link = path.with_name(f".{path.name}.emessi-old-{os.getpid()}-{attempt}")
        try:
            os.link(path, link)
        except FileExistsError:
            continue
        except OSError:
            return None  # a file system without hard links: replace without a copy
        return link
    return None


def _write(path: Path, data: bytes) -> None:
    from emessi._atomic import write_atomic

    try:
        write_atomic(path, data)
    except SaveError as error:
        fail(error.message, path=str(path))


def document_bytes(value: object, path: Path) -> bytes:
    """*value* as the bytes :func:`emessi.dump` would write to *path*."""
    import json

    from emessi.io.documents import dumps, to_data

    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        fail(_("expected a .json or .toml file name"), path=str(path))
    syntax: Literal["json", "toml"] = "json" if suffix == ".json" else "toml"
    try:
        return dumps(value, syntax=syntax).encode("utf-8")
    except UnicodeEncodeError:
        # An unpaired surrogate (from a JSON "\ud800" escape): JSON keeps it
        # as an escape, TOML cannot hold it.
        if syntax == "toml":
            fail(_("TOML cannot store text with an unpaired surrogate; use .json"), path=str(path))
        return json.dumps(to_data(value), ensure_ascii=True, indent=2).encode("ascii")


def read_text(file: str | Path) -> str:
    """The UTF-8 text of the regular file *file* (a byte-order mark is dropped)."""
    try:
        return read_regular(file).decode("utf-8-sig")
    except UnicodeDecodeError:
        fail(_("the file is not UTF-8 text"), path=str(file))
