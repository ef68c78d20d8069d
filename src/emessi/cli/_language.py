"""The command's language: ``--lang`` found before parsing, and argparse's own texts.

The language must be known before the parser is built, because every help
text is translated as the parser is made; so ``--lang`` is read from the
command line first (:func:`requested_language`). argparse writes its own
words ("usage:", "options", its error messages) through the module-level
``argparse._``; while the command runs they are looked up in emessi's
catalogues instead (:func:`argparse_speaks`), which carry translations of
the texts below.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence

from emessi._i18n import LANGUAGES, N_, get_language, translation

__all__ = ["argparse_speaks", "requested_language"]

# argparse's texts that emessi's users meet (Python 3.11-3.13), marked for
# extraction; the catalogues translate them.
_ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)


def requested_language(words: Sequence[str]) -> str | None:
    """The language of ``--lang X`` or ``--lang=X`` in *words*, if it is one emessi speaks.

    Example:
        >>> requested_language(["validate", "plan.json", "--lang", "sv"])
        'sv'
        >>> requested_language(["validate", "--", "--lang=fi"]) is None
        True

    """
    for index, word in enumerate(words):
        if word == "--":
            break
        value = None
        if word == "--lang" and index + 1 < len(words):
            value = words[index + 1]
        elif word.startswith("--lang="):
            value = word.partition("=")[2]
        if value in LANGUAGES:
            return value
    return None


@contextlib.contextmanager
def argparse_speaks(lang: str | None = None) -> Iterator[None]:
    """Let argparse's own texts speak *lang* (default: the current language) inside the block."""
    catalogue = translation(lang or get_language())
    saved = argparse.__dict__["_"], argparse.__dict__["ngettext"]
    argparse.__dict__["_"] = catalogue.gettext
    argparse.__dict__["ngettext"] = catalogue.ngettext
    try:
        yield
    finally:
        argparse.__dict__["_"], argparse.__dict__["ngettext"] = saved
