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
from typing import Any
from zoneinfo import ZoneInfo

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised without the extra
    from emessi.errors import MissingDependencyError

    raise MissingDependencyError("hypothesis", extra="test", feature="emessi.testing") from None

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

__all__ = [
    "ZONES",
    "aware_datetimes",
    "groups",
    "meetings",
    "people",
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
    return st.text(
        st.characters(codec="utf-8", exclude_categories=_NO_SURROGATES),
        min_size=min_size,
        max_size=max_size,
    )


def _ids(prefix: str) -> st.SearchStrategy[str]:
    return st.integers(0, 9999).map(lambda n: f"{prefix}-{n:04d}")


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
    orgs = st.none() | (st.sampled_from(organisations) if organisations else st.nothing())
    return st.builds(
        Person,
        id=_ids("p"),
        name=texts(1),
        email=st.none() | st.emails(),
        organisation=orgs,
        languages=st.lists(st.sampled_from(["fi", "sv", "en"]), min_size=1, unique=True).map(tuple),
    )


@st.composite
def groups(draw: st.DrawFn, person_ids: list[str] | None = None) -> Group:
    """Any group: random memberships, meetings, own themes and ground rules.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(groups())
        ... def check(group):
        ...     assert len({m.number for m in group.meetings}) == len(group.meetings)
        >>> check()

    """
    ids = (
        person_ids if person_ids is not None else draw(st.lists(_ids("p"), max_size=8, unique=True))
    )
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=8)) if ids else []
    memberships = []
    for person in chosen:
        joined = draw(st.none() | st.dates(date(2000, 1, 1), date(2040, 1, 1)))
        left = draw(st.none() | st.dates(date(2000, 1, 1), date(2040, 1, 1)))
        memberships.append(
            Membership(
                person,
                draw(st.sampled_from(Role)),
                joined=joined,
                left=left,
                reason=draw(st.none() | texts()) if left else None,
            )
        )
    count = draw(st.integers(0, 9))
    return Group(
        id=draw(_ids("g")),
        name=draw(texts()),
        timezone=draw(st.sampled_from(ZONES)),
        memberships=tuple(memberships),
        meetings=tuple(draw(meetings(n)) for n in range(1, count + 1)),
        themes=tuple(draw(st.lists(themes(), max_size=2, unique_by=lambda t: t.id))),
        ground_rules=tuple(draw(st.lists(texts(), max_size=3))),
        link=draw(st.none() | st.just("https://meet.example.org/") | texts()),
    )


@st.composite
def _any_programme(draw: st.DrawFn) -> Programme:
    organisations = draw(
        st.lists(
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
    )
    persons = draw(
        st.lists(people([o.id for o in organisations]), max_size=12, unique_by=lambda p: p.id)
    )
    person_ids = [p.id for p in persons]
    return Programme(
        id=draw(_ids("prog")),
        name=draw(texts()),
        organisations=tuple(organisations),
        people=tuple(persons),
        groups=tuple(draw(st.lists(groups(person_ids), max_size=3, unique_by=lambda g: g.id))),
        themes=tuple(draw(st.lists(themes(), max_size=2, unique_by=lambda t: t.id))),
    )


@st.composite
def _conforming_programme(draw: st.DrawFn, max_groups: int = 4) -> Programme:
    catalogue = sorted(default_catalogue().ids())
    n_groups = draw(st.integers(1, max_groups))
    tz = ZoneInfo("Europe/Helsinki")
    first_day = draw(st.dates(date(2014, 1, 1), date(2035, 1, 1)))
    organisations: list[Organisation] = []
    people_: list[Person] = []
    groups_: list[Group] = []
    for g in range(n_groups):
        members = []
        for k in range(draw(st.integers(5, 6))):
            org = Organisation(f"o-{g:02d}-{k}", draw(texts(1)), staff=draw(st.integers(1, 4)))
            organisations.append(org)
            person = Person(
                f"p-{g:02d}-{k}",
                draw(texts(1)),
                email=draw(st.none() | st.emails()),
                organisation=org.id,
            )
            people_.append(person)
            members.append(Membership(person.id))
        for role, letter in ((Role.FACILITATOR, "f"), (Role.OBSERVER, "o")):
            person = Person(f"{letter}-{g:02d}", draw(texts(1)))
            people_.append(person)
            members.append(Membership(person.id, role))
        hour = draw(st.integers(9, 16))
        gap = draw(st.integers(21, 42))
        minutes = draw(st.integers(90, 120))
        count = draw(st.integers(6, 8))
        start_day = first_day + timedelta(days=g)  # one group a day: no overlaps
        meetings_ = tuple(
            Meeting(
                n,
                datetime.combine(
                    start_day + timedelta(days=gap * (n - 1)), datetime.min.time(), tz
                ).replace(hour=hour),
                timedelta(minutes=minutes),
                themes=tuple(draw(st.lists(st.sampled_from(catalogue), max_size=2, unique=True))),
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


def programmes(*, conforming: bool = False, max_groups: int = 4) -> st.SearchStrategy[Programme]:
    """Programmes: any structurally valid one, or one that follows eMessi.

    Args:
        conforming: Generate programmes that validate without errors under
            the eMessi profile (5-6 peers from small, distinct workplaces, a
            facilitator and an observer each, 6-8 meetings 3-6 weeks apart,
            90-120 minutes, catalogue themes, no double bookings).
        max_groups: Most groups in a conforming programme.

    Example:
        >>> from emessi import validate
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=3, database=None)
        ... @given(programmes(conforming=True))
        ... def check(programme):
        ...     assert validate(programme).ok, validate(programme)
        >>> check()

    """
    if conforming:
        return _conforming_programme(max_groups)
    return _any_programme()
