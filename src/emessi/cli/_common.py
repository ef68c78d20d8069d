"""What every subcommand shares: output, errors, exit codes and limits."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, NoReturn, TextIO

from emessi._i18n import _
from emessi.errors import EmessiError

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_ERRORS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "LIMITS",
    "BadInput",
    "add_force",
    "bounded",
    "emit",
    "fail",
    "load_document",
]

#: Exit codes: 0 fine, 1 the plan has errors against the method, 2 bad input.
EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2
#: Exit code of a bug in emessi (not the user's mistake): 3.
EXIT_INTERNAL = 3
#: Exit code after Ctrl-C (SIGINT), as shells report it: 128 + 2.
EXIT_INTERRUPTED = 130

#: The ceiling of each size a user gives on the command line, with why.
#: ``docs/reference/cli.md`` shows this table.
LIMITS: dict[str, tuple[int, int, str]] = {
    "--runs": (1, 100_000, "100,000 runs of the 11-group demo take ~8 s and ~270 MB"),
    "--workers": (1, 64, "more worker processes than this only add overhead"),
    "--count": (1, 50, "a peer-mentoring series, not a calendar; profiles allow at most 10"),
    "--duration": (1, 24 * 60, "a meeting lasts at most 24 hours"),
    "--groups": (1, 10_000, "far beyond any cohort; formation is not built for more"),
    "--seed": (0, 2**63 - 1, "a 64-bit seed"),
    "MAX_GROUPS": (1, 1_000, "the most groups one facilitator or observer can be given"),
}
#: Simulation results hold a row per group and run: at most this many
#: group-runs (runs x groups) are simulated in one command (about 250 MB).
MAX_GROUP_RUNS = 1_000_000


class BadInput(EmessiError):
    """A command-line input the command cannot use (a missing file, a bad option)."""


def fail(message: str, *, path: str = "") -> NoReturn:
    """Stop with exit code 2 and *message* (no traceback)."""
    raise BadInput(message, path=path)


def bounded(option: str) -> Callable[[str], int]:
    """An argparse ``type=``: a whole number within the limits of *option*."""
    low, high, _why = LIMITS[option]

    def convert(text: str) -> int:
        try:
            value = int(text.strip().replace("_", ""), 10) if len(text) <= 40 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("expected a whole number from {low:,} to {high:,}").format(low=low, high=high)
            )
        return value

    convert.__name__ = "whole number"
    return convert


def add_force(parser: argparse.ArgumentParser) -> None:
    """Add ``--force`` to a command that writes files."""
    parser.add_argument(
        "--force", action="store_true", help=_("replace files that exist (refused otherwise)")
    )


def load_document(file: str, kind: type | None = None) -> Any:
    """Load *file* (``.json`` or ``.toml``); a problem becomes exit code 2.

    Only a regular file of at most :data:`emessi.cli._files.MAX_INPUT_BYTES`
    is read.
    """
    from emessi.cli._files import read_regular
    from emessi.io.documents import loads

    path = Path(file)
    data = read_regular(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        fail(_("expected a .json or .toml document"), path=file)
    syntax: Literal["json", "toml"] = "json" if suffix == ".json" else "toml"
    return loads(data, kind, syntax=syntax, source=path.name, folder=path.parent)


def emit(args: argparse.Namespace, data: Any, human: str, out: TextIO | None = None) -> None:
    """Print *data* as JSON with ``--json``, else the *human* text."""
    stream = out or sys.stdout
    if getattr(args, "json", False):
        stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        stream.write(human.rstrip("\n") + "\n")
