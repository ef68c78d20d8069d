"""Pseudonymised export of a large cohort; ratios against peers run in this process.

1. ``pseudonymise`` + every table's CSV and JSON text, against ``emessi.dumps``
   of the same programme and study (serialising the same data once as JSON).
2. The pure-Python seeded bootstrap of ``paired_change`` (2,000 resamples),
   against the same percentile bootstrap written with numpy, if installed.

Each pair runs interleaved in this process through the harness
(``benchmarks/_harness.py``): median and range of 5 rounds each, ratios
paired round by round.

Run: python benchmarks/research_export.py [GROUPS]
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from _harness import Side, compare, header, report

import emessi
from emessi import Group, Meeting, Membership, Organisation, Person, Programme, Role
from emessi.research import (
    UWES9,
    Consent,
    InstrumentResponse,
    MeetingFeedback,
    StudyData,
    paired_change,
    pseudonymise,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
KEY = bytes.fromhex("3b8f0e6a91c4d27f5e08b1a9c63d47f2a05e9c18d7b2f46e13c8a09f5d7e2b61")


def cohort(groups: int, seed: int = 2013) -> tuple[Programme, StudyData]:
    """*groups* eMessi groups of 6 peers and a facilitator, 7 held meetings each, with study data."""
    rng = random.Random(seed)
    organisations, people, all_groups = [], [], []
    consents, feedback, responses = [], [], []
    first = datetime(2013, 11, 4, 14, tzinfo=HELSINKI)
    for g in range(groups):
        peers = [f"p-{g:05d}-{k}" for k in range(6)]
        for k, person in enumerate(peers):
            org = Organisation(
                f"o-{g:05d}-{k}", f"Association {g}-{k} ry", "youth work", rng.randint(1, 9)
            )
            organisations.append(org)
            people.append(
                Person(person, f"Peer {g}-{k}", email=f"{person}@example.org", organisation=org.id)
            )
            if rng.random() < 0.9:
                consents.append(Consent(person, date(2013, 10, 1)))
            pre = {item: rng.randint(0, 6) for item in UWES9.items if rng.random() < 0.95}
            post = {item: min(6, v + rng.randint(0, 1)) for item, v in pre.items()}
            responses += [
                InstrumentResponse(person, "uwes-9", "pre", first, pre),
                InstrumentResponse(person, "uwes-9", "post", first + timedelta(weeks=30), post),
            ]
        facilitator = f"f-{g:05d}"
        people.append(Person(facilitator, f"Facilitator {g}"))
        group = Group(
            f"g-{g:05d}",
            memberships=[Membership(p) for p in peers]
            + [Membership(facilitator, Role.FACILITATOR)],
            meetings=[Meeting(n, first + timedelta(weeks=4 * (n - 1))) for n in range(1, 8)],
        )
        for n in range(1, 8):
            present = [p for p in peers if rng.random() < 0.8]
            group = emessi.hold_meeting(group, n, attendance=[*present, facilitator], notes="notes")
            for person in present:
                answers = {"useful": rng.randint(1, 5), "heard": rng.randint(1, 5)}
                when = first + timedelta(weeks=4 * (n - 1), hours=2)
                feedback.append(MeetingFeedback(person, group.id, n, when, answers, comment="text"))
        all_groups.append(group)
    programme = Programme("bench", organisations=organisations, people=people, groups=all_groups)
    study = StudyData("bench", consents, meeting_feedback=feedback, responses=responses)
    return programme, study


def export_texts(programme: Programme, study: StudyData) -> int:
    export = pseudonymise(programme, study, key=KEY, on=date(2016, 1, 1))
    return sum(len(t.to_csv()) + len(t.to_json()) for t in export.tables)


def numpy_bootstrap(differences: list[float], resamples: int, seed: int) -> tuple[float, float]:
    import numpy as np

    values = np.asarray(differences)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(values), size=(resamples, len(values)))
    means = values[picks].mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    return float(low), float(high)


def main() -> None:
    groups = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    programme, study = cohort(groups)
    header("emessi", "numpy")
    print(
        f"cohort: {groups} groups, {len(programme.people)} people, "
        f"{len(study.meeting_feedback)} feedback records, {len(study.responses)} UWES-9 responses"
    )
    timings = compare(
        [
            Side("emessi.dumps", lambda: (emessi.dumps(programme), emessi.dumps(study))),
            Side("pseudonymise+text", lambda: export_texts(programme, study)),
        ]
    )
    report(timings, baseline="emessi.dumps", label="pseudonymised export vs dumps:")
    consenting = study.only_consenting(date(2016, 1, 1))
    change = paired_change(consenting.responses, UWES9)
    try:
        import numpy  # noqa: F401
    except ImportError:
        print("numpy not installed: no bootstrap peer")
        return
    pre = {
        r.person: UWES9.score(r.answers)["total"] for r in consenting.responses if r.wave == "pre"
    }
    post = {
        r.person: UWES9.score(r.answers)["total"] for r in consenting.responses if r.wave == "post"
    }
    differences = [
        post[p] - pre[p]  # type: ignore[operator]
        for p in sorted(pre.keys() & post.keys())
        if pre[p] is not None and post[p] is not None
    ]
    timings = compare(
        [
            Side("numpy bootstrap", lambda: numpy_bootstrap(differences, 2000, 0)),
            Side("paired_change", lambda: paired_change(consenting.responses, UWES9)),
        ]
    )
    report(
        timings,
        baseline="numpy bootstrap",
        label=f"paired_change (n={change.n}, 2000 resamples, pure Python) vs numpy:",
    )


if __name__ == "__main__":
    main()
