r"""A Babel extractor for the display texts of emessi's package data (TOML).

The built-in theme catalogue and agendas keep their English text in
``method/data/*.toml``; ``pybabel extract`` (configured in
``pyproject.toml``) collects every string under a key ending in ``_en`` so
that translators find them in the same ``.po`` files as the code's texts.
Only a maintainer's tool: nothing at run time imports this module.

Example:
    >>> from io import BytesIO
    >>> data = b'[[themes]]\nid = "x"\ntitle_en = "Recovery"\n'
    >>> list(extract_toml(BytesIO(data), {}, [], {}))
    [(3, None, 'Recovery', ['themes.title_en'])]

"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from typing import IO, Any

__all__ = ["extract_toml"]


def _texts(value: Any, where: str, keys: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_en") or key in keys:
                items = item if isinstance(item, list) else [item]
                yield from ((where + key, text) for text in items if isinstance(text, str) and text)
            else:
                yield from _texts(item, f"{where}{key}.", keys)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, where, keys)


def extract_toml(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Any,
    options: Mapping[str, Any],
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield ``(line, None, text, [key])`` for every ``*_en`` string of a TOML file.

    The mapping's ``keys`` option (space-separated) names more keys whose
    strings are English display texts, e.g. a profile's ``title``.
    """
    keys = frozenset(str(options.get("keys", "")).split())
    raw = fileobj.read()
    lines = raw.decode("utf-8").splitlines()
    seen = 0
    for key, text in _texts(tomllib.loads(raw.decode("utf-8")), "", keys):
        # The line of the text, searching on from the previous one (TOML
        # keeps the document's order).
        needle = text.replace("\\", "\\\\").replace('"', '\\"')
        line = next((i for i in range(seen, len(lines)) if needle in lines[i]), seen)
        seen = line
        yield line + 1, None, text, [key]
