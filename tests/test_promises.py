"""Promises of DESIGN.md that cut across modules: cheap import and privacy."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emessi.errors import EmessiError
from emessi.model import (
    ChangeKind,
    Group,
    Meeting,
    MeetingChange,
    Membership,
    Person,
    Programme,
    add_member,
    hold_meeting,
    remove_member,
)
from emessi.rules import validate
from emessi.testing import emails, names, personal_values, programmes

START = datetime(2014, 1, 14, 14, tzinfo=ZoneInfo("Europe/Helsinki"))
_SOME = settings(max_examples=max(10, settings.default.max_examples // 3))

# Every optional dependency and the test-only ones (DESIGN.md, promise 7).
OPTIONAL = (
    "numpy",
    "holidays",
    "icalendar",
    "tomli_w",
    "dask",
    "distributed",
    "matplotlib",
    "pandas",
    "polars",
    "ortools",
    "hypothesis",
    "simpy",
    "mesa",
)


def test_promise_7_import_is_cheap() -> None:
    """`import emessi` loads no optional dependency (checked in a fresh interpreter)."""
    code = (
        "import json, sys\n"
        "import emessi\n"
        "emessi.validate(emessi.Group('g-01'))\n"
        "emessi.loads(emessi.dumps(emessi.Group('g-01')))\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(result.stdout))
    assert "emessi" in loaded
    assert loaded.isdisjoint(OPTIONAL), sorted(loaded & set(OPTIONAL))


# -- promise 6: personal data never appears in reprs or messages ------------

_NAMES = names()
_EMAILS = emails()


@given(_NAMES, _EMAILS, _NAMES, _NAMES)
def test_promise_6_reprs_hide_personal_data(name: str, email: str, reason: str, notes: str) -> None:
    """Reprs of people, memberships, meetings and changes hide names, e-mails, reasons, notes."""
    person = Person("p-01", name, email=email)
    membership = Membership("p-01", left=date(2014, 3, 1), reason=reason)
    change = MeetingChange(ChangeKind.CANCELLED, reason=reason)
    meeting = Meeting(1, START, notes=notes, history=[change])
    group = Group("g-01", memberships=[membership], meetings=[meeting], link=f"https://x/{name}")
    programme = Programme("p", people=[person], groups=[group])
    for value in (person, membership, change, meeting, group, programme):
        shown = repr(value)
        for secret in (name, email, reason, notes):
            assert secret not in shown
    assert "<hidden>" in repr(person)
    assert "p-01" in repr(person)  # ids are not personal data


@st.composite
def _personal_programmes(draw: st.DrawFn) -> Programme:
    """Any programme whose names, e-mails, reasons and notes are recognisable."""
    programme = draw(programmes())
    people = [
        attrs.evolve(p, name=draw(_NAMES), email=draw(st.none() | _EMAILS))
        for p in programme.people
    ]
    groups = []
    for group in programme.groups:
        memberships = [
            attrs.evolve(m, reason=draw(_NAMES)) if m.left else m for m in group.memberships
        ]
        meetings = [attrs.evolve(m, notes=draw(st.none() | _NAMES)) for m in group.meetings]
        groups.append(attrs.evolve(group, memberships=memberships, meetings=meetings))
    return attrs.evolve(programme, people=people, groups=groups)


@_SOME
@given(_personal_programmes(), st.sampled_from(["en", "fi"]))
def test_promise_6_findings_hide_personal_data(programme: Programme, lang: str) -> None:
    """Validation messages and paths name ids, never names, e-mails, reasons or notes."""
    report = validate(programme, lang=lang)
    shown = str(report)
    for secret in personal_values(programme):
        assert secret not in shown


def _message(change: Callable[..., object], *args: object, **kwargs: object) -> str:
    """The message of the EmessiError that *change* raises, or '' if it succeeds."""
    try:
        change(*args, **kwargs)
    except EmessiError as error:
        return str(error)
    return ""


@_SOME
@given(_personal_programmes(), st.data())
def test_promise_6_domain_errors_hide_personal_data(
    programme: Programme, data: st.DataObject
) -> None:
    """Errors from lifecycle changes name ids, never personal data, even if given a name."""
    secrets = personal_values(programme)
    for group in programme.groups:
        messages = [
            _message(add_member, group, data.draw(st.sampled_from([*secrets, "p-x"]))),
            _message(remove_member, group, "p-nobody", left=date(2014, 1, 1)),
        ]
        if group.meetings:
            number = group.meetings[0].number
            messages.append(_message(hold_meeting, group, number, attendance=["p-nobody"]))
        for secret in secrets:
            assert not any(secret in message for message in messages)


def test_promise_6_error_for_a_name_used_as_an_id() -> None:
    """A name passed where an id goes is refused without repeating it."""
    with pytest.raises(EmessiError) as caught:
        Person("Aino Virtanen", "Aino Virtanen")
    assert "Aino" not in str(caught.value)
    with pytest.raises(EmessiError) as late:
        add_member(Group("g-01", memberships=[Membership("p-01")]), "Aino Virtanen")
    assert "Aino" not in str(late.value)
