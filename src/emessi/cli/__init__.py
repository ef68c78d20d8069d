"""The ``emessi`` command: a thin layer over the library.

Exit codes: 0 fine, 1 the plan has errors against the method, 2 bad input.
Human output by default, ``--json`` for scripts; never a traceback for bad
input.

Example:
    >>> main(["rules", "--json"]) == 0  # doctest: +ELLIPSIS
    [...
    True

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from emessi.cli import _core, _form, _schedule, _simulate
from emessi.cli._common import EXIT_BAD_INPUT
from emessi.errors import EmessiError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``emessi`` command.

    Example:
        >>> build_parser().prog
        'emessi'
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable JSON output")
    parser = argparse.ArgumentParser(
        prog="emessi",
        description="Plan, check and study eMessi peer-group mentoring cohorts.",
        epilog="Exit codes: 0 fine, 1 the plan has errors, 2 bad input.",
    )
    from emessi import __version__

    parser.add_argument("--version", action="version", version=f"emessi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _core.register(sub, common)
    _schedule.register(sub, common)
    _simulate.register(sub, common)
    _form.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``emessi`` command with *argv*; return the exit code.

    Example:
        >>> main(["profiles"])  # doctest: +ELLIPSIS
        emessi        eMessi: web-mediated peer-group mentoring
        ...
        0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits 2 for bad usage, 0 for --help
        return int(stop.code or 0)
    try:
        code: int = args.handler(args)
    except EmessiError as error:
        print(f"emessi {args.command}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    return code


def console() -> None:
    """The console-script entry point."""
    sys.exit(main())
