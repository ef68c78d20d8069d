"""The built-in rules of the eMessi method.

Each rule is a plain function registered with a stable code; its docstring
is the rule's documentation (the docs' rule reference is generated from it).
Rules yield :class:`~emessi.rules.Breach` values and never raise; they walk
each object once and index by id, so none is quadratic in the number of
groups.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise

from emessi._i18n import N_, LazyText, lazy_gettext, lazy_ngettext, lazy_pgettext
from emessi.method._severity import Severity
from emessi.method.profiles import UNBOUNDED, Bounds
from emessi.model._checks import Shown, zone
from emessi.model.groups import Group
from emessi.model.meetings import Meeting, MeetingStatus
from emessi.model.people import Role
from emessi.model.programme import Programme
from emessi.provenance import Provenance
from emessi.rules._engine import Breach, Context, rule

__all__: list[str] = []

# The rules that keep a document consistent (ids, dates, order) are not
# about the method: each says so in its provenance.
_INTEGRITY = Provenance(
    assumption="data integrity: the plan must be consistent to be checked at all"
)

_ROLES = {
    # Translators: the roles of an eMessi group. Glossary: peer = vertainen
    # (fi) = kamrat (sv); facilitator = fasilitaattori, vetäjä (fi) =
    # handledare (sv); observer = havainnoija (fi) = observatör (sv).
    Role.PEER: lazy_pgettext("role", "peer"),
    Role.FACILITATOR: lazy_pgettext("role", "facilitator"),
    Role.OBSERVER: lazy_pgettext("role", "observer"),
}

_STATUSES = {
    MeetingStatus.PLANNED: lazy_pgettext("meeting status", "planned"),
    MeetingStatus.HELD: lazy_pgettext("meeting status", "held"),
    MeetingStatus.CANCELLED: lazy_pgettext("meeting status", "cancelled"),
}


def _bounded(path: str, bounds: Bounds, ctx: Context, count: LazyText) -> Iterator[Breach]:
    """A finding for a number (*count*, e.g. "7 peers") outside *bounds*."""
    value = count.n if count.n is not None else 0
    severity = bounds.severity(value, strict=ctx.strict)
    if severity is None:
        return
    spans = {
        "count": count,
        "profile": ctx.profile.name,
        "preferred": _span(bounds.preferred),
        "allowed": _span(bounds.allowed),
    }
    if ctx.strict:
        # Translators: strict validation = tiukka tarkistus (fi) = strikt granskning (sv).
        message = lazy_gettext(
            "{count}; the {profile} profile expects {preferred} (strict validation).", **spans
        )
    elif severity is Severity.WARNING:
        # Translators: a warning, so it only recommends (fi "suositus",
        # not "edellyttää"); {count} is e.g. "7 peers".
        message = lazy_gettext(
            "{count}; the {profile} profile prefers {preferred} (allowed {allowed}).", **spans
        )
    else:
        message = lazy_gettext(
            "{count}; the {profile} profile allows only {allowed} (preferred {preferred}).", **spans
        )
    yield Breach(path, message, severity, ranged=True)


def _span(pair: tuple[int, int]) -> LazyText | str:
    low, high = pair
    if high >= UNBOUNDED:
        if low == 0:
            return lazy_pgettext("range", "any")
        return lazy_pgettext("range", "{low} or more", low=low)
    return str(low) if low == high else f"{low}-{high}"


def _day(group: Group, meeting: Meeting) -> datetime:
    return meeting.start.astimezone(zone(group.timezone))


@rule(
    "group-size",
    scope="group",
    provenance=Provenance("emessi2", '"each group consisted, as a rule, of 5-6 employees"'),
)
def group_size(group: Group, ctx: Context) -> Iterator[Breach]:
    """The number of peers (who have not left) is within the profile's range.

    eMessi: "as a rule 5-6 employees" per group; outside 5-6 is a warning,
    outside the allowed 3-8 an error.
    """
    peers = sum(1 for _ in group.members(Role.PEER))
    count = lazy_ngettext("{n} peer", "{n} peers", peers, n=peers)
    yield from _bounded("memberships", ctx.profile.peers, ctx, count)


@rule(
    "facilitator-count",
    scope="group",
    provenance=Provenance(
        "emessi2", '"a facilitator responsible for the progress of the discussion"'
    ),
)
def facilitator_count(group: Group, ctx: Context) -> Iterator[Breach]:
    """The group has the profile's number of facilitators (eMessi: exactly one).

    The facilitator (*fasilitaattori*, *vetäjä*) is responsible for the
    progress of the discussion.
    """
    count = sum(1 for _ in group.members(Role.FACILITATOR))
    text = lazy_ngettext("{n} facilitator", "{n} facilitators", count, n=count)
    yield from _bounded("memberships", ctx.profile.facilitators, ctx, text)


@rule(
    "observer-count",
    scope="group",
    provenance=Provenance("emessi2", '"a project worker acting as observer and technical support"'),
)
def observer_count(group: Group, ctx: Context) -> Iterator[Breach]:
    """The group has the profile's number of observers (eMessi: one).

    The observer is a project worker who is also the technical support
    (*havainnoija ja tekninen tuki*). Without one: a warning under eMessi.
    """
    count = sum(1 for _ in group.members(Role.OBSERVER))
    text = lazy_ngettext("{n} observer", "{n} observers", count, n=count)
    yield from _bounded("memberships", ctx.profile.observers, ctx, text)


@rule(
    "role-conflict",
    scope="group",
    provenance=Provenance(
        assumption="the eMessi2 description lists peers, a facilitator and an observer as different people"
    ),
)
def role_conflict(group: Group, ctx: Context) -> Iterator[Breach]:
    """Nobody holds two roles at once in one group.

    A facilitator or observer is not also a peer of the same group.
    """
    roles: dict[str, Role] = {}
    for index, membership in enumerate(group.memberships):
        if membership.left is not None:
            continue
        earlier = roles.setdefault(membership.person, membership.role)
        if earlier is not membership.role:
            yield Breach(
                f"memberships[{index}].role",
                lazy_gettext(
                    "{person!r} is both {first} and {second} in group {group!r}.",
                    person=Shown(membership.person),
                    first=_ROLES[earlier],
                    second=_ROLES[membership.role],
                    group=Shown(group.id),
                ),
            )


@rule(
    "role-conflict",
    scope="programme",
    severity=Severity.WARNING,
    provenance=Provenance(
        assumption="the eMessi2 groups were separate groups; a peer in two at once is more likely a slip"
    ),
)
def peer_in_two_groups(programme: Programme, ctx: Context) -> Iterator[Breach]:
    """A peer belongs to one group of the programme at a time.

    Programme part of ``role-conflict``: a warning for a peer who is an
    active peer in two groups.
    """
    seen: dict[str, str] = {}
    for group in programme.groups:
        for index, membership in enumerate(group.memberships):
            if membership.role is not Role.PEER or membership.left is not None:
                continue
            first = seen.setdefault(membership.person, group.id)
            if first != group.id:
                yield Breach(
                    f'groups["{group.id}"].memberships[{index}]',
                    lazy_gettext(
                        "{person!r} is a peer in groups {first!r} and {second!r}.",
                        person=Shown(membership.person),
                        first=Shown(first),
                        second=Shown(group.id),
                    ),
                )


@rule(
    "closed-membership",
    scope="group",
    provenance=Provenance(
        "emessi2",
        '"the groups were closed groups" (suljetut ryhmät)',
        "closed is read as: no peer joins after the first meeting has been held",
    ),
)
def closed_membership(group: Group, ctx: Context) -> Iterator[Breach]:
    """No peer joins a closed group after its first meeting was held.

    eMessi groups were closed groups (*suljetut ryhmät*). Leaving is
    allowed and recorded. Skipped when the profile's groups are not closed.
    """
    if not ctx.profile.closed:
        return
    held = [m for m in group.meetings if m.status is MeetingStatus.HELD]
    if not held:
        return
    first = _day(group, min(held, key=lambda m: m.start)).date()
    for index, membership in enumerate(group.memberships):
        if membership.role is Role.PEER and membership.joined and membership.joined > first:
            yield Breach(
                f"memberships[{index}].joined",
                # Translators: closed group = suljettu ryhmä (fi) = sluten grupp (sv).
                lazy_gettext(
                    "peer {person!r} joined on {joined}, after the first meeting was held on {first}; the group is closed.",
                    person=Shown(membership.person),
                    joined=membership.joined.isoformat(),
                    first=first.isoformat(),
                ),
            )


@rule("membership-dates", scope="group", provenance=_INTEGRITY)
def membership_dates(group: Group, ctx: Context) -> Iterator[Breach]:
    """A member does not leave before joining."""
    for index, membership in enumerate(group.memberships):
        if membership.joined and membership.left and membership.left < membership.joined:
            yield Breach(
                f"memberships[{index}].left",
                lazy_gettext("{person!r} leaves before joining.", person=Shown(membership.person)),
            )


@rule(
    "meeting-count",
    scope="group",
    provenance=Provenance(
        "emessi2", '"met 6-8 times"; "a framework of 6-8 peer-mentoring meetings"'
    ),
)
def meeting_count(group: Group, ctx: Context) -> Iterator[Breach]:
    """The group has the profile's number of meetings (eMessi: 6-8).

    Cancelled meetings do not count. A group with no meetings yet gets a
    note rather than an error: it has not been scheduled.
    """
    count = sum(1 for m in group.meetings if m.active)
    bounds = ctx.profile.meetings
    if count == 0:
        yield Breach(
            "meetings",
            lazy_gettext(
                "No meetings are planned yet; the {profile} profile expects {preferred} (strict validation).",
                profile=ctx.profile.name,
                preferred=_span(bounds.preferred),
            )
            if ctx.strict
            else lazy_gettext(
                "No meetings are planned yet; the {profile} profile prefers {preferred} (allowed {allowed}).",
                profile=ctx.profile.name,
                preferred=_span(bounds.preferred),
                allowed=_span(bounds.allowed),
            ),
            Severity.INFO,
        )
        return
    text = lazy_ngettext("{n} meeting", "{n} meetings", count, n=count)
    yield from _bounded("meetings", bounds, ctx, text)


@rule(
    "meeting-rhythm",
    scope="group",
    provenance=Provenance("emessi2", '"about once a month", on "a jointly agreed schedule"'),
)
def meeting_rhythm(group: Group, ctx: Context) -> Iterator[Breach]:
    """Consecutive meetings are about a month apart.

    The days between the local dates of consecutive active meetings are
    within the profile's ``interval_days`` (eMessi: 21-42 preferred, 14-92
    allowed so that a summer break is a warning, not an error).
    """
    active = sorted(
        ((m.start, i) for i, m in enumerate(group.meetings) if m.active),
    )
    tz = zone(group.timezone)
    bounds = ctx.profile.interval_days
    for (before, _), (after, index) in pairwise(active):
        days = (after.astimezone(tz).date() - before.astimezone(tz).date()).days
        severity = bounds.severity(days, strict=ctx.strict)
        if severity is None:
            continue
        spans = {
            "profile": ctx.profile.name,
            "preferred": _span(bounds.preferred),
            "allowed": _span(bounds.allowed),
        }
        if ctx.strict:
            message = lazy_ngettext(
                "{n} day after the previous meeting; the {profile} profile expects {preferred} days (strict validation).",
                "{n} days after the previous meeting; the {profile} profile expects {preferred} days (strict validation).",
                days,
                **spans,
            )
        elif severity is Severity.WARNING:
            message = lazy_ngettext(
                "{n} day after the previous meeting; the {profile} profile prefers {preferred} days (allowed {allowed}).",
                "{n} days after the previous meeting; the {profile} profile prefers {preferred} days (allowed {allowed}).",
                days,
                **spans,
            )
        else:
            message = lazy_ngettext(
                "{n} day after the previous meeting; the {profile} profile allows only {allowed} days (preferred {preferred}).",
                "{n} days after the previous meeting; the {profile} profile allows only {allowed} days (preferred {preferred}).",
                days,
                **spans,
            )
        yield Breach(f"meetings[{index}].start", message, severity, ranged=True)


@rule("meeting-order", scope="group", severity=Severity.WARNING, provenance=_INTEGRITY)
def meeting_order(group: Group, ctx: Context) -> Iterator[Breach]:
    """Meeting numbers follow the meetings' start times.

    A make-up meeting (one with ``makeup_for``) takes the next free number
    and may fall before later meetings, so it is exempt.
    """
    ordered = sorted(
        (i for i, m in enumerate(group.meetings) if m.makeup_for is None),
        key=lambda i: group.meetings[i].start,
    )
    numbers = [group.meetings[i].number for i in ordered]
    for position in range(1, len(numbers)):
        if numbers[position] < numbers[position - 1]:
            index = ordered[position]
            yield Breach(
                f"meetings[{index}].number",
                lazy_gettext(
                    "meeting {number} starts after meeting {later}.",
                    number=numbers[position],
                    later=numbers[position - 1],
                ),
            )


@rule("meeting-overlap", scope="group", provenance=_INTEGRITY)
def meeting_overlap_in_group(group: Group, ctx: Context) -> Iterator[Breach]:
    """Two active meetings of one group do not overlap in time.

    Group part of ``meeting-overlap``; the programme part finds one person
    booked in meetings of two groups at once.
    """
    active = sorted(
        (m.start.astimezone(UTC), m.end.astimezone(UTC), i)
        for i, m in enumerate(group.meetings)
        if m.active
    )
    latest_end = None
    latest = -1
    for start, end, index in active:
        if latest_end is not None and start < latest_end:
            number = group.meetings[latest].number
            yield Breach(
                f"meetings[{index}].start",
                lazy_gettext("overlaps meeting {number} of the same group.", number=number),
            )
        if latest_end is None or end > latest_end:
            latest_end, latest = end, index


@rule(
    "meeting-overlap",
    scope="programme",
    provenance=Provenance(
        assumption="nobody can attend two meetings at once; facilitators and observers of several groups are the people it catches"
    ),
)
def meeting_overlap(programme: Programme, ctx: Context) -> Iterator[Breach]:
    """Nobody is booked in meetings of two groups at once.

    Typically a facilitator or observer of several groups. Each person's
    meetings are sorted by start time, so the check is linear after the sort.
    """
    # POSIX timestamps: exact enough for minute-scale meetings, and sorting
    # floats is much cheaper than comparing aware datetimes across zones.
    booked: dict[str, list[tuple[float, float, str, int]]] = defaultdict(list)
    for group in programme.groups:
        tz = zone(group.timezone)
        for index, meeting in enumerate(group.meetings):
            if not meeting.active:
                continue
            start = meeting.start.timestamp()
            end = start + meeting.duration.total_seconds()
            day = meeting.start.astimezone(tz).date()
            for membership in group.memberships:
                if membership.active_on(day):
                    booked[membership.person].append((start, end, group.id, index))
    for person, slots in booked.items():
        slots.sort()
        # The latest-ending slot so far, and the latest-ending one of any
        # other group: between them they hold the latest end of every group
        # but one, so an overlap with another group is never missed.
        first: tuple[float, float, str, int] | None = None
        second: tuple[float, float, str, int] | None = None
        for slot in slots:
            other = second if first is not None and first[2] == slot[2] else first
            if other is not None and slot[0] < other[1]:
                yield Breach(
                    f'groups["{slot[2]}"].meetings[{slot[3]}].start',
                    lazy_gettext(
                        "{person!r} is also in a meeting of group {group!r} at this time.",
                        person=Shown(person),
                        group=Shown(other[2]),
                    ),
                )
            if first is None or slot[1] > first[1]:
                if first is not None and first[2] != slot[2]:
                    second = first
                first = slot
            elif slot[2] != first[2] and (second is None or slot[1] > second[1]):
                second = slot


@rule(
    "meeting-duration",
    scope="meeting",
    provenance=Provenance("emessi2", '"eMessi meetings lasting 1.5-2 hours"'),
)
def meeting_duration(meeting: Meeting, ctx: Context) -> Iterator[Breach]:
    """A meeting lasts the profile's duration (eMessi: 1.5-2 hours)."""
    minutes = int(meeting.duration.total_seconds() // 60)
    text = lazy_ngettext("{n} minute", "{n} minutes", minutes, n=minutes)
    yield from _bounded("duration", ctx.profile.duration_minutes, ctx, text)


@rule(
    "agenda-fits",
    scope="meeting",
    provenance=Provenance(
        assumption="the agendas are emessi's own; an agenda longer than its meeting cannot be kept"
    ),
)
def agenda_fits(meeting: Meeting, ctx: Context) -> Iterator[Breach]:
    """The agenda's minutes add up to no more than the meeting's duration."""
    planned = sum(item.minutes for item in meeting.agenda)
    minutes = int(meeting.duration.total_seconds() // 60)
    if planned > minutes:
        yield Breach(
            "agenda",
            lazy_ngettext(
                "the agenda takes {planned} minutes but the meeting lasts {n} minute.",
                "the agenda takes {planned} minutes but the meeting lasts {n} minutes.",
                minutes,
                planned=planned,
                n=minutes,
            ),
        )


@rule(
    "unknown-theme",
    scope="meeting",
    provenance=Provenance(
        "emessi2",
        '"each group defined its own themes"',
        "a meeting's themes must be known (catalogue or the group's own), so that a slip of the pen is caught",
    ),
)
def unknown_theme(meeting: Meeting, ctx: Context) -> Iterator[Breach]:
    """Every theme of a meeting is in the catalogue or among the group's own.

    Groups choose their own themes: add them to the group (or programme)
    ``themes`` and they are known.
    """
    for index, theme in enumerate(meeting.themes):
        if theme not in ctx.themes:
            yield Breach(
                f"themes[{index}]",
                lazy_gettext(
                    "unknown theme {theme!r}; add it to the group's themes.", theme=Shown(theme)
                ),
            )


@rule(
    "unknown-reference",
    scope="meeting",
    provenance=Provenance(
        "guide-contents",
        "the secretary (sihteeri), one of the participants' tasks",
        "data integrity; that a peer takes the secretary's task is emessi's reading",
    ),
)
def meeting_references(meeting: Meeting, ctx: Context) -> Iterator[Breach]:
    """Attendance and the secretary refer to members of the group on that day.

    The secretary (*sihteeri*) is one of the peers.
    """
    group = ctx.group
    if group is None:
        return
    if ctx.steady_members.issuperset(meeting.attendance) and (
        meeting.secretary is None or meeting.secretary in ctx.steady_peers
    ):
        return  # everyone referred to is a member on every day
    day = _day(group, meeting).date()
    members = set()
    peers = set()
    for membership in group.memberships:
        if membership.active_on(day):
            members.add(membership.person)
            if membership.role is Role.PEER:
                peers.add(membership.person)
    for index, person in enumerate(meeting.attendance):
        if person not in members:
            yield Breach(
                f"attendance[{index}]",
                lazy_gettext(
                    "{person!r} was not a member of the group on {day}.",
                    person=Shown(person),
                    day=day.isoformat(),
                ),
            )
    if meeting.secretary is not None and meeting.secretary not in peers:
        yield Breach(
            "secretary",
            # Translators: secretary = sihteeri (fi) = sekreterare (sv).
            lazy_gettext(
                "the secretary {person!r} is not a peer of the group on {day}.",
                person=Shown(meeting.secretary),
                day=day.isoformat(),
            ),
        )


@rule("unknown-reference", scope="programme", provenance=_INTEGRITY)
def programme_references(programme: Programme, ctx: Context) -> Iterator[Breach]:
    """Every id refers to something: members to people, people to organisations."""
    for person in programme.people:
        if person.organisation is not None and person.organisation not in ctx.organisations:
            yield Breach(
                f'people["{person.id}"].organisation',
                lazy_gettext(
                    "no organisation {organisation!r} in the programme.",
                    organisation=Shown(person.organisation),
                ),
            )
    for group in programme.groups:
        for index, membership in enumerate(group.memberships):
            if membership.person not in ctx.people:
                yield Breach(
                    f'groups["{group.id}"].memberships[{index}].person',
                    lazy_gettext(
                        "no person {person!r} in the programme.", person=Shown(membership.person)
                    ),
                )


@rule("attendance-status", scope="meeting", severity=Severity.WARNING, provenance=_INTEGRITY)
def attendance_status(meeting: Meeting, ctx: Context) -> Iterator[Breach]:
    """Attendance is recorded only for meetings that were held."""
    if meeting.attendance and meeting.status is not MeetingStatus.HELD:
        yield Breach(
            "attendance",
            lazy_gettext(
                "attendance is recorded for a meeting that is {status}, not held.",
                status=_STATUSES[meeting.status],
            ),
        )


@rule("duplicate-id", scope="group", provenance=_INTEGRITY)
def group_duplicates(group: Group, ctx: Context) -> Iterator[Breach]:
    """Meeting numbers, memberships and the group's own theme ids are unique."""
    numbers = Counter(m.number for m in group.meetings)
    for index, meeting in enumerate(group.meetings):
        if numbers[meeting.number] > 1:
            yield Breach(
                f"meetings[{index}].number",
                lazy_ngettext(
                    "meeting number {number} is used {n} time.",
                    "meeting number {number} is used {n} times.",
                    numbers[meeting.number],
                    number=meeting.number,
                    n=numbers[meeting.number],
                ),
            )
    seen: set[tuple[str, Role]] = set()
    for index, membership in enumerate(group.memberships):
        key = (membership.person, membership.role)
        if membership.left is None:
            if key in seen:
                yield Breach(
                    f"memberships[{index}]",
                    lazy_gettext(
                        "{person!r} is in the group twice as {role}.",
                        person=Shown(membership.person),
                        role=_ROLES[membership.role],
                    ),
                )
            seen.add(key)
    yield from _duplicates("themes", [t.id for t in group.themes])


@rule("duplicate-id", scope="programme", provenance=_INTEGRITY)
def programme_duplicates(programme: Programme, ctx: Context) -> Iterator[Breach]:
    """Ids of people, organisations, groups and themes are unique in a programme."""
    yield from _duplicates("people", [p.id for p in programme.people])
    yield from _duplicates("organisations", [o.id for o in programme.organisations])
    yield from _duplicates("groups", [g.id for g in programme.groups])
    yield from _duplicates("themes", [t.id for t in programme.themes])


def _duplicates(field: str, ids: list[str]) -> Iterator[Breach]:
    counts = Counter(ids)
    for index, value in enumerate(ids):
        if counts[value] > 1:
            yield Breach(
                f"{field}[{index}].id",
                lazy_ngettext(
                    "id {id!r} is used {n} time in {field}.",
                    "id {id!r} is used {n} times in {field}.",
                    counts[value],
                    id=Shown(value),
                    n=counts[value],
                    field=field,
                ),
            )


@rule(
    "workplace-size",
    scope="programme",
    severity=Severity.WARNING,
    provenance=Provenance(
        "emessi2",
        '"NGO professionals working in small work communities of fewer than 5 people"',
    ),
)
def workplace_size(programme: Programme, ctx: Context) -> Iterator[Breach]:
    """Peers come from the profile's target workplaces (eMessi: fewer than 5 staff).

    eMessi's target group is NGO professionals in small work communities of
    fewer than 5 people. Checked once per organisation that has a peer.
    """
    with_peers: set[str] = set()
    for group in programme.groups:
        for membership in group.members(Role.PEER):
            person = ctx.people.get(membership.person)
            if person is not None and person.organisation is not None:
                with_peers.add(person.organisation)
    for organisation in programme.organisations:
        if organisation.id in with_peers:
            staff = organisation.staff
            text = lazy_ngettext("{n} member of staff", "{n} staff", staff, n=staff)
            yield from _bounded(
                f'organisations["{organisation.id}"].staff', ctx.profile.workplace_size, ctx, text
            )


@rule(
    "same-organisation",
    scope="programme",
    severity=Severity.WARNING,
    provenance=Provenance(
        assumption=(
            "the sources do not say whether two people from one workplace may share a group; "
            "peers of the target group come from small work communities, so emessi warns"
        )
    ),
)
def same_organisation(programme: Programme, ctx: Context) -> Iterator[Breach]:
    """Peers of one group come from different workplaces.

    emessi's own check, not the method's: the sources do not say whether two
    people from one workplace may share a group. eMessi's target group works
    in small work communities, so two peers from one workplace in a group is
    a warning. Skipped when the profile does not separate organisations.
    """
    if not ctx.profile.separate_organisations:
        return
    for group in programme.groups:
        seen: dict[str, str] = {}
        for index, membership in enumerate(group.memberships):
            if membership.role is not Role.PEER or membership.left is not None:
                continue
            person = ctx.people.get(membership.person)
            if person is None or person.organisation is None:
                continue
            other = seen.setdefault(person.organisation, membership.person)
            if other != membership.person:
                yield Breach(
                    f'groups["{group.id}"].memberships[{index}]',
                    lazy_gettext(
                        "{person!r} and {other!r} work in the same organisation {organisation!r}.",
                        person=Shown(membership.person),
                        other=Shown(other),
                        organisation=Shown(person.organisation),
                    ),
                )


# Translators: the first lines of the built-in rules' documentation, which
# `emessi rules` lists (a test keeps them equal to the docstrings).
_SUMMARIES = (
    N_("The number of peers (who have not left) is within the profile's range."),
    N_("The group has the profile's number of facilitators (eMessi: exactly one)."),
    N_("The group has the profile's number of observers (eMessi: one)."),
    N_("Nobody holds two roles at once in one group."),
    N_("A peer belongs to one group of the programme at a time."),
    N_("No peer joins a closed group after its first meeting was held."),
    N_("A member does not leave before joining."),
    N_("The group has the profile's number of meetings (eMessi: 6-8)."),
    N_("Consecutive meetings are about a month apart."),
    N_("Meeting numbers follow the meetings' start times."),
    N_("Two active meetings of one group do not overlap in time."),
    N_("Nobody is booked in meetings of two groups at once."),
    N_("A meeting lasts the profile's duration (eMessi: 1.5-2 hours)."),
    N_("The agenda's minutes add up to no more than the meeting's duration."),
    N_("Every theme of a meeting is in the catalogue or among the group's own."),
    N_("Attendance and the secretary refer to members of the group on that day."),
    N_("Every id refers to something: members to people, people to organisations."),
    N_("Attendance is recorded only for meetings that were held."),
    N_("Meeting numbers, memberships and the group's own theme ids are unique."),
    N_("Ids of people, organisations, groups and themes are unique in a programme."),
    N_("Peers come from the profile's target workplaces (eMessi: fewer than 5 staff)."),
    N_("Peers of one group come from different workplaces."),
)
