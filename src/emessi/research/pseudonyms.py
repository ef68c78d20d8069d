"""Keyed pseudonyms: person and group ids to HMAC-SHA256 tokens."""

from __future__ import annotations

import hashlib
import hmac
from typing import NoReturn

from emessi.errors import ResearchError, UsageError

__all__ = ["MIN_KEY_BYTES", "Pseudonymiser"]

#: The shortest key accepted: the SHA-256 output length. RFC 2104 (section
#: 3) strongly discourages HMAC keys shorter than the hash output.
MIN_KEY_BYTES = 32


class Pseudonymiser:
    """Turns ids into tokens with a secret key: the same key, the same tokens.

    A token is ``P-`` (person) or ``G-`` (group) and the first 128 bits of
    HMAC-SHA256(key, kind + id), in hex. Without the key a token cannot be
    linked back to its id, nor recomputed from a guessed id; with the same
    key, exports made at different times link up. Keep the key apart from
    the exports (e.g. ``secrets.token_bytes(32)`` in a password manager):
    emessi never writes it out, shows it in a repr, or pickles it.

    Args:
        key: At least :data:`MIN_KEY_BYTES` random bytes.

    Raises:
        UsageError: *key* is not bytes.
        ResearchError: *key* is shorter than :data:`MIN_KEY_BYTES`.

    Example:
        >>> key = b"0123456789abcdef0123456789abcdef"  # use secrets.token_bytes(32)
        >>> p = Pseudonymiser(key)
        >>> p.person("p-01")
        'P-2444a585db91d21f7c554f075a0a9e47'
        >>> Pseudonymiser(key).person("p-01") == p.person("p-01") != p.group("p-01")
        True
        >>> p
        Pseudonymiser(key=<hidden>)

    .. versionadded:: 0.1.0

    """

    __slots__ = ("_key", "_tokens")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray):
            raise UsageError(
                f"the key is bytes (e.g. secrets.token_bytes(32)), not {type(key).__name__}",
                path="key",
            )
        if len(key) < MIN_KEY_BYTES:
            raise ResearchError(f"the key needs at least {MIN_KEY_BYTES} bytes", path="key")
        self._key = bytes(key)
        # An export asks for the same id's token once per row; HMAC once.
        self._tokens: dict[tuple[bytes, str], str] = {}

    def _token(self, kind: bytes, value: str) -> str:
        token = self._tokens.get((kind, value))
        if token is None:
            # The kind is part of the message, so a person and a group with
            # the same id get unrelated tokens.
            message = kind + b"\x00" + value.encode("utf-8")
            token = hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
            self._tokens[kind, value] = token
        return token

    def person(self, person_id: str) -> str:
        """The token of a person id.

        Example:
            >>> Pseudonymiser(bytes(32)).person("p-01").startswith("P-")
            True

        """
        return "P-" + self._token(b"person", person_id)

    def group(self, group_id: str) -> str:
        """The token of a group id (group ids and names may identify people).

        Example:
            >>> Pseudonymiser(bytes(32)).group("g-01").startswith("G-")
            True

        """
        return "G-" + self._token(b"group", group_id)

    def __repr__(self) -> str:
        return "Pseudonymiser(key=<hidden>)"

    def __reduce__(self) -> NoReturn:
        raise UsageError("a Pseudonymiser is not pickled, so that its key is never written out")
