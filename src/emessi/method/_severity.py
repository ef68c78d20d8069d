"""How serious a finding is."""

from __future__ import annotations

from emessi._i18n import pgettext
from emessi.model._strict import Choice

__all__ = ["Severity"]


class Severity(Choice):
    """How serious a validation finding is.

    An *error* breaks the method (outside a profile's allowed range); a
    *warning* departs from its preferred range ("as a rule 5-6 peers");
    *info* is a remark.

    Example:
        >>> Severity("warning") < Severity.ERROR
        True

    .. versionadded:: 0.1.0

    """

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def label(self) -> str:
        """The severity's word in the current language.

        Example:
            >>> from emessi._i18n import using_language
            >>> with using_language("fi"):
            ...     Severity.WARNING.label
            'varoitus'

        """
        # Translators: severities of a finding.
        return {
            Severity.INFO: pgettext("severity", "info"),
            Severity.WARNING: pgettext("severity", "warning"),
            Severity.ERROR: pgettext("severity", "error"),
        }[self]

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
