"""The formation heuristic: greedy construction, then iterated local search.

Deterministic for a given seed: every random choice comes from one
``random.Random(seed)``, and every loop runs over lists of integer indices
(never over sets of strings, whose order depends on hash randomisation).
The work done is bounded by counts of evaluated moves, not by the clock, so a
slow machine gets the same groups as a fast one.
"""

from __future__ import annotations

import random
from collections import deque
from operator import add, sub

from emessi.errors import InfeasibleError
from emessi.formation._problem import Problem, Solution
from emessi.formation._state import State, argmin

__all__ = ["solve"]

#: Above this many groups, a peer's neighbourhood is a sample of groups.
_ALL_GROUPS = 40
#: Groups sampled per peer (mostly from the peer's good slots) when sampling.
_SAMPLE = 16


class _Search:
    STALL = 200

    def __init__(self, problem: Problem, seed: int, effort: float) -> None:
        self.p = problem
        self.rng = random.Random(seed)
        self.state = State(problem)
        self.effort = effort

    # -- construction ------------------------------------------------------

    def _anchors(self, jitter: bool) -> list[int]:
        """A slot per group, in proportion to the peers' shares of 'yes' answers.

        With *jitter* (on restarts) each slot's share is scaled by a random
        factor, so that a restart explores another set of slots.
        """
        st, k = self.state, self.p.groups
        if not st.has_slots:
            return [0] * k
        demand = [0.0] * st.S
        for i in range(self.p.n_peers):
            row = st.sc[i]
            good = [s for s in range(st.S) if row[s] == 0] or list(range(st.S))
            for s in good:
                demand[s] += 1 / len(good)
        if jitter:
            demand = [d * self.rng.uniform(0.3, 1.7) for d in demand]
        total = sum(demand) or 1.0
        quota = [d * k / total for d in demand]
        counts = [int(q) for q in quota]
        order = sorted(range(st.S), key=lambda s: (counts[s] - quota[s], s))
        for s in order[: k - sum(counts)]:
            counts[s] += 1
        anchors = [s for s in range(st.S) for _ in range(counts[s])]
        return anchors[:k]

    def _assign_staff(self, anchors: list[int]) -> None:
        """Give each group its staff: available in its anchor slot, loads kept."""
        st, p = self.state, self.p
        rank = {f: r for r, f in enumerate(self.rng.sample(p.staff, len(p.staff)))}
        for members, need in (
            (p.facilitators, p.per_group_facilitators),
            (p.observers, p.per_group_observers),
        ):
            for g in range(p.groups if need else 0):
                for _ in range(need):
                    chosen = self._choose_staff(members, g, anchors[g], need, rank)
                    if chosen < 0:
                        raise InfeasibleError(
                            f"the facilitators and observers cannot staff {p.groups} groups "
                            "without putting a conflict pair together",
                            path="conflicts",
                        )
                    st.put_staff(chosen, g)

    def _choose_staff(
        self, members: list[int], g: int, slot: int, need: int, rank: dict[int, int]
    ) -> int:
        st, p = self.state, self.p
        later = p.groups - g - 1
        rest = {f: p.capacity[f] - len(st.sgroups[f]) for f in members}
        spare = sum(min(r, later) for r in rest.values())
        best, best_key = -1, None
        for f in members:
            if not st.staff_fits(f, g):
                continue
            # after taking this seat, the later groups must still be coverable:
            # each member serves a group at most once, so min(capacity, later)
            if spare - min(rest[f], later) + min(rest[f] - 1, later) < need * later:
                continue
            clash = st.scnt[f][slot] if st.has_slots else 0
            key = (st.sc[f][slot], clash, -rest[f], rank[f])
            if best_key is None or key < best_key:
                best, best_key = f, key
        return best

    def construct(self, jitter: bool = False) -> None:
        """Greedy start: staff and anchor slots first, then the hardest peers first."""
        st, p, rng = self.state, self.p, self.rng
        st.reset()
        anchors = self._anchors(jitter)
        for g in range(p.groups):
            st.set_slot(g, anchors[g])
        self._assign_staff(anchors)
        n = p.n_peers
        placed = min(n, p.groups * p.hi)
        target = [placed // p.groups + (g < placed % p.groups) for g in range(p.groups)]
        rank = rng.sample(range(n), n)
        org_size: dict[int, int] = {}
        for i in range(n):
            if p.org[i] >= 0:
                org_size[p.org[i]] = org_size.get(p.org[i], 0) + 1
        # Hardest first: few acceptable slots, big organisations, many
        # conflicts; a restart (jitter) blurs the order so that it explores.
        noise = [rng.uniform(0, 2.5) if jitter else 0.0 for _ in range(n)]
        # those who do not speak the most widely spoken language go first
        totals = [sum(st.lc[i][x] for i in range(n)) for x in range(st.L)]
        common = totals.index(min(totals))
        order = sorted(
            range(n),
            key=lambda i: (
                st.lc[i][common] == 0,
                (sum(1 for c in st.sc[i] if c == 0) if st.has_slots else 0) + noise[i],
                -org_size.get(p.org[i], 0),
                -len(p.conflicts[i]),
                rank[i],
            ),
        )
        buckets: list[list[int]] = [[] for _ in range(st.S)]
        for g in range(p.groups):
            buckets[st.slot[g]].append(g)
        for i in order:
            g = self._insert_target(i, buckets, target)
            if g < 0:
                continue
            st.add(i, g)
            st.lang[g] = argmin(st.tl[g])[0]
            bucket = buckets[st.slot[g]]
            if len(st.members[g]) >= target[g] and g in bucket:
                bucket.remove(g)
        for g in range(p.groups):
            st.refresh(g)
        self._repair()

    def _insert_target(self, i: int, buckets: list[list[int]], target: list[int]) -> int:
        """The group below its target size where peer i costs least (-1: none)."""
        st, p = self.state, self.p
        costs, lc = st.sc[i], st.lc[i]
        order = sorted(range(st.S), key=lambda s: (costs[s], s))
        limit = _SAMPLE // 2 if p.groups > _ALL_GROUPS else p.groups
        best, best_key = -1, None
        for s in order:
            if best_key is not None and costs[s] > best_key[0]:
                break  # every group left costs more for the slot alone
            seen = 0
            for g in buckets[s]:
                if not st.fits(i, g):
                    continue
                tl = st.tl[g]
                extra = min(map(add, tl, lc)) - min(tl) + st.w_div * st.rep_in(i, g)
                key = (costs[s] + extra, len(st.members[g]), g)
                if best_key is None or key < best_key:
                    best, best_key = g, key
                seen += 1
                if seen >= limit:
                    break
        if best >= 0:
            return best
        # no group below its target fits: any group with room
        for g in range(p.groups):
            if len(st.members[g]) < p.hi and st.fits(i, g):
                return g
        return -1

    def _repair(self) -> None:
        """Bring every group up to the allowed minimum size, or fail."""
        st, p = self.state, self.p
        for g in range(p.groups):
            while len(st.members[g]) < p.lo:
                donors = [i for i in range(p.n_peers) if st.group_of[i] < 0 and st.fits(i, g)]
                donors += [
                    i
                    for i in range(p.n_peers)
                    if st.group_of[i] >= 0
                    and st.group_of[i] != g
                    and len(st.members[st.group_of[i]]) > p.lo
                    and st.fits(i, g)
                ]
                if not donors:
                    raise InfeasibleError(
                        f"cannot fill every one of {p.groups} groups to at least {p.lo} peers "
                        "while keeping organisations apart and conflict pairs separate",
                        path="groups",
                    )
                st.move(donors[0], g)

    # -- local search ------------------------------------------------------

    def unhappy(self, i: int) -> bool:
        """Whether peer i has a cost of their own where they are (or no group)."""
        st = self.state
        g = st.group_of[i]
        if g < 0:
            return True
        if st.sc[i][st.slot[g]] or st.lc[i][st.lang[g]] or st.dev[len(st.members[g])]:
            return True
        return bool(st.vals) and st.rep_out(i, g) < 0

    def _candidates(self, i: int, slot: int = -1) -> list[int]:
        """Groups to try peer i in: all of them, or a sample biased to good slots."""
        st, p, rng = self.state, self.p, self.rng
        if p.groups <= _ALL_GROUPS:
            return list(range(p.groups))
        chosen = [rng.randrange(p.groups) for _ in range(_SAMPLE // 4)]
        if st.has_slots:
            costs = st.sc[i]
            good = [s for s in range(st.S) if costs[s] == 0 and st.at_slot[s]]
            if slot >= 0:
                # a partner for a group moving to *slot* should attend it
                good = [s for s in range(st.S) if st.at_slot[s]]
            for _ in range(_SAMPLE - len(chosen)):
                if not good:
                    break
                bucket = st.at_slot[good[rng.randrange(len(good))]]
                chosen.append(bucket[rng.randrange(len(bucket))])
        else:
            chosen += [rng.randrange(p.groups) for _ in range(_SAMPLE // 2)]
        return chosen

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
            base_g = st.local(g)
            gts = list(map(sub, st.ts[g], ci))
            gtl = list(map(sub, st.tl[g], li))
            gbv = st.bv[g]
            size_g, rep_g = len(members[g]), st.rep[g]
            can_leave = size_g > p.lo
            leave = 0
            if can_leave:
                leave = st.price(g, gts, gtl, size_g - 1, rep_g + st.rep_out(i, g)) - base_g
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
                if mine >= 0 and st.sc[j][gs] + st.lc[j][gl] >= mine:
                    continue
                if not fits_h and not st.fits(i, h, without=j):
                    continue
                if g >= 0 and not st.fits(j, g, without=i):
                    continue
                evaluations += 1
                cj, lj = st.sc[j], st.lc[j]
                if hbv is None:
                    delta = min(map(sub, hts, cj))
                else:
                    delta = min(map(add, map(sub, hts, cj), hbv))
                delta += min(map(sub, htl, lj)) + dev[size_h] - base_h
                if diverse:
                    delta += wdiv * (rep_h + st.rep_swap(j, i, h))
                if g >= 0:
                    if gbv is None:
                        delta += min(map(add, gts, cj))
                    else:
                        delta += min(map(add, map(add, gts, cj), gbv))
                    delta += min(map(add, gtl, lj)) + dev[size_g] - base_g
                    if diverse:
                        delta += wdiv * (rep_g + st.rep_swap(i, j, g))
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

    def _eject(self, i: int) -> tuple[int, int]:
        """Place unassigned peer i in j's place and move j to another group.

        For an applicant every group turns away (a colleague or a conflict
        pair is there): an ejection chain of two steps.
        """
        st = self.state
        if st.hist[self.p.hi] == self.p.groups:
            return (-1, -1)  # every group is full: j would have nowhere to go
        for h in self._candidates(i):
            for j in list(st.members[h]):
                first = st.swap_delta(i, j)
                self.evaluations += 1
                if first is None:
                    continue
                slot, lang = st.slot[h], st.lang[h]
                st.swap(i, j)
                best, target = None, -1
                for h2 in self._candidates(j):
                    second = st.move_delta(j, h2) if h2 != h else None
                    self.evaluations += 1
                    if second is not None and (best is None or second < best):
                        best, target = second, h2
                if best is not None and first + best < 0:
                    st.move(j, target)
                    return (h, target)
                st.swap(j, i)
                st.set_slot(h, slot)
                st.lang[h] = lang
        return (-1, -1)

    def _outside(self) -> list[int]:
        st = self.state
        outside = [i for i in range(self.p.n_peers) if st.group_of[i] < 0]
        if len(outside) > _SAMPLE:
            return self.rng.sample(outside, _SAMPLE)
        return outside

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
            if not self.unhappy(i):
                continue
            for g in self.improve(i):
                if g < 0:
                    continue
                for j in st.members[g]:
                    if not queued[j]:
                        queued[j] = True
                        todo.append(j)

    def staff_pass(self) -> bool:
        """Try replacing and swapping staff; True if anything improved.

        Only groups that pay for their slot, language or a clash are tried:
        other staff cannot lower the cost of a group that pays nothing.
        """
        st, p, rng = self.state, self.p, self.rng
        improved = False
        for members in (p.facilitators, p.observers):
            if len(members) < 2:
                continue
            for g in range(p.groups):
                slot, lang = st.slot[g], st.lang[g]
                if not st.pays(g):
                    continue
                for f in list(st.staff[g]):
                    if f not in members:
                        continue
                    others = members if len(members) <= _SAMPLE else rng.sample(members, _SAMPLE)
                    mine = st.sc[f][slot] + st.lc[f][lang]
                    for f2 in others:
                        self.evaluations += 1
                        if f2 == f or f2 in st.staff[g]:
                            continue
                        # another member helps only by costing less here, or by
                        # freeing the group to move to a slot f cannot attend
                        if st.sc[f2][slot] + st.lc[f2][lang] >= mine and not st.ts[g][slot]:
                            continue
                        self.evaluations += 2
                        if self._try_staff(g, f, f2):
                            improved = True
                            break
        for g in range(p.groups):
            if st.bv[g] is not None:
                before = st.part([g], st.staff[g])
                old = st.slot[g]
                st.refresh(g)
                after = st.part([g], st.staff[g])
                if after > before:
                    st.set_slot(g, old)
                elif after < before:
                    improved = True
        return improved

    def _replace_delta(self, g: int, f: int, f2: int) -> int:
        """The cost change if f2 took f's place in g (g then re-chooses its slot).

        Exact when only g changes: a staff member o of g who stays loses a
        clash in the old slot if another of their groups is there, and gains
        one in the new slot likewise; f loses one, f2 gains one.
        """
        st = self.state
        s, lang = st.slot[g], st.lang[g]
        ts: list[int] = list(map(add, map(sub, st.ts[g], st.sc[f]), st.sc[f2]))
        tl: list[int] = list(map(add, map(sub, st.tl[g], st.lc[f]), st.lc[f2]))
        old = st.ts[g][s] + st.tl[g][lang]
        w = st.w_clash
        if st.has_slots and w:
            vec = [w if c else 0 for c in st.scnt[f2]]
            for o in st.staff[g]:
                counts = st.scnt[o]
                if counts[s] > 1:
                    old += w
                if o != f:
                    row = [w if c else 0 for c in counts]
                    row[s] = w if counts[s] > 1 else 0
                    vec = list(map(add, vec, row))
            new = min([a + b for a, b in zip(ts, vec, strict=True)])
        else:
            new = min(ts)
        return new + min(tl) - old

    def _try_staff(self, g: int, f: int, f2: int) -> bool:
        st = self.state
        if st.staff_fits(f2, g, without=f):
            if self._replace_delta(g, f, f2) >= 0:
                return False
            st.take_staff(f, g)
            st.put_staff(f2, g)
            st.refresh(g)
            return True
        for h in list(st.sgroups[f2]):
            if h == g or f in st.staff[h] or not self._swap_fits(f, g, f2, h):
                continue
            if self._replace_delta(g, f, f2) + self._replace_delta(h, f2, f) >= 0:
                continue
            # the two groups may share staff: apply, check exactly, undo if worse
            crew = sorted(set(st.staff[g]) | set(st.staff[h]))
            before = st.part([g, h], crew)
            slots = (st.slot[g], st.slot[h])
            langs = (st.lang[g], st.lang[h])
            st.take_staff(f, g)
            st.take_staff(f2, h)
            st.put_staff(f2, g)
            st.put_staff(f, h)
            st.refresh(g)
            st.refresh(h)
            if st.part([g, h], crew) < before:
                return True
            st.take_staff(f2, g)
            st.take_staff(f, h)
            st.set_slot(g, slots[0])
            st.set_slot(h, slots[1])
            st.put_staff(f, g)
            st.put_staff(f2, h)
            st.lang[g], st.lang[h] = langs
        return False

    def _swap_fits(self, f: int, g: int, f2: int, h: int) -> bool:
        p, st = self.p, self.state
        for person, group in ((f2, g), (f, h)):
            for other in p.conflicts[person]:
                if other < p.n_peers:
                    if st.group_of[other] == group:
                        return False
                elif other in st.staff[group] and other not in (f, f2):
                    return False
        return True

    def regroup_pass(self) -> list[int]:
        """Try moving each paying group to another slot or language; touched peers.

        A compound move: the members who would pay in the group's new slot
        (or language) are swapped, at once, with peers elsewhere who would
        not, or moved out. Single swaps cannot find this: a group only flips
        once every payer has left, and each swap on the way changes nothing.
        """
        st, p, rng = self.state, self.p, self.rng
        touched: list[int] = []
        paying = [g for g in range(p.groups) if st.pays(g)]
        rng.shuffle(paying)
        for g in paying:
            slot, lang = st.slot[g], st.lang[g]
            now = st.ts[g][slot] + st.tl[g][lang]
            crew = st.staff[g]
            options = []
            for s2 in range(st.S):
                for l2 in range(st.L):
                    if (s2, l2) == (slot, lang):
                        continue
                    # the staff stay: an option they alone pay as much for is no better
                    fixed = sum(st.sc[f][s2] + st.lc[f][l2] for f in crew)
                    if fixed >= now:
                        continue
                    payers = sum(
                        1
                        for i in st.members[g]
                        if st.sc[i][s2] + st.lc[i][l2] > st.sc[i][slot] + st.lc[i][lang]
                    )
                    options.append((payers, fixed, s2, l2))
            options.sort()
            for _, _, s2, l2 in options[: 16 if p.groups <= _ALL_GROUPS else 4]:
                if self.evaluations >= self.budget:
                    return touched
                groups = self._regroup(g, s2, l2)
                if groups:
                    touched += [i for h in groups for i in st.members[h]]
                    break
        return touched

    def _regroup(self, g: int, slot: int, lang: int) -> list[int]:
        """Move group g to (slot, lang): its payers there swap or move out. Groups touched."""
        st, p = self.state, self.p
        now_slot, now_lang = st.slot[g], st.lang[g]
        # who would pay more there than here: those are in the way
        payers = [
            i
            for i in st.members[g]
            if st.sc[i][slot] + st.lc[i][lang] > st.sc[i][now_slot] + st.lc[i][now_lang]
        ]
        if not payers:
            return []
        size_g = len(st.members[g])
        plan: list[tuple[int, int, int]] = []  # (payer, partner or -1, group moved to)
        taken: list[int] = []
        growth: dict[int, int] = {}
        outside = self._outside() if st.unassigned else []
        for i in payers:
            pays = st.sc[i][slot] + st.lc[i][lang]
            best, best_cost = (-1, -1), None
            # an applicant without a group can take i's place (i then has none)
            for j in outside:
                self.evaluations += 1
                gain = st.sc[j][slot] + st.lc[j][lang]
                if gain >= pays or j in taken or not st.fits(j, g, without=i):
                    continue
                if not all(self._together(j, x) for x in taken):
                    continue
                if best_cost is None or gain < best_cost:
                    best, best_cost = (j, -1), gain
            for h in self._candidates(i, slot):
                if h == g:
                    continue
                here = st.sc[i][st.slot[h]] + st.lc[i][st.lang[h]]
                size_h = len(st.members[h]) + growth.get(h, 0)
                if size_h < p.hi and size_g - 1 >= p.lo and st.fits(i, h):
                    cost = here + st.dev[size_h + 1] - st.dev[size_h]
                    cost += st.dev[size_g - 1] - st.dev[size_g]
                    if best_cost is None or cost < best_cost:
                        best, best_cost = (-1, h), cost
                for j in st.members[h]:
                    self.evaluations += 1
                    gain = st.sc[j][slot] + st.lc[j][lang]
                    if gain >= pays or j in taken:
                        continue
                    if not st.fits(j, g, without=i) or not st.fits(i, h, without=j):
                        continue
                    if p.separate and p.org[j] >= 0 and any(p.org[x] == p.org[j] for x in taken):
                        continue
                    if p.conflicts[j] and any(x in p.conflicts[j] for x in taken):
                        continue
                    cost = here + gain - st.sc[j][st.slot[h]] - st.lc[j][st.lang[h]]
                    if best_cost is None or cost < best_cost:
                        best, best_cost = (j, h), cost
            if best_cost is None:
                return []
            partner, h = best
            plan.append((i, partner, h))
            if partner >= 0:
                taken.append(partner)
            else:
                growth[h] = growth.get(h, 0) + 1
                size_g -= 1
        groups = [g]
        groups += [h for _, _, h in plan if h >= 0 and h not in groups]
        crew = sorted({f for h in groups for f in st.staff[h]})
        before = st.part(groups, crew) + st.w_bal * st.balance()
        saved = [(st.slot[h], st.lang[h]) for h in groups]
        for i, partner, h in plan:
            if partner >= 0:
                st.swap(i, partner)
            else:
                st.move(i, h)
        if st.part(groups, crew) + st.w_bal * st.balance() < before:
            return groups
        for i, partner, _ in reversed(plan):
            if partner >= 0:
                st.swap(i, partner)
            else:
                st.move(i, g)
        for h, (old_slot, old_lang) in zip(groups, saved, strict=True):
            st.set_slot(h, old_slot)
            st.lang[h] = old_lang
        return []

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

    def _double_swap(self, i: int, j: int) -> bool:
        """Swap i and j together with the one peer that blocks i, and a partner of it.

        Peers of one organisation and conflict pairs lock each other in
        place: i cannot join j's group while x is there, nor x join i's
        group while i is there. Swapping both pairs at once is the way out.
        """
        st, p, rng = self.state, self.p, self.rng
        g, h = st.group_of[i], st.group_of[j]
        blockers = [x for x in st.members[h] if x != j and not self._together(i, x)]
        if len(blockers) != 1:
            return False
        x = blockers[0]
        partners = [y for y in st.members[g] if y != i]
        rng.shuffle(partners)
        for y in partners:
            # after both swaps g holds j and x instead of i and y, h the reverse
            if not self._together(j, x) or not self._together(i, y):
                continue
            if not all(
                self._together(a, b) for a in (j, x) for b in st.members[g] if b not in (i, y)
            ) or not all(
                self._together(a, b) for a in (i, y) for b in st.members[h] if b not in (j, x)
            ):
                continue
            if any(f in p.conflicts[a] for a in (j, x) for f in st.staff[g]) or any(
                f in p.conflicts[a] for a in (i, y) for f in st.staff[h]
            ):
                continue
            st.swap(i, j)
            st.swap(y, x)
            return True
        return False

    def _together(self, a: int, b: int) -> bool:
        """Whether peers a and b may share a group."""
        p = self.p
        if p.separate and p.org[a] >= 0 and p.org[a] == p.org[b]:
            return False
        return b not in p.conflicts[a]

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
        while best_cost > 0 and self.evaluations < self.budget:
            if self.evaluations - last > stall:
                break
            round_ += 1
            self.evaluations += 10 + p.groups  # the round's bookkeeping, so it always ends
            if round_ % 4 == 0:
                self.descend(self.regroup_pass())
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
        """Restart from jittered constructions until the budget is spent; the best."""
        st, p, rng = self.state, self.p, self.rng
        n = p.n_peers
        self.evaluations = 0
        self.budget = int(self.effort * (150_000 + 120 * n))
        best, best_cost = self._climb(jitter=False)
        self.found_at = self.evaluations
        while best_cost > 0 and self.evaluations < self.budget:
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


def solve(problem: Problem, *, seed: int = 0, effort: float = 1.0) -> Solution:
    """A good solution found by greedy construction and iterated local search."""
    return _Search(problem, seed, effort).run()
