"""emessi.research's error messages in English, Finnish and Swedish (the catalogues)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from emessi._i18n import using_language
from emessi.errors import EmessiError
from emessi.research import (
    UWES9,
    Column,
    Consent,
    InstrumentResponse,
    Pseudonymiser,
    Resource,
    ResourceKind,
    Table,
    paired_change,
)

T = datetime(2014, 1, 1, tzinfo=UTC)


def _withdrawn_early() -> object:
    return Consent("p-01", date(2014, 2, 1), withdrawn=date(2014, 1, 1))


def _answer_out_of_range() -> object:
    return UWES9.check({"q1": 9})


def _short_key() -> object:
    return Pseudonymiser(b"\x01\x02")


def _no_resamples() -> object:
    response = InstrumentResponse("p-1", "uwes-9", "pre", T, {"q1": 1})
    return paired_change([response], UWES9, resamples=0)


def _nobody_paired() -> object:
    response = InstrumentResponse("p-1", "uwes-9", "pre", T, dict.fromkeys(UWES9.items, 1))
    return paired_change([response], UWES9)


def _short_row(cells: int) -> Callable[[], object]:
    def make() -> object:
        columns = [Column("a", "integer"), Column("b", "integer"), Column("c", "integer")]
        return Table("t", columns, [(1,) * cells])

    return make


def _schedule_without_group() -> object:
    return Resource(ResourceKind.SCHEDULE)


CASES: list[tuple[Callable[[], Any], dict[str, str]]] = [
    (
        _withdrawn_early,
        {
            "en": "withdrawn: consent cannot be withdrawn before it was given",
            "fi": "withdrawn: suostumusta ei voi perua ennen kuin se on annettu",
            "sv": "withdrawn: ett samtycke kan inte återkallas innan det har getts",
        },
    ),
    (
        _answer_out_of_range,
        {
            "en": "answers[0].value: the answer is outside 0-6",
            "fi": "answers[0].value: vastaus on välin 0-6 ulkopuolella",
            "sv": "answers[0].value: svaret ligger utanför 0-6",
        },
    ),
    (
        _short_key,
        {
            "en": "key: the key needs at least 32 bytes",
            "fi": "key: avaimessa pitää olla vähintään 32 tavua",
            "sv": "key: nyckeln behöver minst 32 byte",
        },
    ),
    (
        _no_resamples,
        {
            "en": "resamples: at least one bootstrap resample is needed",
            "fi": "resamples: tarvitaan vähintään yksi bootstrap-uudelleenotos",
            "sv": "resamples: minst ett bootstrap-omurval behövs",
        },
    ),
    (
        _nobody_paired,
        {
            "en": "responses: nobody has a 'total' score at both 'pre' and 'post'",
            "fi": "responses: kenelläkään ei ole asteikon 'total' pisteitä sekä mittauksessa "
            "'pre' että 'post'",
            "sv": "responses: ingen har poäng på 'total' både vid 'pre' och 'post'",
        },
    ),
    (
        _short_row(1),
        {
            "en": "rows[0]: a row has 1 cell, not 3",
            "fi": "rows[0]: rivillä on 1 solu, ei 3",
            "sv": "rows[0]: en rad har 1 cell, inte 3",
        },
    ),
    (
        _short_row(2),
        {
            "en": "rows[0]: a row has 2 cells, not 3",
            "fi": "rows[0]: rivillä on 2 solua, ei 3",
            "sv": "rows[0]: en rad har 2 celler, inte 3",
        },
    ),
    (
        _schedule_without_group,
        {
            "en": "group: a schedule resource needs its group",
            "fi": "group: resurssi schedule tarvitsee ryhmänsä",
            "sv": "group: resursen schedule behöver sin grupp",
        },
    ),
]


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize(("call", "expected"), CASES)
def test_research_errors_speak_the_current_language(
    call: Callable[[], Any], expected: dict[str, str], lang: str
) -> None:
    """The message follows the language in force when the error is raised."""
    with using_language(lang), pytest.raises(EmessiError) as caught:
        call()
    assert str(caught.value) == expected[lang]


@pytest.mark.parametrize(
    ("lang", "people", "classes", "expected"),
    [
        ("en", 10, 2, "10 people in 2 classes: k = 4, 0 unique, l = 2\nquasi-identifiers: sector"),
        ("en", 1, 1, "1 person in 1 class: k = 4, 0 unique, l = 2\nquasi-identifiers: sector"),
        (
            "fi",
            10,
            2,
            "10 henkilöä 2 luokassa: k = 4, yksilöitävissä 0, l = 2\nepäsuorat tunnisteet: sector",
        ),
        ("sv", 1, 1, "1 person i 1 klass: k = 4, 0 unika, l = 2\nkvasiidentifierare: sector"),
        ("sv", 10, 2, "10 personer i 2 klasser: k = 4, 0 unika, l = 2\nkvasiidentifierare: sector"),
    ],
)
def test_a_risk_report_reads_in_the_current_language(
    lang: str, people: int, classes: int, expected: str
) -> None:
    from emessi.research import RiskReport

    report = RiskReport(("sector",), people=people, classes=classes, k=4, uniques=0, l_diversity=2)
    with using_language(lang):
        assert str(report) == expected


def test_a_risk_report_without_scores_or_quasi_identifiers() -> None:
    from emessi.research import RiskReport

    report = RiskReport((), 0, 0, 0, 0, None)
    assert (
        str(report) == "0 people in 0 classes: k = 0, 0 unique, no scores\nquasi-identifiers: none"
    )
    with using_language("fi"):
        assert str(report) == (
            "0 henkilöä 0 luokassa: k = 0, yksilöitävissä 0, ei pisteitä\n"
            "epäsuorat tunnisteet: ei yhtään"
        )
