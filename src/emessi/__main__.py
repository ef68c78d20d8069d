"""``python -m emessi``: the same as the ``emessi`` command."""

from emessi.cli import console

console()
