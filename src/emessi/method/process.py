"""The session process: a framework for a series of meetings, with agendas.

The eMessi2 description says the method's guide gives "a framework of 6-8
peer-mentoring meetings" (*6–8 vertaismentorointitapaamisen runko*), whose
themes come from the eMessi2 groups; what the framework holds is not among
emessi's sources. The guide's table of contents names the first meeting
(*ensimmäinen tapaaminen*) and ground rules (*pelisäännöt*), the pre-study's
names feedback (*palaute*). emessi's outline -- a first meeting (getting
acquainted, ground rules, choosing themes), theme meetings and a closing
meeting (reflection and feedback) -- with its agendas and minutes is emessi's
own assumption; :attr:`MeetingKind.provenance` says so for each part.
"""

from __future__ import annotations

import tomllib
from datetime import timedelta
from functools import cache
from importlib import resources

import attrs

from emessi._convert import from_document, register_format
from emessi._i18n import _, check_language, translation
from emessi.errors import DomainError
from emessi.method.profiles import MethodProfile
from emessi.model._strict import Choice, checked, strict
from emessi.model.groups import Group
from emessi.model.meetings import AgendaItem
from emessi.provenance import Provenance

__all__ = [
    "MeetingKind",
    "MeetingPlan",
    "agenda_for",
    "default_ground_rules",
    "framework_provenance",
    "ground_rules_provenance",
    "session_framework",
    "with_agendas",
]


class MeetingKind(Choice):
    """The place of a meeting in emessi's outline of the series.

    Only the first meeting (*ensimmäinen tapaaminen*) is named in the
    sources (the guide's table of contents); theme and closing meetings, and
    their Finnish names, are emessi's (see :attr:`provenance`).

    Example:
        >>> MeetingKind.FIRST.finnish
        'ensimmäinen tapaaminen'
        >>> print(MeetingKind.CLOSING.provenance.assumption)
        a closing meeting with reflection and feedback, its agenda and the Finnish name päätöstapaaminen are emessi's

    .. versionadded:: 0.1.0

    """

    FIRST = "first"
    THEME = "theme"
    CLOSING = "closing"

    @property
    def finnish(self) -> str:
        """The Finnish name of the kind of meeting (the last two are emessi's coinages)."""
        return {
            MeetingKind.FIRST: "ensimmäinen tapaaminen",
            MeetingKind.THEME: "teematapaaminen",
            MeetingKind.CLOSING: "päätöstapaaminen",
        }[self]

    @property
    def provenance(self) -> Provenance:
        """Where this kind of meeting, its name and its agenda come from."""
        return _agendas().provenance[self.value]


@attrs.frozen
class _Item:
    title_en: str
    title_fi: str
    minutes: int
    flexible: bool = False


@attrs.frozen
class _Agendas:
    ground_rules_en: tuple[str, ...]
    ground_rules_fi: tuple[str, ...]
    ground_rules_provenance: tuple[Provenance, ...]
    first: tuple[_Item, ...]
    theme: tuple[_Item, ...]
    closing: tuple[_Item, ...]
    provenance: dict[str, Provenance]


register_format("emessi/agendas", _Agendas)


@cache
def _agendas() -> _Agendas:
    text = resources.files("emessi.method").joinpath("data/agendas.toml").read_text("utf-8")
    agendas: _Agendas = from_document(tomllib.loads(text), _Agendas, source="built-in agendas")
    return agendas


@checked
@attrs.frozen(field_transformer=strict)
class MeetingPlan:
    """One meeting of the framework: its number, kind and agenda.

    Example:
        >>> plan = session_framework(6)[0]
        >>> plan.number, plan.kind, plan.agenda[2].title
        (1, <MeetingKind.FIRST: 'first'>, 'Agreeing the ground rules')

    .. versionadded:: 0.1.0

    """

    number: int
    kind: MeetingKind
    agenda: tuple[AgendaItem, ...]

    @property
    def minutes(self) -> int:
        """Total minutes of the agenda."""
        return sum(item.minutes for item in self.agenda)


def _localised(english: str, finnish: str, lang: str) -> str:
    """A built-in text in *lang*: the data's own Finnish, else the catalogues.

    Agendas are data stored in documents, so their language is always
    explicit (English unless asked), never taken from the environment.
    """
    if check_language(lang) == "fi" and finnish:
        return finnish
    return translation(lang).gettext(english)


@checked
def agenda_for(
    kind: MeetingKind, duration: timedelta = timedelta(minutes=90), lang: str = "en"
) -> tuple[AgendaItem, ...]:
    """The agenda of a *kind* of meeting, fitted to *duration*.

    The flexible item (the discussion) takes whatever time the fixed items
    leave, so the agenda always fills the meeting exactly.

    Raises:
        DomainError: the fixed items alone do not fit in *duration*.

    Example:
        >>> [i.minutes for i in agenda_for(MeetingKind.THEME, timedelta(hours=2))]
        [15, 90, 15]
        >>> agenda_for(MeetingKind.THEME, lang="fi")[0].title
        'Kuulumiskierros'
        >>> agenda_for(MeetingKind.THEME, lang="sv")[0].title
        'Inledande runda'

    .. versionadded:: 0.1.0

    """
    items = getattr(_agendas(), kind.value)
    minutes = int(duration // timedelta(minutes=1))
    fixed = sum(item.minutes for item in items if not item.flexible)
    if fixed >= minutes:
        raise DomainError(
            _("a {kind} meeting needs more than {n} minutes").format(kind=kind.value, n=fixed),
            path="duration",
        )
    return tuple(
        AgendaItem(
            _localised(item.title_en, item.title_fi, lang),
            minutes - fixed if item.flexible else item.minutes,
        )
        for item in items
    )


@checked
def session_framework(
    n: int,
    *,
    profile: MethodProfile | str | None = None,
    duration: timedelta = timedelta(minutes=90),
    lang: str = "en",
) -> tuple[MeetingPlan, ...]:
    """The framework for a series of *n* meetings: first, themes, closing.

    Args:
        n: Number of meetings; within the profile's allowed range.
        profile: The profile or its name (eMessi by default).
        duration: Length of each meeting; agendas are fitted to it.
        lang: ``"en"``, ``"fi"`` or ``"sv"`` for the agenda titles.

    Raises:
        DomainError: *n* outside the profile's allowed meeting count.

    Example:
        >>> [p.kind.value for p in session_framework(6)]
        ['first', 'theme', 'theme', 'theme', 'theme', 'closing']
        >>> session_framework(3)
        Traceback (most recent call last):
        ...
        emessi.errors.DomainError: n: the emessi profile allows 5-10 meetings, not 3

    .. versionadded:: 0.1.0

    """
    from emessi.method.registry import get_profile

    profile = get_profile(profile)
    low, high = profile.meetings.allowed
    if not max(2, low) <= n <= high:
        raise DomainError(
            _("the {profile} profile allows {low}-{high} meetings, not {n}").format(
                profile=profile.name, low=low, high=high, n=n
            ),
            path="n",
        )
    kinds = [MeetingKind.FIRST] + [MeetingKind.THEME] * (n - 2) + [MeetingKind.CLOSING]
    return tuple(
        MeetingPlan(number, kind, agenda_for(kind, duration, lang))
        for number, kind in enumerate(kinds, start=1)
    )


@checked
def default_ground_rules(lang: str = "en") -> tuple[str, ...]:
    """Suggested ground rules (*pelisäännöt*) for a group to start from.

    The first two are the two ethical rules of Verme, the Finnish peer-group
    mentoring model for teachers: everyone's voice is heard as equals; what
    is shared stays in the group. The other two are emessi's suggestions,
    not the sources'. :func:`ground_rules_provenance` says so rule by rule.

    Example:
        >>> default_ground_rules("fi")[1]
        'Ryhmässä jaettu jää ryhmään.'
        >>> default_ground_rules("sv")[1]
        'Det som delas i gruppen stannar i gruppen.'

    .. versionadded:: 0.1.0

    """
    agendas = _agendas()
    return tuple(
        _localised(en, fi, lang)
        for en, fi in zip(agendas.ground_rules_en, agendas.ground_rules_fi, strict=True)
    )


def ground_rules_provenance() -> tuple[Provenance, ...]:
    """Where each of the :func:`default_ground_rules` comes from, in order.

    Example:
        >>> [p.source or "emessi" for p in ground_rules_provenance()]
        ['verme', 'verme', 'emessi', 'emessi']

    """
    return _agendas().ground_rules_provenance


def framework_provenance() -> Provenance:
    """Where the outline of :func:`session_framework` comes from.

    Example:
        >>> framework_provenance().source
        'emessi2'

    """
    return _agendas().provenance["framework"]


@checked
def with_agendas(group: Group, *, lang: str = "en", overwrite: bool = False) -> Group:
    """A copy of *group* whose meetings carry the framework's agendas.

    The first active meeting gets the first-meeting agenda, the last the
    closing agenda, the others the theme agenda, each fitted to its
    duration. Meetings with an agenda keep it unless *overwrite*.

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi.model import Meeting
        >>> t = datetime(2014, 1, 14, 12, tzinfo=timezone.utc)
        >>> g = with_agendas(Group("g-01", meetings=[Meeting(n, t + timedelta(days=30 * n)) for n in (1, 2, 3)]))
        >>> [m.agenda[-1].title for m in g.meetings]
        ['Agreeing the schedule and closing', 'Summary and next meeting', 'Closing']

    .. versionadded:: 0.1.0

    """
    active = sorted(
        (i for i, m in enumerate(group.meetings) if m.active),
        key=lambda i: group.meetings[i].start,
    )
    meetings = list(group.meetings)
    for position, index in enumerate(active):
        meeting = meetings[index]
        if meeting.agenda and not overwrite:
            continue
        if position == 0:
            kind = MeetingKind.FIRST
        elif position == len(active) - 1:
            kind = MeetingKind.CLOSING
        else:
            kind = MeetingKind.THEME
        meetings[index] = attrs.evolve(meeting, agenda=agenda_for(kind, meeting.duration, lang))
    return attrs.evolve(group, meetings=tuple(meetings))
