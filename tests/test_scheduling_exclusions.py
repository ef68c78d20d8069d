"""Excluded days: Finnish public holidays, Åland, other countries, blackouts, plug-ins."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_package
import pytest

from emessi.errors import MissingDependencyError, ScheduleError
from emessi.scheduling import (
    AdjustmentKind,
    Blackout,
    HolidayCalendar,
    PublicHolidays,
    excluded_days,
    plan_schedule,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
YEARS = range(2024, 2036)
# Rules that land on Finnish holidays: fixed dates (1 Jan, 6 Jan, 1 May, 6 Dec,
# 24-26 Dec), Fridays (Good Friday, Midsummer Eve), Thursdays (Ascension
# Day), Mondays (Easter Monday), Saturdays (Midsummer Day, All Saints' Day).
RULES = (
    "the 1st of each month at 10:00",
    "the 6th of each month at 10:00",
    "the 24th of each month at 10:00",
    "the 25th of each month at 10:00",
    "the 26th of each month at 10:00",
    "every 2 weeks on Friday at 10:00",
    "every 2 weeks on Thursday at 10:00",
    "every 2 weeks on Monday at 10:00",
    "every 2 weeks on Saturday at 10:00",
    "every 2 weeks on Sunday at 10:00",
)


def _finnish_days_off(years: range) -> set[date]:
    """Finland's public holidays straight from the holidays package, plus the two eves."""
    days = set(holidays_package.country_holidays("FI", years=years))
    for year in years:
        june19 = date(year, 6, 19)
        days.add(june19 + timedelta(days=(4 - june19.weekday()) % 7))  # Midsummer Eve
        days.add(date(year, 12, 24))  # Christmas Eve
    return days


def test_no_planned_meeting_on_a_finnish_public_holiday_2024_2035() -> None:
    """Plans starting every month of 2024-2035 avoid every Finnish public holiday."""
    off = _finnish_days_off(range(2024, 2038))
    finland = PublicHolidays("FI")
    planned = 0
    skipped_reasons: set[str] = set()
    for year in YEARS:
        for month in range(1, 13):
            for rule in RULES:
                # strict=False: "the 6th" skips 6 Nov (All Saints' Day when a
                # Saturday), 6 Dec and 6 Jan, a 123-day gap the profile refuses.
                plan = plan_schedule(
                    date(year, month, 1), rule, count=6, holidays=finland, strict=False
                )
                days = {m.start.astimezone(HELSINKI).date() for m in plan.meetings}
                assert not days & off, (rule, year, month)
                planned += len(days)
                skipped_reasons |= {a.reason for a in plan.skipped}
    assert planned == len(YEARS) * 12 * len(RULES) * 6
    # Not vacuous: every kind of holiday was actually met and skipped.
    for name in (
        "New Year's Day",
        "Epiphany",
        "May Day",
        "Midsummer Eve",
        "Christmas Eve",
        "Independence Day",
        "Good Friday",
        "Easter Monday",
        "Ascension Day",
    ):
        assert name in skipped_reasons


def test_de_facto_days_off_are_in_the_finnish_calendar() -> None:
    """Midsummer Eve and Christmas Eve are days off in every year."""
    finland = PublicHolidays()
    for year in YEARS:
        off = finland.days_off(date(year, 1, 1), date(year, 12, 31))
        assert off[date(year, 12, 24)] == "Christmas Eve"
        eve = [d for d, name in off.items() if name == "Midsummer Eve"]
        assert len(eve) == 1
        assert eve[0].weekday() == 4
        assert 19 <= eve[0].day <= 25


def test_without_de_facto_days_only_statutory_ones_remain_for_sweden() -> None:
    """de_facto=False drops Sweden's Midsummer Eve; de_facto=True has it."""
    sweden = PublicHolidays("Sweden").days_off(date(2025, 6, 1), date(2025, 6, 30))
    statutory = PublicHolidays("SE", de_facto=False).days_off(date(2025, 6, 1), date(2025, 6, 30))
    assert sweden[date(2025, 6, 20)] == "Midsummer Eve"
    assert date(2025, 6, 20) not in statutory


def test_aland_differs_from_the_mainland_by_its_autonomy_day() -> None:
    """Åland (subdivision 01) adds 9 June every year; nothing else differs."""
    mainland = PublicHolidays("FI")
    aland = PublicHolidays("FI", subdiv="Åland")
    assert aland.subdiv == "01"
    for year in YEARS:
        first, last = date(year, 1, 1), date(year, 12, 31)
        extra = set(aland.days_off(first, last)) - set(mainland.days_off(first, last))
        # 9 June is Whit Sunday in some years (2030), a holiday everywhere.
        assert extra == {date(year, 6, 9)} - set(mainland.days_off(first, last))
        assert date(year, 6, 9) in aland.days_off(first, last)
        assert set(mainland.days_off(first, last)) <= set(aland.days_off(first, last))


def test_aland_plans_skip_9_june_where_mainland_plans_keep_it() -> None:
    """A rule on the 9th meets on 9 June on the mainland but not in Åland."""
    rule = "the 9th of each month at 10:00"
    for year in YEARS:
        start = date(year, 4, 1)
        mainland = plan_schedule(start, rule, count=6, holidays=PublicHolidays("FI"))
        aland = plan_schedule(
            start, rule, count=6, holidays=PublicHolidays("FI", subdiv="01"), strict=False
        )
        june9 = date(year, 6, 9)
        mainland_days = {m.start.date() for m in mainland.meetings}
        assert (june9 in mainland_days) == (june9 not in _finnish_days_off(range(year, year + 1)))
        assert june9 not in {m.start.date() for m in aland.meetings}
        assert any(a.original.date() == june9 for a in aland.skipped)


@pytest.mark.parametrize("name", ["FI", "fin", "Finland", "finland"])
def test_countries_are_found_by_code_or_name(name: str) -> None:
    """ISO codes and English names both resolve to the ISO alpha-2 code."""
    assert PublicHolidays(name).country == "FI"


def test_multi_word_country_names_resolve() -> None:
    """'United Kingdom' and 'GB' are the same calendar."""
    assert PublicHolidays("United Kingdom").country == PublicHolidays("GB").country


@pytest.mark.parametrize(("country", "subdiv"), [("Atlantis", None), ("FI", "Narnia"), ("", None)])
def test_unknown_country_or_subdivision_is_a_schedule_error(
    country: str, subdiv: str | None
) -> None:
    """An unknown country or subdivision raises ScheduleError with its path."""
    with pytest.raises(ScheduleError) as raised:
        PublicHolidays(country, subdiv=subdiv)
    assert raised.value.path in ("country", "subdiv")


def test_missing_holidays_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without holidays, PublicHolidays raises MissingDependencyError naming the extra."""
    PublicHolidays("FI")  # warm every cache first: the check must not depend on them
    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(MissingDependencyError, match=r"emessi\[holidays\]"):
        PublicHolidays("FI")


def test_planning_without_holidays_does_not_import_them() -> None:
    """Plans without a holiday calendar work whatever holidays is."""
    plan = plan_schedule(date(2025, 12, 1), "the 24th of each month at 10:00", count=6)
    assert plan.meetings[0].start.date() == date(2025, 12, 24)


def test_a_custom_holiday_calendar_plugs_in() -> None:
    """Any object with days_off() is a HolidayCalendar and is honoured."""

    class OfficeClosed:
        def days_off(self, first: date, last: date) -> Mapping[date, str]:
            return {date(2025, 10, 14): "office closed"}

    calendar = OfficeClosed()
    assert isinstance(calendar, HolidayCalendar)
    plan = plan_schedule(
        date(2025, 9, 1), "second Tuesday of each month at 14:00", holidays=calendar
    )
    assert date(2025, 10, 14) not in {m.start.date() for m in plan.meetings}
    assert plan.skipped[0].reason == "office closed"


def test_an_unhashable_calendar_works_uncached() -> None:
    """A calendar that cannot be hashed is used directly, every time."""

    class Listed:
        __hash__ = None  # type: ignore[assignment]

        def __init__(self) -> None:
            self.calls = 0

        def days_off(self, first: date, last: date) -> Mapping[date, str]:
            self.calls += 1
            return {date(2025, 10, 14): "listed"}

    calendar = Listed()
    for _ in range(2):
        plan_schedule(date(2025, 9, 1), "second Tuesday of each month at 14:00", holidays=calendar)
    assert calendar.calls == 2


def test_blackouts_are_inclusive_and_checked() -> None:
    """Both ends of a blackout are excluded; a reversed one is refused."""
    summer = Blackout(date(2025, 7, 1), date(2025, 7, 31), "summer")
    days = excluded_days(date(2025, 6, 30), date(2025, 8, 1), blackouts=[summer])
    assert min(days) == date(2025, 7, 1)
    assert max(days) == date(2025, 7, 31)
    assert len(days) == 31
    with pytest.raises(ScheduleError):
        Blackout(date(2025, 7, 31), date(2025, 7, 1))


def test_holiday_names_win_over_blackout_labels() -> None:
    """A day that is both a holiday and in a blackout is reported as the holiday."""
    days = excluded_days(
        date(2025, 12, 20),
        date(2025, 12, 31),
        PublicHolidays(),
        [Blackout(date(2025, 12, 20), date(2026, 1, 6), "Christmas break")],
    )
    assert days[date(2025, 12, 24)] == "Christmas Eve"
    assert days[date(2025, 12, 23)] == "Christmas break"


def test_move_policy_with_holidays_lands_on_a_working_day() -> None:
    """Moving by one day past Easter Sunday and Monday lands on Tuesday."""
    plan = plan_schedule(
        date(2024, 3, 1),
        "last Sunday of each month at 12:00",
        count=6,
        holidays=PublicHolidays(),
        on_excluded=1,
    )
    [moved] = [a for a in plan.adjustments if a.kind is AdjustmentKind.MOVED]
    assert moved.reason == "Easter Sunday"
    assert moved.planned is not None
    assert moved.planned.date() == date(2024, 4, 2)


def test_holiday_names_do_not_follow_the_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names are English unless asked otherwise, whatever LANGUAGE says."""
    monkeypatch.setenv("LANGUAGE", "fi")
    day = date(2091, 12, 24)  # a year no other test has cached
    assert PublicHolidays().days_off(day, day) == {day: "Christmas Eve"}
    assert PublicHolidays(language="fi").days_off(day, day) == {day: "Jouluaatto"}
    assert PublicHolidays("SE", language="sv").days_off(day, day) == {day: "Julafton"}
