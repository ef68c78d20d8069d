"""What the parts of the formation heuristic share: problem, state, dice, budget."""

from __future__ import annotations

import random

from emessi.formation._problem import Problem
from emessi.formation._state import State

__all__ = ["ALL_GROUPS", "SAMPLE", "Base"]

#: Above this many groups, a peer's neighbourhood is a sample of groups.
ALL_GROUPS = 40
#: Groups sampled per peer (mostly from the peer's good slots) when sampling.
SAMPLE = 16


class Base:
    """The problem, the search state, the random source and the work budget.

    Work is counted in priced moves, not seconds, so that the result does
    not depend on the machine or its load.
    """

    #: The search's budget: evaluations per peer, on top of a base.
    PER_PEER = 120
    #: See PER_PEER.
    BASE = 150_000

    def __init__(self, problem: Problem, seed: int, effort: float) -> None:
        self.p = problem
        self.rng = random.Random(seed)
        self.state = State(problem)
        self.effort = effort
        self.evaluations = 0
        n = problem.n_peers
        # half as much per peer beyond the first thousand, to keep large
        # pools (5,000 applicants) within seconds
        per_peer = self.PER_PEER * min(n, 1000) + self.PER_PEER // 2 * max(0, n - 1000)
        self.budget = int(effort * (self.BASE + per_peer))
        #: The budget of the search proper (the final phases have reserves past it).
        self.search_budget = self.budget
        self.found_at = 0
        #: A lower bound on the cost: the search stops when it reaches it.
        self.floor = 0
        #: The rigid slots counted in the floor.
        self.rigid_floor = 0

    def _candidates(self, i: int, slot: int = -1) -> list[int]:
        """Groups to try peer i in: all of them, or a sample biased to good slots."""
        st, p, rng = self.state, self.p, self.rng
        if p.groups <= ALL_GROUPS:
            return list(range(p.groups))
        chosen = [rng.randrange(p.groups) for _ in range(SAMPLE // 4)]
        if st.has_slots:
            costs = st.sc[i]
            good = [s for s in range(st.S) if costs[s] == 0 and st.at_slot[s]]
            if slot >= 0:
                # a partner for a group moving to *slot* should attend it
                good = [s for s in range(st.S) if st.at_slot[s]]
            for _ in range(SAMPLE - len(chosen)):
                if not good:
                    break
                bucket = st.at_slot[good[rng.randrange(len(good))]]
                chosen.append(bucket[rng.randrange(len(bucket))])
        else:
            chosen += [rng.randrange(p.groups) for _ in range(SAMPLE // 2)]
        return chosen

    def _outside(self) -> list[int]:
        st = self.state
        outside = [i for i in range(self.p.n_peers) if st.group_of[i] < 0]
        if len(outside) > SAMPLE:
            return self.rng.sample(outside, SAMPLE)
        return outside

    def _together(self, a: int, b: int) -> bool:
        """Whether peers a and b may share a group."""
        p = self.p
        if p.separate and p.org[a] >= 0 and p.org[a] == p.org[b]:
            return False
        return b not in p.conflicts[a]

    def _swap_fits(self, f: int, g: int, f2: int, h: int) -> bool:
        """Whether staff members f (of g) and f2 (of h) may swap groups."""
        p, st = self.p, self.state
        for person, group in ((f2, g), (f, h)):
            for other in p.conflicts[person]:
                if other < p.n_peers:
                    if st.group_of[other] == group:
                        return False
                elif other in st.staff[group] and other not in (f, f2):
                    return False
        return True
