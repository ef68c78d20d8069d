"""Atomic file writes: a temporary file, fsync, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from emessi.errors import SaveError

__all__ = ["write_atomic"]


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* so that readers see the old file or the new one.

    Never a half-written file: the bytes go to a temporary file in the same
    folder, are flushed to disk, and the file is renamed over *path*.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise SaveError(f"cannot write to the folder ({error.strerror})", path=str(path)) from None
    try:
        # mkstemp creates the file 0600; give it the mode a plain open()
        # would (or keep the mode of the file it replaces).
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise SaveError(f"cannot write the file ({error.strerror})", path=str(path)) from None
        raise
