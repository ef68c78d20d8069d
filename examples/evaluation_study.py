"""A researcher's evaluation of a cohort: consent, UWES-9 before and after, export.

Did the groups promote well-being at work (*työhyvinvointi*)? This script
takes the eMessi2-like demo cohort, records research consent (two people
decline), simulates UWES-9 work-engagement answers before the first and
after the last meeting plus feedback on each held meeting, compares the two
waves (paired mean change, Cohen's d_z, seeded bootstrap interval), and
writes a pseudonymised export for the statistics package: consenting people
only, keyed tokens instead of ids, no names, e-mails, notes or comments.

The answers are synthetic; the UWES-9 item wording is not included (it is
free for non-commercial research only; obtain it from the authors).

Run: python examples/evaluation_study.py [OUTPUT_DIR]
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import emessi
from emessi import Role
from emessi.demo import emessi2_cohort
from emessi.research import (
    UWES9,
    Consent,
    InstrumentResponse,
    MeetingFeedback,
    StudyData,
    new_key,
    paired_change,
    pseudonymise,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def hold_all(programme: emessi.Programme, rng: random.Random) -> emessi.Programme:
    """Every meeting is held; each peer attends with probability 0.85."""
    for group in programme.groups:
        for meeting in group.meetings:
            present = [m.person for m in group.memberships if m.role is not Role.PEER]
            present += [m.person for m in group.members(Role.PEER) if rng.random() < 0.85]
            group = emessi.hold_meeting(group, meeting.number, attendance=present)
        programme = programme.replace_group(group)
    return programme


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("evaluation-export")
    rng = random.Random(2015)
    cohort = hold_all(emessi2_cohort(), rng)
    peers = [m.person for g in cohort.groups for m in g.members(Role.PEER)]

    consents = [Consent(p, date(2013, 10, 15)) for p in peers[2:]]  # two decline
    responses = []
    for person in peers:
        level = rng.uniform(2.0, 4.5)
        gain = rng.gauss(0.3, 0.5)  # a modest, noisy improvement
        for wave, shift, day in (
            ("pre", 0.0, date(2013, 10, 20)),
            ("post", gain, date(2014, 6, 1)),
        ):
            answers = {
                f"q{i}": max(0, min(6, round(level + shift + rng.gauss(0, 0.7))))
                for i in range(1, 10)
                if rng.random() > 0.03  # a few items left unanswered
            }
            when = datetime.combine(day, datetime.min.time(), HELSINKI) + timedelta(hours=12)
            responses.append(InstrumentResponse(person, "uwes-9", wave, when, answers))
    feedback = [
        MeetingFeedback(
            person,
            group.id,
            meeting.number,
            meeting.end,
            {
                "useful": rng.randint(3, 5),
                "heard": rng.randint(3, 5),
                "safe": 5,
                "online": rng.randint(2, 5),
            },
            comment="free text stays in the group",
        )
        for group in cohort.groups
        for meeting in group.meetings
        for person in meeting.attendance
        if person in peers
    ]
    study = StudyData(cohort.id, consents=consents, responses=responses, meeting_feedback=feedback)

    consenting = study.only_consenting(date(2015, 11, 30))
    print(f"{len(peers)} peers, {len({c.person for c in consenting.consents})} consenting")
    for scale in ("vigour", "dedication", "absorption", "total"):
        change = paired_change(consenting.responses, UWES9, scale=scale, seed=1)
        print(
            f"UWES-9 {scale:<10} n={change.n}  {change.mean_before:.2f} -> {change.mean_after:.2f}  "
            f"change {change.mean_change:+.2f} (95% CI {change.ci_low:+.2f} to {change.ci_high:+.2f}), "
            f"d_z {change.effect_size:.2f}"
        )

    # The key stays with the data controller; the same key gives the same
    # tokens in every export, so waves exported at different times still join.
    key = new_key()  # in practice: write_key_file() once, read_key_file() after
    export = pseudonymise(cohort, study, key=key, on=date(2015, 11, 30), months_only=True)
    written = export.write(folder)
    print(f"Wrote {len(written)} files to {folder}/: {', '.join(p.name for p in written[:4])}, ...")
    text = "".join(p.read_text(encoding="utf-8") for p in written)
    for personal in ("Peer 1-0", "free text stays", "@example.org"):
        assert personal not in text, "no personal data leaves"
    assert emessi.loads(emessi.dumps(study)) == study, "the study document round-trips"


if __name__ == "__main__":
    main()
