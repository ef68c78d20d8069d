"""The load report per facilitator and observer across a programme."""

from __future__ import annotations

from datetime import date

from emessi import Group, Membership, Programme, Role, validate
from emessi.scheduling import apply_plan, cancel_planned_meeting, load_report, plan_schedule


def _group(group_id: str, rule: str, facilitator: str, observer: str) -> Group:
    plan = plan_schedule(date(2025, 9, 1), rule)
    members = [Membership(f"{group_id}-p{i}") for i in range(5)] + [
        Membership(facilitator, Role.FACILITATOR),
        Membership(observer, Role.OBSERVER),
    ]
    return apply_plan(Group(group_id, memberships=members), plan)


def test_load_counts_groups_meetings_and_hours() -> None:
    """Each facilitator and observer gets their groups, meetings and hours; peers are left out."""
    programme = Programme(
        "cohort",
        groups=[
            _group("g-01", "second Tuesday of each month at 14:00", "f-01", "o-01"),
            _group("g-02", "second Wednesday of each month at 14:00", "f-01", "o-01"),
            _group("g-03", "third Tuesday of each month at 9:00", "f-02", "o-01"),
        ],
    )
    loads = {load.person: load for load in load_report(programme)}
    assert set(loads) == {"f-01", "f-02", "o-01"}
    assert loads["f-01"].groups == ("g-01", "g-02")
    assert loads["f-01"].meetings == 16
    assert loads["f-01"].hours == 24.0
    assert loads["o-01"].meetings == 24
    assert loads["f-02"].roles == (Role.FACILITATOR,)
    assert all(not load.overlaps for load in loads.values())


def test_overlaps_match_the_meeting_overlap_rule() -> None:
    """Double bookings in the load report are the meeting-overlap rule's findings."""
    programme = Programme(
        "cohort",
        groups=[
            _group("g-01", "second Tuesday of each month at 14:00", "f-01", "o-01"),
            _group("g-02", "second Tuesday of each month at 15:00", "f-01", "o-02"),
        ],
    )
    loads = {load.person: load for load in load_report(programme)}
    assert len(loads["f-01"].overlaps) == 8
    assert loads["o-01"].overlaps == ()
    findings = validate(programme).by_code("meeting-overlap")
    flagged = {(f.path, f.message.split("'")[1]) for f in findings}
    reported = {
        (f'groups["{o.group}"].meetings[{o.number - 1}].start', o.person)
        for load in loads.values()
        for o in load.overlaps
    }
    assert reported == flagged


def test_cancelled_meetings_do_not_count() -> None:
    """A cancelled meeting adds no hours and no overlap."""
    g1 = _group("g-01", "second Tuesday of each month at 14:00", "f-01", "o-01")
    g2 = _group("g-02", "second Tuesday of each month at 15:00", "f-01", "o-02")
    g2 = cancel_planned_meeting(g2, 1).group
    [f01] = [x for x in load_report(Programme("c", groups=[g1, g2])) if x.person == "f-01"]
    assert f01.meetings == 15
    assert len(f01.overlaps) == 7


def test_roles_can_be_chosen() -> None:
    """Asking for observers only leaves facilitators out."""
    programme = Programme(
        "cohort", groups=[_group("g-01", "second Tuesday of each month at 14:00", "f-01", "o-01")]
    )
    assert [x.person for x in load_report(programme, roles=[Role.OBSERVER])] == ["o-01"]
