"""Documents: lossless JSON/TOML round trips, damaged documents, atomic saves."""

from __future__ import annotations

import copy
import enum
import functools
import json
import os
import types
import typing
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from emessi import (
    Bounds,
    Group,
    Meeting,
    MethodProfile,
    Organisation,
    Person,
    Programme,
    Severity,
    ThemeCatalogue,
    get_profile,
    validate,
)
from emessi._convert import FORMATS
from emessi.errors import DocumentError, EmessiError, UsageError
from emessi.io import dump, dumps, formats, from_data, load, loads, to_data
from emessi.method import default_catalogue
from emessi.rules import registered_rules
from emessi.testing import (
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

# Properties over whole programmes cost ~15 ms an example to generate; the
# costliest run a third of the profile's examples to keep the suite fast.
_SOME = settings(max_examples=max(10, settings.default.max_examples // 3))

# -- round trips ------------------------------------------------------------


def _organisations() -> st.SearchStrategy[Organisation]:
    return st.builds(
        Organisation,
        id=st.from_regex(r"o-[0-9]{1,4}", fullmatch=True),
        name=texts(1),
        sector=texts(),
        staff=st.integers(1, 10_000),
        region=st.none() | texts(),
    )


@st.composite
def _bounds(draw: st.DrawFn) -> Bounds:
    a, b, c, d = sorted(draw(st.lists(st.integers(0, 400), min_size=4, max_size=4)))
    return Bounds((b, c), (a, d))


def _profiles() -> st.SearchStrategy[MethodProfile]:
    codes = sorted({r.code for r in registered_rules()})
    return st.builds(
        MethodProfile,
        name=st.from_regex(r"[a-z][a-z0-9_-]{0,20}", fullmatch=True),
        peers=_bounds(),
        meetings=_bounds(),
        interval_days=_bounds(),
        duration_minutes=_bounds(),
        facilitators=_bounds(),
        observers=_bounds(),
        workplace_size=_bounds(),
        title=texts(),
        sector=texts(),
        description=texts(),
        closed=st.booleans(),
        observer_required=st.booleans(),
        separate_organisations=st.booleans(),
        online=st.booleans(),
        severities=st.dictionaries(st.sampled_from(codes), st.sampled_from(Severity)),
        disabled_rules=st.lists(st.sampled_from(codes), unique=True).map(tuple),
    )


def _documents() -> st.SearchStrategy[object]:
    """Every kind of document emessi writes."""
    return st.one_of(
        programmes(),
        programmes(conforming=True, max_groups=2),
        groups(),
        meetings(),
        people(),
        _organisations(),
        themes(),
        st.lists(themes(), max_size=4, unique_by=lambda t: t.id).map(ThemeCatalogue),
        _profiles(),
        programmes().map(validate),
    )


@given(programmes())
def test_programme_round_trip_json(programme: Programme) -> None:
    """loads(dumps(x)) == x for any generated programme, in JSON."""
    assert loads(dumps(programme)) == programme


@_SOME
@given(programmes())
def test_programme_round_trip_toml(programme: Programme) -> None:
    """loads(dumps(x)) == x for any generated programme, in TOML."""
    assert loads(dumps(programme, syntax="toml"), syntax="toml") == programme


@given(_documents(), st.sampled_from(["json", "toml"]))
def test_every_document_type_round_trips(value: object, syntax: Any) -> None:
    """Groups, meetings, people, themes, profiles and reports survive JSON and TOML."""
    text = dumps(value, syntax=syntax)
    assert loads(text, syntax=syntax) == value
    assert loads(text, type(value), syntax=syntax) == value


def test_every_document_format_is_exercised() -> None:
    """The round-trip strategy covers every document format of the core library."""
    covered = {
        "emessi/programme",
        "emessi/group",
        "emessi/meeting",
        "emessi/person",
        "emessi/organisation",
        "emessi/theme",
        "emessi/themes",
        "emessi/profile",
        "emessi/report",
    }
    core = ("emessi.model.", "emessi.method.", "emessi.rules.")
    assert {name for name in formats() if FORMATS[name][0].__module__.startswith(core)} == covered


def test_builtin_data_round_trips() -> None:
    """The built-in profiles and the theme catalogue survive JSON and TOML."""
    for value in (get_profile("emessi"), get_profile("verme"), default_catalogue()):
        for syntax in ("json", "toml"):
            assert loads(dumps(value, syntax=syntax), syntax=syntax) == value


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by the examples of one property test."""
    return tmp_path_factory.mktemp("documents")


@_SOME
@given(value=_documents(), suffix=st.sampled_from([".json", ".toml"]))
def test_file_round_trip(folder: Path, value: object, suffix: str) -> None:
    """load(dump(x, path)) == x for .json and .toml files; no temp file stays."""
    file = dump(value, folder / f"document{suffix}")
    assert load(file) == value
    assert sorted(p.name for p in folder.iterdir()) == [f"document{suffix}"]
    file.unlink()


def test_json_keeps_finnish_text_readable() -> None:
    """JSON output keeps non-ASCII text as is, not as escapes."""
    text = dumps(Group("g-01", name="Ryhmä Äänekoski"))
    assert "Ryhmä Äänekoski" in text


def test_toml_accepts_native_dates_and_datetimes() -> None:
    """A hand-written TOML file may use TOML's own dates and offset date-times."""
    text = """
format = "emessi/group"
version = 1
id = "g-01"
[[memberships]]
person = "p-01"
joined = 2013-11-01
[[meetings]]
number = 1
start = 2014-01-14T14:00:00+02:00
"""
    group = loads(text, syntax="toml")
    assert group.memberships[0].joined == date(2013, 11, 1)
    assert group.meetings[0].start.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ("start = 2014-01-14T14:00:00", "$.start"),  # a TOML local date-time: naive
        ("start = 2014-01-14", "$.start"),  # a date is not a date-time
    ],
)
def test_toml_refuses_native_values_of_the_wrong_kind(line: str, path: str) -> None:
    """A naive TOML date-time or a bare date is refused where a date-time goes."""
    with pytest.raises(DocumentError) as caught:
        loads(f'format = "emessi/meeting"\nnumber = 1\n{line}\n', syntax="toml")
    assert [p.path for p in caught.value.problems] == [path]


def test_unpaired_surrogate_is_refused_at_load() -> None:
    """Text with a lone surrogate is not valid Unicode: refused with its path (issue 10)."""
    with pytest.raises(DocumentError) as caught:
        loads('{"format": "emessi/person", "id": "p-01", "name": "x\\ud800"}')
    assert [p.path for p in caught.value.problems] == ["$.name"]


# -- damaged documents ------------------------------------------------------

_DELETE = object()
_ID_FIELDS = {"id", "person", "series"}
_POSITIVE_FIELDS = {"number", "minutes", "staff"}


@attrs.frozen
class _Spot:
    """A place in a document, with what the converter expects there."""

    keys: tuple[str | int, ...]
    kind: str
    optional: bool
    cls: Any = None  # the class of an object spot; the enum of an enum spot


def _jpath(keys: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _spots(tp: Any, value: Any, keys: tuple[str | int, ...], name: str = "") -> Iterator[_Spot]:
    optional = False
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        tp, optional = args[0], True
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if attrs.has(tp):
        yield _Spot(keys, "object", optional, tp)
        hints = _hints(tp)
        for field in attrs.fields(tp):
            if field.name in value:
                yield from _spots(
                    hints[field.name], value[field.name], (*keys, field.name), field.name
                )
    elif origin is tuple and args[-1] is Ellipsis:
        yield _Spot(keys, "list", optional)
        for index, item in enumerate(value):
            yield from _spots(args[0], item, (*keys, index))
    elif tp is str:
        kind = "id" if name in _ID_FIELDS else "zone" if name == "timezone" else "str"
        yield _Spot(keys, kind, optional)
    elif tp is int:
        yield _Spot(keys, "positive" if name in _POSITIVE_FIELDS else "int", optional)
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        yield _Spot(keys, "enum", optional, tp)
    else:
        kinds = {bool: "bool", datetime: "datetime", date: "date", timedelta: "duration"}
        yield _Spot(keys, kinds.get(tp, "other"), optional)


_JSON_KINDS: dict[type, str] = {
    type(None): "null",
    bool: "bool",
    int: "int",
    float: "float",
    str: "str",
    list: "list",
    dict: "dict",
}
_ACCEPTS = {
    "object": {"dict"},
    "list": {"list"},
    "str": {"str"},
    "id": {"str"},
    "zone": {"str"},
    "int": {"int"},
    "positive": {"int"},
    "bool": {"bool"},
    "enum": {"str"},
    "datetime": {"str"},
    "date": {"str"},
    "duration": {"int"},
}
_JUNK: list[Any] = [None, True, 2.5, 7, "junk text", [], [1], {}, {"a": 1}]
# Values of the right JSON type that are still wrong, per kind of spot.
_BAD_VALUES: dict[str, list[Any]] = {
    "id": ["has space", "", "-leading", "x" * 65, "ä-umlaut"],
    "zone": ["Mars/Olympus", "", " Europe/Helsinki", "../../etc/passwd", "Europe/Helsinki\x00"],
    "positive": [0, -1],
    "enum": ["no-such-value", "PEER", ""],
    "datetime": [
        "2014-01-14T14:00:00",  # naive
        "2014-01-14",  # a date, naive
        "2014-01-14T14:00:00+02:00[Mars/Olympus]",  # unknown zone
        "2014-01-14T14:00:00+05:00[Europe/Helsinki]",  # offset does not match the zone
        "2014-07-14T14:00:00+02:00[Europe/Helsinki]",  # summer time is +03:00
        "2014-01-14T14:00:00+02:00[Europe/Helsinki",
        "next tuesday",
        "",
    ],
    "date": ["2014-13-45", "yesterday", "2014-01-14T10:00:00", ""],
    "duration": [0, -30],
}


def _damages(spot: _Spot, data: dict[str, Any]) -> list[tuple[Any, str]]:
    """(new value or _DELETE, the path a problem must be reported at)."""
    here = _jpath(spot.keys)
    accepts = _ACCEPTS.get(spot.kind)
    out: list[tuple[Any, str]] = []
    if accepts is not None:
        for junk in _JUNK:
            kind = _JSON_KINDS[type(junk)]
            if kind not in accepts and not (kind == "null" and spot.optional):
                out.append((junk, here))
    out += [(bad, here) for bad in _BAD_VALUES.get(spot.kind, [])]
    if spot.kind == "object":
        value = _get(data, spot.keys)
        out.append((_with(value, "unexpected_field", 1), here))
        for field in attrs.fields(spot.cls):
            if field.default is attrs.NOTHING and field.name in value:
                out.append((_without(value, field.name), f"{here}.{field.name}"))
    return out


def _get(data: Any, keys: tuple[str | int, ...]) -> Any:
    for key in keys:
        data = data[key]
    return data


def _set(data: Any, keys: tuple[str | int, ...], value: Any) -> None:
    _get(data, keys[:-1])[keys[-1]] = value


def _with(mapping: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    return {**mapping, key: value}


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


@attrs.frozen
class _Damaged:
    """A damaged document and the paths its problems must be reported at."""

    data: dict[str, Any]
    paths: frozenset[str]
    personal: frozenset[str] = frozenset()


def _subjects() -> st.SearchStrategy[object]:
    return st.one_of(
        programmes(),
        programmes(conforming=True, max_groups=2),
        groups(),
        meetings(),
        people(),
        _organisations(),
        themes(),
        programmes().map(validate),
    )


@st.composite
def damaged_documents(
    draw: st.DrawFn, subjects: st.SearchStrategy[object] | None = None, *, toml: bool = False
) -> Any:
    """A valid document with 1-3 damages, each of which must be reported.

    With *toml*, no damage is a null (TOML has none).
    """
    value = draw(subjects if subjects is not None else _subjects())
    data = to_data(value)
    body = {k: v for k, v in data.items() if k not in ("format", "version")}
    spots = [s for s in _spots(type(value), body, ()) if s.keys]
    assume(spots)
    # Pick the kind of place first, so rare kinds (zones, date-times,
    # durations) are damaged as often as the many plain strings.
    by_kind: dict[str, list[_Spot]] = {}
    for spot in spots:
        by_kind.setdefault(spot.kind, []).append(spot)
    kinds = sorted(by_kind)
    chosen = draw(
        st.lists(
            st.sampled_from(kinds).flatmap(lambda kind: st.sampled_from(by_kind[kind])),
            min_size=1,
            max_size=3,
            unique_by=lambda s: s.keys,
        )
    )
    # Damage the deepest places first, and never one inside another, so
    # that each damage stays where it was put.
    chosen = [
        s for s in chosen if not any(o.keys[: len(s.keys)] == s.keys != o.keys for o in chosen)
    ]
    damaged = copy.deepcopy(data)
    paths = set()
    for spot in chosen:
        options = [o for o in _damages(spot, damaged) if not (toml and o[0] is None)]
        assume(options)
        new, path = draw(st.sampled_from(options))
        _set(damaged, spot.keys, new)
        paths.add(path)
    return _Damaged(damaged, frozenset(paths))


def _field_level(paths: frozenset[str], problems: list[str]) -> None:
    """With one damage its exact path is reported; with several at least one."""
    assert set(problems) & paths, (sorted(paths), problems)


@given(damaged=damaged_documents())
def test_damaged_document_raises_document_error_with_paths(folder: Path, damaged: _Damaged) -> None:
    """A damaged document raises DocumentError listing each problem with a $-path.

    The same damage in a mapping (from_data), in JSON text (loads) and in a
    file (load): DocumentError and nothing else, and the mapping is not
    mutated.
    """
    snapshot = copy.deepcopy(damaged.data)
    with pytest.raises(DocumentError) as caught:
        from_data(damaged.data)
    error = caught.value
    assert isinstance(error, EmessiError)
    assert error.problems
    paths = [p.path for p in error.problems]
    assert all(path == "$" or path.startswith(("$.", "$[")) for path in paths), paths
    assert all(p.message for p in error.problems)
    if len(damaged.paths) == 1:
        assert damaged.paths <= set(paths), (sorted(damaged.paths), paths)
    else:
        _field_level(damaged.paths, paths)
    assert error.path == paths[0]
    assert damaged.data == snapshot  # the caller's data is not mutated

    text = json.dumps(damaged.data)
    with pytest.raises(DocumentError) as from_text:
        loads(text)
    assert from_text.value.problems == error.problems
    file = folder / "damaged.json"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError) as from_file:
        load(file)
    assert str(from_file.value).startswith("cannot load damaged.json")
    assert from_file.value.problems == error.problems


_NAMES = names()
_EMAILS = emails()
# Places where the converter checks a string: a personal value put there
# makes a problem whose message must not repeat it.
_CHECKED = {"id", "zone", "enum", "datetime", "date", "duration", "int", "positive", "list"}


@st.composite
def _personal_programmes(draw: st.DrawFn) -> Programme:
    """Conforming programmes whose names, e-mails, reasons and notes are recognisable."""
    programme = draw(programmes(conforming=True, max_groups=2))
    people_ = [
        attrs.evolve(p, name=draw(_NAMES), email=draw(st.none() | _EMAILS))
        for p in programme.people
    ]
    groups_ = []
    for group in programme.groups:
        memberships = [
            attrs.evolve(m, left=date(2040, 1, 1), reason=draw(_NAMES))
            if draw(st.booleans())
            else m
            for m in group.memberships
        ]
        meetings_ = [attrs.evolve(m, notes=draw(st.none() | _NAMES)) for m in group.meetings]
        groups_.append(attrs.evolve(group, memberships=memberships, meetings=meetings_))
    return attrs.evolve(programme, people=people_, groups=groups_)


@_SOME
@given(_personal_programmes(), st.data())
def test_document_errors_never_repeat_personal_data(
    programme: Programme, data: st.DataObject
) -> None:
    """Names, e-mails, reasons and notes put in the wrong place never appear in the error."""
    personal = sorted(personal_values(programme))
    document = to_data(programme)
    body = {k: v for k, v in document.items() if k not in ("format", "version")}
    spots = [s for s in _spots(Programme, body, ()) if s.keys and s.kind in _CHECKED]
    chosen = data.draw(
        st.lists(st.sampled_from(spots), min_size=1, max_size=3, unique_by=lambda s: s.keys)
    )
    for spot in sorted(chosen, key=lambda s: len(s.keys), reverse=True):
        if any(o.keys[: len(spot.keys)] == spot.keys != o.keys for o in chosen):
            continue  # never damage a place inside another damaged one
        _set(document, spot.keys, data.draw(st.sampled_from(personal)))
    with pytest.raises(DocumentError) as caught:
        loads(json.dumps(document))
    shown = [str(caught.value), *(f"{p.path} {p.message}" for p in caught.value.problems)]
    for value in personal:
        assert not any(value in text for text in shown), value


@_SOME
@given(damaged_documents(toml=True))
def test_damaged_toml_text_raises_only_document_error(damaged: _Damaged) -> None:
    """loads() of damaged TOML text raises DocumentError and nothing else."""
    with pytest.raises(DocumentError):
        loads(tomli_w.dumps(damaged.data), syntax="toml")


@given(st.text(max_size=200) | st.binary(max_size=200), st.sampled_from(["json", "toml"]))
def test_arbitrary_text_raises_only_document_error(text: str | bytes, syntax: Any) -> None:
    """Any text at all either loads or raises DocumentError, never another error."""
    try:
        loads(text, syntax=syntax)
    except DocumentError as error:
        problems = error.problems
    else:
        problems = ()
    assert all(p.path.startswith("$") for p in problems)


@_SOME
@given(groups(), st.data())
def test_truncated_text_raises_document_error(group: Group, data: st.DataObject) -> None:
    """A JSON document cut short is a DocumentError at $; a cut TOML one never escapes."""
    syntax = data.draw(st.sampled_from(["json", "toml"]))
    text = dumps(group, syntax=syntax)
    truncated = text[: data.draw(st.integers(1, len(text) - 2))]
    if syntax == "json":
        with pytest.raises(DocumentError) as caught:
            loads(truncated)
        assert [p.path for p in caught.value.problems] == ["$"]
    else:
        try:
            loads(truncated, syntax="toml")
        except DocumentError as error:
            problems = error.problems
        else:
            problems = ()
        assert all(p.path.startswith("$") for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[1, 2",
        "{'format': 'emessi/group'}",
        '{"format": "emessi/group", "version": 1, "id": "g-01",}',
        "[" * 100_000,
        '{"format": "emessi/meeting", "version": 1, "number": ' + "1" * 5000 + "}",
        b"\xff\xfe\x00",
    ],
)
def test_not_json_raises_document_error_at_root(text: str | bytes) -> None:
    """Text that is not JSON, too deep or with over-long numbers: DocumentError at $."""
    with pytest.raises(DocumentError) as caught:
        loads(text)
    assert [p.path for p in caught.value.problems] == ["$"]


@pytest.mark.parametrize(
    "text",
    ["a = ", "[[x]\n", "a = " + "[" * 100_000, "number = " + "1" * 5000, b"\xff"],
)
def test_not_toml_raises_document_error_at_root(text: str | bytes) -> None:
    """Text that is not TOML: DocumentError at $."""
    with pytest.raises(DocumentError) as caught:
        loads(text, syntax="toml")
    assert [p.path for p in caught.value.problems] == ["$"]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"format": "emessi/nothing"}, "$.format"),
        ({"format": 7}, "$.format"),
        ({"format": ["emessi/group"]}, "$.format"),
        ({"format": None}, "$.format"),
        ({"format": "emessi/agendas"}, "$.format"),  # package data, not a user format
        ({"format": "emessi/meeting"}, "$.format"),  # not what load(..., Group) expects
        ({"version": 0}, "$.version"),
        ({"version": 2}, "$.version"),
        ({"version": "1"}, "$.version"),
        ({"version": True}, "$.version"),
        ({"version": 1.0}, "$.version"),
        ({"version": None}, "$.version"),
    ],
)
def test_wrong_format_or_version(changes: dict[str, Any], path: str) -> None:
    """A wrong or unknown format or version is a DocumentError at that key."""
    data = {**to_data(Group("g-01")), **changes}
    with pytest.raises(DocumentError) as caught:
        from_data(data, Group)
    assert [p.path for p in caught.value.problems] == [path]


def test_format_may_be_left_out_when_the_type_is_given() -> None:
    """from_data(data, cls) needs no format key; a document without one needs cls."""
    assert from_data({"id": "g-01"}, Group) == Group("g-01")
    with pytest.raises(DocumentError) as caught:
        from_data({"id": "g-01"})
    assert caught.value.problems[0].path == "$.format"


@pytest.mark.parametrize("data", [[], "text", 7, None])
def test_document_that_is_not_a_mapping(data: Any) -> None:
    """A document that is not a mapping is a DocumentError at $."""
    with pytest.raises(DocumentError) as caught:
        from_data(data)
    assert [p.path for p in caught.value.problems] == ["$"]


def test_every_problem_is_listed() -> None:
    """All problems of a document are listed at once, each with its path."""
    data = {
        "format": "emessi/group",
        "version": 1,
        "id": "g-01",
        "bogus": 1,
        "memberships": [{"person": "p-01", "role": "boss"}, "not a membership"],
        "meetings": [{"number": 1, "start": "2014-01-14T14:00:00", "duration": 0}],
    }
    with pytest.raises(DocumentError) as caught:
        from_data(data)
    assert sorted(p.path for p in caught.value.problems) == [
        "$",
        "$.meetings[0].duration",
        "$.meetings[0].start",
        "$.memberships[0].role",
        "$.memberships[1]",
    ]
    messages = {p.path: p.message for p in caught.value.problems}
    assert messages["$.memberships[0].role"] == "expected one of: 'peer', 'facilitator', 'observer'"
    assert messages["$.memberships[1]"].startswith("expected a mapping")


@pytest.mark.parametrize(
    ("start", "minutes", "path"),
    [
        ("9999-12-31T23:00:00+00:00", 600, "$.start"),
        ("2014-01-14T14:00:00+02:00", 4_000_000_000, "$.duration"),
        ("2014-01-14T14:00:00+02:00", 24 * 60 + 1, "$.duration"),
    ],
)
def test_meeting_outside_the_bounds_is_a_document_error(
    start: str, minutes: int, path: str
) -> None:
    """A start outside 1900-2200 or a meeting over 24 h is refused with its path (issue 10)."""
    data = {"number": 1, "start": start, "duration": minutes}
    with pytest.raises(DocumentError) as caught:
        from_data(data, Meeting)
    assert [p.path for p in caught.value.problems] == [path]


@_SOME
@given(programmes(conforming=True, max_groups=2), st.data())
def test_unknown_references_load_and_are_reported_by_validate(
    programme: Programme, data: st.DataObject
) -> None:
    """A reference to nobody loads (it is content) and validate reports it at its path.

    Loading stays lossless for every object the model accepts, so dangling
    ids are not a load error; the unknown-reference rule finds them.
    """
    document = to_data(programme)
    g = data.draw(st.integers(0, len(programme.groups) - 1))
    group = programme.groups[g]
    where = data.draw(st.sampled_from(["organisation", "membership", "attendance", "secretary"]))
    if where == "organisation":
        p = data.draw(st.integers(0, len(programme.people) - 1))
        document["people"][p]["organisation"] = "o-nowhere"
        expected = f'people["{programme.people[p].id}"].organisation'
    elif where == "membership":
        m = data.draw(st.integers(0, len(group.memberships) - 1))
        document["groups"][g]["memberships"][m]["person"] = "p-nobody"
        expected = f'groups["{group.id}"].memberships[{m}].person'
    else:
        n = data.draw(st.integers(0, len(group.meetings) - 1))
        meeting = document["groups"][g]["meetings"][n]
        if where == "attendance":
            meeting["attendance"] = ["p-nobody"]
            expected = f'groups["{group.id}"].meetings[{n}].attendance[0]'
        else:
            meeting["secretary"] = "p-nobody"
            expected = f'groups["{group.id}"].meetings[{n}].secretary'
    loaded = from_data(document)
    found = {f.path for f in validate(loaded).by_code("unknown-reference")}
    assert expected in found


# -- atomic saves -----------------------------------------------------------


def test_dump_of_a_non_document_leaves_no_file(tmp_path: Path) -> None:
    """Saving something that is not a document raises UsageError and writes nothing."""
    with pytest.raises(UsageError):
        dump(object(), tmp_path / "x.json")
    with pytest.raises(UsageError):
        dump(Group("g-01"), tmp_path / "x.yaml")
    assert list(tmp_path.iterdir()) == []


def test_dump_into_a_missing_folder_leaves_no_file(tmp_path: Path) -> None:
    """Saving into a folder that does not exist is an EmessiError; nothing is written."""
    with pytest.raises(EmessiError) as caught:
        dump(Group("g-01"), tmp_path / "missing" / "x.json")
    assert "cannot write" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_dump_under_a_file_leaves_no_file(tmp_path: Path) -> None:
    """Saving below a path that is a file (an unwritable folder) is an EmessiError."""
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(EmessiError):
        dump(Group("g-01"), tmp_path / "a-file" / "x.json")
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failed_save_keeps_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """When writing fails midway, the existing file is untouched and no temp file stays."""
    file = dump(Group("g-01", name="old"), tmp_path / "group.json")
    before = file.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(EmessiError) as caught:
        dump(Group("g-01", name="new"), file)
    monkeypatch.undo()
    assert "No space left on device" in caught.value.message
    assert file.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["group.json"]


def test_interrupted_save_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A KeyboardInterrupt while writing propagates; no temp file stays, the old file is kept."""
    file = dump(Group("g-01", name="old"), tmp_path / "group.toml")
    before = file.read_bytes()

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        dump(Group("g-01", name="new"), file)
    monkeypatch.undo()
    assert file.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["group.toml"]


def test_dump_replaces_an_existing_file(tmp_path: Path) -> None:
    """A successful save replaces the file's content."""
    file = dump(Group("g-01", name="old"), tmp_path / "group.json")
    dump(Group("g-01", name="new"), file)
    assert load(file, Group).name == "new"


def test_load_of_a_missing_file_is_a_document_error(tmp_path: Path) -> None:
    """Reading a file that does not exist raises DocumentError at $."""
    with pytest.raises(DocumentError) as caught:
        load(tmp_path / "missing.json")
    assert caught.value.problems[0].path == "$"
    assert "missing.json" in str(caught.value)


def test_load_checks_the_expected_type(tmp_path: Path) -> None:
    """load(path, cls) refuses a document of another format."""
    file = dump(Person("p-01", "A"), tmp_path / "person.json")
    with pytest.raises(DocumentError) as caught:
        load(file, Group)
    assert caught.value.problems[0].path == "$.format"


def test_loads_refuses_unknown_syntax_and_non_text() -> None:
    """An unknown syntax or a non-text argument is a UsageError (API misuse)."""
    with pytest.raises(UsageError):
        loads("{}", syntax="yaml")  # type: ignore[call-overload]
    with pytest.raises(UsageError):
        loads({"format": "emessi/group"})  # type: ignore[call-overload]
    with pytest.raises(UsageError):
        dumps(Group("g-01"), syntax="yaml")  # type: ignore[arg-type]


def test_documents_carry_format_and_version() -> None:
    """Every document starts with its format and version."""
    for value in (Group("g-01"), Person("p-01", "A"), get_profile()):
        data = to_data(value)
        assert list(data)[:2] == ["format", "version"]
        assert data["version"] == 1
