"""Plan 10,000 group schedules with holiday exclusion; ratio against bare ``rrule``.

Issue 3's goal: planning with :func:`emessi.scheduling.plan_schedule` (Finnish
public holidays excluded, DST handled, rhythm checked, ``Meeting`` objects
built) costs at most 3x iterating the same rules with bare
``dateutil.rrule``. Both peers run in this process on the same rules,
interleaved by the harness (``benchmarks/_harness.py``).

Two cohorts, each side caching the same things:

- distinct: every group has its own (rule, start) pair (12 rule patterns x
  834 start days). Within a run both sides may reuse work per rule *text*
  (emessi compiles each text once; the peer parses each text once with
  ``rrulestr`` and re-anchors it with ``replace(dtstart=...)``); every cache
  is cleared before each run, untimed.
- shared: 10,000 groups share 12 (rule, start) pairs, like a simulated
  cohort. Both sides cache per pair: emessi's plan cache, and for the peer a
  dict of the first COUNT occurrences per pair (rrule's own ``cache=True``
  does the same per rule object). Caches are cleared before each run.

Run: python benchmarks/scheduling_vs_rrule.py [GROUPS]
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from datetime import time as clock
from itertools import islice
from typing import Any

from _harness import Side, compare, header, report
from dateutil.rrule import rrulestr

from emessi.scheduling import (
    PublicHolidays,
    _recurrence,
    parse_recurrence,
    plan,
    plan_schedule,
    plan_starts,
)

PATTERNS = [
    f"{ordinal} {day} of each month at {hour}:00"
    for ordinal, day, hour in [
        ("first", "Monday", 9),
        ("second", "Tuesday", 14),
        ("third", "Wednesday", 10),
        ("last", "Friday", 13),
        ("second", "Thursday", 16),
        ("fourth", "Monday", 12),
    ]
] + [
    "every 4 weeks on Tuesday at 9:30",
    "every 4 weeks on Thursday at 14:00",
    "every 5 weeks on Wednesday at 15:00",
    "every 3 weeks on Monday at 10:00",
    "the 15th of each month at 12:00",
    "every 28 days at 13:00",
]
COUNT = 8


def cohort(groups: int, shared: bool) -> list[tuple[str, date]]:
    """(RRULE text, start) per group."""
    rules = [parse_recurrence(p) for p in PATTERNS]
    first = date(2025, 1, 6)
    if shared:
        return [(rules[i % 12], first) for i in range(groups)]
    return [(rules[i % 12], first + timedelta(days=i // 12)) for i in range(groups)]


def bare(groups: list[tuple[str, date]]) -> int:
    """The peer, distinct pairs: each rule text parsed once per run, then anchored per group."""
    parsed: dict[str, Any] = {}
    total = 0
    for text, start in groups:
        rule = parsed.get(text)
        if rule is None:
            rule = parsed[text] = rrulestr(text, dtstart=datetime(2000, 1, 1))
        anchored = rule.replace(dtstart=datetime.combine(start, clock()))
        total += len(list(islice(anchored, COUNT)))
    return total


def bare_cached(groups: list[tuple[str, date]]) -> int:
    """The peer, shared pairs: the first COUNT occurrences computed once per (rule, start)."""
    done: dict[tuple[str, date], list[datetime]] = {}
    total = 0
    for key in groups:
        dates = done.get(key)
        if dates is None:
            text, start = key
            rule = rrulestr(text, dtstart=datetime.combine(start, clock()), cache=True)
            dates = done[key] = list(islice(rule, COUNT))
        total += len(dates)
    return total


def emessi_plans(groups: list[tuple[str, date]]) -> int:
    """plan_schedule with Finnish public holidays: Meeting objects, checks, adjustments."""
    finland = PublicHolidays("FI")
    return sum(
        len(plan_schedule(start, text, count=COUNT, holidays=finland).meetings)
        for text, start in groups
    )


def emessi_starts(groups: list[tuple[str, date]]) -> int:
    """plan_starts (the simulation's fast path) with Finnish public holidays."""
    finland = PublicHolidays("FI")
    return sum(
        len(plan_starts(start, text, count=COUNT, holidays=finland)) for text, start in groups
    )


def cold() -> None:
    """Clear emessi's caches (untimed, before each run)."""
    plan._core_cached.cache_clear()
    _recurrence.compile_rule.cache_clear()


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    PublicHolidays("FI").days_off(date(2025, 1, 1), date(2025, 1, 1))  # import outside timing
    header("emessi", "python-dateutil", "holidays")
    for shared in (False, True):
        groups = cohort(size, shared)
        peer = bare_cached if shared else bare

        def fresh(g: list[tuple[str, date]] = groups) -> list[tuple[str, date]]:
            cold()
            return g

        sides = [
            Side("rrule", peer, prepare=fresh),
            Side("plan_schedule", emessi_plans, prepare=fresh),
            Side("plan_starts", emessi_starts, prepare=fresh),
        ]
        timings = compare(sides, rounds=5)
        name = "shared (12 pairs, cached on both sides)" if shared else "distinct pairs"
        report(timings, baseline="rrule", label=f"{size} groups, {name}:")
        for t in timings:
            print(f"    {t.name}: {t.median * 1e6 / size:.1f} us/group (median)")


if __name__ == "__main__":
    main()
