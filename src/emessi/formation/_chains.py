"""Ejection chains that make one more slot common without losing any other.

A group's *common slots* are those no member answered *no* to. To make slot
*s* common in group *g*, every peer of *g* who answered *no* to *s* must
leave, and whoever takes a place must keep the common slots of the group
they join. A breadth-first search finds, for each such peer, a chain: the
peer takes someone's place in another group, that person takes another's,
and so on, until one ends in a group with room, or back in *g* (a cyclic
exchange, which keeps every size). Every other group keeps its common
slots, language and a size within the preferred range, so the schedule
gains at least one common slot, and nothing of a higher tier is lost; the
exact cost decides in the end.
"""

from __future__ import annotations

from collections import deque

from emessi.formation._base import Base

__all__ = ["Chains"]


class Chains(Base):
    """The chain move and a pass of it over every group's rigid slots."""

    #: A slot is tried only when at most this many peers of the group block it.
    BLOCKERS = 3
    #: Peers expanded per breadth-first search, at most.
    REACH = 400
    #: Chains of the shortest length compared, at most (fewest repeats wins).
    CHOICES = 8

    def _masks(self) -> None:
        """Each person's 'no' slots and each group's common slots, as bit masks."""
        st = self.state
        t = st.t_no
        self.no_mask = [sum(1 << s for s, c in enumerate(row) if c >= t) for row in st.sc]
        self.common = [self._common(g) for g in range(self.p.groups)]

    def _common(self, g: int) -> int:
        t = self.state.t_no
        return sum(1 << s for s, c in enumerate(self.state.ts[g]) if c < t)

    def chain_pass(self) -> list[int]:
        """Try to make each rigid slot of each group common; the peers touched."""
        st, p, rng = self.state, self.p, self.rng
        touched: list[int] = []
        if not st.w_rig:
            return touched
        self._masks()
        order = list(range(p.groups))
        rng.shuffle(order)
        for g in order:
            if self.evaluations >= self.budget:
                break
            staff_no = 0
            for f in st.staff[g]:
                staff_no |= self.no_mask[f]
            rigid = [s for s in range(st.S) if not self.common[g] >> s & 1]
            rng.shuffle(rigid)
            for s in rigid:
                if staff_no >> s & 1:
                    continue
                groups = self._open(g, s)
                if groups:
                    for h in groups:
                        self.common[h] = self._common(h)
                    touched += [i for h in groups for i in st.members[h] if i not in touched]
        return touched

    def _open(self, g: int, s: int) -> list[int]:
        """Make slot s common in g by ejection chains; the groups changed (empty: none)."""
        st, p = self.state, self.p
        bit = 1 << s
        blockers = [i for i in st.members[g] if self.no_mask[i] & bit]
        if not blockers or len(blockers) > self.BLOCKERS:
            return []
        sizes = [len(m) for m in st.members]
        # sizes stay within the preferred range, or no further from it
        low = [max(p.lo, min(n, p.pref_lo)) for n in sizes]
        high = [min(p.hi, max(n, p.pref_hi)) for n in sizes]
        target = list(self.common)
        target[g] |= bit
        saved = {h: (st.slot[h], st.lang[h]) for h in range(p.groups)}
        changed: set[int] = {g}
        done: list[list[tuple[int, int, int]]] = []
        before = -1
        for b in blockers:
            path = self._path(b, g, target, low, high)
            if path is None:
                break
            if before < 0:
                before = st.total()
            self._apply(path)
            done.append(path)
            for _, frm, to in path:
                changed.update((frm, to))
        if len(done) == len(blockers):
            for h in changed:
                st.refresh(h)
            if st.total() < before:
                return sorted(changed)
        for path in reversed(done):
            self._apply([(i, to, frm) for i, frm, to in reversed(path)])
        for h in changed:
            old_slot, old_lang = saved[h]
            st.set_slot(h, old_slot)
            st.lang[h] = old_lang
        return []

    def _apply(self, path: list[tuple[int, int, int]]) -> None:
        """Move every (peer, from, to) of a chain at once (slots re-chosen later)."""
        st = self.state
        for i, _, _ in path:
            st.remove(i)
        for i, _, to in path:
            st.add(i, to)

    def _path(
        self, b: int, g: int, target: list[int], low: list[int], high: list[int]
    ) -> list[tuple[int, int, int]] | None:
        """A chain that takes peer b out of g: (peer, from, to) steps, or None.

        A chain visits a group at most once, so the separation checks made
        for each step against the group's current members stay true.
        """
        st, p = self.state, self.p
        sizes = [len(m) for m in st.members]
        lang, lc, no = st.lang, st.lc, self.no_mask
        # peer -> (the peer who takes its place, the group), b: (-1, g)
        parent: dict[int, tuple[int, int]] = {b: (-1, g)}
        depth = {b: 0}
        queue = deque([b])
        expanded = 0
        can_shrink = sizes[g] - 1 >= low[g]
        found: list[tuple[int, int, list[tuple[int, int, int]]]] = []
        while queue and expanded < self.REACH:
            x = queue.popleft()
            if found and (depth[x] > found[0][1] or len(found) >= self.CHOICES):
                break
            expanded += 1
            # a group is checked with a few bit operations: about a tenth
            # of a priced move, so a peer's expansion counts as one
            self.evaluations += 1 + p.groups // 16
            home = st.group_of[x]
            visited = self._groups_on(parent, x)
            mask, lx = no[x], lc[x]
            for h in range(p.groups):
                if h in visited and h != g:
                    continue
                if h == home:
                    continue
                if mask & target[h] or lx[lang[h]] > lx[lang[home]]:
                    continue
                if h == g:  # back where the chain started: a cyclic exchange
                    if st.fits(x, g, without=b):
                        self._found(found, parent, x, g, depth[x])
                    continue
                if sizes[h] < high[h] and can_shrink and st.fits(x, h):
                    self._found(found, parent, x, h, depth[x])
                    continue
                for j in st.members[h]:
                    if j in parent or not st.fits(x, h, without=j):
                        continue
                    parent[j] = (x, h)
                    depth[j] = depth[x] + 1
                    queue.append(j)
        if not found:
            return None
        return min(found, key=lambda item: item[0])[2]

    def _found(
        self,
        found: list[tuple[int, int, list[tuple[int, int, int]]]],
        parent: dict[int, tuple[int, int]],
        last: int,
        end: int,
        depth: int,
    ) -> None:
        """Record a chain with its change of diversity repeats (the tiebreak)."""
        st = self.state
        steps = self._trace(parent, last, end)
        leaving = {frm: i for i, frm, _ in steps}
        change = 0
        for i, _, to in steps:
            out = leaving.pop(to, -1)
            change += st.rep_swap(out, i, to) if out >= 0 else st.rep_in(i, to)
        for frm, i in leaving.items():  # a group that only loses a peer
            change += st.rep_out(i, frm)
        found.append((change, depth, steps))

    @staticmethod
    def _groups_on(parent: dict[int, tuple[int, int]], x: int) -> list[int]:
        """The groups the chain up to peer x has passed through."""
        groups = []
        while x >= 0:
            x, h = parent[x]
            groups.append(h)
        return groups

    def _trace(
        self, parent: dict[int, tuple[int, int]], last: int, end: int
    ) -> list[tuple[int, int, int]]:
        """The steps of the chain that ends with *last* joining group *end*."""
        st = self.state
        steps = [(last, st.group_of[last], end)]
        x = last
        while True:
            displaced_by, h = parent[x]
            if displaced_by < 0:
                break
            steps.append((displaced_by, st.group_of[displaced_by], h))
            x = displaced_by
        return steps
