"""Load and validate a 1,000-group programme; ratios against bare ``json.loads``.

Issue 2's goals: loading a 1,000-group programme from JSON costs at most 4x a
bare ``json.loads`` of the same text, and validating it at most 0.5x loading
it. Both peers run in this process on the same text.

Run: python benchmarks/load_and_validate.py [GROUPS]
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable

import attrs

import emessi
from emessi import Programme
from emessi.demo import emessi2_cohort


def big_programme(groups: int) -> Programme:
    """Replicate eMessi2 cohorts (11 groups each) with fresh ids up to *groups*."""
    build = emessi2_cohort
    people, organisations, all_groups = [], [], []
    copy = 0
    while len(all_groups) < groups:
        cohort = build(2013 + copy)
        suffix = f"x{copy}"

        def rename(value: str, suffix: str = suffix) -> str:
            return f"{value}{suffix}"

        organisations += [attrs.evolve(o, id=rename(o.id)) for o in cohort.organisations]
        people += [
            attrs.evolve(p, id=rename(p.id), organisation=p.organisation and rename(p.organisation))
            for p in cohort.people
        ]
        for group in cohort.groups:
            members = [attrs.evolve(m, person=rename(m.person)) for m in group.memberships]
            meetings = [
                attrs.evolve(m, secretary=m.secretary and rename(m.secretary))
                for m in group.meetings
            ]
            all_groups.append(
                attrs.evolve(group, id=rename(group.id), memberships=members, meetings=meetings)
            )
        copy += 1
    return Programme(
        "bench", organisations=organisations, people=people, groups=all_groups[:groups]
    )


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The best wall time of *repeat* calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    groups = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    programme = big_programme(groups)
    text = emessi.dumps(programme)
    loaded = emessi.loads(text)
    assert loaded == programme
    report = emessi.validate(loaded)
    t_json = best_of(lambda: json.loads(text))
    t_load = best_of(lambda: emessi.loads(text))
    t_validate = best_of(lambda: emessi.validate(loaded))
    meetings = sum(len(g.meetings) for g in programme.groups)
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} Python {platform.python_version()}"
    )
    print(
        f"programme: {groups} groups, {len(programme.people)} people, {meetings} meetings, {len(text):,} bytes of JSON"
    )
    print(f"validation findings: {report.summary()} (overlaps across copies are expected)")
    print(f"json.loads        {t_json * 1000:8.1f} ms")
    print(
        f"emessi.loads      {t_load * 1000:8.1f} ms   ratio to json.loads: {t_load / t_json:5.2f}x (goal <= 4)"
    )
    print(
        f"emessi.validate   {t_validate * 1000:8.1f} ms   ratio to emessi.loads: {t_validate / t_load:5.2f}x (goal <= 0.5)"
    )


if __name__ == "__main__":
    main()
