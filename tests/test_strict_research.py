"""Issue 10 item 1 in emessi.research: wrong arguments refused at the door, with a path.

A wrong type is a UsageError from the run-time checks built from the type
hints; a wrong value of the right type stays a ResearchError (or the
model's DomainError for ids and dates). No message echoes the value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest

from emessi import Programme
from emessi.errors import DomainError, ResearchError, SaveError, UnknownValueError, UsageError
from emessi.research import (
    UWES9,
    Answer,
    Column,
    Consent,
    Instrument,
    InstrumentResponse,
    MeetingFeedback,
    ProgrammeFeedback,
    Pseudonymiser,
    ResearchExport,
    RiskReport,
    StudyData,
    Subscale,
    Table,
    consenting,
    new_key,
    paired_change,
    pseudonymise,
    read_key_file,
    risk_report,
    size_band,
    write_key_file,
)

T = datetime(2014, 1, 14, 12, tzinfo=UTC)
SECRET = "Aino Virtanen <aino@example.org>"
KEY = new_key()


def test_answers_as_a_mapping_or_answers_still_work() -> None:
    """A mapping, a list or a generator of Answers: the same sorted tuple."""
    as_mapping = InstrumentResponse("p-1", "uwes-9", "pre", T, {"q2": 1, "q1": 2})
    as_list = InstrumentResponse("p-1", "uwes-9", "pre", T, [Answer("q2", 1), Answer("q1", 2)])
    as_generator = InstrumentResponse(
        "p-1", "uwes-9", "pre", T, (a for a in [Answer("q1", 2), Answer("q2", 1)])
    )
    assert as_mapping == as_list == as_generator
    assert MeetingFeedback("p-1", "g-1", 1, T, {"useful": np.int64(4)}).answers[0].value == 4


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: Answer("q1", "4"), "value"),
        (lambda: Answer("q1", 4.0), "value"),
        (lambda: InstrumentResponse("p-1", "uwes-9", "pre", T, "q1=4"), "answers"),
        (lambda: InstrumentResponse("p-1", "uwes-9", "pre", T, [("q1", 4)]), "answers[0]"),
        (lambda: InstrumentResponse("p-1", "uwes-9", "pre", T, {"q1": True}), "answers[0].value"),
        (lambda: ProgrammeFeedback("p-1", T, comment=7), "comment"),
        (lambda: Subscale("s", "q1"), "items"),
        (lambda: Instrument("i", "I", ("a",), 1, "5"), "maximum"),
        (lambda: Instrument("i", "I", ("a",), 1, 5, subscales=["s"]), "subscales[0]"),
        (lambda: Instrument("i", "I", ("a",), 1, 5, total="yes"), "total"),
        (lambda: Consent("p-1", "2014-01-01"), "given"),
        (lambda: Consent("p-1", datetime(2014, 1, 1, tzinfo=UTC)), "given"),
        (lambda: StudyData("p", consents=[SECRET]), "consents[0]"),
        (lambda: StudyData("p", consents="p-1"), "consents"),
        (lambda: Column("a", "text"), "type"),
        (lambda: Table("t", [Column("a", "string")], [[["nested"]]]), "rows[0][0]"),
        (lambda: Table("t", [Column("a", "string")], "rows"), "rows"),
        (lambda: Table("t", [Column("a", "string")], [5]), "rows[0]"),
        (lambda: RiskReport(("sector",), "10", 2, 5, 0, None), "people"),
        (lambda: ResearchExport([SECRET], date(2015, 1, 1)), "tables[0]"),
        (lambda: pseudonymise(Programme("p"), StudyData("p"), key=KEY, k=2.5), "k"),
        (lambda: pseudonymise(Programme("p"), StudyData("p"), key=SECRET), "key"),
        (lambda: pseudonymise(Programme("p"), StudyData("p"), key=KEY, on="2015"), "on"),
        (lambda: pseudonymise(SECRET, StudyData("p"), key=KEY), "programme"),
        (lambda: risk_report(SECRET), "export"),
        (lambda: paired_change([SECRET], UWES9), "responses[0]"),
        (lambda: paired_change(np.array([1, 2]), UWES9), "responses[0]"),
        (lambda: paired_change([], UWES9, resamples=2.0), "resamples"),
        (lambda: paired_change([], SECRET), "instrument"),
        (lambda: consenting(np.array([1]), date(2014, 1, 1)), "consents[0]"),
        (lambda: consenting([], "2014-01-01"), "on"),
        (lambda: size_band("12"), "staff"),
        (lambda: read_key_file(7), "path"),
        (lambda: write_key_file("/nonexistent/k", key=SECRET), "key"),
        (lambda: UWES9.score(SECRET), "given"),
        (lambda: UWES9.scale_items(["total"]), "scale"),
        (lambda: StudyData("p").instrument(7), "instrument_id"),
        (lambda: StudyData("p").only_consenting("today"), "on"),
        (lambda: Pseudonymiser(KEY).person(7), "person_id"),
    ],
)
def test_wrong_types_are_usage_errors_with_a_path(make: Callable[[], Any], path: str) -> None:
    """Each wrong type is a UsageError (an UnknownValueError for a choice) at its path."""
    with pytest.raises(UsageError) as caught:
        make()
    assert caught.value.path == path
    assert SECRET not in str(caught.value)


def test_an_unknown_column_type_lists_the_allowed_ones() -> None:
    """Column types are a Literal: an unknown one lists them."""
    with pytest.raises(UnknownValueError) as caught:
        Column("a", SECRET)  # type: ignore[arg-type]
    assert "'string', 'integer', 'number'" in caught.value.message


@pytest.mark.parametrize(
    ("make", "path", "error"),
    [
        (lambda: UWES9.check({"q1": 7}), "answers[0].value", ResearchError),
        (
            lambda: InstrumentResponse("p-1", "uwes-9", "pre", T, [Answer("q1", 1)] * 2),
            "answers[1]",
            ResearchError,
        ),
        (lambda: Instrument("i", "I", ("a",), 5, 1), "maximum", ResearchError),
        (lambda: paired_change([], UWES9, resamples=10**6), "resamples", ResearchError),
        (lambda: paired_change([], UWES9, confidence=math.nan), "confidence", DomainError),
        (lambda: Consent("p-1", date(1, 1, 1)), "given", DomainError),
        (lambda: Table("t", [Column("a", "number")], [(math.nan,)]), "rows[0][0]", DomainError),
        (lambda: Table("t", [Column("a", "string")], [("\ud800",)]), "rows[0][0]", DomainError),
        (lambda: Table("t", [Column("a", "integer")], [(10**20,)]), "rows[0][0]", DomainError),
        (lambda: Answer(SECRET, 1), "item", DomainError),
        (lambda: ProgrammeFeedback("p-1", T, comment="x" * 20_000), "comment", DomainError),
        (lambda: Pseudonymiser(KEY).group("\ud800"), "group_id", DomainError),
    ],
)
def test_wrong_values_keep_their_errors(
    make: Callable[[], Any], path: str, error: type[Exception]
) -> None:
    """A value out of range keeps its ResearchError (or the generic DomainError)."""
    with pytest.raises(error) as caught:
        make()
    assert caught.value.path == path  # type: ignore[attr-defined]
    assert SECRET not in str(caught.value)


def test_a_bytearray_key_is_still_a_key() -> None:
    """A key given as a bytearray works as before (bytes is annotated)."""
    one = pseudonymise(Programme("p"), StudyData("p"), key=KEY, on=date(2015, 1, 1))
    again = pseudonymise(Programme("p"), StudyData("p"), key=bytearray(KEY), on=date(2015, 1, 1))
    assert one.tables == again.tables


def test_table_cells_of_numpy_types_become_python_values() -> None:
    """A numpy integer or float cell is stored as the Python value it equals."""
    table = Table("t", [Column("a", "integer"), Column("b", "number")], [(np.int64(3), 0.5)])
    assert table.rows == ((3, 0.5),)
    assert type(table.rows[0][0]) is int


def test_a_wrong_call_is_a_usage_error() -> None:
    """Unknown keywords and missing arguments of functions and methods: UsageError."""
    with pytest.raises(UsageError):
        pseudonymise(Programme("p"), StudyData("p"))  # type: ignore[call-arg]
    with pytest.raises(UsageError):
        paired_change([], UWES9, scael="total")  # type: ignore[call-arg]
    with pytest.raises(UsageError):
        UWES9.score()  # type: ignore[call-arg]
    with pytest.raises(UsageError):
        Pseudonymiser()  # type: ignore[call-arg]


def test_key_files_refuse_odd_paths(tmp_path: Any) -> None:
    """A FIFO or a folder as the key file, a NUL in its name: SaveError, no hang, no ValueError."""
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path, "\x00", tmp_path / "k\x00"):
        with pytest.raises(SaveError) as caught:
            read_key_file(path)
        assert caught.value.path == "path"
    with pytest.raises(SaveError):
        write_key_file(tmp_path / "k\x00")
    with pytest.raises(DomainError):
        write_key_file(str(tmp_path / "\ud800"))
    key = write_key_file(tmp_path / "study.key")
    assert read_key_file(tmp_path / "study.key") == key


def _failing(first: Any) -> Any:
    yield first
    raise RuntimeError("the caller's own bug")


def test_an_iterable_that_fails_while_read_is_a_usage_error() -> None:
    """A generator that raises, given for a collection: UsageError at its path, no RuntimeError."""
    export = pseudonymise(Programme("p"), StudyData("p"), key=KEY, on=date(2015, 1, 1))
    calls: list[tuple[Callable[[], Any], str]] = [
        (
            lambda: InstrumentResponse("p-1", "uwes-9", "pre", T, _failing(Answer("q1", 1))),
            "answers",
        ),
        (lambda: UWES9.score(_failing(Answer("q1", 1))), "answers"),
        (
            lambda: consenting(_failing(Consent("p-1", date(2014, 1, 1))), date(2014, 1, 1)),
            "consents",
        ),
        (lambda: paired_change(_failing(None), UWES9), "responses"),
        (lambda: StudyData("p", consents=_failing(Consent("p-1", date(2014, 1, 1)))), "consents"),
        (lambda: Table("t", [Column("a", "string")], _failing(("x",))), "rows"),
        (lambda: Table("t", [Column("a", "string")], [_failing("x")]), "rows[0]"),
        (lambda: export.write("/tmp", formats=_failing("csv")), "formats"),
    ]
    for call, path in calls:
        with pytest.raises(UsageError) as caught:
            call()
        assert caught.value.path == path
        assert "bug" not in str(caught.value)
