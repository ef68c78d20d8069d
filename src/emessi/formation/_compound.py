"""The heuristic's larger moves: staff changes, regrouping, ejections, double swaps.

Single moves and swaps of peers get stuck where a better formation needs
several changes at once: a group that should meet in another slot or speak
another language, an applicant every group turns away, peers of one
organisation locking each other in place. Each move here makes such a
change in one step and keeps it only if the exact cost went down.
"""

from __future__ import annotations

from operator import add, sub

from emessi.formation._base import ALL_GROUPS, SAMPLE, Base

__all__ = ["Compound"]


class Compound(Base):
    """Staff, regroup, ejection and double-swap moves."""

    #: A rigid slot is worth freeing when fewer than this many members block it.
    FREE = 5

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
                # with rigid slots counted, any staff member who cannot
                # attend a slot may be worth replacing
                blocking = [f for f in st.staff[g] if st.w_rig and max(st.sc[f]) >= st.t_no]
                if not st.pays(g) and not blocking:
                    continue
                for f in list(st.staff[g]):
                    if f not in members:
                        continue
                    others = members if len(members) <= SAMPLE else rng.sample(members, SAMPLE)
                    mine = st.sc[f][slot] + st.lc[f][lang]
                    if f in blocking:
                        mine = 1 << 62  # f alone keeps a slot rigid: try everyone
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
        old = st.ts[g][s] + st.tl[g][lang] + st.rigid(st.ts[g])
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
        return new + st.rigid(ts) + min(tl) - old

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
            st.swap_staff(f, g, f2, h)
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

    def staff_kick(self) -> list[int]:
        """Perturb: swap two groups' facilitators (or observers) at random; the peers touched.

        A group's staff bound its common slots; a better formation may need
        other staff and other peers at once, which no single move reaches.
        """
        st, p, rng = self.state, self.p, self.rng
        if p.groups < 2:
            return []
        members = p.facilitators if rng.random() < 0.5 else p.observers
        for _ in range(8):
            g, h = rng.randrange(p.groups), rng.randrange(p.groups)
            mine = [f for f in st.staff[g] if f in members]
            theirs = [f for f in st.staff[h] if f in members]
            if g == h or not mine or not theirs:
                continue
            f, f2 = mine[rng.randrange(len(mine))], theirs[rng.randrange(len(theirs))]
            if f == f2 or f in st.staff[h] or f2 in st.staff[g]:
                continue
            if not self._swap_fits(f, g, f2, h):
                continue
            st.swap_staff(f, g, f2, h)
            st.refresh(g)
            st.refresh(h)
            return st.members[g] + st.members[h]
        return []

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
                    # the staff stay: an option they alone pay more for is no better (one
                    # they pay as much for may still gather payers from other groups)
                    fixed = sum(st.sc[f][s2] + st.lc[f][l2] for f in crew)
                    if fixed > now:
                        continue
                    payers = sum(
                        1
                        for i in st.members[g]
                        if st.sc[i][s2] + st.lc[i][l2] > st.sc[i][slot] + st.lc[i][lang]
                    )
                    options.append((payers, fixed, s2, l2))
            options.sort()
            for _, _, s2, l2 in options[: 16 if p.groups <= ALL_GROUPS else 4]:
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
        # a partner is checked with a few lookups: a quarter of a priced move
        checks = 0
        for i in payers:
            pays = st.sc[i][slot] + st.lc[i][lang]
            best, best_cost = (-1, -1), None
            # an applicant without a group can take i's place (i then has none)
            for j in outside:
                checks += 1
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
                    checks += 1
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
                self.evaluations += checks // 4
                return []
            partner, h = best
            plan.append((i, partner, h))
            if partner >= 0:
                taken.append(partner)
            else:
                growth[h] = growth.get(h, 0) + 1
                size_g -= 1
        self.evaluations += checks // 4
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

    def flex_pass(self) -> list[int]:
        """Try to make a rigid slot of each group common; the peers touched.

        A slot one or two members answered *no* to is freed by swapping
        those members, at once, with peers elsewhere who can attend it
        (schedule flexibility, the third tier). A single swap cannot free a
        slot that two members block, and changes nothing on the way.
        """
        st, p, rng = self.state, self.p, self.rng
        touched: list[int] = []
        if not st.w_rig:
            return touched
        t = st.t_no
        order = list(range(p.groups))
        rng.shuffle(order)
        for g in order:
            if self.evaluations >= self.budget:
                break
            ts = st.ts[g]
            options = [s for s in range(st.S) if t <= ts[s] < self.FREE * t]
            rng.shuffle(options)
            for s in options:
                groups = self._free_slot(g, s)
                if groups:
                    touched += [i for h in groups for i in st.members[h]]
                    break
        return touched

    def _free_slot(self, g: int, s: int) -> list[int]:
        """Swap the peers of g who answered no to slot s with peers who did not; groups touched."""
        st = self.state
        t = st.t_no
        blockers = [i for i in st.members[g] if st.sc[i][s] >= t]
        if not blockers or any(st.sc[f][s] >= t for f in st.staff[g]):
            return []
        # the groups that may change, chosen first, so that the cost before
        # and after is summed over them and their staff only
        places = sorted({h for i in blockers for h in self._candidates(i)} | {g})
        crew = sorted({f for h in places for f in st.staff[h]})
        before = st.part(places, crew) + st.w_bal * st.balance()
        saved = {g: (st.slot[g], st.lang[g])}
        done: list[tuple[int, int]] = []
        for i in blockers:
            # a partner who can attend s swaps in, or i moves to a group
            # that has room (one that is rigid where i is costs least)
            best, partner, target = None, -1, -1
            for h in places:
                if h == g:
                    continue
                self.evaluations += 1
                delta = st.move_delta(i, h)
                if delta is not None and (best is None or delta < best):
                    best, partner, target = delta, -1, h
                for j in st.members[h]:
                    if st.sc[j][s] >= t:
                        continue
                    self.evaluations += 1
                    delta = st.swap_delta(i, j)
                    if delta is not None and (best is None or delta < best):
                        best, partner, target = delta, j, h
            if target < 0:
                break
            saved.setdefault(target, (st.slot[target], st.lang[target]))
            if partner >= 0:
                st.swap(i, partner)
            else:
                st.move(i, target)
            done.append((i, partner))
        if len(done) == len(blockers) and st.part(places, crew) + st.w_bal * st.balance() <= before:
            return list(saved)
        for i, j in reversed(done):
            if j >= 0:
                st.swap(i, j)
            else:
                st.move(i, g)
        for h, (old_slot, old_lang) in saved.items():
            st.set_slot(h, old_slot)
            st.lang[h] = old_lang
        return []

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
