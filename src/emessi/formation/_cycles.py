"""Cyclic exchanges of three peers between three groups.

Peer x takes j1's place, j1 takes j2's, and j2 takes x's: every size stays,
and each of the three groups loses one peer and gains one, so the change of
the cost is the sum of three independent prices (one per group). Swaps
(two-cycles) are the local search's own move; a three-cycle finds the
improvements that need three groups at once, such as spreading sectors
while every group keeps its common slots. The search uses the gain
criterion of Lin and Kernighan: a cycle is extended only while its partial
sum is negative, which loses no improving cycle (some rotation of it has
every partial sum negative).
"""

from __future__ import annotations

from operator import add, sub

from emessi.formation._chains import Chains

__all__ = ["Cycles"]


class Cycles(Chains):
    """The three-cycle move and a pass of it."""

    def _arc(self, memo: dict[tuple[int, int], int | None], x: int, j: int) -> int | None:
        """The cost change of group(j) if x took j's place there (None: not allowed)."""
        key = (x, j)
        if key in memo:
            return memo[key]
        st = self.state
        h = st.group_of[j]
        self.evaluations += 1
        value: int | None = None
        if st.fits(x, h, without=j):
            ts = list(map(add, map(sub, st.ts[h], st.sc[j]), st.sc[x]))
            tl = list(map(add, map(sub, st.tl[h], st.lc[j]), st.lc[x]))
            rep = st.rep[h] + st.rep_swap(j, x, h)
            value = st.price(h, ts, tl, len(st.members[h]), rep) - st.local(h)
        memo[key] = value
        return value

    def cycle_pass(self, limit: int) -> list[int]:
        """Apply improving three-cycles, starting from up to *limit* peers; the peers touched.

        A peer is not tried in a group where it would block a common slot
        (a step that loses flexibility, a higher tier than the preferences
        these cycles mostly improve), so most groups are passed over after
        one bit operation.
        """
        st, p, rng = self.state, self.p, self.rng
        placed = [i for i in range(p.n_peers) if st.group_of[i] >= 0]
        if p.groups < 3 or len(placed) < 3:
            return []
        self._masks()
        starts = rng.sample(placed, min(limit, len(placed)))
        touched: list[int] = []
        memo: dict[tuple[int, int], int | None] = {}
        for x in starts:
            if self.evaluations >= self.budget:
                break
            found = self._cycle_from(memo, x)
            if found is None:
                continue
            j1, j2 = found
            groups = [st.group_of[x], st.group_of[j1], st.group_of[j2]]
            before = st.total()
            saved = [(st.slot[h], st.lang[h]) for h in groups]
            self._rotate(x, j1, j2)
            if st.total() < before:
                touched += [i for h in groups for i in st.members[h]]
                for h in groups:
                    self.common[h] = self._common(h)
                memo.clear()
                continue
            # shared staff made the prices inexact: undo
            self._rotate(j2, j1, x, back=True)
            for h, (slot, lang) in zip(groups, saved, strict=True):
                st.set_slot(h, slot)
                st.lang[h] = lang
        return touched

    def _cycle_from(
        self, memo: dict[tuple[int, int], int | None], x: int
    ) -> tuple[int, int] | None:
        """The best improving cycle x -> j1 -> j2 -> x, as (j1, j2), or None."""
        st, k = self.state, self.p.groups
        no, common, members = self.no_mask, self.common, st.members
        g = st.group_of[x]
        best, found = 0, None
        self.evaluations += 1 + k // 16  # a group is passed over with a bit operation
        for h1 in range(k):
            if h1 == g or no[x] & common[h1]:
                continue
            for j1 in members[h1]:
                first = self._arc(memo, x, j1)
                if first is None or first >= 0:
                    continue
                for h2 in range(k):
                    if h2 in (g, h1) or no[j1] & common[h2]:
                        continue
                    for j2 in members[h2]:
                        if no[j2] & common[g]:
                            continue
                        second = self._arc(memo, j1, j2)
                        if second is None or first + second >= 0:
                            continue
                        third = self._arc(memo, j2, x)
                        if third is not None and first + second + third < best:
                            best, found = first + second + third, (j1, j2)
        return found

    def _rotate(self, x: int, j1: int, j2: int, back: bool = False) -> None:
        """Peer x takes j1's place, j1 takes j2's, j2 takes x's; slots re-chosen."""
        st = self.state
        g, h1, h2 = st.group_of[x], st.group_of[j1], st.group_of[j2]
        for i in (x, j1, j2):
            st.remove(i)
        st.add(x, h1)
        st.add(j1, h2)
        st.add(j2, g)
        if not back:
            for h in (g, h1, h2):
                st.refresh(h)
