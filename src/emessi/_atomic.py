"""Atomic file writes that leave no copy of the data behind.

:func:`write_atomic` writes the bytes to a temporary file in the target's
folder, flushes them to disk and renames the file over the target, so a
reader sees the old file or the new one, never half of one. The documents
hold names and e-mails, so the temporary file is private and short-lived:

- it is created with mode 0600 (only its owner can read it) and gets the
  final mode (the replaced file's, or what ``open()`` would give a new
  file) only once it has replaced the target;
- on Linux it is an *anonymous* file (``O_TMPFILE``): it has no name while
  the data is written, so a crash (a kill, a power cut) leaves nothing; it
  is given a name (``linkat`` with ``AT_EMPTY_PATH``, or through
  ``/proc/self/fd``) only for the instant before the rename;
- elsewhere, or where the file system has no ``O_TMPFILE``, it is a named
  file ``.<name>.<random>.emessi.tmp`` that holds an exclusive ``flock``
  while it is written. A crash releases the lock, and the next save to the
  same folder removes every such file whose lock it can take (without
  ``flock``, those older than :data:`STALE_AFTER` seconds).

Saving to a symbolic link writes the file the link points to (atomically,
in that file's folder) and leaves the link a link; a dangling link creates
its target; a link that loops is refused with a
:class:`~emessi.errors.SaveError`.

This is emessi's own addition to the design's "files are written
atomically", for Promise 9 (no copy of personal data outlives a failed
save).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
import time
from pathlib import Path

from emessi._i18n import _
from emessi.errors import SaveError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["STALE_AFTER", "TEMP_SUFFIX", "sweep", "write_atomic"]

#: The suffix of emessi's named temporary files.
TEMP_SUFFIX = ".emessi.tmp"
#: Without ``flock``, a named temporary file older than this many seconds is
#: taken for a crash's leftover.
STALE_AFTER = 600.0


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _target(path: Path) -> Path:
    """The file to replace: *path*, or the file its symbolic link points to."""
    if not path.is_symlink():
        return path
    resolved = Path(os.path.realpath(path))
    if resolved.is_symlink() or resolved.is_dir():
        raise SaveError(_("the symbolic link loops or points to a folder"), path=str(path))
    return resolved


def _locked(fd: int) -> bool:
    """Take an exclusive lock on *fd* without waiting; False if another holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def sweep(folder: Path) -> int:
    """Remove emessi's temporary files in *folder* that no live save holds.

    A file whose writer is alive is locked; a crashed writer's lock is gone.
    Returns how many were removed; never raises.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
            continue
        with contextlib.suppress(OSError):
            if fcntl is None:  # pragma: no cover - Windows
                if time.time() - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER:
                    continue
                os.unlink(entry.path)
                removed += 1
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            try:
                if _locked(fd) and os.path.samestat(os.fstat(fd), os.stat(entry.path)):
                    os.unlink(entry.path)
                    removed += 1
            finally:
                os.close(fd)
    return removed


def _anonymous(folder: Path) -> int | None:
    """An unnamed 0600 file in *folder* (Linux ``O_TMPFILE``), or None."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        # EOPNOTSUPP, EISDIR (old kernels), EINVAL...: use a named file.
        return None


_AT_FDCWD = -100
_AT_EMPTY_PATH = 0x1000
#: Devices where an anonymous file could not be given a name.
_NO_LINK: set[int] = set()


def _link(fd: int, name: Path) -> bool:
    """Give the anonymous file *fd* the *name*; False if this system cannot.

    ``linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH)`` first (Linux; it
    needs no privilege since Linux 6.10 for a file the process opened),
    then ``linkat`` through ``/proc/self/fd`` (older kernels).

    Raises:
        FileExistsError: *name* exists.
    """
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        path = os.fsencode(name)
        if libc.linkat(fd, b"", _AT_FDCWD, path, _AT_EMPTY_PATH) == 0:
            return True
        if ctypes.get_errno() == errno.EEXIST:
            raise FileExistsError(errno.EEXIST, "exists", str(name))
    try:
        os.link(f"/proc/self/fd/{fd}", name)
    except FileExistsError:
        raise
    except OSError:
        return False
    return True


def _name(folder: Path, path: Path) -> Path:
    return folder / f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"


def _named(folder: Path, path: Path) -> tuple[int, Path]:
    """A named, locked 0600 temporary file in *folder*."""
    while True:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
        temporary = Path(name)
        # A sweep may have taken the file between mkstemp and our lock:
        # keep it only if the name is still ours.
        if _locked(fd):
            with contextlib.suppress(OSError):
                if os.path.samestat(os.fstat(fd), os.stat(temporary)):
                    return fd, temporary
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _sync_folder(folder: Path) -> None:
    # The rename is durable once the folder is synced (POSIX); best effort.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* so that readers see the old file or the new one.

    Never a half-written file, and no copy of *data* outlives a failed save
    where the OS allows it (see the module's docstring). A symbolic link at
    *path* keeps pointing to the new file.

    Raises:
        SaveError: the folder or file cannot be written (an ``OSError``),
            or *path* is something other than a regular file (a device
            such as ``/dev/null``, a FIFO, a socket, a folder).
    """
    try:
        target = _target(Path(path))
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISREG(os.stat(target).st_mode):
                # Renaming over a device (/dev/null), a FIFO, a socket or a
                # folder would replace it with a file: refuse.
                raise SaveError(_("not a regular file; only a file is replaced"), path=str(path))
        folder = target.parent if str(target.parent) else Path(".")
        sweep(folder)
        mode = _mode_for(target)
        device = os.stat(folder).st_dev
        fd = _anonymous(folder) if device not in _NO_LINK else None
        temporary: Path | None = None
        if fd is None:
            fd, temporary = _named(folder, target)
        else:
            _locked(fd)
        # The lock is held until the rename, so no sweep takes the file.
        try:
            _write_all(fd, data)
            while temporary is None:
                candidate = _name(folder, target)
                with contextlib.suppress(FileExistsError):
                    if not _link(fd, candidate):
                        # No way to name it here: write a named file instead.
                        _NO_LINK.add(device)
                        anonymous = fd
                        fd, temporary = _named(folder, target)
                        os.close(anonymous)
                        _write_all(fd, data)
                        break
                    temporary = candidate
            os.replace(temporary, target)
            temporary = None
            # Private until it is the target: a crash never leaves a
            # readable copy (at worst the new file is 0600).
            os.fchmod(fd, mode)
        except BaseException:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            raise
        finally:
            os.close(fd)
        _sync_folder(folder)
    except SaveError:
        raise
    except OSError as error:
        reason = error.strerror or errno.errorcode.get(error.errno or 0, "error")
        raise SaveError(
            _("cannot write the file ({reason})").format(reason=reason), path=str(path)
        ) from None
