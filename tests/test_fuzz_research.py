"""Issue 10 item 4 for emessi.research: fuzz the research records field by field.

Each test feeds one field of a research class, or one argument of
``pseudonymise``/``risk_report``/``paired_change``/the key functions and the
public methods, a hostile value (wrong types, huge numbers, NaN/inf, hostile
text, nested lists, iterators, naive or far-off dates) and asserts that only
an ``EmessiError`` with a path leaves, within the budget. What a
constructor accepts goes into a study that is exported and written as CSV
and JSON without a raw exception. ``HYPOTHESIS_PROFILE=fuzz`` runs many more
examples (nightly).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from emessi import Group, Meeting, Membership, Person, Programme, hold_meeting
from emessi.errors import EmessiError
from emessi.research import (
    UWES9,
    Answer,
    Column,
    Consent,
    Disclosure,
    Instrument,
    InstrumentResponse,
    MeetingFeedback,
    PairedChange,
    ProgrammeFeedback,
    Pseudonymiser,
    ResearchExport,
    RiskReport,
    StudyData,
    Subscale,
    Table,
    consenting,
    paired_change,
    pseudonymise,
    read_key_file,
    risk_report,
    size_band,
    write_key_file,
)
from emessi.testing import hostile_numbers, hostile_text, hostile_values

#: Seconds any one call may take on the shared CI machine (as tests/test_fuzz.py).
BUDGET = 5.0
KEY = bytes.fromhex("3b8f0e6a91c4d27f5e08b1a9c63d47f2a05e9c18d7b2f46e13c8a09f5d7e2b61")
T = datetime(2014, 1, 14, 12, tzinfo=UTC)
DAY = date(2014, 1, 1)

HOSTILE_TEXT = hostile_text("p-1", "q1", "uwes-9", "pre", "post", "total", "string", max_size=30)
NUMBERS = st.one_of(
    hostile_numbers(4),
    st.builds(np.int64, st.integers(-(2**63), 2**63 - 1)),
)
VALUES = hostile_values(HOSTILE_TEXT, NUMBERS, max_leaves=10)


def _raising() -> Any:
    yield Answer("q1", 3)
    raise RuntimeError("a caller's generator that fails")


ANYTHING = st.one_of(
    VALUES,
    st.sampled_from(
        [
            b"key",
            bytearray(b"k" * 40),
            object(),
            date(2, 1, 1),
            date(9998, 1, 1),
            DAY,
            datetime(2014, 1, 1),
            datetime(9998, 1, 1, tzinfo=UTC),
            T,
            timedelta(days=1),
            Answer("q1", 3),
            Subscale("s", ("a",)),
            Consent("p-1", DAY),
            Column("a", "string"),
            UWES9,
            np.array([1, 2]),
            {"q1": 3, "q2": 4},
            {"q1": True},
            ("a", "b"),
        ]
    ),
    st.builds(lambda: iter([Answer("q1", 3), 3])),
    st.builds(lambda: _raising()),
)


def _only_emessi_errors(call: Callable[[], object]) -> object:
    """*call*'s result, or None after an EmessiError with a str path, within the budget."""
    began = time.perf_counter()
    result: object = None
    caught: EmessiError | None = None
    try:
        result = call()
    except EmessiError as error:
        caught = error
    assert time.perf_counter() - began < BUDGET
    if caught is not None:
        assert isinstance(caught.path, str)
        assert caught.__cause__ is None
    return result


EMPTY = RiskReport((), 0, 0, 0, 0, None)
CLASSES: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "Answer": (Answer, {"item": "q1", "value": 3}),
    "Subscale": (Subscale, {"id": "s", "items": ("a",)}),
    "Instrument": (
        Instrument,
        {"id": "i", "name": "I", "items": ("a", "b"), "minimum": 1, "maximum": 5},
    ),
    "InstrumentResponse": (
        InstrumentResponse,
        {"person": "p-1", "instrument": "uwes-9", "wave": "pre", "answered": T},
    ),
    "MeetingFeedback": (
        MeetingFeedback,
        {"person": "p-1", "group": "g-1", "meeting": 1, "submitted": T},
    ),
    "ProgrammeFeedback": (ProgrammeFeedback, {"person": "p-1", "submitted": T}),
    "Consent": (Consent, {"person": "p-1", "given": DAY}),
    "StudyData": (StudyData, {"programme": "p"}),
    "Column": (Column, {"name": "a", "type": "string"}),
    "Table": (Table, {"name": "t", "columns": [Column("a", "string")]}),
    "RiskReport": (
        RiskReport,
        {
            "quasi_identifiers": (),
            "people": 0,
            "classes": 0,
            "k": 0,
            "uniques": 0,
            "l_diversity": None,
        },
    ),
    "Disclosure": (
        Disclosure,
        {
            "k": 5,
            "generalisations": (),
            "suppressed": 0,
            "dates": "day",
            "before": EMPTY,
            "after": EMPTY,
        },
    ),
    "ResearchExport": (ResearchExport, {"tables": (), "on": DAY}),
}
SPOTS = [
    (name, a.alias)
    for name, (make, _) in CLASSES.items()
    for a in attrs.fields(make)  # type: ignore[arg-type]
    if a.init
]


def _programme() -> Programme:
    people = [Person(f"p-{n}", "N") for n in range(1, 7)]
    group = Group(
        "g-1",
        memberships=[Membership(p.id) for p in people],
        meetings=[Meeting(1, T)],
    )
    group = hold_meeting(group, 1, attendance=[p.id for p in people[:5]])
    return Programme("p", people=people, groups=[group])


PROGRAMME = _programme()
CONSENTS = [Consent(f"p-{n}", DAY) for n in range(1, 7)]


@given(st.sampled_from(SPOTS), ANYTHING)
def test_fuzz_every_research_field(spot: tuple[str, str], value: Any) -> None:
    """Field by field: accepted, or an EmessiError; accepted records export cleanly."""
    name, field = spot
    make, required = CLASSES[name]
    made = _only_emessi_errors(lambda: make(**{**required, field: value}))
    if made is None:
        return
    study: StudyData | None = None
    if isinstance(made, InstrumentResponse | MeetingFeedback | ProgrammeFeedback):
        kind = {
            InstrumentResponse: "responses",
            MeetingFeedback: "meeting_feedback",
            ProgrammeFeedback: "programme_feedback",
        }[type(made)]
        study = _only_emessi_errors(  # type: ignore[assignment]
            lambda: StudyData("p", consents=CONSENTS, **{kind: [made]})
        )
    elif isinstance(made, Consent):
        study = StudyData("p", consents=[made])
    elif isinstance(made, StudyData):
        study = made
    if study is not None:
        export = _only_emessi_errors(
            lambda: pseudonymise(PROGRAMME, study, key=KEY, on=date(2015, 1, 1))
        )
        if isinstance(export, ResearchExport):
            risk_report(export)
            for table in export.tables:
                table.to_csv()
                table.to_json()
    if isinstance(made, Table):
        made.to_csv()
        made.to_json()
        made.records()


PSEUDONYMISE = ["programme", "study", "key", "on", "months_only", "k", "disclosure_control"]


@given(st.sampled_from(PSEUDONYMISE), ANYTHING)
def test_fuzz_pseudonymise_arguments(name: str, value: Any) -> None:
    """pseudonymise() refuses any wrong argument with an EmessiError."""
    arguments: dict[str, Any] = {
        "programme": PROGRAMME,
        "study": StudyData("p", consents=CONSENTS),
        "key": KEY,
        "on": date(2015, 1, 1),
        name: value,
    }
    export = _only_emessi_errors(lambda: pseudonymise(**arguments))
    if isinstance(export, ResearchExport):
        _only_emessi_errors(lambda: risk_report(export))


PAIRED = ["responses", "instrument", "scale", "before", "after", "confidence", "resamples", "seed"]


def _responses() -> list[InstrumentResponse]:
    return [
        InstrumentResponse(
            f"p-{n}", "uwes-9", wave, T, {f"q{i}": (n + i) % 7 for i in range(1, 10)}
        )
        for n in range(1, 4)
        for wave in ("pre", "post")
    ]


@given(st.sampled_from(PAIRED), ANYTHING)
def test_fuzz_paired_change_arguments(name: str, value: Any) -> None:
    """paired_change() refuses any wrong argument with an EmessiError."""
    if name == "resamples" and isinstance(value, int) and 10_000 < value <= 100_000:
        value = 10**6  # a valid count this large is slow; the ceiling is tested
    arguments: dict[str, Any] = {"responses": _responses(), "instrument": UWES9, name: value}
    _only_emessi_errors(lambda: paired_change(**arguments))


@given(ANYTHING, ANYTHING)
def test_fuzz_functions_and_methods(first: Any, second: Any) -> None:
    """The other functions and the public methods refuse wrong arguments with EmessiErrors."""
    study = StudyData("p", consents=CONSENTS)
    export = pseudonymise(PROGRAMME, study, key=KEY, on=date(2015, 1, 1))
    calls: list[Callable[[], object]] = [
        lambda: risk_report(first),
        lambda: size_band(first),
        lambda: consenting(first, DAY),
        lambda: consenting(CONSENTS, first),
        lambda: Consent("p-1", DAY).in_force(first),
        lambda: UWES9.score(first),
        lambda: UWES9.check(first, path=second),
        lambda: UWES9.answered(first, second),
        lambda: UWES9.answered({}, first),
        lambda: UWES9.scale_items(first),
        lambda: study.instrument(first),
        lambda: study.consenting(first),
        lambda: study.only_consenting(first),
        lambda: Pseudonymiser(first),
        lambda: Pseudonymiser(KEY).person(first),
        lambda: Pseudonymiser(KEY).group(first),
        lambda: export.table(first),
        lambda: export.datapackage(first),
        lambda: Table("t", [Column("a", "string")]).to_csv(escape_formulas=first),
        lambda: read_key_file(first),
        lambda: PairedChange(*([first] * 15)),
    ]
    for call in calls:
        _only_emessi_errors(call)


@given(ANYTHING)
def test_fuzz_writing_files(value: Any) -> None:
    """write_key_file and ResearchExport.write refuse wrong arguments with EmessiErrors."""
    folder = Path(tempfile.mkdtemp())
    export = ResearchExport((), DAY)
    _only_emessi_errors(lambda: write_key_file(folder / "k", value))
    _only_emessi_errors(lambda: export.write(folder / "out", formats=value))
    _only_emessi_errors(lambda: export.write(folder / "out2", escape_formulas=value))
    if isinstance(value, str) and value and "\x00" not in value and "/" not in value:
        _only_emessi_errors(lambda: write_key_file(folder / value[:50]))
