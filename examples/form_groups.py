"""Form an eMessi2-like cohort from applicants, then plan every group's meetings.

eMessi2 (Humak 2013-2015) assembled 11 closed groups of 5-6 peers from small
NGO workplaces (fewer than 5 staff), each with a facilitator and an observer
who was also the technical support; the groups met about monthly "on a
jointly agreed schedule". This example:

1. writes 66 synthetic applicants from 30 small NGOs to ``applicants.csv``
   and reads them back (the coordinator's spreadsheet);
2. runs an availability poll over eight weekly slots;
3. forms 11 groups with ``form_groups`` (a shared slot, a shared language,
   5-6 peers, no two peers from one NGO, conflict pairs apart);
4. plans each group's meetings in its slot with ``plan_schedule``, avoiding
   Finnish public holidays when the ``holidays`` extra is installed;
5. validates the cohort, saves it to ``formed_cohort.json`` and exports its
   meetings as an iCalendar file, ``formed_cohort.ics``.

Every file is written to the current directory.

Run: python examples/form_groups.py
"""

from __future__ import annotations

import random
from datetime import date, time
from pathlib import Path

import emessi
from emessi.demo import applicants_csv
from emessi.errors import MissingDependencyError
from emessi.formation import Staff, form_groups, read_applicants
from emessi.model import Person, Role
from emessi.scheduling import Poll, PublicHolidays, Slot, apply_plan, plan_schedule

SLOTS = [
    Slot(f"{day[:3].lower()}-{hour}", day, time(hour))
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday")
    for hour in (10, 14)
]


def poll_answers(people: list[str], rng: random.Random) -> Poll:
    """Everyone answers the poll: each slot yes, if need be, or no."""
    answers = {
        person: {slot.id: rng.choices(["yes", "if-need-be", "no"], [5, 2, 3])[0] for slot in SLOTS}
        for person in people
    }
    return Poll.from_answers(SLOTS, answers)


def main() -> None:
    rng = random.Random(2013)
    path = Path("applicants.csv")
    path.write_text(applicants_csv(), encoding="utf-8")  # 66 synthetic applicants
    applicants = read_applicants(path)
    # eMessi2-like staff: a facilitator leads up to two groups, a project
    # worker observes and supports up to four.
    facilitators = [
        Staff(Person(f"f-{i}", f"Facilitator {i}", languages=("fi", "sv")), max_groups=2)
        for i in range(1, 7)
    ]
    observers = [
        Staff(Person(f"w-{i}", f"Project worker {i}", languages=("fi", "sv")), max_groups=4)
        for i in range(1, 4)
    ]
    people = [a.id for a in applicants] + [s.id for s in facilitators + observers]
    poll = poll_answers(people, rng)

    formation = form_groups(
        applicants,
        "emessi",
        facilitators=facilitators,
        observers=observers,
        availability=poll,
        diversity=["sector"],
        seed=2013,
    )
    print(f"{len(applicants)} applicants -> {len(formation.groups)} groups ({formation.solver})")
    print(f"Score: {formation.score}")
    for group, fit in zip(formation.groups, formation.fits, strict=True):
        peers = sum(1 for _ in group.members(Role.PEER))
        staff = ", ".join(m.person for m in group.memberships if m.role is not Role.PEER)
        note = "" if fit.common_slot else f" (cannot attend: {', '.join(fit.unavailable)})"
        assert fit.slot is not None
        print(f"  {group.id}: {peers} peers, {staff}, {fit.slot.id}, {fit.language}{note}")
    for left in formation.unassigned:
        print(f"  unassigned {left.applicant}: {left.reason.description}")

    try:
        holidays = PublicHolidays("FI")
    except MissingDependencyError:
        holidays = None  # without the holidays extra, plan without them
    programme = formation.to_programme("formed", "A formed eMessi cohort")
    for group, fit in zip(formation.groups, formation.fits, strict=True):
        assert fit.slot is not None
        # The agreed weekly slot becomes "the second <weekday> of each month";
        # a meeting on a public holiday moves a week later.
        plan = plan_schedule(
            date(2026, 1, 1),
            fit.slot.rule(),
            count=7,
            duration=105,
            holidays=holidays,
            on_excluded=7,
        )
        programme = programme.replace_group(apply_plan(group, plan))
    report = emessi.validate(programme)
    print(f"Validation: {report.summary()}")
    for finding in report:
        print(f"  {finding}")
    first = programme.groups[0]
    start, end = first.meetings[0].start, first.meetings[-1].start
    print(f"{first.id} meets from {start:%a %d.%m.%Y %H:%M} to {end:%d.%m.%Y}")
    emessi.dump(programme, "formed_cohort.json")
    # One calendar for the whole cohort: invitations show at the right hour in
    # Outlook and Google; no e-mail addresses unless attendees=True.
    emessi.dump_ical(programme, "formed_cohort.ics")
    print("Saved applicants.csv, formed_cohort.json and formed_cohort.ics")
    report.raise_for_errors()


if __name__ == "__main__":
    main()
