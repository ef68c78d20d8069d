"""A simulated run written out as a programme's records.

With ``simulate(..., records=True)`` the kernel keeps who was present at
each meeting and the occasion before which each peer left. This module turns
one run into a :class:`~emessi.Programme`: every occasion of each group's
series as a meeting (held with its attendance, or cancelled; make-ups with
``makeup_for``), numbered in time order, and each peer's membership with
the local date they left; with *until*, as the records stood on that day.
It is what :func:`~emessi.simulation.fit_scenario`
reads, so a simulated cohort can
stand in for a recorded one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from emessi.model import Group, Meeting, MeetingStatus, Membership, Programme, Role
from emessi.simulation._cohort import Cohort
from emessi.simulation._kernel import MAKE_UP, NEXT_SLOT, Draw
from emessi.simulation.scenario import Scenario

__all__ = ["programme"]

Occasion = tuple[int, int, bool, int | None]  # slot code, meeting index or -1, held, make-up of


def _occasions(cohort: Cohort, slot: Any, group: int) -> list[Occasion]:
    """The occasions of one group's series in time order."""
    spec = cohort.spec
    meetings = spec.meetings
    codes = [int(code) for code in slot[:, group]]
    found: list[Occasion] = []
    if spec.policy == NEXT_SLOT:
        used = {code: k for k, code in enumerate(codes) if code >= 0}
        limit = spec.slots if isinstance(spec.slots, int) else int(spec.slots[group])
        last = max(used) if len(used) == meetings else limit - 1
        for t in range(last + 1):
            found.append((t, used.get(t, -1), t in used, None))
        return found
    for k, code in enumerate(codes):
        if code == k:
            found.append((k, k, True, None))
            continue
        found.append((k, -1, False, None))  # the planned meeting, cancelled
        if spec.policy == MAKE_UP:
            found.append((meetings + k, k if code >= 0 else -1, code >= 0, k))
    return found


def programme(
    scenario: Scenario, cohort: Cohort, draw: Draw, run: int, name: str, until: date | None
) -> Programme:
    """Run *run* of a recorded simulation as a programme called *name*, as of *until*."""
    attended, gone = draw.attended, draw.left
    assert attended is not None
    assert gone is not None
    spec = cohort.spec
    times = cohort.times
    peers = np.broadcast_to(np.asarray(spec.peers), (spec.groups,))
    template = scenario.programme
    ids = cohort.group_ids or tuple(f"g-{n}" for n in range(1, spec.groups + 1))
    minutes = timedelta(minutes=cohort.minutes)
    groups = []
    for g, group_id in enumerate(ids):
        zone_name = template.groups[g].timezone if template is not None else scenario.timezone
        zone = ZoneInfo(zone_name)
        plan = int(cohort.plan[g])

        def moment(code: int, plan: int = plan, zone: ZoneInfo = zone) -> datetime:
            return datetime.fromtimestamp(int(times[plan, code]), UTC).astimezone(zone)

        people = [f"{group_id}.p{i + 1}" for i in range(int(peers[g]))]

        def when(occasion: Occasion, plan: int = plan) -> int:
            return int(times[plan, occasion[0]])

        occasions = sorted(_occasions(cohort, draw.slot[run], g), key=when)
        if until is not None:
            # A running cohort plans the meetings its series still needs, in
            # the slots to come; what became of them is not known yet.
            past = [o for o in occasions if moment(o[0]).date() <= until]
            taken = sum(1 for o in past if o[2])
            ahead = [o for o in occasions[len(past) :] if o[3] is None]
            occasions = past + ahead[: max(0, spec.meetings - taken)]
        number_of: dict[int, int] = {}  # slot code -> meeting number
        meetings = []
        for number, (code, k, held, makeup_of) in enumerate(occasions, 1):
            number_of[code] = number
            start = moment(code)
            future = until is not None and start.date() > until
            present: tuple[str, ...] = ()
            if future:  # not yet: planned, with nothing recorded
                status = MeetingStatus.PLANNED
            elif held:
                status = MeetingStatus.HELD
                present = tuple(p for i, p in enumerate(people) if attended[run, k, i, g])
            else:
                status = MeetingStatus.CANCELLED
            meetings.append(
                Meeting(
                    number,
                    start,
                    minutes,
                    status=status,
                    attendance=present,
                    makeup_for=None if makeup_of is None else number_of[makeup_of],
                )
            )
        memberships = []
        for i, person in enumerate(people):
            code = int(gone[run, i, g])
            left = moment(code).date() if code >= 0 else None
            if left is not None and until is not None and left > until:
                left = None  # not yet
            memberships.append(Membership(person, Role.PEER, left=left))
        groups.append(
            Group(group_id, timezone=zone_name, memberships=memberships, meetings=meetings)
        )
    return Programme(name, profile=scenario.profile, groups=groups)
