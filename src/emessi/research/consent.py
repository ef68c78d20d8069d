"""Research consent: who agreed to their data being used, and until when."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from emessi._i18n import _
from emessi.errors import DomainError
from emessi.model._checks import check_id
from emessi.model._strict import check_for, checked, read_all, strict

__all__ = ["Consent", "consenting"]


def _check_date(instance: object, attribute: attrs.Attribute[date], value: date) -> None:
    if not isinstance(value, date):
        raise DomainError(_("expected a date"), path=attribute.name)


@checked
@attrs.frozen(field_transformer=strict)
class Consent:
    """A person's consent to the use of their data in research.

    Consent counts from the day it was *given* until the day it is
    *withdrawn* (that day excluded). A person without a consent in force
    is left out of every research export, entirely.

    Args:
        person: The id of the :class:`~emessi.Person`.
        given: The day consent was given.
        withdrawn: The day it was withdrawn, if it was.

    Example:
        >>> c = Consent("p-01", date(2013, 11, 1), withdrawn=date(2015, 1, 1))
        >>> c.in_force(date(2014, 6, 1)), c.in_force(date(2015, 1, 1))
        (True, False)

    .. versionadded:: 0.1.0

    """

    person: str = attrs.field(validator=check_id)
    given: date = attrs.field(validator=_check_date)
    withdrawn: date | None = attrs.field(
        default=None, validator=attrs.validators.optional(_check_date)
    )

    def __attrs_post_init__(self) -> None:
        if self.withdrawn is not None and self.withdrawn < self.given:
            raise DomainError(
                _("consent cannot be withdrawn before it was given"), path="withdrawn"
            )

    @checked
    def in_force(self, day: date) -> bool:
        """Whether the consent was given and not withdrawn on *day*.

        Example:
            >>> Consent("p-01", date(2013, 11, 1)).in_force(date(2013, 10, 31))
            False

        """
        return self.given <= day and (self.withdrawn is None or day < self.withdrawn)


@checked
def consenting(consents: Iterable[Consent], on: date) -> frozenset[str]:
    """The ids of the people whose consent is in force *on* a day.

    A person may have several consents (given again after a withdrawal);
    one in force is enough.

    Example:
        >>> consents = [Consent("p-01", date(2013, 11, 1)),
        ...             Consent("p-02", date(2013, 11, 1), withdrawn=date(2014, 1, 1))]
        >>> sorted(consenting(consents, date(2014, 6, 1)))
        ['p-01']

    .. versionadded:: 0.1.0

    """
    found = read_all(consents, "consents")
    for index, consent in enumerate(found):
        if consent.__class__ is not Consent:
            _CONSENT(consent, f"consents[{index}]")
    return _in_force(found, on)


def _in_force(consents: Iterable[Consent], on: date) -> frozenset[str]:
    """:func:`consenting` without the argument checks, for emessi's own calls."""
    return frozenset(
        c.person for c in consents if c.given <= on and (c.withdrawn is None or on < c.withdrawn)
    )


_CONSENT = check_for(Consent)
