"""Hypothesis strategies for emessi objects, for our tests and yours.

Platform developers can property-test their own code against any programme
emessi accepts (``programmes()``) or against programmes that follow the
method (``programmes(conforming=True)``, which validate without errors
under the eMessi profile). Needs the ``hypothesis`` package (the ``test``
extra).

Example:
    >>> from hypothesis import given, settings
    >>> from emessi import validate
    >>> @settings(max_examples=5, database=None)
    ... @given(programmes(conforming=True))
    ... def test_conforming(programme):
    ...     assert validate(programme).ok
    >>> test_conforming()

.. versionadded:: 0.1.0

"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import attrs

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised without the extra
    from emessi.errors import MissingDependencyError

    raise MissingDependencyError("hypothesis", extra="test", feature="emessi.testing") from None

from emessi._i18n import _
from emessi.errors import DomainError
from emessi.method.themes import default_catalogue
from emessi.model import (
    AgendaItem,
    Dimension,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    Organisation,
    Person,
    Programme,
    Role,
    Theme,
)
from emessi.model._checks import FIRST_YEAR, LAST_YEAR, MAX_COUNT, MAX_TEXT, check_id
from emessi.model._strict import check_for, checked

__all__ = [
    "HOSTILE_NUMBERS",
    "HOSTILE_TEXTS",
    "ZONES",
    "aware_datetimes",
    "emails",
    "groups",
    "hostile_numbers",
    "hostile_text",
    "hostile_values",
    "meetings",
    "names",
    "people",
    "personal_values",
    "programmes",
    "texts",
    "themes",
]

#: Time zones the strategies draw from: Finland's, others with and without
#: DST, and the southern hemisphere.
ZONES = (
    "Europe/Helsinki",
    "Europe/Mariehamn",
    "Europe/Stockholm",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
)


_NO_SURROGATES: Any = ("Cs",)


def _within(value: int, low: int, high: int, path: str) -> None:
    if not low <= value <= high:
        raise DomainError(
            _("expected {low} to {high}").format(low=_number(low), high=_number(high)), path=path
        )


def _number(value: int) -> str:
    return f"{value:,}" if abs(value) >= 10_000 else str(value)


@checked
def texts(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any Unicode text that can be stored (no lone surrogates).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(texts(1))
        ... def check(text):
        ...     assert isinstance(text, str) and text
        >>> check()

    """
    _within(min_size, 0, MAX_TEXT, "min_size")
    _within(max_size, min_size, MAX_TEXT, "max_size")
    return _texts(min_size, max_size)


# Strategies are built once and reused: hypothesis validates a strategy the
# first time it is drawn from, and rebuilding them inside composite
# strategies made generating a programme several times slower.
@cache
def _texts(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(
        st.characters(codec="utf-8", exclude_categories=_NO_SURROGATES),
        min_size=min_size,
        max_size=max_size,
    )


_LETTERS = st.text("abcdefghijklmnopqrstuvwxyzåäö", min_size=5, max_size=9)


@checked
def names() -> st.SearchStrategy[str]:
    """Recognisable personal names ("Aino Virtanen"-like), to plant and look for.

    Long enough that finding one in an output is no coincidence: use them to
    check that personal data never reaches an export, a log or a message.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(names())
        ... def check(name):
        ...     first, last = name.split(" ")
        ...     assert len(first) >= 5 and first.istitle()
        >>> check()
    """
    return st.builds("{} {}".format, _LETTERS.map(str.title), _LETTERS.map(str.title))


@checked
def emails() -> st.SearchStrategy[str]:
    """Recognisable e-mail addresses under ``.example``, to plant and look for.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(emails())
        ... def check(email):
        ...     assert email.endswith(".example") and "@" in email
        >>> check()
    """
    return st.builds("{}.{}@{}.example".format, _LETTERS, _LETTERS, _LETTERS)


@checked
def personal_values(programme: Programme) -> set[str]:
    """Every personal value in *programme*: names, e-mails, leaving reasons, notes.

    Example:
        >>> from emessi import Person
        >>> sorted(personal_values(Programme("p", people=[Person("p-1", "Aino", email="a@x.example")])))
        ['Aino', 'a@x.example']
    """
    values = {p.name for p in programme.people} | {p.email for p in programme.people if p.email}
    for group in programme.groups:
        values |= {m.reason for m in group.memberships if m.reason}
        values |= {m.notes for m in group.meetings if m.notes}
        values |= {c.reason for m in group.meetings for c in m.history if c.reason}
    return values


@cache
def _ids(prefix: str) -> st.SearchStrategy[str]:
    return st.integers(0, 9999).map(lambda n: f"{prefix}-{n:04d}")


@checked
def aware_datetimes(min_year: int = 2000, max_year: int = 2040) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes in :data:`ZONES` or a fixed UTC offset.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(aware_datetimes())
        ... def check(moment):
        ...     assert moment.utcoffset() is not None
        >>> check()

    """
    _within(min_year, FIRST_YEAR, LAST_YEAR, "min_year")
    _within(max_year, min_year, LAST_YEAR, "max_year")
    return _aware_datetimes(min_year, max_year)


@cache
def _aware_datetimes(min_year: int, max_year: int) -> st.SearchStrategy[datetime]:
    zones: st.SearchStrategy[Any] = st.one_of(
        st.sampled_from(ZONES).map(ZoneInfo),
        st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q))),
        st.just(UTC),
    )
    return st.datetimes(
        min_value=datetime(min_year, 1, 1),
        max_value=datetime(max_year, 12, 31),
        timezones=zones,
    )


@checked
def themes() -> st.SearchStrategy[Theme]:
    """A group's own theme with random titles, dimensions and tags.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(themes())
        ... def check(theme):
        ...     assert theme.id.startswith("t-")
        >>> check()

    """
    return _themes()


@cache
def _themes() -> st.SearchStrategy[Theme]:
    return st.builds(
        Theme,
        id=_ids("t"),
        title_en=texts(1),
        title_fi=texts(),
        dimensions=st.lists(st.sampled_from(Dimension), unique=True, max_size=3).map(tuple),
        tags=st.lists(
            st.sampled_from(["independence", "volunteers", "value-base"]), unique=True
        ).map(tuple),
        description_en=texts(),
        description_fi=texts(),
    )


@checked
def meetings(number: int = 1) -> st.SearchStrategy[Meeting]:
    """Any meeting (structurally valid; not necessarily following the method).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(meetings(3))
        ... def check(meeting):
        ...     assert meeting.number == 3
        >>> check()

    """
    _within(number, 1, MAX_COUNT, "number")
    return _meetings(number)


@cache
def _meetings(number: int) -> st.SearchStrategy[Meeting]:
    return st.builds(
        Meeting,
        number=st.just(number),
        start=aware_datetimes(),
        duration=st.integers(1, 600).map(lambda m: timedelta(minutes=m)),
        themes=st.lists(_ids("t"), max_size=3).map(tuple),
        status=st.sampled_from(MeetingStatus),
        attendance=st.lists(_ids("p"), max_size=4).map(tuple),
        secretary=st.none() | _ids("p"),
        agenda=st.lists(
            st.builds(AgendaItem, title=texts(), minutes=st.integers(1, 120)), max_size=4
        ).map(tuple),
        notes=st.none() | texts(),
        series=st.none() | _ids("s"),
    )


@checked
def people(organisations: list[str] | None = None) -> st.SearchStrategy[Person]:
    """A person with a random name and e-mail (personal data to protect).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(people())
        ... def check(person):
        ...     assert person.id.startswith("p-")
        >>> check()

    """
    ids = _IDS(organisations or (), "organisations")  # an iterator is read once, here
    for index, organisation in enumerate(ids):
        check_id(None, _Path(f"organisations[{index}]"), organisation)
    return _people(ids)


# Cheaper than st.emails() (which draws whole domain names), and enough to
# tell personal data from anything else in a message.
_EMAILS = st.none() | st.builds(
    "{}@{}".format,
    st.text("abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=16),
    st.sampled_from(["example.org", "example.fi", "yhdistys.example"]),
)


@cache
def _people(organisations: tuple[str, ...]) -> st.SearchStrategy[Person]:
    orgs = st.none() | (st.sampled_from(organisations) if organisations else st.nothing())
    return st.builds(
        Person,
        id=_ids("p"),
        name=texts(1),
        email=_EMAILS,
        organisation=orgs,
        languages=st.lists(st.sampled_from(["fi", "sv", "en"]), min_size=1, unique=True).map(tuple),
    )


_DATES = st.none() | st.dates(date(2000, 1, 1), date(2040, 1, 1))
_LINKS = st.none() | st.just("https://meet.example.org/") | texts()


@checked
def groups(person_ids: list[str] | None = None) -> st.SearchStrategy[Group]:
    """Any group: random memberships, meetings, own themes and ground rules.

    Args:
        person_ids: The ids members are drawn from (by default random ids).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(groups())
        ... def check(group):
        ...     assert len({m.number for m in group.meetings}) == len(group.meetings)
        >>> check()

    """
    if person_ids is None:
        return _groups(None)
    ids = list(_IDS(person_ids, "person_ids"))  # an iterator is read once, here
    for index, person in enumerate(ids):
        check_id(None, _Path(f"person_ids[{index}]"), person)
    return _groups(ids)


_IDS = check_for(tuple[str, ...])


@attrs.frozen
class _Path:
    """Stands in for an attrs attribute, so that check_id's path names the item."""

    name: str


@st.composite
def _groups(draw: st.DrawFn, person_ids: list[str] | None = None) -> Group:
    ids = person_ids if person_ids is not None else draw(_MEMBER_IDS)
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=8)) if ids else []
    memberships = []
    for person in chosen:
        joined = draw(_DATES)
        left = draw(_DATES)
        memberships.append(
            Membership(
                person,
                draw(_ROLES),
                joined=joined,
                left=left,
                reason=draw(_REASONS) if left else None,
            )
        )
    count = draw(_MEETING_COUNTS)
    return Group(
        id=draw(_ids("g")),
        name=draw(texts()),
        timezone=draw(_ZONE_NAMES),
        memberships=tuple(memberships),
        meetings=tuple(draw(meetings(n)) for n in range(1, count + 1)),
        themes=tuple(draw(_OWN_THEMES)),
        ground_rules=tuple(draw(_GROUND_RULES)),
        link=draw(_LINKS),
    )


_MEMBER_IDS = st.lists(_ids("p"), max_size=8, unique=True)
_ROLES = st.sampled_from(Role)
_REASONS = st.none() | texts()
_MEETING_COUNTS = st.integers(0, 9)
_ZONE_NAMES = st.sampled_from(ZONES)
_OWN_THEMES = st.lists(themes(), max_size=2, unique_by=lambda t: t.id)
_GROUND_RULES = st.lists(texts(), max_size=3)
_ORGANISATIONS = st.lists(
    st.builds(
        Organisation,
        id=_ids("o"),
        name=texts(1),
        sector=st.sampled_from(["third sector", "education", "social services"]),
        staff=st.integers(1, 60),
        region=st.none() | st.sampled_from(["Uusimaa", "Pirkanmaa", "Lappi"]),
    ),
    max_size=5,
    unique_by=lambda o: o.id,
)
_PEOPLE = st.lists(people(), max_size=12, unique_by=lambda p: p.id)


@st.composite
def _any_programme(draw: st.DrawFn) -> Programme:
    organisations = draw(_ORGANISATIONS)
    persons = draw(_PEOPLE)
    if organisations:
        works_in = st.none() | st.sampled_from([o.id for o in organisations])
        persons = [attrs.evolve(p, organisation=draw(works_in)) for p in persons]
    person_ids = [p.id for p in persons]
    return Programme(
        id=draw(_ids("prog")),
        name=draw(texts()),
        organisations=tuple(organisations),
        people=tuple(persons),
        groups=tuple(draw(st.lists(_groups(person_ids), max_size=3, unique_by=lambda g: g.id))),
        themes=tuple(draw(_OWN_THEMES)),
    )


# The eMessi profile's preferred numbers (eMessi2 source text): 5-6 peers
# from workplaces of fewer than 5, meetings 3-6 weeks apart, 90-120 minutes,
# 6-8 of them.
_PEERS = st.integers(5, 6)
_SMALL_STAFF = st.integers(1, 4)
_HOURS = st.integers(9, 16)
_GAPS = st.integers(21, 42)
_MINUTES = st.integers(90, 120)
_COUNTS = st.integers(6, 8)


@cache
def _catalogue_themes() -> st.SearchStrategy[list[str]]:
    catalogue = sorted(default_catalogue().ids())
    return st.lists(st.sampled_from(catalogue), max_size=2, unique=True)


@st.composite
def _conforming_programme(draw: st.DrawFn, max_groups: int = 4) -> Programme:
    n_groups = draw(st.integers(1, max_groups))
    tz = ZoneInfo("Europe/Helsinki")
    first_day = draw(st.dates(date(2014, 1, 1), date(2035, 1, 1)))
    organisations: list[Organisation] = []
    people_: list[Person] = []
    groups_: list[Group] = []
    for g in range(n_groups):
        members = []
        for k in range(draw(_PEERS)):
            org = Organisation(f"o-{g:02d}-{k}", draw(texts(1)), staff=draw(_SMALL_STAFF))
            organisations.append(org)
            person = Person(
                f"p-{g:02d}-{k}",
                draw(texts(1)),
                email=draw(_EMAILS),
                organisation=org.id,
            )
            people_.append(person)
            members.append(Membership(person.id))
        for role, letter in ((Role.FACILITATOR, "f"), (Role.OBSERVER, "o")):
            person = Person(f"{letter}-{g:02d}", draw(texts(1)))
            people_.append(person)
            members.append(Membership(person.id, role))
        hour = draw(_HOURS)
        gap = draw(_GAPS)
        minutes = draw(_MINUTES)
        count = draw(_COUNTS)
        start_day = first_day + timedelta(days=g)  # one group a day: no overlaps
        meetings_ = tuple(
            Meeting(
                n,
                datetime.combine(
                    start_day + timedelta(days=gap * (n - 1)), datetime.min.time(), tz
                ).replace(hour=hour),
                timedelta(minutes=minutes),
                themes=tuple(draw(_catalogue_themes())),
            )
            for n in range(1, count + 1)
        )
        groups_.append(
            Group(f"g-{g:02d}", draw(texts()), memberships=tuple(members), meetings=meetings_)
        )
    return Programme(
        "cohort",
        draw(texts()),
        organisations=tuple(organisations),
        people=tuple(people_),
        groups=tuple(groups_),
    )


@checked
def programmes(*, conforming: bool = False, max_groups: int = 4) -> st.SearchStrategy[Programme]:
    """Programmes: any structurally valid one, or one that follows eMessi.

    Args:
        conforming: Generate programmes that validate without errors under
            the eMessi profile (5-6 peers from small, distinct workplaces, a
            facilitator and an observer each, 6-8 meetings 3-6 weeks apart,
            90-120 minutes, catalogue themes, no double bookings).
        max_groups: Most groups in a conforming programme (1-100).

    Example:
        >>> from emessi import validate
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=3, database=None)
        ... @given(programmes(conforming=True))
        ... def check(programme):
        ...     assert validate(programme).ok, validate(programme)
        >>> check()

    """
    _within(max_groups, 1, 100, "max_groups")
    if conforming:
        return _conforming_programme(max_groups)
    return _any_programme()


# -- hostile input, for fuzzing a boundary (emessi's or yours) ----------------

#: Texts an attacker or a careless export sends: a lone surrogate, NUL, CR/LF,
#: a right-to-left override, a line separator, a spreadsheet formula, a text
#: over emessi's 10,000-character cap, a 5,000-digit number, and a name with
#: an e-mail address (personal data that must never be echoed).
HOSTILE_TEXTS: tuple[str, ...] = (
    "",
    "\ud800",
    "x\udcffy",
    "\x00",
    "a\r\nb",
    "a\rb",
    "\u202egnp.exe",
    "\u2028",
    "=cmd|' /C calc'!A0",
    "x" * 20_000,
    "9" * 5000,
    "Aino Virtanen <aino@example.org>",
)
#: Numbers at and beyond the edges: signs, 64-bit limits, emessi's bounds.
HOSTILE_NUMBERS: tuple[int | float, ...] = (
    0,
    -1,
    1,
    10**9 + 1,
    2**63,
    -(2**63),
    10**15 + 1,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -0.0,
    5e-324,
)


@checked
def hostile_text(*near: str, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text, :data:`HOSTILE_TEXTS`, and the near-valid texts *near*.

    *near* are the values a field almost takes (``"monthly"``, ``"uwes-9"``):
    a fuzzer that also tries them reaches the checks behind the first one.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20, database=None)
        ... @given(hostile_text("Europe/Helsinki"))
        ... def check(text):
        ...     assert isinstance(text, str)
        >>> check()

    """
    _within(max_size, 0, MAX_TEXT, "max_size")
    return st.one_of(st.text(max_size=max_size), st.sampled_from((*HOSTILE_TEXTS, *near)))


@checked
def hostile_numbers(*near: int | float) -> st.SearchStrategy[Any]:
    """Any integer or float (NaN and infinities too), a bool, a 5,000-digit int.

    Also :data:`HOSTILE_NUMBERS` and the near-valid numbers *near*.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20, database=None)
        ... @given(hostile_numbers(6))
        ... def check(number):
        ...     assert isinstance(number, int | float)
        >>> check()

    """
    return st.one_of(
        st.integers(),
        st.sampled_from((*HOSTILE_NUMBERS, *near)),
        st.builds(lambda: 10**5000),
        st.builds(lambda: -(10**5000)),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
    )


@checked
def hostile_values(
    text: st.SearchStrategy[Any] | None = None,
    numbers: st.SearchStrategy[Any] | None = None,
    *,
    max_leaves: int = 12,
) -> st.SearchStrategy[Any]:
    """What a JSON or TOML document (or a web form) can hold, made hostile.

    None, *numbers* and *text* (by default :func:`hostile_numbers` and
    :func:`hostile_text`), nested in lists, pairs and mappings up to
    *max_leaves* leaves.

    Example:
        >>> from hypothesis import given, settings
        >>> from emessi import loads
        >>> from emessi.errors import EmessiError
        >>> import json
        >>> @settings(max_examples=20, database=None)
        ... @given(hostile_values())
        ... def check(value):
        ...     try:
        ...         loads(json.dumps({"format": "emessi/group", "version": 1, "id": value}))
        ...     except EmessiError:
        ...         pass  # refused with a readable error: the promise
        ...     except ValueError:
        ...         pass  # json.dumps refuses an int of over 4,300 digits
        >>> check()

    """
    _within(max_leaves, 1, 1000, "max_leaves")
    leaves = st.one_of(
        st.none(),
        hostile_numbers() if numbers is None else numbers,
        hostile_text() if text is None else text,
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.tuples(inner, inner),
            st.dictionaries(st.text(max_size=8), inner, max_size=4),
        ),
        max_leaves=max_leaves,
    )
