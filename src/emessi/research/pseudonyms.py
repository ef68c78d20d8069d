"""Keyed pseudonyms: person and group ids to HMAC-SHA256 tokens, and their keys.

A token is only as secret as its key. :class:`Pseudonymiser` refuses keys
with too little entropy (all bytes equal, a repeated short pattern, a
simple sequence, a short printable passphrase); :func:`new_key` makes a
good one and :func:`write_key_file` / :func:`read_key_file` keep it in a
file only its owner can read, apart from the data.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import os
import secrets
import stat
from os import PathLike
from typing import NoReturn

from emessi._i18n import _
from emessi.errors import ResearchError, SaveError, UsageError
from emessi.model._strict import check_for, checked

__all__ = [
    "MIN_KEY_BYTES",
    "MIN_PASSPHRASE_BYTES",
    "Pseudonymiser",
    "new_key",
    "read_key_file",
    "write_key_file",
]

#: The shortest key accepted: the SHA-256 output length. RFC 2104 (section
#: 3) strongly discourages HMAC keys shorter than the hash output.
MIN_KEY_BYTES = 32
#: The shortest key accepted when every byte is printable ASCII, i.e. a
#: passphrase typed by a person or a hex string: 64 characters (256 bits
#: as hex). emessi's own choice, from NIST SP 800-63B's advice that
#: memorised secrets are weak and should be long.
MIN_PASSPHRASE_BYTES = 64
_MIN_DISTINCT = 8


_TEXT = check_for(str)


def _period(data: bytes) -> int:
    """The smallest period of *data* (Knuth-Morris-Pratt failure function)."""
    fail = [0] * len(data)
    k = 0
    for i in range(1, len(data)):
        while k and data[i] != data[k]:
            k = fail[k - 1]
        if data[i] == data[k]:
            k += 1
        fail[i] = k
    return len(data) - fail[-1] if data else 0


def _weakness(key: bytes) -> str | None:
    """Why *key* has too little entropy, or None: never the key itself."""
    if len(key) < MIN_KEY_BYTES:
        return _("the key needs at least {n} bytes").format(n=MIN_KEY_BYTES)
    if len(set(key)) == 1:
        return _("every byte of the key is the same")
    period = _period(key)
    if period <= len(key) // 2:
        return _("the key repeats a pattern of {n} bytes").format(n=period)
    steps = bytes((b - a) % 256 for a, b in itertools.pairwise(key))
    if _period(steps) <= len(steps) // 4:
        return _("the key is a simple sequence of bytes")
    if len(set(key)) < _MIN_DISTINCT:
        return _("the key uses fewer than {n} different byte values").format(n=_MIN_DISTINCT)
    if all(0x20 <= b < 0x7F for b in key) and len(key) < MIN_PASSPHRASE_BYTES:
        return _(
            "a printable passphrase needs at least {n} characters; use new_key() for random bytes"
        ).format(n=MIN_PASSPHRASE_BYTES)
    return None


class Pseudonymiser:
    """Turns ids into tokens with a secret key: the same key, the same tokens.

    A token is ``P-`` (person) or ``G-`` (group) and the first 128 bits of
    HMAC-SHA256(key, kind + id), in hex. Without the key a token cannot be
    linked back to its id, nor recomputed from a guessed id; with the same
    key, exports made at different times link up. Keep the key apart from
    the exports (:func:`write_key_file`, or a password manager): emessi
    never writes it out, shows it in a repr, or pickles it.

    Args:
        key: At least :data:`MIN_KEY_BYTES` random bytes, e.g.
            :func:`new_key`; a printable passphrase needs
            :data:`MIN_PASSPHRASE_BYTES` characters.

    Raises:
        UsageError: *key* is not bytes.
        ResearchError: *key* is too short or has too little entropy: all
            bytes equal, a repeated pattern, a simple sequence such as
            ``bytes(range(32))``, fewer than 8 distinct byte values, or a
            short printable passphrase. The message never shows the key.

    Example:
        >>> key = bytes.fromhex("9c1e4f27a0b35d8861f2c7e49a03b6d5" "58e1a7c40f92d36be5170c8a4f2d9b63")
        >>> p = Pseudonymiser(key)  # in real use: Pseudonymiser(new_key())
        >>> p.person("p-01")
        'P-ef96db3cef702494b638b12cf5b28cf9'
        >>> Pseudonymiser(key).person("p-01") == p.person("p-01") != p.group("p-01")
        True
        >>> p
        Pseudonymiser(key=<hidden>)

    .. versionadded:: 0.1.0

    """

    __slots__ = ("_key", "_tokens")

    @checked
    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray):
            raise UsageError(
                _("the key is bytes (e.g. secrets.token_bytes(32)), not {actual}").format(
                    actual=type(key).__name__
                ),
                path="key",
            )
        weakness = _weakness(bytes(key))
        if weakness is not None:
            raise ResearchError(weakness, path="key")
        self._key = bytes(key)
        # An export asks for the same id's token once per row; HMAC once.
        self._tokens: dict[tuple[bytes, str], str] = {}

    def _token(self, kind: bytes, value: str) -> str:
        try:
            token = self._tokens.get((kind, value))
        except TypeError:  # unhashable
            token = None
        if token is None:
            if value.__class__ is not str or not value.isascii():
                _TEXT(value, "person_id" if kind == b"person" else "group_id")
            # The kind is part of the message, so a person and a group with
            # the same id get unrelated tokens.
            message = kind + b"\x00" + value.encode("utf-8")
            token = hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
            self._tokens[kind, value] = token
        return token

    def person(self, person_id: str) -> str:
        """The token of a person id.

        Example:
            >>> Pseudonymiser(new_key()).person("p-01").startswith("P-")
            True

        """
        return "P-" + self._token(b"person", person_id)

    def group(self, group_id: str) -> str:
        """The token of a group id (group ids and names may identify people).

        Example:
            >>> Pseudonymiser(new_key()).group("g-01").startswith("G-")
            True

        """
        return "G-" + self._token(b"group", group_id)

    def __repr__(self) -> str:
        return "Pseudonymiser(key=<hidden>)"

    def __reduce__(self) -> NoReturn:
        raise UsageError(_("a Pseudonymiser is not pickled, so that its key is never written out"))


@checked
def new_key() -> bytes:
    """A new random key of :data:`MIN_KEY_BYTES` bytes from the OS (``secrets``).

    Make one key per study and keep it apart from the data
    (:func:`write_key_file`); the same key gives the same tokens.

    Example:
        >>> key = new_key()
        >>> len(key), new_key() != key
        (32, True)

    .. versionadded:: 0.1.0

    """
    while True:
        key = secrets.token_bytes(MIN_KEY_BYTES)
        # A random key fails a check with a chance below 2**-100; draw again.
        if _weakness(key) is None:
            return key


@checked
def write_key_file(path: str | PathLike[str], key: bytes | None = None) -> bytes:
    """Create a key file that only its owner can read (mode 0600); return the key.

    The key is written as one line of hex. An existing file is never
    replaced: losing a study's key orphans its tokens. Keep the file apart
    from the exports, e.g. on the data controller's encrypted drive, not in
    the folder or repository the data goes to.

    Args:
        path: The new file.
        key: The key to store; a :func:`new_key` by default.

    Raises:
        SaveError: the file exists or cannot be created.
        ResearchError: *key* is too weak (see :class:`Pseudonymiser`).

    Example:
        >>> import stat, tempfile
        >>> from pathlib import Path
        >>> file = Path(tempfile.mkdtemp()) / "study.key"
        >>> key = write_key_file(file)
        >>> oct(stat.S_IMODE(file.stat().st_mode)), read_key_file(file) == key
        ('0o600', True)

    .. versionadded:: 0.1.0

    """
    if key is None:
        key = new_key()
    Pseudonymiser(key)  # refuse a weak key before anything is written
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise SaveError(
            _("the key file exists; emessi never replaces a key"), path="path"
        ) from None
    except OSError as error:
        raise SaveError(
            _("cannot create the key file ({error})").format(error=error.strerror), path="path"
        ) from None
    except ValueError:  # a NUL or a lone surrogate in the path
        raise SaveError(_("not a valid file name"), path="path") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, bytes(key).hex().encode("ascii") + b"\n")
        os.fsync(fd)
    except OSError as error:
        os.close(fd)
        os.unlink(path)
        raise SaveError(
            _("cannot write the key file ({error})").format(error=error.strerror), path="path"
        ) from None
    os.close(fd)
    return bytes(key)


@checked
def read_key_file(path: str | PathLike[str]) -> bytes:
    """The key in a file made by :func:`write_key_file` (one line of hex).

    Refuses a file that others may read (POSIX: any group or other
    permission), as ``ssh`` does for private keys.

    Raises:
        ResearchError: the file is readable by others, is not a hex key, or
            the key is too weak. The message never shows the file's content.
        SaveError: the file cannot be read (an ``OSError``).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> file = Path(tempfile.mkdtemp()) / "study.key"
        >>> key = write_key_file(file)
        >>> read_key_file(file) == key
        True

    .. versionadded:: 0.1.0

    """
    # non-blocking: a FIFO given as the key file must not hang the open
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise SaveError(
            _("cannot read the key file ({error})").format(error=error.strerror), path="path"
        ) from None
    except ValueError:  # a NUL or a lone surrogate in the path
        raise SaveError(_("not a valid file name"), path="path") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SaveError(_("the key file is not a regular file"), path="path")
        if os.name == "posix" and mode & 0o077:
            raise ResearchError(
                _("the key file can be read by others; make it private (chmod 600)"), path="path"
            )
        content = os.read(fd, 4096)
    finally:
        os.close(fd)
    key = _from_hex(content)
    if key is None:
        # raised outside the except block: no __context__ holds the content
        raise ResearchError(_("the key file does not hold one line of hex"), path="path")
    Pseudonymiser(key)
    return key


def _from_hex(content: bytes) -> bytes | None:
    try:
        return bytes.fromhex(content.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        return None
