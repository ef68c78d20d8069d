"""Questionnaires as data: items, subscales, answer ranges, scoring; UWES-9.

An :class:`Instrument` is a value, loadable from TOML or JSON like any
emessi document (format ``emessi/instrument``), so another scale needs no
code. The Utrecht Work Engagement Scale (UWES-9) ships as :data:`UWES9`:
item ids and scoring only, never the item wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any, TypeAlias

import attrs

from emessi._convert import register_format
from emessi._i18n import _
from emessi.errors import EmessiError, ResearchError, UsageError
from emessi.model._checks import check_aware, check_id, safe_id
from emessi.model._strict import OWN_FIRST, checked, only_tuples, read_all, strict
from emessi.research._stats import mean

__all__ = [
    "TOTAL",
    "UWES9",
    "Answer",
    "Answers",
    "Instrument",
    "InstrumentResponse",
    "Subscale",
]

#: The name of the total score among an instrument's scales.
TOTAL = "total"


def _check_value(instance: object, attribute: Any, value: int) -> None:
    # bool is an int subclass; an answer of True is a bug, not a 1.
    if type(value) is not int:
        raise ResearchError(_("an answer is a whole number"), path=attribute.name)


@checked
@attrs.frozen(field_transformer=strict)
class Answer:
    """One answer: the value given to one item of a questionnaire.

    Args:
        item: The item's id, e.g. ``"q3"``.
        value: The value chosen, a whole number in the instrument's range.

    Example:
        >>> Answer("q3", 5)
        Answer(item='q3', value=5)

    .. versionadded:: 0.1.0

    """

    item: str = attrs.field(validator=check_id)
    value: int = attrs.field(validator=_check_value)


#: What an ``answers`` argument accepts: a mapping of item id to value, or
#: :class:`Answer` objects.
Answers: TypeAlias = Mapping[str, int] | Iterable[Answer]


def _answers(values: Answers) -> tuple[Answer, ...]:
    """Answers as a tuple sorted by item; an item answered twice is refused.

    Sorting makes equality and documents independent of the order in which
    the answers were recorded.
    """
    if isinstance(values, Mapping):
        found = []
        for index, (item, value) in enumerate(values.items()):
            try:
                found.append(Answer(item, value))
            except EmessiError as error:
                raise type(error)(error.message, path=f"answers[{index}].{error.path}") from None
    elif isinstance(values, str | bytes | bytearray) or not isinstance(values, Iterable):
        raise UsageError(
            _("expected a mapping of item id to value, or Answer objects, not {actual}").format(
                actual=type(values).__name__
            ),
            path="answers",
        )
    else:
        found = list(read_all(values, "answers"))
        for index, answer in enumerate(found):
            if answer.__class__ is not Answer and not isinstance(answer, Answer):
                raise UsageError(
                    _("expected an Answer, not {actual}").format(actual=type(answer).__name__),
                    path=f"answers[{index}]",
                )
    found.sort(key=lambda answer: answer.item)
    for index in range(1, len(found)):
        if found[index].item == found[index - 1].item:
            raise ResearchError(_("an item is answered twice"), path=f"answers[{index}]")
    return tuple(found)


def _ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


only_tuples(_ids)


def _unique_ids(instance: object, attribute: Any, values: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        where = SimpleNamespace(name=f"{attribute.name}[{index}]")
        check_id(instance, where, value)
        if value in seen:
            raise ResearchError(_("an id is listed twice"), path=where.name)
        seen.add(value)


def _check_minimum(instance: Any, attribute: Any, value: int | None) -> None:
    if value is not None and (type(value) is not int or value < 1):
        raise ResearchError(_("at least 1 item must be answered to score"), path=attribute.name)


@checked
@attrs.frozen(field_transformer=strict)
class Subscale:
    """A part of an instrument scored on its own, e.g. UWES-9 vigour.

    Args:
        id: A short id, e.g. ``"vigour"``; not ``"total"``.
        items: The ids of its items.
        min_answered: How many of its items must be answered for a score;
            None means every item.

    Example:
        >>> Subscale("vigour", ("q1", "q2", "q5"), min_answered=2).items
        ('q1', 'q2', 'q5')

    .. versionadded:: 0.1.0

    """

    id: str = attrs.field(validator=check_id)
    items: tuple[str, ...] = attrs.field(converter=_ids, validator=_unique_ids)
    min_answered: int | None = attrs.field(default=None, validator=_check_minimum)

    def __attrs_post_init__(self) -> None:
        if not self.items:
            raise ResearchError(_("a subscale has at least one item"), path="items")
        if self.min_answered is not None and self.min_answered > len(self.items):
            raise ResearchError(_("more items required than the subscale has"), path="min_answered")
        if self.id == TOTAL:
            raise ResearchError(
                _("{total} is the name of the total score").format(total=repr(TOTAL)), path="id"
            )


def _subscales(values: Iterable[Subscale]) -> tuple[Subscale, ...]:
    return tuple(values)


only_tuples(_subscales)


@checked
@attrs.frozen(field_transformer=strict)
class Instrument:
    """A questionnaire: its items, answer range, subscales and scoring.

    Scores are item means: a subscale's score is the mean of its answered
    items, the total the mean of all answered items. A scale is scored only
    when enough of its items are answered (``min_answered``; by default
    every item); otherwise its score is None. Reversed items are recoded as
    ``minimum + maximum - value`` before averaging.

    Args:
        id: A short id, e.g. ``"uwes-9"``.
        name: A display name.
        items: The item ids, in questionnaire order.
        minimum: The lowest answer value.
        maximum: The highest answer value.
        subscales: The subscales.
        total: Whether the instrument has a total score.
        total_min_answered: Items that must be answered for the total;
            None means every item.
        reversed_items: Ids of items scored in reverse.
        source: A citation for the instrument.

    Example:
        >>> pulse = Instrument("pulse", "Pulse", ("a", "b"), minimum=1, maximum=5,
        ...                    reversed_items=("b",))
        >>> pulse.score({"a": 4, "b": 2})
        {'total': 4.0}

    .. versionadded:: 0.1.0

    """

    id: str = attrs.field(validator=check_id)
    name: str
    items: tuple[str, ...] = attrs.field(converter=_ids, validator=_unique_ids)
    minimum: int
    maximum: int
    subscales: tuple[Subscale, ...] = attrs.field(default=(), converter=_subscales)
    total: bool = True
    total_min_answered: int | None = attrs.field(default=None, validator=_check_minimum)
    reversed_items: tuple[str, ...] = attrs.field(default=(), converter=_ids, validator=_unique_ids)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.items:
            raise ResearchError(_("an instrument has at least one item"), path="items")
        if not self.minimum < self.maximum:
            raise ResearchError(_("the minimum answer must be below the maximum"), path="maximum")
        if self.total_min_answered is not None and self.total_min_answered > len(self.items):
            raise ResearchError(
                _("more items required than the instrument has"), path="total_min_answered"
            )
        known = set(self.items)
        seen: set[str] = set()
        for index, subscale in enumerate(self.subscales):
            if subscale.id in seen:
                raise ResearchError(_("a subscale is defined twice"), path=f"subscales[{index}].id")
            seen.add(subscale.id)
            for position, item in enumerate(subscale.items):
                if item not in known:
                    raise ResearchError(
                        _("not an item of the instrument"),
                        path=f"subscales[{index}].items[{position}]",
                    )
        for index, item in enumerate(self.reversed_items):
            if item not in known:
                raise ResearchError(
                    _("not an item of the instrument"),
                    path=f"reversed_items[{index}]",
                )

    @property
    def scales(self) -> tuple[str, ...]:
        """The names of the scores: the subscales, then ``"total"`` if any.

        Example:
            >>> UWES9.scales
            ('vigour', 'dedication', 'absorption', 'total')

        """
        return tuple(s.id for s in self.subscales) + ((TOTAL,) if self.total else ())

    @checked
    def scale_items(self, scale: str) -> tuple[str, ...]:
        """The item ids of *scale* (a subscale id or ``"total"``).

        Raises:
            ResearchError: the instrument has no such scale.

        Example:
            >>> UWES9.scale_items("absorption")
            ('q6', 'q8', 'q9')

        """
        return self._scale(scale)[0]

    def _scale(self, scale: str) -> tuple[tuple[str, ...], int]:
        if scale == TOTAL and self.total:
            return self.items, self.total_min_answered or len(self.items)
        for subscale in self.subscales:
            if subscale.id == scale:
                return subscale.items, subscale.min_answered or len(subscale.items)
        raise ResearchError(
            _("instrument {instrument} has no scale {scale}; it has {scales}").format(
                instrument=safe_id(self.id), scale=safe_id(scale), scales=", ".join(self.scales)
            ),
            path="scale",
        )

    @checked
    def check(self, given: Answers, *, path: str = "answers") -> tuple[Answer, ...]:
        """The answers, checked against the items and the answer range.

        Raises:
            ResearchError: an unknown item or a value out of range; the
                message names neither the item nor the value: the path says where.

        Example:
            >>> UWES9.check({"q1": 7})
            Traceback (most recent call last):
            ...
            emessi.errors.ResearchError: answers[0].value: the answer is outside 0-6

        """
        return self._check(given, path)

    def _check(self, given: Answers, path: str = "answers") -> tuple[Answer, ...]:
        # check() without the run-time argument check: for emessi's own calls
        checked = _answers(given)
        known = set(self.items)
        for index, answer in enumerate(checked):
            if answer.item not in known:
                raise ResearchError(
                    _("not an item of the instrument"),
                    path=f"{path}[{index}].item",
                )
            if not self.minimum <= answer.value <= self.maximum:
                raise ResearchError(
                    _("the answer is outside {minimum}-{maximum}").format(
                        minimum=self.minimum, maximum=self.maximum
                    ),
                    path=f"{path}[{index}].value",
                )
        return checked

    @checked
    def answered(self, given: Answers, scale: str) -> int:
        """How many items of *scale* are answered in *given*.

        Example:
            >>> UWES9.answered({"q1": 3, "q3": 4}, "vigour")
            1

        """
        items = set(self._scale(scale)[0])
        return sum(1 for answer in _answers(given) if answer.item in items)

    @checked
    def score(self, given: Answers) -> dict[str, float | None]:
        """The score of every scale: the mean of its answered items, or None.

        Raises:
            ResearchError: an unknown item or a value out of range.

        Example:
            >>> UWES9.score({"q1": 4, "q2": 5, "q5": 6, "q3": 3, "q4": 4})
            {'vigour': 5.0, 'dedication': 3.5, 'absorption': None, 'total': None}

        """
        return self._score(given)

    def _score(self, given: Answers) -> dict[str, float | None]:
        # score() without the run-time argument check: for emessi's own calls
        values = {a.item: self._recode(a) for a in self._check(given)}
        scores: dict[str, float | None] = {}
        for scale in self.scales:
            items, needed = self._scale(scale)
            found = [values[item] for item in items if item in values]
            scores[scale] = mean(found) if found and len(found) >= needed else None
        return scores

    def _recode(self, answer: Answer) -> int:
        if answer.item in self.reversed_items:
            return self.minimum + self.maximum - answer.value
        return answer.value


register_format("emessi/instrument", Instrument)


@checked
@attrs.frozen(field_transformer=strict)
class InstrumentResponse:
    """One person's answers to an instrument at one wave of a study.

    Args:
        person: The id of the :class:`~emessi.Person` who answered.
        instrument: The id of the :class:`Instrument`.
        wave: When in the study: ``"pre"`` (before the groups), ``"post"``
            (after them), or another id such as ``"follow-up"``.
        answered: When the answers were given; timezone-aware.
        answers: The answers; an item left out is a missing answer.

    Example:
        >>> from datetime import datetime, timezone
        >>> r = InstrumentResponse("p-01", "uwes-9", "pre",
        ...                        datetime(2013, 11, 1, tzinfo=timezone.utc), {"q2": 4, "q1": 5})
        >>> [a.item for a in r.answers]
        ['q1', 'q2']

    .. versionadded:: 0.1.0

    """

    person: str = attrs.field(validator=check_id)
    instrument: str = attrs.field(validator=check_id)
    wave: str = attrs.field(validator=check_id)
    answered: datetime = attrs.field(validator=check_aware)
    answers: tuple[Answer, ...] = attrs.field(
        default=(), converter=_answers, metadata={OWN_FIRST: True}
    )


#: The Utrecht Work Engagement Scale, 9-item version (Schaufeli, Bakker &
#: Salanova 2006, *Educational and Psychological Measurement* 66(4),
#: 701-716), the measure behind work engagement (*työn imu*; Hakanen 2005).
#: Items ``q1``-``q9`` answered 0 (never) to 6 (always / every day);
#: vigour (*tarmokkuus*) items 1, 2, 5; dedication (*omistautuminen*)
#: 3, 4, 7; absorption (*uppoutuminen*) 6, 8, 9. Scores are item means.
#: Missing items (emessi's policy, not the authors'): a subscale is
#: scored when at least 2 of its 3 items are answered, the total when at
#: least 7 of the 9 are. Only ids and scoring ship here: the wording is free
#: for non-commercial research only and is obtained from the authors.
UWES9 = Instrument(
    "uwes-9",
    "Utrecht Work Engagement Scale (UWES-9)",
    items=tuple(f"q{n}" for n in range(1, 10)),
    minimum=0,
    maximum=6,
    subscales=(
        Subscale("vigour", ("q1", "q2", "q5"), min_answered=2),
        Subscale("dedication", ("q3", "q4", "q7"), min_answered=2),
        Subscale("absorption", ("q6", "q8", "q9"), min_answered=2),
    ),
    total_min_answered=7,
    source="Schaufeli, Bakker & Salanova (2006)",
)
