"""The objectives of group formation, their weights, and a formation's score."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from emessi.errors import UsageError
from emessi.formation._problem import OBJECTIVES, TIERS
from emessi.model._checks import check_nonnegative, safe_id
from emessi.model._strict import checked, strict

__all__ = ["Objective", "Score", "ScoreTerm", "Weights"]

_MEANING = {
    "unassigned": "applicants left without a group although they could take part",
    "staff_clash": "a facilitator or observer with two of their groups in one slot",
    "unavailable": "members who answered 'no' to their group's meeting slot",
    "language": "members who do not speak their group's shared language",
    "size": "peers outside the profile's preferred group size, per group",
    "balance": "the difference between the largest and the smallest group",
    "if_need_be": "members who answered 'if need be' to their group's slot",
    "diversity": "peers who repeat a sector or region already in their group",
    "rigid_slots": "candidate slots some member of the group cannot attend, per group",
    "same_organisation": "peers placed with a colleague because their organisation "
    "has more applicants than there are groups",
}


@attrs.frozen(field_transformer=strict)
class Weights:
    """The cost of one unit of each objective, within its tier of the lexicographic objective.

    Formation minimises a lexicographic objective (see :class:`Objective`):
    1. place everyone who can be placed; 2. every group can meet: a slot
    every member can attend (the groups met "on a jointly agreed schedule",
    eMessi2 source text), staff not double-booked, a shared language;
    3. schedule flexibility: as many candidate slots as possible that every
    member can attend, so a meeting can move without losing anyone (emessi's
    addition); 4. the soft preferences: the preferred group size ("as a rule
    5-6"), balance, "if need be" answers, diversity. A unit of a tier
    outweighs any total of the tiers below it; the weights trade objectives
    off only within a tier. A weight of 0 ignores its objective (``rigid_slots``
    is ignored too when ``unavailable`` is 0).

    Args:
        unassigned: Per applicant left out although a group could take them.
        staff_clash: Per extra group of a facilitator or observer in a slot
            they already lead or support.
        unavailable: Per member (peer, facilitator, and observer when the
            profile requires them) who answered *no* to the group's slot.
        language: Per member who does not speak the group's language.
        size: Per peer above or below the preferred size, per group.
        balance: Per peer of difference between the largest and smallest group.
        if_need_be: Per member who answered *if need be* to the group's slot.
        diversity: Per peer whose sector (or region) repeats one already in
            the group, for each attribute asked for.
        rigid_slots: Per candidate slot of a group that some member (peer,
            facilitator, required observer) answered *no* to.
        same_organisation: Per peer placed in a group with a colleague, when
            an organisation has more applicants than there are groups and the
            profile's ``same-organisation`` severity is not an error.

    Example:
        >>> Weights().unavailable, Weights(language=0).language
        (100, 0)

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       ``rigid_slots`` and ``same_organisation``; the weights act within tiers.

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

    def as_dict(self) -> dict[str, int]:
        """The weights by objective name.

        Example:
            >>> Weights().as_dict()["size"]
            40

        """
        return {name: getattr(self, name) for name in OBJECTIVES}


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


@attrs.frozen(field_transformer=strict)
class Score:
    """A formation's cost, broken down by objective; lower is better, 0 is ideal.

    Example:
        >>> score = Score([ScoreTerm("unavailable", 1, 100), ScoreTerm("balance", 1, 10)])
        >>> score.total, score["unavailable"].count
        (110, 1)
        >>> print(score)
        total 110: unavailable 1 x 100, balance 1 x 10

    .. versionadded:: 0.1.0

    """

    terms: tuple[ScoreTerm, ...] = attrs.field(converter=_terms)

    @classmethod
    @checked
    def of(cls, counts: dict[str, int], weights: Weights) -> Score:
        """The score of *counts* (by objective name) under *weights*.

        Example:
            >>> Score.of({"balance": 2}, Weights()).total
            20

        """
        table = weights.as_dict()
        return cls(ScoreTerm(name, counts.get(name, 0), table[name]) for name in OBJECTIVES)

    @property
    def total(self) -> int:
        """The sum of every term's points."""
        return sum(term.points for term in self.terms)

    def __getitem__(self, objective: str) -> ScoreTerm:
        for term in self.terms:
            if term.objective == objective:
                return term
        raise UsageError(f"no objective {safe_id(objective)} in the score", path="objective")

    def __iter__(self) -> Iterator[ScoreTerm]:
        return iter(self.terms)

    def __str__(self) -> str:
        parts = [f"{t.objective} {t.count} x {t.weight}" for t in self.terms if t.count]
        return f"total {self.total}" + (": " + ", ".join(parts) if parts else "")


@attrs.frozen(order=True, field_transformer=strict)
class Objective:
    """A formation's value in the lexicographic objective; smaller is better.

    Objectives compare as tuples, tier by tier: a formation that places one
    more applicant is better whatever the lower tiers say.

    Args:
        unassigned: Tier 1, applicants left without a group (times the
            ``unassigned`` weight).
        cannot_meet: Tier 2, the weighted count of what keeps groups from
            meeting: members unavailable at their group's slot, staff booked
            twice in one slot, members without the group's language. 0 when
            every group has a common slot and language.
        rigid_slots: Tier 3, candidate slots some member of a group cannot
            attend, summed over groups (times the ``rigid_slots`` weight);
            fewer means more common slots, a more flexible schedule.
        preferences: Tier 4, the weighted soft preferences: preferred size,
            balance, "if need be" answers, diversity, colleagues together.

    Example:
        >>> Objective(0, 0, 12, 40) < Objective(0, 100, 0, 0)
        True
        >>> Objective.of(Score.of({"unassigned": 1, "size": 2}, Weights()))
        Objective(unassigned=1000, cannot_meet=0, rigid_slots=0, preferences=80)

    .. versionadded:: 0.1.0

    """

    unassigned: int
    cannot_meet: int
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
        unassigned, cannot_meet, rigid, preferences = (
            sum(points.get(name, 0) for name in tier) for tier in TIERS
        )
        return cls(unassigned, cannot_meet, rigid, preferences)

    @checked
    def gap(self, bound: Objective) -> Objective:
        """How far this objective is above a lower *bound*, tier by tier.

        Tiers are compared in order: the first tier where the two differ
        shows the difference, and every tier below it shows this
        objective's own value (the bound says nothing about them). All
        zeros: the bound is reached, the formation is optimal.

        Example:
            >>> Objective(2, 0, 30, 10).gap(Objective(2, 0, 24, 0))
            Objective(unassigned=0, cannot_meet=0, rigid_slots=6, preferences=10)

        """
        mine, theirs = attrs.astuple(self), attrs.astuple(bound)
        values: list[int] = []
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            if a != b:
                values += [max(0, a - b), *mine[index + 1 :]]
                break
            values.append(0)
        return Objective(*values)
