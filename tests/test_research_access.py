"""The access policy of the closed group: can(actor, action, resource)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi import Group, Meeting, Membership, Role
from emessi.errors import NotAMeetingError, UsageError
from emessi.research import (
    POLICY,
    Action,
    Actor,
    Audience,
    Capacity,
    Resource,
    ResourceKind,
    can,
)
from emessi.research.access import _policy_markdown
from emessi.testing import groups

DOCS = Path(__file__).resolve().parent.parent / "docs" / "reference" / "access.md"
T0 = datetime(2014, 1, 14, 12, tzinfo=UTC)
TODAY = date(2014, 12, 1)
COORDINATOR = Actor("c-1", {Capacity.COORDINATOR})
RESEARCHER = Actor(capacities={Capacity.RESEARCHER})


def group() -> Group:
    members = [
        Membership("p-1"),
        Membership("p-2", left=date(2014, 3, 1)),  # left after meeting 2
        Membership("f-1", Role.FACILITATOR),
        Membership("w-1", Role.OBSERVER),
    ]
    meetings = [Meeting(n, T0 + timedelta(weeks=4 * (n - 1)), secretary="p-1") for n in (1, 2, 3)]
    return Group("g-1", memberships=members, meetings=meetings)


def allowed(actor: Actor, action: Action, kind: ResourceKind, **fields: object) -> bool:
    needs_group = kind is not ResourceKind.EXPORT
    resource = Resource(kind, group() if needs_group else None, **fields)  # type: ignore[arg-type]
    return can(actor, action, resource, today=TODAY)


@pytest.mark.parametrize(
    "kind", [ResourceKind.MEETING, ResourceKind.ATTENDANCE, ResourceKind.NOTES]
)
def test_participants_see_meetings_attendance_and_notes(kind):
    """Current members see every meeting; outsiders and coordinators see none."""
    assert allowed(Actor("p-1"), Action.VIEW, kind, meeting=3)
    assert allowed(Actor("w-1"), Action.VIEW, kind, meeting=3)
    assert not allowed(Actor("x-1"), Action.VIEW, kind, meeting=1)
    assert not allowed(COORDINATOR, Action.VIEW, kind, meeting=1)
    assert not allowed(RESEARCHER, Action.VIEW, kind, meeting=1)


def test_former_members_see_past_meetings_of_their_time_only():
    """p-2 left on 1 March: meetings 1 and 2 (January, February) yes, 3 (March) no."""
    assert allowed(Actor("p-2"), Action.VIEW, ResourceKind.NOTES, meeting=1)
    assert allowed(Actor("p-2"), Action.VIEW, ResourceKind.NOTES, meeting=2)
    assert not allowed(Actor("p-2"), Action.VIEW, ResourceKind.NOTES, meeting=3)
    assert not allowed(Actor("p-2"), Action.VIEW, ResourceKind.SCHEDULE)


def test_a_meeting_not_yet_held_is_not_past():
    """A former member's old membership does not reach a meeting later than today."""
    g = Group(
        "g-1",
        memberships=[Membership("p-9", left=date(2014, 2, 1))],
        meetings=[Meeting(1, T0)],
    )
    notes = Resource(ResourceKind.NOTES, g, meeting=1)
    assert can(Actor("p-9"), Action.VIEW, notes, today=date(2014, 1, 31))  # still a member
    assert can(Actor("p-9"), Action.VIEW, notes, today=date(2014, 6, 1))  # met while a member


def test_only_the_secretary_edits_notes_and_only_leaders_edit_attendance():
    """Notes are edited by the meeting's secretary; attendance by facilitator or observer."""
    assert allowed(Actor("p-1"), Action.EDIT, ResourceKind.NOTES, meeting=1)
    assert not allowed(Actor("f-1"), Action.EDIT, ResourceKind.NOTES, meeting=1)
    assert allowed(Actor("f-1"), Action.EDIT, ResourceKind.ATTENDANCE, meeting=1)
    assert allowed(Actor("w-1"), Action.EDIT, ResourceKind.MEETING, meeting=1)
    assert not allowed(Actor("p-1"), Action.EDIT, ResourceKind.ATTENDANCE, meeting=1)
    # a former member changes nothing, even for meetings of their time
    assert not allowed(Actor("p-2"), Action.EDIT, ResourceKind.NOTES, meeting=1)


def test_coordinator_sees_schedules_and_aggregates_not_notes_or_feedback():
    """The coordinator works with schedules and summaries only."""
    assert allowed(COORDINATOR, Action.VIEW, ResourceKind.SCHEDULE)
    assert allowed(COORDINATOR, Action.EDIT, ResourceKind.SCHEDULE)
    assert allowed(COORDINATOR, Action.VIEW, ResourceKind.AGGREGATE)
    assert can(COORDINATOR, Action.VIEW, Resource(ResourceKind.AGGREGATE), today=TODAY)
    assert not allowed(COORDINATOR, Action.VIEW, ResourceKind.NOTES, meeting=1)
    assert not allowed(COORDINATOR, Action.VIEW, ResourceKind.FEEDBACK, meeting=1, author="p-1")


def test_feedback_is_its_authors_only():
    """Feedback text is seen by its author, not the facilitator nor other peers."""
    assert allowed(Actor("p-1"), Action.VIEW, ResourceKind.FEEDBACK, meeting=1, author="p-1")
    assert allowed(Actor("p-1"), Action.EDIT, ResourceKind.FEEDBACK, meeting=1, author="p-1")
    assert not allowed(Actor("f-1"), Action.VIEW, ResourceKind.FEEDBACK, meeting=1, author="p-1")
    programme_feedback = Resource(ResourceKind.FEEDBACK, author="p-1")
    assert can(Actor("p-1"), Action.VIEW, programme_feedback, today=TODAY)
    assert not can(Actor("p-2"), Action.VIEW, programme_feedback, today=TODAY)


def test_researchers_see_exports_only():
    """A researcher sees exports; only a coordinator makes one."""
    assert can(RESEARCHER, Action.VIEW, Resource(ResourceKind.EXPORT))
    assert not can(RESEARCHER, Action.EDIT, Resource(ResourceKind.EXPORT))
    assert can(COORDINATOR, Action.EDIT, Resource(ResourceKind.EXPORT))
    assert not allowed(RESEARCHER, Action.VIEW, ResourceKind.SCHEDULE)
    assert not allowed(RESEARCHER, Action.VIEW, ResourceKind.AGGREGATE)
    assert not can(Actor("p-1"), Action.VIEW, Resource(ResourceKind.EXPORT))


def test_a_researcher_who_is_also_an_observer_sees_their_own_group():
    """Capacities add to participation: eMessi2's project workers were both."""
    both = Actor("w-1", {Capacity.RESEARCHER})
    assert allowed(both, Action.VIEW, ResourceKind.NOTES, meeting=1)


def test_nobody_edits_aggregates():
    """Summaries are computed, never edited."""
    assert not POLICY[ResourceKind.AGGREGATE, Action.EDIT]
    assert not allowed(COORDINATOR, Action.EDIT, ResourceKind.AGGREGATE)


def test_resources_need_their_group_and_meeting():
    """A resource missing what its kind needs is a usage error; a missing meeting a lookup error."""
    with pytest.raises(UsageError):
        Resource(ResourceKind.NOTES)
    with pytest.raises(UsageError):
        Resource(ResourceKind.NOTES, group())
    with pytest.raises(UsageError):
        Resource(ResourceKind.FEEDBACK, group(), meeting=1)
    with pytest.raises(UsageError):
        Resource(ResourceKind.SCHEDULE)
    with pytest.raises(NotAMeetingError):
        Resource(ResourceKind.NOTES, group(), meeting=9)
    with pytest.raises(UsageError):
        can("p-1", Action.VIEW, Resource(ResourceKind.EXPORT))  # type: ignore[arg-type]


def test_policy_covers_every_kind_and_action():
    """Each resource kind has a rule for each action (deny is explicit)."""
    assert set(POLICY) == {(k, a) for k in ResourceKind for a in Action}


def test_the_policy_cannot_be_widened_at_run_time():
    """POLICY is read-only."""
    with pytest.raises(TypeError):
        POLICY[ResourceKind.NOTES, Action.VIEW] = frozenset(Audience)  # type: ignore[index]


def test_the_docs_table_is_the_policy():
    """docs/reference/access.md shows the policy exactly as the code defines it."""
    assert _policy_markdown() in DOCS.read_text("utf-8")


@st.composite
def outsider_cases(draw: st.DrawFn) -> tuple[Actor, Action, Resource, date]:
    g = draw(groups().filter(lambda g: g.meetings))
    members = {m.person for m in g.memberships}
    person = draw(
        st.one_of(st.integers(0, 9999).map(lambda n: f"p-{n:04d}"), st.just("x-1")).filter(
            lambda p: p not in members
        )
    )
    capacities = draw(st.frozensets(st.sampled_from(Capacity)))
    kind = draw(
        st.sampled_from(
            [
                ResourceKind.MEETING,
                ResourceKind.ATTENDANCE,
                ResourceKind.NOTES,
                ResourceKind.FEEDBACK,
            ]
        )
    )
    number = draw(st.sampled_from([m.number for m in g.meetings]))
    author = (
        draw(st.sampled_from([person, *sorted(members)])) if kind is ResourceKind.FEEDBACK else None
    )
    resource = Resource(kind, g, meeting=number, author=author)
    today = draw(st.dates(date(1999, 1, 1), date(2042, 1, 1)))
    return Actor(person, capacities), draw(st.sampled_from(Action)), resource, today


@given(outsider_cases())
def test_a_non_participant_never_gets_a_closed_groups_meetings(case):
    """Whatever their capacities, someone never in the group gets no meeting, attendance, notes or feedback."""
    actor, action, resource, today = case
    assert not can(actor, action, resource, today=today)
