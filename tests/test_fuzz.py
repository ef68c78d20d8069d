"""Issue 10: fuzzing the public entry points with hostile input.

Each test feeds an entry point wrong types, out-of-range values, hostile
text (lone surrogates, NUL, CR/LF, right-to-left marks, long strings),
deep nesting and huge numbers, and asserts that only an ``EmessiError``
with a path (or none, for a whole-value problem) leaves it, quickly.
``HYPOTHESIS_PROFILE=fuzz`` runs many more examples (nightly).
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import emessi
from emessi import (
    Group,
    Meeting,
    Membership,
    Organisation,
    Person,
    Programme,
    Theme,
    dumps_ical,
    hold_meeting,
    load_profile,
    loads,
    read_applicants,
    validate,
)
from emessi.errors import EmessiError
from emessi.research import can
from emessi.scheduling import parse_recurrence
from emessi.testing import hostile_numbers, hostile_text, hostile_values

#: Seconds any one call may take on the shared CI machine.
BUDGET = 5.0

HOSTILE_TEXT = hostile_text()
NUMBERS = hostile_numbers()
VALUES = hostile_values(HOSTILE_TEXT, NUMBERS)
ANYTHING = st.one_of(
    VALUES,
    st.sampled_from(
        [
            b"p-01",
            object(),
            date(2, 1, 1),
            datetime(2014, 1, 14, 14),
            datetime(9998, 1, 1, tzinfo=UTC),
            timedelta(days=10**8),
            timedelta(0),
            Membership("p-01"),
        ]
    ),
)


def _only_emessi_errors(call: Callable[[], object]) -> None:
    """*call* returns or raises an EmessiError with a str path, within the budget."""
    began = time.perf_counter()
    caught: EmessiError | None = None
    try:
        call()
    except EmessiError as error:
        caught = error
    assert caught is None or (isinstance(caught.path, str) and caught.__cause__ is None)
    assert time.perf_counter() - began < BUDGET


START = datetime(2014, 1, 14, 12, tzinfo=UTC)
CONSTRUCTORS: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "Person": (Person, {"id": "p-01", "name": "A"}),
    "Organisation": (Organisation, {"id": "o-01", "name": "O"}),
    "Membership": (Membership, {"person": "p-01"}),
    "Meeting": (Meeting, {"number": 1, "start": START}),
    "Group": (Group, {"id": "g-01"}),
    "Programme": (Programme, {"id": "p"}),
    "Theme": (Theme, {"id": "t-01", "title_en": "T"}),
}
FIELDS = {
    "Person": ["id", "name", "email", "organisation", "languages"],
    "Organisation": ["id", "name", "sector", "staff", "region"],
    "Membership": ["person", "role", "joined", "left", "reason"],
    "Meeting": [
        "number",
        "start",
        "duration",
        "themes",
        "status",
        "attendance",
        "secretary",
        "agenda",
        "notes",
        "series",
        "sequence",
        "history",
        "makeup_for",
    ],
    "Group": [
        "id",
        "name",
        "timezone",
        "memberships",
        "meetings",
        "themes",
        "ground_rules",
        "link",
    ],
    "Programme": ["id", "name", "profile", "organisations", "people", "groups", "themes"],
    "Theme": ["id", "title_en", "title_fi", "dimensions", "tags", "description_en"],
}
SPOTS = [(cls, field) for cls, fields in FIELDS.items() for field in fields]


@given(st.sampled_from(SPOTS), ANYTHING)
def test_fuzz_every_model_field(spot: tuple[str, str], value: Any) -> None:
    """Field by field, any value is accepted or refused with an EmessiError at that field."""
    cls, field = spot
    make, required = CONSTRUCTORS[cls]
    began = time.perf_counter()
    caught: EmessiError | None = None
    try:
        made = make(**{**required, field: value})
    except EmessiError as error:
        caught = error
    if caught is not None:
        assert caught.path.split("[")[0].split(".")[0] == field
    else:
        # validate() never raises for what a constructor accepted
        if isinstance(made, Meeting | Group | Programme):
            validate(made)
        if isinstance(made, Meeting | Group | Programme | Person):
            assert loads(emessi.dumps(made)) == made
    assert time.perf_counter() - began < BUDGET


@given(VALUES)
def test_fuzz_loads(data: Any) -> None:
    """Any JSON document gives an object or a DocumentError."""
    try:
        text = json.dumps(data)
    except ValueError:  # a number beyond Python's int-string limit
        text = "[" + "9" * 5000 + "]"
    _only_emessi_errors(lambda: loads(text))
    if isinstance(data, dict) and text.startswith("{"):
        for name in ("emessi/group", "emessi/meeting", "emessi/programme", "emessi/scenario"):
            document = json.dumps({**data, "format": name})
            _only_emessi_errors(lambda document=document: loads(document))


@given(st.sampled_from(["[", "{", '{"a":']), st.integers(1, 200_000))
def test_fuzz_loads_deep_nesting(opening: str, depth: int) -> None:
    """Deeply nested text is a DocumentError, not a RecursionError."""
    _only_emessi_errors(lambda: loads(opening * depth))


@given(st.one_of(HOSTILE_TEXT, st.sampled_from(["a = " + "[" * 3000 + "]" * 3000])))
def test_fuzz_load_profile(text: str) -> None:
    """Any TOML text, hostile or deep, gives a profile or a DocumentError."""
    folder = Path(__import__("tempfile").mkdtemp())
    path = folder / "p.toml"
    try:
        path.write_text(text, encoding="utf-8")
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _only_emessi_errors(lambda: load_profile(path))
    big = folder / "big.toml"
    body = f'name = "x"\nextends = "emessi"\nmeetings = {{ preferred = [{text}, 6] }}\n'
    big.write_bytes(body.encode("utf-8", "surrogatepass"))
    _only_emessi_errors(lambda: load_profile(big))


@given(
    st.lists(st.lists(HOSTILE_TEXT, max_size=6), max_size=4),
    st.sampled_from([",", ";", "\r", "\n"]),
)
def test_fuzz_read_applicants(rows: list[list[str]], end: str) -> None:
    """Any CSV text gives applicants or a DocumentError."""
    header = "id,name,organisation,staff,languages,avoid"
    text = end.join([header, *(",".join(row) for row in rows)])
    _only_emessi_errors(lambda: read_applicants(io.StringIO(text)))


@given(ANYTHING)
def test_fuzz_read_applicants_wrong_types(value: Any) -> None:
    """Not a path or a text handle: a UsageError."""
    _only_emessi_errors(lambda: read_applicants(value))


RULE_PARTS = st.sampled_from(
    [
        "FREQ=MONTHLY",
        "FREQ=WEEKLY;INTERVAL=4",
        "UNTIL=99991231T235959Z",
        "UNTIL=19000101T000000Z",
        "COUNT=" + "9" * 50,
        "INTERVAL=0",
        "BYDAY=TU",
        "BYSETPOS=-1",
        "BYHOUR=99",
        "\x00",
        "\ud800",
    ]
)


@given(st.lists(RULE_PARTS, min_size=1, max_size=4).map(";".join))
def test_fuzz_parse_recurrence(rule: str) -> None:
    """Any RRULE text gives a rule or a RecurrenceError."""
    _only_emessi_errors(lambda: parse_recurrence(rule))


@given(ANYTHING)
def test_fuzz_dumps_ical_and_can(value: Any) -> None:
    """Wrong arguments to dumps_ical and can() are EmessiErrors."""
    _only_emessi_errors(lambda: dumps_ical(value))
    _only_emessi_errors(lambda: can(value, value, value))


@given(st.sampled_from(FIELDS["Meeting"][:3]), ANYTHING)
def test_fuzz_hold_meeting(name: str, value: Any) -> None:
    """hold_meeting refuses wrong arguments with an EmessiError."""
    group = Group("g-01", memberships=[Membership("p-01")], meetings=[Meeting(1, START)])
    _only_emessi_errors(lambda: hold_meeting(group, 1, attendance=value))
    _only_emessi_errors(lambda: hold_meeting(group, value, attendance=[]))
