"""People, the organisations they work in, and the roles they take in a group."""

from __future__ import annotations

import attrs

from emessi.model._checks import check_id, check_positive, hidden, strings
from emessi.model._strict import Choice, checked, strict
from emessi.provenance import Provenance

__all__ = ["Organisation", "Person", "Role"]


class Role(Choice):
    """The part a person takes in an eMessi group.

    - ``PEER``: a worker from a small work community (*vertainen*; the
      source calls them *työntekijät*, employees). 5-6 per group as a rule.
    - ``FACILITATOR``: responsible for the progress of the discussion
      (*fasilitaattori*, in the guide *vetäjä*, leader). One per group.
    - ``OBSERVER``: a project worker acting as observer and technical
      support (*havainnoija ja tekninen tuki*, in the guide *käytön tuki*,
      usage support). Not a peer.

    The secretary (*sihteeri*) is not a role but a per-meeting duty taken in
    rotation by the peers; see :func:`emessi.assign_secretaries`.

    Example:
        >>> Role("facilitator")
        <Role.FACILITATOR: 'facilitator'>
        >>> Role.OBSERVER.finnish
        'havainnoija ja tekninen tuki'
        >>> Role.PEER.provenance.assumption
        "the description speaks of employees (työntekijät); 'vertainen' (peer) is emessi's term, after vertaismentorointi (peer mentoring)"

    .. versionadded:: 0.1.0

    """

    PEER = "peer"
    FACILITATOR = "facilitator"
    OBSERVER = "observer"

    @property
    def finnish(self) -> str:
        """The Finnish term for the role, from the eMessi2 project description.

        The guide's table of contents names the facilitator's and the
        observer's tasks differently: *vetäjä* (leader) and *käytön tuki*
        (usage support). The peer's term is emessi's (see :attr:`provenance`).
        """
        return _FINNISH[self]

    @property
    def provenance(self) -> Provenance:
        """Where the role and its Finnish term come from."""
        return _PROVENANCE[self]


_FINNISH = {
    Role.PEER: "vertainen",
    Role.FACILITATOR: "fasilitaattori",
    Role.OBSERVER: "havainnoija ja tekninen tuki",
}
_PROVENANCE = {
    Role.PEER: Provenance(
        "emessi2",
        '"5-6 employees" (työntekijät)',
        "the description speaks of employees (työntekijät); 'vertainen' (peer) is "
        "emessi's term, after vertaismentorointi (peer mentoring)",
    ),
    Role.FACILITATOR: Provenance(
        "emessi2",
        '"a facilitator responsible for the progress of the discussion" (fasilitaattori); '
        "the guide's contents call the task vetäjä",
    ),
    Role.OBSERVER: Provenance(
        "emessi2",
        '"a project worker acting as observer and technical support" (havainnoija ja '
        "tekninen tuki); the guide's contents call the task käytön tuki",
    ),
}


@checked
@attrs.frozen(field_transformer=strict)
class Organisation:
    """A workplace peers come from: an NGO (*järjestö*) or another employer.

    The eMessi target group is professionals in small work communities of
    fewer than 5 people; :attr:`staff` is compared with the profile's
    ``workplace_size`` by the ``workplace-size`` rule.

    Args:
        id: A short stable id, unique in the programme.
        name: The organisation's name; hidden in reprs, as a workplace of
            one to four people names its people.
        sector: A free label such as ``"third sector"`` or ``"education"``.
        staff: Number of people working there (at least 1).
        region: An optional region label, used for diversity in formation.

    Example:
        >>> Organisation("o-01", "Nuorisoyhdistys ry", staff=3)
        Organisation(id='o-01', name=<hidden>, sector='third sector', staff=3, region=None)

    .. versionadded:: 0.1.0

    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(repr=hidden)
    sector: str = "third sector"
    staff: int = attrs.field(default=1, validator=check_positive)
    region: str | None = None


@checked
@attrs.frozen(field_transformer=strict)
class Person:
    """Somebody who takes part in a programme.

    Names and e-mail addresses are personal data: they are hidden in the
    repr and never appear in error messages, logs or research exports.

    Args:
        id: A short stable id, unique in the programme; what everything
            else refers to.
        name: The person's name (personal data).
        email: An optional e-mail address (personal data).
        organisation: The id of the :class:`Organisation` they work in.
        languages: Languages they can take part in, e.g. ``("fi", "sv")``.

    Example:
        >>> Person("p-01", "Aino Virtanen", email="aino@example.org")
        Person(id='p-01', name=<hidden>, email=<hidden>, organisation=None, languages=('fi',))

    .. versionadded:: 0.1.0

    """

    id: str = attrs.field(validator=check_id)
    name: str = attrs.field(repr=hidden)
    email: str | None = attrs.field(default=None, repr=hidden)
    organisation: str | None = None
    languages: tuple[str, ...] = attrs.field(default=("fi",), converter=strings)
