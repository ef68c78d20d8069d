"""Excluded days: public holidays (a pluggable calendar) and blackout periods.

A meeting is not planned on a public holiday or in a blackout period such
as a summer break. The holidays come from a :class:`HolidayCalendar`:
:class:`PublicHolidays` reads them from the ``holidays`` package (an
optional extra); any object with a ``days_off`` method can stand in for it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any, Protocol, runtime_checkable

import attrs

from emessi._i18n import N_, _
from emessi.errors import EmessiError, MissingDependencyError, ScheduleError, UsageError
from emessi.model._strict import check_for, checked, strict
from emessi.scheduling._args import items

__all__ = ["Blackout", "HolidayCalendar", "PublicHolidays", "excluded_days"]


@runtime_checkable
class HolidayCalendar(Protocol):
    """Anything that can list the days off between two dates.

    Implement it to plug in a calendar of your own: an organisation's
    closing days, a school calendar, a holiday feed.

    Example:
        >>> from datetime import date
        >>> class OfficeClosed:
        ...     def days_off(self, first, last):
        ...         return {date(2025, 12, 29): "office closed"}
        >>> isinstance(OfficeClosed(), HolidayCalendar)
        True

    .. versionadded:: 0.1.0

    """

    def days_off(self, first: date, last: date) -> Mapping[date, str]:
        """The days off from *first* to *last* (inclusive), each with a label."""
        ...


def _holidays() -> Any:
    try:
        import holidays
    except ImportError:
        raise MissingDependencyError(
            "holidays", extra="holidays", feature=N_("Public holidays")
        ) from None
    return holidays


@cache
def _country_codes() -> dict[str, str]:
    holidays = _holidays()
    codes: dict[str, str] = {}
    try:
        from holidays.registry import COUNTRIES
    except ImportError:  # pragma: no cover - a holidays without its registry
        COUNTRIES = {}
    for module, names in COUNTRIES.items():
        code = names[1]
        for name in (module.replace("_", " "), names[0], *names[1:3]):
            codes[name.replace(" ", "").casefold()] = code
    for code in holidays.list_supported_countries():
        codes.setdefault(code.casefold(), code)
    return codes


_TEXT = check_for(str)


def _country(country: str) -> str:
    _TEXT(country, "country")
    _holidays()  # the missing extra is reported even when the codes are cached
    code = _country_codes().get(country.replace(" ", "").casefold()) if country else None
    if code is None:
        raise ScheduleError(
            _(
                "unknown country for public holidays: use an ISO 3166 code such as 'FI' or an English name such as 'Finland'"
            ),
            path="country",
        )
    return code


def _subdivision(code: str, subdiv: str) -> str:
    _TEXT(subdiv, "subdiv")
    holidays = _holidays()
    cls = type(holidays.country_holidays(code, years=[]))
    known: tuple[str, ...] = tuple(getattr(cls, "subdivisions", ()))
    if subdiv in known:
        return subdiv
    aliases: dict[str, str] = dict(getattr(cls, "subdivisions_aliases", {}))
    wanted = subdiv.casefold()
    for name, target in aliases.items():
        if name.casefold() == wanted:
            return target
    # "Åland" for "Landskapet Åland": a unique alias that contains the word.
    partial = {t for name, t in aliases.items() if wanted in name.casefold().split()}
    partial |= {s for s in known if s.casefold() == wanted}
    if len(partial) == 1:
        return partial.pop()
    raise ScheduleError(
        _("unknown subdivision of {code} for public holidays; known codes: {value}").format(
            code=code, value=", ".join(known)
        ),
        path="subdiv",
    )


def _midsummer_eve(year: int) -> date:
    # The Friday between 19 and 25 June (Finland's Midsummer Eve since 1955).
    june19 = date(year, 6, 19)
    return june19 + timedelta(days=(4 - june19.weekday()) % 7)


#: Days that are not statutory holidays but on which practically nobody
#: works, per country: Finland's Midsummer Eve (*juhannusaatto*) and
#: Christmas Eve (*jouluaatto*). The ``holidays`` package lists both among
#: Finland's holidays; they are added here too so that no release of it
#: can drop them from a plan.
_DE_FACTO = {
    "FI": (
        (_midsummer_eve, {"en": "Midsummer Eve", "fi": "Juhannusaatto", "sv": "Midsommarafton"}),
        (
            lambda year: date(year, 12, 24),
            {"en": "Christmas Eve", "fi": "Jouluaatto", "sv": "Julafton"},
        ),
    ),
}


@lru_cache(maxsize=256)
def _table(
    code: str,
    subdiv: str | None,
    de_facto: bool,
    language: str,
    first_year: int,
    last_year: int,
) -> Mapping[date, str]:
    holidays = _holidays()
    cls = type(holidays.country_holidays(code, years=[]))
    # The names' language is chosen here: by default holidays would follow
    # the process's locale settings, and plans would differ between machines.
    languages = tuple(getattr(cls, "supported_languages", ()))
    chosen = language if language in languages else None
    supported = tuple(getattr(cls, "supported_categories", ("public",)))
    # "de_facto" is the holidays package's category for days off by custom
    # (e.g. Sweden's Midsummer Eve); other categories (flag days, bank
    # holidays) are working days.
    categories = tuple(
        c for c in ("public", "de_facto") if c in supported and (de_facto or c == "public")
    )
    years = range(first_year, last_year + 1)
    calendar = holidays.country_holidays(
        code, subdiv=subdiv, years=years, categories=categories or None, language=chosen
    )
    table: dict[date, str] = {day: str(name) for day, name in calendar.items()}
    if de_facto:
        for year in years:
            for rule, names in _DE_FACTO.get(code, ()):
                table.setdefault(rule(year), names.get(language[:2], names["en"]))
    return table


@checked
@attrs.frozen(field_transformer=strict)
class PublicHolidays:
    """Public holidays of a country (or one of its subdivisions) from ``holidays``.

    Needs the ``holidays`` extra (``pip install 'emessi[holidays]'``).
    Finland by default. Days off by custom are included when *de_facto*:
    in Finland Midsummer Eve and Christmas Eve, elsewhere the ``holidays``
    package's ``de_facto`` category (e.g. Sweden's Midsummer Eve).

    Args:
        country: An ISO 3166 code (``"FI"``, ``"FIN"``) or English name
            (``"Finland"``).
        subdiv: A subdivision code (Åland is ``"01"`` in Finland) or name
            (``"Åland"``, ``"Landskapet Åland"``).
        de_facto: Include days off by custom.
        language: The language of the holidays' names, e.g. ``"fi"``
            (English, ``"en_US"``, by default; a country's own language when
            the ``holidays`` package has no such translation).

    Raises:
        ScheduleError: an unknown country or subdivision.
        MissingDependencyError: ``holidays`` is not installed.

    Example:
        >>> from datetime import date
        >>> from emessi.scheduling import PublicHolidays
        >>> finland = PublicHolidays()
        >>> finland.days_off(date(2025, 6, 19), date(2025, 6, 21))
        {datetime.date(2025, 6, 20): 'Midsummer Eve', datetime.date(2025, 6, 21): 'Midsummer Day'}
        >>> PublicHolidays("Finland", subdiv="Åland").subdiv
        '01'
        >>> PublicHolidays(language="fi").days_off(date(2025, 12, 24), date(2025, 12, 24))
        {datetime.date(2025, 12, 24): 'Jouluaatto'}
        >>> sorted(PublicHolidays(subdiv="01").days_off(date(2025, 6, 9), date(2025, 6, 9)))
        [datetime.date(2025, 6, 9)]

    .. versionadded:: 0.1.0

    """

    country: str = attrs.field(default="FI", converter=_country)
    subdiv: str | None = None
    de_facto: bool = True
    language: str = "en_US"

    def __attrs_post_init__(self) -> None:
        if self.subdiv is not None:
            object.__setattr__(self, "subdiv", _subdivision(self.country, self.subdiv))

    @checked
    def days_off(self, first: date, last: date) -> Mapping[date, str]:
        """The public holidays from *first* to *last* (inclusive), with their names.

        Example:
            >>> from datetime import date
            >>> PublicHolidays("SE").days_off(date(2025, 12, 24), date(2025, 12, 24))
            {datetime.date(2025, 12, 24): 'Christmas Eve'}

        """
        if last < first:
            return {}
        table = _table(
            self.country, self.subdiv, self.de_facto, self.language, first.year, last.year
        )
        return {day: name for day, name in sorted(table.items()) if first <= day <= last}


def _check_order(instance: Blackout, attribute: Any, value: date) -> None:
    if value < instance.first:
        raise ScheduleError(_("a blackout's last day is before its first"), path="last")


@checked
@attrs.frozen(field_transformer=strict)
class Blackout:
    """A period with no meetings, such as a summer break; both ends inclusive.

    Args:
        first: The first day without meetings.
        last: The last day without meetings.
        label: What it is, for the plan's report (e.g. ``"summer break"``).

    Example:
        >>> from datetime import date
        >>> summer = Blackout(date(2025, 6, 16), date(2025, 8, 10), "summer break")
        >>> summer.covers(date(2025, 7, 1)), summer.covers(date(2025, 8, 11))
        (True, False)

    .. versionadded:: 0.1.0

    """

    first: date
    last: date = attrs.field(validator=_check_order)
    label: str = "blackout"

    @checked
    def covers(self, day: date) -> bool:
        """Whether *day* falls in the period."""
        return self.first <= day <= self.last


#: The most blackout periods one argument may list (emessi's bound: a year
#: has 366 days, and every period costs each plan a little).
MAX_PERIODS = 1000


def periods(value: object, path: str) -> tuple[Blackout, ...]:
    """Blackout periods as a tuple: an iterable of at most :data:`MAX_PERIODS`."""
    found = items(value, path, Blackout)
    if len(found) > MAX_PERIODS:
        raise ScheduleError(
            _("at most {max_periods:,} blackout periods").format(max_periods=MAX_PERIODS), path=path
        )
    return found


@checked
def excluded_days(
    first: date,
    last: date,
    holidays: HolidayCalendar | None = None,
    blackouts: Iterable[Blackout] = (),
) -> dict[date, str]:
    """Every excluded day from *first* to *last*, with why it is excluded.

    A day in several blackouts takes the label of the first one given; a
    public holiday's name wins over a blackout's label. The work grows with
    the days in the range plus the periods, however long or many the
    periods are.

    Example:
        >>> from datetime import date
        >>> from emessi.scheduling import Blackout, excluded_days
        >>> excluded_days(date(2025, 7, 1), date(2025, 7, 2),
        ...               blackouts=[Blackout(date(2025, 7, 2), date(2025, 7, 3), "summer")])
        {datetime.date(2025, 7, 2): 'summer'}

    .. versionadded:: 0.1.0

    """
    return days_excluded(first, last, holidays, periods(blackouts, "blackouts"))


def days_excluded(
    first: date, last: date, holidays: HolidayCalendar | None, blackouts: tuple[Blackout, ...]
) -> dict[date, str]:
    """:func:`excluded_days` of checked arguments, for any dates Python has."""
    days = _painted(first, last, blackouts)
    if holidays is not None:
        if not callable(getattr(holidays, "days_off", None)):
            raise UsageError(
                _("holidays must be a HolidayCalendar: an object with days_off(first, last)"),
                path="holidays",
            )
        try:
            found = [(day, str(name)) for day, name in holidays.days_off(first, last).items()]
        except EmessiError:
            raise
        except Exception as error:  # a calendar of the caller's own failed
            raise ScheduleError(
                _(
                    "the holiday calendar failed ({actual}); days_off(first, last) must return {{date: name}}"
                ).format(actual=type(error).__name__),
                path="holidays",
            ) from None
        for index, (day, name) in enumerate(found):
            if not isinstance(day, date) or isinstance(day, datetime):
                raise ScheduleError(
                    _("days_off(first, last) must return {date: name}"), path=f"holidays[{index}]"
                )
            if first <= day <= last:
                days[day] = _TEXT(name, f"holidays[{index}]")
    return dict(sorted(days.items()))


def _painted(first: date, last: date, blackouts: tuple[Blackout, ...]) -> dict[date, str]:
    """The days from *first* to *last* in *blackouts*, each with the first label given.

    Each day is painted once: ``after`` maps a painted day to a later one
    that may be free (path-compressed), so a thousand blackouts of a
    century each cost what the days of the range cost.
    """
    low, high = first.toordinal(), last.toordinal()
    after: dict[int, int] = {}

    def free(day: int) -> int:
        root = day
        while root in after:
            root = after[root]
        while day != root:
            after[day], day = root, after[day]
        return root

    painted: dict[int, str] = {}
    for blackout in blackouts:
        day, end = free(max(low, blackout.first.toordinal())), min(high, blackout.last.toordinal())
        while day <= end:
            painted[day] = blackout.label
            after[day] = day + 1
            day = free(day + 1)
    return {date.fromordinal(day): label for day, label in painted.items()}


def covering(blackouts: tuple[Blackout, ...]) -> Callable[[date], bool]:
    """A test whether a day falls in any of *blackouts*: a binary search, not a scan."""
    spans: list[list[int]] = []
    for first, last in sorted((b.first.toordinal(), b.last.toordinal()) for b in blackouts):
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    starts = [span[0] for span in spans]

    def covers(day: date) -> bool:
        ordinal = day.toordinal()
        index = bisect_right(starts, ordinal) - 1
        return index >= 0 and spans[index][1] >= ordinal

    return covers
