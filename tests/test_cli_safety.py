"""The command's boundaries: bad paths, refused overwrites, atomic output, ceilings, Ctrl-C.

Most tests call :func:`emessi.cli.main` in this process (fast); the ones
about signals, pipes and the console entry point run a real subprocess.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import emessi
from emessi.cli import _files, main

ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", str(folder), "--json"]) == 0
    return folder


def one_error_line(err: str, *needles: str) -> None:
    """Standard error holds one line starting 'emessi ...: error:' with each needle."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("emessi"), err
    assert ": error: " in lines[0], err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, err)


# -- reading: regular files only, with a size cap ---------------------------------


def test_missing_file_folder_fifo_and_device_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing path, a folder, a FIFO and a device are refused with one line, exit 2."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    cases = {
        str(tmp_path / "nope.json"): "no such file",
        str(folder): "is a folder",
        str(fifo): "not a regular file",
        os.devnull: "not a regular file",
    }
    for path, message in cases.items():
        started = time.monotonic()
        assert main(["validate", path]) == 2, path
        assert time.monotonic() - started < 5  # a FIFO never blocks the command
        one_error_line(capsys.readouterr().err, path, message)


def test_file_over_the_size_cap_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file larger than the documented cap is refused before it is parsed."""
    monkeypatch.setattr(_files, "MAX_INPUT_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(" " * 1001)
    assert main(["validate", str(big)]) == 2
    one_error_line(capsys.readouterr().err, "larger than")
    assert _files.read_regular(big, limit=2000) == b" " * 1001


def test_the_cap_is_64_mib() -> None:
    """The documented cap is the one the code uses."""
    assert _files.MAX_INPUT_BYTES == 64 * 1024 * 1024
    assert "64 MiB" in (Path(__file__).parents[1] / "docs/reference/cli.md").read_text()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file without read permission is refused with the reason."""
    file = tmp_path / "secret.json"
    file.write_text("{}")
    file.chmod(0)
    assert main(["validate", str(file)]) == 2
    one_error_line(capsys.readouterr().err, "cannot read")


def test_wrong_suffix_and_csv_not_utf8(
    tmp_path: Path, demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A document with an unknown suffix and an applicants file that is not UTF-8 exit 2."""
    assert main(["validate", str(demo / "applicants.csv")]) == 2
    one_error_line(capsys.readouterr().err, ".json or .toml")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,name\np-01,J\xe4rvi\n".encode("latin-1"))
    assert main(["form", str(latin), "--facilitator", "f-1", "-o", str(tmp_path / "f.json")]) == 2
    one_error_line(capsys.readouterr().err, "not UTF-8")


def test_damaged_document_lists_its_problems_and_json_has_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A damaged document: a head line and its problems; with --json, one JSON object."""
    file = tmp_path / "bad.json"
    file.write_text('{"format": "emessi/group", "version": 1, "id": 5}')
    assert main(["validate", str(file)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("emessi validate: error: cannot load bad.json")
    assert "$.id" in err
    assert "Traceback" not in err
    assert main(["validate", str(file), "--json"]) == 2
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    assert data["exit"] == 2
    assert data["command"] == "emessi validate"
    assert data["problems"][0]["path"] == "$.id"


def test_json_errors_for_bad_options_too(capsys: pytest.CaptureFixture[str]) -> None:
    """With --json even an argparse error is one JSON object naming the option."""
    assert main(["simulate", "x.json", "--runs", "zero", "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "command": "emessi simulate",
        "exit": 2,
        "error": "argument --runs: expected a whole number from 1 to 100,000",
        "path": "--runs",
    }
    assert main(["no-such-command"]) == 2
    one_error_line(capsys.readouterr().err, "invalid choice")


def test_a_bug_is_one_line_with_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected exception (a bug) is one line, exit 3, and does not echo its text."""
    from emessi.cli import _core

    def broken(*args: object) -> object:
        raise TypeError("Aino Järvi <aino@example.org>")

    monkeypatch.setattr(_core, "default_catalogue", broken)
    assert main(["themes"]) == 3
    err = capsys.readouterr().err
    one_error_line(err, "internal error (TypeError)", "EMESSI_DEBUG")
    assert "Aino" not in err
    monkeypatch.setenv("EMESSI_DEBUG", "1")
    with pytest.raises(TypeError):
        main(["themes"])


# -- writing: nothing replaced silently, all files or none ------------------------


def test_every_writing_command_refuses_an_existing_file(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """demo, schedule, ics, form and simulate refuse to replace a file without --force."""
    existing = tmp_path / "exists"
    existing.mkdir()
    for name in ("out.json", "out.ics", "out.png", "meetings.csv"):
        (existing / name).write_text("keep me")
    (existing / "cohort.json").write_text("keep me")
    commands = [
        ["demo", str(existing)],
        ["schedule", str(demo / "unscheduled.json"), "--start", "2026-09-01", "--rule",
         "second Tuesday of each month at 14:00", "-o", str(existing / "out.json")],
        ["schedule", str(existing / "cohort.json"), "--start", "2026-09-01"],
        ["ics", str(demo / "cohort.json"), "-o", str(existing / "out.ics")],
        ["form", str(demo / "applicants.csv"), "--facilitator", "f-1", "-o",
         str(existing / "out.json")],
        ["simulate", str(demo / "scenario.json"), "--plot", str(existing / "out.png")],
        ["simulate", str(demo / "scenario.json"), "--csv", str(existing)],
    ]  # fmt: skip
    for command in commands:
        started = time.monotonic()
        assert main(command) == 2, command
        one_error_line(capsys.readouterr().err, "exists", "--force")
        assert time.monotonic() - started < 5, command  # refused before the work
    assert {p.read_text() for p in existing.iterdir()} == {"keep me"}


def test_force_replaces(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --force the files are replaced; without it the second demo is refused."""
    assert main(["demo", str(tmp_path)]) == 0
    (tmp_path / "cohort.json").write_text("old")
    assert main(["demo", str(tmp_path)]) == 2
    assert (tmp_path / "cohort.json").read_text() == "old"
    assert main(["demo", str(tmp_path), "--force"]) == 0
    assert len(emessi.load(tmp_path / "cohort.json").groups) == 11
    capsys.readouterr()


def test_simulate_writes_all_plots_or_none(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """If one of the three plot files exists, none of the three is written."""
    pytest.importorskip("matplotlib")
    (tmp_path / "sim-completion.png").write_text("keep me")
    args = ["simulate", str(demo / "scenario.json"), "--runs", "3", "--quiet"]
    assert main([*args, "--plot", str(tmp_path / "sim.png")]) == 2
    one_error_line(capsys.readouterr().err, "sim-completion.png", "--force")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sim-completion.png"]
    assert main([*args, "--plot", str(tmp_path / "sim.png"), "--csv", str(tmp_path / "t")]) == 2
    assert not (tmp_path / "t").exists()
    capsys.readouterr()


def test_unwritable_targets_exit_2(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder as output, a missing folder and a file in place of a folder exit 2."""
    (tmp_path / "a-file").write_text("x")
    for output, message in (
        (tmp_path, "is a folder"),
        (tmp_path / "missing" / "out.ics", "does not exist"),
        (tmp_path / "a-file" / "out.ics", "not a folder"),
    ):
        assert main(["ics", str(demo / "cohort.json"), "-o", str(output)]) == 2
        one_error_line(capsys.readouterr().err, message)
    assert main(["demo", str(tmp_path / "a-file")]) == 2
    one_error_line(capsys.readouterr().err, "not a folder")


def test_a_failed_commit_leaves_no_partial_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the second file fails, the first is removed (new) or restored (replaced)."""
    new, old, failing = tmp_path / "new.txt", tmp_path / "old.txt", tmp_path / "fails.txt"
    old.write_text("before")
    real = _files._write

    def write(path: Path, data: bytes) -> None:
        if path == failing:
            raise emessi.errors.SaveError("disk full", path=str(path))
        real(path, data)

    monkeypatch.setattr(_files, "_write", write)
    outputs = _files.Outputs(force=True)
    for path in (new, old, failing):
        outputs.add(outputs.plan(path), b"after")
    with pytest.raises(emessi.errors.SaveError):
        outputs.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]
    assert old.read_text() == "before"


def test_outputs_refuse_a_file_planned_twice(tmp_path: Path) -> None:
    """Two outputs of one command that name the same file are refused."""
    outputs = _files.Outputs()
    outputs.plan(tmp_path / "a.png")
    with pytest.raises(emessi.errors.EmessiError, match="twice"):
        outputs.plan(tmp_path / "." / "a.png")


# -- bounded resources -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["simulate", "{demo}/scenario.json", "--runs", "1000000000"], "--runs"),
        (["simulate", "{demo}/scenario.json", "--runs", "0"], "--runs"),
        (["simulate", "{demo}/scenario.json", "--runs", "9" * 5000], "--runs"),
        (["simulate", "{demo}/scenario.json", "--workers", "100000"], "--workers"),
        (["simulate", "{demo}/scenario.json", "--seed", "-1"], "--seed"),
        (["schedule", "{demo}/unscheduled.json", "--start", "2026-09-01", "--count", "0"], "--count"),
        (["schedule", "{demo}/unscheduled.json", "--start", "2026-09-01", "--duration", "4000000000"], "--duration"),
        (["form", "{demo}/applicants.csv", "--facilitator", "f-1", "--groups", "99999999"], "--groups"),
    ],
)  # fmt: skip
def test_sizes_beyond_the_ceiling_are_refused_at_once(
    demo: Path, args: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every size a user gives is checked against its documented ceiling, at once."""
    started = time.monotonic()
    assert main([a.format(demo=demo) for a in args]) == 2
    assert time.monotonic() - started < 2
    one_error_line(capsys.readouterr().err, f"argument {option}: expected a whole number from")


def test_runs_times_groups_has_a_ceiling(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """100,000 runs of 11 groups exceed the group-runs ceiling; the message says how many fit."""
    started = time.monotonic()
    assert main(["simulate", str(demo / "scenario.json"), "--runs", "100000"]) == 2
    assert time.monotonic() - started < 2
    one_error_line(capsys.readouterr().err, "1,000,000 group-runs", "at most 90,909 runs")


def test_staff_load_has_a_ceiling(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A facilitator's MAX_GROUPS must be a small whole number."""
    for load in ("0", "99999", "²", "x"):
        args = ["form", str(demo / "applicants.csv"), f"--facilitator=f-1:{load}"]
        assert main([*args, "-o", "never.json"]) == 2
        one_error_line(capsys.readouterr().err, "MAX_GROUPS 1-1000")
    assert not Path("never.json").exists()


def test_limits_are_documented() -> None:
    """Every ceiling in the code is on the CLI reference page."""
    from emessi.cli._common import LIMITS, MAX_GROUP_RUNS

    page = (Path(__file__).parents[1] / "docs/reference/cli.md").read_text()
    for option, (low, high, _) in LIMITS.items():
        assert f"| `{option}` | {low:,} | {high:,} |" in page, option
    assert f"{MAX_GROUP_RUNS:,}" in page


# -- signals and pipes (real processes) ---------------------------------------------


def _wait_for(process: subprocess.Popen[bytes], needle: bytes, seconds: float) -> bytes:
    """Read the process's stderr until *needle* shows up."""
    assert process.stderr is not None
    seen = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + seconds
        while needle not in seen and time.monotonic() < deadline:
            if selector.select(timeout=0.5):
                chunk = os.read(process.stderr.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
    return seen


def _sigint_as_a_terminal_gives_it() -> None:
    """In the child: SIGINT back to its default before Python starts.

    A shell starts a background job with SIGINT ignored, and a child
    inherits that; Python then leaves it ignored (rightly: like ``nohup``),
    so Ctrl-C could not be tested from a test run started with ``&``.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_exits_130_without_a_traceback(demo: Path, tmp_path: Path, workers: str) -> None:
    """SIGINT during a long simulation: exit code 130, one line, no traceback, no files."""
    with subprocess.Popen(
        [sys.executable, "-m", "emessi", "simulate", str(demo / "scenario.json"),
         "--runs", "90000", "--workers", workers, "--csv", str(tmp_path / "tables")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
        preexec_fn=_sigint_as_a_terminal_gives_it,
    ) as process:  # fmt: skip
        try:
            seen = _wait_for(process, b" runs", 60)
            assert b" runs" in seen, seen
            time.sleep(0.3)  # inside the simulation, past the first progress line
            process.send_signal(signal.SIGINT)
            _, rest = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    err = (seen + rest).decode()
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "KeyboardInterrupt" not in err
    assert err.rstrip().endswith("emessi: interrupted")
    assert not (tmp_path / "tables").exists()


def test_a_closed_pipe_ends_quietly() -> None:
    """``emessi themes | head -0``: no BrokenPipeError traceback, exit 141 like SIGPIPE."""
    with subprocess.Popen(
        [sys.executable, "-m", "emessi", "themes"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()
        err = process.stderr.read()
        assert process.wait(timeout=60) == 141
    assert err == b""
