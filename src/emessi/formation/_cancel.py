"""The soft preferences re-optimised over every group at once, by cancelling negative cycles.

Keep every group's slot, language, staff and common slots, and its size
within the sizes there are now and the preferred range, and let
a peer go only where they can attend all of that group's common slots (and
its slot), speak its language no worse than where they are, and have no
conflict with anyone there now (a conflict is a pair, which a flow cannot
price, so this is the safe side). Then the
cost left to lower is separable: each peer's answer at their group's slot
("if need be" costs), and per group a convex cost of each diversity value
(every peer past the first with it is a repeat). That is a min-cost flow,
source -> peer -> (group, organisation) -> (group, value) -> group -> sink
(its capacity the sizes a group may take),
with an organisation's place in a group of capacity one where
organisations are kept apart.

The current formation is a flow already; it is cheapest, in this
neighbourhood, exactly when its residual graph has no negative cycle
(the optimality condition of min-cost flow). Bellman-Ford finds one; each
cycle read back is a cyclic exchange of any length (peer x takes a place in
h, someone of h moves on, ...), which swaps and the three- and four-peer
exchanges of :mod:`._cycles` miss when it is longer. Applying it keeps every
higher tier and lowers the preferences; the exact cost has the last word.

This is emessi's own search device (the eMessi sources say nothing about
how groups are formed by a computer).
"""

from __future__ import annotations

from emessi.formation._chains import Chains

__all__ = ["Cancel", "negative_cycle"]


class Cancel(Chains):
    """The exact re-optimisation of the preferences, as a pass."""

    #: Bellman-Ford passes per cycle found, at most (the graph is shallow).
    PASSES = 60
    #: Cycles cancelled per call, at most.
    CYCLES = 40

    def cancel_pass(self) -> list[int]:
        """Cancel negative cycles of the preferences while the exact cost falls; the peers touched."""
        st = self.state
        touched: list[int] = []
        if self.p.groups < 2:
            return touched
        for _ in range(self.CYCLES):
            if self.evaluations >= self.budget:
                break
            self._masks()
            moves = self._negative_cycle()
            if not moves:
                break
            groups = self._commit(moves, set())
            if not groups:
                break
            touched += [i for h in groups for i in st.members[h] if i not in touched]
        return touched

    def _graph(self) -> tuple[list[tuple[int, int, int, int]], list[int]]:
        """The residual graph at the current formation: arcs (from, to, cost, peer or -1).

        With each node's group, in node order.
        """
        st, p = self.state, self.p
        k = p.groups
        no, common, t_no = self.no_mask, self.common, st.t_no
        sc, lc, slot, lang = st.sc, st.lc, st.slot, st.lang
        values = st.vals[0] if st.vals else None
        w = st.vw[0] if st.vals else 0
        separate, conflicts = p.separate, p.conflicts
        nodes: dict[tuple[int, ...], int] = {}

        def node(key: tuple[int, ...]) -> int:
            found = nodes.get(key)
            if found is None:
                found = nodes[key] = len(nodes)
            return found

        def okey(x: int) -> int:
            org = p.org[x]
            return org if separate and org >= 0 else -1 - x

        arcs: list[tuple[int, int, int, int]] = []
        # a place of (group, organisation) -> (group, value) -> group, and back
        entries: dict[tuple[int, int], int] = {}  # (group, okey) -> value
        best: dict[tuple[int, int], tuple[int, int]] = {}  # (from node, to node) -> (cost, peer)
        for x in range(p.n_peers):
            g = st.group_of[x]
            if g < 0:
                continue
            mask, lx, sx = no[x], lc[x], sc[x]
            here = sx[slot[g]] + lx[lang[g]]
            ok = okey(x)
            v = values[x] if values is not None else -1
            entries[(g, ok)] = v
            src = node((0, g, ok))
            for h in range(k):
                if h == g or mask & common[h] or sx[slot[h]] >= t_no:
                    continue
                if lx[lang[h]] > lx[lang[g]] or (conflicts[x] and not st.conflict_free(x, h)):
                    continue
                key = (h, ok)
                if key not in entries:
                    entries[key] = v
                dst = node((0, h, ok))
                price = sx[slot[h]] + lx[lang[h]] - here
                pair = (src, dst)
                if pair not in best or price < best[pair][0]:
                    best[pair] = (price, x)
        for (src, dst), (price, x) in best.items():
            arcs.append((src, dst, price, x))
        for (h, ok), v in entries.items():
            a = nodes[(0, h, ok)]
            b = node((1, h, v))
            inside = st.orgs[h].get(ok, 0) if ok >= 0 else int(st.group_of[-1 - ok] == h)
            if inside:
                arcs.append((b, a, 0, -1))
            else:
                arcs.append((a, b, 0, -1))
        group_node = [node((2, h)) for h in range(k)]
        for label, b in list(nodes.items()):
            if label[0] != 1:
                continue
            _, h, v = label
            n = st.dv[0][h].get(v, 0) if values is not None and v >= 0 else 0
            g = group_node[h]
            arcs.append((b, g, w if n >= 1 and v >= 0 else 0, -1))
            if n >= 1 or values is None or v < 0:
                arcs.append((g, b, -w if n >= 2 else 0, -1))
        # sizes may change within the sizes there are now and the preferred
        # range (neither the size tier nor the spread of sizes grows)
        sizes = [len(m) for m in st.members]
        low, high = max(min(sizes), p.pref_lo), min(max(sizes), p.pref_hi)
        sink = node((3, -1))
        for h in range(k):
            if low <= sizes[h] <= high:
                if sizes[h] < high:
                    arcs.append((group_node[h], sink, 0, -1))
                if sizes[h] > low:
                    arcs.append((sink, group_node[h], 0, -1))
        return arcs, [key[1] for key in nodes]

    def _negative_cycle(self) -> list[tuple[int, int, int]]:
        """A negative cycle of the residual graph as moves (peer, from, to); empty: none."""
        st = self.state
        arcs, group_at = self._graph()
        cycle, work = negative_cycle(arcs, len(group_at), self.PASSES)
        self.evaluations += work
        return [
            (arcs[e][3], st.group_of[arcs[e][3]], group_at[arcs[e][1]])
            for e in cycle
            if arcs[e][3] >= 0
        ]


def negative_cycle(
    arcs: list[tuple[int, int, int, int]], n: int, passes: int
) -> tuple[list[int], int]:
    """A negative cycle among *arcs* (from, to, cost, label) on *n* nodes, as arc indices.

    Bellman-Ford from every node at once (all distances 0), looking for a
    cycle among the parent arcs after each pass, which is then negative.
    Empty when a pass changes nothing (there is none) or after *passes*
    passes. With the work done, in evaluations (a priced move takes about
    as long as relaxing 32 arcs, measured at 200 applicants).
    """
    work = len(arcs) // 8
    dist = [0] * n
    parent = [-1] * n
    for _ in range(passes):
        work += len(arcs) // 32
        changed = False
        for e, (u, v, c, _) in enumerate(arcs):
            d = dist[u] + c
            if d < dist[v]:
                dist[v] = d
                parent[v] = e
                changed = True
        if not changed:
            return [], work
        cycle = _parent_cycle(arcs, parent, n)
        if cycle:
            if sum(arcs[e][2] for e in cycle) >= 0:
                return [], work
            return cycle, work
    return [], work


def _parent_cycle(arcs: list[tuple[int, int, int, int]], parent: list[int], n: int) -> list[int]:
    """A cycle among the parent arcs, as arc indices (empty: none)."""
    state = [0] * n  # 0 new, 1 on the current walk, 2 done
    for start in range(n):
        if state[start]:
            continue
        walk = []
        v = start
        while v >= 0 and state[v] == 0:
            state[v] = 1
            walk.append(v)
            e = parent[v]
            v = arcs[e][0] if e >= 0 else -1
        if v >= 0 and state[v] == 1:
            cycle = []
            u = v
            while True:
                e = parent[u]
                cycle.append(e)
                u = arcs[e][0]
                if u == v:
                    break
            return cycle[::-1]
        for u in walk:
            state[u] = 2
    return []
