"""iCalendar export: instants across DST, VTIMEZONE onsets, UIDs, privacy, files."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
from dateutil.rrule import rrulestr

from emessi import Group, Meeting, Membership, Person, Programme, Role
from emessi.errors import MissingDependencyError, NaiveDatetimeError, UsageError
from emessi.io.ical import dump_ical, dumps_ical, meeting_uid
from emessi.scheduling import (
    apply_plan,
    cancel_planned_meeting,
    plan_schedule,
    reschedule_meeting,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def _eu_transitions(first: int, last: int) -> list[datetime]:
    """EU summer time: last Sundays of March and October at 01:00 UTC (an independent oracle)."""
    found = []
    for year in range(first, last + 1):
        for month in (3, 10):
            day = date(year, month, 31)
            day -= timedelta(days=(day.weekday() - 6) % 7)
            found.append(datetime(year, month, day.day, 1, tzinfo=UTC))
    return found


def _dst_group() -> Group:
    """Meetings at and around every Helsinki transition 2020-2035, as instants."""
    meetings = []
    for change in _eu_transitions(2020, 2035):
        for minutes in (-90, -61, -30, 0, 30, 59, 60, 24 * 60):
            meetings.append(change + timedelta(minutes=minutes))
    return Group(
        "g-dst",
        "DST",
        meetings=[
            Meeting(n, start.astimezone(HELSINKI), timedelta(minutes=90))
            for n, start in enumerate(meetings, 1)
        ],
    )


def _parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def test_exported_instants_equal_the_meetings_across_every_dst_change() -> None:
    """Every start and end, re-read with the TZID or with the VTIMEZONE, is the same UTC instant."""
    group = _dst_group()
    calendar = _parse(dumps_ical(group))
    own_zone = calendar.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    events = {int(str(e["UID"]).split("/")[-1].split("@")[0]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(group.meetings) == 32 * 8
    for meeting in group.meetings:
        event = events[meeting.number]
        for name, expected in (("DTSTART", meeting.start), ("DTEND", meeting.end)):
            value = event[name].dt
            assert value.astimezone(UTC) == expected.astimezone(UTC)
            if "TZID" in event[name].params:
                assert event[name].params["TZID"] == "Europe/Helsinki"
                by_vtimezone = value.replace(tzinfo=None).replace(tzinfo=own_zone)
                assert by_vtimezone.astimezone(UTC) == expected.astimezone(UTC)


def test_planned_meetings_keep_local_time_after_the_round_trip() -> None:
    """Meetings planned at 14:00 across the transitions read back at 14:00 local."""
    for change in _eu_transitions(2020, 2035)[::4]:
        plan = plan_schedule(change.date() - timedelta(days=60), "every 4 weeks on Sunday at 14:00")
        calendar = _parse(dumps_ical(apply_plan(Group("g-01"), plan)))
        for event in calendar.walk("VEVENT"):
            assert event["DTSTART"].dt.strftime("%H:%M") == "14:00"
            assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"


def _onsets(component: Any, until_year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """Every onset of a STANDARD/DAYLIGHT component, as a UTC instant with its offsets.

    RFC 5545: DTSTART, RDATE and RRULE give onsets as local time on the
    offset before the change (TZOFFSETFROM); UNTIL is in UTC.
    """
    start = component["DTSTART"].dt
    before, after = component["TZOFFSETFROM"].td, component["TZOFFSETTO"].td
    local = [start]
    rdates = component.get("RDATE", [])
    for rdate in rdates if isinstance(rdates, list) else [rdates]:
        local += [p.dt for p in rdate.dts]
    if "RRULE" in component:
        parts = component["RRULE"].to_ical().decode().split(";")
        until = component["RRULE"].get("UNTIL")
        limit = until[0] if until else datetime(until_year, 12, 31, tzinfo=UTC)
        text = ";".join(p for p in parts if not p.startswith("UNTIL="))
        for onset in rrulestr(text, dtstart=start):
            if (onset - before).replace(tzinfo=UTC) > limit:
                break
            local.append(onset)
    return [((m - before).replace(tzinfo=UTC), before, after, component.name) for m in local]


@pytest.mark.parametrize(
    "zone", ["Europe/Helsinki", "America/New_York", "Australia/Lord_Howe", "Europe/Dublin"]
)
def test_vtimezone_onsets_match_zoneinfo_exactly(zone: str) -> None:
    """Each VTIMEZONE onset is a zoneinfo transition to the second, with its offsets and kind."""
    tz = ZoneInfo(zone)
    meetings = [
        Meeting(n, datetime(2020 + n // 12, n % 12 + 1, 10, 12, tzinfo=tz))
        for n in range(1, 16 * 12)
    ]
    calendar = _parse(dumps_ical(Group("g-01", timezone=zone, meetings=meetings)))
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == zone
    onsets = []
    for component in vtimezone.subcomponents:
        onsets += _onsets(component, 2037)
    changes = [o for o in onsets if o[1] != o[2]]
    for moment, before, after, kind in changes:
        assert (moment - timedelta(seconds=1)).astimezone(tz).utcoffset() == before
        assert moment.astimezone(tz).utcoffset() == after
        assert (kind == "DAYLIGHT") == bool(moment.astimezone(tz).dst())
    # Complete: every day on which the offset changes has an onset.
    seen = {m for m, *_ in changes}
    day = datetime(2020, 1, 1, tzinfo=UTC)
    while day < datetime(2036, 1, 1, tzinfo=UTC):
        following = day + timedelta(days=1)
        if day.astimezone(tz).utcoffset() != following.astimezone(tz).utcoffset():
            assert any(day < m <= following for m in seen), day
        day = following


def test_helsinki_onsets_are_the_eu_rule_not_an_hour_off() -> None:
    """DAYLIGHT starts 03:00 local (+02:00) and STANDARD 04:00 local (+03:00), 2020-2035."""
    group = _dst_group()
    [vtimezone] = _parse(dumps_ical(group)).walk("VTIMEZONE")
    onsets = []
    for component in vtimezone.subcomponents:
        onsets += [o for o in _onsets(component, 2036) if o[1] != o[2]]
    instants = sorted(m for m, *_ in onsets if 2020 <= m.year <= 2035)
    assert instants == _eu_transitions(2020, 2035)
    daylight = [c for c in vtimezone.subcomponents if c.name == "DAYLIGHT"]
    standard = [c for c in vtimezone.subcomponents if c.name == "STANDARD" and "RRULE" in c]
    assert [c["DTSTART"].dt.time().hour for c in daylight] == [3]
    assert [c["DTSTART"].dt.time().hour for c in standard] == [4]


def test_zone_without_dst_gets_one_standard_observance() -> None:
    """Asia/Kolkata has a single STANDARD component at +05:30."""
    meeting = Meeting(1, datetime(2025, 3, 3, 10, tzinfo=ZoneInfo("Asia/Kolkata")))
    [vtimezone] = _parse(dumps_ical(Group("g", timezone="Asia/Kolkata", meetings=[meeting]))).walk(
        "VTIMEZONE"
    )
    assert [c.name for c in vtimezone.subcomponents] == ["STANDARD"]
    assert vtimezone.subcomponents[0]["TZOFFSETTO"].td == timedelta(hours=5, minutes=30)


def test_a_programme_has_one_vtimezone_per_zone_used() -> None:
    """Two zones, two VTIMEZONEs; every TZID used has one."""
    plan_fi = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00")
    plan_se = plan_schedule(
        date(2025, 9, 1), "second Tuesday of each month at 14:00", timezone="Europe/Stockholm"
    )
    programme = Programme(
        "cohort",
        groups=[
            apply_plan(Group("g-01"), plan_fi),
            apply_plan(Group("g-02", timezone="Europe/Stockholm"), plan_se),
            apply_plan(Group("g-03"), plan_fi),
        ],
    )
    calendar = _parse(dumps_ical(programme))
    zones = sorted(str(z["TZID"]) for z in calendar.walk("VTIMEZONE"))
    used = sorted({str(e["DTSTART"].params["TZID"]) for e in calendar.walk("VEVENT")})
    assert zones == used == ["Europe/Helsinki", "Europe/Stockholm"]
    assert len(calendar.walk("VEVENT")) == 24


def _people_group() -> tuple[Group, list[Person]]:
    plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00", series="s-1")
    group = Group(
        "g-01",
        "Helsinki peers",
        memberships=[Membership("p-01"), Membership("p-02"), Membership("f-01", Role.FACILITATOR)],
        link="https://meet.example.org/g-01",
    )
    people = [
        Person("p-01", "Aino Virtanen", email="aino@example.org"),
        Person("p-02", "Bertil Lindqvist"),
        Person("f-01", "Celia Korhonen", email="celia@example.org"),
    ]
    group = apply_plan(group, plan)
    first = attrs.evolve(
        group.meetings[0],
        themes=("change", "our-own-theme"),
        notes="Aino was worried about her workload",
    )
    return attrs.evolve(group, meetings=(first, *group.meetings[1:])), people


def test_no_personal_data_without_opt_in() -> None:
    """Without attendees=True there are no ATTENDEE lines, names, e-mails or notes."""
    group, people = _people_group()
    text = dumps_ical(group, people=people)
    assert "ATTENDEE" not in text
    for secret in ("Aino", "Bertil", "Celia", "aino@", "celia@", "workload"):
        assert secret not in text
    assert "SUMMARY:Helsinki peers: eMessi meeting 1" in text


def test_attendee_emails_only_with_opt_in() -> None:
    """attendees=True adds mailto: lines for members with an e-mail, still no names."""
    group, people = _people_group()
    calendar = _parse(dumps_ical(group, attendees=True, people=people))
    first = calendar.walk("VEVENT")[0]
    attendees = first.get("ATTENDEE")
    assert sorted(str(a) for a in attendees) == [
        "mailto:aino@example.org",
        "mailto:celia@example.org",
    ]
    roles = {str(a): a.params["ROLE"] for a in attendees}
    assert roles["mailto:celia@example.org"] == "CHAIR"
    text = calendar.to_ical().decode()
    assert "Aino" not in text
    assert "Korhonen" not in text


def test_themes_and_link_are_in_the_event() -> None:
    """Theme titles go to DESCRIPTION; the link to LOCATION and URL."""
    group, _ = _people_group()
    first = _parse(dumps_ical(group)).walk("VEVENT")[0]
    assert str(first["DESCRIPTION"]) == (
        "Themes: Changes in the organisation and its environment, our-own-theme"
    )
    assert str(first["URL"]) == "https://meet.example.org/g-01"
    assert str(first["LOCATION"]) == "https://meet.example.org/g-01"
    finnish = _parse(dumps_ical(group, lang="fi")).walk("VEVENT")[0]
    assert str(finnish["SUMMARY"]) == "Helsinki peers: eMessi-tapaaminen 1"
    assert str(finnish["DESCRIPTION"]).startswith("Teemat: Muutokset organisaatiossa")
    assert "URL" not in _parse(dumps_ical(group, link=False)).walk("VEVENT")[0]


def test_uids_are_stable_and_changes_raise_sequence() -> None:
    """Rescheduling keeps the UID and raises SEQUENCE; cancelling gives STATUS:CANCELLED."""
    group, _ = _people_group()
    before = {
        str(e["UID"]): e for e in _parse(dumps_ical(group, programme="emessi2")).walk("VEVENT")
    }
    moved = reschedule_meeting(group, 2, group.meeting(2).start + timedelta(days=2)).group
    cancelled = cancel_planned_meeting(moved, 3).group
    after = {
        str(e["UID"]): e for e in _parse(dumps_ical(cancelled, programme="emessi2")).walk("VEVENT")
    }
    assert set(before) == set(after)
    uid2 = meeting_uid(group, group.meeting(2), "emessi2")
    uid3 = meeting_uid(group, group.meeting(3), "emessi2")
    assert uid2 == "emessi2/g-01/s-1/2@emessi"
    assert int(after[uid2]["SEQUENCE"]) == 1
    assert str(after[uid3]["STATUS"]) == "CANCELLED"
    assert int(after[uid3]["SEQUENCE"]) == 1
    assert str(after[uid2]["STATUS"]) == "CONFIRMED"


def test_group_and_programme_exports_share_uids() -> None:
    """A group exported alone with programme= has the UIDs it has in the programme export."""
    group, _ = _people_group()
    alone = {str(e["UID"]) for e in _parse(dumps_ical(group, programme="cohort")).walk("VEVENT")}
    within = {
        str(e["UID"])
        for e in _parse(dumps_ical(Programme("cohort", groups=[group]))).walk("VEVENT")
    }
    assert alone == within


def test_output_is_deterministic_unless_a_stamp_is_given() -> None:
    """The same input gives the same text; a given stamp becomes every DTSTAMP."""
    group, _ = _people_group()
    assert dumps_ical(group) == dumps_ical(group)
    stamp = datetime(2025, 8, 1, 12, tzinfo=UTC)
    stamped = _parse(dumps_ical(group, stamp=stamp))
    assert {e["DTSTAMP"].dt for e in stamped.walk("VEVENT")} == {stamp}
    with pytest.raises(NaiveDatetimeError):
        dumps_ical(group, stamp=datetime(2025, 8, 1))


def test_bad_subjects_and_languages_are_usage_errors() -> None:
    """Only groups and programmes export; languages are en, fi and sv."""
    with pytest.raises(UsageError):
        dumps_ical("g-01")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        dumps_ical(Group("g-01"), lang="de")


def test_dump_ical_writes_the_same_text(tmp_path: Path) -> None:
    """dump_ical writes exactly dumps_ical's text and leaves no temporary file."""
    group, _ = _people_group()
    target = dump_ical(group, tmp_path / "g-01.ics", programme="cohort")
    assert target.read_bytes() == dumps_ical(group, programme="cohort").encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["g-01.ics"]


def test_missing_icalendar_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without icalendar the export raises MissingDependencyError for the ical extra."""
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(MissingDependencyError, match=r"emessi\[ical\]"):
        dumps_ical(Group("g-01"))
