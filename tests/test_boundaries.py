"""Issue 10: every wrong input is refused at the door, clearly, with a path.

Each failure listed in the issue is a regression test here.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import emessi
from emessi import (
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    Organisation,
    Person,
    Role,
    Theme,
    add_member,
    hold_meeting,
    validate,
)
from emessi.errors import (
    DocumentError,
    DomainError,
    EmessiError,
    UnknownMemberError,
    UnknownValueError,
    UsageError,
)

START = datetime(2014, 1, 14, 14, tzinfo=ZoneInfo("Europe/Helsinki"))


def test_a_role_given_as_its_value_becomes_the_member() -> None:
    """Membership("f-01", "facilitator") holds Role.FACILITATOR; validate and dumps work."""
    membership = Membership("f-01", "facilitator")  # type: ignore[arg-type]
    assert membership.role is Role.FACILITATOR
    group = Group("g-01", memberships=[membership])
    assert len(list(group.members(Role.FACILITATOR))) == 1
    assert "facilitator-count" not in {f.code for f in validate(group).errors}
    assert emessi.loads(emessi.dumps(group)) == group


def test_an_unknown_role_lists_the_allowed_values_without_echoing() -> None:
    """An unknown role is an UnknownValueError (a UsageError and a ValueError) at role."""
    with pytest.raises(UnknownValueError) as caught:
        Membership("f-01", "facilitater")  # type: ignore[arg-type]
    assert caught.value.path == "role"
    assert "'peer', 'facilitator', 'observer'" in caught.value.message
    assert "facilitater" not in str(caught.value)
    assert isinstance(caught.value, UsageError)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(UnknownValueError):
        Role("facilitater")


def test_a_misspelt_member_is_an_emessi_error_and_an_attribute_error() -> None:
    """Role.FACILITATER raises UnknownMemberError, which hasattr treats as absent."""
    with pytest.raises(UnknownMemberError) as caught:
        _ = Role.FACILITATER  # type: ignore[attr-defined]
    assert isinstance(caught.value, AttributeError)
    assert "FACILITATOR" in caught.value.message
    assert not hasattr(Role, "FACILITATER")
    assert getattr(MeetingStatus, "DONE", None) is None


def test_memberships_of_the_wrong_type_are_refused_with_the_index() -> None:
    """Group(memberships=["p-01"]) is a UsageError at memberships[0], not a later crash."""
    with pytest.raises(UsageError) as caught:
        Group("g-01", memberships=["p-01"])  # type: ignore[list-item]
    assert caught.value.path == "memberships[0]"
    with pytest.raises(UsageError) as caught:
        Group("g-01", memberships=[Membership("p-01"), 7])  # type: ignore[list-item]
    assert caught.value.path == "memberships[1]"


@pytest.mark.parametrize("bare", ["p-01", b"p-01"])
def test_a_bare_string_is_never_split_into_characters(bare: object) -> None:
    """memberships="p-01" is refused, never ('p', '-', '0', '1')."""
    with pytest.raises(UsageError) as caught:
        Group("g-01", memberships=bare)  # type: ignore[arg-type]
    assert caught.value.path == "memberships"
    with pytest.raises(UsageError):
        Person("p-01", "A", languages="fi")


def test_any_iterable_of_the_right_elements_is_accepted() -> None:
    """A generator or a list becomes the stored tuple."""
    group = Group("g-01", memberships=(Membership(f"p-0{i}") for i in range(3)))
    assert isinstance(group.memberships, tuple)
    assert len(group.memberships) == 3
    assert Theme("t", "T", dimensions=["vigour"]).dimensions == (emessi.Dimension.VIGOUR,)


def test_hold_meeting_refuses_a_bare_string_for_attendance() -> None:
    """hold_meeting(g, 1, attendance="p-01") is a UsageError, not "'p' was not a member"."""
    group = Group("g-01", memberships=[Membership("p-01")], meetings=[Meeting(1, START)])
    with pytest.raises(UsageError) as caught:
        hold_meeting(group, 1, attendance="p-01")
    assert caught.value.path == "attendance"
    assert hold_meeting(group, 1, attendance=["p-01"]).meeting(1).attendance == ("p-01",)


def test_function_arguments_are_checked_and_enums_converted() -> None:
    """Public functions check their parameters; an enum's value is welcome."""
    group = add_member(Group("g-01"), "f-01", "facilitator")  # type: ignore[arg-type]
    assert group.memberships[0].role is Role.FACILITATOR
    with pytest.raises(UsageError) as caught:
        hold_meeting(group, "1", attendance=[])  # type: ignore[arg-type]
    assert caught.value.path == "number"
    with pytest.raises(UsageError):
        hold_meeting(group, 1, attendance=[], unknown=True)  # type: ignore[call-arg]
    with pytest.raises(UsageError):
        hold_meeting(group)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: Organisation("o-01", "x", staff=10**5000), "staff"),
        (lambda: Organisation("o-01", "x", staff=10**9 + 1), "staff"),
        (lambda: Meeting(1, START, timedelta(minutes=4 * 10**9)), "duration"),
        (lambda: Meeting(1, START, timedelta(hours=25)), "duration"),
        (lambda: Meeting(1, datetime(2201, 1, 1, tzinfo=UTC)), "start"),
        (lambda: Meeting(1, datetime(1899, 12, 31, tzinfo=UTC)), "start"),
        (lambda: Meeting(10**10, START), "number"),
        (lambda: Membership("p-01", joined=date(2, 1, 1)), "joined"),
        (lambda: Person("p-01", "x" * 10_001), "name"),
        (lambda: Person("p-01", "bad \ud800 text"), "name"),
    ],
)
def test_values_out_of_the_domain_bounds_are_refused(make: object, path: str) -> None:
    """Bounds: years 1900-2200, meetings up to 24 h, counts up to 10**9, sane text."""
    with pytest.raises(DomainError) as caught:
        make()  # type: ignore[operator]
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: Organisation("o-01", "x", staff=True), "staff"),
        (lambda: Organisation("o-01", 5), "name"),
        (lambda: Membership("p-01", joined=datetime(2014, 1, 1, tzinfo=UTC)), "joined"),
        (lambda: Meeting(1, START, status=3), "status"),
        (lambda: Meeting(1, START, attendance="p-01"), "attendance"),
        (lambda: Meeting(1, START, agenda=[("Check-in", 10)]), "agenda[0]"),
    ],
)
def test_wrong_types_are_usage_errors_with_the_path(make: object, path: str) -> None:
    """A wrong type is a UsageError naming the field, never the value."""
    with pytest.raises(UsageError) as caught:
        make()  # type: ignore[operator]
    assert caught.value.path == path


def test_a_huge_meeting_document_is_refused_at_once() -> None:
    """A meeting of 4e9 minutes no longer loads (it made iCalendar export take 7 s)."""
    text = (
        '{"format": "emessi/meeting", "number": 1, '
        '"start": "2014-01-14T14:00:00+02:00[Europe/Helsinki]", "duration": 4000000000}'
    )
    with pytest.raises(DocumentError) as caught:
        emessi.loads(text)
    assert [p.path for p in caught.value.problems] == ["$.duration"]


def test_every_check_error_is_an_emessi_error() -> None:
    """The new errors sit in the one hierarchy."""
    for kind in (UnknownValueError, UnknownMemberError):
        assert issubclass(kind, EmessiError)


# -- third-party errors at the public boundary (issue 10) ---------------------


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        'name = "x"\nextends = "emessi"\npeers = { preferred = [' + "9" * 5000 + ", 6] }\n",
    ],
    ids=["deep", "5000 digits"],
)
def test_load_profile_wraps_recursion_and_huge_numbers(tmp_path: Path, text: str) -> None:
    """Deeply nested or 5,000-digit TOML is a DocumentError, not RecursionError/ValueError."""
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        emessi.load_profile(path)
    assert caught.value.__cause__ is None
    assert "9999" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("id,name,organisation,staff\na-1,A,o-1,²\n", "rows[2].staff"),
        ("id,name,organisation,staff\na-1,A,o-1," + "9" * 5000 + "\n", "rows[2].staff"),
        ("id,name,organisation,staff\na-1," + "A" * 200_000 + ",o-1,3\n", "rows[2]"),
    ],
    ids=["superscript", "5000 digits", "200,000 characters"],
)
def test_read_applicants_wraps_csv_and_int_errors(text: str, path: str) -> None:
    """², a 5,000-digit count or a 200,000-character cell are DocumentErrors with the row."""
    with pytest.raises(DocumentError) as caught:
        emessi.read_applicants(io.StringIO(text))
    assert [p.path for p in caught.value.problems] == [path]
    assert "AAAA" not in str(caught.value)


def test_read_applicants_reads_bare_cr_line_ends() -> None:
    """A spreadsheet saved with bare CR line ends reads like any other."""
    applicants = emessi.read_applicants(io.StringIO("id,name\ra-1,A\ra-2,B\r"))
    assert [a.person.id for a in applicants] == ["a-1", "a-2"]


@pytest.mark.parametrize("source", [io.BytesIO(b"id,name\n"), 5, None])
def test_read_applicants_refuses_a_binary_handle_or_a_number(source: object) -> None:
    """Not a path or a text handle: a UsageError, not TypeError/AttributeError."""
    with pytest.raises(UsageError):
        emessi.read_applicants(source)  # type: ignore[arg-type]


def test_an_unhashable_time_zone_is_an_emessi_error() -> None:
    """Found by the fuzz suite: a list as a time zone raised TypeError from the cache."""
    with pytest.raises(EmessiError) as caught:
        Group("g-01", timezone=[])  # type: ignore[arg-type]
    assert caught.value.path == "timezone"


def test_can_refuses_an_unknown_action_string() -> None:
    """can() with an unknown action (or no actor) is a UsageError, not ValueError."""
    from emessi.research import can

    with pytest.raises(UsageError):
        can(None, "fly", None)  # type: ignore[arg-type]


def test_plan_schedule_with_until_at_the_end_of_time() -> None:
    """UNTIL=99991231T235959Z plans within the horizon instead of OverflowError."""
    from emessi import plan_schedule

    start = datetime(2014, 1, 14, 14, tzinfo=UTC)
    plan = plan_schedule(start, "FREQ=MONTHLY;UNTIL=99991231T235959Z", count=8)
    assert len(plan.meetings) == 8


@pytest.mark.parametrize(
    ("source", "error"),
    [
        (
            io.StringIO("person,weekday,time,answer\np-1,tue,14:00," + "x" * 200_000 + "\n"),
            "DocumentError",
        ),
        (io.BytesIO(b"person,weekday,time,answer\n"), "UsageError"),
        (5, "UsageError"),
        ("a\x00b.csv", "EmessiError"),
    ],
)
def test_read_availability_refuses_what_read_applicants_refuses(source: object, error: str) -> None:
    """The availability reader shares the applicants reader's care: no raw csv/Type/Value error."""
    from emessi.scheduling.availability import read_availability

    with pytest.raises(EmessiError) as caught:
        read_availability(source)  # type: ignore[arg-type]
    assert error in {kind.__name__ for kind in type(caught.value).__mro__}
    assert "x" * 50 not in str(caught.value)


def test_read_availability_reads_bare_cr_line_ends() -> None:
    """A spreadsheet saved with bare CR line ends reads like any other."""
    from emessi.scheduling.availability import read_availability

    poll = read_availability(io.StringIO("person,weekday,time,answer\rp-1,tue,14:00,yes\r"))
    assert len(poll.slots) == 1


@pytest.mark.parametrize(
    "name", ["a\nb.json", "x\r\n[INFO] forged.json", "\x1b[31mred.json", "kohortti\u202e.json"]
)
def test_a_hostile_file_name_cannot_forge_a_message_line(tmp_path: Path, name: str) -> None:
    """A file name the caller gave is shown escaped: no raw CR, LF, ESC or bidi override."""
    for call in (
        lambda: emessi.load(tmp_path / name),
        lambda: emessi.dump(Group("g-01"), tmp_path / "missing" / name),
        lambda: emessi.load_profile(tmp_path / f"{name}.toml"),
    ):
        with pytest.raises(EmessiError) as caught:
            call()
        text = str(caught.value)
        first = text.splitlines()[0]
        assert not any(c in first for c in "\r\x1b\u202e"), first
        assert not any(line.startswith("[INFO]") for line in text.splitlines()), text
        assert caught.value.path.isprintable()
        assert getattr(caught.value, "source", "").isprintable()


def test_printable_keeps_ordinary_text() -> None:
    from emessi.errors import printable

    assert printable("päivä-2014 ö.json") == "päivä-2014 ö.json"
    assert printable("a\tb") == "a\\tb"
    assert printable("\ud800") == "\\ud800"


def test_a_mapping_whose_items_fail_is_a_usage_error() -> None:
    """A caller's Mapping whose items() raises: a UsageError at the field, no leaked cause."""
    from collections.abc import Iterator, Mapping

    import attrs

    from emessi import get_profile

    class Broken(Mapping[str, str]):
        def __getitem__(self, key: str) -> str:
            raise KeyError(key)

        def __iter__(self) -> Iterator[str]:
            raise RuntimeError("Aino Virtanen")

        def __len__(self) -> int:
            return 1

        def items(self) -> Any:
            raise RuntimeError("Aino Virtanen")

    with pytest.raises(UsageError) as caught:
        attrs.evolve(get_profile(), severities=Broken())
    assert caught.value.path == "severities"
    assert "Aino" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
