"""Atomic saves: private temporary files that do not outlive a crash; symlinks kept."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import emessi
from emessi import Person, Programme, _atomic
from emessi._atomic import TEMP_SUFFIX, sweep, write_atomic
from emessi.errors import SaveError

SECRET = b"Aino Virtanen aino@example.org"

# The child writes a file and is killed (SIGKILL) in the middle: after the
# data is written, before the rename. ``named`` forces the fallback.
_CRASH = """
import os, signal, sys
from pathlib import Path
from emessi import _atomic
if sys.argv[2] == "named":
    _atomic._anonymous = lambda folder: None
real = _atomic._write_all
def dying(fd, data):
    real(fd, data)
    print(oct(os.fstat(fd).st_mode & 0o777), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
_atomic._write_all = dying
_atomic.write_atomic(Path(sys.argv[1]), b"Aino Virtanen aino@example.org" * 1000)
"""


def _crash(target: Path, how: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _CRASH, str(target), how],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == -9, done.stderr
    return done.stdout.strip()


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def _anonymous_files_work(folder: Path) -> bool:
    fd = _atomic._anonymous(folder)
    if fd is None:
        return False
    try:
        name = folder / ".probe"
        linked = _atomic._link(fd, name)
        if linked:
            name.unlink()
        return linked
    finally:
        os.close(fd)


def test_a_killed_save_leaves_no_copy_where_the_os_has_anonymous_files(tmp_path: Path) -> None:
    """O_TMPFILE + linkat: a save killed after writing leaves nothing behind."""
    if not _anonymous_files_work(tmp_path):
        pytest.skip("no O_TMPFILE + linkat on this system")
    target = tmp_path / "cohort.json"
    target.write_bytes(b"old")
    assert _crash(target, "anonymous") == "0o600"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.json"]
    assert target.read_bytes() == b"old"


def test_a_killed_named_save_is_private_and_removed_by_the_next_save(tmp_path: Path) -> None:
    """The fallback's leftover is 0600 and the next save to the folder removes it."""
    target = tmp_path / "cohort.json"
    target.write_bytes(b"old")
    assert _crash(target, "named") == "0o600"
    (leftover,) = _leftovers(tmp_path)
    assert stat.S_IMODE(leftover.stat().st_mode) == 0o600
    assert target.read_bytes() == b"old"
    write_atomic(tmp_path / "other.json", b"{}")
    assert _leftovers(tmp_path) == []
    assert target.read_bytes() == b"old"


def test_a_sweep_spares_a_temporary_file_that_a_live_save_holds(tmp_path: Path) -> None:
    """A locked temporary file is another save in progress: it stays."""
    fd, name = _atomic._named(tmp_path, tmp_path / "x.json")
    try:
        assert sweep(tmp_path) == 0
        assert name.exists()
    finally:
        os.close(fd)
    assert sweep(tmp_path) == 1
    assert not name.exists()


def test_a_sweep_leaves_other_files_alone(tmp_path: Path) -> None:
    """Only emessi's own temporary files are removed."""
    for name in (".notes.tmp", "cohort.json.tmp", f"visible{TEMP_SUFFIX}"):
        (tmp_path / name).write_bytes(b"x")
    assert sweep(tmp_path) == 0
    assert len(list(tmp_path.iterdir())) == 3


@pytest.mark.parametrize("how", ["anonymous", "named"])
def test_a_failed_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """An error while writing (a full disk) is a SaveError and leaves no file."""
    if how == "named":
        monkeypatch.setattr(_atomic, "_anonymous", lambda folder: None)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SaveError, match="No space left"):
        write_atomic(tmp_path / "cohort.json", SECRET)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("how", ["anonymous", "named"])
def test_modes_new_file_follows_umask_and_a_replaced_file_keeps_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The final file gets the replaced file's mode, or open()'s for a new one."""
    if how == "named":
        monkeypatch.setattr(_atomic, "_anonymous", lambda folder: None)
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "new.json"
        write_atomic(fresh, b"1")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.json"
        kept.write_bytes(b"0")
        kept.chmod(0o600)
        write_atomic(kept, b"1")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        os.umask(umask)


@pytest.mark.parametrize("how", ["anonymous", "named"])
def test_saving_through_a_symlink_replaces_its_target_and_keeps_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The link stays a link; the file it points to gets the new bytes."""
    if how == "named":
        monkeypatch.setattr(_atomic, "_anonymous", lambda folder: None)
    elsewhere = tmp_path / "data"
    elsewhere.mkdir()
    real = elsewhere / "cohort.json"
    real.write_bytes(b"old")
    link = tmp_path / "cohort.json"
    link.symlink_to(real)
    emessi.dump(Programme("p", people=[Person("p-01", "Aino")]), link)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert emessi.load(real) == emessi.load(link)
    assert _leftovers(tmp_path) == []
    assert _leftovers(elsewhere) == []


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    """A link to a file that does not exist yet: the file is created, the link kept."""
    link = tmp_path / "out.ics"
    link.symlink_to(tmp_path / "real.ics")
    write_atomic(link, b"x")
    assert link.is_symlink()
    assert (tmp_path / "real.ics").read_bytes() == b"x"


def test_a_looping_symlink_is_refused(tmp_path: Path) -> None:
    """A link loop is a SaveError, and nothing is written."""
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(SaveError, match="loops"):
        write_atomic(tmp_path / "a", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_a_missing_folder_is_a_save_error(tmp_path: Path) -> None:
    """No such folder: a SaveError naming the path."""
    with pytest.raises(SaveError) as caught:
        write_atomic(tmp_path / "no" / "file.json", b"x")
    assert caught.value.path.endswith("file.json")


def test_a_device_fifo_or_folder_is_never_replaced(tmp_path: Path) -> None:
    """write_atomic refuses a target that is not a regular file (it renamed over /dev/null)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    for target in (fifo, link, tmp_path):
        with pytest.raises(SaveError, match="not a regular file"):
            write_atomic(target, b"x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert link.is_symlink()
    write_atomic(tmp_path / "plain.ics", b"x")
    assert (tmp_path / "plain.ics").read_bytes() == b"x"
