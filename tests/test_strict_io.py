"""Issue 10 item 1 in emessi.io documents: the arguments of dump/dumps/load/loads/...

The document content has its own checks (DocumentError with $-paths); these
tests cover the arguments: path kinds, format names, mode flags, classes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from emessi import Group, Person
from emessi.errors import (
    DocumentError,
    EmessiError,
    SaveError,
    UnknownValueError,
    UsageError,
)
from emessi.io import dump, dumps, formats, from_data, load, loads, to_data

PLANTED = "Aino Virtanen aino@example.org"
GROUP = '{"format": "emessi/group", "version": 1, "id": "g-01"}'


def _refused(error: type[EmessiError], path: str, call: Any) -> EmessiError:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.path == path
    assert "Aino" not in str(caught.value)
    assert caught.value.__cause__ is None
    return caught.value


@pytest.mark.parametrize("text", [None, 5, ["{}"], {"format": "emessi/group"}, bytearray(b"{}")])
def test_loads_refuses_a_text_of_the_wrong_type(text: Any) -> None:
    """Only str and bytes are documents."""
    _refused(UsageError, "text", lambda: loads(text))


@pytest.mark.parametrize(
    ("keywords", "error", "path"),
    [
        ({"syntax": "yaml"}, UnknownValueError, "syntax"),
        ({"syntax": PLANTED}, UnknownValueError, "syntax"),
        ({"syntax": None}, UnknownValueError, "syntax"),
        ({"source": 5}, UsageError, "source"),
        ({"source": "\ud800"}, EmessiError, "source"),
        ({"source": "x" * 20_000}, EmessiError, "source"),
        ({"folder": 5}, UsageError, "folder"),
        ({"folder": b"/tmp"}, UsageError, "folder"),
    ],
)
def test_loads_checks_its_keywords(
    keywords: dict[str, Any], error: type[EmessiError], path: str
) -> None:
    """syntax is 'json' or 'toml'; source is short text; folder a path or None."""
    _refused(error, path, lambda: loads(GROUP, **keywords))


@pytest.mark.parametrize("cls", [int, "Group", Group("g-01"), PLANTED, dict])
def test_loads_and_from_data_refuse_a_class_that_is_not_a_document_type(cls: Any) -> None:
    """cls is None or a document type such as Group."""
    _refused(UsageError, "cls", lambda: loads(GROUP, cls))
    _refused(UsageError, "cls", lambda: from_data({"id": "g-01"}, cls))


def test_wrong_calls_are_usage_errors() -> None:
    """A missing or unknown argument is a UsageError naming the call, for every function."""
    for call in (
        lambda: loads(),  # type: ignore[call-overload]
        lambda: loads(GROUP, Group, "json"),  # type: ignore[call-overload]
        lambda: loads(GROUP, colour="red"),  # type: ignore[call-overload]
        lambda: dumps(),  # type: ignore[call-arg]
        lambda: dumps(Group("g-01"), "toml"),  # type: ignore[misc]
        lambda: to_data(),  # type: ignore[call-arg]
        lambda: from_data(),  # type: ignore[call-overload]
        lambda: dump(Group("g-01")),  # type: ignore[call-arg]
        lambda: load(),  # type: ignore[call-overload]
        lambda: formats("all"),  # type: ignore[call-arg]
    ):
        with pytest.raises(UsageError, match="argument"):
            call()


def test_dumps_and_to_data_check_their_arguments() -> None:
    """A value that is not a document type, or an unknown syntax, is refused."""
    _refused(UsageError, "", lambda: to_data(PLANTED))
    _refused(UsageError, "", lambda: dumps([Group("g-01")]))
    _refused(UnknownValueError, "syntax", lambda: dumps(Group("g-01"), syntax="yaml"))  # type: ignore[arg-type]
    _refused(UnknownValueError, "syntax", lambda: dumps(Group("g-01"), syntax=["json"]))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", [5, None, b"group.json", ["group.json"], 1.5])
def test_dump_and_load_refuse_a_path_of_the_wrong_type(path: Any) -> None:
    """A path is a str or an os.PathLike."""
    _refused(UsageError, "path", lambda: dump(Group("g-01"), path))
    _refused(UsageError, "path", lambda: load(path))


def test_load_refuses_paths_it_cannot_read(tmp_path: Path) -> None:
    """A NUL in the path, a folder, a FIFO, a missing file: DocumentError or UsageError."""
    _refused(DocumentError, "$", lambda: load(str(tmp_path / "a\x00b.json")))
    _refused(DocumentError, "$", lambda: load(tmp_path / "missing.json"))
    folder = tmp_path / "folder.json"
    folder.mkdir()
    _refused(DocumentError, "$", lambda: load(folder))
    _refused(UsageError, "path", lambda: load(tmp_path / "group.yaml"))
    _refused(EmessiError, "path", lambda: load("x" * 20_000 + ".json"))
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        error = _refused(DocumentError, "$", lambda: load(fifo))
        assert "not a regular file" in str(error)


def test_dump_to_a_path_with_a_nul_is_a_save_error(tmp_path: Path) -> None:
    """A NUL in the path cannot be written: a SaveError at path, not a ValueError."""
    _refused(SaveError, "path", lambda: dump(Group("g-01"), str(tmp_path / "a\x00b.json")))


def test_load_and_loads_still_read_documents(tmp_path: Path) -> None:
    """The checks leave the right calls alone: str, bytes, Path, a cls, a folder."""
    group = Group("g-01")
    assert loads(GROUP) == group
    assert loads(GROUP.encode(), Group, syntax="json", source="g.json", folder=tmp_path) == group
    assert load(dump(group, tmp_path / "g.toml"), Group) == group
    assert load(str(dump(Person("p-01", "A"), tmp_path / "p.json"))) == Person("p-01", "A")
    assert from_data({"id": "g-01"}, Group) == group
    assert "emessi/group" in formats()
