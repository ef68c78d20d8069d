"""The objectives of group formation, their weights, and a formation's score."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from emessi.errors import UsageError
from emessi.formation._problem import OBJECTIVES
from emessi.model._checks import check_nonnegative

__all__ = ["Score", "ScoreTerm", "Weights"]

_MEANING = {
    "unassigned": "applicants left without a group although they could take part",
    "staff_clash": "a facilitator or observer with two of their groups in one slot",
    "unavailable": "members who answered 'no' to their group's meeting slot",
    "language": "members who do not speak their group's shared language",
    "size": "peers outside the profile's preferred group size, per group",
    "balance": "the difference between the largest and the smallest group",
    "if_need_be": "members who answered 'if need be' to their group's slot",
    "diversity": "peers who repeat a sector or region already in their group",
}


@attrs.frozen
class Weights:
    """The cost of one unit of each objective; formation minimises the total.

    The defaults put placing every applicant first, then a recurring slot
    that every member can attend (the groups met "on a jointly agreed
    schedule", eMessi2 source text) and a shared language, then the
    preferred group size ("as a rule 5-6"), then balance and diversity.

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

    Example:
        >>> Weights().unavailable, Weights(language=0).language
        (100, 0)

    .. versionadded:: 0.1.0

    """

    unassigned: int = attrs.field(default=1000, validator=check_nonnegative)
    staff_clash: int = attrs.field(default=500, validator=check_nonnegative)
    unavailable: int = attrs.field(default=100, validator=check_nonnegative)
    language: int = attrs.field(default=100, validator=check_nonnegative)
    size: int = attrs.field(default=40, validator=check_nonnegative)
    balance: int = attrs.field(default=10, validator=check_nonnegative)
    if_need_be: int = attrs.field(default=10, validator=check_nonnegative)
    diversity: int = attrs.field(default=5, validator=check_nonnegative)

    def as_dict(self) -> dict[str, int]:
        """The weights by objective name.

        Example:
            >>> Weights().as_dict()["size"]
            40

        """
        return {name: getattr(self, name) for name in OBJECTIVES}


@attrs.frozen
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


@attrs.frozen
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
        raise UsageError(f"no objective {objective!r} in the score", path="objective")

    def __iter__(self) -> Iterator[ScoreTerm]:
        return iter(self.terms)

    def __str__(self) -> str:
        parts = [f"{t.objective} {t.count} x {t.weight}" for t in self.terms if t.count]
        return f"total {self.total}" + (": " + ", ".join(parts) if parts else "")
