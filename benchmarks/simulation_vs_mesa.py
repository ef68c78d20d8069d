"""emessi's simulation against the same model written in Mesa, and a bare numpy kernel.

Issue 6's goals at 100,000 groups x 8 meetings x 6 peers: at least 60x
faster than Mesa, and within 1.5x of a bare numpy kernel of the same model.
The model, the emessi run and the bare kernel are those of
``simulation_vs_simpy.py`` (imported from beside this file); here the peer
is an agent-based model in Mesa 3: a ``Peer`` agent per peer, a ``Group``
agent per group, and one model step per meeting in which the groups act in
random order.

Run: python benchmarks/simulation_vs_mesa.py [GROUPS ...]   (default: 10000 100000)
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from simulation_vs_simpy import (
    CANCEL,
    HAZARD,
    MEETINGS,
    PEERS,
    REQUIRED,
    THRESHOLD,
    A,
    B,
    Stats,
    _columns,
    agreement,
    best_of,
    cpu,
    machine,
    run_bare,
    run_emessi,
    timed_peer,
)


def run_mesa(groups: int, seed: int) -> Stats:
    """The same model in Mesa: peers and groups as agents, a step per meeting."""
    import mesa

    class Peer(mesa.Agent):  # type: ignore[misc]
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.propensity = self.random.betavariate(A, B)
            self.active = True
            self.present = False

        def step(self) -> None:
            # called for the peers of a group that meets
            if self.active and self.random.random() < HAZARD:
                self.active = False
            self.present = self.active and self.random.random() < self.propensity

    class Group(mesa.Agent):  # type: ignore[misc]
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.peers = [Peer(model) for _ in range(PEERS)]
            self.held = self.present_sum = self.active_sum = 0

        def step(self) -> None:
            if self.random.random() < CANCEL:
                return
            for peer in self.peers:
                peer.step()
            present = sum(peer.present for peer in self.peers)
            self.held += present >= THRESHOLD
            self.present_sum += present
            self.active_sum += sum(peer.active for peer in self.peers)

    class Cohort(mesa.Model):  # type: ignore[misc]
        def __init__(self, groups: int, seed: int) -> None:
            super().__init__(seed=seed)
            for _ in range(groups):
                Group(self)

        def step(self) -> None:
            self.agents_by_type[Group].shuffle_do("step")

    model = Cohort(groups, seed)
    for _ in range(MEETINGS):
        model.step()
    rows = []
    for group in model.agents_by_type[Group]:
        rate = group.present_sum / group.active_sum if group.active_sum else math.nan
        dropped = sum(not peer.active for peer in group.peers)
        rows.append((group.held, group.held >= REQUIRED, dropped, rate))
    return _columns(rows)


def main(sizes: list[int]) -> None:
    import mesa

    print(f"machine: {machine()}, mesa {mesa.__version__}")
    print(f"times: {cpu.__doc__}")
    for groups in sizes:
        emessi_s, ours = best_of(5, run_emessi, groups)
        bare_s, floor = best_of(5, run_bare, groups)
        probe_groups = min(groups, 5000)
        probe, _ = best_of(1, run_mesa, probe_groups)
        mesa_s, theirs, how = timed_peer(run_mesa, groups, probe / probe_groups)
        print(f"\n{groups:,} groups x {MEETINGS} meetings x {PEERS} peers")
        print(f"  emessi.simulate  {emessi_s:9.3f} s  (best of 5)")
        print(f"  bare numpy       {bare_s:9.3f} s  (best of 5)")
        print(f"  Mesa             {mesa_s:9.3f} s  ({how})")
        print(f"  Mesa / emessi    {mesa_s / emessi_s:9.1f} x   (goal >= 60 at 100,000 groups)")
        print(f"  emessi / bare    {emessi_s / bare_s:9.2f} x   (goal <= 1.5)")
        print(f"  emessi vs bare:  {agreement(ours, floor)}")
        print(f"  emessi vs Mesa:  {agreement(ours, theirs)}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000])
