"""Applicants and staff: who groups are formed from and who leads them."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from emessi._i18n import _
from emessi.errors import DomainError, UnknownReferenceError
from emessi.model._checks import check_id, check_positive, safe_id, strings
from emessi.model._strict import check_for, checked, strict
from emessi.model.people import Organisation, Person
from emessi.model.programme import Programme

__all__ = ["Applicant", "Staff", "applicants_from_programme"]


def _check_organisation(instance: Applicant, attribute: object, value: Organisation | None) -> None:
    if value is not None and instance.person.organisation not in (None, value.id):
        raise DomainError(
            _("the person's organisation {organisation} is not {other}").format(
                organisation=safe_id(instance.person.organisation), other=safe_id(value.id)
            ),
            path="organisation",
        )


@attrs.frozen
class _Field:
    """Stands in for an attrs attribute, so that check_id's path names the item."""

    name: str


def _check_avoid(instance: Applicant, attribute: object, value: tuple[str, ...]) -> None:
    for index, other in enumerate(value):
        check_id(instance, _Field(f"avoid[{index}]"), other)


@checked
@attrs.frozen(field_transformer=strict)
class Applicant:
    """Somebody who applied to a peer group (*vertaisryhmä*), with their workplace.

    eMessi's target group is NGO professionals in small work communities of
    fewer than 5 people (eMessi2 source text); the workplace's ``staff`` is
    compared with the profile's ``workplace_size`` when groups are formed.

    Args:
        person: The applicant. ``person.organisation`` is filled in from
            *organisation* when left empty.
        organisation: Their workplace, if known.
        avoid: Ids of people this applicant must not share a group with
            (a conflict pair each; a colleague, a supervisor, an ex-partner).

    Raises:
        DomainError: the person names another organisation than *organisation*.

    Example:
        >>> from emessi.model import Organisation, Person
        >>> a = Applicant(Person("p-01", "Aino"), Organisation("o-01", "Nuoret ry", staff=3))
        >>> a.id, a.person.organisation, a.organisation.staff
        ('p-01', 'o-01', 3)

    .. versionadded:: 0.1.0

    """

    person: Person
    organisation: Organisation | None = attrs.field(default=None, validator=_check_organisation)
    avoid: tuple[str, ...] = attrs.field(default=(), converter=strings, validator=_check_avoid)

    def __attrs_post_init__(self) -> None:
        if self.organisation is not None and self.person.organisation is None:
            person = attrs.evolve(self.person, organisation=self.organisation.id)
            object.__setattr__(self, "person", person)

    @property
    def id(self) -> str:
        """The applicant's person id."""
        return self.person.id


@checked
@attrs.frozen(field_transformer=strict)
class Staff:
    """A facilitator or observer available to lead groups, with a maximum load.

    The facilitator (*fasilitaattori*, *vetäjä*) is responsible for the
    progress of the discussion; the observer is a project worker acting as
    observer and technical support (*havainnoija ja tekninen tuki*). Either
    may take several groups (eMessi2 ran 11 groups with a few project
    workers), up to *max_groups*; their groups then need different meeting
    slots.

    Args:
        person: The staff member.
        max_groups: The most groups they take on (at least 1).

    Example:
        >>> from emessi.model import Person
        >>> Staff(Person("f-01", "Leena"), max_groups=2).max_groups
        2

    .. versionadded:: 0.1.0

    """

    person: Person
    max_groups: int = attrs.field(default=1, validator=check_positive)

    @property
    def id(self) -> str:
        """The staff member's person id."""
        return self.person.id


_IDS = check_for(tuple[str, ...])


@checked
def applicants_from_programme(
    programme: Programme, *, exclude: Iterable[str] = ()
) -> tuple[Applicant, ...]:
    """Applicants from a programme document's people and organisations.

    Everybody in ``programme.people`` becomes an applicant with their
    organisation, in document order, except the ids in *exclude* (typically
    the facilitators and observers). Groups already in the programme are
    ignored: this reads a roster, for instance one loaded with
    :func:`emessi.load`.

    Raises:
        UnknownReferenceError: a person's organisation is not in the programme.

    Example:
        >>> from emessi.model import Organisation, Person, Programme
        >>> roster = Programme(
        ...     "spring",
        ...     organisations=[Organisation("o-01", "Nuoret ry", staff=2)],
        ...     people=[Person("p-01", "Aino", organisation="o-01"), Person("f-01", "Leena")],
        ... )
        >>> [(a.id, a.organisation.id) for a in applicants_from_programme(roster, exclude=["f-01"])]
        [('p-01', 'o-01')]

    .. versionadded:: 0.1.0

    """
    skip = set(_IDS(exclude, "exclude"))  # an iterator is read here
    organisations = {o.id: o for o in programme.organisations}
    applicants = []
    for person in programme.people:
        if person.id in skip:
            continue
        organisation = None
        if person.organisation is not None:
            organisation = organisations.get(person.organisation)
            if organisation is None:
                raise UnknownReferenceError(
                    _("no organisation {organisation} in the programme").format(
                        organisation=safe_id(person.organisation)
                    ),
                    path=f'people["{person.id}"].organisation',
                )
        applicants.append(Applicant(person, organisation))
    return tuple(applicants)
