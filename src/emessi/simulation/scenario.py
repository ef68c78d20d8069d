"""What a simulation simulates: a :class:`Scenario` and its parts.

A scenario describes a cohort of eMessi groups and the chance events in its
life: who attends, who drops out, which meetings are cancelled and what
happens to them. It is a plain frozen value, saved and loaded like every
emessi document (format ``emessi/scenario``).

The default numbers for attendance, dropout and cancellation are
illustrative assumptions of this library, not findings of eMessi2: set them
from your own data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

import attrs

from emessi._convert import MIGRATIONS, register_format
from emessi._i18n import _, ngettext
from emessi.errors import RecurrenceError, ScenarioError, UnknownTimeZoneError
from emessi.model import Programme
from emessi.model._checks import zone
from emessi.model._strict import OWN_FIRST, Choice, checked, strict
from emessi.scheduling import Blackout, PublicHolidays, parse_recurrence

__all__ = [
    "AttendanceModel",
    "CancellationModel",
    "DropoutModel",
    "DropoutTiming",
    "FacilitatorPool",
    "Outcome",
    "ReschedulePolicy",
    "Scenario",
    "StartWindow",
]

# int8 counts in the kernel; far beyond any peer group.
_MAX_PEERS = 100
# A series longer than this is not a peer-mentoring series (profiles allow
# up to 10 meetings); twice it is the planner's largest series.
_MAX_MEETINGS = 50


def _number(instance: object, attribute: Any, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ScenarioError(_("expected a number"), path=attribute.name)


def _probability(instance: object, attribute: Any, value: float) -> None:
    _number(instance, attribute, value)
    if not 0.0 <= value <= 1.0:
        raise ScenarioError(_("a probability is between 0 and 1"), path=attribute.name)


def _count(low: int, high: int) -> Any:
    def check(instance: object, attribute: Any, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScenarioError(_("expected a whole number"), path=attribute.name)
        if not low <= value <= high:
            raise ScenarioError(
                _("must be between {low} and {high}").format(low=low, high=high),
                path=attribute.name,
            )

    return check


def _optional_count(low: int, high: int) -> Any:
    return attrs.validators.optional(_count(low, high))


def _float(value: Any, name: str) -> Any:
    """A number field's value: ints become floats.

    NaN and infinity are wrong values of the field (ScenarioError, as its
    other values out of range); anything that is not a number is left for
    the field's type check (UsageError).
    """
    if value.__class__ is float:
        if not math.isfinite(value):
            raise ScenarioError(_("expected a finite number (not NaN or infinity)"), path=name)
        return value
    if value.__class__ is int and -(2**53) <= value <= 2**53:
        return float(value)
    return value  # the type check converts or refuses the rest


# One named converter per number field: mypy's attrs plugin types them.
def _mean(value: float) -> float:
    return _float(value, "mean")  # type: ignore[no-any-return]


def _concentration(value: float) -> float:
    return _float(value, "concentration")  # type: ignore[no-any-return]


def _hazard(value: float) -> float:
    return _float(value, "hazard")  # type: ignore[no-any-return]


def _rise(value: float) -> float:
    return _float(value, "rise")  # type: ignore[no-any-return]


def _chance(value: float) -> float:
    return _float(value, "probability")  # type: ignore[no-any-return]


class ReschedulePolicy(Choice):
    """What happens to a meeting that is cancelled.

    - ``DROP``: it is lost; the series goes on as planned.
    - ``MAKE_UP``: a make-up meeting a week later (on the first day that is
      not excluded); if that is cancelled too, the meeting is lost.
    - ``NEXT_SLOT``: it moves to the next slot of the recurrence and the rest
      of the series moves with it; the series may use at most twice its
      planned number of slots, after which the remaining meetings are lost.

    Example:
        >>> ReschedulePolicy("next-slot")
        <ReschedulePolicy.NEXT_SLOT: 'next-slot'>

    .. versionadded:: 0.1.0

    """

    DROP = "drop"
    MAKE_UP = "make-up"
    NEXT_SLOT = "next-slot"


class Outcome(Choice):
    """What became of one planned meeting in a simulated run.

    - ``HELD``: it took place with at least the viability threshold of peers.
    - ``TOO_FEW``: it took place, but with fewer peers: it does not count.
    - ``CANCELLED``: it never took place.

    Example:
        >>> [outcome.value for outcome in Outcome]
        ['held', 'too-few', 'cancelled']

    .. versionadded:: 0.1.0

    """

    HELD = "held"
    TOO_FEW = "too-few"
    CANCELLED = "cancelled"


def _is_day(value: object) -> bool:
    # a datetime is a date too, but a window is made of whole days
    return isinstance(value, date) and not isinstance(value, datetime)


def _check_window(instance: StartWindow, attribute: Any, value: date | None) -> None:
    if not _is_day(instance.first):
        raise ScenarioError(_("expected a date (not a datetime)"), path="first")
    if value is not None and not _is_day(value):
        raise ScenarioError(_("expected a date (not a datetime)"), path="last")
    if value is not None and value < instance.first:
        raise ScenarioError(_("the window ends before it begins"), path="last")


@checked
@attrs.frozen(field_transformer=strict)
class StartWindow:
    """When the groups start: their first meetings are spread over these days.

    Group *g* of *n* gets the start day ``first + (g * days) // n``, so the
    starts are spread evenly and do not depend on the seed; each group's
    first meeting is the first slot of its recurrence on or after that day.

    Args:
        first: The first possible start day.
        last: The last possible start day (default: *first*).

    Example:
        >>> from datetime import date
        >>> StartWindow(date(2025, 9, 1), date(2025, 9, 30)).days
        30
        >>> StartWindow(date(2025, 9, 30), date(2025, 9, 1))
        Traceback (most recent call last):
        ...
        emessi.errors.ScenarioError: last: the window ends before it begins

    .. versionadded:: 0.1.0

    """

    first: date
    last: date | None = attrs.field(default=None, validator=_check_window)

    @property
    def days(self) -> int:
        """How many days the window has."""
        last = self.first if self.last is None else self.last
        return (last - self.first).days + 1


def _flag(instance: object, attribute: Any, value: object) -> None:
    if not isinstance(value, bool):
        raise ScenarioError(_("expected true or false"), path=attribute.name)


def _check_concentration(instance: object, attribute: Any, value: float) -> None:
    _number(instance, attribute, value)
    if not 0.0 < value < math.inf:
        raise ScenarioError(_("the concentration is a positive finite number"), path=attribute.name)


@checked
@attrs.frozen(field_transformer=strict)
class AttendanceModel:
    """Who comes to a meeting: a propensity per peer, a draw per meeting.

    Each peer's propensity to attend is drawn once per run from a Beta
    distribution with the given *mean* and *concentration* (``a = mean *
    concentration``, ``b = (1 - mean) * concentration``); at each meeting a
    peer is present with their propensity. A high concentration makes the
    peers alike; a low one splits them into regulars and rare guests. With
    *fixed* every peer attends every meeting with the same probability
    *mean* (the Beta's limit as the concentration grows; *concentration* is
    then not used).

    Args:
        mean: The mean propensity to attend (0-1). The default 0.8 is an
            assumption, not a figure from eMessi2.
        concentration: The Beta distribution's concentration (> 0).
        fixed: Every peer attends with probability *mean*: no Beta.

    Example:
        >>> AttendanceModel(mean=0.75).mean
        0.75
        >>> AttendanceModel(mean=0.75, fixed=True)
        AttendanceModel(mean=0.75, concentration=10.0, fixed=True)
        >>> AttendanceModel(mean=1.2)
        Traceback (most recent call last):
        ...
        emessi.errors.ScenarioError: mean: a probability is between 0 and 1

    .. versionadded:: 0.1.0

    """

    mean: float = attrs.field(default=0.8, converter=_mean, validator=_probability)
    concentration: float = attrs.field(
        default=10.0, converter=_concentration, validator=_check_concentration
    )
    fixed: bool = attrs.field(default=False, validator=_flag)


class DropoutTiming(Choice):
    """When a peer's chance of leaving the group is drawn.

    - ``HELD`` (the default): just before each meeting the group holds,
      the first included; a cancelled meeting draws nothing. The hazard is
      per held meeting.
    - ``SCHEDULED``: just before each scheduled meeting, whether it takes
      place or is cancelled (under ``next-slot`` each slot the series
      uses). The hazard is per scheduled meeting.
    - ``MONTHLY``: continuously in time from the group's first scheduled
      meeting; before each later scheduled meeting a peer leaves with
      ``1 - (1 - hazard) ** months`` where *months* is the time since the
      previous one in mean Gregorian months (30.436875 days). Nobody leaves
      before the first meeting. The hazard is per month.

    ``HELD`` is the default because it is the reading of the method: the
    meeting is the unit of an eMessi group's life (a closed group, a
    "framework of 6-8 meetings"), a member leaves the group at or between
    its meetings, and a programme's records count exposure in meetings
    held. Cancelled meetings then do protect against dropout: choose
    ``SCHEDULED`` or ``MONTHLY`` to study a cohort where they do not.

    Example:
        >>> DropoutTiming("monthly")
        <DropoutTiming.MONTHLY: 'monthly'>

    .. versionadded:: 0.1.0

    """

    HELD = "held"
    SCHEDULED = "scheduled"
    MONTHLY = "monthly"


def _timing(value: DropoutTiming | str) -> DropoutTiming:
    # Typing only: the field's run-time check (emessi.model._strict) turns
    # a value into its member and refuses an unknown one, listing them.
    return value  # type: ignore[return-value]


@checked
@attrs.frozen(field_transformer=strict)
class DropoutModel:
    """Who leaves the group for good, and when the chance is drawn.

    At each draw (see :class:`DropoutTiming`: by default just before each
    meeting the group holds), each remaining peer leaves with probability
    ``hazard + rise * missed`` (at most 1), where ``missed`` counts the
    meetings they missed so far: missing meetings is a sign of drifting
    away. Leaving is allowed in a closed group; nobody joins in their place.

    Args:
        hazard: The probability of leaving per draw (0-1): per held
            meeting, per scheduled meeting, or per month (see *timing*).
        rise: How much each missed meeting adds to it (0-1).
        timing: When the chance is drawn.

    Example:
        >>> DropoutModel(hazard=0.02, rise=0.05)
        DropoutModel(hazard=0.02, rise=0.05, timing=<DropoutTiming.HELD: 'held'>)
        >>> DropoutModel(0.01, timing="monthly").timing
        <DropoutTiming.MONTHLY: 'monthly'>
        >>> DropoutModel(hazard=-0.1)
        Traceback (most recent call last):
        ...
        emessi.errors.ScenarioError: hazard: a probability is between 0 and 1

    .. versionadded:: 0.1.0

    """

    hazard: float = attrs.field(default=0.02, converter=_hazard, validator=_probability)
    rise: float = attrs.field(default=0.0, converter=_rise, validator=_probability)
    timing: DropoutTiming = attrs.field(default=DropoutTiming.HELD, converter=_timing)


def _policy(value: ReschedulePolicy | str) -> ReschedulePolicy:
    # Typing only, as _timing.
    return value  # type: ignore[return-value]


@checked
@attrs.frozen(field_transformer=strict)
class CancellationModel:
    """Which meetings are called off, and what happens to them.

    Each scheduled meeting is cancelled with *probability*, independently.
    The default policy, ``next-slot``, reschedules: a group keeps its
    framework of meetings and moves the rest of its series one slot on,
    which is how a group with a "jointly agreed schedule" (eMessi guide)
    deals with a meeting it cannot hold; ``drop`` loses the meeting.

    Args:
        probability: The chance that a planned meeting is cancelled (0-1).
        policy: What happens to a cancelled meeting.

    Example:
        >>> CancellationModel(0.1, ReschedulePolicy.DROP).policy
        <ReschedulePolicy.DROP: 'drop'>

    .. versionadded:: 0.1.0

    """

    probability: float = attrs.field(default=0.05, converter=_chance, validator=_probability)
    policy: ReschedulePolicy = attrs.field(default=ReschedulePolicy.NEXT_SLOT, converter=_policy)


@checked
@attrs.frozen(field_transformer=strict)
class FacilitatorPool:
    """The facilitators (*fasilitaattori*, *vetäjä*) who lead the groups.

    Each group has one facilitator (eMessi2 source text); groups are shared
    out in turn, so nobody leads more than *max_groups*. A pool too small
    for the cohort is an error.

    Args:
        size: How many facilitators there are; None: as many as needed.
        max_groups: The most groups one facilitator leads at a time. The
            default 2 is an assumption, not a figure from eMessi2.

    Example:
        >>> FacilitatorPool(size=3, max_groups=4).capacity
        12

    .. versionadded:: 0.1.0

    """

    size: int | None = attrs.field(default=None, validator=_optional_count(1, 10**9))
    max_groups: int = attrs.field(default=2, validator=_count(1, 10**9))

    @property
    def capacity(self) -> int | None:
        """How many groups the pool can lead; None when unlimited."""
        return None if self.size is None else self.size * self.max_groups


def _recurrences(values: Iterable[str]) -> tuple[str, ...]:
    # one rule given as a string, not a list of its characters; the
    # field's type check makes a tuple of the rest or refuses it
    if isinstance(values, str):
        return (values,)
    return values  # type: ignore[return-value]


def _check_recurrences(instance: object, attribute: Any, value: tuple[str, ...]) -> None:
    if not value:
        raise ScenarioError(_("give at least one recurrence"), path=attribute.name)
    for index, rule in enumerate(value):
        try:
            parse_recurrence(rule)
        except RecurrenceError as error:
            raise ScenarioError(error.message, path=f"{attribute.name}[{index}]") from None


def _blackouts(values: Iterable[Blackout]) -> tuple[Blackout, ...]:
    return tuple(values)


def _check_blackouts(instance: object, attribute: Any, value: tuple[Blackout, ...]) -> None:
    for index, period in enumerate(value):
        if not isinstance(period, Blackout):
            raise ScenarioError(_("expected a Blackout"), path=f"{attribute.name}[{index}]")


def _check_holidays(instance: object, attribute: Any, value: PublicHolidays | None) -> None:
    if value is not None and not isinstance(value, PublicHolidays):
        raise ScenarioError(_("expected PublicHolidays or None"), path=attribute.name)


def _check_time(instance: object, attribute: Any, value: str) -> None:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        time.fromisoformat(value)
    except ValueError:
        raise ScenarioError(
            _("expected a local time such as '14:00'"), path=attribute.name
        ) from None


def _check_timezone(instance: object, attribute: Any, value: str) -> None:
    try:
        zone(value)
    except UnknownTimeZoneError as error:
        raise ScenarioError(error.message, path=attribute.name) from None


def _check_text(instance: object, attribute: Any, value: str) -> None:
    if not isinstance(value, str):
        raise ScenarioError(_("expected a string"), path=attribute.name)


def _check_profile(instance: object, attribute: Any, value: str) -> None:
    if not isinstance(value, str) or not value:
        raise ScenarioError(_("expected a profile name"), path=attribute.name)


@checked
@attrs.frozen(kw_only=True, field_transformer=strict)
class Scenario:
    """A cohort of eMessi groups and the chance events of its life.

    The cohort is either *groups* groups of *peers* peers each, or the
    groups of a :class:`~emessi.Programme` used as a template (its group
    ids, its peers per group, time zones and facilitators). Each group meets
    on one of the *recurrences* (in turn) from its start day in the *start*
    window, skipping excluded days (planned by :mod:`emessi.scheduling`),
    until it has had its planned meetings.

    Args:
        start: When the groups start.
        name: A name for reports.
        profile: The :class:`~emessi.MethodProfile` by name. A group
            *completes* when it held *required_meetings* meetings, by
            default the profile's minimum (6 for eMessi: "a framework of 6-8
            meetings").
        groups: How many groups (ignored with *programme*).
        peers: Peers per group (ignored with *programme*); eMessi groups had
            "as a rule 5-6" peers.
        programme: A programme whose groups are the template.
        recurrences: Recurrences in the planner's friendly form (``"second
            Tuesday of each month at 14:00"``) or RFC 5545 RRULEs (see
            :func:`emessi.scheduling.parse_recurrence`); group *g* follows
            rule ``g % len(recurrences)``. The default, every four weeks from
            the start day, keeps each group's weekday. Each distinct rule,
            start day and zone is planned once, whatever the number of groups.
        time: The local start time of meetings, unless the rule sets it.
        timezone: The IANA time zone of the groups (a programme's groups
            keep their own).
        meetings: Meetings planned per group; default: the profile's
            preferred maximum (8 for eMessi).
        duration_minutes: Length of a meeting, for facilitator hours;
            default: the planner's, the profile's preferred minimum (90
            minutes for eMessi's "1.5-2 hours").
        holidays: Public holidays to skip, e.g. ``PublicHolidays("FI")``
            (the extra ``holidays``); None: none.
        blackouts: Periods without meetings, such as a summer break.
        attendance: Who comes to a meeting.
        dropout: Who leaves the group.
        cancellation: Which meetings are cancelled, and what then.
        facilitators: The facilitator pool.
        threshold: The fewest peers present for a meeting to count as held.
            The default 4 is a majority of a group of 5-6 (the eMessi rule)
            and the smallest group of the sister model for teachers, Verme
            (4-10 peers): below it, the meeting is no longer a peer group's
            conversation.
        required_meetings: The completion threshold: the fewest meetings
            held (each with at least *threshold* peers present) for a group
            to complete; None: the profile's minimum.

    Example:
        >>> from datetime import date
        >>> scenario = Scenario(start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)))
        >>> scenario.groups, scenario.peers, scenario.threshold
        (11, 6, 4)
        >>> Scenario(start=StartWindow(date(2025, 9, 1)), groups=0)
        Traceback (most recent call last):
        ...
        emessi.errors.ScenarioError: groups: must be between 1 and 10000000

    .. versionadded:: 0.1.0

    """

    start: StartWindow
    name: str = attrs.field(default="", validator=_check_text)
    profile: str = attrs.field(default="emessi", validator=_check_profile)
    groups: int = attrs.field(default=11, validator=_count(1, 10**7))
    peers: int = attrs.field(default=6, validator=_count(1, _MAX_PEERS))
    programme: Programme | None = None
    recurrences: tuple[str, ...] = attrs.field(
        default=("FREQ=WEEKLY;INTERVAL=4",),
        converter=_recurrences,
        validator=_check_recurrences,
        metadata={OWN_FIRST: True},
    )
    time: str = attrs.field(default="14:00", validator=_check_time)
    timezone: str = attrs.field(default="Europe/Helsinki", validator=_check_timezone)
    meetings: int | None = attrs.field(default=None, validator=_optional_count(1, _MAX_MEETINGS))
    duration_minutes: int | None = attrs.field(default=None, validator=_optional_count(1, 24 * 60))
    holidays: PublicHolidays | None = attrs.field(default=None, validator=_check_holidays)
    blackouts: tuple[Blackout, ...] = attrs.field(
        default=(), converter=_blackouts, validator=_check_blackouts
    )
    attendance: AttendanceModel = AttendanceModel()
    dropout: DropoutModel = DropoutModel()
    cancellation: CancellationModel = CancellationModel()
    facilitators: FacilitatorPool = FacilitatorPool()
    threshold: int = attrs.field(default=4, validator=_count(0, _MAX_PEERS))
    required_meetings: int | None = attrs.field(
        default=None, validator=_optional_count(1, _MAX_MEETINGS)
    )

    def __attrs_post_init__(self) -> None:
        for name, kind in _PARTS.items():
            if not isinstance(getattr(self, name), kind):
                raise ScenarioError(_("expected a {kind}").format(kind=kind.__name__), path=name)
        if self.programme is not None and not isinstance(self.programme, Programme):
            raise ScenarioError(_("expected a Programme"), path="programme")
        required, meetings = self.required_meetings, self.meetings
        if required is not None and meetings is not None and meetings < required:
            raise ScenarioError(
                ngettext(
                    "{n} planned meeting can never reach the {required} a group needs to complete",
                    "{n} planned meetings can never reach the {required} a group needs to complete",
                    meetings,
                ).format(n=meetings, required=required),
                path="required_meetings",
            )
        # Whole-scenario checks on the scalar cohort; a programme template
        # is checked when it is expanded (emessi.simulation._cohort).
        if self.programme is None:
            if self.peers < self.threshold:
                raise ScenarioError(
                    ngettext(
                        "groups of {peers} peers can never reach the threshold of {n} peer present",
                        "groups of {peers} peers can never reach the threshold "
                        "of {n} peers present",
                        self.threshold,
                    ).format(peers=self.peers, n=self.threshold),
                    path="threshold",
                )
            capacity = self.facilitators.capacity
            if capacity is not None and capacity < self.groups:
                raise ScenarioError(
                    ngettext(
                        "the facilitators can lead at most {n} group ({size} x {most} each), "
                        "not {groups}",
                        "the facilitators can lead at most {n} groups ({size} x {most} each), "
                        "not {groups}",
                        capacity,
                    ).format(
                        n=capacity,
                        size=self.facilitators.size,
                        most=self.facilitators.max_groups,
                        groups=self.groups,
                    ),
                    path="facilitators.size",
                )


_PARTS: dict[str, type] = {
    "start": StartWindow,
    "attendance": AttendanceModel,
    "dropout": DropoutModel,
    "cancellation": CancellationModel,
    "facilitators": FacilitatorPool,
}


def _from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 -> 2: pin what version 1 meant where version 2 added a choice.

    Version 2 added the dropout timing, a fixed attendance probability and
    the completion threshold. A version 1 document meant dropout drawn at
    held meetings and completion at the profile's minimum; its
    cancellation policy defaulted to ``next-slot``. Writing these out keeps
    the meaning should a later version change a default.
    """
    body = dict(data)
    dropout = body.get("dropout", {})
    if isinstance(dropout, dict):
        body["dropout"] = {**dropout, "timing": DropoutTiming.HELD.value}
    cancellation = body.get("cancellation", {})
    if isinstance(cancellation, dict) and "policy" not in cancellation:
        body["cancellation"] = {**cancellation, "policy": ReschedulePolicy.NEXT_SLOT.value}
    return body


register_format("emessi/scenario", Scenario, version=2)
MIGRATIONS[("emessi/scenario", 1)] = _from_version_1
