"""Validation: every built-in rule fires on a minimal breach, at the exact path."""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emessi import (
    AgendaItem,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    Organisation,
    Person,
    Programme,
    Role,
    Severity,
    Theme,
    get_profile,
)
from emessi.errors import InvalidPlanError, ProfileError, UsageError
from emessi.rules import (
    Breach,
    Finding,
    Report,
    register_rule,
    registered_rules,
    unregister_rule,
    validate,
)
from emessi.testing import groups, meetings, programmes

HELSINKI = ZoneInfo("Europe/Helsinki")
FIRST = datetime(2014, 1, 14, 14, 0, tzinfo=HELSINKI)
RULE_FAILED = "the rule failed"
_SOME = settings(max_examples=max(10, settings.default.max_examples // 3))


# -- a baseline that follows the method, and minimal breaches of it ---------


def _meetings(n: int = 6, *, day: int = 0) -> tuple[Meeting, ...]:
    start = FIRST + timedelta(days=day)
    return tuple(
        Meeting(i, start + timedelta(weeks=4 * (i - 1)), timedelta(minutes=90))
        for i in range(1, n + 1)
    )


def _group(n: int = 1, peers: int = 5) -> Group:
    """Group n: peers pN-1.., facilitator fN, observer wN, six meetings on day n."""
    members = [Membership(f"p{n}-{k}") for k in range(1, peers + 1)]
    members += [Membership(f"f{n}", Role.FACILITATOR), Membership(f"w{n}", Role.OBSERVER)]
    return Group(f"g-0{n}", memberships=members, meetings=_meetings(day=n - 1))


def _programme(*groups_: Group) -> Programme:
    """A programme with a person for every member and a small workplace for every peer."""
    groups_ = groups_ or (_group(1), _group(2))
    people_: dict[str, Person] = {}
    organisations: list[Organisation] = []
    for group in groups_:
        for m in group.memberships:
            if m.person in people_:
                continue
            org = None
            if m.role is Role.PEER:
                org = f"o-{m.person}"
                organisations.append(Organisation(org, f"Association {m.person}", staff=2))
            people_[m.person] = Person(m.person, f"Name of {m.person}", organisation=org)
    return Programme(
        "prog", organisations=organisations, people=list(people_.values()), groups=groups_
    )


def _with_memberships(group: Group, *members: Membership) -> Group:
    return attrs.evolve(group, memberships=(*group.memberships, *members))


def _change_meeting(group: Group, index: int, **changes: object) -> Group:
    meetings_ = list(group.meetings)
    meetings_[index] = attrs.evolve(meetings_[index], **changes)
    return attrs.evolve(group, meetings=meetings_)


def _held_first(group: Group) -> Group:
    return _change_meeting(group, 0, status=MeetingStatus.HELD)


@attrs.frozen
class Case:
    """A minimal breach of one rule and the finding it must produce."""

    name: str
    code: str
    scope: str
    build: Callable[[], Meeting | Group | Programme]
    path: str
    severity: Severity
    also: frozenset[str] = frozenset()  # other codes the breach may trigger


def _p(programme_groups: Callable[[], tuple[Group, ...]]) -> Callable[[], Programme]:
    return lambda: _programme(*programme_groups())


CASES = [
    Case(
        "too few peers",
        "group-size",
        "group",
        lambda: _group(peers=2),
        "memberships",
        Severity.ERROR,
    ),
    Case(
        "seven peers",
        "group-size",
        "group",
        lambda: _group(peers=7),
        "memberships",
        Severity.WARNING,
    ),
    Case(
        "a peer who left does not count",
        "group-size",
        "group",
        lambda: attrs.evolve(
            _group(),
            memberships=[
                attrs.evolve(m, left=date(2013, 12, 1)) if m.person == "p1-5" else m
                for m in _group().memberships
            ],
        ),
        "memberships",
        Severity.WARNING,
    ),
    Case(
        "no facilitator",
        "facilitator-count",
        "group",
        lambda: attrs.evolve(
            _group(),
            memberships=[m for m in _group().memberships if m.role is not Role.FACILITATOR],
        ),
        "memberships",
        Severity.ERROR,
    ),
    Case(
        "two observers",
        "observer-count",
        "group",
        lambda: _with_memberships(_group(), Membership("w9", Role.OBSERVER)),
        "memberships",
        Severity.ERROR,
    ),
    Case(
        "no observer",
        "observer-count",
        "group",
        lambda: attrs.evolve(
            _group(), memberships=[m for m in _group().memberships if m.role is not Role.OBSERVER]
        ),
        "memberships",
        Severity.WARNING,
    ),
    Case(
        "facilitator is also a peer",
        "role-conflict",
        "group",
        lambda: _with_memberships(_group(peers=5), Membership("f1", Role.PEER)),
        "memberships[7].role",
        Severity.ERROR,
        frozenset({"group-size", "duplicate-id"}),
    ),
    Case(
        "a peer in two groups",
        "role-conflict",
        "programme",
        _p(lambda: (_group(1), _with_memberships(_group(2), Membership("p1-1")))),
        'groups["g-02"].memberships[7]',
        Severity.WARNING,
        frozenset({"group-size"}),
    ),
    Case(
        "a peer joins after the first meeting was held",
        "closed-membership",
        "group",
        lambda: _with_memberships(
            _held_first(_group()), Membership("p1-9", joined=date(2014, 2, 1))
        ),
        "memberships[7].joined",
        Severity.ERROR,
        frozenset({"group-size"}),
    ),
    Case(
        "leaves before joining",
        "membership-dates",
        "group",
        lambda: _with_memberships(
            _group(), Membership("p1-9", joined=date(2014, 2, 1), left=date(2014, 1, 1))
        ),
        "memberships[7].left",
        Severity.ERROR,
    ),
    Case(
        "three meetings",
        "meeting-count",
        "group",
        lambda: attrs.evolve(_group(), meetings=_meetings(3)),
        "meetings",
        Severity.ERROR,
    ),
    Case(
        "nine meetings",
        "meeting-count",
        "group",
        lambda: attrs.evolve(_group(), meetings=_meetings(9)),
        "meetings",
        Severity.WARNING,
    ),
    Case(
        "no meetings yet",
        "meeting-count",
        "group",
        lambda: attrs.evolve(_group(), meetings=()),
        "meetings",
        Severity.INFO,
    ),
    Case(
        "a week after the previous meeting",
        "meeting-rhythm",
        "group",
        lambda: _change_meeting(_group(), 2, start=FIRST + timedelta(weeks=5)),
        "meetings[2].start",
        Severity.ERROR,
    ),
    Case(
        "ten weeks after the previous meeting",
        "meeting-rhythm",
        "group",
        lambda: attrs.evolve(
            _group(),
            meetings=[
                *_meetings(5),
                Meeting(6, FIRST + timedelta(weeks=16 + 10), timedelta(minutes=90)),
            ],
        ),
        "meetings[5].start",
        Severity.WARNING,
    ),
    Case(
        "numbers out of order",
        "meeting-order",
        "group",
        lambda: attrs.evolve(
            _group(),
            meetings=[attrs.evolve(m, number=7 - m.number) for m in _meetings()],
        ),
        "meetings[1].number",
        Severity.WARNING,
    ),
    Case(
        "two meetings of a group at once",
        "meeting-overlap",
        "group",
        lambda: _change_meeting(_group(), 1, start=FIRST + timedelta(minutes=30)),
        "meetings[1].start",
        Severity.ERROR,
        frozenset({"meeting-rhythm"}),
    ),
    Case(
        "a facilitator in two groups at once",
        "meeting-overlap",
        "programme",
        _p(
            lambda: (
                _group(1),
                attrs.evolve(
                    _group(2),
                    memberships=[
                        *(m for m in _group(2).memberships if m.role is not Role.FACILITATOR),
                        Membership("f1", Role.FACILITATOR),
                    ],
                    meetings=_meetings(),
                ),
            )
        ),
        'groups["g-02"].meetings[0].start',
        Severity.ERROR,
    ),
    Case(
        "a 45-minute meeting",
        "meeting-duration",
        "meeting",
        lambda: Meeting(1, FIRST, timedelta(minutes=45)),
        "duration",
        Severity.ERROR,
    ),
    Case(
        "a 150-minute meeting",
        "meeting-duration",
        "meeting",
        lambda: Meeting(1, FIRST, timedelta(minutes=150)),
        "duration",
        Severity.WARNING,
    ),
    Case(
        "an agenda longer than the meeting",
        "agenda-fits",
        "meeting",
        lambda: Meeting(1, FIRST, agenda=[AgendaItem("Round", 60), AgendaItem("Theme", 40)]),
        "agenda",
        Severity.ERROR,
    ),
    Case(
        "a theme nobody defined",
        "unknown-theme",
        "meeting",
        lambda: Meeting(1, FIRST, themes=["recovery", "no-such-theme"]),
        "themes[1]",
        Severity.ERROR,
    ),
    Case(
        "attendance of a non-member",
        "unknown-reference",
        "meeting",
        lambda: _change_meeting(
            _group(), 0, status=MeetingStatus.HELD, attendance=["p1-1", "x-99"]
        ),
        "meetings[0].attendance[1]",
        Severity.ERROR,
    ),
    Case(
        "a secretary who is not a peer",
        "unknown-reference",
        "meeting",
        lambda: _change_meeting(_group(), 0, secretary="f1"),
        "meetings[0].secretary",
        Severity.ERROR,
    ),
    Case(
        "a member who is nobody",
        "unknown-reference",
        "programme",
        lambda: attrs.evolve(
            _programme(), people=[p for p in _programme().people if p.id != "p2-3"]
        ),
        'groups["g-02"].memberships[2].person',
        Severity.ERROR,
    ),
    Case(
        "a person in no organisation",
        "unknown-reference",
        "programme",
        lambda: attrs.evolve(
            _programme(), organisations=[o for o in _programme().organisations if o.id != "o-p1-2"]
        ),
        'people["p1-2"].organisation',
        Severity.ERROR,
    ),
    Case(
        "attendance of a planned meeting",
        "attendance-status",
        "meeting",
        lambda: Meeting(1, FIRST, attendance=["p1-1"]),
        "attendance",
        Severity.WARNING,
    ),
    Case(
        "two meetings numbered 1",
        "duplicate-id",
        "group",
        lambda: _change_meeting(_group(), 1, number=1),
        "meetings[1].number",
        Severity.ERROR,
        frozenset({"meeting-order"}),
    ),
    Case(
        "a member twice",
        "duplicate-id",
        "group",
        lambda: _with_memberships(_group(peers=4), Membership("p1-1")),
        "memberships[6]",
        Severity.ERROR,
    ),
    Case(
        "a group's own theme twice",
        "duplicate-id",
        "group",
        lambda: attrs.evolve(_group(), themes=[Theme("own", "Own"), Theme("own", "Own again")]),
        "themes[1].id",
        Severity.ERROR,
    ),
    Case(
        "two groups with one id",
        "duplicate-id",
        "programme",
        _p(lambda: (_group(1), attrs.evolve(_group(2), id="g-01"))),
        "groups[1].id",
        Severity.ERROR,
    ),
    Case(
        "a workplace of twelve",
        "workplace-size",
        "programme",
        lambda: attrs.evolve(
            _programme(),
            organisations=[
                attrs.evolve(o, staff=12) if o.id == "o-p2-4" else o
                for o in _programme().organisations
            ],
        ),
        'organisations["o-p2-4"].staff',
        Severity.WARNING,
    ),
    Case(
        "two peers from one workplace",
        "same-organisation",
        "programme",
        lambda: attrs.evolve(
            _programme(),
            people=[
                attrs.evolve(p, organisation="o-p1-1") if p.id == "p1-3" else p
                for p in _programme().people
            ],
        ),
        'groups["g-01"].memberships[2]',
        Severity.WARNING,
    ),
]


def _findings_at(case: Case, lang: str = "en") -> list[Finding]:
    report = validate(case.build(), lang=lang)
    return [f for f in report.findings if f.code == case.code and f.path == case.path]


def test_baseline_follows_the_method() -> None:
    """The baseline group and programme the cases start from validate with no finding."""
    assert validate(_group()).findings == ()
    assert validate(_programme()).findings == ()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}: {c.name}")
def test_rule_fires_on_a_minimal_breach_at_the_exact_path(case: Case) -> None:
    """The breach yields a finding of the rule, at the offending field, with its severity."""
    report = validate(case.build())
    found = _findings_at(case)
    assert found, [str(f) for f in report.findings]
    assert {f.severity for f in found} == {case.severity}
    assert report.codes() <= {case.code, *case.also}, [str(f) for f in report.findings]
    assert not any(RULE_FAILED in f.message for f in report.findings)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}: {c.name}")
def test_every_finding_has_a_finnish_message(case: Case) -> None:
    """validate(..., lang="fi") gives every built-in finding a Finnish message."""
    english = {(f.code, f.path): f.message for f in validate(case.build()).findings}
    finnish = {(f.code, f.path): f.message for f in validate(case.build(), lang="fi").findings}
    assert english.keys() == finnish.keys()
    for key, message in finnish.items():
        assert message, key
        assert message != english[key], key


def _builtin_rules() -> set[tuple[str, str]]:
    return {
        (r.code, r.scope) for r in registered_rules() if r.check.__module__.startswith("emessi.")
    }


def test_every_registered_rule_has_a_case() -> None:
    """Each built-in (code, scope) has a breach case here, so a new rule needs a test."""
    assert _builtin_rules() <= {(c.code, c.scope) for c in CASES}


def test_every_case_names_a_registered_rule() -> None:
    """No case tests a rule that no longer exists."""
    assert {(c.code, c.scope) for c in CASES} <= _builtin_rules()


def test_every_rule_has_documentation() -> None:
    """Every registered rule has a docstring whose first line is its summary."""
    for registered in registered_rules():
        assert registered.summary, registered.code
        assert registered.doc.startswith(registered.summary)


@st.composite
def _crowded_programmes(draw: st.DrawFn) -> Programme:
    """Groups sharing a few people, with meetings packed into one day."""
    groups_ = []
    for g in range(draw(st.integers(2, 4))):
        members = draw(st.lists(st.sampled_from(["f-a", "f-b", "f-c"]), min_size=1, unique=True))
        meetings_ = [
            Meeting(
                n,
                FIRST + timedelta(minutes=draw(st.integers(0, 600))),
                timedelta(minutes=draw(st.integers(1, 300))),
            )
            for n in range(1, draw(st.integers(1, 4)) + 1)
        ]
        groups_.append(
            Group(
                f"g-{g}",
                memberships=[Membership(p, Role.FACILITATOR) for p in members],
                meetings=meetings_,
            )
        )
    return Programme("p", people=[Person(p, p) for p in ("f-a", "f-b", "f-c")], groups=groups_)


def _overlaps_by_brute_force(programme: Programme) -> Counter[str]:
    """Each person's meetings that start before one of another group ends (sorted order)."""
    booked: dict[str, list[tuple[datetime, datetime, str, int]]] = {}
    for group in programme.groups:
        for index, meeting in enumerate(group.meetings):
            for m in group.memberships:
                booked.setdefault(m.person, []).append(
                    (meeting.start, meeting.end, group.id, index)
                )
    found: Counter[str] = Counter()
    for slots in booked.values():
        slots.sort()
        for i, (start, _, group, index) in enumerate(slots):
            if any(other != group and start < end for _, end, other, _ in slots[:i]):
                found[f'groups["{group}"].meetings[{index}].start'] += 1
    return found


@given(_crowded_programmes())
def test_programme_overlap_matches_brute_force(programme: Programme) -> None:
    """meeting-overlap finds every double booking across groups (checked pair by pair)."""
    reported = Counter(
        f.path
        for f in validate(programme).by_code("meeting-overlap")
        if "also in a meeting of group" in f.message
    )
    assert reported == _overlaps_by_brute_force(programme)


def test_overlap_inside_a_long_meeting_of_another_group() -> None:
    """A short meeting inside another group's long one is found, even after a longer own one."""
    f = Membership("f-01", Role.FACILITATOR)
    long_other = Group("g-02", memberships=[f], meetings=[Meeting(1, FIRST, timedelta(hours=6))])
    own = Group(
        "g-01",
        memberships=[f],
        meetings=[
            Meeting(1, FIRST + timedelta(hours=1), timedelta(hours=6)),
            Meeting(2, FIRST + timedelta(hours=5), timedelta(minutes=30)),
        ],
    )
    report = validate(Programme("p", people=[Person("f-01", "F")], groups=[own, long_other]))
    messages = {
        f.path: f.message for f in report.by_code("meeting-overlap") if "also in" in f.message
    }
    assert messages['groups["g-01"].meetings[1].start'].endswith("group 'g-02' at this time.")


# -- the eMessi2 cohort -----------------------------------------------------


@cache
def _cohort() -> Programme:
    """The cohort that the main demo, examples/emessi2_cohort.py, builds and validates."""
    path = Path(__file__).resolve().parents[1] / "examples" / "emessi2_cohort.py"
    spec = importlib.util.spec_from_file_location("emessi2_cohort_example", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cohort: Programme = module.emessi2_cohort()  # emessi.demo's, as the demo calls it
    return cohort


def test_rules_are_silent_on_the_emessi2_cohort() -> None:
    """The eMessi2-like cohort gives no finding at all, in English or Finnish."""
    cohort = _cohort()
    assert len(cohort.groups) == 11
    assert validate(cohort).findings == ()
    assert validate(cohort, lang="fi").findings == ()


@pytest.mark.parametrize("index", range(11))
def test_each_cohort_group_is_silent_alone(index: int) -> None:
    """Each group of the cohort also validates with no finding on its own."""
    group = _cohort().groups[index]
    assert validate(group).findings == ()
    for meeting in group.meetings:
        assert validate(meeting).findings == ()


# -- the engine -------------------------------------------------------------


@given(programmes())
def test_validation_is_total_on_programmes(programme: Programme) -> None:
    """Any generated programme validates to a Report; no rule fails."""
    report = validate(programme)
    assert isinstance(report, Report)
    assert not [str(f) for f in report.findings if RULE_FAILED in f.message]


@_SOME
@given(groups(), st.sampled_from(["emessi", "verme"]), st.sampled_from(["en", "fi"]))
def test_validation_is_total_on_groups(group: Group, profile: str, lang: str) -> None:
    """Any generated group validates under every built-in profile, in both languages."""
    report = validate(group, profile, lang=lang)
    assert not [str(f) for f in report.findings if RULE_FAILED in f.message]
    assert all(f.message for f in report.findings)


@given(meetings())
def test_validation_is_total_on_meetings(meeting: Meeting) -> None:
    """Any generated meeting validates to a Report; no rule fails."""
    report = validate(meeting)
    assert not [str(f) for f in report.findings if RULE_FAILED in f.message]


@_SOME
@given(programmes(conforming=True))
def test_conforming_programmes_validate_ok(programme: Programme) -> None:
    """Programmes that follow the method validate without errors."""
    report = validate(programme)
    assert report.ok, str(report)


@_SOME
@given(programmes())
def test_validation_does_not_mutate(programme: Programme) -> None:
    """Validating leaves the subject and the profile as they were; results are stable."""
    profile = attrs.evolve(get_profile(), name="copy", severities={"group-size": "warning"})
    before = (programme, attrs.asdict(programme), attrs.asdict(profile))
    first = validate(programme, profile)
    assert (programme, attrs.asdict(programme), attrs.asdict(profile)) == before
    assert validate(programme, profile) == first


def test_a_failing_rule_is_reported_not_raised() -> None:
    """A rule that raises becomes an error finding; validate itself does not raise."""

    def broken(group: Group, ctx: object) -> list[Breach]:
        """A rule that always fails."""
        raise ZeroDivisionError

    register_rule("test-broken", broken, scope="group")
    try:
        report = validate(_group())
    finally:
        unregister_rule("test-broken")
    [finding] = report.by_code("test-broken")
    assert finding.severity is Severity.ERROR
    assert RULE_FAILED in finding.message
    assert "test-broken" not in {r.code for r in registered_rules()}


def test_register_rule_refuses_a_duplicate_and_a_bad_scope() -> None:
    """A code is registered once per scope; the scope must be meeting, group or programme."""

    def check(group: Group, ctx: object) -> list[Breach]:
        """Nothing to report."""
        return []

    with pytest.raises(ProfileError):
        register_rule("group-size", check, scope="group")
    with pytest.raises(UsageError):
        register_rule("x-rule", check, scope="cohort")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        unregister_rule("no-such-rule")


def test_register_rule_with_replace_and_severity() -> None:
    """A replaced rule runs instead of the old one; unregistering by scope keeps the other."""

    def loud(group: Group, ctx: object) -> list[Breach]:
        """Always a note."""
        return [Breach("name", {"en": "a note", "fi": "huomio"})]

    register_rule("test-loud", loud, scope="group", severity=Severity.INFO)
    register_rule("test-loud", loud, scope="meeting", severity=Severity.WARNING)
    try:
        report = validate(_group())
        assert {f.severity for f in report.by_code("test-loud")} == {
            Severity.INFO,
            Severity.WARNING,
        }
        assert report.ok
        unregister_rule("test-loud", "meeting")
        assert [f.path for f in validate(_group()).by_code("test-loud")] == ["name"]
        assert validate(_group(), lang="fi").by_code("test-loud")[0].message == "huomio"
    finally:
        unregister_rule("test-loud")


def test_validate_refuses_misuse() -> None:
    """A subject that is not a meeting, group or programme, or an unknown language."""
    with pytest.raises(UsageError):
        validate("g-01")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        validate(_group(), lang="de")


def test_report_api() -> None:
    """Report: ok, errors, warnings, summary, codes, by_code, str, raise_for_errors."""
    report = validate(attrs.evolve(_group(peers=2), meetings=_meetings(9)))
    assert not report.ok
    assert [f.code for f in report.errors] == ["group-size"]
    assert [f.code for f in report.warnings] == ["meeting-count"]
    assert report.codes() == {"group-size", "meeting-count"}
    assert len(report) == 2
    assert list(report) == list(report.findings)
    assert report.summary() == "1 error, 1 warning"
    assert str(report).splitlines()[0] == "1 error, 1 warning"
    assert "group-size" in str(report).splitlines()[1]
    with pytest.raises(InvalidPlanError) as caught:
        report.raise_for_errors()
    assert caught.value.path == "memberships"
    assert caught.value.report is report
    assert Report().raise_for_errors().ok


def test_report_orders_findings_programme_then_groups_then_meetings() -> None:
    """Findings come in a stable order: programme rules, then each group, then its meetings."""
    programme = _programme(
        _change_meeting(_group(1, peers=2), 0, duration=timedelta(minutes=45)), _group(2)
    )
    programme = attrs.evolve(
        programme,
        organisations=[attrs.evolve(o, staff=12) for o in programme.organisations],
    )
    paths = [f.path for f in validate(programme).findings]
    assert paths[0].startswith("organisations[")
    assert paths.index('groups["g-01"].memberships') < paths.index(
        'groups["g-01"].meetings[0].duration'
    )


def test_unknown_programme_profile_is_a_finding_not_an_exception() -> None:
    """A programme naming an unknown profile validates under eMessi with an error at `profile`."""
    report = validate(Programme("p", profile="no-such-sector"))
    (finding,) = report.by_code("unknown-reference")
    assert finding.path == "profile"
    assert finding.severity is Severity.ERROR
    assert "no-such-sector" in finding.message
    assert not report.ok
