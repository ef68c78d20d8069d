"""Lifecycle changes: closed groups, leaving, holding and cancelling meetings, secretaries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import ClosedGroupError, DomainError, NotAMeetingError, NotAMemberError
from emessi.model import (
    ChangeKind,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    Role,
    add_member,
    assign_secretaries,
    cancel_meeting,
    hold_meeting,
    local_date,
    remove_member,
)
from emessi.rules import validate
from emessi.testing import groups

HELSINKI = ZoneInfo("Europe/Helsinki")
START = datetime(2014, 1, 14, 14, 0, tzinfo=HELSINKI)


def _group(peers: int = 5, meetings: int = 6) -> Group:
    members = [Membership(f"p-0{k}", joined=date(2013, 11, 1)) for k in range(1, peers + 1)]
    members += [Membership("f-01", Role.FACILITATOR), Membership("w-01", Role.OBSERVER)]
    return Group(
        "g-01",
        memberships=members,
        meetings=[Meeting(n, START + timedelta(weeks=4 * (n - 1))) for n in range(1, meetings + 1)],
    )


def _held(group: Group, number: int = 1) -> Group:
    peers = [
        m.person for m in group.members(Role.PEER, on=local_date(group, group.meeting(number)))
    ]
    return hold_meeting(group, number, attendance=peers)


# -- the closed group -------------------------------------------------------


def test_closed_group_refuses_a_new_peer_after_the_first_held_meeting() -> None:
    """Once a meeting was held, a new peer gets ClosedGroupError."""
    group = _held(_group())
    with pytest.raises(ClosedGroupError) as caught:
        add_member(group, "p-09")
    assert caught.value.path == "memberships"
    assert isinstance(caught.value, DomainError)
    assert "p-09" not in {m.person for m in group.memberships}


def test_closed_group_still_takes_a_new_facilitator_or_observer() -> None:
    """A facilitator or observer can be replaced after the group has met."""
    group = _held(_group())
    group = add_member(group, "f-02", Role.FACILITATOR)
    group = add_member(group, "w-02", Role.OBSERVER)
    assert [m.person for m in group.memberships[-2:]] == ["f-02", "w-02"]


def test_planned_and_cancelled_meetings_do_not_close_the_group() -> None:
    """Before any meeting is held a peer may join; a cancelled meeting does not count."""
    group = cancel_meeting(_group(), 1)
    group = add_member(group, "p-09", joined=date(2014, 1, 20))
    assert group.memberships[-1].person == "p-09"
    assert group.memberships[-1].joined == date(2014, 1, 20)


@given(groups(), st.sampled_from(Role))
def test_add_member_on_any_group(group: Group, role: Role) -> None:
    """A peer joins only a group with no held meeting; nobody joins twice; the input is kept."""
    before = attrs.evolve(group)
    held = any(m.status is MeetingStatus.HELD for m in group.meetings)
    if held and role is Role.PEER:
        with pytest.raises(ClosedGroupError):
            add_member(group, "p-new", role)
    else:
        changed = add_member(group, "p-new", role)
        assert changed.memberships == (*group.memberships, Membership("p-new", role))
        with pytest.raises(DomainError):
            add_member(changed, "p-new", Role.FACILITATOR)
    assert group == before


def test_a_peer_may_not_be_added_twice() -> None:
    """An active member cannot be added again (in any role)."""
    with pytest.raises(DomainError) as caught:
        add_member(_group(), "p-01", Role.OBSERVER)
    assert caught.value.path == "memberships"


# -- leaving ----------------------------------------------------------------


def test_a_peer_who_leaves_keeps_their_past_attendance() -> None:
    """Leaving records the date and reason; meetings before it keep the attendance."""
    group = _held(_held(_group()), 2)
    left = local_date(group, group.meeting(3))
    after = remove_member(group, "p-01", left=left, reason="moved to another job")
    membership = next(m for m in after.memberships if m.person == "p-01")
    assert (membership.left, membership.reason) == (left, "moved to another job")
    assert "p-01" in after.meeting(1).attendance
    assert "p-01" in after.meeting(2).attendance
    # the kept attendance is still valid: p-01 was a member on those days
    assert not validate(after).by_code("unknown-reference")
    # but p-01 cannot attend a later meeting
    with pytest.raises(NotAMemberError):
        hold_meeting(after, 3, attendance=["p-01"])


def test_remove_member_refusals() -> None:
    """Removing a non-member, or leaving before joining, is refused."""
    with pytest.raises(NotAMemberError) as caught:
        remove_member(_group(), "x-99", left=date(2014, 2, 1))
    assert caught.value.path == "memberships"
    with pytest.raises(DomainError) as early:
        remove_member(_group(), "p-02", left=date(2013, 10, 1))
    assert early.value.path == "memberships[1].left"
    gone = remove_member(_group(), "p-02", left=date(2014, 2, 1))
    with pytest.raises(NotAMemberError):
        remove_member(gone, "p-02", left=date(2014, 3, 1))


# -- holding and cancelling meetings ----------------------------------------


def test_hold_meeting_records_attendance_and_secretary() -> None:
    """Holding a meeting marks it held with its attendance, secretary and notes."""
    group = _group()
    held = hold_meeting(group, 1, attendance=["p-02", "f-01", "p-01"], secretary="p-02", notes="n")
    meeting = held.meeting(1)
    assert meeting.status is MeetingStatus.HELD
    assert meeting.attendance == ("f-01", "p-01", "p-02")
    assert (meeting.secretary, meeting.notes) == ("p-02", "n")
    assert group.meeting(1).status is MeetingStatus.PLANNED  # the input is unchanged


@pytest.mark.parametrize(
    ("attendance", "secretary", "path"),
    [
        (["x-99"], None, "meetings[1].attendance"),
        (["p-01", "x-99"], None, "meetings[1].attendance"),
        (["p-01"], "f-01", "meetings[1].secretary"),  # the secretary is a peer
        (["p-01"], "x-99", "meetings[1].secretary"),
    ],
)
def test_hold_meeting_refuses_non_members(
    attendance: list[str], secretary: str | None, path: str
) -> None:
    """Attendance or a secretary who is not in the group is a NotAMemberError with a path."""
    with pytest.raises(NotAMemberError) as caught:
        hold_meeting(_group(), 2, attendance=attendance, secretary=secretary)
    assert caught.value.path == path


def test_hold_meeting_checks_membership_on_the_meeting_day() -> None:
    """Someone who joined later or left earlier did not attend that day."""
    group = attrs.evolve(
        _group(),
        memberships=[
            *_group().memberships,
            Membership("p-08", joined=date(2014, 3, 1)),
        ],
    )
    group = remove_member(group, "p-01", left=date(2014, 1, 1))
    with pytest.raises(NotAMemberError):
        hold_meeting(group, 1, attendance=["p-08"])
    with pytest.raises(NotAMemberError):
        hold_meeting(group, 1, attendance=["p-01"])
    assert hold_meeting(group, 3, attendance=["p-08"]).meeting(3).attendance == ("p-08",)


def test_hold_meeting_refuses_an_unknown_or_cancelled_meeting() -> None:
    """No such meeting: NotAMeetingError; a cancelled one: DomainError at its status."""
    with pytest.raises(NotAMeetingError):
        hold_meeting(_group(), 9, attendance=[])
    with pytest.raises(DomainError) as caught:
        hold_meeting(cancel_meeting(_group(), 2), 2, attendance=[])
    assert caught.value.path == "meetings[1].status"


def test_cancel_meeting_records_history() -> None:
    """Cancelling keeps the meeting, raises its sequence and records why."""
    group = cancel_meeting(_group(), 2, reason="facilitator ill")
    meeting = group.meeting(2)
    assert meeting.status is MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    assert [(c.kind, c.reason) for c in meeting.history] == [
        (ChangeKind.CANCELLED, "facilitator ill")
    ]
    assert len(group.meetings) == 6
    assert cancel_meeting(group, 2) == group  # already cancelled: no change
    with pytest.raises(DomainError) as caught:
        cancel_meeting(_held(_group()), 1)
    assert caught.value.path == "meetings[0].status"


def test_local_date_uses_the_group_zone() -> None:
    """A meeting late in the UTC evening is on the next day in Helsinki."""
    meeting = Meeting(1, datetime(2014, 1, 14, 22, 30, tzinfo=ZoneInfo("UTC")))
    assert local_date(Group("g-01"), meeting) == date(2014, 1, 15)
    assert local_date(Group("g-01", timezone="America/New_York"), meeting) == date(2014, 1, 14)


# -- secretaries in rotation ------------------------------------------------


def test_secretaries_rotate_among_the_peers() -> None:
    """Peers take turns in membership order; facilitator and observer never do."""
    group = assign_secretaries(_group(peers=3, meetings=7))
    assert [m.secretary for m in group.meetings] == [
        "p-01",
        "p-02",
        "p-03",
        "p-01",
        "p-02",
        "p-03",
        "p-01",
    ]


def test_secretaries_skip_peers_who_left_and_cancelled_meetings() -> None:
    """A peer who has left is skipped; a cancelled meeting gets no secretary."""
    group = remove_member(_group(peers=3, meetings=6), "p-02", left=date(2014, 3, 1))
    group = cancel_meeting(group, 4)
    # meetings on 01-14, 02-11, 03-11, 04-08 (cancelled), 05-06, 06-03
    assert [m.secretary for m in assign_secretaries(group).meetings] == [
        "p-01",
        "p-02",
        "p-03",
        None,
        "p-01",
        "p-03",
    ]


def test_secretaries_keep_existing_unless_overwrite() -> None:
    """A meeting with a secretary keeps them unless overwrite=True."""
    group = hold_meeting(_group(peers=3), 1, attendance=["p-03"], secretary="p-03")
    kept = assign_secretaries(group)
    assert [m.secretary for m in kept.meetings[:3]] == ["p-03", "p-01", "p-02"]
    redone = assign_secretaries(group, overwrite=True)
    assert [m.secretary for m in redone.meetings[:3]] == ["p-01", "p-02", "p-03"]


def test_no_peers_no_secretaries() -> None:
    """Without peers nobody is secretary; overwrite clears a secretary who is not a peer."""
    group = Group(
        "g-01", memberships=[Membership("f-01", Role.FACILITATOR)], meetings=[Meeting(1, START)]
    )
    assert assign_secretaries(group) == group
    stale = hold_meeting(
        attrs.evolve(group, memberships=[*group.memberships, Membership("p-01")]),
        1,
        attendance=[],
        secretary="p-01",
    )
    stale = attrs.evolve(stale, memberships=group.memberships)
    assert assign_secretaries(stale).meeting(1).secretary == "p-01"
    assert assign_secretaries(stale, overwrite=True).meeting(1).secretary is None


@given(groups())
def test_assigned_secretaries_are_active_peers(group: Group) -> None:
    """Every secretary assigned is a peer of the group on that meeting's day."""
    assigned = assign_secretaries(group, overwrite=True)
    for meeting in assigned.meetings:
        if not meeting.active:
            assert meeting.secretary == group.meeting(meeting.number).secretary
            continue
        day = local_date(group, meeting)
        peers = {m.person for m in group.members(Role.PEER, on=day)}
        if peers:
            assert meeting.secretary in peers
        else:
            assert meeting.secretary is None
    active = {f"meetings[{i}].secretary" for i, m in enumerate(assigned.meetings) if m.active}
    assert not {f.path for f in validate(assigned).by_code("unknown-reference")} & active
