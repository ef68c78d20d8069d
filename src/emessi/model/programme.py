"""A programme: one cohort of groups with its people and organisations."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from emessi._i18n import _
from emessi.errors import UnknownReferenceError
from emessi.model._checks import check_id, safe_id
from emessi.model._strict import checked, only_tuples, strict
from emessi.model.groups import Group
from emessi.model.people import Organisation, Person
from emessi.model.themes import Theme

__all__ = ["Programme"]


def _organisations(values: Iterable[Organisation]) -> tuple[Organisation, ...]:
    return tuple(values)


def _persons(values: Iterable[Person]) -> tuple[Person, ...]:
    return tuple(values)


def _groups(values: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(values)


def _themes(values: Iterable[Theme]) -> tuple[Theme, ...]:
    return tuple(values)


only_tuples(_organisations, _persons, _groups, _themes)


@checked
@attrs.frozen(field_transformer=strict)
class Programme:
    """A cohort of eMessi groups, with the people and organisations in them.

    eMessi2 (Humak University of Applied Sciences, 11/2013-11/2015) ran 11
    groups.

    Args:
        id: A short stable id.
        name: A display name.
        profile: The name of the :class:`~emessi.MethodProfile` the
            programme follows; :func:`~emessi.validate` uses it by default.
        organisations: The workplaces people come from.
        people: Everyone in any group.
        groups: The groups.
        themes: Themes added for the whole programme beyond the catalogue.

    Example:
        >>> programme = Programme("emessi2", "eMessi2", groups=[Group("g-01")])
        >>> programme.group("g-01").id
        'g-01'

    .. versionadded:: 0.1.0

    """

    id: str = attrs.field(validator=check_id)
    name: str = ""
    profile: str = "emessi"
    organisations: tuple[Organisation, ...] = attrs.field(default=(), converter=_organisations)
    people: tuple[Person, ...] = attrs.field(default=(), converter=_persons)
    groups: tuple[Group, ...] = attrs.field(default=(), converter=_groups)
    themes: tuple[Theme, ...] = attrs.field(default=(), converter=_themes)

    @checked
    def group(self, group_id: str) -> Group:
        """The group with *group_id*.

        Raises:
            UnknownReferenceError: the programme has no group *group_id* (also a
                :class:`LookupError`).

        Example:
            >>> Programme("p").group("g-09")
            Traceback (most recent call last):
            ...
            emessi.errors.UnknownReferenceError: groups: no group 'g-09' in the programme

        """
        for group in self.groups:
            if group.id == group_id:
                return group
        raise UnknownReferenceError(
            _("no group {group} in the programme").format(group=safe_id(group_id)), path="groups"
        )

    @checked
    def person(self, person_id: str) -> Person:
        """The person with *person_id*.

        Example:
            >>> Programme("p", people=[Person("p-01", "A")]).person("p-01").id
            'p-01'

        """
        for person in self.people:
            if person.id == person_id:
                return person
        raise UnknownReferenceError(
            _("no person {person} in the programme").format(person=safe_id(person_id)),
            path="people",
        )

    @checked
    def replace_group(self, group: Group) -> Programme:
        """A copy with the group of the same id replaced by *group*.

        Example:
            >>> p = Programme("p", groups=[Group("g-01")])
            >>> p.replace_group(Group("g-01", name="Helsinki")).group("g-01").name
            'Helsinki'

        """
        self.group(group.id)
        return attrs.evolve(
            self,
            groups=tuple(group if g.id == group.id else g for g in self.groups),
        )
