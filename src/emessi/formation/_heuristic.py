"""The formation heuristic: greedy construction, then iterated local search.

Deterministic for a given seed: every random choice comes from one
``random.Random(seed)``, and every loop runs over lists of integer indices
(never over sets of strings, whose order depends on hash randomisation).
The work done is bounded by counts of evaluated moves, not by the clock, so a
slow machine gets the same groups as a fast one.
"""

from __future__ import annotations

from collections import deque
from operator import add, sub

from emessi.formation._compound import Compound
from emessi.formation._construct import Construction
from emessi.formation._crew import Crew
from emessi.formation._pairs import Pairs
from emessi.formation._problem import Problem, Solution
from emessi.formation._staffed import Staffed

__all__ = ["solve"]


class _Search(Construction, Compound, Pairs, Staffed, Crew):
    """Local search over moves and swaps, iterated with kicks and restarts."""

    #: A run stops after this many evaluations per peer without improving.
    STALL = 200
    #: Up to this many peers, every peer's moves and swaps are tried now and then.
    SWEEP = 120
    #: Trades tried per round: this many over the number of groups (at least 8).
    TRADES = 400
    #: The final polish's budget: evaluations per peer (plus 100), at most
    #: 1 / SHARE of the search's.
    POLISH = 250
    #: Pairs of groups regrouped per round of the polish, at most.
    PAIRS = 2_000
    #: See POLISH.
    SHARE = 4
    #: The final polish's budget at most (many groups: the search needs the time).
    POLISH_MAX = 100_000
    #: The flow pass's reserve after the search: evaluations per peer (plus 100).
    FLOW = 600
    #: The last cyclic exchanges' budget: evaluations per peer (plus 100) ...
    PREFER = 100
    #: ... and at most this many (see :meth:`_prefer`).
    PREFER_MAX = 60_000
    sweep = False

    def unhappy(self, i: int) -> bool:
        """Whether peer i has a cost of their own where they are (or no group)."""
        st = self.state
        g = st.group_of[i]
        if g < 0:
            return True
        if st.sc[i][st.slot[g]] or st.lc[i][st.lang[g]] or st.dev[len(st.members[g])]:
            return True
        if bool(st.vals) and st.rep_out(i, g) < 0:
            return True
        return st.blocks(i, g)

    def improve(self, i: int) -> tuple[int, int]:
        """Apply the best improving move or swap of peer i; the two groups it touched.

        This is the hot loop: the sums of the peer's own group without the
        peer, and of each candidate group with the peer, are computed once,
        so a swap costs a few vector operations of length slots + languages.
        """
        st, p = self.state, self.p
        g = st.group_of[i]
        ci, li = st.sc[i], st.lc[i]
        members, dev, wdiv, wbal = st.members, st.dev, st.w_div, st.w_bal
        diverse = bool(st.vals)
        wrig, tno = st.w_rig, st.t_no
        sc, lc, fits, rep_swap = st.sc, st.lc, st.fits, st.rep_swap
        best, kind, other = 0, -1, -1
        evaluations = 0
        gts: list[int] = []
        gtl: list[int] = []
        gbv = None
        base_g = size_g = rep_g = 0
        # What i pays for g's slot and language; a swap partner who pays as
        # much there cannot make g cheaper, so it is not priced (most are not).
        mine = -1
        if g >= 0:
            gs, gl = st.slot[g], st.lang[g]
            mine = ci[gs] + li[gl]
            if not mine and (st.dev[len(members[g])] or (diverse and st.rep_out(i, g))):
                mine = -1  # i is here for size or diversity: try every partner
            elif self.sweep or st.blocks(i, g):
                mine = -1  # i alone keeps a slot of g from being common: likewise
            base_g = st.local(g)
            gts = list(map(sub, st.ts[g], ci))
            gtl = list(map(sub, st.tl[g], li))
            gbv = st.bv[g]
            size_g, rep_g = len(members[g]), st.rep[g]
            can_leave = size_g > p.lo
            leave = 0
            if can_leave:
                leave = st.price(g, gts, gtl, size_g - 1, rep_g + st.rep_out(i, g)) - base_g
            if can_leave and leave + st.w_un < 0:
                # leaving i without a group is cheaper than i's place (low weight)
                delta = leave + st.w_un + wbal * st.balance_change(g, -1)
                evaluations += 1
                if delta < best:
                    best, kind, other = delta, 0, -1
        else:
            can_leave, leave = True, -st.w_un
        for h in self._candidates(i):
            if h == g:
                continue
            base_h = st.local(h)
            hts = list(map(add, st.ts[h], ci))
            htl = list(map(add, st.tl[h], li))
            hbv = st.bv[h]
            size_h, rep_h = len(members[h]), st.rep[h]
            fits_h = st.fits(i, h)
            if can_leave and fits_h and size_h < p.hi:
                delta = leave + st.price(h, hts, htl, size_h + 1, rep_h + st.rep_in(i, h))
                delta -= base_h
                if wbal:
                    delta += wbal * st.balance_change(g, h)
                evaluations += 1
                if delta < best:
                    best, kind, other = delta, 0, h
            for j in members[h]:
                if mine >= 0 and sc[j][gs] + lc[j][gl] >= mine:
                    continue
                if not fits_h and not fits(i, h, without=j):
                    continue
                if g >= 0 and not fits(j, g, without=i):
                    continue
                evaluations += 1
                cj, lj = sc[j], lc[j]
                if wrig:
                    v = list(map(sub, hts, cj))
                    delta = min(v) if hbv is None else min(map(add, v, hbv))
                    delta += wrig * sum(map(tno.__le__, v))
                elif hbv is None:
                    delta = min(map(sub, hts, cj))
                else:
                    delta = min(map(add, map(sub, hts, cj), hbv))
                delta += min(map(sub, htl, lj)) + dev[size_h] - base_h
                if diverse:
                    delta += wdiv * (rep_h + rep_swap(j, i, h))
                if g >= 0:
                    if wrig:
                        v = list(map(add, gts, cj))
                        delta += min(v) if gbv is None else min(map(add, v, gbv))
                        delta += wrig * sum(map(tno.__le__, v))
                    elif gbv is None:
                        delta += min(map(add, gts, cj))
                    else:
                        delta += min(map(add, map(add, gts, cj), gbv))
                    delta += min(map(add, gtl, lj)) + dev[size_g] - base_g
                    if diverse:
                        delta += wdiv * (rep_g + rep_swap(i, j, g))
                if delta < best:
                    best, kind, other = delta, 1, j
        if g >= 0 and st.unassigned:
            for j in self._outside():
                found = st.swap_delta(i, j)
                evaluations += 1
                if found is not None and found < best:
                    best, kind, other = found, 1, j
        self.evaluations += evaluations
        if kind < 0:
            return self._eject(i) if g < 0 else (-1, -1)
        if kind == 0:
            st.move(i, other)
            return (g, other)
        h = st.group_of[other]
        st.swap(i, other)
        return (g, h)

    def descend(self, queue: list[int]) -> None:
        """Local search until no unhappy peer in the queue has an improving move."""
        st, n = self.state, self.p.n_peers
        todo = deque(queue)
        queued = [False] * n
        for i in queue:
            queued[i] = True
        while todo and self.evaluations < self.budget:
            i = todo.popleft()
            queued[i] = False
            if not (self.sweep or self.unhappy(i)):
                continue
            for g in self.improve(i):
                if g < 0:
                    continue
                for j in st.members[g]:
                    if not queued[j]:
                        queued[j] = True
                        todo.append(j)

    def kick(self, strength: int) -> list[int]:
        """Perturb: random feasible swaps between a costly group and others."""
        st, p, rng = self.state, self.p, self.rng
        touched: list[int] = []
        costly = [g for g in range(p.groups) if st.local(g) > 0]
        for _ in range(strength):
            g = costly[rng.randrange(len(costly))] if costly else rng.randrange(p.groups)
            h = rng.randrange(p.groups)
            if g == h or not st.members[g] or not st.members[h]:
                continue
            i = st.members[g][rng.randrange(len(st.members[g]))]
            j = st.members[h][rng.randrange(len(st.members[h]))]
            if st.swap_delta(i, j) is not None:
                st.swap(i, j)
            elif not self._double_swap(i, j):
                continue
            touched += [x for x in (g, h) if x not in touched]
        return [i for g in touched for i in st.members[g]]

    def shift(self, strength: int) -> list[int]:
        """Perturb sizes: move random peers to random groups with room; the peers touched."""
        st, p, rng = self.state, self.p, self.rng
        touched: list[int] = []
        for _ in range(strength):
            i = rng.randrange(p.n_peers)
            g, h = st.group_of[i], rng.randrange(p.groups)
            if g == h or st.move_delta(i, h) is None:
                continue
            st.move(i, h)
            touched += [x for x in (g, h) if x >= 0 and x not in touched]
        return [i for g in touched for i in st.members[g]]

    def _climb(self, jitter: bool) -> tuple[Solution, int]:
        """One run: construct, descend, then iterated local search until it stalls."""
        st, p, rng = self.state, self.p, self.rng
        n = p.n_peers
        self.construct(jitter)
        self.descend(rng.sample(range(n), n))
        for _ in range(3):
            if not self.staff_pass() or self.evaluations >= self.budget:
                break
            self.descend(rng.sample(range(n), n))
        best, best_cost = st.solution(), st.total()
        last = self.evaluations
        stall = max(20_000, self.STALL * n)
        round_ = 0
        while best_cost > self.floor and self.evaluations < self.budget:
            if self.evaluations - last > stall:
                break
            round_ += 1
            self.evaluations += 10 + p.groups  # the round's bookkeeping, so it always ends
            if round_ % 4 == 0:
                self.descend(self.regroup_pass())
            elif round_ % 4 == 2 and st.w_rig:
                self.descend(self.flex_pass())
            else:
                self.descend(self.kick(rng.randint(1, 3)))
            cost = st.total()
            if cost < best_cost:
                best, best_cost = st.solution(), cost
                last = self.evaluations
            elif cost > best_cost:
                st.load(best)
        return best, best_cost

    def run(self) -> Solution:
        """Search the higher tiers and the preferences, then schedule flexibility.

        Rigid slots (the fourth tier) make every group's cost depend on all
        its members' answers at once, which hides the moves that matter
        for the higher tiers. So the first cycle climbs without them, then,
        from that formation, runs iterated local search with them, which
        never gives up anything of a higher tier. Later cycles alternate:
        the best formation shaken hard (rigid slots opened whatever it
        costs, staff swapped) and searched again; and a climb with rigid
        slots counted from a jittered construction, to reach formations
        far from the first. The best then gets rigid slots opened by
        maximum flows (:meth:`_open_by_flow`) and is polished
        (:meth:`_polish`).
        """
        st, p = self.state, self.p
        if not st.w_rig:
            return self._restarts()
        w_rig, floor = st.w_rig, self.floor
        best: Solution | None = None
        best_cost = 0
        cycle = 0
        while best is None or (best_cost > floor and self.evaluations < self.budget):
            cycle += 1
            if best is None:
                st.w_rig, self.floor = 0, floor - w_rig * self.rigid_floor
                first, _ = self._climb(jitter=False)
                st.w_rig, self.floor = w_rig, floor
                st.load(first)
            elif cycle % 2:
                st.load(best)
                touched = self.force(max(2, p.groups // 3))
                for _ in range(max(1, p.groups // 4)):
                    touched += self.staff_kick()
                self.descend(touched)
            else:
                first, _ = self._climb(jitter=True)
                st.load(first)
            solution = self._flexible(st.solution())
            cost = st.total()
            if best is None or cost < best_cost:
                best, best_cost = solution, cost
                self.found_at = self.evaluations
        st.load(best)
        best, best_cost = self._open_by_flow(best, best_cost)
        return self._polish(best, best_cost)

    def _open_by_flow(self, best: Solution, best_cost: int) -> tuple[Solution, int]:
        """Open rigid slots by maximum flows (:meth:`flow_pass`) while any opens.

        In a reserve of its own, past the search's budget: at 200
        applicants one pass opens two to nine more slots than the search
        left, which CP-SAT hinted with the search's answer did not find in
        30 s. Not beyond :attr:`DEEP_GROUPS` groups: the graph has an edge
        for each peer and each group they could join, and is built again
        after each slot opened (at 5,000 applicants that took over a
        minute).
        """
        st, p = self.state, self.p
        if best_cost <= self.floor or not st.w_rig or p.groups > self.DEEP_GROUPS:
            return best, best_cost
        self.budget = self.evaluations + int(self.effort * self.FLOW * (p.n_peers + 100))
        while self.evaluations < self.budget:
            touched = self.flow_pass()
            if not touched:
                break
            self.descend(touched)
            cost = st.total()
            if cost >= best_cost:
                break
            best, best_cost = st.solution(), cost
        st.load(best)
        return best, best_cost

    def _polish(self, best: Solution, best_cost: int) -> Solution:
        """Regroup every pair of groups optimally, and cyclic exchanges, while they improve.

        Then again for the pairs with a group that changed. Past the ILS's
        budget, in a reserve of its own; each round must lower the cost.
        Then flows open rigid slots again, and :meth:`_prefer` finishes.
        """
        st, p = self.state, self.p
        if best_cost <= self.floor:
            return best
        reserve = min(
            self.effort * self.POLISH * (p.n_peers + 100), self.search_budget / self.SHARE
        )
        reserve = min(reserve, self.effort * self.POLISH_MAX)
        self.budget = self.evaluations + int(reserve)
        among: list[int] | None = None
        while self.evaluations < self.budget:
            touched = self.pair_pass(min(p.groups * p.groups, self.PAIRS), among)
            touched += self.cycle_pass(p.n_peers)
            self.descend(touched)
            cost = st.total()
            if cost >= best_cost:
                break
            best, best_cost = st.solution(), cost
            among = sorted({st.group_of[i] for i in touched if st.group_of[i] >= 0})
        st.load(best)
        # the regrouped pairs can leave slots a flow opens again
        best, best_cost = self._open_by_flow(best, best_cost)
        return self._prefer(best, best_cost)

    def _prefer(self, best: Solution, best_cost: int) -> Solution:
        """Last, the preferences and the staff over every group at once, while they improve.

        The exact passes first (negative cycles of the preferences' and of
        each role's staffing flow, :mod:`._cancel` and :mod:`._crew`), then
        the paired re-staffing and staff swaps, then cyclic exchanges of
        three or four peers, which also move peers across common slots.
        The polish's regrouping of pairs spends its budget on pools of a
        few hundred, so this phase has a reserve of its own. Each step
        lowers the whole lexicographic cost, so no higher tier is given up.
        Not beyond :attr:`DEEP_GROUPS` groups: there one cycle's search
        scans every group at each step and alone can cost more than the
        reserve (the budget is checked between steps).
        """
        st, p = self.state, self.p
        if best_cost <= self.floor or p.groups > self.DEEP_GROUPS:
            return best
        reserve = self.effort * min(self.PREFER * (p.n_peers + 100), self.PREFER_MAX)
        self.budget = self.evaluations + int(reserve)
        while self.evaluations < self.budget:
            # the two exact passes leave nothing for a descent in their
            # neighbourhoods; only the cyclic exchanges are followed by one
            if self.cancel_pass() + self.crew_pass():
                continue
            if self.crew_pair_pass() or self.swap_cancel_pass():
                continue
            touched = self.cycle_pass(p.n_peers)
            if not touched:
                break
            self.descend(touched)
        if st.total() < best_cost:
            return st.solution()
        st.load(best)
        return best

    def _flexible(self, best: Solution) -> Solution:
        """Iterated local search with rigid slots counted, from *best*, until it stalls."""
        st, p, rng = self.state, self.p, self.rng
        n = p.n_peers
        self.descend(rng.sample(range(n), n))
        self._chain_descent()
        best, best_cost = st.solution(), st.total()
        last = self.evaluations
        stall = max(20_000, self.STALL * n)
        round_ = 0
        while best_cost > self.floor and self.evaluations < self.budget:
            if self.evaluations - last > stall:
                break
            round_ += 1
            self.evaluations += 10 + p.groups
            if round_ % 4 == 1:
                self._chain_descent()
            elif round_ % 8 == 7:
                self.descend(self.pair_pass(p.groups))
            elif round_ % 4 == 3:
                self.descend(self.trade_pass(max(8, self.TRADES // p.groups)))
                self._chain_descent()
            elif round_ % 2:
                self.descend(self.flex_pass())
            elif round_ % 16 == 8 and n <= self.SWEEP:
                self.sweep = True
                self.descend(rng.sample(range(n), n))
                self.sweep = False
            elif round_ % 8 == 0:
                self.descend(self.regroup_pass())
            elif round_ % 8 == 4:
                self.staff_pass()
                self.descend(rng.sample(range(n), n))
            elif round_ % 16 == 2:
                self.descend(self.kick(rng.randint(1, 3)))
            elif round_ % 8 == 6:
                self.descend(self.staff_kick())
                self._chain_descent()
            elif round_ % 4 == 2:
                self.descend(self.force(rng.randint(1, 2)))
                self._chain_descent()
            else:
                self.descend(self.shift(rng.randint(1, 6)))
            cost = st.total()
            if cost < best_cost:
                best, best_cost = st.solution(), cost
                last = self.evaluations
            elif cost > best_cost:
                st.load(best)
        st.load(best)
        return best

    def _chain_descent(self) -> None:
        """Chain passes while they open slots, then cyclic exchanges while they improve.

        Each pass is followed by local search from the peers it touched.
        """
        while self.evaluations < self.budget:
            touched = self.chain_pass() or self.staffed_pass() or self.crew_pass()
            if not touched:
                break
            self.descend(touched)
        while self.evaluations < self.budget:
            touched = self.cycle_pass(self.p.n_peers)
            if not touched:
                break
            self.descend(touched)

    def _restarts(self) -> Solution:
        """Restart from jittered constructions until the budget is spent; the best."""
        st, p, rng = self.state, self.p, self.rng
        n = p.n_peers
        best, best_cost = self._climb(jitter=False)
        self.found_at = self.evaluations
        while best_cost > self.floor and self.evaluations < self.budget:
            solution, cost = self._climb(jitter=True)
            if cost < best_cost:
                best, best_cost = solution, cost
                self.found_at = self.evaluations
        st.load(best)
        if self.staff_pass():
            self.descend(rng.sample(range(n), n))
            if st.total() < best_cost:
                best = st.solution()
        return best


def solve(
    problem: Problem, *, seed: int = 0, effort: float = 1.0, floor: int = 0, rigid_floor: int = 0
) -> Solution:
    """A good solution found by greedy construction and iterated local search.

    The search stops early once its cost reaches *floor*, a lower bound
    that counts *rigid_floor* rigid slots.
    """
    search = _Search(problem, seed, effort)
    search.floor, search.rigid_floor = floor, rigid_floor
    return search.run()
