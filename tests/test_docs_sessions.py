"""The command-line sessions in the docs run exactly as written.

Each ``console`` block of a page is a journey: its ``$ emessi ...`` commands
run in order, in one empty folder per page, through :func:`emessi.cli.main`.
Every command must exit 0, and where the page shows output under a command,
the command prints that (``...`` stands for any text, as in doctests).
"""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

from emessi.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs"
#: Pages whose console sessions are journeys to run.
PAGES = ("reference/cli.md", "tutorials/coordinator.md")

_BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)


def sessions(page: str) -> list[tuple[str, str]]:
    """(command, expected output) for each ``$ emessi`` command of *page*, in order."""
    return commands_in((DOCS / page).read_text(encoding="utf-8"))


def commands_in(text: str) -> list[tuple[str, str]]:
    """(command, expected output) for each ``$ emessi`` command of Markdown *text*."""
    found: list[tuple[str, str]] = []
    for block in _BLOCK.findall(text):
        command: list[str] = []
        output: list[str] = []
        lines = block.splitlines()
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.startswith("$ "):
                if command:
                    found.append((" ".join(command), "\n".join(output)))
                command, output = [line[2:].rstrip("\\").strip()], []
                while line.endswith("\\"):
                    index += 1
                    line = lines[index]
                    command.append(line.rstrip("\\").strip())
            elif command:
                output.append(line)
            index += 1
        if command:
            found.append((" ".join(command), "\n".join(output)))
    return [(c, o) for c, o in found if c.startswith("emessi ")]


@pytest.mark.parametrize("page", PAGES)
def test_console_session_runs_as_written(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command of the page's sessions exits 0 and prints what the page shows."""
    commands = sessions(page)
    assert commands, f"{page} has no emessi session"
    monkeypatch.chdir(tmp_path)
    checker = doctest.OutputChecker()
    for command, expected in commands:
        code = main(shlex.split(command)[1:])
        printed = capsys.readouterr()
        assert code == 0, (command, printed.out[-2000:], printed.err[-2000:])
        if expected.strip():
            flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
            assert checker.check_output(expected + "\n", printed.out, flags), (
                command,
                printed.out,
            )


def test_first_session_is_short() -> None:
    """The CLI page's first session plans the demo cohort with one summary line a group."""
    commands = dict(sessions("reference/cli.md"))
    (schedule,) = [c for c in commands if c.startswith("emessi schedule")]
    assert '--rule "second Tuesday of each month at 14:00"' in schedule
    assert len(commands[schedule].splitlines()) <= 20


def test_session_reader_joins_continuations_and_keeps_output() -> None:
    """A command continued with a backslash is one command; lines under it are its output."""
    text = "```console\n$ emessi a \\\n    --b c\nout 1\n$ pip x\n$ emessi d\n```\n"
    assert commands_in(text) == [("emessi a --b c", "out 1"), ("emessi d", "")]
