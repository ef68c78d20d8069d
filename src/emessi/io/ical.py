r"""iCalendar (RFC 5545) export of a group's or a programme's meetings.

Built with the ``icalendar`` package (the ``ical`` extra). Each meeting is
one VEVENT with a UID made of ids only (programme, group, series, meeting
number), so a re-export updates the same events in a calendar client;
``SEQUENCE`` is the meeting's ``sequence``, raised on every change, and a
cancelled meeting is ``STATUS:CANCELLED``.

The VTIMEZONE of each zone is built here from :mod:`zoneinfo`'s own
transitions rather than by ``icalendar``: its generated VTIMEZONEs have
been seen to put a DAYLIGHT onset an hour late (RFC 5545 gives an onset as
local time on the offset *before* the change, e.g. 03:00 in
Europe/Helsinki on the last Sunday of March).

Every text is checked by emessi before ``icalendar`` sees it, so that no
text can forge a line of the file, whatever ``python -O`` does to the
package's own ``assert``: the calendar name, group names, theme and agenda
titles and the meeting link are single-line fields, and a line break, a
control character or a lone surrogate in any of them is *refused* with an
:class:`~emessi.errors.UnsafeTextError` that names the field, never the
text (nothing is silently replaced). An attendee's e-mail must also be a
plain ``name@domain`` address. Text values are then escaped as RFC 5545
TEXT (``,``, ``;`` and ``\``); the only line breaks in a description are
emessi's own, escaped as ``\n``. No CATEGORIES are written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from os import PathLike
from pathlib import Path
from typing import Any

from emessi._atomic import write_atomic
from emessi._i18n import N_, _, check_language, translation
from emessi._text import single_line, single_line_email
from emessi.errors import (
    DomainError,
    MissingDependencyError,
    NaiveDatetimeError,
    UsageError,
)
from emessi.method.themes import ThemeCatalogue, default_catalogue
from emessi.model._checks import _ID, zone
from emessi.model._strict import check_for, checked, read_all
from emessi.model.groups import Group
from emessi.model.meetings import Meeting, MeetingStatus
from emessi.model.people import Person, Role
from emessi.model.programme import Programme
from emessi.scheduling._zones import Transition, transitions

__all__ = ["dump_ical", "dumps_ical", "meeting_uid"]

PRODID = "-//emessi//eMessi peer mentoring//EN"
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_TEXT = check_for(str)
_PERSON = check_for(Person)


def _icalendar() -> Any:
    try:
        import icalendar
    except ImportError:
        raise MissingDependencyError(
            "icalendar", extra="ical", feature=N_("iCalendar export")
        ) from None
    return icalendar


@checked
def meeting_uid(group: Group, meeting: Meeting, programme: str | None = None) -> str:
    """The stable iCalendar UID of *meeting*: ids only, never names.

    ``<programme>/<group>/<series>/<number>@emessi``, with ``_`` for a
    missing programme or series (an id never is ``_``). Moving or
    cancelling the meeting keeps it.

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi import Group, Meeting
        >>> meeting = Meeting(3, datetime(2025, 1, 14, 12, tzinfo=timezone.utc), series="s-1")
        >>> meeting_uid(Group("g-01"), meeting, "emessi2")
        'emessi2/g-01/s-1/3@emessi'

    .. versionadded:: 0.1.0

    """
    return f"{programme or '_'}/{group.id}/{meeting.series or '_'}/{meeting.number}@emessi"


# -- VTIMEZONE from zoneinfo ---------------------------------------------------


def _yearly_rule(changes: Sequence[Transition]) -> tuple[int, str] | None:
    """``(month, BYDAY)`` when *changes* recur yearly on one weekday rule."""
    onsets = [c.local_before for c in changes]
    first = onsets[0]
    if len(onsets) < 2 or any(
        o.year != first.year + i
        or (o.month, o.time(), o.weekday()) != (first.month, first.time(), first.weekday())
        for i, o in enumerate(onsets)
    ):
        return None
    weekday = _BYDAY[first.weekday()]

    def is_last(day: datetime) -> bool:
        return (day + timedelta(days=7)).month != day.month

    if all(is_last(o) for o in onsets):
        return first.month, f"-1{weekday}"
    nth = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(nth) == 1:
        return first.month, f"{nth.pop()}{weekday}"
    return None


def _vtimezone(ical: Any, zone_name: str, first_year: int, last_year: int) -> Any:
    tz = zone(zone_name)
    component = ical.Timezone()
    component.add("tzid", zone_name)
    # The observance in force at the start of the range, then every change.
    begin = datetime(first_year - 1, 1, 1)
    offset = begin.replace(tzinfo=tz).utcoffset() or timedelta(0)
    initial = Transition(
        begin.replace(tzinfo=UTC) - offset,
        offset,
        offset,
        bool(begin.replace(tzinfo=tz).dst()),
        begin.replace(tzinfo=tz).tzname() or "",
    )
    changes = transitions(zone_name, first_year - 1, last_year + 1)
    groups: dict[tuple[bool, timedelta, timedelta, str], list[Transition]] = {}
    for change in (initial, *changes):
        key = (change.dst, change.offset_before, change.offset_after, change.name)
        groups.setdefault(key, []).append(change)
    for (dst, before, after, name), members in sorted(
        groups.items(), key=lambda item: item[1][0].at
    ):
        observance = ical.TimezoneDaylight() if dst else ical.TimezoneStandard()
        observance.add("dtstart", members[0].local_before)
        observance.add("tzoffsetfrom", before)
        observance.add("tzoffsetto", after)
        if name:
            observance.add("tzname", name)
        rule = _yearly_rule(members)
        if rule is not None:
            parts: dict[str, Any] = {"freq": "yearly", "bymonth": rule[0], "byday": rule[1]}
            if members[-1].at.year <= last_year:
                # A rule that stopped inside the range ends; the current
                # rules are left open, as zoneinfo continues them.
                parts["until"] = members[-1].at
            observance.add("rrule", parts)
        elif len(members) > 1:
            observance.add("rdate", [m.local_before for m in members[1:]])
        component.add_component(observance)
    return component


# -- events ----------------------------------------------------------------------


def _when(moment: datetime, tz: Any) -> datetime:
    local = moment.astimezone(tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        # The second of two equal wall times: TZID cannot say which, and
        # RFC 5545 reads an ambiguous local time as the first; use UTC.
        return moment.astimezone(UTC)
    return local


def _titles(
    programme: Programme | None, group: Group, catalogue: ThemeCatalogue, lang: str
) -> dict[str, str]:
    """Theme titles by id, each checked as one line (the path names the theme)."""
    where = f'groups["{group.id}"].themes'
    sources = [
        (catalogue.themes if catalogue else (), "catalogue"),
        (programme.themes if programme else (), "themes"),
        (group.themes, where),
    ]
    titles: dict[str, str] = {}
    for themes, path in sources:
        for theme in themes:
            titles[theme.id] = single_line(theme.title(lang), f'{path}["{theme.id}"].title')
    return titles


def _event(
    ical: Any,
    group: Group,
    meeting: Meeting,
    *,
    programme: Programme | None,
    programme_id: str | None,
    emails: dict[str, str] | None,
    stamp: datetime | None,
    titles: dict[str, str],
    lang: str,
    link: bool,
) -> Any:
    tz = zone(group.timezone)
    catalogue = translation(lang)
    where = f'groups["{group.id}"]'
    index = group.meetings.index(meeting)
    event = ical.Event()
    event.add("uid", meeting_uid(group, meeting, programme_id))
    # DTSTAMP is required. With no stamp given it is the meeting's own start
    # in UTC: fixed for the same input, so exports are byte-identical.
    event.add("dtstamp", (stamp or meeting.start).astimezone(UTC))
    event.add("dtstart", _when(meeting.start, tz))
    event.add("dtend", _when(meeting.end, tz))
    event.add("sequence", meeting.sequence)
    name = single_line(group.name, f"{where}.name") or group.id
    # Translators: the title of a calendar event; {group} is the group's name.
    summary = catalogue.gettext("{group}: eMessi meeting {number}")
    if meeting.makeup_for is not None:
        summary = catalogue.gettext(
            "{group}: eMessi meeting {number} (make-up for meeting {missed})"
        )
    event.add(
        "summary",
        summary.format(group=name, number=meeting.number, missed=meeting.makeup_for),
    )
    lines = []
    if meeting.themes:
        shown = [
            titles.get(t) or single_line(t, f"{where}.meetings[{index}].themes[{n}]")
            for n, t in enumerate(meeting.themes)
        ]
        lines.append(catalogue.gettext("Themes: {themes}").format(themes=", ".join(shown)))
    if meeting.agenda:
        lines.append(catalogue.gettext("Agenda:"))
        lines += [
            "- "
            + catalogue.gettext("{title} ({minutes} min)").format(
                title=single_line(item.title, f"{where}.meetings[{index}].agenda[{n}].title"),
                minutes=item.minutes,
            )
            for n, item in enumerate(meeting.agenda)
        ]
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED")
    if link and group.link:
        address = single_line(group.link, f"{where}.link")
        event.add("location", address)
        if _URI.match(address):
            event.add("url", address)
    if emails is not None:
        day = meeting.start.astimezone(tz).date()
        for membership in sorted(group.members(on=day), key=lambda m: m.person):
            email = emails.get(membership.person)
            if not email:
                continue
            email = single_line_email(email, f'people["{membership.person}"].email')
            attendee = ical.vCalAddress(f"mailto:{email}")
            attendee.params["ROLE"] = (
                "CHAIR" if membership.role is Role.FACILITATOR else "REQ-PARTICIPANT"
            )
            attendee.params["CUTYPE"] = "INDIVIDUAL"
            attendee.params["PARTSTAT"] = "NEEDS-ACTION"
            event.add("attendee", attendee, encode=0)
    return event


def _groups(subject: Group | Programme) -> tuple[Programme | None, tuple[Group, ...]]:
    if isinstance(subject, Programme):
        return subject, subject.groups
    if isinstance(subject, Group):
        return None, (subject,)
    raise UsageError(
        _("an iCalendar export takes a Group or a Programme, not {actual}").format(
            actual=type(subject).__name__
        )
    )


def _people(people: Iterable[Person]) -> tuple[Person, ...]:
    """*people* read once; a generator that fails, or an item that is no Person, is refused."""
    found = read_all(people, "people")
    for index, person in enumerate(found):
        if person.__class__ is not Person:
            _PERSON(person, f"people[{index}]")
    return found


@checked
def dumps_ical(
    subject: Group | Programme,
    *,
    programme: str | None = None,
    attendees: bool = False,
    people: Iterable[Person] = (),
    stamp: datetime | None = None,
    lang: str = "en",
    catalogue: ThemeCatalogue | None = None,
    link: bool = True,
) -> str:
    """The meetings of a group or a programme as an iCalendar (RFC 5545) text.

    One VEVENT a meeting, with a stable UID (:func:`meeting_uid`),
    ``SEQUENCE`` from the meeting, ``STATUS:CANCELLED`` or ``CONFIRMED``,
    local ``DTSTART``/``DTEND`` with a ``TZID`` and one VTIMEZONE for each
    zone used, built from :mod:`zoneinfo`. The same input gives the same
    bytes.

    Summaries and descriptions carry the group's name, the meeting number,
    theme titles and the agenda, never people's names or notes. Attendees'
    e-mail addresses are added only with ``attendees=True``.

    Args:
        subject: A :class:`~emessi.Group` or :class:`~emessi.Programme`.
        programme: The programme id in UIDs when exporting a lone group
            (a programme's own id is used for a programme), so a group's
            events have the same UIDs in both exports.
        attendees: Add ``ATTENDEE`` lines with the members' e-mails.
        people: Who the ids refer to, for e-mails; a programme's own
            people are used for a programme.
        stamp: The ``DTSTAMP`` of every event, e.g. ``datetime.now(UTC)``
            when sending invitations; by default each meeting's own start
            in UTC, so that output is deterministic.
        lang: ``"en"``, ``"fi"`` or ``"sv"`` for the summaries and theme
            titles (English unless asked: a file's language is never taken
            from the environment).
        catalogue: Theme titles; the built-in catalogue by default.
        link: Put the group's online meeting link in LOCATION and URL.

    Raises:
        MissingDependencyError: ``icalendar`` is not installed (the ``ical``
            extra).
        UsageError: not a group or programme, an unknown *lang*, an argument
            of the wrong type, or *people* that fail while they are read.
        DomainError: *programme* is not an id.
        NaiveDatetimeError: *stamp* has no time zone.
        UnsafeTextError: a name, title, link or e-mail holds a line break,
            a control character or a lone surrogate, or an e-mail is not a
            plain address; the message names the field, not the text.

    Example:
        >>> from datetime import date
        >>> from emessi import Group
        >>> from emessi.scheduling import apply_plan, plan_schedule
        >>> plan = plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00", count=6)
        >>> group = apply_plan(Group("g-01", "Helsinki", link="https://meet.example.org/g-01"), plan)
        >>> text = dumps_ical(group, programme="emessi2")
        >>> for line in text.splitlines()[5:39]:
        ...     print(line)
        BEGIN:VTIMEZONE
        TZID:Europe/Helsinki
        BEGIN:STANDARD
        DTSTART:20240101T000000
        TZNAME:EET
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0200
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:20240331T030000
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
        TZNAME:EEST
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0300
        END:DAYLIGHT
        BEGIN:STANDARD
        DTSTART:20241027T040000
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
        TZNAME:EET
        TZOFFSETFROM:+0300
        TZOFFSETTO:+0200
        END:STANDARD
        END:VTIMEZONE
        BEGIN:VEVENT
        SUMMARY:Helsinki: eMessi meeting 1
        DTSTART;TZID=Europe/Helsinki:20250909T140000
        DTEND;TZID=Europe/Helsinki:20250909T153000
        DTSTAMP:20250909T110000Z
        UID:emessi2/g-01/_/1@emessi
        SEQUENCE:0
        LOCATION:https://meet.example.org/g-01
        STATUS:CONFIRMED
        URL:https://meet.example.org/g-01
        END:VEVENT

    .. versionadded:: 0.1.0

    """
    check_language(lang)
    if stamp is not None and (stamp.tzinfo is None or stamp.utcoffset() is None):
        raise NaiveDatetimeError(_("the stamp needs a time zone"), path="stamp")
    if programme is not None and not _ID.match(programme):
        raise DomainError(
            _("the programme in UIDs is an id: 1-64 letters, digits and . _ : -"),
            path="programme",
        )
    owner, groups = _groups(subject)
    ical = _icalendar()
    programme_id = owner.id if owner is not None else programme
    emails: dict[str, str] | None = None
    if attendees:
        known = owner.people if owner is not None else _people(people)
        emails = {p.id: p.email for p in known if p.email}
    themes = catalogue if catalogue is not None else default_catalogue()
    calendar = ical.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if owner is not None:
        title = single_line(owner.name, "name") or owner.id
    else:
        title = single_line(groups[0].name, f'groups["{groups[0].id}"].name') or groups[0].id
    # icalendar writes an X- property raw unless told it is TEXT.
    calendar.add("x-wr-calname", ical.vText(title))
    years: dict[str, list[int]] = {}
    events = []
    for group in groups:
        titles = _titles(owner, group, themes, lang)
        tz = zone(group.timezone)
        for meeting in sorted(group.meetings, key=lambda m: (m.start, m.number)):
            for moment in (meeting.start, meeting.end):
                years.setdefault(group.timezone, []).append(moment.astimezone(tz).year)
            events.append(
                _event(
                    ical,
                    group,
                    meeting,
                    programme=owner,
                    programme_id=programme_id,
                    emails=emails,
                    stamp=stamp,
                    titles=titles,
                    lang=lang,
                    link=link,
                )
            )
    for zone_name in sorted(years):
        calendar.add_component(
            _vtimezone(ical, zone_name, min(years[zone_name]), max(years[zone_name]))
        )
    for event in events:
        calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text


@checked
def dump_ical(subject: Group | Programme, path: str | PathLike[str], **options: Any) -> Path:
    """Write :func:`dumps_ical` of *subject* to *path* atomically; return the path.

    Options are those of :func:`dumps_ical`. Readers of the file see the
    old calendar or the new one, never half of one.

    Example:
        >>> import tempfile
        >>> from datetime import date
        >>> from pathlib import Path
        >>> from emessi import Group
        >>> from emessi.scheduling import apply_plan, plan_schedule
        >>> group = apply_plan(Group("g-01"), plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00"))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     written = dump_ical(group, Path(folder) / "g-01.ics")
        ...     written.read_bytes().count(b"BEGIN:VEVENT")
        8

    .. versionadded:: 0.1.0

    """
    name = _TEXT(os.fspath(path), "path")
    if not name or "\x00" in name:
        raise UsageError(_("a path is a non-empty text without NUL characters"), path="path")
    target = Path(name)
    write_atomic(target, dumps_ical(subject, **options).encode("utf-8"))
    return target
