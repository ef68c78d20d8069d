"""The model: people, organisations, groups, meetings, programmes and themes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import (
    DomainError,
    NaiveDatetimeError,
    NotAMeetingError,
    UnknownReferenceError,
    UnknownTimeZoneError,
    UsageError,
)
from emessi.model import (
    NGO_TAGS,
    AgendaItem,
    ChangeKind,
    Dimension,
    Group,
    Meeting,
    MeetingChange,
    MeetingStatus,
    Membership,
    Organisation,
    Person,
    Programme,
    Role,
    Theme,
)
from emessi.testing import aware_datetimes, meetings

HELSINKI = ZoneInfo("Europe/Helsinki")
START = datetime(2014, 1, 14, 14, 0, tzinfo=HELSINKI)


def test_roles_and_their_finnish_terms() -> None:
    """The three roles of the method, with the guide's Finnish terms."""
    assert [r.value for r in Role] == ["peer", "facilitator", "observer"]
    assert Role.FACILITATOR.finnish == "fasilitaattori"
    assert Role.OBSERVER.finnish == "havainnoija ja tekninen tuki"
    assert Role("peer") is Role.PEER


def test_dimensions_cite_manka_and_hakanen() -> None:
    """Four dimensions from Manka 2008, three of work engagement from Hakanen 2005."""
    sources = {d: d.source for d in Dimension}
    assert sum(s == "Manka 2008" for s in sources.values()) == 4
    assert {d for d, s in sources.items() if s == "Hakanen 2005"} == {
        Dimension.VIGOUR,
        Dimension.DEDICATION,
        Dimension.ABSORPTION,
    }
    assert all(d.finnish for d in Dimension)
    assert NGO_TAGS == ("independence", "volunteers", "value-base")


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        *((text, DomainError) for text in ["", "has space", "-leading", "x" * 65, "ä", "a/b"]),
        (7, UsageError),
        (None, UsageError),
    ],
)
def test_ids_are_short_safe_tokens(bad: object, error: type[Exception]) -> None:
    """A text id that is not 1-64 letters, digits and ._:- is a DomainError at the id.

    Something that is not text at all is a wrong type: a UsageError.
    """
    with pytest.raises(error) as caught:
        Person(bad, "A")  # type: ignore[arg-type]
    assert caught.value.path == "id"
    for make in (
        lambda: Group(bad),  # type: ignore[arg-type]
        lambda: Organisation(bad, "O"),  # type: ignore[arg-type]
        lambda: Membership(bad),  # type: ignore[arg-type]
        lambda: Programme(bad),  # type: ignore[arg-type]
        lambda: Theme(bad, "T"),  # type: ignore[arg-type]
    ):
        with pytest.raises(error):
            make()


@pytest.mark.parametrize("good", ["g-01", "a", "A.b_c:d-1", "9" * 64])
def test_good_ids(good: str) -> None:
    """Letters, digits and ._:- up to 64 characters are ids."""
    assert Group(good).id == good


def test_naive_datetime_is_refused() -> None:
    """A meeting's start needs a time zone: NaiveDatetimeError at start."""
    with pytest.raises(NaiveDatetimeError) as caught:
        Meeting(1, datetime(2014, 1, 14, 14, 0))
    assert caught.value.path == "start"
    with pytest.raises(NaiveDatetimeError):
        MeetingChange(ChangeKind.RESCHEDULED, previous_start=datetime(2014, 1, 14))
    with pytest.raises(UsageError):
        Meeting(1, date(2014, 1, 14))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "", " Europe/Helsinki", "../etc/passwd", "x" * 300]
)
def test_unknown_zone_is_refused(name: str) -> None:
    """A group's time zone must be an IANA name: UnknownTimeZoneError at timezone."""
    with pytest.raises(UnknownTimeZoneError) as caught:
        Group("g-01", timezone=name)
    assert caught.value.path == "timezone"
    assert isinstance(caught.value, LookupError)


@pytest.mark.parametrize(
    "duration",
    [timedelta(0), timedelta(minutes=-30), timedelta(seconds=90), timedelta(hours=24, minutes=1)],
)
def test_bad_durations(duration: object) -> None:
    """A duration is a positive whole number of minutes, at most 24 hours."""
    with pytest.raises(DomainError) as caught:
        Meeting(1, START, duration)  # type: ignore[arg-type]
    assert caught.value.path == "duration"


def test_a_duration_that_is_not_a_timedelta_is_a_usage_error() -> None:
    """Minutes as a bare int are a wrong type: UsageError at duration."""
    with pytest.raises(UsageError) as caught:
        Meeting(1, START, 90)  # type: ignore[arg-type]
    assert caught.value.path == "duration"


@pytest.mark.parametrize(
    ("start", "minutes", "path"),
    [
        (datetime(9999, 12, 31, 23, tzinfo=UTC), 600, "start"),
        (datetime(2201, 1, 1, tzinfo=UTC), 60, "start"),
        (datetime(1, 1, 1, 1, tzinfo=timezone(timedelta(hours=5))), 60, "start"),
        (datetime(1899, 12, 31, 12, tzinfo=UTC), 60, "start"),
        (datetime(2014, 1, 1, tzinfo=UTC), 10**10, "duration"),
    ],
)
def test_meeting_must_lie_in_the_domain_bounds(start: datetime, minutes: int, path: str) -> None:
    """A meeting starts in the years 1900-2200 and lasts at most 24 h (issue 10)."""
    with pytest.raises(DomainError) as caught:
        Meeting(1, start, timedelta(minutes=minutes))
    assert caught.value.path == path


@given(meetings(), st.sampled_from(["Pacific/Kiritimati", "Etc/GMT+12", "Europe/Helsinki"]))
def test_any_meeting_converts_to_any_zone(meeting: Meeting, name: str) -> None:
    """Every meeting the model accepts has a start and end in any zone."""
    zone = ZoneInfo(name)
    assert meeting.start.astimezone(zone) <= meeting.end.astimezone(zone)


def test_meeting_end_across_a_dst_change() -> None:
    """A meeting lasts its duration in elapsed time, even across the spring DST change."""
    # Finland moves from +02:00 to +03:00 at 03:00 local on 2014-03-30.
    meeting = Meeting(1, datetime(2014, 3, 30, 2, 30, tzinfo=HELSINKI), timedelta(minutes=90))
    assert meeting.end.isoformat() == "2014-03-30T05:00:00+03:00"
    # same-zone subtraction is wall-clock time in Python; compare in UTC
    assert meeting.end.astimezone(UTC) - meeting.start.astimezone(UTC) == timedelta(minutes=90)


def test_meeting_defaults_and_attendance_as_a_set() -> None:
    """Meetings default to 90 minutes, planned; attendance is sorted and without repeats."""
    meeting = Meeting(1, START, attendance=["p-02", "p-01", "p-02"])
    assert meeting.duration == timedelta(minutes=90)
    assert meeting.status is MeetingStatus.PLANNED
    assert meeting.attendance == ("p-01", "p-02")
    assert meeting.active
    assert not attrs.evolve(meeting, status=MeetingStatus.CANCELLED).active
    assert Meeting(1, START, attendance=["p-02", "p-01"]) == Meeting(
        1, START, attendance=["p-01", "p-02"]
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: Meeting(0, START),
        lambda: Meeting(1, START, sequence=-1),
        lambda: AgendaItem("Round", 0),
        lambda: Organisation("o-01", "O", staff=0),
    ],
)
def test_counts_have_lower_bounds(make: object) -> None:
    """Meeting numbers, agenda minutes and staff start at 1; sequences at 0."""
    with pytest.raises(DomainError):
        make()  # type: ignore[operator]


def test_values_are_frozen() -> None:
    """Domain objects cannot be changed in place; attrs.evolve makes a new one."""
    group = Group("g-01")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        group.name = "x"  # type: ignore[misc]
    assert attrs.evolve(group, name="x").name == "x"
    assert group.name == ""


def test_membership_active_on() -> None:
    """A member is active from the day they join until the day before they leave."""
    m = Membership("p-01", joined=date(2014, 1, 1), left=date(2014, 3, 1))
    assert not m.active_on(date(2013, 12, 31))
    assert m.active_on(date(2014, 1, 1))
    assert m.active_on(date(2014, 2, 28))
    assert not m.active_on(date(2014, 3, 1))
    assert Membership("p-01").active_on(date(1900, 1, 1))


def test_group_members_by_role_and_day() -> None:
    """members() filters by role and by the day; without a day, those who have not left."""
    group = Group(
        "g-01",
        memberships=[
            Membership("p-01"),
            Membership("p-02", left=date(2014, 2, 1)),
            Membership("p-03", joined=date(2014, 3, 1)),
            Membership("f-01", Role.FACILITATOR),
        ],
    )
    assert [m.person for m in group.members(Role.PEER)] == ["p-01", "p-03"]
    assert [m.person for m in group.members(on=date(2014, 1, 15))] == ["p-01", "p-02", "f-01"]
    assert [m.person for m in group.members(Role.FACILITATOR)] == ["f-01"]


def test_group_meeting_lookup() -> None:
    """meeting(n) finds a meeting by number; an unknown number is a NotAMeetingError."""
    group = Group("g-01", meetings=[Meeting(2, START)])
    assert group.meeting(2).number == 2
    with pytest.raises(NotAMeetingError) as caught:
        group.meeting(1)
    assert isinstance(caught.value, LookupError)
    assert caught.value.path == "meetings"


def test_programme_lookups() -> None:
    """group(), person() and replace_group() refuse unknown ids with UnknownReferenceError."""
    programme = Programme("p", people=[Person("p-01", "A")], groups=[Group("g-01")])
    assert programme.person("p-01").id == "p-01"
    assert programme.profile == "emessi"
    with pytest.raises(UnknownReferenceError):
        programme.person("p-02")
    with pytest.raises(UnknownReferenceError):
        programme.group("g-02")
    with pytest.raises(UnknownReferenceError):
        programme.replace_group(Group("g-02"))
    replaced = programme.replace_group(Group("g-01", name="new"))
    assert replaced.group("g-01").name == "new"
    assert programme.group("g-01").name == ""


def test_theme_title_falls_back_to_english() -> None:
    """A theme without a Finnish title shows the English one."""
    assert Theme("t", "Title").title("fi") == "Title"
    assert Theme("t", "Title", "Otsikko").title("fi") == "Otsikko"
    assert Theme("t", "Title", "Otsikko").title("en") == "Title"


@given(aware_datetimes())
def test_aware_datetimes_make_meetings(moment: datetime) -> None:
    """Any aware datetime of the strategy is a valid meeting start."""
    assert Meeting(1, moment).start == moment
