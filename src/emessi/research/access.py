"""Who may see and change what: the access policy of the closed group.

eMessi groups are closed (*suljettu ryhmä*; eMessi2 source text), and what
is shared in the group stays in the group (an ethical rule of peer-group
mentoring, the Finnish *Verme* model). :func:`can` answers, for a platform,
whether an actor may take an action on a resource. Anything the policy does
not grant is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType

import attrs

from emessi._i18n import _
from emessi.errors import UsageError
from emessi.model import Group, Role, local_date
from emessi.model._checks import check_id, zone
from emessi.model._strict import Choice, checked, strict

__all__ = ["POLICY", "Action", "Actor", "Audience", "Capacity", "Resource", "ResourceKind", "can"]


class Capacity(Choice):
    """A capacity someone holds in a programme besides taking part in groups.

    Example:
        >>> Capacity("coordinator")
        <Capacity.COORDINATOR: 'coordinator'>

    .. versionadded:: 0.1.0

    """

    #: Runs the cohort: forms groups, agrees schedules, follows attendance.
    COORDINATOR = "coordinator"
    #: Studies the method; works with pseudonymised exports only.
    RESEARCHER = "researcher"


class Action(Choice):
    """What an actor wants to do with a resource.

    Example:
        >>> Action("view")
        <Action.VIEW: 'view'>

    .. versionadded:: 0.1.0

    """

    VIEW = "view"
    EDIT = "edit"


class ResourceKind(Choice):
    """The kinds of thing the access policy covers.

    - ``MEETING``: a meeting's details: themes, agenda, link.
    - ``ATTENDANCE``: who attended a meeting.
    - ``NOTES``: the notes the secretary (*sihteeri*) keeps of a meeting.
    - ``FEEDBACK``: one person's feedback (*palaute*), with its comment.
    - ``SCHEDULE``: when a group's meetings are (dates and times only).
    - ``AGGREGATE``: summary figures with small cells suppressed.
    - ``EXPORT``: a pseudonymised research export.

    Example:
        >>> ResourceKind("notes")
        <ResourceKind.NOTES: 'notes'>

    .. versionadded:: 0.1.0

    """

    MEETING = "meeting"
    ATTENDANCE = "attendance"
    NOTES = "notes"
    FEEDBACK = "feedback"
    SCHEDULE = "schedule"
    AGGREGATE = "aggregate"
    EXPORT = "export"


class Audience(Choice):
    """Who a rule of the policy grants an action to.

    - ``PARTICIPANT``: a participant of the group: a current member in any
      role, or, to view a past meeting, someone who was a member on its day.
    - ``LEADER``: a current facilitator (*vetäjä*) or observer and technical
      support (*käytön tuki*) of the group.
    - ``SECRETARY``: the meeting's secretary (*sihteeri*), a current member.
    - ``AUTHOR``: the person who gave the feedback, a participant of the
      meeting it is about.
    - ``COORDINATOR``: anyone with :attr:`Capacity.COORDINATOR`.
    - ``RESEARCHER``: anyone with :attr:`Capacity.RESEARCHER`.

    Example:
        >>> Audience.SECRETARY.value
        'secretary'

    .. versionadded:: 0.1.0

    """

    PARTICIPANT = "participant"
    LEADER = "leader"
    SECRETARY = "secretary"
    AUTHOR = "author"
    COORDINATOR = "coordinator"
    RESEARCHER = "researcher"


_A = Audience
#: The policy: for each resource kind and action, who is granted it. The
#: secretary's notes are the group's only; a coordinator sees schedules and
#: summaries, never notes or feedback; a researcher sees exports only.
#: Read-only, so that no code can widen it at run time.
POLICY: Mapping[tuple[ResourceKind, Action], frozenset[Audience]] = MappingProxyType(
    {
        (ResourceKind.MEETING, Action.VIEW): frozenset({_A.PARTICIPANT}),
        (ResourceKind.MEETING, Action.EDIT): frozenset({_A.LEADER}),
        (ResourceKind.ATTENDANCE, Action.VIEW): frozenset({_A.PARTICIPANT}),
        (ResourceKind.ATTENDANCE, Action.EDIT): frozenset({_A.LEADER}),
        (ResourceKind.NOTES, Action.VIEW): frozenset({_A.PARTICIPANT}),
        (ResourceKind.NOTES, Action.EDIT): frozenset({_A.SECRETARY}),
        (ResourceKind.FEEDBACK, Action.VIEW): frozenset({_A.AUTHOR}),
        (ResourceKind.FEEDBACK, Action.EDIT): frozenset({_A.AUTHOR}),
        (ResourceKind.SCHEDULE, Action.VIEW): frozenset({_A.PARTICIPANT, _A.COORDINATOR}),
        (ResourceKind.SCHEDULE, Action.EDIT): frozenset({_A.LEADER, _A.COORDINATOR}),
        (ResourceKind.AGGREGATE, Action.VIEW): frozenset({_A.PARTICIPANT, _A.COORDINATOR}),
        (ResourceKind.AGGREGATE, Action.EDIT): frozenset(),
        (ResourceKind.EXPORT, Action.VIEW): frozenset({_A.RESEARCHER, _A.COORDINATOR}),
        (ResourceKind.EXPORT, Action.EDIT): frozenset({_A.COORDINATOR}),
    }
)


def _capacities(values: Iterable[Capacity]) -> frozenset[Capacity]:
    return frozenset(values)


@checked
@attrs.frozen(field_transformer=strict)
class Actor:
    """Someone asking for access: a person id, capacities, or both.

    A researcher who is also a group's observer (as eMessi2's project
    workers were) sees that group as a participant, and other groups only
    through exports.

    Args:
        person: The id of the person, if the actor is one.
        capacities: Capacities held, e.g. ``{Capacity.COORDINATOR}``.

    Example:
        >>> Actor("p-01")
        Actor(person='p-01', capacities=frozenset())

    .. versionadded:: 0.1.0

    """

    person: str | None = attrs.field(default=None, validator=attrs.validators.optional(check_id))
    capacities: frozenset[Capacity] = attrs.field(default=frozenset(), converter=_capacities)


_IN_A_MEETING = {
    ResourceKind.MEETING,
    ResourceKind.ATTENDANCE,
    ResourceKind.NOTES,
}


@checked
@attrs.frozen(field_transformer=strict)
class Resource:
    """Something access is asked for: a kind, and the group and meeting it belongs to.

    Meeting details, attendance and notes need a group and a meeting
    number; feedback an author, and a group and meeting unless it is about
    the whole programme; a schedule a group; a summary optionally a group.

    Args:
        kind: What kind of resource.
        group: The group it belongs to.
        meeting: The meeting's number in the group.
        author: For feedback, the id of the person who gave it.

    Raises:
        UsageError: a field the kind needs is missing.
        NotAMeetingError: the group has no such meeting.

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi import Meeting
        >>> g = Group("g-01", meetings=[Meeting(1, datetime(2014, 1, 14, 12, tzinfo=timezone.utc))])
        >>> Resource(ResourceKind.NOTES, g, meeting=1)
        Resource(kind=<ResourceKind.NOTES: 'notes'>, group='g-01', meeting=1, author=None)

    .. versionadded:: 0.1.0

    """

    kind: ResourceKind
    group: Group | None = attrs.field(default=None, repr=lambda g: repr(g.id if g else None))
    meeting: int | None = None
    author: str | None = None

    def __attrs_post_init__(self) -> None:
        needs_meeting = self.kind in _IN_A_MEETING or (
            self.kind is ResourceKind.FEEDBACK and self.group is not None
        )
        if (needs_meeting or self.kind is ResourceKind.SCHEDULE) and self.group is None:
            raise UsageError(
                _("a {kind} resource needs its group").format(kind=self.kind.value), path="group"
            )
        if needs_meeting:
            if self.meeting is None:
                raise UsageError(
                    _("a {kind} resource needs a meeting").format(kind=self.kind.value),
                    path="meeting",
                )
            assert self.group is not None
            self.group.meeting(self.meeting)  # NotAMeetingError
        if self.kind is ResourceKind.FEEDBACK and self.author is None:
            raise UsageError(_("a feedback resource needs its author"), path="author")


def _participant(
    group: Group,
    person: str,
    meeting: int | None,
    today: date,
    *,
    past: bool,
    roles: frozenset[Role] | None = None,
) -> bool:
    mine = [
        m for m in group.memberships if m.person == person and (roles is None or m.role in roles)
    ]
    if any(m.active_on(today) for m in mine):
        return True
    if past and meeting is not None:
        held_on = local_date(group, group.meeting(meeting))
        return held_on <= today and any(m.active_on(held_on) for m in mine)
    return False


_LEADERS = frozenset({Role.FACILITATOR, Role.OBSERVER})


def _granted(
    audience: Audience, actor: Actor, action: Action, resource: Resource, today: date
) -> bool:
    if audience is Audience.COORDINATOR:
        return Capacity.COORDINATOR in actor.capacities
    if audience is Audience.RESEARCHER:
        return Capacity.RESEARCHER in actor.capacities
    person, group = actor.person, resource.group
    if audience is Audience.AUTHOR:
        if person is None or person != resource.author:
            return False
        return group is None or _participant(group, person, resource.meeting, today, past=True)
    if person is None or group is None:
        return False
    # Only viewing reaches back to past meetings: a former member changes nothing.
    past = action is Action.VIEW
    if audience is Audience.PARTICIPANT:
        return _participant(group, person, resource.meeting, today, past=past)
    if audience is Audience.LEADER:
        return _participant(group, person, None, today, past=False, roles=_LEADERS)
    if audience is Audience.SECRETARY:
        if resource.meeting is None or group.meeting(resource.meeting).secretary != person:
            return False
        return _participant(group, person, None, today, past=False)
    return False  # pragma: no cover - every audience is handled above


@checked
def can(actor: Actor, action: Action, resource: Resource, *, today: date | None = None) -> bool:
    """Whether *actor* may take *action* on *resource*, under :data:`POLICY`.

    Args:
        actor: Who asks.
        action: View or edit.
        resource: What for.
        today: The day to judge membership on; default: today in the
            group's time zone.

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi import Meeting, Membership
        >>> g = Group("g-01", memberships=[Membership("p-01")],
        ...           meetings=[Meeting(1, datetime(2014, 1, 14, 12, tzinfo=timezone.utc))])
        >>> notes = Resource(ResourceKind.NOTES, g, meeting=1)
        >>> can(Actor("p-01"), Action.VIEW, notes)
        True
        >>> can(Actor("c-01", {Capacity.COORDINATOR}), Action.VIEW, notes)
        False

    .. versionadded:: 0.1.0

    """
    if not isinstance(actor, Actor) or not isinstance(resource, Resource):
        raise UsageError(_("can() takes an Actor, an Action and a Resource"))
    if today is None:
        where = zone(resource.group.timezone) if resource.group else None
        today = datetime.now(where).date()
    audiences = POLICY.get((resource.kind, Action(action)), frozenset())
    return any(_granted(a, actor, action, resource, today) for a in audiences)


def _policy_markdown() -> str:
    """The policy as a Markdown table, as shown in ``docs/reference/access.md``."""
    lines = ["| resource | view | edit |", "|---|---|---|"]
    for kind in ResourceKind:
        cells = [
            ", ".join(sorted(a.value for a in POLICY[kind, action])) or "nobody"
            for action in Action
        ]
        lines.append(f"| {kind.value} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines) + "\n"
