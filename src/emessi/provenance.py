"""Provenance: where each number, rule and text of the method comes from.

emessi models a method known from a few short texts. Each default, range,
rule and text the library ships says where it comes from: a source and the
place in it, or that it is *emessi's assumption*, with the reason. The rule
and profile references and the explanation of the method show it, and a test
fails when a built-in range or rule states none.

Example:
    >>> from emessi import get_profile
    >>> print(get_profile().meetings.provenance.citation)
    eMessi2 project description (Humak University of Applied Sciences, 2015)
    >>> get_profile().meetings.provenance.place
    '"the groups ... met 6-8 times" (ne tapasivat 6–8 kertaa)'

.. versionadded:: 0.1.0

"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from emessi._calls import checked_class
from emessi._i18n import _
from emessi.errors import UsageError

__all__ = ["SOURCES", "Provenance"]

#: The sources emessi cites, by the key a :class:`Provenance` names them with.
#: Of the guide and the pre-study report only the tables of contents were
#: read: they are cited as names of parts, never for their content.
SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "emessi2": "eMessi2 project description (Humak University of Applied Sciences, 2015)",
        "guide-contents": (
            "Kaunismaa & Rajalin (2015), Järjestöt eMessissä – koulutusopas "
            "verkkopohjaisen vertaismentoroinnin toteuttamisesta, Humak: "
            "its table of contents"
        ),
        "prestudy-contents": (
            "Rajalin & Kaunismaa (2013), Vertaisuutta verkossa, Humak: its table of contents"
        ),
        "manka-2008": "Manka (2008), as cited in the eMessi2 project description",
        "hakanen-2005": "Hakanen (2005), as cited in the eMessi2 project description",
        "verme": (
            "Public descriptions of Verme, the Finnish peer-group mentoring model "
            "for teachers (PGM)"
        ),
    }
)


def _text(instance: Any, attribute: Any, value: object) -> None:
    if value.__class__ is not str:
        raise UsageError(_("expected a string"), path=attribute.name)


@checked_class
@attrs.frozen
class Provenance:
    """Where a number, rule or text comes from.

    A provenance names a source and the place in it, or says what emessi
    assumes and why, or both: a range's preferred part may come from the
    source while its tolerance is emessi's.

    Args:
        source: A key of :data:`SOURCES` (``"emessi2"``), or a citation of
            your own for your own profile or rule.
        place: Where in the source: a quotation or a section.
        assumption: What emessi adds on its own, and why; empty when the
            source says it all.

    Example:
        >>> p = Provenance("emessi2", '"about once a month"', "3-6 weeks read as monthly")
        >>> print(p)
        eMessi2 project description (Humak University of Applied Sciences, 2015), "about once a month"; emessi's assumption: 3-6 weeks read as monthly
        >>> Provenance().stated, Provenance(assumption="a tolerance").stated
        (False, True)

    """

    source: str = attrs.field(default="", validator=_text)
    place: str = attrs.field(default="", validator=_text)
    assumption: str = attrs.field(default="", validator=_text)

    @property
    def stated(self) -> bool:
        """True when it names a source or states an assumption."""
        return bool(self.source.strip() or self.assumption.strip())

    @property
    def citation(self) -> str:
        """The full citation of :attr:`source` (the key itself if it is not in :data:`SOURCES`).

        Example:
            >>> Provenance("verme").citation
            'Public descriptions of Verme, the Finnish peer-group mentoring model for teachers (PGM)'

        """
        return SOURCES.get(self.source, self.source)

    def cited(self) -> str:
        """The citation and the place, or ``""`` without a source.

        Example:
            >>> Provenance("manka-2008", "the four factors").cited()
            'Manka (2008), as cited in the eMessi2 project description, the four factors'

        """
        if not self.source:
            return ""
        return f"{self.citation}, {self.place}" if self.place else self.citation

    def __str__(self) -> str:
        parts = [self.cited()] if self.source else []
        if self.assumption:
            parts.append(f"emessi's assumption: {self.assumption}")
        return "; ".join(parts) or "not stated"
