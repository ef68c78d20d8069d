"""Staff re-assigned over every group at once, by cancelling negative cycles.

Keep the peers, every group's language, and the staff of the other role;
then which facilitator (or observer) leads which group, and in which slot
the group meets, is a transportation problem: a staff member leads at most
as many groups as they may, at most one group per slot (no clash), each
group has its one member of the role, and a group costs what its slot
costs its people ("if need be" answers) plus the slots they cannot all
attend (rigid slots) plus its language. Min-cost flow: source -> staff
member -> (staff member, slot) -> group -> sink; a group may move only to a
slot everyone else in it can attend and where the other role's staff have
no other group. The current staffing is
a flow; each negative cycle of its residual graph (found as in
:mod:`._cancel`) is a chain of staff changes of any length: f leaves g
for h, whose f2 moves on, ... Kept when the exact cost falls.

Only for a role with one member per group (the default); the exact cost
has the last word either way. This is emessi's own search device.
"""

from __future__ import annotations

from operator import sub

from emessi.formation._cancel import Cancel, negative_cycle

__all__ = ["Crew"]


class Crew(Cancel):
    """The exact re-staffing of one role, as a pass."""

    #: Bellman-Ford passes per cycle found, at most.
    CREW_PASSES = 40
    #: Cycles cancelled per role and call, at most.
    CREW_CYCLES = 20

    def crew_pass(self) -> list[int]:
        """Cancel negative staffing cycles of each role while the exact cost falls; peers touched.

        The roles take turns until neither changes (a change of one can
        make the other's staffing improvable), at most :attr:`CREW_CYCLES`
        cycles in all.
        """
        st, p = self.state, self.p
        touched: list[int] = []
        if not st.has_slots or p.groups < 2:
            return touched
        roles = self._roles()
        cycles, settled, turn = 0, 0, 0
        while roles and settled < len(roles) and cycles < self.CREW_CYCLES:
            if self.evaluations >= self.budget:
                break
            role = roles[turn % len(roles)]
            self._masks()
            changes = self._staff_cycle(role)
            groups = self._restaff(changes) if changes else []
            if groups:
                cycles += 1
                settled = 0
                touched += [i for g in groups for i in st.members[g] if i not in touched]
            else:
                settled += 1
                turn += 1
        return touched

    def _roles(self) -> list[list[int]]:
        """The roles with one member per group and at least two people: those these passes staff."""
        p = self.p
        return [
            role
            for role, per_group in (
                (p.facilitators, p.per_group_facilitators),
                (p.observers, p.per_group_observers),
            )
            if per_group == 1 and len(role) >= 2
        ]

    def _around(self, in_role: set[int], loose: int = -1) -> tuple[list[int], list[int]]:
        """Per group, its member of the role (-1: none) and the 'no' slots of everyone else.

        In group *loose* the other role's staff are left out too.
        """
        st, no = self.state, self.no_mask
        leader, others = [-1] * self.p.groups, [0] * self.p.groups
        for g in range(self.p.groups):
            mask = 0
            for i in st.members[g]:
                mask |= no[i]
            for f in st.staff[g]:
                if f in in_role:
                    leader[g] = f
                elif g != loose:
                    mask |= no[f]
            others[g] = mask
        return leader, others

    def swap_cancel_pass(self) -> list[int]:
        """Swap two groups' staff where no rigid slot is added, then re-optimise the preferences.

        A swap that keeps the number of rigid slots can still change which
        slots are common in each group, and so who may be where; the
        preferences pass over every group (:meth:`Cancel.cancel_pass`) then
        finds what that allows. Each swap, tried in random order while the
        budget lasts, is kept only if the exact cost fell. The peers
        touched.
        """
        st, p, rng = self.state, self.p, self.rng
        if not st.has_slots or p.groups < 2:
            return []
        self._masks()
        no, full = self.no_mask, (1 << st.S) - 1
        candidates: list[tuple[int, int, int, int]] = []
        for role in self._roles():
            leader, others = self._around(set(role))
            for g in range(p.groups):
                f = leader[g]
                for h in range(g + 1, p.groups):
                    f2 = leader[h]
                    if f < 0 or f2 < 0 or f == f2 or f in st.staff[h] or f2 in st.staff[g]:
                        continue
                    now = ((others[g] | no[f]) & full).bit_count()
                    now += ((others[h] | no[f2]) & full).bit_count()
                    then = ((others[g] | no[f2]) & full).bit_count()
                    then += ((others[h] | no[f]) & full).bit_count()
                    if then <= now and self._swap_fits(f, g, f2, h):
                        candidates.append((f, g, f2, h))
        rng.shuffle(candidates)
        for f, g, f2, h in candidates:
            if self.evaluations >= self.budget:
                break
            self.evaluations += 4
            before, start = st.total(), st.solution()
            saved = st.places()
            st.swap_staff(f, g, f2, h)
            self._settle({g, h}, saved)
            self.cancel_pass()
            if st.total() < before:
                return list(range(p.n_peers))
            st.load(start)
        return []

    def crew_pair_pass(self) -> list[int]:
        """Re-staff one role ignoring the other in one group, then both exactly; peers touched.

        The two roles share each group's slot, so a better formation can
        need both changed at once (a group moves to a slot its observer
        cannot attend, and observers trade places), which neither role's
        exact pass reaches alone. So, group by group, one role is
        re-staffed as if that group's member of the other role could be
        changed at will, whatever it costs; both roles' exact passes
        follow; the whole is kept only if the exact cost fell.
        """
        st, p, rng = self.state, self.p, self.rng
        if not st.has_slots or p.groups < 2:
            return []
        order = list(range(p.groups))
        rng.shuffle(order)
        for role in self._roles():
            for g in order:
                if self.evaluations >= self.budget:
                    return []
                self._masks()
                changes = self._staff_cycle(role, loose=g)
                if not changes:
                    continue
                before, start = st.total(), st.solution()
                self._restaff(changes, force=True)
                self.crew_pass()
                if st.total() < before:
                    return list(range(p.n_peers))
                st.load(start)
        return []

    def _staff_cycle(self, role: list[int], loose: int = -1) -> list[tuple[int, int, int, bool]]:
        """A negative cycle of the role's residual graph as (staff, group, slot, joins) changes.

        A staff member joins a group at one of the slots it could move to
        (the group then meets there), so a cycle can move groups between
        slots as well as change their staff. In group *loose* the other
        role's staff are left out (their answers, other groups and rigid
        slots), as if they could be changed at will; the other role's pass
        then resolves what they cannot attend.
        """
        st, p = self.state, self.p
        k, S = p.groups, st.S
        no, t_no, w_rig = self.no_mask, st.t_no, st.w_rig
        full = (1 << S) - 1
        in_role = set(role)
        leaders, others = self._around(in_role, loose)
        # nodes: 0 source, then per staff member 1 + S (itself, then per slot), then groups
        base = {f: 1 + x * (S + 1) for x, f in enumerate(role)}
        group0 = 1 + len(role) * (S + 1)
        arcs: list[tuple[int, int, int, int]] = []
        for f in role:
            u = base[f]
            used = len(st.sgroups[f])
            if used < p.capacity[f]:
                arcs.append((0, u, 0, -1))
            if used:
                arcs.append((u, 0, 0, -1))
            counts = st.scnt[f]
            for s in range(S):
                if counts[s]:
                    # leaving one of two groups in a slot ends a clash
                    arcs.append((u + 1 + s, u, -st.w_clash if counts[s] > 1 else 0, -1))
                else:
                    arcs.append((u, u + 1 + s, 0, -1))
        for g in range(k):
            now, lang = st.slot[g], st.lang[g]
            leader = leaders[g]
            rest = list(st.ts[g])
            for f in st.staff[g]:
                if f == leader or (g == loose and f not in in_role):
                    rest = list(map(sub, rest, st.sc[f]))
            # the slots g may move to: everyone else can attend, and the other
            # role's staff have no other group there
            slots = [
                s
                for s in range(S)
                if s == now
                or (
                    rest[s] < t_no
                    and (
                        g == loose
                        or not any(st.scnt[o][s] for o in st.staff[g] if o not in in_role)
                    )
                )
            ]
            for f in role:
                leads = f == leader
                if not leads and not st.conflict_free(f, g):
                    continue
                fixed = w_rig * ((others[g] | no[f]) & full).bit_count() + st.lc[f][lang]
                for s in slots:
                    if st.sc[f][s] >= t_no and not (leads and s == now):
                        continue
                    price = fixed + rest[s] + st.sc[f][s]
                    label = 2 * ((f * k + g) * S + s)
                    if leads and s == now:
                        arcs.append((group0 + g, base[f] + 1 + s, -price, label + 1))
                    else:
                        arcs.append((base[f] + 1 + s, group0 + g, price, label))
        cycle, work = negative_cycle(arcs, group0 + k, self.CREW_PASSES)
        self.evaluations += work
        changes = []
        for e in cycle:
            label = arcs[e][3]
            if label >= 0:
                rest_, s = divmod(label // 2, S)
                f, g = divmod(rest_, k)
                changes.append((f, g, s, not label & 1))
        return changes

    def _restaff(self, changes: list[tuple[int, int, int, bool]], force: bool = False) -> list[int]:
        """Apply staff *changes* if the exact cost falls (or *force*); the groups changed."""
        st = self.state
        before = st.total()
        saved = st.places()
        for f, g, _, joins in changes:
            if not joins:
                st.take_staff(f, g)
        for f, g, s, joins in changes:
            if joins:
                st.put_staff(f, g)
                st.set_slot(g, s)
        changed = {g for _, g, _, _ in changes}
        self._settle(changed, st.places())
        if force or st.total() < before:
            return sorted(changed)
        for f, g, _, joins in changes:
            if joins:
                st.take_staff(f, g)
        st.restore(saved)
        for f, g, _, joins in changes:
            if not joins:
                st.put_staff(f, g)
        return []
