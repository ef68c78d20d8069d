"""What every subcommand shares: output, errors and exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn, TextIO

from emessi.errors import EmessiError

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_ERRORS",
    "EXIT_OK",
    "BadInput",
    "emit",
    "fail",
    "load_document",
]

#: Exit codes: 0 fine, 1 the plan has errors against the method, 2 bad input.
EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(EmessiError):
    """A command-line input the command cannot use (a missing file, a bad option)."""


def fail(message: str, *, path: str = "") -> NoReturn:
    """Stop with exit code 2 and *message* (no traceback)."""
    raise BadInput(message, path=path)


def load_document(file: str, kind: type | None = None) -> Any:
    """Load *file* (``.json`` or ``.toml``); a problem becomes exit code 2."""
    from emessi.io.documents import load

    path = Path(file)
    if not path.exists():
        fail("no such file", path=file)
    return load(path, kind)


def emit(args: argparse.Namespace, data: Any, human: str, out: TextIO | None = None) -> None:
    """Print *data* as JSON with ``--json``, else the *human* text."""
    stream = out or sys.stdout
    if getattr(args, "json", False):
        stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        stream.write(human.rstrip("\n") + "\n")
