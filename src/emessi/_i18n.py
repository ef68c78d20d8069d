"""Message catalogues: every user-facing text in English, Finnish and Swedish.

The bottom layer, beside :mod:`emessi.errors`: any module of any layer may
``from emessi._i18n import _``. Texts are looked up in the stdlib
:mod:`gettext` catalogues ``emessi/locale/<lang>/LC_MESSAGES/emessi.mo``,
compiled from the ``.po`` files that translators edit (managed with Babel;
see ``docs/explanation/translating.md``).

The language of a text is, first found: an explicit ``lang=`` argument (or
the command's ``--lang``), :func:`set_language`, the ``EMESSI_LANG``
environment variable, the locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG``, in gettext's order), else English.

Example:
    >>> from emessi._i18n import _, ngettext, using_language
    >>> with using_language("fi"):
    ...     print(_("Feedback"), ngettext("{n} peer", "{n} peers", 2).format(n=2))
    Palaute 2 vertaista

.. versionadded:: 0.1.0

"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from emessi.errors import UsageError

__all__ = [
    "LANGUAGES",
    "N_",
    "LazyText",
    "_",
    "get_language",
    "lazy_gettext",
    "lazy_ngettext",
    "lazy_pgettext",
    "ngettext",
    "npgettext",
    "pgettext",
    "set_language",
    "translation",
    "using_language",
]

#: The languages emessi speaks: English (the source), Finnish and Swedish,
#: Finland's two national languages.
LANGUAGES: Final = ("en", "fi", "sv")
DOMAIN: Final = "emessi"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
_ID: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")

# set_language() is process-wide (threads and executors see it); using_language()
# overrides it for the current context only (a validate(lang=...) call).
_chosen: str | None = None
_scoped: contextvars.ContextVar[str | None] = contextvars.ContextVar("emessi_lang", default=None)


def _code(value: str) -> str | None:
    """``"sv_FI.UTF-8"`` -> ``"sv"``; None for a language emessi does not speak."""
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def _from_environment() -> str | None:
    choice = os.environ.get("EMESSI_LANG", "")
    if choice and _code(choice):
        return _code(choice)
    # gettext's own order; the first variable that is set decides.
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            for part in value.split(":"):
                if _code(part):
                    return _code(part)
            return None
    return None


def check_language(lang: str) -> str:
    """*lang* if emessi speaks it, else a :class:`~emessi.errors.UsageError`."""
    if lang not in LANGUAGES:
        # Quoted only if it looks like an id (the rule of model._checks.safe_id,
        # which this bottom layer cannot import): it may be anything passed.
        shown = repr(lang) if isinstance(lang, str) and _ID.match(lang) else "<not an id>"
        raise UsageError(
            _("unknown language {lang}; use one of {languages}").format(
                lang=shown, languages=", ".join(LANGUAGES)
            ),
            path="lang",
        )
    return lang


def get_language() -> str:
    """The language texts are produced in now: ``"en"``, ``"fi"`` or ``"sv"``.

    Example:
        >>> from emessi import get_language, set_language
        >>> set_language("sv")
        >>> get_language()
        'sv'
        >>> set_language(None)

    .. versionadded:: 0.1.0

    """
    return _scoped.get() or _chosen or _from_environment() or "en"


def set_language(lang: str | None) -> None:
    """Speak *lang* from now on, in the whole process; None to follow the environment.

    Overrides ``EMESSI_LANG`` and the locale; an explicit ``lang=``
    argument still wins for its call.

    Args:
        lang: ``"en"``, ``"fi"`` or ``"sv"``; None forgets the choice.

    Raises:
        UsageError: emessi does not speak *lang*.

    Example:
        >>> from emessi import Group, set_language, validate
        >>> set_language("fi")
        >>> print(validate(Group("g-01")).summary())
        2 virhettä, 1 varoitus, 1 huomautus
        >>> set_language(None)

    .. versionadded:: 0.1.0

    """
    global _chosen
    _chosen = None if lang is None else check_language(lang)


@contextlib.contextmanager
def using_language(lang: str | None) -> Iterator[str]:
    """Speak *lang* inside the ``with`` block (this thread or task only).

    None keeps the current language.

    Example:
        >>> with using_language("sv") as lang:
        ...     print(lang, pgettext("severity", "error"))
        sv fel

    """
    resolved = get_language() if lang is None else check_language(lang)
    token = _scoped.set(resolved)
    try:
        yield resolved
    finally:
        _scoped.reset(token)


@functools.cache
def translation(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of *lang* (English falls back to the msgids)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """*message* in the current language."""
    return translation(get_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of *singular*/*plural* that fits the number *n*, translated."""
    return translation(get_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """*message* translated in *context* (one English word, two meanings)."""
    return translation(get_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """:func:`ngettext` in *context*."""
    return translation(get_language()).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Mark *message* for extraction only; translate it later with :func:`_`."""
    return message


class LazyText:
    """A text translated when it is shown, in the language in force then.

    For module-level constants and for a rule's message, whose language is
    known only when a report is made. Keyword parameters fill ``{name}``
    placeholders after translation; a parameter may itself be lazy.

    Example:
        >>> text = lazy_ngettext("{n} observer", "{n} observers", 1, n=1)
        >>> text.render("en"), text.render("sv")
        ('1 observer', '1 observatör')

    """

    __slots__ = ("context", "message", "n", "params", "plural")

    def __init__(
        self,
        message: str,
        plural: str | None = None,
        n: int | None = None,
        context: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.plural = plural
        self.n = n
        self.context = context
        self.params = dict(params or {})

    def render(self, lang: str | None = None) -> str:
        """The text in *lang* (by default the current language)."""
        catalogue = translation(check_language(lang) if lang else get_language())
        if self.plural is not None:
            n = self.n if self.n is not None else 1
            if self.context is not None:
                text = catalogue.npgettext(self.context, self.message, self.plural, n)
            else:
                text = catalogue.ngettext(self.message, self.plural, n)
        elif self.context is not None:
            text = catalogue.pgettext(self.context, self.message)
        else:
            text = catalogue.gettext(self.message)
        if not self.params:
            return text
        values = {
            key: value.render(lang) if isinstance(value, LazyText) else value
            for key, value in self.params.items()
        }
        return text.format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"LazyText({self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LazyText):
            return NotImplemented
        return (self.message, self.plural, self.n, self.context, self.params) == (
            other.message,
            other.plural,
            other.n,
            other.context,
            other.params,
        )

    def __hash__(self) -> int:
        return hash((self.message, self.plural, self.n, self.context))


def lazy_gettext(message: str, /, **params: Any) -> LazyText:
    """*message*, translated when shown; ``{name}`` filled from *params*."""
    return LazyText(message, params=params)


def lazy_ngettext(singular: str, plural: str, n: int, /, **params: Any) -> LazyText:
    """The plural form for *n*, translated when shown; ``{n}`` is *n* unless given."""
    return LazyText(singular, plural, n, params={"n": n, **params})


def lazy_pgettext(context: str, message: str, /, **params: Any) -> LazyText:
    """*message* in *context*, translated when shown."""
    return LazyText(message, context=context, params=params)
