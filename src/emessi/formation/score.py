"""The objectives of group formation, their weights, and a formation's score."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from emessi._i18n import _
from emessi.errors import UsageError
from emessi.formation._problem import OBJECTIVES, tiers_for
from emessi.model._checks import check_nonnegative, safe_id
from emessi.model._strict import checked, strict

__all__ = ["Objective", "Score", "ScoreTerm", "Weights"]

_MEANING = {
    "unassigned": "applicants left without a group although they could take part",
    "staff_clash": "a facilitator or observer with two of their groups in one slot",
    "unavailable": "members who answered 'no' to their group's meeting slot",
    "language": "members who do not speak their group's shared language",
    "size": "peers outside the profile's preferred group size, summed over groups",
    "balance": "the difference between the largest and the smallest group",
    "if_need_be": "members who answered 'if need be' to their group's slot",
    "diversity": "peers who repeat a sector or region already in their group",
    "rigid_slots": "candidate slots some member of the group cannot attend, per group",
    "same_organisation": "peers placed with a colleague because their organisation "
    "has more applicants than there are groups",
}


@checked
@attrs.frozen(field_transformer=strict)
class Weights:
    """The cost of one unit of each objective, within its tier of the lexicographic objective.

    Formation minimises a lexicographic objective (see :class:`Objective`):
    1. place everyone who can be placed; 2. every group can meet: a slot
    every member can attend (the groups met "on a jointly agreed schedule",
    eMessi2 source text), staff not double-booked, a shared language;
    3. groups of the profile's preferred size (eMessi: "as a rule 5-6"
    peers, source text): how far each group's peer count is outside the
    preferred range, summed; 4. schedule flexibility: as many candidate
    slots as possible that every member can attend, so a meeting can move
    without losing anyone (emessi's addition); 5. the soft preferences:
    balance, "if need be" answers, diversity, colleagues together. This
    order is emessi's reading of the method; ``size_first=False`` puts
    flexibility above the preferred size, which then counts in the last
    tier. A unit of a tier outweighs any total of the tiers below it; the
    weights trade objectives off only within a tier. A weight of 0 ignores
    its objective (``rigid_slots`` is ignored too when ``unavailable`` is 0).

    Args:
        unassigned: Per applicant left out although a group could take them.
        staff_clash: Per extra group of a facilitator or observer in a slot
            they already lead or support.
        unavailable: Per member (peer, facilitator, and observer when the
            profile requires them) who answered *no* to the group's slot.
        language: Per member who does not speak the group's language.
        size: Per peer of distance between a group's peer count and the
            preferred range (a group of 8 under eMessi's 5-6 counts 2).
        balance: Per peer of difference between the largest and smallest group.
        if_need_be: Per member who answered *if need be* to the group's slot.
        diversity: Per peer whose sector (or region) repeats one already in
            the group, for each attribute asked for.
        rigid_slots: Per candidate slot of a group that some member (peer,
            facilitator, required observer) answered *no* to.
        same_organisation: Per peer placed in a group with a colleague, when
            an organisation has more applicants than there are groups and the
            profile's ``same-organisation`` severity is not an error.
        size_first: True (the default): the preferred group size is tier 3,
            above schedule flexibility. False: flexibility first, and the
            preferred size is a soft preference in the last tier, so groups
            may grow or shrink within the allowed range to keep more slots
            common.

    Example:
        >>> Weights().unavailable, Weights(language=0).language
        (100, 0)
        >>> Weights(size_first=False).size_first
        False

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       ``rigid_slots``, ``same_organisation`` and ``size_first``; the weights
       act within tiers.

    """

    unassigned: int = attrs.field(default=1000, validator=check_nonnegative)
    staff_clash: int = attrs.field(default=500, validator=check_nonnegative)
    unavailable: int = attrs.field(default=100, validator=check_nonnegative)
    language: int = attrs.field(default=100, validator=check_nonnegative)
    size: int = attrs.field(default=40, validator=check_nonnegative)
    balance: int = attrs.field(default=10, validator=check_nonnegative)
    if_need_be: int = attrs.field(default=10, validator=check_nonnegative)
    diversity: int = attrs.field(default=5, validator=check_nonnegative)
    rigid_slots: int = attrs.field(default=1, validator=check_nonnegative)
    same_organisation: int = attrs.field(default=40, validator=check_nonnegative)
    size_first: bool = True

    def as_dict(self) -> dict[str, int]:
        """The weights by objective name.

        Example:
            >>> Weights().as_dict()["size"]
            40

        """
        return {name: getattr(self, name) for name in OBJECTIVES}


@checked
@attrs.frozen(field_transformer=strict)
class ScoreTerm:
    """One objective's part of a score: how many, at what weight.

    Example:
        >>> term = ScoreTerm("unavailable", count=2, weight=100)
        >>> term.points, term.meaning
        (200, "members who answered 'no' to their group's meeting slot")

    .. versionadded:: 0.1.0

    """

    objective: str
    count: int
    weight: int

    @property
    def points(self) -> int:
        """The weighted cost: ``count * weight``."""
        return self.count * self.weight

    @property
    def meaning(self) -> str:
        """What the objective counts, in words."""
        return _MEANING.get(self.objective, "")


def _terms(values: Iterable[ScoreTerm]) -> tuple[ScoreTerm, ...]:
    return tuple(values)


@checked
@attrs.frozen(field_transformer=strict)
class Score:
    """A formation's cost, broken down by objective; lower is better, 0 is ideal.

    Args:
        terms: One :class:`ScoreTerm` per objective.
        size_first: Keyword only. Whether the preferred group size is a tier
            above schedule flexibility (:attr:`Weights.size_first`, which
            :meth:`of` copies); :meth:`Objective.of` sums the tiers by it.

    Example:
        >>> score = Score([ScoreTerm("unavailable", 1, 100), ScoreTerm("balance", 1, 10)])
        >>> score.total, score["unavailable"].count
        (110, 1)
        >>> print(score)
        total 110: unavailable 1 x 100, balance 1 x 10

    .. versionadded:: 0.1.0

    """

    terms: tuple[ScoreTerm, ...] = attrs.field(converter=_terms)
    #: Whether the preferred group size is a tier above flexibility
    #: (:attr:`Weights.size_first`); :meth:`Objective.of` sums by it.
    size_first: bool = attrs.field(default=True, kw_only=True)

    @classmethod
    @checked
    def of(cls, counts: dict[str, int], weights: Weights) -> Score:
        """The score of *counts* (by objective name) under *weights*.

        Example:
            >>> Score.of({"balance": 2}, Weights()).total
            20

        """
        table = weights.as_dict()
        return cls(
            (ScoreTerm(name, counts.get(name, 0), table[name]) for name in OBJECTIVES),
            size_first=weights.size_first,
        )

    @property
    def total(self) -> int:
        """The sum of every term's points."""
        return sum(term.points for term in self.terms)

    def __getitem__(self, objective: str) -> ScoreTerm:
        for term in self.terms:
            if term.objective == objective:
                return term
        raise UsageError(
            _("no objective {objective} in the score").format(objective=safe_id(objective)),
            path="objective",
        )

    def __iter__(self) -> Iterator[ScoreTerm]:
        return iter(self.terms)

    def __str__(self) -> str:
        parts = [f"{t.objective} {t.count} x {t.weight}" for t in self.terms if t.count]
        return f"total {self.total}" + (": " + ", ".join(parts) if parts else "")


@checked
@attrs.frozen(order=True, field_transformer=strict)
class Objective:
    """A formation's value in the lexicographic objective; smaller is better.

    Objectives compare as tuples, tier by tier: a formation that places one
    more applicant is better whatever the lower tiers say. The order of the
    tiers is emessi's reading of the eMessi method: the preferred group
    size ("as a rule 5-6" peers, eMessi2 source text) is a rule of the
    method, so it comes before schedule flexibility, which is emessi's
    addition. With ``Weights(size_first=False)`` the size counts in
    *preferences* instead and *group_size* is 0.

    Args:
        unassigned: Tier 1, applicants left without a group (times the
            ``unassigned`` weight).
        cannot_meet: Tier 2, the weighted count of what keeps groups from
            meeting: members unavailable at their group's slot, staff booked
            twice in one slot, members without the group's language. 0 when
            every group has a common slot and language.
        group_size: Tier 3, how far the groups' peer counts are outside the
            profile's preferred range, in peers summed over groups (times
            the ``size`` weight).
        rigid_slots: Tier 4, candidate slots some member of a group cannot
            attend, summed over groups (times the ``rigid_slots`` weight);
            fewer means more common slots, a more flexible schedule.
        preferences: Tier 5, the weighted soft preferences: balance, "if
            need be" answers, diversity, colleagues together.

    Example:
        >>> Objective(0, 0, 0, 12, 40) < Objective(0, 0, 40, 0, 0)
        True
        >>> Objective.of(Score.of({"unassigned": 1, "size": 2}, Weights()))
        Objective(unassigned=1000, cannot_meet=0, group_size=80, rigid_slots=0, preferences=0)
        >>> Objective.of(Score.of({"size": 2}, Weights(size_first=False)))
        Objective(unassigned=0, cannot_meet=0, group_size=0, rigid_slots=0, preferences=80)

    .. versionadded:: 0.1.0

    """

    unassigned: int
    cannot_meet: int
    group_size: int
    rigid_slots: int
    preferences: int

    @classmethod
    @checked
    def of(cls, score: Score) -> Objective:
        """The objective of a :class:`Score`: its points summed by tier.

        Example:
            >>> Objective.of(Score.of({"rigid_slots": 5}, Weights())).rigid_slots
            5

        """
        points = {term.objective: term.points for term in score}
        unassigned, cannot_meet, size, rigid, preferences = (
            sum(points.get(name, 0) for name in tier) for tier in tiers_for(score.size_first)
        )
        return cls(unassigned, cannot_meet, size, rigid, preferences)

    @checked
    def gap(self, bound: Objective) -> Objective:
        """How far this objective is above a lower *bound*, tier by tier.

        Tiers are compared in order: the first tier where the two differ
        shows the difference, and every tier below it shows this
        objective's own value (the bound says nothing about them). All
        zeros: the bound is reached, the formation is optimal.

        Example:
            >>> Objective(2, 0, 0, 30, 10).gap(Objective(2, 0, 0, 24, 0))
            Objective(unassigned=0, cannot_meet=0, group_size=0, rigid_slots=6, preferences=10)

        """
        mine, theirs = attrs.astuple(self), attrs.astuple(bound)
        values: list[int] = []
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            if a != b:
                values += [max(0, a - b), *mine[index + 1 :]]
                break
            values.append(0)
        return Objective(*values)
