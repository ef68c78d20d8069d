"""Pseudonymisation keys: weak keys refused without echo; new_key and 0600 key files."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import pytest

from emessi.errors import ResearchError, SaveError, UsageError
from emessi.research import (
    MIN_KEY_BYTES,
    MIN_PASSPHRASE_BYTES,
    Pseudonymiser,
    new_key,
    read_key_file,
    write_key_file,
)

WEAK = {
    "zeros": bytes(32),
    "one letter": b"a" * 32,
    "two bytes repeated": b"ab" * 16,
    "half repeated": secrets.token_bytes(16) * 2,
    "pattern not a multiple": (b"xyz" * 12)[:34],
    "ascending": bytes(range(32)),
    "descending by 3": bytes((200 - 3 * i) % 256 for i in range(40)),
    "few distinct values": bytes([1, 2, 3, 4, 5, 6, 7] * 4 + [7, 6, 5, 4]),
    "short passphrase": b"correct horse battery staple 123",
    "hex of a short key": secrets.token_hex(16).encode(),
    "short": secrets.token_bytes(31),
}


@pytest.mark.parametrize("name", WEAK)
def test_weak_keys_are_refused_without_showing_the_key(name: str) -> None:
    """Each weak key is a ResearchError at 'key'; no byte of it reaches the message."""
    key = WEAK[name]
    with pytest.raises(ResearchError) as caught:
        Pseudonymiser(key)
    error = caught.value
    assert error.path == "key"
    assert error.__context__ is None
    text = str(error) + repr(error.args)
    assert key.decode("latin-1") not in text
    assert key.hex() not in text


def test_good_keys_are_accepted() -> None:
    """new_key(), a long passphrase and a 64-digit hex string are fine."""
    Pseudonymiser(new_key())
    Pseudonymiser(bytearray(new_key()))
    Pseudonymiser(b"we meet on the second tuesday of each month and talk about volunteers, 2013!")
    Pseudonymiser(secrets.token_hex(32).encode())
    assert MIN_PASSPHRASE_BYTES == 64


def test_random_keys_are_never_refused() -> None:
    """The checks refuse no key drawn from the OS (10,000 tries; odds below 2**-100)."""
    for _ in range(10_000):
        Pseudonymiser(secrets.token_bytes(MIN_KEY_BYTES))
        Pseudonymiser(secrets.token_hex(MIN_KEY_BYTES).encode())


def test_new_key_is_random_and_long_enough() -> None:
    """Distinct keys of MIN_KEY_BYTES bytes."""
    keys = {new_key() for _ in range(100)}
    assert len(keys) == 100
    assert {len(k) for k in keys} == {MIN_KEY_BYTES}


def test_a_text_key_is_a_usage_error() -> None:
    """A str key is a misuse, with a message that does not show it."""
    with pytest.raises(UsageError) as caught:
        Pseudonymiser("a Zyxwvu passphrase of many words" * 3)  # type: ignore[arg-type]
    assert "Zyxwvu" not in str(caught.value)


def test_a_key_file_is_private_and_round_trips(tmp_path: Path) -> None:
    """write_key_file makes a 0600 file of hex; read_key_file gives the key back."""
    old = os.umask(0)
    try:
        key = write_key_file(tmp_path / "study.key")
    finally:
        os.umask(old)
    file = tmp_path / "study.key"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert file.read_text("ascii").strip() == key.hex()
    assert read_key_file(file) == key
    given_key = new_key()
    assert write_key_file(tmp_path / "given.key", given_key) == given_key


def test_a_key_file_is_never_replaced(tmp_path: Path) -> None:
    """An existing key file stays: a SaveError, and the old key still reads."""
    file = tmp_path / "study.key"
    key = write_key_file(file)
    with pytest.raises(SaveError, match="never replaces"):
        write_key_file(file)
    assert read_key_file(file) == key


def test_a_weak_key_is_not_written(tmp_path: Path) -> None:
    """The key is checked before the file is created."""
    with pytest.raises(ResearchError):
        write_key_file(tmp_path / "weak.key", bytes(32))
    assert not (tmp_path / "weak.key").exists()


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    """Like ssh: a group- or world-readable key file is refused."""
    file = tmp_path / "study.key"
    write_key_file(file)
    file.chmod(0o644)
    with pytest.raises(ResearchError, match="chmod 600"):
        read_key_file(file)


@pytest.mark.parametrize("content", [b"not hex at all\n", b"\xff\xfe", b"00" * 32 + b"\n"])
def test_a_key_file_without_a_good_hex_key_is_refused(tmp_path: Path, content: bytes) -> None:
    """Garbage or a weak key in the file: a ResearchError that shows neither."""
    file = tmp_path / "study.key"
    file.write_bytes(content)
    file.chmod(0o600)
    with pytest.raises(ResearchError) as caught:
        read_key_file(file)
    assert "not hex" not in str(caught.value)
    assert caught.value.__context__ is None


def test_a_missing_key_file_is_a_save_error(tmp_path: Path) -> None:
    """No such file: an OSError subclass."""
    with pytest.raises(SaveError):
        read_key_file(tmp_path / "nope.key")
