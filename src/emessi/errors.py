"""The one exception hierarchy of emessi.

Every error that emessi raises for bad input is an :class:`EmessiError`.
Each subclass also inherits the built-in exception a caller would already
catch (``ValueError``, ``LookupError``, ``ImportError``), in the manner of
attrs' ``FrozenError(AttributeError)``.

Messages never contain personal data (names, e-mails, notes): they name
ids, fields and paths only.

Example:
    >>> from emessi.errors import EmessiError, UnknownProfileError
    >>> from emessi import get_profile
    >>> try:
    ...     get_profile("no-such-sector")
    ... except EmessiError as error:
    ...     print(type(error).__name__, isinstance(error, LookupError))
    UnknownProfileError True

.. versionadded:: 0.1.0

"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emessi.rules import Report
    from emessi.scheduling._results import Obstacle

__all__ = [
    "ClosedGroupError",
    "DocumentError",
    "DomainError",
    "EmessiError",
    "InfeasibleError",
    "InvalidPlanError",
    "MissingDependencyError",
    "NaiveDatetimeError",
    "NotAMeetingError",
    "NotAMemberError",
    "PlanningError",
    "Problem",
    "ProfileError",
    "RecurrenceError",
    "ResearchError",
    "SaveError",
    "ScenarioError",
    "ScheduleError",
    "UnknownMemberError",
    "UnknownProfileError",
    "UnknownReferenceError",
    "UnknownThemeError",
    "UnknownTimeZoneError",
    "UnknownValueError",
    "UnsafeTextError",
    "UsageError",
    "printable",
]


_CONTEXT: Any = BaseException.__dict__["__context__"]

#: Unicode categories that must not reach a terminal or a log line as they
#: are: controls (CR, LF, ESC), format characters (bidi overrides such as
#: U+202E), lone surrogates and the line and paragraph separators.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def printable(text: str) -> str:
    r"""*text* with every control, format or separator character escaped.

    A file name or a path the caller gave may end up in a message; a line
    break or an escape sequence in it must not start a forged log line or
    recolour a terminal (CWE-117). Ordinary text, accents included, is kept.

    Example:
        >>> print(printable("päivä\n[INFO] ok\x1b[31m.json"))
        päivä\n[INFO] ok\x1b[31m.json
        >>> printable("kohortti-2014.json")
        'kohortti-2014.json'

    .. versionadded:: 0.1.0

    """
    if text.isprintable():
        return text
    return "".join(
        char
        if unicodedata.category(char) not in _UNPRINTABLE
        else char.encode("unicode_escape", "backslashreplace").decode("ascii")
        for char in text
    )


class EmessiError(Exception):
    """Base class of every error emessi raises for bad input.

    Args:
        message: A readable message without personal data.
        path: Where the problem is, e.g. ``groups["g-03"].meetings[2].start``;
            empty when the problem is the whole value.

    Example:
        >>> error = EmessiError("bad value", path="groups[0].name")
        >>> str(error)
        'groups[0].name: bad value'
        >>> error.path
        'groups[0].name'

    .. versionadded:: 0.1.0

    """

    def __init__(self, message: str, *, path: str = "") -> None:
        self.message = message
        # A path may hold a file name the caller gave: never a raw line break.
        path = printable(path) if path.__class__ is str else printable(str(path))
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)

    # The exception an EmessiError replaces often quotes the caller's value
    # (``ValueError("invalid literal for int(): 'Aino Virtanen'")``). Every
    # raise in emessi says ``from None``; this also keeps that exception out
    # of ``__context__``, which Python sets at raise time and ``from None``
    # only hides from the traceback printer.
    @property
    def __context__(self) -> BaseException | None:
        """Always None: an EmessiError never exposes the exception it replaced."""
        return None

    @__context__.setter
    def __context__(self, value: BaseException | None) -> None:
        # clear the built-in slot too, whatever Python tried to put there
        _CONTEXT.__set__(self, None)


class DomainError(EmessiError, ValueError):
    """A change to a domain object that the eMessi method forbids.

    Example:
        >>> issubclass(DomainError, ValueError)
        True

    .. versionadded:: 0.1.0

    """


class ClosedGroupError(DomainError):
    """A peer tried to join a closed group (*suljettu ryhmä*) too late.

    eMessi groups are closed: no peer joins once the first meeting was held.

    Example:
        >>> issubclass(ClosedGroupError, DomainError)
        True

    .. versionadded:: 0.1.0

    """


class NotAMemberError(DomainError, LookupError):
    """A person referred to is not a member of the group.

    Example:
        >>> issubclass(NotAMemberError, LookupError)
        True

    .. versionadded:: 0.1.0

    """


class NotAMeetingError(DomainError, LookupError):
    """A meeting number that the group does not have.

    Example:
        >>> issubclass(NotAMeetingError, LookupError)
        True

    .. versionadded:: 0.1.0

    """


class NaiveDatetimeError(EmessiError, ValueError):
    """A datetime without a time zone was given where an aware one is needed.

    Example:
        >>> issubclass(NaiveDatetimeError, ValueError)
        True

    .. versionadded:: 0.1.0

    """


class UnknownTimeZoneError(EmessiError, LookupError):
    """A time zone name that is not in the IANA database.

    Example:
        >>> issubclass(UnknownTimeZoneError, LookupError)
        True

    .. versionadded:: 0.1.0

    """


class UnknownProfileError(EmessiError, LookupError):
    """No method profile is registered under the requested name.

    Example:
        >>> issubclass(UnknownProfileError, LookupError)
        True

    .. versionadded:: 0.1.0

    """


class UnknownReferenceError(DomainError, LookupError):
    """An id that refers to nothing: no such group, person or organisation.

    Example:
        >>> issubclass(UnknownReferenceError, LookupError)
        True

    .. versionadded:: 0.1.0

    """


class UnknownThemeError(EmessiError, LookupError):
    """A theme id that the theme catalogue does not know.

    Example:
        >>> issubclass(UnknownThemeError, LookupError)
        True

    .. versionadded:: 0.1.0

    """


class ProfileError(EmessiError, ValueError):
    """A method profile that contradicts itself or cannot be registered.

    Example:
        >>> issubclass(ProfileError, ValueError)
        True

    .. versionadded:: 0.1.0

    """


class MissingDependencyError(EmessiError, ImportError):  # type: ignore[misc]
    """An optional dependency is needed; the message names the extra.

    Args:
        package: The import name that is missing.
        extra: The ``emessi`` extra that installs it.
        feature: What needs it, for the message.

    Example:
        >>> error = MissingDependencyError("tomli_w", extra="toml", feature="TOML output")
        >>> print(error)
        TOML output needs the optional package 'tomli_w': pip install 'emessi[toml]'

    .. versionadded:: 0.1.0

    """

    def __init__(self, package: str, *, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        # The bottom layer: the catalogues import this module, so import late.
        from emessi._i18n import _

        EmessiError.__init__(
            self,
            _(
                "{feature} needs the optional package {package!r}: pip install 'emessi[{extra}]'"
            ).format(feature=_(feature), package=package, extra=extra),
        )


class UsageError(EmessiError, TypeError):
    """A misuse of the API: a wrong kind of argument, an unknown option.

    Example:
        >>> from emessi import validate
        >>> validate("a string")
        Traceback (most recent call last):
        ...
        emessi.errors.UsageError: subject: expected a Meeting or a Group or a Programme, not str

    .. versionadded:: 0.1.0

    """


class UnknownValueError(UsageError, ValueError):
    """A value that is not one of the allowed ones; the message lists them.

    Raised for an enum value that does not exist (``Role("facilitater")``),
    an unknown action name and the like. It is a :class:`UsageError` and,
    like the error an ``Enum`` raises, a ``ValueError``. The wrong
    value is never echoed.

    Example:
        >>> from emessi import Role
        >>> Role("facilitater")
        Traceback (most recent call last):
        ...
        emessi.errors.UnknownValueError: expected one of: 'peer', 'facilitator', 'observer'

    .. versionadded:: 0.1.0

    """


class UnknownMemberError(UsageError, AttributeError):
    """An enum member name that does not exist, e.g. a typo in ``Role.FACILITATER``.

    It is a :class:`UsageError` and an ``AttributeError``, so ``hasattr``
    and ``getattr(..., default)`` keep working.

    Example:
        >>> from emessi import Role
        >>> Role.FACILITATER
        Traceback (most recent call last):
        ...
        emessi.errors.UnknownMemberError: Role has no such member; the members are: PEER, FACILITATOR, OBSERVER

    .. versionadded:: 0.1.0

    """


class Problem:
    """One problem found in a document: where it is and what is wrong.

    Args:
        path: The path of the problem, e.g. ``$.groups[0].meetings[1].start``.
        message: What is wrong, without the offending value.

    Example:
        >>> Problem("$.groups[0].name", "expected a string")
        Problem('$.groups[0].name', 'expected a string')

    .. versionadded:: 0.1.0

    """

    __slots__ = ("message", "path")

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (self.path, self.message) == (other.path, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.message))

    def __str__(self) -> str:
        return f"{self.message} @ {self.path}"


class DocumentError(EmessiError, ValueError):
    """A document (JSON, TOML, a mapping) that cannot be loaded.

    Lists every problem found, each with its path.

    Args:
        problems: The problems; at least one.
        source: The file or description of the document, for the message.

    Example:
        >>> from emessi import loads
        >>> try:
        ...     loads('{"format": "emessi/meeting", "version": 1, "number": "one"}')
        ... except DocumentError as error:
        ...     for problem in error.problems:
        ...         print(problem)
        expected an integer @ $.number
        required field missing @ $.start

    .. versionadded:: 0.1.0

    """

    def __init__(self, problems: Iterable[Problem], *, source: str = "") -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        source = printable(source)  # a file name the caller gave
        self.source = source
        # The bottom layer: the catalogues import this module, so import late.
        from emessi._i18n import ngettext

        count = len(self.problems)
        if source:
            head = ngettext(
                "cannot load {source}: {n} problem", "cannot load {source}: {n} problems", count
            )
        else:
            head = ngettext(
                "cannot load the document: {n} problem",
                "cannot load the document: {n} problems",
                count,
            )
        lines = [head.format(source=source, n=count)]
        lines += [f"  {problem}" for problem in self.problems]
        first = self.problems[0].path if self.problems else ""
        EmessiError.__init__(self, "\n".join(lines))
        self.path = first


class InvalidPlanError(EmessiError, ValueError):
    """Raised by :meth:`emessi.Report.raise_for_errors` when a plan has errors.

    Example:
        >>> issubclass(InvalidPlanError, ValueError)
        True

    .. versionadded:: 0.1.0

    """

    def __init__(self, report: Report) -> None:
        self.report = report
        errors = report.errors
        first = errors[0].path if errors else ""
        count = f"{len(errors)} error{'s' * (len(errors) != 1)}"
        EmessiError.__init__(self, f"{count} against the method:\n{report}", path=first)
        # keep the message readable: path is reported per finding
        self.args = (f"{count} against the method:\n{report}",)


class ScheduleError(EmessiError, ValueError):
    """A schedule that cannot be planned, moved or exported as asked.

    Example:
        >>> issubclass(ScheduleError, ValueError)
        True

    .. versionadded:: 0.1.0
    """


class RecurrenceError(ScheduleError):
    """A recurrence rule that is invalid, endless, or never matches.

    Example:
        >>> issubclass(RecurrenceError, ScheduleError)
        True

    .. versionadded:: 0.1.0
    """


class PlanningError(ScheduleError):
    """No conflict-free plan for a programme; its ``obstacles`` say why, with ids only.

    Raised by :func:`emessi.scheduling.plan_programme`. Each obstacle names
    the staff member or peer, the groups and the ISO weeks involved, e.g.
    "f-01 is needed by g-01 and g-02 at once in 2026-W37".

    Args:
        message: The summary.
        obstacles: The reasons, one :class:`~emessi.scheduling.Obstacle` each.

    Example:
        >>> error = PlanningError("no plan", obstacles=())
        >>> isinstance(error, ScheduleError), error.obstacles
        (True, ())

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, obstacles: Sequence[Obstacle] = (), path: str = "") -> None:
        self.obstacles: tuple[Obstacle, ...] = tuple(obstacles)
        EmessiError.__init__(self, message, path=path)


class ScenarioError(EmessiError, ValueError):
    """A simulation scenario with impossible or contradictory parameters.

    Example:
        >>> issubclass(ScenarioError, ValueError)
        True

    .. versionadded:: 0.1.0
    """


class InfeasibleError(EmessiError, ValueError):
    """Groups cannot be formed under the constraints; the message says which.

    Example:
        >>> issubclass(InfeasibleError, ValueError)
        True

    .. versionadded:: 0.1.0
    """


class ResearchError(EmessiError, ValueError):
    """Research data that cannot be scored, compared or exported as asked.

    Raised for answers outside an instrument's range, duplicate responses,
    an unknown instrument, a pseudonymisation key that is too short, or a
    comparison without any paired responses.

    Example:
        >>> issubclass(ResearchError, ValueError)
        True

    .. versionadded:: 0.1.0
    """


class SaveError(EmessiError, OSError):
    """A file or folder that cannot be written; nothing half-written is left.

    Example:
        >>> issubclass(SaveError, OSError)
        True

    .. versionadded:: 0.1.0
    """


class UnsafeTextError(EmessiError, ValueError):
    r"""Text that would forge a line of a written file: refused, never echoed.

    Raised when a single-line field that reaches an iCalendar file (a name,
    a title, a link, an e-mail address) holds a line break, a control
    character or a lone surrogate. The message names the field; the text
    itself is never shown.

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi import Group, Meeting
        >>> from emessi.io.ical import dumps_ical
        >>> start = datetime(2025, 1, 14, 12, tzinfo=timezone.utc)
        >>> group = Group("g-01", "Spring\nBEGIN:VEVENT", meetings=[Meeting(1, start)])
        >>> try:
        ...     dumps_ical(group)
        ... except UnsafeTextError as error:
        ...     print(error)
        groups["g-01"].name: a line break or control character is not allowed here

    .. versionadded:: 0.1.0
    """
