"""Another sector in a few lines: e-peer groups for sole entrepreneurs.

The eMessi method is not bound to a sector (eMessi2 source text). Here a
profile for online peer groups of sole entrepreneurs is made from the eMessi
profile by changing only what differs: larger groups (4-10), meetings every
3-8 weeks, no observer, and no workplace-size target (an entrepreneur works
alone by definition). A group that breaks eMessi's numbers fits its own.

Run: python examples/another_sector.py
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

import emessi
from emessi import Bounds, Group, Meeting, Membership, Role

entrepreneurs = emessi.register_profile(
    attrs.evolve(
        emessi.get_profile("emessi"),
        name="entrepreneurs",
        title="E-peer groups for sole entrepreneurs",
        sector="entrepreneurs",
        description="Online peer groups of 4-10 sole entrepreneurs with a facilitator.",
        peers=Bounds(preferred=(6, 10), allowed=(4, 12)),
        interval_days=Bounds(preferred=(21, 56), allowed=(14, 92)),
        observers=Bounds(preferred=(0, 0), allowed=(0, 1)),
        observer_required=False,
        disabled_rules=["workplace-size"],
    )
)

start = datetime(2026, 1, 13, 8, 0, tzinfo=ZoneInfo("Europe/Helsinki"))  # breakfast meetings
group = Group(
    "yrittajat-01",
    "Sole entrepreneurs, Tampere",
    memberships=[Membership(f"e-{i:02d}") for i in range(1, 10)]  # 9 peers
    + [Membership("f-01", Role.FACILITATOR)],  # a facilitator, no observer
    meetings=[
        Meeting(n, start + timedelta(weeks=7 * (n - 1)), timedelta(minutes=90))
        for n in range(1, 8)  # every seven weeks
    ],
)

for profile in ("emessi", "entrepreneurs"):
    report = emessi.validate(group, profile)
    print(f"Under the {profile} profile: {report}\n")

# The profile is data: save it as TOML and load it back, ready to share or to
# ship as a plug-in through the `emessi.profiles` entry-point group.
text = emessi.dumps(entrepreneurs, syntax="toml")
print("The profile as TOML (first lines):")
print("\n".join(text.splitlines()[:6]))
assert emessi.loads(text, syntax="toml") == entrepreneurs
assert emessi.validate(group, "entrepreneurs").ok
assert not emessi.validate(group, "emessi").ok
