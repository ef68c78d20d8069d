"""Sphinx extension: the reference of the ``emessi`` command, read from its parser.

``.. emessi-cli::`` asks :func:`emessi.cli.build_parser` for the command's
argument parser and renders the command and every subcommand (also nested
ones) as a section: usage, description, each option with its help, default
and whether it is required, and the epilog. No help text is copied by hand,
so a subcommand added to the code appears in the docs without an edit.

Each section has a label, ``cli-<subcommand>`` (``cli-emessi`` for the
command itself), so other pages link to a subcommand with
``{ref}`cli-validate```; options are ``std:option`` objects of their
``program`` (``:option:`emessi validate --lang```).

:func:`commands` returns the same :class:`Command` values the directive
renders, and :func:`command_lines` the reST of one section's body, so
``tests/test_docs.py`` checks what the docs show.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.parsers.rst.states import RSTState
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: The width usage lines are wrapped at, whatever the terminal's.
WIDTH = 78


@dataclass(frozen=True)
class Option:
    """One argument of a command: how it is written and what it does."""

    invocation: str
    help: str
    required: bool
    default: str | None


@dataclass(frozen=True)
class Command:
    """The command or one subcommand, as ``--help`` describes it."""

    prog: str
    summary: str
    usage: str
    description: str
    epilog: str
    groups: tuple[tuple[str, tuple[Option, ...]], ...]
    subcommands: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        """The reference label of its section: ``cli-`` and the words after ``emessi``."""
        words = self.prog.split()[1:] or self.prog.split()
        return "cli-" + "-".join(words)


def _formatter(parser: argparse.ArgumentParser) -> argparse.HelpFormatter:
    formatter: argparse.HelpFormatter = parser.formatter_class(prog=parser.prog, width=WIDTH)
    return formatter


def _default(action: argparse.Action, help_text: str) -> str | None:
    """The default worth showing: not when help already says it, or for flags and lists."""
    value = action.default
    if value in (None, "", argparse.SUPPRESS) or isinstance(value, bool | list | tuple):
        return None
    if "default" in help_text or action.nargs == 0:
        return None
    return str(value)


def _options(parser: argparse.ArgumentParser) -> tuple[tuple[str, tuple[Option, ...]], ...]:
    groups = []
    for group in parser._action_groups:
        options = []
        for action in group._group_actions:
            if action.help is argparse.SUPPRESS or isinstance(
                action, argparse._SubParsersAction | argparse._HelpAction
            ):
                continue
            formatter = _formatter(parser)
            help_text = formatter._expand_help(action) if action.help else ""
            options.append(
                Option(
                    formatter._format_action_invocation(action),
                    help_text,
                    bool(action.required and action.option_strings),
                    _default(action, help_text),
                )
            )
        if options:
            groups.append((group.title or "arguments", tuple(options)))
    return tuple(groups)


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str, Any]]:
    """(name, one-line help, parser) of each subcommand, in the order they were added."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield choice.dest, choice.help or "", action.choices[choice.dest]


def _walk(parser: argparse.ArgumentParser, summary: str) -> Iterator[Command]:
    formatter = _formatter(parser)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups, "")
    subcommands = tuple((name, help_text) for name, help_text, _ in _subparsers(parser))
    yield Command(
        prog=parser.prog,
        summary=summary,
        usage=formatter.format_help().strip(),
        description=parser.description or "",
        epilog=parser.epilog or "",
        groups=_options(parser),
        subcommands=subcommands,
    )
    for _, help_text, child in _subparsers(parser):
        yield from _walk(child, help_text)


def commands() -> list[Command]:
    """The ``emessi`` command, then each subcommand, as the parser defines them."""
    from emessi.cli import build_parser

    parser = build_parser()
    return list(_walk(parser, parser.description or ""))


_SPECIAL = re.compile(r"([\\`*_|])")


def _text(value: str) -> str:
    """*value* as reST text: markup characters escaped, so help shows as written."""
    return _SPECIAL.sub(r"\\\1", value)


def _paragraphs(value: str, indent: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", value.strip()):
        lines += [indent + " ".join(_text(word) for word in paragraph.split()), ""]
    return lines


def command_lines(command: Command) -> list[str]:
    """The reST body of *command*'s section (its title is made by the directive)."""
    lines = [".. code-block:: text", ""]
    lines += [f"   {line}" for line in command.usage.splitlines()]
    lines.append("")
    lines += _paragraphs(command.description or command.summary)
    if command.subcommands:
        lines += [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 25 75",
            "   :class: emessi-table",
            "",
            "   * - Subcommand",
            "     - What it does",
        ]
        for name, help_text in command.subcommands:
            label = Command(f"{command.prog} {name}", "", "", "", "", (), ()).label
            lines += [f"   * - :ref:`{name} <{label}>`", f"     - {_text(help_text)}"]
        lines.append("")
    lines += [f".. program:: {command.prog}", ""]
    for title, options in command.groups:
        lines += [f".. rubric:: {_text(title[:1].upper() + title[1:])}", ""]
        for option in options:
            lines += [f".. option:: {option.invocation}", ""]
            lines += _paragraphs(option.help or "(no help)", "   ")
            notes = []
            if option.required:
                notes.append("Required.")
            if option.default is not None:
                notes.append(f"Default: ``{option.default}``.")
            if notes:
                lines += ["   " + " ".join(notes), ""]
    if command.epilog:
        lines += _paragraphs(command.epilog)
    return lines


class CliDirective(SphinxDirective):
    """``.. emessi-cli::``: a section per command and subcommand."""

    def run(self) -> list[nodes.Node]:
        if not isinstance(self.state, RSTState):
            raise self.error("emessi-cli writes reStructuredText: use it inside {eval-rst}")
        source = self.get_source_info()[0]
        sections: list[nodes.Node] = []
        for command in commands():
            section = nodes.section(ids=[command.label], names=[command.label])
            section += nodes.title("", "", nodes.literal(command.prog, command.prog))
            # an explicit target: Sphinx's std domain makes it a :ref: label
            self.state.document.note_explicit_target(section, section)
            self.state.nested_parse(StringList(command_lines(command), source=source), 0, section)
            sections.append(section)
        return sections


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("emessi-cli", CliDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
