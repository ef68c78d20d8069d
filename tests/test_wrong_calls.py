"""Issue 10: a wrong call (missing, unknown or extra argument) is a UsageError.

Python's own ``TypeError: __init__() missing 1 required positional
argument`` names no emessi path and is not an ``EmessiError``; every public
emessi class and ``@checked`` function turns such a call into a
:class:`~emessi.errors.UsageError` that names the argument, never a value.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import emessi
from emessi import Membership, Person, hold_meeting
from emessi.errors import UsageError
from emessi.model._strict import wrong_call

#: Every public module: their public attrs classes must all refuse a wrong call.
PACKAGES = ["emessi"] + [
    module.name
    for module in pkgutil.walk_packages(emessi.__path__, "emessi.")
    if not any(part.startswith("_") for part in module.name.split(".")[1:])
    and not module.name.startswith("emessi.cli")
]

PLANTED = "Aino Virtanen <aino@example.org>"


def public_classes() -> list[type]:
    found: dict[str, type] = {}
    for name in PACKAGES:
        module = importlib.import_module(name)
        for attribute in getattr(module, "__all__", ()):
            value = getattr(module, attribute)
            if isinstance(value, type) and attrs.has(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return sorted(found.values(), key=lambda cls: cls.__qualname__)


CLASSES = public_classes()


def required(cls: type) -> list[str]:
    return [
        p.name
        for p in inspect.signature(cls).parameters.values()
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def test_the_packages_have_public_classes() -> None:
    assert len(CLASSES) >= 70
    assert {"Scenario", "MethodProfile", "Applicant", "Poll", "Provenance"} <= {
        cls.__name__ for cls in CLASSES
    }


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__qualname__)
def test_a_missing_argument_is_named(cls: type) -> None:
    names = required(cls)
    if not names:
        cls()  # everything has a default
        return
    with pytest.raises(UsageError) as caught:
        cls()
    assert caught.value.path == names[0]
    assert repr(names[0]) in caught.value.message


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__qualname__)
def test_an_unknown_keyword_is_refused_without_echoing_it(cls: type) -> None:
    with pytest.raises(UsageError) as caught:
        cls(**{PLANTED: 1})
    assert caught.value.path == "<not a name>"
    assert PLANTED not in str(caught.value)
    with pytest.raises(UsageError) as caught:
        cls(no_such_argument=PLANTED)
    assert caught.value.path == "no_such_argument"
    assert PLANTED not in str(caught.value)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__qualname__)
def test_too_many_positional_arguments(cls: type) -> None:
    with pytest.raises(UsageError) as caught:
        cls(*[PLANTED] * 40)
    assert "positional" in caught.value.message
    assert PLANTED not in str(caught.value)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__qualname__)
def test_the_signature_is_still_attrs_own(cls: type) -> None:
    """Docs and IDEs see the real parameters, not the wrapper's."""
    parameters = inspect.signature(cls).parameters
    assert not any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters.values())
    assert [a.alias for a in attrs.fields(cls) if a.init] == list(parameters)


def test_a_field_check_keeps_its_own_error() -> None:
    """The wrapper converts only the call's own TypeError, not the fields' UsageErrors."""
    with pytest.raises(UsageError) as caught:
        Membership(person=5)  # type: ignore[arg-type]
    assert caught.value.path == "person"
    assert "expected" in caught.value.message


def test_a_correct_call_by_position_and_name_is_unchanged() -> None:
    by_position = Membership("p-01", "facilitator")  # type: ignore[arg-type]
    by_name = Membership(person="p-01", role="facilitator")  # type: ignore[arg-type]
    assert by_position == by_name
    assert attrs.evolve(by_name, person="p-02").person == "p-02"
    assert Person("p-01", "A", languages=["fi"]).languages == ("fi",)


def test_a_checked_function_names_the_missing_argument() -> None:
    with pytest.raises(UsageError) as caught:
        hold_meeting()  # type: ignore[call-arg]
    assert caught.value.path == "group"


@given(
    args=st.integers(min_value=0, max_value=6),
    keys=st.lists(st.sampled_from(["a", "b", "c", "d", "x y", "ö", "_private"]), max_size=4),
)
def test_wrong_call_agrees_with_python(args: int, keys: list[str]) -> None:
    """Whenever Python refuses a call, wrong_call explains it and names no value."""

    def target(a: Any, b: Any = 1, /, c: Any = 2, *, d: Any) -> None: ...

    values = tuple(PLANTED for _ in range(args))
    kwargs = dict.fromkeys(keys, PLANTED)
    signature = inspect.signature(target)
    try:
        signature.bind(*values, **kwargs)
    except TypeError:
        error = wrong_call(signature, "target", values, kwargs)
        assert isinstance(error, UsageError)
        assert PLANTED not in str(error)
        assert error.message


@pytest.mark.parametrize(
    ("lang", "call", "expected"),
    [
        ("fi", lambda: Membership(), "person: Membership() tarvitsee argumentin 'person'"),
        ("sv", lambda: Membership(), "person: Membership() behöver argumentet 'person'"),
        ("fi", lambda: Person("p-01", 5), "name: piti olla merkkijono, ei int"),
        ("sv", lambda: Person("p-01", 5), "name: skulle vara en sträng, inte int"),
        ("fi", lambda: Person(7, "A"), "id: piti olla tunniste merkkijonona, ei int"),
        ("sv", lambda: Membership("p-01", "boss"), "role: skulle vara ett av: 'peer'"),
        ("en", lambda: Membership("p-01", "boss"), "role: expected one of: 'peer'"),
    ],
)
def test_the_model_checks_speak_the_current_language(lang: str, call: Any, expected: str) -> None:
    """The run-time checks' messages come from the gettext catalogues (en, fi, sv)."""
    from emessi._i18n import using_language

    with using_language(lang), pytest.raises(UsageError) as caught:
        call()
    assert str(caught.value).startswith(expected)


def test_a_union_names_each_option_in_the_language() -> None:
    from emessi._i18n import using_language
    from emessi.model._strict import check_for

    check = check_for(str | int)
    with pytest.raises(UsageError) as caught:
        check(1.5, "value")
    assert caught.value.message == "expected a string or an integer, not float"
    with using_language("fi"), pytest.raises(UsageError) as caught:
        check(1.5, "value")
    assert caught.value.message == "piti olla merkkijono tai kokonaisluku, ei float"
