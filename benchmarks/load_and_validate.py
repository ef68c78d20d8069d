"""Load and validate a 1,000-group programme; ratios against bare ``json.loads``.

Issue 2's goals: loading a 1,000-group programme from JSON costs at most 4x a
bare ``json.loads`` of the same text, and validating it at most 0.5x loading
it. Both peers run in this process on the same text, interleaved by the
harness (``benchmarks/_harness.py``): median and range of 5 rounds each.

Run: python benchmarks/load_and_validate.py [GROUPS]
"""

from __future__ import annotations

import json
import sys

import attrs
from _harness import Side, compare, header, ratio
from _harness import report as show

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


def main() -> None:
    groups = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    programme = big_programme(groups)
    text = emessi.dumps(programme)
    loaded = emessi.loads(text)
    assert loaded == programme
    report = emessi.validate(loaded)
    meetings = sum(len(g.meetings) for g in programme.groups)
    header("emessi", "attrs", "cattrs")
    print(
        f"programme: {groups} groups, {len(programme.people)} people, {meetings} meetings, "
        f"{len(text):,} bytes of JSON"
    )
    print(f"validation findings: {report.summary()} (overlaps across copies are expected)")
    timings = compare(
        [
            Side("json.loads", lambda: json.loads(text)),
            Side("emessi.loads", lambda: emessi.loads(text)),
            Side("emessi.validate", lambda: emessi.validate(loaded)),
        ]
    )
    ratios = show(timings, baseline="json.loads")
    load, validate = timings[1], timings[2]
    print(f"goal: emessi.loads <= 4x json.loads: {ratios['emessi.loads']}")
    print(f"goal: validate <= 0.5x emessi.loads: {ratio(validate, load)}")


if __name__ == "__main__":
    main()
