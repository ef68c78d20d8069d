"""Issue 10 item 1 in emessi.demo and emessi.testing: argument checks and ceilings."""

from __future__ import annotations

from typing import Any

import pytest

from emessi.demo import applicants_csv, availability_poll, emessi2_cohort, emessi2_study
from emessi.errors import DomainError, EmessiError, UsageError
from emessi.testing import (
    aware_datetimes,
    emails,
    groups,
    meetings,
    names,
    people,
    personal_values,
    programmes,
    texts,
    themes,
)

PLANTED = "Aino Virtanen aino@example.org"


@pytest.mark.parametrize(
    ("call", "error", "path"),
    [
        (lambda: emessi2_cohort("2013"), UsageError, "seed"),
        (lambda: emessi2_cohort(10**20), DomainError, "seed"),
        (lambda: emessi2_study(None), UsageError, "seed"),
        (lambda: applicants_csv(10**9), DomainError, "count"),
        (lambda: applicants_csv(-1), DomainError, "count"),
        (lambda: applicants_csv(5, 0), DomainError, "organisations"),
        (lambda: applicants_csv(5.0), UsageError, "count"),
        (lambda: availability_poll(10**9), DomainError, "applicants"),
        (lambda: availability_poll(seed=PLANTED), UsageError, "seed"),
    ],
)
def test_demo_generators_check_their_arguments(
    call: Any, error: type[EmessiError], path: str
) -> None:
    """Wrong types are UsageErrors; sizes have a ceiling (no billion-row CSV)."""
    with pytest.raises(error) as caught:
        call()
    assert caught.value.path == path
    assert "Aino" not in str(caught.value)


def test_demo_generators_still_make_their_data() -> None:
    """The defaults and small sizes work as before."""
    assert len(applicants_csv(3, 1).splitlines()) == 4
    assert len(availability_poll(0).people) == 9
    assert len(emessi2_cohort().groups) == 11


@pytest.mark.parametrize(
    ("call", "error", "path"),
    [
        (lambda: texts("1"), UsageError, "min_size"),
        (lambda: texts(5, 2), DomainError, "max_size"),
        (lambda: texts(0, 10**9), DomainError, "max_size"),
        (lambda: aware_datetimes(1, 2), DomainError, "min_year"),
        (lambda: aware_datetimes(2100, 2000), DomainError, "max_year"),
        (lambda: meetings(0), DomainError, "number"),
        (lambda: meetings("1"), UsageError, "number"),
        (lambda: people("o-1"), UsageError, "organisations"),
        (lambda: people([PLANTED]), DomainError, "organisations[0]"),
        (lambda: groups(5), UsageError, "person_ids"),
        (lambda: groups([PLANTED]), DomainError, "person_ids[0]"),
        (lambda: programmes(max_groups=0), DomainError, "max_groups"),
        (lambda: programmes(conforming="yes"), UsageError, "conforming"),
        (lambda: personal_values(PLANTED), UsageError, "programme"),
    ],
)
def test_testing_strategies_check_their_arguments(
    call: Any, error: type[EmessiError], path: str
) -> None:
    """A strategy refuses wrong arguments when it is made, not later at draw time."""
    with pytest.raises(error) as caught:
        call()
    assert caught.value.path == path
    assert "Aino" not in str(caught.value)


def test_wrong_calls_of_strategies_are_usage_errors() -> None:
    """names(1), themes(1), emails(1) and programmes(True) are wrong calls."""
    for call in (lambda: names(1), lambda: themes(1), lambda: emails(1), lambda: programmes(True)):
        with pytest.raises(UsageError):
            call()  # type: ignore[no-untyped-call]
