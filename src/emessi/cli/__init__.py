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
import contextlib
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from emessi._i18n import LANGUAGES, _, get_language, ngettext, using_language
from emessi.cli import _core, _extend, _forecast, _form, _schedule, _simulate
from emessi.cli._common import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED
from emessi.cli._language import argparse_speaks, requested_language
from emessi.errors import DocumentError, EmessiError

__all__ = ["build_parser", "main"]

#: How many of a document's problems the human error message lists.
_SHOWN_PROBLEMS = 20


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
    lang_help = _("language of the output: en, fi or sv (default: EMESSI_LANG, else the locale)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json", action="store_true", help=_("machine-readable JSON output (errors too)")
    )
    # On every subcommand, and before it: `emessi --lang fi validate ...`.
    # SUPPRESS keeps a subcommand from resetting the language given before it.
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=lang_help)
    parser = _Parser(
        prog="emessi",
        description=_("Plan, check and study eMessi peer-mentoring cohorts."),
        epilog=_(
            "Exit codes: 0 fine, 1 the plan has errors, 2 bad input, "
            "3 a bug in emessi, 130 interrupted (Ctrl-C)."
        ),
    )
    from emessi import __version__

    parser.add_argument(
        "--version",
        action="version",
        version=f"emessi {__version__}",
        help=_("show the version number and exit"),
    )
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=lang_help)
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), required=True)
    _core.register(sub, common)
    _extend.register(sub, common)
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
        lines = [_("{prog}: error: {message}").format(prog=prog, message=head)]
        lines += [f"  {p}" for p in problems[:_SHOWN_PROBLEMS]]
        if len(problems) > _SHOWN_PROBLEMS:
            more = len(problems) - _SHOWN_PROBLEMS
            lines.append(
                "  "
                + ngettext(
                    "... and {n} more (see --json)", "... and {n} more (see --json)", more
                ).format(n=more)
            )
        text = "\n".join(lines)
    elif isinstance(error, EmessiError):
        data |= {"error": error.message, "path": error.path}
        text = _("{prog}: error: {message}").format(prog=prog, message=error)
    elif isinstance(error, _UsageStop):
        option = re.match(r"\S+ (--?[^:\s]+):", error.message) or re.match(
            r"argument ([^:\s]+)", error.message
        )
        data |= {"error": error.message, "path": option[1] if option else ""}
        text = _("{prog}: error: {message} (see '{prog} --help')").format(
            prog=prog, message=error.message
        )
    else:
        message = _(
            "internal error ({kind}): this is a bug in emessi, not your mistake; "
            "set EMESSI_DEBUG=1 to see the traceback and please report it"
        ).format(kind=type(error).__name__)
        data |= {"error": message, "path": ""}
        text = _("{prog}: error: {message}").format(prog=prog, message=message)
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
    # --lang first: the parser's help texts are translated as it is built.
    with using_language(requested_language(words)):
        return _run_in_language(words)


def _run_in_language(words: list[str]) -> int:
    as_json = "--json" in words
    try:
        with argparse_speaks():
            args = build_parser().parse_args(words)
    except SystemExit as stop:  # --help and --version exit 0
        return int(stop.code or 0)
    except _UsageStop as stop:
        return _report(stop.prog, stop, as_json=as_json, code=EXIT_BAD_INPUT)
    args.lang = get_language()
    prog = " ".join(["emessi", args.command, *([args.action] if "action" in args else [])])
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
            EmessiError(_("not enough memory for this input; try smaller sizes")),
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
        >>> main(["profiles", "--format", "csv"])  # doctest: +ELLIPSIS
        name,from,title
        ...emessi,built-in,eMessi: web-mediated peer mentoring
        ...
        0
    """
    try:
        return _run(argv)
    except KeyboardInterrupt:
        _say("\n" + _("emessi: interrupted"), to_stdout=False)
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
    if code == EXIT_INTERRUPTED:
        # Leave at once: at a normal exit Python joins a process pool's
        # threads, and one whose workers were stopped mid-chunk can wait
        # forever on a full pipe. Nothing is left to write: every command
        # writes its files all together at its end, and the temporary files
        # of an interrupted save are anonymous or swept by the next save.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(code)
