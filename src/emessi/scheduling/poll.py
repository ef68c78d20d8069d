"""Agreeing a schedule: an availability poll over candidate slots.

eMessi groups met "on a jointly agreed schedule" (*yhdessä sovitun
aikataulun mukaisesti*, eMessi2 source text). A :class:`Poll` offers
candidate :class:`Slot` values, recurring (a weekday and a time) or
concrete (a date and a time); each participant answers yes, if need be, or
no. :func:`rank_slots` ranks the slots; :func:`common_slots` lists the
slots a set of people can all attend (group formation uses it to check
that a proposed group has a time to meet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time
from typing import Any

import attrs

from emessi._i18n import _
from emessi.errors import ScheduleError, UnknownValueError
from emessi.method.profiles import MethodProfile
from emessi.method.registry import get_profile
from emessi.model._checks import check_id, check_ids, safe_id
from emessi.model._strict import Choice, call_checked, check_for, checked, only_tuples, strict
from emessi.model.groups import Group
from emessi.model.people import Role
from emessi.scheduling._args import items

__all__ = [
    "Answer",
    "Poll",
    "PollResult",
    "Slot",
    "SlotScore",
    "Vote",
    "common_slots",
    "rank_slots",
]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Answer(Choice):
    """A participant's answer for one slot.

    Example:
        >>> Answer("if-need-be").can_attend, Answer.NO.finnish
        (True, 'ei')

    .. versionadded:: 0.1.0

    """

    YES = "yes"
    IF_NEED_BE = "if-need-be"
    NO = "no"

    @property
    def can_attend(self) -> bool:
        """True for yes and if need be."""
        return self is not Answer.NO

    @property
    def finnish(self) -> str:
        """The answer in Finnish: *kyllä*, *tarvittaessa*, *ei*."""
        return {Answer.YES: "kyllä", Answer.IF_NEED_BE: "tarvittaessa", Answer.NO: "ei"}[self]


def _weekday(value: int | str | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        name = _TEXT(value, "weekday").strip().lower()
        for index, day in enumerate(_WEEKDAYS):
            if len(name) >= 3 and day.startswith(name):
                return index
        raise ScheduleError(_("a weekday is Monday-Sunday or 0-6 (Monday is 0)"), path="weekday")
    number: int = value if value.__class__ is int else _WEEKDAY(value, "weekday")
    if not 0 <= number <= 6:
        raise ScheduleError(_("a weekday is Monday-Sunday or 0-6 (Monday is 0)"), path="weekday")
    return number


def _concrete(value: datetime | None) -> datetime | None:
    # Before the type check: a naive start is this class's ScheduleError.
    if isinstance(value, datetime) and (value.tzinfo is None or value.utcoffset() is None):
        raise ScheduleError(_("a concrete slot's start needs a time zone"), path="start")
    return value


def _check_slot(instance: Slot, attribute: Any, value: object) -> None:
    weekly = instance.weekday is not None and instance.at is not None
    concrete = instance.start is not None
    if weekly == concrete or (instance.weekday is None) != (instance.at is None):
        raise ScheduleError(
            _("a slot is either weekly (weekday and at) or concrete (start)"), path="start"
        )


@checked
@attrs.frozen(field_transformer=strict)
class Slot:
    """A candidate time: weekly (a weekday and a time of day) or one concrete start.

    Args:
        id: A short id the answers refer to (``"tue-14"``).
        weekday: For a weekly slot: ``"Tuesday"`` or 0-6 (Monday is 0).
        at: For a weekly slot: the local time of day.
        start: For a concrete slot: a timezone-aware start.

    Example:
        >>> from datetime import time
        >>> slot = Slot("tue-14", "Tuesday", time(14))
        >>> slot.weekday, slot.rule()
        (1, 'FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=14;BYMINUTE=0;BYSECOND=0')

    .. versionadded:: 0.1.0

    """

    id: str = attrs.field(validator=check_id)
    weekday: int | None = attrs.field(default=None, converter=_weekday)
    at: time | None = None
    start: datetime | None = attrs.field(default=None, converter=_concrete, validator=_check_slot)

    @property
    def weekly(self) -> bool:
        """True for a recurring weekday-and-time slot."""
        return self.start is None

    @checked
    def rule(self, ordinal: int = 2) -> str:
        """The monthly RRULE "the *ordinal* <weekday> of each month at <time>".

        eMessi groups meet about once a month, so a weekly slot agreed in
        a poll becomes, e.g., the second Tuesday of each month. Use
        ``ordinal=-1`` for the last one.

        Raises:
            ScheduleError: a concrete slot, or an ordinal outside 1-4 and -1.

        Example:
            >>> from datetime import time
            >>> Slot("fri-13", "fri", time(13, 30)).rule(-1)
            'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=13;BYMINUTE=30;BYSECOND=0'

        """
        if self.weekday is None or self.at is None:
            raise ScheduleError(_("only a weekly slot has a rule"), path="start")
        if ordinal not in (1, 2, 3, 4, -1):
            raise ScheduleError(_("the ordinal is 1-4, or -1 for the last"), path="ordinal")
        return (
            f"FREQ=MONTHLY;BYDAY={ordinal:+d}{_BYDAY[self.weekday]};"
            f"BYHOUR={self.at.hour};BYMINUTE={self.at.minute};BYSECOND=0"
        )


@checked
@attrs.frozen(field_transformer=strict)
class Vote:
    """One participant's answer for one slot.

    Example:
        >>> Vote("p-01", "tue-14", "yes")
        Vote(person='p-01', slot='tue-14', answer=<Answer.YES: 'yes'>)

    .. versionadded:: 0.1.0

    """

    person: str = attrs.field(validator=check_id)
    slot: str = attrs.field(validator=check_id)
    answer: Answer


def _slots(values: Iterable[Slot]) -> tuple[Slot, ...]:
    return tuple(values)


_TEXT = check_for(str)
_WEEKDAY = check_for(int)


def _votes(values: Iterable[Vote]) -> tuple[Vote, ...]:
    # Sorted so that polls compare equal whatever order answers came in.
    return tuple(sorted(values, key=lambda v: (v.person, v.slot)))


def _check_votes(instance: Poll, attribute: Any, votes: tuple[Vote, ...]) -> None:
    ids = [s.id for s in instance.slots]
    if len(set(ids)) != len(ids):
        raise ScheduleError(_("slot ids must be unique"), path="slots")
    known = set(ids)
    seen: set[tuple[str, str]] = set()
    for index, vote in enumerate(votes):
        if vote.slot not in known:
            raise ScheduleError(
                _("no slot {slot} in the poll").format(slot=safe_id(vote.slot)),
                path=f"votes[{index}].slot",
            )
        if (vote.person, vote.slot) in seen:
            raise ScheduleError(
                _("{person} answered slot {slot} twice").format(
                    person=safe_id(vote.person), slot=safe_id(vote.slot)
                ),
                path=f"votes[{index}]",
            )
        seen.add((vote.person, vote.slot))


@checked
@attrs.frozen(field_transformer=strict)
class Poll:
    """Candidate slots and the answers given for them.

    A slot a participant did not answer counts as no.

    Args:
        slots: The candidate slots, in the coordinator's order of preference
            (the last tie-break).
        votes: The answers.

    Example:
        >>> from datetime import time
        >>> poll = Poll.from_answers(
        ...     [Slot("tue-14", "Tuesday", time(14)), Slot("thu-10", "Thursday", time(10))],
        ...     {"p-01": {"tue-14": "yes", "thu-10": "no"}, "f-01": {"tue-14": "if-need-be"}},
        ... )
        >>> poll.answer("f-01", "thu-10")
        <Answer.NO: 'no'>

    .. versionadded:: 0.1.0

    """

    slots: tuple[Slot, ...] = attrs.field(converter=_slots)
    votes: tuple[Vote, ...] = attrs.field(default=(), converter=_votes, validator=_check_votes)
    _index: dict[tuple[str, str], Answer] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {(v.person, v.slot): v.answer for v in self.votes})

    @classmethod
    @checked
    def from_answers(
        cls, slots: Iterable[Slot], answers: Mapping[str, Mapping[str, Answer | str]]
    ) -> Poll:
        """A poll from ``{person: {slot id: answer}}``; answers may be strings.

        Example:
            >>> from datetime import time
            >>> Poll.from_answers([Slot("a", 0, time(9))], {"p-01": {"a": "yes"}}).votes
            (Vote(person='p-01', slot='a', answer=<Answer.YES: 'yes'>),)

        """
        votes = []
        for person, given in answers.items():
            for slot, answer in given.items():
                try:
                    value = Answer(answer)
                except UnknownValueError:
                    raise ScheduleError(
                        _("an answer is 'yes', 'if-need-be' or 'no'"),
                        path=f"answers[{safe_id(person)}][{safe_id(slot)}]",
                    ) from None
                votes.append(Vote(person, slot, value))
        return cls(slots, votes)

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone who answered, sorted by id."""
        return tuple(sorted({v.person for v in self.votes}))

    @call_checked
    def answer(self, person: str, slot: str) -> Answer:
        """*person*'s answer for *slot*; no when not answered."""
        if person.__class__ is not str or slot.__class__ is not str:
            person, slot = _TEXT(person, "person"), _TEXT(slot, "slot")
        return self._index.get((person, slot), Answer.NO)


@checked
@attrs.frozen(field_transformer=strict)
class SlotScore:
    """How one slot did in a poll.

    Attributes:
        slot: The slot.
        yes: Who answered yes.
        if_need_be: Who answered if need be.
        no: Who answered no or did not answer (of the poll's people and the
            required ones).
        missing_required: Required people who cannot attend.

    Example:
        >>> from datetime import time
        >>> score = SlotScore(Slot("a", 0, time(9)), yes=("p-01",), if_need_be=("f-01",))
        >>> score.attendees, score.feasible
        (2, True)

    .. versionadded:: 0.1.0

    """

    slot: Slot
    yes: tuple[str, ...] = attrs.field(default=(), validator=check_ids)
    if_need_be: tuple[str, ...] = attrs.field(default=(), validator=check_ids)
    no: tuple[str, ...] = attrs.field(default=(), validator=check_ids)
    missing_required: tuple[str, ...] = attrs.field(default=(), validator=check_ids)

    @property
    def attendees(self) -> int:
        """How many can attend (yes or if need be)."""
        return len(self.yes) + len(self.if_need_be)

    @property
    def feasible(self) -> bool:
        """Every required person can attend."""
        return not self.missing_required


def _scores(values: Iterable[SlotScore]) -> tuple[SlotScore, ...]:
    return tuple(values)


only_tuples(_slots, _scores)


@checked
@attrs.frozen(field_transformer=strict)
class PollResult:
    """The slots of a poll, best first.

    Attributes:
        ranking: Every slot's score, best first.
        required: The people who must be able to attend.

    Example:
        >>> PollResult(()).best is None
        True

    .. versionadded:: 0.1.0

    """

    ranking: tuple[SlotScore, ...] = attrs.field(converter=_scores)
    required: tuple[str, ...] = attrs.field(default=(), validator=check_ids)

    @property
    def best(self) -> SlotScore | None:
        """The best slot every required person can attend, or None."""
        first = self.ranking[0] if self.ranking else None
        return first if first is not None and first.feasible else None

    @property
    def chosen(self) -> Slot:
        """The best slot.

        Raises:
            ScheduleError: no slot suits every required person.

        """
        if self.best is None:
            raise ScheduleError(
                _("no slot suits every required person: {people}").format(
                    people=", ".join(sorted({p for s in self.ranking for p in s.missing_required}))
                ),
                path="slots",
            )
        return self.best.slot


def _required(
    group: Group | None, profile: MethodProfile | str | None, required: Iterable[str]
) -> tuple[str, ...]:
    people = set(items(required, "required", str))
    if group is not None:
        # The facilitator is responsible for the progress of the discussion,
        # and in eMessi the observer is also the technical support, so the
        # schedule must suit them (profile.observer_required).
        roles = {Role.FACILITATOR}
        if get_profile(profile).observer_required:
            roles.add(Role.OBSERVER)
        people |= {m.person for m in group.members() if m.role in roles}
    return tuple(sorted(people))


@checked
def rank_slots(
    poll: Poll,
    *,
    group: Group | None = None,
    profile: MethodProfile | str | None = None,
    required: Iterable[str] = (),
) -> PollResult:
    """Rank the poll's slots by who can attend.

    The required people are *required* plus, when *group* is given, its
    facilitator and (when the profile's ``observer_required``) its
    observer. Slots are ordered by, in turn:

    1. every required person can attend (such slots first);
    2. more attendees (yes or if need be);
    3. more yes answers (fewer people attending only if need be);
    4. the slot's place in the poll (the coordinator's preference).

    So the order is fully deterministic, and the best slot is one every
    required person can attend with no other such slot having more
    attendees.

    Example:
        >>> from datetime import time
        >>> from emessi import Group, Membership, Role
        >>> group = Group("g-01", memberships=[Membership("p-01"), Membership("p-02"),
        ...     Membership("f-01", Role.FACILITATOR), Membership("o-01", Role.OBSERVER)])
        >>> poll = Poll.from_answers(
        ...     [Slot("mon-9", "Monday", time(9)), Slot("tue-14", "Tuesday", time(14))],
        ...     {"p-01": {"mon-9": "yes", "tue-14": "yes"}, "p-02": {"mon-9": "yes", "tue-14": "if-need-be"},
        ...      "f-01": {"mon-9": "no", "tue-14": "yes"}, "o-01": {"mon-9": "yes", "tue-14": "yes"}})
        >>> result = rank_slots(poll, group=group)
        >>> result.chosen.id, result.best.attendees, result.ranking[1].missing_required
        ('tue-14', 4, ('f-01',))

    .. versionadded:: 0.1.0

    """
    must = _required(group, profile, required)
    everyone = sorted(set(poll.people) | set(must))
    scores = []
    for slot in poll.slots:
        answers = {person: poll.answer(person, slot.id) for person in everyone}
        scores.append(
            SlotScore(
                slot,
                yes=tuple(p for p in everyone if answers[p] is Answer.YES),
                if_need_be=tuple(p for p in everyone if answers[p] is Answer.IF_NEED_BE),
                no=tuple(p for p in everyone if answers[p] is Answer.NO),
                missing_required=tuple(p for p in must if not answers[p].can_attend),
            )
        )
    order = sorted(
        range(len(scores)),
        key=lambda i: (
            not scores[i].feasible,
            -scores[i].attendees,
            -len(scores[i].yes),
            i,
        ),
    )
    return PollResult(tuple(scores[i] for i in order), must)


@checked
def common_slots(poll: Poll, people: Iterable[str]) -> tuple[Slot, ...]:
    """The slots every one of *people* can attend (yes or if need be), in poll order.

    Group formation uses this to check that a proposed group has a time
    to meet.

    Example:
        >>> from datetime import time
        >>> poll = Poll.from_answers(
        ...     [Slot("mon-9", "Monday", time(9)), Slot("tue-14", "Tuesday", time(14))],
        ...     {"p-01": {"mon-9": "yes", "tue-14": "yes"}, "p-02": {"tue-14": "if-need-be"}})
        >>> [s.id for s in common_slots(poll, ["p-01", "p-02"])]
        ['tue-14']

    .. versionadded:: 0.1.0

    """
    wanted = items(people, "people", str)
    return tuple(
        slot
        for slot in poll.slots
        if all(poll.answer(person, slot.id).can_attend for person in wanted)
    )
