"""Cyclic exchanges of three or four peers between as many groups.

Peer x takes j1's place, j1 takes j2's, and so on, and the last takes x's:
every size stays, and each group of the cycle loses one peer and gains one,
so the change of the cost is the sum of independent prices (one per group). Swaps
(two-cycles) are the local search's own move; a longer cycle finds the
improvements that need three or four groups at once, such as spreading sectors
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
    """The cyclic exchange move and a pass of it."""

    #: The longest cycle tried, in peers (each in its own group).
    DEPTH = 4
    #: Above this many groups, cycles of three only (each step scans the groups).
    DEEP_GROUPS = 64

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
        """Apply improving cyclic exchanges, starting from up to *limit* peers; the peers touched.

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
            cycle = self._cycle_from(memo, x)
            if cycle is None:
                continue
            groups = [st.group_of[i] for i in cycle]
            before = st.total()
            saved = [(st.slot[h], st.lang[h]) for h in groups]
            self._rotate(cycle, groups)
            if st.total() < before:
                touched += [i for h in groups for i in st.members[h]]
                for h in groups:
                    self.common[h] = self._common(h)
                memo.clear()
                continue
            # shared staff made the prices inexact: undo
            self._rotate(cycle, groups, back=True)
            for h, (slot, lang) in zip(groups, saved, strict=True):
                st.set_slot(h, slot)
                st.lang[h] = lang
        return touched

    def _cycle_from(self, memo: dict[tuple[int, int], int | None], x: int) -> list[int] | None:
        """The best improving cycle from x through distinct groups: its peers, or None.

        x takes the second peer's place, that peer the third's, and so on;
        the last takes x's. Cycles of three peers up to :attr:`DEPTH`
        (three above :attr:`DEEP_GROUPS` groups).
        """
        st, k = self.state, self.p.groups
        no, common, members = self.no_mask, self.common, st.members
        g = st.group_of[x]
        best: list[int] = [0]
        found: list[list[int]] = []
        self.evaluations += 1 + k // 16  # a group is passed over with a bit operation

        def extend(path: list[int], used: list[int], partial: int) -> None:
            last = path[-1]
            for h in range(k):
                if h in used or no[last] & common[h]:
                    continue
                for j in members[h]:
                    key = (last, j)
                    step = memo[key] if key in memo else self._arc(memo, last, j)
                    if step is None or partial + step >= 0:
                        continue
                    if len(path) >= 2 and not no[j] & common[g]:
                        key = (j, x)
                        close = memo[key] if key in memo else self._arc(memo, j, x)
                        if close is not None and partial + step + close < best[0]:
                            best[0] = partial + step + close
                            found[:] = [[*path, j]]
                    if len(path) < depth - 1:
                        extend([*path, j], [*used, h], partial + step)

        depth = self.DEPTH if k <= self.DEEP_GROUPS else 3
        extend([x], [g], 0)
        return found[0] if found else None

    def _rotate(self, cycle: list[int], groups: list[int], back: bool = False) -> None:
        """Each peer of *cycle* takes the next one's place, the last the first's.

        With *back*, everyone returns to *groups*, where they were (slots are
        then restored by the caller).
        """
        st = self.state
        for i in cycle:
            st.remove(i)
        for n, i in enumerate(cycle):
            st.add(i, groups[n] if back else groups[(n + 1) % len(cycle)])
        if not back:
            for h in groups:
                st.refresh(h)
