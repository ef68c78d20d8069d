"""The run-time checks' iterables (model._strict): classes and raising generators.

Two small fixes to the shared mechanism found by the argument fuzzer
(tests/test_fuzz_arguments.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emessi import Group
from emessi.errors import UsageError
from emessi.formation import Applicant, Formation, form_groups
from emessi.model import Person


def _raising() -> Iterator[str]:
    yield "p-01"
    raise RuntimeError("Aino Virtanen")


def test_a_class_is_not_an_iterable() -> None:
    """str (the class) has an __iter__ attribute but is no iterable of ids."""
    with pytest.raises(UsageError) as caught:
        Group("g-01", ground_rules=str)  # type: ignore[arg-type]
    assert caught.value.path == "ground_rules"
    pool = [Applicant(Person(f"p-{i}", "")) for i in range(6)]
    formation = form_groups(pool, facilitators=[Person("f-1", "")], observers=[Person("o-1", "")])
    assert isinstance(formation, Formation)
    with pytest.raises(UsageError) as caught:
        formation.to_programme(organisations=str)  # type: ignore[arg-type]
    assert caught.value.path == "organisations"


def test_a_generator_that_raises_is_a_usage_error_without_its_message() -> None:
    """The caller's exception leaves as a UsageError at the field, its text not shown."""
    with pytest.raises(UsageError) as caught:
        Group("g-01", ground_rules=_raising())
    assert caught.value.path == "ground_rules"
    assert "RuntimeError" in caught.value.message
    assert "Aino" not in str(caught.value)
    assert caught.value.__cause__ is None
