"""The heuristic's mutable search state, priced incrementally.

Per group the state keeps the summed slot and language costs of its members
(``ts``, ``tl``), so moving or swapping peers is priced in O(slots +
languages) without rescanning the group. A staff member who leads several
groups makes those groups' slots depend on each other; ``bv[g]`` holds, per
slot, the clash cost group *g* would add there given the other groups'
current slots, and is refreshed only when a slot or the staff changes.

Only integer-indexed lists are iterated, never sets of strings, so the
search is the same whatever the hash seed.
"""

from __future__ import annotations

from operator import add, sub

from emessi.formation._problem import Problem, Solution

__all__ = ["State", "argmin"]


def argmin(values: list[int]) -> tuple[int, int]:
    """The index and value of the smallest entry; the first one on a tie."""
    low = min(values)
    return values.index(low), low


class State:
    """Groups, their members and staff, slots and languages, and the exact cost."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        w = problem.weights
        self.w_un = w["unassigned"]
        self.w_clash = w["staff_clash"]
        self.w_bal = w["balance"]
        # Repeats (diversity, and peers of one organisation placed together)
        # are tracked already weighted, so their weight here is 1.
        self.w_div = 1
        self.k = problem.groups
        self.has_slots = bool(problem.slots)
        people = len(problem.ids)
        self.sc = [list(c) for c in problem.slot_cost] if self.has_slots else [[0]] * people
        self.lc = [list(c) for c in problem.lang_cost] if problem.languages else [[0]] * people
        self.S = len(problem.slots) or 1
        self.L = len(problem.languages) or 1
        # Rigid slots (someone answered "no"): a "no" costs at least t_no in
        # a slot's summed cost, and every "if need be" together costs less,
        # so a summed cost of t_no or more marks a rigid slot.
        self.t_no = w["unavailable"]
        self.w_rig = w["rigid_slots"] if self.has_slots and self.t_no > 0 else 0
        self.vals = list(problem.diversity)
        self.vw = [w["diversity"]] * len(self.vals)
        if problem.home and problem.home != problem.org and w["same_organisation"]:
            self.vals.append(problem.home)
            self.vw.append(w["same_organisation"])
        self.dev = [
            max(0, problem.pref_lo - n, n - problem.pref_hi) * w["size"]
            for n in range(problem.hi + 2)
        ]
        self.reset()

    def reset(self) -> None:
        """Empty groups without staff, every group in slot 0."""
        k, p = self.k, self.p
        self.group_of = [-1] * p.n_peers
        self.members: list[list[int]] = [[] for _ in range(k)]
        self.orgs: list[dict[int, int]] = [{} for _ in range(k)]
        self.ts = [[0] * self.S for _ in range(k)]
        self.tl = [[0] * self.L for _ in range(k)]
        self.slot = [0] * k
        self.at_slot: list[list[int]] = [[] for _ in range(self.S)]
        self.at_slot[0] = list(range(k))
        self.pos = list(range(k))
        self.lang = [0] * k
        self.dv: list[list[dict[int, int]]] = [[{} for _ in range(k)] for _ in self.vals]
        self.rep = [0] * k
        self.staff: list[list[int]] = [[] for _ in range(k)]
        self.sgroups: dict[int, list[int]] = {f: [] for f in p.staff}
        self.scnt: dict[int, list[int]] = {f: [0] * self.S for f in p.staff}
        self.bv: list[list[int] | None] = [None] * k
        self.hist = [0] * (p.hi + 2)
        self.hist[0] = k
        self.unassigned = p.n_peers

    # -- costs -------------------------------------------------------------

    def rigid(self, vec: list[int]) -> int:
        """The weighted count of rigid slots in a group's summed slot costs *vec*."""
        if not self.w_rig:
            return 0
        return self.w_rig * sum(map(self.t_no.__le__, vec))

    def blocks(self, i: int, g: int) -> bool:
        """Whether peer i alone keeps some slot of group g from being common."""
        if not self.w_rig:
            return False
        t, ts = self.t_no, self.ts[g]
        return any(c >= t and ts[s] - c < t for s, c in enumerate(self.sc[i]))

    def pick_slot(self, g: int, vec: list[int]) -> tuple[int, int]:
        """The best slot for g if its slot costs were *vec*: (slot, cost with clashes)."""
        bv = self.bv[g]
        if bv is None:
            return argmin(vec)
        return argmin(list(map(add, vec, bv)))

    def local(self, g: int) -> int:
        """Group g's cost: slot, clashes there, language, size, diversity."""
        s = self.slot[g]
        cost = self.ts[g][s] + self.tl[g][self.lang[g]] + self.rigid(self.ts[g])
        cost += self.dev[len(self.members[g])] + self.w_div * self.rep[g]
        bv = self.bv[g]
        return cost + bv[s] if bv is not None else cost

    def pays(self, g: int) -> bool:
        """Whether group g pays for its slot, language or a clash there."""
        s = self.slot[g]
        bv = self.bv[g]
        return bool(self.ts[g][s] or self.tl[g][self.lang[g]] or (bv is not None and bv[s]))

    def balance(self) -> int:
        """Largest minus smallest group size."""
        hist = self.hist
        low = 0
        while hist[low] == 0:
            low += 1
        high = len(hist) - 1
        while hist[high] == 0:
            high -= 1
        return high - low

    def total(self) -> int:
        """The exact objective of the current state (recomputed, not tracked)."""
        cost = self.w_un * self.unassigned + self.w_bal * self.balance()
        for g in range(self.k):
            cost += self.ts[g][self.slot[g]] + self.tl[g][self.lang[g]] + self.rigid(self.ts[g])
            cost += self.dev[len(self.members[g])] + self.w_div * self.rep[g]
        if self.has_slots:
            for counts in self.scnt.values():
                cost += self.w_clash * sum(c - 1 for c in counts if c > 1)
        return cost

    def part(self, groups: list[int], staff: list[int]) -> int:
        """The cost terms that swaps, staff or slot changes in *groups* can alter.

        The groups' own costs and the clashes of *staff*, who must include
        everyone on those groups' staff before and after the change. Exact
        for any change that keeps group sizes.
        """
        cost = 0
        for g in groups:
            cost += self.ts[g][self.slot[g]] + self.tl[g][self.lang[g]] + self.rigid(self.ts[g])
            cost += self.dev[len(self.members[g])] + self.w_div * self.rep[g]
        if self.has_slots:
            for f in staff:
                cost += self.w_clash * sum(c - 1 for c in self.scnt[f] if c > 1)
        return cost

    def balance_change(self, g: int, h: int) -> int:
        """How the size spread changes if g loses a peer and h gains one (-1: none)."""
        hist = self.hist
        now = self.balance()
        sg = len(self.members[g]) if g >= 0 else 0
        sh = len(self.members[h]) if h >= 0 else 0
        if g >= 0:
            hist[sg] -= 1
            hist[sg - 1] += 1
        if h >= 0:
            hist[sh] -= 1
            hist[sh + 1] += 1
        after = self.balance()
        if h >= 0:
            hist[sh + 1] -= 1
            hist[sh] += 1
        if g >= 0:
            hist[sg - 1] -= 1
            hist[sg] += 1
        return after - now

    # -- slots and staff ---------------------------------------------------

    def _refresh_bv(self, groups: list[int]) -> None:
        if not self.has_slots:
            return
        w, scnt, sgroups = self.w_clash, self.scnt, self.sgroups
        for g in groups:
            own = self.slot[g]
            vec = None
            for f in self.staff[g]:
                if len(sgroups[f]) < 2:
                    continue
                counts = scnt[f]
                row = [w if c else 0 for c in counts]
                row[own] = w if counts[own] > 1 else 0
                vec = row if vec is None else list(map(add, vec, row))
            self.bv[g] = vec

    def _related(self, g: int) -> list[int]:
        related = [g]
        for f in self.staff[g]:
            related += [h for h in self.sgroups[f] if h not in related]
        return related

    def set_slot(self, g: int, s: int) -> None:
        """Put group g in slot s."""
        old = self.slot[g]
        if old == s:
            return
        for f in self.staff[g]:
            counts = self.scnt[f]
            counts[old] -= 1
            counts[s] += 1
        self.slot[g] = s
        bucket = self.at_slot[old]
        last = bucket.pop()
        if last != g:
            bucket[self.pos[g]] = last
            self.pos[last] = self.pos[g]
        self.pos[g] = len(self.at_slot[s])
        self.at_slot[s].append(g)
        if self.bv[g] is not None:
            self._refresh_bv(self._related(g))

    def refresh(self, g: int) -> None:
        """Choose g's best slot and language for its current members and staff."""
        if self.has_slots:
            self.set_slot(g, self.pick_slot(g, self.ts[g])[0])
        self.lang[g] = argmin(self.tl[g])[0]

    def put_staff(self, f: int, g: int) -> None:
        """Make f a staff member of g."""
        self.staff[g].append(f)
        self.staff[g].sort()
        self.sgroups[f].append(g)
        self.scnt[f][self.slot[g]] += 1
        self.ts[g] = list(map(add, self.ts[g], self.sc[f]))
        self.tl[g] = list(map(add, self.tl[g], self.lc[f]))
        self._refresh_bv(self.sgroups[f])

    def take_staff(self, f: int, g: int) -> None:
        """Remove f from the staff of g."""
        self.staff[g].remove(f)
        self.sgroups[f].remove(g)
        self.scnt[f][self.slot[g]] -= 1
        self.ts[g] = list(map(sub, self.ts[g], self.sc[f]))
        self.tl[g] = list(map(sub, self.tl[g], self.lc[f]))
        self._refresh_bv([*self.sgroups[f], g])

    def swap_staff(self, f: int, g: int, f2: int, h: int) -> None:
        """Staff member f leaves g for h, and f2 leaves h for g (slots unchanged)."""
        self.take_staff(f, g)
        self.take_staff(f2, h)
        self.put_staff(f2, g)
        self.put_staff(f, h)

    def places(self) -> dict[int, tuple[int, int]]:
        """Every group's slot and language, to put back with :meth:`restore`."""
        return {g: (self.slot[g], self.lang[g]) for g in range(self.k)}

    def restore(self, places: dict[int, tuple[int, int]]) -> None:
        """Put the groups back in the slots and languages of :meth:`places`."""
        for g, (slot, lang) in places.items():
            self.set_slot(g, slot)
            self.lang[g] = lang

    def staff_fits(self, f: int, g: int, without: int = -1) -> bool:
        """Whether staff member f may join group g (replacing *without*)."""
        p = self.p
        if f in self.staff[g] or len(self.sgroups[f]) >= p.capacity[f]:
            return False
        for other in p.conflicts[f]:
            if other < p.n_peers:
                if self.group_of[other] == g:
                    return False
            elif other != without and other in self.staff[g]:
                return False
        return True

    # -- peers -------------------------------------------------------------

    def add(self, i: int, g: int) -> None:
        """Put peer i into group g (no checks, slot unchanged)."""
        size = len(self.members[g])
        self.hist[size] -= 1
        self.hist[size + 1] += 1
        self.members[g].append(i)
        self.group_of[i] = g
        self.unassigned -= 1
        org = self.p.org[i]
        if org >= 0:
            orgs = self.orgs[g]
            orgs[org] = orgs.get(org, 0) + 1
        self.ts[g] = list(map(add, self.ts[g], self.sc[i]))
        self.tl[g] = list(map(add, self.tl[g], self.lc[i]))
        for a, values in enumerate(self.vals):
            v = values[i]
            if v >= 0:
                counts = self.dv[a][g]
                n = counts.get(v, 0)
                if n:
                    self.rep[g] += self.vw[a]
                counts[v] = n + 1

    def remove(self, i: int) -> None:
        """Take peer i out of its group (no checks, slot unchanged)."""
        g = self.group_of[i]
        size = len(self.members[g])
        self.hist[size] -= 1
        self.hist[size - 1] += 1
        self.members[g].remove(i)
        self.group_of[i] = -1
        self.unassigned += 1
        org = self.p.org[i]
        if org >= 0:
            orgs = self.orgs[g]
            if orgs[org] > 1:
                orgs[org] -= 1
            else:
                del orgs[org]
        self.ts[g] = list(map(sub, self.ts[g], self.sc[i]))
        self.tl[g] = list(map(sub, self.tl[g], self.lc[i]))
        for a, values in enumerate(self.vals):
            v = values[i]
            if v >= 0:
                counts = self.dv[a][g]
                n = counts[v]
                if n > 1:
                    self.rep[g] -= self.vw[a]
                    counts[v] = n - 1
                else:
                    del counts[v]

    def fits(self, i: int, g: int, without: int = -1) -> bool:
        """Whether peer i may join g, if peer *without* leaves g at the same time."""
        p = self.p
        if p.separate:
            org = p.org[i]
            if org >= 0 and org in self.orgs[g] and (without < 0 or p.org[without] != org):
                return False
        return not p.conflicts[i] or self.conflict_free(i, g, without)

    def conflict_free(self, i: int, g: int, without: int = -1) -> bool:
        """Whether person i (peer or staff) has no conflict with anyone in g but *without*."""
        p = self.p
        for other in p.conflicts[i]:
            if other < p.n_peers:
                if other != without and self.group_of[other] == g:
                    return False
            elif other in self.staff[g]:
                return False
        return True

    def rep_out(self, i: int, g: int) -> int:
        """How g's diversity repeats change if peer i leaves it."""
        change = 0
        for a, values in enumerate(self.vals):
            v = values[i]
            if v >= 0 and self.dv[a][g].get(v, 0) > 1:
                change -= self.vw[a]
        return change

    def rep_in(self, i: int, g: int) -> int:
        """How g's diversity repeats change if peer i joins it."""
        change = 0
        for a, values in enumerate(self.vals):
            v = values[i]
            if v >= 0 and self.dv[a][g].get(v, 0) > 0:
                change += self.vw[a]
        return change

    def rep_swap(self, out: int, into: int, g: int) -> int:
        """How g's diversity repeats change if *out* leaves and *into* joins."""
        if len(self.vals) == 1:  # the usual case, without the loop (a hot path)
            values = self.vals[0]
            vo, vi = values[out], values[into]
            if vo == vi:
                return 0
            counts = self.dv[0][g]
            change = -self.vw[0] if vo >= 0 and counts.get(vo, 0) > 1 else 0
            if vi >= 0 and counts.get(vi, 0) > 0:
                change += self.vw[0]
            return change
        change = 0
        for a, values in enumerate(self.vals):
            vo, vi = values[out], values[into]
            if vo == vi:
                continue
            counts = self.dv[a][g]
            if vo >= 0 and counts.get(vo, 0) > 1:
                change -= self.vw[a]
            if vi >= 0 and counts.get(vi, 0) > 0:
                change += self.vw[a]
        return change

    def price(self, g: int, ts: list[int], tl: list[int], size: int, rep: int) -> int:
        """The cost of group g if its sums, size and repeats were these."""
        bv = self.bv[g]
        slot = min(ts) if bv is None else min(map(add, ts, bv))
        return slot + self.rigid(ts) + min(tl) + self.dev[size] + self.w_div * rep

    def move_delta(self, i: int, h: int) -> int | None:
        """The cost change of moving peer i to group h (-1: out); None if not allowed."""
        g = self.group_of[i]
        p = self.p
        if h >= 0 and (len(self.members[h]) >= p.hi or not self.fits(i, h)):
            return None
        if g >= 0 and len(self.members[g]) <= p.lo:
            return None
        delta = 0
        if g >= 0:
            ts = list(map(sub, self.ts[g], self.sc[i]))
            tl = list(map(sub, self.tl[g], self.lc[i]))
            size = len(self.members[g]) - 1
            delta += self.price(g, ts, tl, size, self.rep[g] + self.rep_out(i, g)) - self.local(g)
        else:
            delta -= self.w_un
        if h >= 0:
            ts = list(map(add, self.ts[h], self.sc[i]))
            tl = list(map(add, self.tl[h], self.lc[i]))
            size = len(self.members[h]) + 1
            delta += self.price(h, ts, tl, size, self.rep[h] + self.rep_in(i, h)) - self.local(h)
        else:
            delta += self.w_un
        if self.w_bal:
            delta += self.w_bal * self.balance_change(g, h)
        return delta

    def swap_delta(self, i: int, j: int) -> int | None:
        """The cost change of swapping peers i and j; None if not allowed."""
        g, h = self.group_of[i], self.group_of[j]
        if g == h:
            return None
        if h >= 0 and not self.fits(i, h, without=j):
            return None
        if g >= 0 and not self.fits(j, g, without=i):
            return None
        delta = 0
        if g >= 0:
            ts = list(map(add, map(sub, self.ts[g], self.sc[i]), self.sc[j]))
            tl = list(map(add, map(sub, self.tl[g], self.lc[i]), self.lc[j]))
            rep = self.rep[g] + self.rep_swap(i, j, g)
            delta += self.price(g, ts, tl, len(self.members[g]), rep) - self.local(g)
        if h >= 0:
            ts = list(map(add, map(sub, self.ts[h], self.sc[j]), self.sc[i]))
            tl = list(map(add, map(sub, self.tl[h], self.lc[j]), self.lc[i]))
            rep = self.rep[h] + self.rep_swap(j, i, h)
            delta += self.price(h, ts, tl, len(self.members[h]), rep) - self.local(h)
        return delta

    def move(self, i: int, h: int) -> None:
        """Move peer i to group h (-1: out of every group); re-choose slots."""
        g = self.group_of[i]
        if g >= 0:
            self.remove(i)
        if h >= 0:
            self.add(i, h)
        for x in (g, h):
            if x >= 0:
                self.refresh(x)

    def swap(self, i: int, j: int) -> None:
        """Swap peers i and j between their groups; re-choose slots."""
        g, h = self.group_of[i], self.group_of[j]
        if g >= 0:
            self.remove(i)
        if h >= 0:
            self.remove(j)
        if g >= 0:
            self.add(j, g)
        if h >= 0:
            self.add(i, h)
        for x in (g, h):
            if x >= 0:
                self.refresh(x)

    # -- conversion --------------------------------------------------------

    def solution(self) -> Solution:
        """The current state as a :class:`Solution`."""
        return Solution(
            list(self.group_of),
            [list(s) for s in self.staff],
            list(self.slot) if self.has_slots else [-1] * self.k,
            list(self.lang) if self.p.languages else [-1] * self.k,
        )

    def load(self, solution: Solution) -> None:
        """Rebuild the state from *solution*."""
        self.reset()
        for g in range(self.k):
            self.set_slot(g, max(solution.slot[g], 0))
            self.lang[g] = max(solution.lang[g], 0)
        for g, staff in enumerate(solution.staff):
            for f in staff:
                self.put_staff(f, g)
        for i, g in enumerate(solution.group_of):
            if g >= 0:
                self.add(i, g)
