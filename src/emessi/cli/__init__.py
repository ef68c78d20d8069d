"""The ``emessi`` command: a thin layer over the library.

Exit codes: 0 fine, 1 the plan has errors against the method, 2 bad input,
3 a bug in emessi, 130 interrupted (Ctrl-C). Human output by default,
``--json`` for scripts (errors included); never a traceback for a user's
mistake. Commands that write refuse to replace a file without ``--force``
and write all their files, or none.

Example:
    >>> main(["rules", "--json"]) == 0  # doctest: +ELLIPSIS
    [...
    True

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from emessi.cli import _core, _forecast, _form, _schedule, _simulate
from emessi.cli._common import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED
from emessi.errors import DocumentError, EmessiError

__all__ = ["build_parser", "main"]

#: How many of a document's problems the human error message lists.
_SHOWN_PROBLEMS = 20
_INTERNAL = (
    "internal error ({kind}): this is a bug in emessi, not your mistake; "
    "set EMESSI_DEBUG=1 to see the traceback and please report it"
)


class _UsageStop(Exception):
    """argparse found a bad command line (exit code 2)."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog
        self.message = message


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports a bad command line to :func:`main`."""

    def error(self, message: str) -> NoReturn:
        raise _UsageStop(self.prog, message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``emessi`` command.

    Example:
        >>> build_parser().prog
        'emessi'
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json", action="store_true", help="machine-readable JSON output (errors too)"
    )
    parser = _Parser(
        prog="emessi",
        description="Plan, check and study eMessi peer-mentoring cohorts.",
        epilog="Exit codes: 0 fine, 1 the plan has errors, 2 bad input, "
        "3 a bug in emessi, 130 interrupted (Ctrl-C).",
    )
    from emessi import __version__

    parser.add_argument("--version", action="version", version=f"emessi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _core.register(sub, common)
    _schedule.register(sub, common)
    _simulate.register(sub, common)
    _forecast.register(sub, common)
    _form.register(sub, common)
    return parser


def _report(prog: str, error: BaseException, *, as_json: bool, code: int) -> int:
    """Print *error* as one clear line (or JSON with ``--json``); return *code*."""
    data: dict[str, Any] = {"command": prog, "exit": code}
    if isinstance(error, DocumentError):
        head = error.message.splitlines()[0]
        problems = list(error.problems)
        data |= {"error": head, "path": error.path}
        data["problems"] = [{"path": p.path, "message": p.message} for p in problems]
        lines = [f"{prog}: error: {head}"]
        lines += [f"  {p}" for p in problems[:_SHOWN_PROBLEMS]]
        if len(problems) > _SHOWN_PROBLEMS:
            lines.append(f"  ... and {len(problems) - _SHOWN_PROBLEMS} more (see --json)")
        text = "\n".join(lines)
    elif isinstance(error, EmessiError):
        data |= {"error": error.message, "path": error.path}
        text = f"{prog}: error: {error}"
    elif isinstance(error, _UsageStop):
        option = re.match(r"argument ([^:\s]+)", error.message)
        data |= {"error": error.message, "path": option[1] if option else ""}
        text = f"{prog}: error: {error.message} (see '{prog} --help')"
    else:
        message = _INTERNAL.format(kind=type(error).__name__)
        data |= {"error": message, "path": ""}
        text = f"{prog}: error: {message}"
    _say(json.dumps(data, ensure_ascii=False) if as_json else text, to_stdout=as_json)
    return code


def _say(text: str, *, to_stdout: bool) -> None:
    stream = sys.stdout if to_stdout else sys.stderr
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it


def _run(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in words
    parser = build_parser()
    try:
        args = parser.parse_args(words)
    except SystemExit as stop:  # --help and --version exit 0
        return int(stop.code or 0)
    except _UsageStop as stop:
        return _report(stop.prog, stop, as_json=as_json, code=EXIT_BAD_INPUT)
    prog = f"emessi {args.command}"
    try:
        code: int = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except EmessiError as error:
        return _report(prog, error, as_json=as_json, code=EXIT_BAD_INPUT)
    except OSError as error:
        # A file problem the commands did not foresee: still the user's
        # environment, not a bug; strerror names the cause, not the data.
        if isinstance(error, BrokenPipeError):
            raise
        where = f"{error.filename}: " if error.filename else ""
        message = f"{where}{error.strerror or type(error).__name__}"
        return _report(prog, EmessiError(message), as_json=as_json, code=EXIT_BAD_INPUT)
    except MemoryError:
        return _report(
            prog,
            EmessiError("not enough memory for this input; try smaller sizes"),
            as_json=as_json,
            code=EXIT_BAD_INPUT,
        )
    except Exception as error:  # the last guard: no traceback for a user
        if os.environ.get("EMESSI_DEBUG"):
            raise
        return _report(prog, error, as_json=as_json, code=EXIT_INTERNAL)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``emessi`` command with *argv*; return the exit code.

    Exit codes: 0 fine, 1 the plan has errors against the method, 2 bad
    input (one line on standard error, or a JSON object on standard output
    with ``--json``), 3 a bug in emessi, 130 interrupted by Ctrl-C.

    Example:
        >>> main(["profiles"])  # doctest: +ELLIPSIS
        emessi        eMessi: web-mediated peer mentoring
        ...
        0
    """
    try:
        return _run(argv)
    except KeyboardInterrupt:
        _say("\nemessi: interrupted", to_stdout=False)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``emessi rules | head``): stop quietly, and
        # keep Python from complaining when it flushes stdout at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 128 + 13  # as a shell reports a process ended by SIGPIPE


def console() -> None:
    """The console-script entry point."""
    try:
        code = main()
    except KeyboardInterrupt:  # pressed again while reporting the first
        code = EXIT_INTERRUPTED
    sys.exit(code)
