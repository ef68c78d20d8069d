"""The heuristic's greedy start: anchor slots, staff, then peers hardest first."""

from __future__ import annotations

from operator import add

# Imported under gettext's own name (Babel extracts it too): this module
# uses _ as a throwaway loop variable.
from emessi._i18n import _ as gettext
from emessi.errors import InfeasibleError
from emessi.formation._base import ALL_GROUPS, SAMPLE, Base
from emessi.formation._state import argmin

__all__ = ["Construction"]


class Construction(Base):
    """Builds a feasible first formation, or raises :class:`InfeasibleError`."""

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
                            gettext(
                                "the facilitators and observers cannot staff {groups} groups "
                                "without putting a conflict pair together"
                            ).format(groups=p.groups),
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
        if jitter and st.w_rig:
            # with rigid slots counted, uneven sizes may pay: a restart
            # moves peers between random groups' targets, within the range
            for _ in range(p.groups):
                g, h = rng.randrange(p.groups), rng.randrange(p.groups)
                step = rng.randint(0, 2)
                if g != h and target[g] - step >= p.lo and target[h] + step <= p.hi:
                    target[g] -= step
                    target[h] += step
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
        limit = SAMPLE // 2 if p.groups > ALL_GROUPS else p.groups
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
                if st.w_rig:  # the slots i would make rigid in g
                    extra += st.rigid(list(map(add, st.ts[g], costs))) - st.rigid(st.ts[g])
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
                        gettext(
                            "cannot fill every one of {groups} groups to at least {low} peers "
                            "while keeping organisations apart and conflict pairs separate"
                        ).format(groups=p.groups, low=p.lo),
                        path="groups",
                    )
                st.move(donors[0], g)
