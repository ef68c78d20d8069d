"""Where each built-in text of the method comes from, in one place.

The numbers of a profile carry their provenance
(:meth:`~emessi.MethodProfile.provenance_of`), and so does each rule
(:attr:`~emessi.rules.Rule.provenance`). The texts emessi ships -- the outline
of the session process and its agendas, the ground rules, the theme
catalogue, the Finnish terms of the roles and dimensions -- are listed by
:func:`text_provenance`.
"""

from __future__ import annotations

from emessi.method.process import (
    MeetingKind,
    framework_provenance,
    ground_rules_provenance,
)
from emessi.method.themes import default_catalogue
from emessi.model.people import Role
from emessi.model.themes import NGO_TAGS_PROVENANCE, Dimension
from emessi.provenance import Provenance

__all__ = ["text_provenance"]


def text_provenance() -> dict[str, Provenance]:
    """The provenance of every built-in text, by a stable key.

    Keys: ``session-framework``; ``meeting-kind.first`` (``.theme``,
    ``.closing``: the kind, its Finnish name and its agenda);
    ``ground-rules[0]`` to ``[3]``; ``theme-catalogue``; ``ngo-tags``;
    ``role.peer`` (and the other roles: their Finnish terms);
    ``dimension.individual`` (and the other dimensions).

    Example:
        >>> texts = text_provenance()
        >>> print(texts["ground-rules[2]"])
        emessi's assumption: a common ground rule of online groups, suggested by emessi; not from the sources
        >>> texts["dimension.vigour"].source, texts["dimension.individual"].source
        ('hakanen-2005', 'manka-2008')

    """
    texts = {"session-framework": framework_provenance()}
    texts |= {f"meeting-kind.{kind.value}": kind.provenance for kind in MeetingKind}
    texts |= {
        f"ground-rules[{index}]": provenance
        for index, provenance in enumerate(ground_rules_provenance())
    }
    texts["theme-catalogue"] = default_catalogue().provenance
    texts["ngo-tags"] = NGO_TAGS_PROVENANCE
    texts |= {f"role.{role.value}": role.provenance for role in Role}
    texts |= {f"dimension.{dimension.value}": dimension.provenance for dimension in Dimension}
    return texts
