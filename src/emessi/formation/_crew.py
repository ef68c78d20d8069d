"""Staff re-assigned over every group at once, by cancelling negative cycles.

Keep the peers, every group's slot and language, and the staff of the
other role; then which facilitator (or observer) leads which group is a
transportation problem: a staff member leads at most as many groups as
they may, at most one group per slot (no clash), each group has its one
member of the role, and a group costs the slots its people cannot all
attend (rigid slots) plus its language. Min-cost flow: source -> staff
member -> (staff member, slot) -> group -> sink. The current staffing is
a flow; each negative cycle of its residual graph (found as in
:mod:`._cancel`) is a chain of staff changes of any length: f leaves g
for h, whose f2 moves on, ... Kept when the exact cost falls.

Only for a role with one member per group (the default); the exact cost
has the last word either way. This is emessi's own search device.
"""

from __future__ import annotations

from emessi.formation._cancel import negative_cycle
from emessi.formation._chains import Chains

__all__ = ["Crew"]


class Crew(Chains):
    """The exact re-staffing of one role, as a pass."""

    #: Bellman-Ford passes per cycle found, at most.
    CREW_PASSES = 40
    #: Cycles cancelled per role and call, at most.
    CREW_CYCLES = 20

    def crew_pass(self) -> list[int]:
        """Cancel negative staffing cycles of each role while the exact cost falls; peers touched."""
        st, p = self.state, self.p
        touched: list[int] = []
        if not st.has_slots or p.groups < 2:
            return touched
        roles = (
            (p.facilitators, p.per_group_facilitators),
            (p.observers, p.per_group_observers),
        )
        for role, per_group in roles:
            if per_group != 1 or len(role) < 2:
                continue
            for _ in range(self.CREW_CYCLES):
                if self.evaluations >= self.budget:
                    break
                self._masks()
                changes = self._staff_cycle(role)
                if not changes:
                    break
                groups = self._restaff(changes)
                if not groups:
                    break
                touched += [i for g in groups for i in st.members[g] if i not in touched]
        return touched

    def _staff_cycle(self, role: list[int]) -> list[tuple[int, int, bool]]:
        """A negative cycle of the role's residual graph as (staff, group, joins) changes."""
        st, p = self.state, self.p
        k, S = p.groups, st.S
        no, t_no, w_rig = self.no_mask, st.t_no, st.w_rig
        full = (1 << S) - 1
        in_role = set(role)
        others = [0] * k  # the 'no' slots of everyone in g but this role's staff
        for g in range(k):
            mask = 0
            for i in st.members[g]:
                mask |= no[i]
            for f in st.staff[g]:
                if f not in in_role:
                    mask |= no[f]
            others[g] = mask
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
                    arcs.append((u + 1 + s, u, 0, -1))
                else:
                    arcs.append((u, u + 1 + s, 0, -1))
        for g in range(k):
            s, lang = st.slot[g], st.lang[g]
            for f in role:
                if st.sc[f][s] >= t_no:
                    continue
                leads = f in st.staff[g]
                if not leads and not self._staff_welcome(f, g):
                    continue
                price = w_rig * ((others[g] | no[f]) & full).bit_count() + st.lc[f][lang]
                label = 2 * (f * k + g)
                if leads:
                    arcs.append((group0 + g, base[f] + 1 + s, -price, label + 1))
                else:
                    arcs.append((base[f] + 1 + s, group0 + g, price, label))
        cycle, work = negative_cycle(arcs, group0 + k, self.CREW_PASSES)
        self.evaluations += work
        changes = []
        for e in cycle:
            label = arcs[e][3]
            if label >= 0:
                f, g = divmod(label // 2, k)
                changes.append((f, g, not label & 1))
        return changes

    def _staff_welcome(self, f: int, g: int) -> bool:
        """Whether staff member f may join g as far as conflicts go."""
        st, p = self.state, self.p
        for other in p.conflicts[f]:
            if other < p.n_peers:
                if st.group_of[other] == g:
                    return False
            elif other in st.staff[g]:
                return False
        return True

    def _restaff(self, changes: list[tuple[int, int, bool]]) -> list[int]:
        """Apply staff *changes* if the exact cost falls; the groups changed (empty: undone)."""
        st, p = self.state, self.p
        before = st.total()
        saved = {h: (st.slot[h], st.lang[h]) for h in range(p.groups)}
        for f, g, joins in changes:
            if not joins:
                st.take_staff(f, g)
        for f, g, joins in changes:
            if joins:
                st.put_staff(f, g)
        changed = {g for _, g, _ in changes}
        self._settle(changed, saved)
        if st.total() < before:
            return sorted(changed)
        for f, g, joins in changes:
            if joins:
                st.take_staff(f, g)
        for f, g, joins in changes:
            if not joins:
                st.put_staff(f, g)
        for h, (slot, lang) in saved.items():
            st.set_slot(h, slot)
            st.lang[h] = lang
        return []
