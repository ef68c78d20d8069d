"""emessi.simulation's error messages (and progress bar) in English, Finnish and Swedish."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from emessi._i18n import using_language
from emessi.errors import EmessiError
from emessi.simulation import (
    AttendanceModel,
    FacilitatorPool,
    Scenario,
    StartWindow,
    progress_bar,
    simulate,
    sweep,
)

START = StartWindow(date(2026, 9, 1))


def _probability() -> object:
    return AttendanceModel(mean=1.5)


def _window_backwards() -> object:
    return StartWindow(date(2026, 9, 1), date(2026, 8, 1))


def _threshold(threshold: int) -> Callable[[], object]:
    def make() -> object:
        return Scenario(start=START, peers=3, threshold=threshold, groups=1)

    return make


def _facilitators() -> object:
    return Scenario(start=START, groups=5, facilitators=FacilitatorPool(size=2, max_groups=2))


def _one_facilitator() -> object:
    return Scenario(start=START, groups=2, facilitators=FacilitatorPool(size=1, max_groups=1))


def _too_few_meetings() -> object:
    return Scenario(start=START, meetings=1, required_meetings=3)


def _runs() -> object:
    return simulate(Scenario(start=START), runs=0)


def _grid_point() -> object:
    return sweep(Scenario(start=START), {"attendance.mean": [0.5, 2.0]}, runs=1)


CASES: list[tuple[Callable[[], Any], dict[str, str]]] = [
    (
        _probability,
        {
            "en": "mean: a probability is between 0 and 1",
            "fi": "mean: todennäköisyys on välillä 0–1",
            "sv": "mean: en sannolikhet ligger mellan 0 och 1",
        },
    ),
    (
        _window_backwards,
        {
            "en": "last: the window ends before it begins",
            "fi": "last: jakso päättyy ennen kuin se alkaa",
            "sv": "last: fönstret slutar innan det börjar",
        },
    ),
    (
        _threshold(4),
        {
            "en": "threshold: groups of 3 peers can never reach the threshold of 4 peers present",
            "fi": "threshold: 3 vertaisen ryhmät eivät voi koskaan saavuttaa 4 läsnä olevan "
            "vertaisen kynnystä",
            "sv": "threshold: grupper med 3 kamrater kan aldrig nå tröskeln på 4 närvarande kamrater",
        },
    ),
    (
        _facilitators,
        {
            "en": "facilitators.size: the facilitators can lead at most 4 groups (2 x 2 each), not 5",
            "fi": "facilitators.size: fasilitaattorit voivat vetää enintään 4 ryhmää "
            "(2 x 2 kukin), ei 5",
            "sv": "facilitators.size: handledarna kan leda högst 4 grupper (2 x 2 var), inte 5",
        },
    ),
    (
        _one_facilitator,
        {
            "en": "facilitators.size: the facilitators can lead at most 1 group (1 x 1 each), not 2",
            "fi": "facilitators.size: fasilitaattorit voivat vetää enintään 1 ryhmän "
            "(1 x 1 kukin), ei 2",
            "sv": "facilitators.size: handledarna kan leda högst 1 grupp (1 x 1 var), inte 2",
        },
    ),
    (
        _too_few_meetings,
        {
            "en": "required_meetings: 1 planned meeting can never reach the 3 a group needs "
            "to complete",
            "fi": "required_meetings: 1 suunniteltu tapaaminen ei koskaan riitä, kun ryhmän "
            "läpivientiin vaaditaan 3",
            "sv": "required_meetings: 1 planerad träff kan aldrig nå de 3 som en grupp behöver "
            "för att slutföras",
        },
    ),
    (
        _runs,
        {
            "en": "runs: runs must be a whole number of at least 1",
            "fi": "runs: runs-arvon pitää olla kokonaisluku, vähintään 1",
            "sv": "runs: runs måste vara ett heltal, minst 1",
        },
    ),
    (
        _grid_point,
        {
            "en": "mean: grid point 1 (attendance.mean=2.0): a probability is between 0 and 1",
            "fi": "mean: hilapiste 1 (attendance.mean=2.0): todennäköisyys on välillä 0–1",
            "sv": "mean: rutnätspunkt 1 (attendance.mean=2.0): en sannolikhet ligger "
            "mellan 0 och 1",
        },
    ),
]


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize(("call", "expected"), CASES)
def test_simulation_errors_speak_the_current_language(
    call: Callable[[], Any], expected: dict[str, str], lang: str
) -> None:
    """The message follows the language in force when the error is raised."""
    pytest.importorskip("numpy")
    with using_language(lang), pytest.raises(EmessiError) as caught:
        call()
    assert str(caught.value) == expected[lang]


@pytest.mark.parametrize(
    ("lang", "total", "expected"),
    [
        ("en", 1, "\r[##########] 1/1 run\n"),
        ("en", 2, "\r[##########] 2/2 runs\n"),
        ("fi", 2, "\r[##########] 2/2 ajoa\n"),
        ("sv", 2, "\r[##########] 2/2 körningar\n"),
        ("sv", 1, "\r[##########] 1/1 körning\n"),
    ],
)
def test_the_progress_bar_counts_runs_in_the_language(lang: str, total: int, expected: str) -> None:
    out = io.StringIO()
    bar = progress_bar(out, width=10)
    with using_language(lang):
        bar(total, total)
    assert out.getvalue() == expected
