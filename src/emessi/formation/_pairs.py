"""Regrouping two groups' peers optimally: an exact search over their partitions.

Two groups keep their staff and sizes; their peers are shared out again in
the best way, by a depth-first search over who goes to the first group.
The search bounds by rigid slots first (the groups' "no" answers as bit
masks: a mask only grows as peers join, so a partial split whose masks
already have more rigid slots than now is cut), then prices every split
that keeps the rigid slots at most as many exactly, soft preferences
included. This is the neighbourhood an exact solver explores when it
re-solves a few groups: a formation that no pair can improve leaves it
little to find.
"""

from __future__ import annotations

from operator import add, sub

from emessi.formation._cycles import Cycles

__all__ = ["Pairs"]


class Pairs(Cycles):
    """The pair regrouping move and a pass of it."""

    #: Peers of two groups searched at most (larger pairs are skipped).
    POOL = 14
    #: Up to this many pairs of groups, all are listed (then shuffled); above, sampled.
    LISTED = 20_000

    def pair_pass(self, limit: int, among: list[int] | None = None) -> list[int]:
        """Regroup up to *limit* random pairs of groups optimally; the peers touched.

        With *among*, only pairs with at least one of those groups.
        """
        st, p, rng = self.state, self.p, self.rng
        touched: list[int] = []
        if p.groups < 2:
            return touched
        self._masks()
        k = p.groups
        if among is None and k * (k - 1) // 2 > self.LISTED:
            # many groups: a sample of pairs, without listing them all
            pairs = []
            for _ in range(limit):
                g, h = rng.randrange(k), rng.randrange(k - 1)
                pairs.append((g, h + (h >= g)))
        else:
            first = range(k) if among is None else among
            pairs = [(g, h) for g in first for h in range(k) if h != g]
            pairs = [(min(g, h), max(g, h)) for g, h in pairs]
            pairs = sorted(set(pairs))
            rng.shuffle(pairs)
        for g, h in pairs[:limit]:
            if self.evaluations >= self.budget:
                break
            if self._regroup_pair(g, h):
                self.common[g], self.common[h] = self._common(g), self._common(h)
                touched += [i for x in (g, h) for i in st.members[x] if i not in touched]
        return touched

    def _variants(self, g: int, h: int) -> list[tuple[int, int, int]]:
        """The pair's options: (peers of g, staff member of g, of h to swap; -1: none).

        The sizes as they are or one peer moved across (each within the
        preferred range, or no further from it); the staff as they are or
        one facilitator or observer swapped between the two groups.
        """
        st, p = self.state, self.p
        a, b = len(st.members[g]), len(st.members[h])
        low = [max(p.lo, min(n, p.pref_lo)) for n in (a, b)]
        high = [min(p.hi, max(n, p.pref_hi)) for n in (a, b)]
        variants = [
            (size, -1, -1)
            for size in (a, a - 1, a + 1)
            if low[0] <= size <= high[0] and low[1] <= a + b - size <= high[1]
        ]
        for role in (p.facilitators, p.observers):
            for f in st.staff[g]:
                if f not in role or f in st.staff[h]:
                    continue
                for f2 in st.staff[h]:
                    if f2 not in role or f2 in st.staff[g]:
                        continue
                    if self.no_mask[f] == self.no_mask[f2] and st.lc[f] == st.lc[f2]:
                        continue  # alike: a swap would change nothing here
                    if self._swap_fits(f, g, f2, h):
                        variants.append((a, f, f2))
        return variants

    def _regroup_pair(self, g: int, h: int) -> bool:
        """Share the peers of g and h out again in the best way; True if it lowered the cost."""
        st = self.state
        pool = st.members[g] + st.members[h]
        m = len(pool)
        if m > self.POOL or not st.members[g] or not st.members[h]:
            return False
        full = (1 << st.S) - 1
        now = (~self.common[g] & full).bit_count() + (~self.common[h] & full).bit_count()
        # which pairs of the pool may not share a group (organisation, conflicts)
        apart = [[not self._together(x, y) for y in pool] for x in pool]
        current = st.local(g) + st.local(h)
        best: tuple[int, tuple[int, ...], tuple[int, int, int]] | None = None
        for variant in self._variants(g, h):
            size, f, f2 = variant
            crew_g = [x for x in st.staff[g] if x != f] + ([f2] if f >= 0 else [])
            crew_h = [x for x in st.staff[h] if x != f2] + ([f] if f >= 0 else [])
            for split, cost in self._splits(g, h, pool, size, crew_g, crew_h, apart, now):
                if cost < current and (best is None or cost < best[0]):
                    best = (cost, split, variant)
        if best is None:
            return False
        _, split, (size, f, f2) = best
        before = st.total()
        saved = st.places()
        inside = set(split)
        moves = []
        for x, i in enumerate(pool):
            to = g if x in inside else h
            if st.group_of[i] != to:
                moves.append((i, st.group_of[i], to))
        if f >= 0:
            st.swap_staff(f, g, f2, h)
        self._apply(moves)
        self._reslot({g, h})
        if st.total() < before:
            return True
        self._apply([(i, to, frm) for i, frm, to in moves])
        if f >= 0:
            st.swap_staff(f2, g, f, h)
        st.restore(saved)
        return False

    def _splits(
        self,
        g: int,
        h: int,
        pool: list[int],
        size: int,
        crew_g: list[int],
        crew_h: list[int],
        apart: list[list[bool]],
        now: int,
    ) -> list[tuple[tuple[int, ...], int]]:
        """Every split of *pool* (size peers to g) with at most *now* rigid slots, priced."""
        st, p = self.state, self.p
        m = len(pool)
        no = [self.no_mask[i] for i in pool]
        staff_g = staff_h = 0
        for f in crew_g:
            staff_g |= self.no_mask[f]
        for f in crew_h:
            staff_h |= self.no_mask[f]
        # who may join each side, and who may not share a group, as bit masks over the pool
        free_g = free_h = 0
        for x in range(m):
            if not any(f in p.conflicts[pool[x]] for f in crew_g):
                free_g |= 1 << x
            if not any(f in p.conflicts[pool[x]] for f in crew_h):
                free_h |= 1 << x
        apart_bits = [sum(1 << y for y in range(m) if apart[x][y]) for x in range(m)]
        splits: list[tuple[int, ...]] = []
        chosen: list[int] = []
        nodes = [0]

        def search(index: int, mask_g: int, mask_h: int, in_g: int, in_h: int) -> None:
            nodes[0] += 1
            if mask_g.bit_count() + mask_h.bit_count() > now:
                return
            if index == m:
                if len(chosen) == size:
                    splits.append(tuple(chosen))
                return
            x = index
            bit, clash = 1 << x, apart_bits[x]
            if len(chosen) < size and free_g & bit and not clash & in_g:
                chosen.append(x)
                search(index + 1, mask_g | no[x], mask_h, in_g | bit, in_h)
                chosen.pop()
            room = m - index - 1 >= size - len(chosen)
            if room and free_h & bit and not clash & in_h:
                search(index + 1, mask_g, mask_h | no[x], in_g, in_h | bit)

        search(0, staff_g, staff_h, 0, 0)
        self.evaluations += nodes[0] // 4 + 2 * len(splits)  # a node: a few bit operations
        if not splits:
            return []
        # the staff's part of each group's summed costs
        base_g = [0] * st.S
        lang_g = [0] * st.L
        for f in crew_g:
            base_g = list(map(add, base_g, st.sc[f]))
            lang_g = list(map(add, lang_g, st.lc[f]))
        base_h = [0] * st.S
        lang_h = [0] * st.L
        for f in crew_h:
            base_h = list(map(add, base_h, st.sc[f]))
            lang_h = list(map(add, lang_h, st.lc[f]))
        # a split's sums: g's from its peers, h's from the pool's total minus g's
        scs = [st.sc[i] for i in pool]
        lcs = [st.lc[i] for i in pool]
        all_s = [sum(column) for column in zip(*scs, strict=True)]
        all_l = [sum(column) for column in zip(*lcs, strict=True)]
        base_h = list(map(add, base_h, all_s))
        lang_h = list(map(add, lang_h, all_l))
        priced = []
        for split in splits:
            if split:
                sg = [sum(column) for column in zip(*[scs[x] for x in split], strict=True)]
                lg = [sum(column) for column in zip(*[lcs[x] for x in split], strict=True)]
            else:
                sg, lg = [0] * st.S, [0] * st.L
            tg, tlg = list(map(add, base_g, sg)), list(map(add, lang_g, lg))
            th, tlh = list(map(sub, base_h, sg)), list(map(sub, lang_h, lg))
            inside = set(split)
            cost = st.price(g, tg, tlg, size, self._repeats([pool[x] for x in split]))
            rest = [pool[x] for x in range(m) if x not in inside]
            cost += st.price(h, th, tlh, m - size, self._repeats(rest))
            priced.append((split, cost))
        return priced

    def _repeats(self, peers: list[int]) -> int:
        """The weighted diversity repeats of a group of *peers*."""
        st = self.state
        total = 0
        for a, values in enumerate(st.vals):
            seen: set[int] = set()
            for i in peers:
                v = values[i]
                if v >= 0:
                    if v in seen:
                        total += st.vw[a]
                    seen.add(v)
        return total
