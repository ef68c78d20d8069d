"""Reading an availability poll into answer codes per person and slot.

The poll is :class:`emessi.scheduling.Poll`, the one poll model of the
library: candidate slots, each answered yes, if need be or no; a slot a
person did not answer counts as no.
"""

from __future__ import annotations

from collections.abc import Sequence

from emessi._i18n import _
from emessi.errors import UsageError
from emessi.formation._problem import IF_NEED_BE, NO, YES
from emessi.scheduling.poll import Answer, Poll, Slot

__all__ = ["read_availability"]

_CODES = {Answer.YES: YES, Answer.IF_NEED_BE: IF_NEED_BE, Answer.NO: NO}


def read_availability(
    availability: object, people: Sequence[str]
) -> tuple[tuple[Slot, ...], list[tuple[int, ...]]]:
    """The poll's slots, in its order, and each of *people*'s answer codes."""
    if not isinstance(availability, Poll):
        raise UsageError(
            _("availability must be an emessi.scheduling.Poll, not {actual}").format(
                actual=type(availability).__name__
            ),
            path="availability",
        )
    if not availability.slots:
        raise UsageError(_("the availability poll has no slots"), path="availability.slots")
    slots = availability.slots
    rows = [
        tuple(_CODES[availability.answer(person, slot.id)] for slot in slots) for person in people
    ]
    return slots, rows
