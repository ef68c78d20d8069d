"""Scenarios: construction, validation with paths, and the document round trip."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import DocumentError, ScenarioError, UsageError
from emessi.io.documents import dumps, from_data, loads, to_data
from emessi.model import Group, Membership, Programme, Role
from emessi.scheduling import Blackout, PublicHolidays
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    DropoutTiming,
    FacilitatorPool,
    ReschedulePolicy,
    Scenario,
    StartWindow,
    simulate,
)

SEPTEMBER = StartWindow(date(2025, 9, 1), date(2025, 9, 30))
SEPTEMBER_FIRST = StartWindow(date(2025, 9, 1))

probabilities = st.floats(0.0, 1.0, allow_nan=False)
rules = st.sampled_from(
    [
        "FREQ=WEEKLY;INTERVAL=4",
        "second Tuesday of each month at 14:00",
        "every 4 weeks on Monday at 9:30",
        "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=13",
    ]
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Valid scenarios over every field."""
    first = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    last = draw(st.none() | st.dates(first, date(2031, 12, 31)))
    peers = draw(st.integers(1, 12))
    groups = draw(st.integers(1, 500))
    max_groups = draw(st.integers(1, 5))
    least = -(-groups // max_groups)
    size = draw(st.none() | st.integers(least, least + 50))
    blackouts = draw(
        st.lists(
            st.tuples(st.dates(date(2020, 1, 1), date(2031, 1, 1)), st.integers(0, 90)).map(
                lambda pair: Blackout(pair[0], date.fromordinal(pair[0].toordinal() + pair[1]))
            ),
            max_size=2,
        )
    )
    return Scenario(
        start=StartWindow(first, last),
        name=draw(st.text(max_size=10)),
        groups=groups,
        peers=peers,
        recurrences=draw(st.lists(rules, min_size=1, max_size=3)),
        time=draw(st.sampled_from(["09:00", "14:00", "17:30"])),
        timezone=draw(st.sampled_from(["Europe/Helsinki", "Europe/Stockholm", "UTC"])),
        meetings=draw(st.none() | st.integers(6, 10)),
        duration_minutes=draw(st.none() | st.integers(60, 180)),
        holidays=draw(st.none() | st.just(PublicHolidays("FI"))),
        blackouts=blackouts,
        attendance=AttendanceModel(
            draw(probabilities), draw(st.floats(0.1, 1000.0)), fixed=draw(st.booleans())
        ),
        dropout=DropoutModel(
            draw(probabilities), draw(probabilities), draw(st.sampled_from(DropoutTiming))
        ),
        cancellation=CancellationModel(
            draw(probabilities), draw(st.sampled_from(ReschedulePolicy))
        ),
        facilitators=FacilitatorPool(size, max_groups),
        threshold=draw(st.integers(0, peers)),
        required_meetings=draw(st.none() | st.integers(1, 6)),
    )


@given(scenarios())
def test_scenario_round_trips_through_json(scenario: Scenario) -> None:
    """loads(dumps(scenario)) == scenario for any valid scenario (format emessi/scenario)."""
    text = dumps(scenario)
    assert '"format": "emessi/scenario"' in text
    assert loads(text) == scenario


@given(scenarios())
def test_scenario_round_trips_through_toml(scenario: Scenario) -> None:
    """The TOML document round trips too."""
    assert loads(dumps(scenario, syntax="toml"), syntax="toml") == scenario


def test_scenario_with_programme_template_round_trips() -> None:
    """A programme used as the template is kept in the document."""
    group = Group("g-01", memberships=[Membership(f"p-{n}") for n in range(5)])
    scenario = Scenario(start=SEPTEMBER, programme=Programme("cohort", groups=[group]))
    assert from_data(to_data(scenario)) == scenario


BAD: list[tuple[str, Callable[[], object], str]] = [
    ("zero groups", lambda: Scenario(start=SEPTEMBER, groups=0), "groups"),
    ("negative groups", lambda: Scenario(start=SEPTEMBER, groups=-3), "groups"),
    ("zero peers", lambda: Scenario(start=SEPTEMBER, peers=0), "peers"),
    ("negative probability", lambda: AttendanceModel(mean=-0.1), "mean"),
    ("probability over 1", lambda: AttendanceModel(mean=1.5), "mean"),
    ("probability NaN", lambda: DropoutModel(hazard=float("nan")), "hazard"),
    ("rise over 1", lambda: DropoutModel(rise=2.0), "rise"),
    ("cancel below 0", lambda: CancellationModel(probability=-1e-9), "probability"),
    ("cancel over 1", lambda: CancellationModel(probability=1.01), "probability"),
    ("concentration 0", lambda: AttendanceModel(concentration=0.0), "concentration"),
    ("concentration inf", lambda: AttendanceModel(concentration=float("inf")), "concentration"),
    ("window backwards", lambda: StartWindow(date(2025, 9, 30), date(2025, 9, 1)), "last"),
    ("threshold above peers", lambda: Scenario(start=SEPTEMBER, peers=3), "threshold"),
    (
        "pool too small",
        lambda: Scenario(start=SEPTEMBER, groups=11, facilitators=FacilitatorPool(2, 5)),
        "facilitators.size",
    ),
    ("empty pool", lambda: FacilitatorPool(size=0), "size"),
    ("no recurrence", lambda: Scenario(start=SEPTEMBER, recurrences=[]), "recurrences"),
    (
        "unreadable recurrence",
        lambda: Scenario(start=SEPTEMBER, recurrences=["x", "whenever it suits"]),
        "recurrences[0]",
    ),
    ("bad time", lambda: Scenario(start=SEPTEMBER, time="25:00"), "time"),
    ("bad zone", lambda: Scenario(start=SEPTEMBER, timezone="Mars/Olympus"), "timezone"),
    ("too many meetings", lambda: Scenario(start=SEPTEMBER, meetings=51), "meetings"),
    (
        "completion above the meetings",
        lambda: Scenario(start=SEPTEMBER, meetings=6, required_meetings=7),
        "required_meetings",
    ),
    ("completion 0", lambda: Scenario(start=SEPTEMBER, required_meetings=0), "required_meetings"),
    ("probability inf", lambda: CancellationModel(probability=float("inf")), "probability"),
    ("mean -inf", lambda: AttendanceModel(mean=float("-inf")), "mean"),
]

# Issue 10: a wrong *type* (or an unknown choice) is a UsageError (a
# TypeError; UnknownValueError for a choice) from the run-time type checks;
# until 0.1 these raised ScenarioError. A wrong value of the right type
# (above) stays a ScenarioError.
WRONG_TYPES: list[tuple[str, Callable[[], object], str]] = [
    ("bool is no number", lambda: CancellationModel(probability=True), "probability"),  # type: ignore[arg-type]
    ("not a date", lambda: StartWindow("2025-09-01"), "first"),  # type: ignore[arg-type]
    ("a datetime", lambda: StartWindow(date(2025, 9, 1), datetime(2025, 9, 9, 12)), "last"),
    ("name not text", lambda: Scenario(start=SEPTEMBER, name=7), "name"),  # type: ignore[arg-type]
    ("bad policy", lambda: CancellationModel(policy="maybe"), "policy"),  # type: ignore[arg-type]
    ("bad timing", lambda: DropoutModel(timing="weekly"), "timing"),  # type: ignore[arg-type]
    ("fixed not a flag", lambda: AttendanceModel(fixed=1), "fixed"),  # type: ignore[arg-type]
    ("wrong part", lambda: Scenario(start=SEPTEMBER, dropout=0.1), "dropout"),  # type: ignore[arg-type]
    ("wrong blackout", lambda: Scenario(start=SEPTEMBER, blackouts=["summer"]), "blackouts[0]"),  # type: ignore[list-item]
    ("start not a window", lambda: Scenario(start=date(2025, 9, 1)), "start"),  # type: ignore[arg-type]
    ("groups as text", lambda: Scenario(start=SEPTEMBER, groups="11"), "groups"),  # type: ignore[arg-type]
    ("holidays as text", lambda: Scenario(start=SEPTEMBER, holidays="FI"), "holidays"),  # type: ignore[arg-type]
    (
        "recurrences of numbers",
        lambda: Scenario(start=SEPTEMBER, recurrences=[1]),
        "recurrences[0]",
    ),  # type: ignore[list-item]
    ("programme as text", lambda: Scenario(start=SEPTEMBER, programme="p"), "programme"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("make", "path"), [(m, p) for _, m, p in WRONG_TYPES], ids=[n for n, _, _ in WRONG_TYPES]
)
def test_a_wrong_type_is_a_usage_error_with_a_path(make: Callable[[], object], path: str) -> None:
    """A wrong type or an unknown choice raises UsageError (a TypeError) naming the field."""
    with pytest.raises(UsageError) as caught:
        make()
    assert caught.value.path == path


@pytest.mark.parametrize(("make", "path"), [(m, p) for _, m, p in BAD], ids=[n for n, _, _ in BAD])
def test_bad_scenario_is_refused_with_a_path(make: Callable[[], object], path: str) -> None:
    """Each impossible or contradictory scenario raises ScenarioError naming the field."""
    with pytest.raises(ScenarioError) as caught:
        make()
    assert caught.value.path == path


IMPOSSIBLE_AT_RUN: list[tuple[str, Scenario, str]] = [
    ("unknown profile", Scenario(start=SEPTEMBER, profile="no-such-sector"), "profile"),
    (
        "rule ends too soon",
        Scenario(start=SEPTEMBER, recurrences=["FREQ=MONTHLY;COUNT=3"]),
        "recurrences[0]",
    ),
    (
        "every day blacked out",
        Scenario(
            start=SEPTEMBER,
            recurrences=["FREQ=WEEKLY", "every 4 weeks on Monday at 9:00"],
            blackouts=[Blackout(date(2025, 1, 1), date(2032, 12, 31))],
        ),
        "recurrences[0]",
    ),
    (
        "INTERVAL=0",
        Scenario(start=SEPTEMBER, recurrences=["FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=0"]),
        "recurrences[1]",
    ),
    ("fewer meetings than completion", Scenario(start=SEPTEMBER, meetings=4), "meetings"),
    (
        "fewer meetings than the profile's completion",
        Scenario(start=SEPTEMBER, meetings=5, profile="emessi"),
        "meetings",
    ),
    (
        "programme without groups",
        Scenario(start=SEPTEMBER, programme=Programme("empty")),
        "programme.groups",
    ),
    (
        "programme groups too small",
        Scenario(
            start=SEPTEMBER,
            programme=Programme("p", groups=[Group("g-1", memberships=[Membership("p-1")])]),
        ),
        "threshold",
    ),
    (
        "facilitator overloaded",
        Scenario(
            start=SEPTEMBER,
            programme=Programme(
                "p",
                groups=[
                    Group(
                        f"g-{n}",
                        memberships=[Membership(f"p-{n}-{k}") for k in range(5)]
                        + [Membership("f-1", Role.FACILITATOR)],
                    )
                    for n in range(3)
                ],
            ),
        ),
        "facilitators.max_groups",
    ),
]


@pytest.mark.parametrize(
    ("scenario", "path"),
    [(s, p) for _, s, p in IMPOSSIBLE_AT_RUN],
    ids=[n for n, _, _ in IMPOSSIBLE_AT_RUN],
)
def test_impossible_schedule_is_refused_at_simulate(scenario: Scenario, path: str) -> None:
    """Problems only planning can find raise ScenarioError with a path at simulate()."""
    with pytest.raises(ScenarioError) as caught:
        simulate(scenario, runs=1, seed=0)
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("attendance", {"mean": 1.5}, "$.attendance.mean"),
        ("cancellation", {"policy": "sometimes"}, "$.cancellation.policy"),
        ("dropout", {"timing": "weekly"}, "$.dropout.timing"),
        ("attendance", {"fixed": "yes"}, "$.attendance.fixed"),
        ("groups", 0, "$.groups"),
        ("recurrences", ["never ever"], "$.recurrences[0]"),
        ("start", {"first": "2025-09-31"}, "$.start.first"),
    ],
)
def test_bad_scenario_document_names_the_path(field: str, value: object, path: str) -> None:
    """A scenario document with a bad value fails to load, the problem at its JSON path."""
    data = to_data(Scenario(start=SEPTEMBER))
    data[field] = value
    with pytest.raises(DocumentError) as caught:
        from_data(data)
    assert [problem.path for problem in caught.value.problems] == [path]


def test_error_messages_carry_no_free_text() -> None:
    """A scenario's name (free text) never appears in an error message."""
    secret = "Maija Meikäläinen's group"
    with pytest.raises(ScenarioError) as caught:
        simulate(Scenario(start=SEPTEMBER, name=secret, profile="nope"), runs=1)
    assert secret not in str(caught.value)


def test_one_recurrence_string_is_one_rule() -> None:
    """A single rule given as a string is not split into characters."""
    scenario = Scenario(start=SEPTEMBER, recurrences="every 4 weeks on Monday at 9:30")
    assert scenario.recurrences == ("every 4 weeks on Monday at 9:30",)


def test_scenarios_are_frozen_values() -> None:
    """A scenario cannot be changed in place; evolve makes a new one."""
    scenario = Scenario(start=SEPTEMBER)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        scenario.groups = 3  # type: ignore[misc]
    assert attrs.evolve(scenario, groups=3).groups == 3
    assert scenario.groups == 11


def test_scenario_documents_are_version_2() -> None:
    """A scenario is written as version 2 of emessi/scenario."""
    data = to_data(Scenario(start=SEPTEMBER, dropout=DropoutModel(0.1, timing="monthly")))
    assert (data["format"], data["version"]) == ("emessi/scenario", 2)
    assert data["dropout"] == {"hazard": 0.1, "timing": "monthly"}


def test_a_version_1_scenario_document_migrates_with_its_meaning() -> None:
    """Version 1 (before the dynamics options) loads with held-meeting dropout and next-slot."""
    version_1 = {
        "format": "emessi/scenario",
        "version": 1,
        "start": {"first": "2025-09-01"},
        "groups": 4,
        "dropout": {"hazard": 0.05},
        "cancellation": {"probability": 0.1},
        "threshold": 3,
    }
    before = dict(version_1)
    scenario = from_data(version_1)
    assert version_1 == before  # not mutated
    assert scenario == Scenario(
        start=SEPTEMBER_FIRST,
        groups=4,
        dropout=DropoutModel(0.05, timing=DropoutTiming.HELD),
        cancellation=CancellationModel(0.1, ReschedulePolicy.NEXT_SLOT),
        threshold=3,
    )
    assert scenario.required_meetings is None
    assert scenario.attendance.fixed is False
    # a minimal version 1 document, every part left at its default
    assert from_data({"format": "emessi/scenario", "version": 1, "start": {"first": "2025-09-01"}})


def test_a_version_3_scenario_document_is_refused() -> None:
    """A version newer than this emessi knows is refused with a path."""
    with pytest.raises(DocumentError) as caught:
        from_data({"format": "emessi/scenario", "version": 3, "start": {"first": "2025-09-01"}})
    assert caught.value.problems[0].path == "$.version"
