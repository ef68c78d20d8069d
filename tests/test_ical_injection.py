"""iCalendar injection: no text forges a line of the file, also under ``python -O``."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import attrs
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi import AgendaItem, Group, Meeting, Membership, Person, Programme, Theme
from emessi.errors import EmessiError, UnsafeTextError
from emessi.io.ical import dumps_ical

START = datetime(2025, 1, 14, 12, tzinfo=UTC)
FORGED = "Spring\nBEGIN:VEVENT\nUID:evil\nSUMMARY:forged\nEND:VEVENT"
BREAKS = ["\n", "\r", "\r\n", "\x00", "\x0b", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]


def _group(**changes: Any) -> Group:
    group = Group(
        "g-01",
        "Helsinki",
        memberships=[Membership("p-01")],
        meetings=[
            Meeting(1, START, agenda=[AgendaItem("Check-in", 15)], themes=["t-own"]),
        ],
        themes=[Theme("t-own", "Own theme")],
        link="https://meet.example.org/g-01",
    )
    return attrs.evolve(group, **changes)


def _programme(**changes: Any) -> Programme:
    programme = Programme(
        "p", "Spring", people=[Person("p-01", "Aino", email="aino@example.org")], groups=[_group()]
    )
    return attrs.evolve(programme, **changes)


def _bad_subjects(text: str) -> list[tuple[str, Any]]:
    """(expected path, subject) for *text* planted in each field that reaches the file."""
    meeting = _group().meetings[0]
    return [
        ("name", _programme(name=text)),
        ('groups["g-01"].name', _group(name=text)),
        ('groups["g-01"].name', _programme(groups=[_group(name=text)])),
        ('groups["g-01"].link', _group(link=text)),
        (
            'groups["g-01"].meetings[0].agenda[0].title',
            _group(meetings=[attrs.evolve(meeting, agenda=[AgendaItem(text, 15)])]),
        ),
        ('groups["g-01"].themes["t-own"].title', _group(themes=[Theme("t-own", text)])),
        ('themes["t-own"].title', _programme(themes=[Theme("t-own", text)])),
        (
            'groups["g-01"].meetings[0].themes[0]',
            _group(meetings=[attrs.evolve(meeting, themes=[text])]),
        ),
        (
            'people["p-01"].email',
            _programme(people=[Person("p-01", "Aino", email=f"aino{text}@example.org")]),
        ),
    ]


def _export(subject: Any) -> str:
    return dumps_ical(subject, attendees=True, people=[Person("p-01", "A", email="a@b.org")])


def _calname(calendar: Any) -> str:
    """The calendar name, unescaped as RFC 5545 TEXT (icalendar keeps X- values raw)."""
    raw = str(calendar["X-WR-CALNAME"])
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw)


def _lines_are_clean(text: str) -> None:
    """Every physical line ends in CRLF and holds no other break or control."""
    assert text.endswith("\r\n")
    for line in text[:-2].split("\r\n"):
        assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", line), line


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_every_text_field_refuses_line_breaks_and_controls(brk: str) -> None:
    """A break or control in any field is an UnsafeTextError at that field, without the text."""
    secret = f"Secret{brk}BEGIN:VEVENT"
    for path, subject in _bad_subjects(secret):
        with pytest.raises(UnsafeTextError) as caught:
            _export(subject)
        error = caught.value
        assert error.path == path
        assert "Secret" not in str(error)
        assert "Secret" not in repr(error.args)
        assert error.__cause__ is None
        assert error.__context__ is None


def test_the_issue_s_forged_calendar_name_writes_no_second_event() -> None:
    """The calendar name of the issue is refused, in this interpreter's mode."""
    with pytest.raises(UnsafeTextError, match=r"^name: "):
        dumps_ical(_programme(name=FORGED))


def test_an_email_with_a_line_break_is_refused_without_echo() -> None:
    """icalendar's ValueError quoting the address is replaced by our error."""
    programme = _programme(people=[Person("p-01", "Aino", email="aino@example.org\nX-EVIL:1")])
    with pytest.raises(UnsafeTextError) as caught:
        dumps_ical(programme, attendees=True)
    assert "aino" not in str(caught.value)
    assert caught.value.path == 'people["p-01"].email'


@pytest.mark.parametrize("email", ["a b@example.org", "a@b@c", "<a@b.org>", "a@b.org,c@d.org"])
def test_an_email_that_is_not_a_plain_address_is_refused(email: str) -> None:
    """Spaces, angle brackets, lists and double @ are refused."""
    programme = _programme(people=[Person("p-01", "Aino", email=email)])
    with pytest.raises(UnsafeTextError, match="plain e-mail"):
        dumps_ical(programme, attendees=True)


def test_separators_in_names_are_escaped_as_text() -> None:
    """Commas, semicolons and backslashes stay inside one escaped value."""
    text = dumps_ical(_programme(name="A, B; C\\D"))
    assert "X-WR-CALNAME:A\\, B\\; C\\\\D\r\n" in text
    assert _calname(icalendar.Calendar.from_ical(text)) == "A, B; C\\D"


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_name_either_is_refused_or_stays_in_its_property(name: str) -> None:
    """A name becomes one property value or an UnsafeTextError; never a forged line."""
    for subject in (_programme(name=name, groups=[_group(name=name)]),):
        try:
            text = dumps_ical(subject)
        except UnsafeTextError:
            assert re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", name)
            continue
        _lines_are_clean(text)
        calendar = icalendar.Calendar.from_ical(text)
        assert _calname(calendar) == (name or "p")
        events = calendar.walk("VEVENT")
        assert len(events) == 1
        assert str(events[0]["SUMMARY"]).startswith(name or "g-01")


@pytest.mark.parametrize("text", ["\ud800", "x\udcffy"])
def test_lone_surrogates_never_reach_an_export(text: str) -> None:
    """Lone surrogates, which UTF-8 cannot encode, are refused where the object is made."""
    makers = [
        lambda: _programme(name=text),
        lambda: _group(name=text),
        lambda: _group(link=text),
        lambda: AgendaItem(text, 15),
        lambda: Theme("t-own", text),
        lambda: Person("p-01", "Aino", email=f"aino{text}@example.org"),
    ]
    for make in makers:
        with pytest.raises(EmessiError) as caught:
            make()
        assert caught.value.path in {"name", "link", "title", "title_en", "email"}


_UNDER_O = """
import sys
from datetime import UTC, datetime
from emessi import Group, Meeting, Programme
from emessi.errors import UnsafeTextError
from emessi.io.ical import dumps_ical
assert not __debug__, "run with python -O"
group = Group("g-01", "G", meetings=[Meeting(1, datetime(2025, 1, 14, 12, tzinfo=UTC))])
for name in ({forged!r}, "A\\rB", "A\\x00B"):
    try:
        dumps_ical(Programme("p", name, groups=[group]))
    except UnsafeTextError as error:
        assert error.path == "name"
    else:
        sys.exit("written under -O")
print("refused")
"""


def test_refused_under_python_dash_o_as_well() -> None:
    """Without asserts (``python -O``), the forged name is still refused."""
    code = _UNDER_O.format(forged=FORGED)
    done = subprocess.run(
        [sys.executable, "-O", "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "refused"
