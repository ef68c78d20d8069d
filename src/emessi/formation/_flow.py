"""Reassigning peers to groups by maximum flow, for a wanted set of common slots.

Given, per group, the slots that must stay (or become) common, a peer may
be in a group only if they can attend all of that group's wanted slots and
speak its language no worse than where they are. Peers of one organisation
stay apart, and each group's size stays within its bounds. Whether every
placed peer can be so placed is a flow problem: source -> peer -> (its
organisation, group) -> group -> sink, the group's edge to the sink split
into its lower bound and the room above it. The current formation is a
flow already, less the peers who are in the way; augmenting paths
(Edmonds-Karp, shortest first) then move as few peers as they can, each
path a chain of moves that may also undo part of an earlier one, which the
breadth-first ejection chains of :mod:`emessi.formation._chains` cannot.
"""

from __future__ import annotations

from collections import deque

from emessi.formation._state import State

__all__ = ["Opener", "reassign"]


class _Graph:
    """A residual graph: paired edges (e, e ^ 1), capacities as a list."""

    def __init__(self, nodes: int) -> None:
        self.to: list[int] = []
        self.cap: list[int] = []
        self.adj: list[list[int]] = [[] for _ in range(nodes)]

    def edge(self, u: int, v: int, capacity: int) -> int:
        self.to.append(v)
        self.cap.append(capacity)
        self.adj[u].append(len(self.to) - 1)
        self.to.append(u)
        self.cap.append(0)
        self.adj[v].append(len(self.to) - 1)
        return len(self.to) - 2

    def push(self, edges: list[int]) -> None:
        for e in edges:
            self.cap[e] -= 1
            self.cap[e ^ 1] += 1

    def augment(self, source: int, sink: int) -> bool:
        """Push one unit along a shortest path from source to sink; False if none."""
        to, cap, adj = self.to, self.cap, self.adj
        came: dict[int, int] = {source: -1}
        queue = deque([source])
        while queue:
            u = queue.popleft()
            for e in adj[u]:
                v = to[e]
                if cap[e] > 0 and v not in came:
                    came[v] = e
                    if v == sink:
                        path = []
                        while v != source:
                            e = came[v]
                            path.append(e)
                            v = to[e ^ 1]
                        self.push(path)
                        return True
                    queue.append(v)
        return False


def reassign(
    st: State,
    no_mask: list[int],
    target: list[int],
    low: list[int],
    high: list[int],
) -> tuple[list[tuple[int, int, int]] | None, int]:
    """Moves (peer, from, to) that place every placed peer within *target* (None: none).

    With the work done, in evaluations (each augmenting path scans the graph).
    """
    p = st.p
    k = p.groups
    placed = [i for i in range(p.n_peers) if st.group_of[i] >= 0]
    n = len(placed)
    # nodes: 0 source, 1 sink, 2 the room above the lower bounds, peers, groups, parts
    peer_node = {i: 3 + x for x, i in enumerate(placed)}
    group_node = [3 + n + g for g in range(k)]
    parts: dict[tuple[int, int], int] = {}
    separate = p.separate
    if separate:
        for i in placed:
            if p.org[i] >= 0:
                for g in range(k):
                    parts.setdefault((p.org[i], g), 3 + n + k + len(parts))
    graph = _Graph(3 + n + k + len(parts))
    part_edge = {node: graph.edge(node, group_node[g], 1) for (_, g), node in parts.items()}
    mandatory = [graph.edge(group_node[g], 1, low[g]) for g in range(k)]
    optional = [graph.edge(group_node[g], 2, high[g] - low[g]) for g in range(k)]
    room = graph.edge(2, 1, max(0, n - sum(low)))
    lang, lc = st.lang, st.lc
    into: dict[int, tuple[int, int]] = {}  # edge -> (peer, group)
    first: dict[int, int] = {}  # peer -> its edge into its current group
    start: dict[int, int] = {}
    for i in placed:
        u = peer_node[i]
        start[i] = graph.edge(0, u, 1)
        home = st.group_of[i]
        mask, li = no_mask[i], lc[i]
        for g in range(k):
            if mask & target[g] or li[lang[g]] > li[lang[home]]:
                continue
            org = p.org[i]
            v = parts[(org, g)] if separate and org >= 0 else group_node[g]
            e = graph.edge(u, v, 1)
            into[e] = (i, g)
            if g == home:
                first[i] = e
    # the current formation, less the peers in the way, is the first flow
    used_low = [0] * k
    for i in placed:
        e = first.get(i, -1)
        if e < 0:
            continue  # i is in the way where it is
        g = st.group_of[i]
        path = [start[i], e]
        org = p.org[i]
        if separate and org >= 0:
            path.append(part_edge[parts[(org, g)]])
        if used_low[g] < low[g]:
            used_low[g] += 1
            path.append(mandatory[g])
        else:
            path += [optional[g], room]
        graph.push(path)
    flow = sum(1 for i in placed if i in first)
    work = len(graph.to) // 16
    while flow < n:
        work += 1 + len(graph.to) // 16
        if not graph.augment(0, 1):
            return None, work
        flow += 1
    moves = []
    for e, (i, g) in into.items():
        if graph.cap[e] == 0 and g != st.group_of[i]:
            moves.append((i, st.group_of[i], g))
    return moves, work


class Opener:
    """One flow graph of the current formation, asked in turn to open one slot of one group.

    :func:`reassign` builds its graph for each question; a pass that asks
    about every rigid slot of every group builds it once here (again only
    after a change is kept): each question takes a copy of the
    capacities, closes the group to the peers who cannot attend the slot,
    takes the flow of those in it away, and looks for augmenting paths.
    """

    def __init__(self, st: State, no_mask: list[int], target: list[int]) -> None:
        p = st.p
        self.st, self.no_mask = st, no_mask
        sizes = [len(m) for m in st.members]
        # sizes stay within the preferred range, or no further from it
        low = [max(p.lo, min(n, p.pref_lo)) for n in sizes]
        high = [min(p.hi, max(n, p.pref_hi)) for n in sizes]
        placed = [i for i in range(p.n_peers) if st.group_of[i] >= 0]
        n, k = len(placed), p.groups
        self.n = n
        group_node = [3 + n + g for g in range(k)]
        graph = self.graph = _Graph(3 + n + k)
        parts: dict[tuple[int, int], int] = {}
        part_edge: dict[int, int] = {}

        def part(org: int, g: int) -> int:
            node = parts.get((org, g))
            if node is None:
                node = parts[(org, g)] = len(graph.adj)
                graph.adj.append([])
                part_edge[node] = graph.edge(node, group_node[g], 1)
            return node

        mandatory = [graph.edge(group_node[g], 1, low[g]) for g in range(k)]
        optional = [graph.edge(group_node[g], 2, high[g] - low[g]) for g in range(k)]
        room = graph.edge(2, 1, max(0, n - sum(low)))
        lang, lc, separate = st.lang, st.lc, p.separate
        #: per group, the edges into it: (peer, edge)
        self.into: list[list[tuple[int, int]]] = [[] for _ in range(k)]
        #: per placed peer, the edges of its unit of flow
        self.path: dict[int, list[int]] = {}
        used_low = [0] * k
        for x, i in enumerate(placed):
            u = 3 + x
            start = graph.edge(0, u, 1)
            home = st.group_of[i]
            mask, li = no_mask[i], lc[i]
            org = p.org[i]
            for g in range(k):
                if g != home and (mask & target[g] or li[lang[g]] > li[lang[home]]):
                    continue
                v = part(org, g) if separate and org >= 0 else group_node[g]
                e = graph.edge(u, v, 1)
                self.into[g].append((i, e))
                if g == home:
                    path = [start, e]
                    if separate and org >= 0:
                        path.append(part_edge[v])
                    if used_low[g] < low[g]:
                        used_low[g] += 1
                        path.append(mandatory[g])
                    else:
                        path += [optional[g], room]
                    graph.push(path)
                    self.path[i] = path
        self.work = len(graph.to) // 16

    def open(self, g: int, bit: int) -> list[tuple[int, int, int]] | None:
        """Moves (peer, from, to) after which nobody in g is unavailable at *bit*; None: none.

        Every other group keeps the slots it had to keep. The graph is left
        as it was.
        """
        st, graph, no = self.st, self.graph, self.no_mask
        saved = list(graph.cap)
        cap = graph.cap
        missing = 0
        for i, e in self.into[g]:
            if no[i] & bit:
                if st.group_of[i] == g:
                    for edge in self.path[i]:  # take its unit of flow away
                        cap[edge] += 1
                        cap[edge ^ 1] -= 1
                    missing += 1
                cap[e] = cap[e ^ 1] = 0
        found = True
        for _ in range(missing):
            self.work += 1 + len(graph.to) // 64  # a path is most often short
            if not graph.augment(0, 1):
                found = False
                break
        moves = None
        if found:
            moves = []
            for h, edges in enumerate(self.into):
                for i, e in edges:
                    if cap[e ^ 1] > 0 and h != st.group_of[i]:
                        moves.append((i, st.group_of[i], h))
        graph.cap = saved
        return moves
