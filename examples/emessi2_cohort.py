"""An eMessi2-like cohort: 11 groups, validated, summarised and saved.

eMessi2 (Humak University of Applied Sciences, 11/2013-11/2015) ran 11
closed online groups. Each had 5-6 peers from small NGO workplaces (fewer
than 5 staff), a facilitator and an observer who was also the technical
support, and met 6-8 times about once a month for 1.5-2 hours.

Run: python examples/emessi2_cohort.py [OUTPUT.json]
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import emessi
from emessi import Group, Meeting, Membership, Organisation, Person, Programme, Role

HELSINKI = ZoneInfo("Europe/Helsinki")
SECTORS = ["youth work", "social services", "culture", "sports", "health", "environment"]
THEMES = sorted(emessi.default_catalogue().ids())


def build_cohort(seed: int = 2013) -> Programme:
    """Build the cohort; the same seed gives the same cohort."""
    rng = random.Random(seed)
    organisations: list[Organisation] = []
    people: list[Person] = []
    groups: list[Group] = []
    facilitators = [Person(f"f-{i:02d}", f"Facilitator {i}") for i in range(1, 7)]
    observers = [Person(f"w-{i:02d}", f"Project worker {i}") for i in range(1, 4)]
    people += facilitators + observers
    for g in range(1, 12):
        members = []
        for k in range(rng.choice([5, 6, 6])):
            org = Organisation(
                f"o-{g:02d}{k}", f"Association {g}-{k} ry", rng.choice(SECTORS), rng.randint(1, 4)
            )
            person = Person(f"p-{g:02d}{k}", f"Peer {g}-{k}", organisation=org.id)
            organisations.append(org)
            people.append(person)
            members.append(Membership(person.id, joined=date(2013, 11, 1)))
        # A facilitator leads two groups, an observer supports up to four:
        # their groups meet on different weekdays, so nobody is double-booked.
        members.append(Membership(facilitators[(g - 1) // 2].id, Role.FACILITATOR))
        members.append(Membership(observers[(g - 1) // 4].id, Role.OBSERVER))
        first = datetime(2013, 11, 4 + (g - 1) % 5, 9 + 2 * ((g - 1) // 5), tzinfo=HELSINKI)
        count = rng.choice([6, 7, 8])
        meetings = [
            Meeting(
                n,
                # four weeks apart keeps the weekday and the local time
                first + timedelta(weeks=4 * (n - 1)),
                timedelta(minutes=rng.choice([90, 105, 120])),
                themes=rng.sample(THEMES, 2) if n > 1 else (),
            )
            for n in range(1, count + 1)
        ]
        group = Group(
            f"g-{g:02d}",
            f"eMessi group {g}",
            memberships=members,
            meetings=meetings,
            ground_rules=emessi.default_ground_rules(),
            link=f"https://meet.example.org/emessi2-{g:02d}",
        )
        group = emessi.assign_secretaries(emessi.with_agendas(group))
        groups.append(group)
    return Programme(
        "emessi2",
        "eMessi2 (Humak 2013-2015)",
        organisations=organisations,
        people=people,
        groups=groups,
    )


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("emessi2_cohort.json")
    cohort = build_cohort()
    report = emessi.validate(cohort)
    print(f"Validation: {report}")
    peers = [sum(1 for _ in g.members(Role.PEER)) for g in cohort.groups]
    meetings = [sum(m.active for m in g.meetings) for g in cohort.groups]
    ends = [max(m.start for m in g.meetings).date() for g in cohort.groups]
    print(f"{len(cohort.groups)} groups, {sum(peers)} peers ({min(peers)}-{max(peers)} per group)")
    print(
        f"{sum(meetings)} meetings ({min(meetings)}-{max(meetings)} per group), last on {max(ends)}"
    )
    emessi.dump(cohort, output)
    assert emessi.load(output) == cohort
    print(f"Saved to {output} ({output.stat().st_size:,} bytes) and read back unchanged.")
    report.raise_for_errors()


if __name__ == "__main__":
    main()
