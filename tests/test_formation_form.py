"""Forming groups: hard constraints, validation, determinism, infeasible pools."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from datetime import time

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emessi.errors import (
    DomainError,
    EmessiError,
    InfeasibleError,
    UnknownReferenceError,
    UsageError,
)
from emessi.formation import (
    Applicant,
    Formation,
    Reason,
    Staff,
    Weights,
    form_groups,
)
from emessi.method import get_profile
from emessi.model import Organisation, Person, Role
from emessi.rules import validate
from emessi.scheduling import Poll, Slot, common_slots

SLOTS = [
    Slot("mon-10", "Monday", time(10)),
    Slot("tue-14", "Tuesday", time(14)),
    Slot("wed-10", "Wednesday", time(10)),
    Slot("thu-14", "Thursday", time(14)),
]
#: Names and e-mails that must never appear in an error message.
SECRET = "Salainen Nimi"
SECRET_MAIL = "salainen@example.org"
FAST = 0.02  # effort: a small search budget keeps property tests fast


@attrs.frozen
class Pool:
    """A generated formation input."""

    applicants: list[Applicant]
    facilitators: list[Staff]
    observers: list[Staff]
    poll: Poll | None
    conflicts: list[tuple[str, str]]
    profile: str


@st.composite
def pools(draw: st.DrawFn, *, feasible: bool = False) -> Pool:
    """Applicant pools: organisations of 1-4 applicants, staff, a poll, conflicts."""
    profile = draw(st.sampled_from(["emessi", "verme"]))
    n = draw(st.integers(5 if feasible else 1, 40))
    applicants = []
    org_number = 0
    while len(applicants) < n:
        # a feasible pool has no organisation with more applicants than groups
        size = draw(st.integers(1, (2 if n >= 12 else 1) if feasible else 4))
        org = Organisation(
            f"o-{org_number:03d}",
            SECRET,
            sector=draw(st.sampled_from(["youth", "culture", "health"])),
            staff=draw(st.integers(1, 9)),
            region=draw(st.sampled_from([None, "Uusimaa", "Lappi"])),
        )
        org_number += 1
        for _ in range(min(size, n - len(applicants))):
            langs = draw(st.sampled_from([("fi",), ("fi",), ("fi", "sv"), ("sv",)]))
            person = Person(f"p-{len(applicants):03d}", SECRET, email=SECRET_MAIL, languages=langs)
            applicants.append(Applicant(person, org))
    groups_needed = -(-n // 5) + 2
    load = draw(st.integers(1, 3))
    facilitators = [
        Staff(Person(f"f-{i:02d}", SECRET, languages=("fi", "sv")), load)
        for i in range(draw(st.integers(1, 3)) if not feasible else -(-groups_needed // load))
    ]
    observers = [
        Staff(Person(f"w-{i:02d}", SECRET), 4)
        for i in range(draw(st.integers(0, 2)) if not feasible else -(-groups_needed // 4))
    ]
    poll = None
    if draw(st.booleans()):
        people = [a.id for a in applicants] + [s.id for s in facilitators + observers]
        answers = {
            person: {
                slot.id: draw(st.sampled_from(["yes", "yes", "if-need-be", "no"])) for slot in SLOTS
            }
            for person in people
        }
        poll = Poll.from_answers(SLOTS, answers)
    conflicts: list[tuple[str, str]] = []
    if n >= 2 and draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            conflicts.append((applicants[a].id, applicants[b].id))
    return Pool(applicants, facilitators, observers, poll, conflicts, profile)


def _form(pool: Pool, **options: object) -> Formation:
    return form_groups(
        pool.applicants,
        pool.profile,
        facilitators=pool.facilitators,
        observers=pool.observers,
        availability=pool.poll,
        conflicts=pool.conflicts,
        effort=FAST,
        **options,  # type: ignore[arg-type]
    )


def _assert_hard_constraints(pool: Pool, formation: Formation) -> None:
    profile = get_profile(pool.profile)
    orgs = {a.id: a.organisation.id for a in pool.applicants if a.organisation}
    org_size = Counter(orgs.values())
    loads: Counter[str] = Counter()
    capacity = {s.id: s.max_groups for s in pool.facilitators + pool.observers}
    placed: list[str] = []
    for group in formation.groups:
        peers = [m.person for m in group.members(Role.PEER)]
        facilitators = [m.person for m in group.members(Role.FACILITATOR)]
        observers = [m.person for m in group.members(Role.OBSERVER)]
        low, high = profile.peers.allowed
        assert low <= len(peers) <= high
        assert len(set(facilitators)) == len(facilitators) == profile.facilitators.preferred[0]
        assert len(set(observers)) == len(observers) == profile.observers.preferred[0]
        if profile.separate_organisations:
            # colleagues share a group only when their organisation overflows
            # the groups, and then as few as possible
            for org, together in Counter(orgs[p] for p in peers).items():
                assert together <= -(-org_size[org] // len(formation.groups))
        everyone = set(peers + facilitators + observers)
        for a, b in pool.conflicts:
            assert not {a, b} <= everyone
        loads.update(facilitators + observers)
        placed += peers
    assert all(loads[s] <= capacity[s] for s in loads)
    assert len(placed) == len(set(placed))
    left = [u.applicant for u in formation.unassigned]
    assert sorted(placed + left) == sorted(a.id for a in pool.applicants)


@given(pools())
def test_every_formed_group_keeps_the_hard_constraints_or_the_pool_is_infeasible(
    pool: Pool,
) -> None:
    """Any pool gives groups that keep every hard constraint, or an InfeasibleError."""
    try:
        formation = _form(pool)
    except InfeasibleError as error:
        failure: InfeasibleError | None = error
    else:
        failure = None
        _assert_hard_constraints(pool, formation)
    if failure is not None:
        assert SECRET not in str(failure)
        assert SECRET_MAIL not in str(failure)
        assert failure.path


@given(pools(feasible=True))
def test_formed_groups_validate_without_errors_under_the_profile(pool: Pool) -> None:
    """A feasible pool is formed, and its programme validates without errors."""
    formation = _form(pool)
    _assert_hard_constraints(pool, formation)
    report = validate(formation.to_programme("cohort"), pool.profile)
    assert report.ok, str(report)
    # groups have no meetings yet: meeting-count gives only an info note per group
    notes = report.by_code("meeting-count")
    assert len(notes) == len(formation.groups)
    assert all(note.severity.value == "info" for note in notes)


@settings(max_examples=60)
@given(pools(feasible=True), st.integers(0, 3))
def test_the_score_matches_what_the_groups_show(pool: Pool, seed: int) -> None:
    """The score's counts agree with the groups' fits, sizes and unassigned list."""
    formation = _form(pool, seed=seed)
    score = formation.score
    assert score["unassigned"].count == sum(
        1 for u in formation.unassigned if u.reason is not Reason.OUTSIDE_TARGET_GROUP
    )
    assert score["unavailable"].count == sum(len(f.unavailable) for f in formation.fits)
    assert score["if_need_be"].count == sum(len(f.if_need_be) for f in formation.fits)
    assert score["language"].count == sum(len(f.without_language) for f in formation.fits)
    sizes = [sum(1 for _ in g.members(Role.PEER)) for g in formation.groups]
    assert score["balance"].count == max(sizes) - min(sizes)
    if pool.poll is not None:
        # a common slot is one the scheduling poll finds every required member can attend
        required = {Role.PEER, Role.FACILITATOR}
        if get_profile(pool.profile).observer_required:
            required.add(Role.OBSERVER)
        for group, fit in zip(formation.groups, formation.fits, strict=True):
            people = [m.person for m in group.memberships if m.role in required]
            assert fit.common_slot == (fit.slot in common_slots(pool.poll, people))
    assert score.total == sum(t.count * t.weight for t in score)


def test_an_emessi2_sized_pool_makes_eleven_groups_of_six() -> None:
    """66 applicants from 33 small NGOs make 11 groups of 6 with all staff placed."""
    applicants = [
        Applicant(Person(f"p-{i:02d}", SECRET), Organisation(f"o-{i // 2:02d}", "", staff=3))
        for i in range(66)
    ]
    facilitators = [Staff(Person(f"f-{i}", SECRET), 2) for i in range(6)]
    observers = [Staff(Person(f"w-{i}", SECRET), 4) for i in range(3)]
    formation = form_groups(applicants, facilitators=facilitators, observers=observers)
    assert [sum(1 for _ in g.members(Role.PEER)) for g in formation.groups] == [6] * 11
    assert formation.score.total == 0
    assert [g.id for g in formation.groups] == [f"g-{n:02d}" for n in range(1, 12)]


def test_the_demo_cohort_gets_groups_of_the_preferred_size_and_no_size_warning() -> None:
    """The preferred size outranks common slots: the demo's 66 make 11 groups of 5-6."""
    import io

    from emessi.demo import applicants_csv, availability_poll
    from emessi.formation import read_applicants

    applicants = read_applicants(io.StringIO(applicants_csv()))
    facilitators = [Staff(Person(f"f-{i:02d}", SECRET), 2) for i in range(1, 7)]
    observers = [Staff(Person(f"w-{i:02d}", SECRET), 4) for i in range(1, 4)]
    options = {
        "facilitators": facilitators,
        "observers": observers,
        "availability": availability_poll(),
        "diversity": ["sector"],
    }
    formation = form_groups(applicants, **options)  # type: ignore[arg-type]
    sizes = [sum(1 for _ in g.members(Role.PEER)) for g in formation.groups]
    assert all(5 <= size <= 6 for size in sizes)
    assert formation.objective.group_size == 0
    assert not validate(formation.to_programme()).by_code("group-size")
    # the former order: flexibility first, the size among the preferences
    flexible = form_groups(
        applicants,
        weights=Weights(size_first=False),
        **options,  # type: ignore[arg-type]
    )
    assert flexible.objective.group_size == 0
    size = flexible.score["size"]
    assert flexible.objective.preferences >= size.points
    assert flexible.objective.rigid_slots <= formation.objective.rigid_slots


def test_size_first_must_be_a_bool() -> None:
    """Weights(size_first=...) takes True or False only."""
    with pytest.raises(UsageError) as caught:
        Weights(size_first=1)  # type: ignore[arg-type]
    assert caught.value.path == "size_first"


@settings(max_examples=40)
@given(pools(feasible=True), st.integers(0, 2**31))
def test_same_input_and_seed_give_the_same_groups(pool: Pool, seed: int) -> None:
    """Forming twice with one seed gives equal formations."""
    assert _form(pool, seed=seed) == _form(pool, seed=seed)


_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from datetime import time
    from emessi.formation import Applicant, Staff, form_groups
    from emessi.model import Organisation, Person
    from emessi.scheduling import Poll, Slot, common_slots
    slots = [Slot(f"s-{d}", d, time(10)) for d in range(5)]
    apps, answers = [], {}
    for i in range(40):
        org = Organisation(f"o-{i % 17}", "", sector=f"s{i % 17 % 3}", staff=2)
        apps.append(Applicant(Person(f"p-{i:02d}", "", languages=("fi", "sv")[: 1 + i % 2]), org))
        answers[f"p-{i:02d}"] = {s.id: ("yes", "no", "if-need-be")[(i * 7 + d) % 3]
                                 for d, s in enumerate(slots)}
    staff = [Staff(Person(f"f-{i}", ""), 2) for i in range(4)]
    seers = [Staff(Person(f"w-{i}", ""), 4) for i in range(2)]
    f = form_groups(apps, facilitators=staff, observers=seers,
                    availability=Poll.from_answers(slots, answers), diversity=["sector"],
                    seed=int(sys.argv[1]), effort=0.2)
    print(json.dumps([[m.person for m in g.memberships] for g in f.groups] + [f.score.total]))
    """
)


def test_groups_do_not_depend_on_hash_randomisation() -> None:
    """Processes with different PYTHONHASHSEED form the same groups from one seed."""
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT, "7"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]


def _people(n: int, orgs: int | None = None, staff: int = 2) -> list[Applicant]:
    orgs = orgs or n
    return [
        Applicant(
            Person(f"p-{i:02d}", SECRET, email=SECRET_MAIL),
            Organisation(f"o-{i % orgs:02d}", "", staff=staff),
        )
        for i in range(n)
    ]


def _lead(n: int, load: int = 1, prefix: str = "f") -> list[Staff]:
    return [Staff(Person(f"{prefix}-{i}", SECRET, email=SECRET_MAIL), load) for i in range(n)]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"applicants": _people(66), "facilitators": _lead(5)}, "too few facilitators"),
        ({"applicants": _people(66), "observers": _lead(2, 2, "w")}, "too few observers"),
        ({"applicants": _people(2)}, "fewer than the smallest allowed group"),
        ({"applicants": _people(12), "groups": 5}, "cannot fill 5 groups"),
        ({"applicants": _people(12), "groups": 3, "facilitators": _lead(2)}, "cover only 2"),
        ({"applicants": [], "groups": None}, "no applicants"),
    ],
)
def test_infeasible_pools_say_which_constraint_fails(kwargs: dict[str, object], words: str) -> None:
    """Infeasible pools raise InfeasibleError naming the constraint, with ids and counts only."""
    options: dict[str, object] = {
        "facilitators": _lead(20, 2),
        "observers": _lead(20, 4, "w"),
        **kwargs,
    }
    with pytest.raises(InfeasibleError) as caught:
        form_groups(**options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert words in message
    assert SECRET not in message
    assert SECRET_MAIL not in message
    assert caught.value.path


@pytest.mark.parametrize("n", [12, 30])
def test_an_overflowing_organisation_is_placed_at_a_cost_when_same_organisation_warns(
    n: int,
) -> None:
    """eMessi's same-organisation is a warning: colleagues beyond the groups share them."""
    pool = _people(n, orgs=2)
    org = {a.id: a.person.organisation for a in pool}
    formation = form_groups(pool, facilitators=_lead(20, 2), observers=_lead(20, 4, "w"))
    k = len(formation.groups)
    assert not formation.unassigned
    for group in formation.groups:
        together = Counter(org[m.person] for m in group.members(Role.PEER))
        assert max(together.values()) <= -(-(n // 2) // k)
    assert formation.score["same_organisation"].count == n - 2 * k
    assert SECRET not in repr(formation.unassigned)


def test_an_overflowing_organisation_leaves_the_extra_out_when_same_organisation_is_an_error() -> (
    None
):
    """With same-organisation an error, each group takes one colleague; the rest get a reason."""
    strict = attrs.evolve(get_profile(), severities={"same-organisation": "error"})
    pool = _people(10) + [
        Applicant(Person(f"q-{i}", SECRET), Organisation("o-big", "", staff=3)) for i in range(4)
    ]
    formation = form_groups(
        pool, strict, groups=2, facilitators=_lead(2), observers=_lead(2, prefix="w")
    )
    left = [u for u in formation.unassigned if u.applicant.startswith("q-")]
    assert len(left) == 2
    assert {u.reason for u in left} == {Reason.ORGANISATION_FULL}
    assert formation.bound.unassigned == 2 * Weights().unassigned
    assert formation.optimal
    assert formation.score["same_organisation"].count == 0


def test_staff_conflicts_that_leave_no_staffing_are_infeasible() -> None:
    """A facilitator in conflict with the only observer cannot staff a group."""
    with pytest.raises(InfeasibleError, match="conflict pair"):
        form_groups(
            _people(6),
            facilitators=_lead(1),
            observers=_lead(1, prefix="w"),
            conflicts=[("f-0", "w-0")],
        )


def test_too_few_staff_for_the_preferred_size_uses_larger_allowed_groups() -> None:
    """With staff for 9 groups, 66 applicants make 9 groups of 7-8 (allowed, not preferred)."""
    formation = form_groups(_people(66), facilitators=_lead(9), observers=_lead(9, prefix="w"))
    sizes = sorted(sum(1 for _ in g.members(Role.PEER)) for g in formation.groups)
    assert len(sizes) == 9
    assert set(sizes) <= {7, 8}
    assert formation.score["size"].count == sum(s - 6 for s in sizes)


def test_applicants_beyond_every_group_s_room_are_unassigned_with_a_reason() -> None:
    """With 2 groups of at most 8, 20 applicants leave 4 without a group: no room."""
    formation = form_groups(
        _people(20), groups=2, facilitators=_lead(2), observers=_lead(2, prefix="w")
    )
    assert [u.reason for u in formation.unassigned] == [Reason.NO_ROOM] * 4
    assert formation.score["unassigned"].count == 4


def test_outside_target_applicants_are_reported_or_excluded() -> None:
    """A workplace of 5 or more staff is reported, or left out with a reason."""
    pool = _people(12)
    pool[0] = attrs.evolve(pool[0], organisation=Organisation("o-00", "", staff=12))
    kept = form_groups(pool, facilitators=_lead(2), observers=_lead(2, prefix="w"))
    assert kept.outside_target == ("p-00",)
    assert not kept.unassigned
    assert validate(kept.to_programme()).by_code("workplace-size")
    left = form_groups(
        pool, facilitators=_lead(2), observers=_lead(2, prefix="w"), eligibility="exclude"
    )
    assert left.unassigned[0].applicant == "p-00"
    assert left.unassigned[0].reason is Reason.OUTSIDE_TARGET_GROUP
    assert "p-00" not in {p.id for p in left.people}


def test_a_common_slot_is_found_when_one_exists() -> None:
    """When every applicant can attend one slot, the groups meet there, nobody unavailable."""
    pool = _people(12)
    staff, seers = _lead(2), _lead(2, prefix="w")
    answers = {p.id: {"tue-14": "yes"} for p in pool + staff + seers}
    formation = form_groups(
        pool, facilitators=staff, observers=seers, availability=Poll.from_answers(SLOTS, answers)
    )
    assert [f.slot.id for f in formation.fits if f.slot] == ["tue-14", "tue-14"]
    assert all(f.common_slot for f in formation.fits)


def test_staff_leading_two_groups_get_two_slots() -> None:
    """A facilitator and an observer of two groups see them in different slots."""
    pool = _people(12)
    staff, seers = _lead(1, 2), _lead(1, 2, "w")
    answers = {p.id: {s.id: "yes" for s in SLOTS} for p in pool + staff + seers}
    formation = form_groups(
        pool, facilitators=staff, observers=seers, availability=Poll.from_answers(SLOTS, answers)
    )
    assert len({f.slot for f in formation.fits}) == 2
    assert formation.score["staff_clash"].count == 0


def test_a_minority_language_gets_a_group_of_its_own() -> None:
    """Six Swedish speakers and six Finnish speakers form one group per language."""
    pool = _people(12)
    pool = [
        attrs.evolve(a, person=attrs.evolve(a.person, languages=("sv",) if i < 6 else ("fi",)))
        for i, a in enumerate(pool)
    ]
    staff = [Staff(Person(f"f-{i}", "", languages=("fi", "sv"))) for i in range(2)]
    seers = [Staff(Person(f"w-{i}", "", languages=("fi", "sv"))) for i in range(2)]
    formation = form_groups(pool, facilitators=staff, observers=seers)
    assert sorted(f.language or "" for f in formation.fits) == ["fi", "sv"]
    assert formation.score.total == 0


def test_diversity_spreads_sectors_when_asked() -> None:
    """Asked for sector diversity, no group repeats a sector when none needs to."""
    sectors = ["youth", "culture", "health", "sports", "social", "environment"]
    pool = [
        Applicant(Person(f"p-{i:02d}", ""), Organisation(f"o-{i:02d}", "", sector=sectors[i // 2]))
        for i in range(12)
    ]
    formation = form_groups(
        pool, facilitators=_lead(2), observers=_lead(2, prefix="w"), diversity=["sector"]
    )
    assert formation.score["diversity"].count == 0
    sector_of = {a.id: a.organisation.sector for a in pool if a.organisation}
    for group in formation.groups:
        seen = [sector_of[m.person] for m in group.members(Role.PEER)]
        assert len(seen) == len(set(seen))


def test_conflict_pairs_are_kept_apart_even_at_a_cost() -> None:
    """A conflict pair ends in different groups although one slot suits both."""
    pool = _people(12)
    formation = form_groups(
        pool,
        facilitators=_lead(2),
        observers=_lead(2, prefix="w"),
        conflicts=[("p-00", "p-01"), ("p-00", "f-1")],
    )
    group_of = {m.person: g.id for g in formation.groups for m in g.memberships}
    assert group_of["p-00"] != group_of["p-01"]
    assert group_of["p-00"] != group_of["f-1"]


def test_weights_change_the_choice() -> None:
    """With the size weight at 0 and balance at 0, the score ignores group sizes."""
    formation = form_groups(
        _people(14),
        facilitators=_lead(3),
        observers=_lead(3, prefix="w"),
        weights=Weights(size=0, balance=0),
    )
    assert formation.score["size"].weight == 0
    assert formation.score.total == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "path"),
    [
        ({"applicants": ["p-01"]}, UsageError, "applicants[0]"),
        ({"facilitators": ["f-01"]}, UsageError, "facilitators[0]"),
        ({"eligibility": "maybe"}, UsageError, "eligibility"),
        ({"diversity": ["age"]}, UsageError, "diversity"),
        ({"groups": 0}, UsageError, "groups"),
        ({"availability": {"p-00": {}}}, UsageError, "availability"),
        ({"conflicts": [("p-00", "nobody")]}, UnknownReferenceError, "conflicts[0]"),
        ({"conflicts": [("p-00", "p-00")]}, DomainError, "conflicts[0]"),
        ({"conflicts": ["p-00"]}, UsageError, "conflicts[0]"),
        ({"timezone": "Mars/Olympus"}, EmessiError, "timezone"),
        ({"weights": {"size": 1}}, UsageError, "weights"),
        ({"effort": -1}, UsageError, "effort"),
        ({"polish": "long"}, UsageError, "polish"),
    ],
)
def test_bad_arguments_raise_an_emessi_error_with_a_path(
    kwargs: dict[str, object], error: type[EmessiError], path: str
) -> None:
    """Wrong kinds of arguments and unknown ids raise EmessiError subclasses with a path."""
    options: dict[str, object] = {
        "applicants": _people(6),
        "facilitators": _lead(1),
        "observers": _lead(1, prefix="w"),
        **kwargs,
    }
    with pytest.raises(error) as caught:
        form_groups(**options)  # type: ignore[arg-type]
    assert caught.value.path == path
    assert SECRET not in str(caught.value)


def test_duplicate_people_are_refused() -> None:
    """The same id as applicant and facilitator is a DomainError at the second place."""
    pool = _people(6)
    with pytest.raises(DomainError) as caught:
        form_groups(pool, facilitators=[Person("p-03", SECRET)], observers=_lead(1, prefix="w"))
    assert caught.value.path == "facilitators[0]"


def test_one_organisation_described_two_ways_is_refused() -> None:
    """Two applicants giving different details for one organisation id is a DomainError."""
    pool = _people(6, orgs=6)
    person = attrs.evolve(pool[1].person, organisation="o-00")
    pool[1] = Applicant(person, Organisation("o-00", "", staff=4))
    with pytest.raises(DomainError) as caught:
        form_groups(pool, facilitators=_lead(1), observers=_lead(1, prefix="w"))
    assert caught.value.path == "applicants[1].organisation"


def test_inputs_are_not_mutated() -> None:
    """form_groups leaves the caller's lists as they were."""
    pool, staff, seers = _people(12), _lead(2), _lead(2, prefix="w")
    conflicts = [("p-00", "p-01")]
    before = (list(pool), list(staff), list(seers), list(conflicts))
    form_groups(pool, facilitators=staff, observers=seers, conflicts=conflicts)
    assert (pool, staff, seers, conflicts) == before


def test_formation_lookups() -> None:
    """fit() finds a group's fit; an unknown group is a UsageError; to_programme adds orgs."""
    formation = form_groups(_people(6), facilitators=_lead(1), observers=_lead(1, prefix="w"))
    assert formation.fit("g-01").group == "g-01"
    with pytest.raises(UsageError):
        formation.fit("g-99")
    extra = Organisation("humak", "Humak", sector="education", staff=400)
    programme = formation.to_programme("p", organisations=[extra])
    assert programme.organisations[-1] == extra
    assert programme.profile == "emessi"


def test_the_how_to_documents_the_default_weights() -> None:
    """The how-to's weights table is Weights()' defaults and meanings, in score order."""
    from pathlib import Path

    from emessi.formation import Score

    page = Path(__file__).resolve().parent.parent / "docs" / "howto" / "form-groups.md"
    text = page.read_text(encoding="utf-8").split("| objective | weight | counts |", 1)[1]
    rows = []
    for line in text.splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    terms = Score.of({}, Weights()).terms
    assert rows == [[t.objective, str(t.weight), t.meaning] for t in terms]


def test_an_organisation_given_only_as_an_id_still_separates_its_peers() -> None:
    """Peers whose person names one organisation id are kept apart without the record."""
    pool = [Applicant(Person(f"p-{i:02d}", "", organisation=f"o-{i % 6}")) for i in range(12)]
    formation = form_groups(pool, facilitators=_lead(2), observers=_lead(2, prefix="w"))
    org = {a.id: a.person.organisation for a in pool}
    for group in formation.groups:
        peers = [m.person for m in group.members(Role.PEER)]
        assert len({org[p] for p in peers}) == len(peers)


def test_a_conflict_triangle_in_two_groups_leaves_one_out_for_separation() -> None:
    """Three people pairwise in conflict cannot all fit in two groups: one is left out."""
    formation = form_groups(
        _people(12),
        groups=2,
        facilitators=_lead(2),
        observers=_lead(2, prefix="w"),
        conflicts=[("p-00", "p-01"), ("p-00", "p-02"), ("p-01", "p-02")],
    )
    assert len(formation.unassigned) == 1
    assert formation.unassigned[0].applicant in {"p-00", "p-01", "p-02"}
    assert formation.unassigned[0].reason is Reason.SEPARATION


def test_when_leaving_out_is_free_a_costly_applicant_is_left_out_for_cost() -> None:
    """With no cost for leaving people out, one who can attend no slot is left out."""
    pool = _people(13)
    staff, seers = _lead(2), _lead(2, prefix="w")
    answers = {p.id: {s.id: "yes" for s in SLOTS} for p in pool + staff + seers}
    answers["p-12"] = {s.id: "no" for s in SLOTS}
    formation = form_groups(
        pool,
        facilitators=staff,
        observers=seers,
        availability=Poll.from_answers(SLOTS, answers),
        weights=Weights(unassigned=0),
    )
    assert [(u.applicant, u.reason) for u in formation.unassigned] == [("p-12", Reason.COST)]
    assert formation.score.total == 0
