"""The README's promises: its example runs, and it keeps exactly two set-up commands."""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
from pathlib import Path

import pytest

from emessi.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_example_runs_and_prints_what_it_says() -> None:
    """The Python example runs and prints what its comments promise."""
    (code,) = blocks("python")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {})
    assert out.getvalue().splitlines() == ["0 errors, 0 warnings", "True", "0 errors, 1 warning"]


def test_two_set_up_commands_and_ci_uses_the_test_command() -> None:
    """The Set up section has exactly two commands; .ci/run installs and tests the same way."""
    section = README.read_text(encoding="utf-8").split("## Set up")[1].split("\n## ")[0]
    commands = re.findall(r"```console\n(.*?)\n```", section, re.S)
    assert len(commands) == 2
    demo, tests = commands
    assert "pip install" in demo
    assert "examples/emessi2_cohort.py" in demo
    assert tests.endswith("pip install -e '.[test]' && python -m pytest")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install -q -e '.[test]'" in ci
    assert "\npython -m pytest\n" in ci


def test_command_line_session_prints_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's `$ emessi ...` session prints what it shows (Finnish, Swedish)."""
    (session,) = [b for b in blocks("console") if b.startswith("$ ")]
    monkeypatch.chdir(tmp_path)
    checker = doctest.OutputChecker()
    commands = re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", session, re.M)
    assert len(commands) == 3
    for command, shown in commands:
        argv = shlex.split(command)
        assert argv[0] == "emessi"
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main(argv[1:])
        assert checker.check_output(shown, out.getvalue(), doctest.ELLIPSIS), (
            command,
            out.getvalue(),
        )
