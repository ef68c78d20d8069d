"""The main demo: an eMessi2-like cohort of 11 groups, validated and saved.

eMessi2 (Humak University of Applied Sciences, 2013-2015) ran 11 closed
online groups of 5-6 peers from small NGOs, each with a facilitator and an
observer, meeting 6-8 times about monthly. This script builds such a cohort
(``emessi.demo.emessi2_cohort`` shows how, with the public API), validates it
against the eMessi method, prints a summary, and saves it as JSON and TOML.

Run: python examples/emessi2_cohort.py [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import emessi
from emessi.demo import emessi2_cohort


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    cohort = emessi2_cohort()

    report = emessi.validate(cohort)
    print(f"Validation against the {cohort.profile} profile: {report}")

    peers = [sum(1 for _ in g.members(emessi.Role.PEER)) for g in cohort.groups]
    meetings = [sum(m.active for m in g.meetings) for g in cohort.groups]
    last = max(m.start for g in cohort.groups for m in g.meetings)
    print(f"{len(cohort.groups)} groups, {sum(peers)} peers ({min(peers)}-{max(peers)} a group)")
    print(
        f"{sum(meetings)} meetings ({min(meetings)}-{max(meetings)} a group), the last on {last:%Y-%m-%d}"
    )

    # The same cohort under another sector's profile: Verme (teachers).
    print(f"Under the verme profile: {emessi.validate(cohort, 'verme').summary()}")

    for name in ("emessi2_cohort.json", "emessi2_cohort.toml"):
        path = emessi.dump(cohort, folder / name)
        assert emessi.load(path) == cohort, "the round trip must be lossless"
        print(f"Saved {path} ({path.stat().st_size:,} bytes) and read it back unchanged.")
    report.raise_for_errors()


if __name__ == "__main__":
    main()
