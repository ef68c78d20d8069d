"""A demonstration cohort shaped like eMessi2, built with the public API.

eMessi2 (Humak University of Applied Sciences, 11/2013-11/2015) ran 11
closed online groups. Each had 5-6 peers from small NGO workplaces (fewer
than 5 staff), a facilitator and an observer who was also the technical
support, and met 6-8 times about once a month for 1.5-2 hours. The people
and organisations here are synthetic.

Example:
    >>> from emessi import validate
    >>> cohort = emessi2_cohort()
    >>> len(cohort.groups), validate(cohort).ok
    (11, True)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from emessi._i18n import _
from emessi._text import csv_text
from emessi.errors import DomainError
from emessi.method import default_catalogue, default_ground_rules, with_agendas
from emessi.model import (
    Group,
    Meeting,
    Membership,
    Organisation,
    Person,
    Programme,
    Role,
    assign_secretaries,
    hold_meeting,
)
from emessi.model._strict import checked
from emessi.scheduling.poll import Poll, Slot

if TYPE_CHECKING:
    from emessi.research import StudyData

__all__ = ["applicants_csv", "availability_poll", "emessi2_cohort", "emessi2_study"]

HELSINKI = ZoneInfo("Europe/Helsinki")
SECTORS = ["youth work", "social services", "culture", "sports", "health", "environment"]


# The most applicants (and organisations) the demo data generators make.
_MAX_DEMO = 10_000


def _within(value: int, low: int, path: str) -> None:
    if not low <= value <= _MAX_DEMO:
        raise DomainError(
            _("the demo data has {low} to {high} of these").format(low=low, high=f"{_MAX_DEMO:,}"),
            path=path,
        )


@checked
def emessi2_cohort(seed: int = 2013) -> Programme:
    """An eMessi2-like cohort of 11 groups; the same seed gives the same cohort.

    Each group has 5-6 peers from distinct small organisations (1-4 staff),
    a facilitator (each leads two groups) and an observer (each supports up
    to four), and 6-8 meetings four weeks apart from November 2013, at
    90-120 minutes, with the session process' agendas, ground rules and
    secretaries in rotation. It validates without findings under eMessi.

    Example:
        >>> cohort = emessi2_cohort()
        >>> sorted({len(list(g.members(Role.PEER))) for g in cohort.groups})
        [5, 6]

    .. versionadded:: 0.1.0
    """
    rng = random.Random(seed)
    themes = sorted(default_catalogue().ids())
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
                themes=rng.sample(themes, 2) if n > 1 else (),
            )
            for n in range(1, count + 1)
        ]
        group = Group(
            f"g-{g:02d}",
            f"eMessi group {g}",
            memberships=members,
            meetings=meetings,
            ground_rules=default_ground_rules(),
            link=f"https://meet.example.org/emessi2-{g:02d}",
        )
        group = assign_secretaries(with_agendas(group))
        groups.append(group)
    return Programme(
        "emessi2",
        "eMessi2 (Humak 2013-2015)",
        organisations=organisations,
        people=people,
        groups=groups,
    )


@checked
def emessi2_study(seed: int = 2015) -> tuple[Programme, StudyData]:
    """The demo cohort with every meeting held, and synthetic research data for it.

    Each peer attends a meeting with probability 0.85 (facilitators and
    observers always); everyone consents to research from 15 October 2013;
    each peer answers UWES-9 before (October 2013) and after (June 2014)
    and gives feedback on the meetings they attended. The answers are
    synthetic. The same seed gives the same data. Used to measure the
    re-identification risk of a realistic export (:doc:`/explanation/privacy`).

    Example:
        >>> cohort, study = emessi2_study()
        >>> len(study.consents) == len(cohort.people), len(study.responses) > 100
        (True, True)

    .. versionadded:: 0.1.0
    """
    from emessi.research import UWES9, Consent, InstrumentResponse, MeetingFeedback, StudyData

    rng = random.Random(seed)
    cohort = emessi2_cohort()
    for group in cohort.groups:
        for meeting in group.meetings:
            present = [m.person for m in group.memberships if m.role is not Role.PEER]
            present += [m.person for m in group.members(Role.PEER) if rng.random() < 0.85]
            group = hold_meeting(group, meeting.number, attendance=present)
        cohort = cohort.replace_group(group)
    peers = [m.person for g in cohort.groups for m in g.members(Role.PEER)]
    responses = []
    for person in peers:
        level, gain = rng.uniform(2.0, 4.5), rng.gauss(0.3, 0.5)
        for wave, shift, day in (
            ("pre", 0.0, date(2013, 10, 20)),
            ("post", gain, date(2014, 6, 1)),
        ):
            answers = {
                item: max(0, min(6, round(level + shift + rng.gauss(0, 0.7))))
                for item in UWES9.items
            }
            when = datetime(day.year, day.month, day.day, 12, tzinfo=HELSINKI)
            responses.append(InstrumentResponse(person, UWES9.id, wave, when, answers))
    feedback = [
        MeetingFeedback(
            person,
            group.id,
            meeting.number,
            meeting.end,
            {"useful": rng.randint(3, 5), "heard": rng.randint(3, 5), "safe": 5},
        )
        for group in cohort.groups
        for meeting in group.meetings
        for person in meeting.attendance
        if person in peers
    ]
    study = StudyData(
        cohort.id,
        consents=[Consent(p.id, date(2013, 10, 15)) for p in cohort.people],
        responses=responses,
        meeting_feedback=feedback,
    )
    return cohort, study


_COLUMNS = (
    "id",
    "name",
    "email",
    "languages",
    "organisation",
    "organisation_name",
    "staff",
    "sector",
    "region",
    "avoid",
)
REGIONS = ["Uusimaa", "Pirkanmaa", "Varsinais-Suomi", "Pohjois-Pohjanmaa", "Lappi"]


@checked
def applicants_csv(count: int = 66, organisations: int = 30) -> str:
    """Synthetic applicants from small NGOs, as a coordinator's CSV text.

    The columns are those :func:`emessi.formation.read_applicants` reads:
    ``id, name, email, languages, organisation, organisation_name, staff,
    sector, region, avoid``. With the defaults, 66 applicants from 30 NGOs of
    1-4 staff (six NGOs send three applicants), a few Swedish speakers, and
    one applicant who asked not to share a group with another.

    Raises:
        DomainError: *count* outside 0-10,000 or *organisations* outside
            1-10,000.

    Example:
        >>> text = applicants_csv()
        >>> text.splitlines()[0]
        'id,name,email,languages,organisation,organisation_name,staff,sector,region,avoid'
        >>> len(text.splitlines()) - 1
        66

    .. versionadded:: 0.1.0
    """
    _within(count, 0, "count")
    _within(organisations, 1, "organisations")
    rows = []
    for i in range(count):
        org = i % organisations
        languages = "fi sv" if i % 11 == 3 else ("sv" if i in (7, 40) else "fi")
        rows.append(
            [
                f"p-{i + 1:02d}",
                f"Applicant {i + 1}",
                f"applicant{i + 1}@example.org",
                languages,
                f"ngo-{org + 1:02d}",
                f"Association {org + 1} ry",
                1 + org % 4,
                SECTORS[org % len(SECTORS)],
                REGIONS[org % len(REGIONS)],
                "p-02" if i == 0 else "",  # p-01 asked not to be with p-02
            ]
        )
    # Spreadsheet formulas are neutralised as in every CSV emessi writes.
    return csv_text(_COLUMNS, rows)


# The weekly slots the demo's availability poll offers: Monday to Thursday
# at 10:00 and at 14:00.
_DEMO_SLOTS = tuple(
    (day, hour) for day in ("Monday", "Tuesday", "Wednesday", "Thursday") for hour in (10, 14)
)


@checked
def availability_poll(applicants: int = 66, seed: int = 2026) -> Poll:
    """Synthetic availability answers of the demo's applicants and staff.

    Every applicant (``p-01`` ...), facilitator (``f-01`` to ``f-06``) and
    project worker (``w-01`` to ``w-03``) answers each of eight weekly slots
    (Monday to Thursday, 10:00 and 14:00): applicants yes, if need be or no
    at random (5:2:3), staff yes except to two slots each. ``emessi demo``
    writes it as ``availability.csv`` (see
    :func:`emessi.scheduling.read_availability`).

    Raises:
        DomainError: *applicants* outside 0-10,000.

    Example:
        >>> poll = availability_poll()
        >>> len(poll.slots), len(poll.people), poll.answer("f-01", "mon-1000").value
        (8, 75, 'yes')

    .. versionadded:: 0.1.0
    """
    _within(applicants, 0, "applicants")
    rng = random.Random(seed)
    slots = [Slot(f"{day[:3].lower()}-{hour}00", day, time(hour)) for day, hour in _DEMO_SLOTS]
    answers: dict[str, dict[str, str]] = {}
    for i in range(applicants):
        answers[f"p-{i + 1:02d}"] = {
            s.id: rng.choices(["yes", "if-need-be", "no"], [5, 2, 3])[0] for s in slots
        }
    staff = [f"f-{i:02d}" for i in range(1, 7)] + [f"w-{i:02d}" for i in range(1, 4)]
    for person in staff:
        busy = set(rng.sample(range(1, len(slots)), 2))
        answers[person] = {s.id: "no" if k in busy else "yes" for k, s in enumerate(slots)}
    return Poll.from_answers(slots, answers)
