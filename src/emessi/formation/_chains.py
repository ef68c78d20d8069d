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

A *trade* asks more of one group and less of another: the gainer wants
more common slots, the giver keeps only one. Chains found one at a time
cannot undo each other, so here a maximum flow (:mod:`._flow`) places
everyone at once. The same chains, with no group's slots kept, make the
perturbation :meth:`Chains.force`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from emessi.formation._base import Base
from emessi.formation._flow import Opener, reassign

__all__ = ["Chains"]


class Chains(Base):
    """The chain move and a pass of it over every group's rigid slots."""

    #: A slot is tried only when at most this many peers of the group block it.
    BLOCKERS = 3
    #: Peers expanded per breadth-first search, at most.
    REACH = 400
    #: Chains of the shortest length compared, at most (fewest repeats wins).
    CHOICES = 8
    #: Up to this many groups, every trade is listed (then shuffled); above, sampled.
    ALL_TRADES = 16

    def _masks(self) -> None:
        """Each person's 'no' slots and each group's common slots, as bit masks."""
        st = self.state
        t = st.t_no
        self.no_mask = [sum(1 << s for s, c in enumerate(row) if c >= t) for row in st.sc]
        self.common = [self._common(g) for g in range(self.p.groups)]

    def _common(self, g: int) -> int:
        t = self.state.t_no
        return sum(1 << s for s, c in enumerate(self.state.ts[g]) if c < t)

    def _in_turn(self) -> Iterator[tuple[int, int]]:
        """Each group in a random order, with the slots its staff cannot attend, while the budget lasts."""
        st = self.state
        order = list(range(self.p.groups))
        self.rng.shuffle(order)
        for g in order:
            if self.evaluations >= self.budget:
                return
            staff_no = 0
            for f in st.staff[g]:
                staff_no |= self.no_mask[f]
            yield g, staff_no

    def chain_pass(self) -> list[int]:
        """Try to make each rigid slot of each group common; the peers touched."""
        st, rng = self.state, self.rng
        touched: list[int] = []
        if not st.w_rig:
            return touched
        self._masks()
        for g, staff_no in self._in_turn():
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

    def flow_pass(self) -> list[int]:
        """Try to make each rigid slot of each group common by a maximum flow; the peers touched.

        As :meth:`chain_pass`, but every peer in the way is placed at once
        (:meth:`_retarget_flow`), so a slot that several members block, or
        whose blockers' chains would cross, can open too.
        """
        st = self.state
        touched: list[int] = []
        if not st.w_rig:
            return touched
        self._masks()
        opener = Opener(st, self.no_mask, list(self.common))
        done = 0
        for g, staff_no in self._in_turn():
            for s in range(st.S):
                bit = 1 << s
                if (self.common[g] | staff_no) & bit:
                    continue
                moves = opener.open(g, bit)
                groups = self._commit(moves, {g}) if moves else []
                if groups:
                    for h in groups:
                        self.common[h] = self._common(h)
                    touched += [i for h in groups for i in st.members[h] if i not in touched]
                    self.evaluations += opener.work - done
                    opener, done = Opener(st, self.no_mask, list(self.common)), 0
            self.evaluations += opener.work - done
            done = opener.work
        return touched

    def _open(self, g: int, s: int, loose: bool = False) -> list[int]:
        """Make slot s common in g by ejection chains; the groups changed (empty: none).

        *loose* (a perturbation): other groups may lose common slots, and
        the change is kept even if it costs more.
        """
        bit = 1 << s
        blockers = [i for i in self.state.members[g] if self.no_mask[i] & bit]
        if not blockers or len(blockers) > self.BLOCKERS:
            return []
        return self._retarget({g: self.common[g] | bit}, loose)

    def _retarget(
        self, wanted: dict[int, int], loose: bool = False, than: int | None = None
    ) -> list[int]:
        """Give each group in *wanted* those common slots (a bit mask) by ejection chains.

        Every other group keeps its common slots (unless *loose*); the change
        is kept if the exact cost went down (below *than*, if given), or
        if *loose*. The groups changed.
        """
        st, p = self.state, self.p
        sizes = [len(m) for m in st.members]
        # sizes stay within the preferred range, or no further from it
        low = [max(p.lo, min(n, p.pref_lo)) for n in sizes]
        high = [min(p.hi, max(n, p.pref_hi)) for n in sizes]
        target = [0] * p.groups if loose else list(self.common)
        for g, mask in wanted.items():
            target[g] = mask
        saved = st.places()
        changed: set[int] = set(wanted)
        done: list[list[tuple[int, int, int]]] = []
        before = st.total()
        complete = True
        for g, mask in wanted.items():
            for b in [i for i in st.members[g] if self.no_mask[i] & mask]:
                if st.group_of[b] != g:
                    continue  # a chain has moved it already
                path = self._path(b, g, target, low, high)
                if path is None:
                    complete = False
                    break
                self._apply(path)
                done.append(path)
                for _, frm, to in path:
                    changed.update((frm, to))
            if not complete:
                break
        if complete and done:
            self._settle(changed, saved)
            if loose or st.total() < (before if than is None else than):
                return sorted(changed)
        for path in reversed(done):
            self._apply([(i, to, frm) for i, frm, to in reversed(path)])
        st.restore(saved)
        return []

    def _settle(self, changed: set[int], saved: dict[int, tuple[int, int]]) -> None:
        """Re-choose the slots of the changed groups, unless the *saved* ones cost less.

        Choosing in turn (:meth:`_reslot`) can do worse than keeping every
        slot where it was, when staff lead several groups.
        """
        st = self.state
        kept = st.total()
        self._reslot(changed)
        if st.total() > kept:
            st.restore(saved)

    def _reslot(self, changed: set[int]) -> None:
        """Re-choose the slots of the changed groups, and of the groups sharing their staff.

        Each group's choice depends on the others' (a facilitator leading two
        groups cannot meet both in one slot). So the groups choose in turn,
        those with the fewest cheap slots first, each avoiding the slots the
        groups before it took for shared staff; then each re-chooses given
        all the others until none changes (at most three rounds).
        """
        st = self.state
        groups = sorted(changed)
        if not st.has_slots or all(st.bv[g] is None for g in groups):
            for g in groups:
                st.refresh(g)
            return
        related = set(groups)
        for g in groups:
            related.update(st._related(g))
        groups = sorted(related, key=lambda g: (sum(1 for c in st.ts[g] if c < st.t_no), g))
        taken: dict[int, list[int]] = {}  # staff member -> slots of their groups so far
        w = st.w_clash
        for g in groups:
            costs = list(st.ts[g])
            for f in st.staff[g]:
                for slot in taken.get(f, ()):
                    costs[slot] += w
            choice = costs.index(min(costs))
            st.set_slot(g, choice)
            st.lang[g] = st.tl[g].index(min(st.tl[g]))
            for f in st.staff[g]:
                taken.setdefault(f, []).append(choice)
        for _ in range(3):
            slots = [st.slot[g] for g in groups]
            for g in groups:
                st.refresh(g)
            if slots == [st.slot[g] for g in groups]:
                break

    def _adds(self, h: int, blocked: list[int]) -> list[int]:
        """The sets of one to three slots group h could gain (its staff can attend them)."""
        st = self.state
        free = [s for s in range(st.S) if not (self.common[h] | blocked[h]) >> s & 1]
        adds = [1 << s for s in free]
        adds += [(1 << a) | (1 << b) for x, a in enumerate(free) for b in free[x + 1 :]]
        adds += [
            (1 << a) | (1 << b) | (1 << c)
            for x, a in enumerate(free)
            for y, b in enumerate(free[x + 1 :], x + 1)
            for c in free[y + 1 :]
        ]
        return adds

    def _all_trades(self, blocked: list[int]) -> list[tuple[int, int, int, int]]:
        """Every trade (gainer, slots it gains, giver, the one slot the giver keeps)."""
        st, k = self.state, self.p.groups
        options = []
        for h in range(k):
            for added in self._adds(h, blocked):
                for g in range(k):
                    if g == h:
                        continue
                    for s in range(st.S):
                        if not blocked[g] >> s & 1 and self.common[g] != 1 << s:
                            options.append((h, added, g, s))
        return options

    def _sampled_trades(self, blocked: list[int], count: int) -> list[tuple[int, int, int, int]]:
        """Up to *count* random trades, without listing them all (many groups)."""
        st, k, rng = self.state, self.p.groups, self.rng
        options = []
        for _ in range(count):
            h, g = rng.randrange(k), rng.randrange(k - 1)
            g += g >= h
            adds = self._adds(h, blocked)
            keep = [s for s in range(st.S) if not blocked[g] >> s & 1]
            if adds and keep:
                s = keep[rng.randrange(len(keep))]
                if self.common[g] != 1 << s:
                    options.append((h, adds[rng.randrange(len(adds))], g, s))
        return options

    def _retarget_flow(self, wanted: dict[int, int]) -> list[int]:
        """As :meth:`_retarget`, the peers placed by a maximum flow; the groups changed."""
        st, p = self.state, self.p
        sizes = [len(m) for m in st.members]
        low = [max(p.lo, min(n, p.pref_lo)) for n in sizes]
        high = [min(p.hi, max(n, p.pref_hi)) for n in sizes]
        target = list(self.common)
        for g, mask in wanted.items():
            target[g] = mask
        moves, work = reassign(st, self.no_mask, target, low, high)
        self.evaluations += work
        if not moves:
            return []
        return self._commit(moves, set(wanted))

    def _commit(self, moves: list[tuple[int, int, int]], changed: set[int]) -> list[int]:
        """Apply *moves* (peer, from, to) at once and keep them if the exact cost fell.

        Slots are re-chosen (or kept, see :meth:`_settle`) in the groups
        moved between and those in *changed*; every moved peer must fit
        where they went. Otherwise everything is undone. The groups
        changed (empty: undone).
        """
        st = self.state
        before = st.total()
        saved = st.places()
        changed = changed | {g for _, g, _ in moves} | {h for _, _, h in moves}
        self._apply(moves)
        self._settle(changed, saved)
        if st.total() < before and all(st.fits(i, st.group_of[i], without=i) for i, _, _ in moves):
            return sorted(changed)
        self._apply([(i, to, frm) for i, frm, to in moves])
        st.restore(saved)
        return []

    def trade_pass(self, limit: int) -> list[int]:
        """Let one group give up common slots so that another gains more; the peers touched.

        For a pair of groups, the gainer asks for up to three more slots and
        the giver keeps only one common slot (so it can still meet), which
        may be another than those it has;
        ejection chains then move whoever is in the way, every other group
        keeping its common slots. Kept when the exact cost goes down: the
        gainer gained more than the giver lost. Up to *limit* trades are
        tried, at random.
        """
        st, p, rng = self.state, self.p, self.rng
        touched: list[int] = []
        if not st.w_rig or p.groups < 2:
            return touched
        self._masks()
        options: list[tuple[int, int, int, int]] = []
        blocked = [0] * p.groups  # the slots each group's staff cannot attend
        for h in range(p.groups):
            for f in st.staff[h]:
                blocked[h] |= self.no_mask[f]
        if p.groups > self.ALL_TRADES:
            options = self._sampled_trades(blocked, limit)
        else:
            options = self._all_trades(blocked)
            rng.shuffle(options)
        for h, added, g, s in options[:limit]:
            if self.evaluations >= self.budget:
                break
            self.evaluations += 1
            if not added & ~self.common[h]:
                continue  # an earlier trade gave h these slots
            groups = self._retarget_flow({h: self.common[h] | added, g: 1 << s})
            if groups:
                for x in groups:
                    self.common[x] = self._common(x)
                touched += [i for x in groups for i in st.members[x] if i not in touched]
        return touched

    def force(self, strength: int) -> list[int]:
        """Perturb: open *strength* random rigid slots, whatever it costs; the peers touched."""
        st, p, rng = self.state, self.p, self.rng
        touched: list[int] = []
        if not st.w_rig:
            return touched
        self._masks()
        for _ in range(strength):
            g = rng.randrange(p.groups)
            staff_no = 0
            for f in st.staff[g]:
                staff_no |= self.no_mask[f]
            rigid = [s for s in range(st.S) if not (self.common[g] | staff_no) >> s & 1]
            if not rigid:
                continue
            groups = self._open(g, rigid[rng.randrange(len(rigid))], loose=True)
            for h in groups:
                self.common[h] = self._common(h)
            touched += [i for h in groups for i in st.members[h] if i not in touched]
        return touched

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
