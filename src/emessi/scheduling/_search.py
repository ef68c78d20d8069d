"""The programme planner's search: greedy, min-conflicts repair, then local improvement.

The problem is plain integers so the inner loops stay cheap: each group
chooses one of its candidate series; a series is a tuple of meetings
``(start, end, day)`` in minutes since the epoch and a local day number.
Two groups that share a person *clash* when a meeting of one starts less
than ``buffer`` minutes after a meeting of the other ends (in either
order); the clash count of two series is cached, so each pair of distinct
series is compared once however many groups use them. A person may have at
most ``cap`` meetings a day.

Hard: no clash, no day over the cap (together, the *violations*).
Soft: each candidate's own cost plus ``lonely`` for each staff day with a
single meeting. Work is counted in candidate evaluations, not seconds, so
the result depends on the seed only.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import attrs

__all__ = ["Problem", "Search", "Solved"]

Meeting = tuple[int, int, int]


@attrs.frozen
class Problem:
    """The planning problem in integers."""

    series: Sequence[tuple[Meeting, ...]]
    cands: Sequence[Sequence[int]]  # per group: candidate series, cheapest first
    costs: Sequence[Sequence[int]]  # per group: each candidate's own cost
    shared: Sequence[Sequence[int]]  # per group: its people who are in another group too
    staff: Sequence[Sequence[int]]  # per group: its staff (for lonely days)
    people: int
    buffer: int
    cap: int
    lonely: int

    @property
    def groups(self) -> int:
        """How many groups."""
        return len(self.cands)


@attrs.frozen
class Solved:
    """A choice of candidate per group, its violations and objective."""

    choice: tuple[int, ...]
    violations: int
    objective: int
    evaluations: int


_BIG = 1 << 40
#: Per candidate list: series -> index, day -> indices, meetings per candidate.
_Table = tuple[dict[int, int], dict[int, list[int]], list[int]]


def _clash_rows(series: Sequence[tuple[Meeting, ...]], gap: int) -> list[dict[int, int]]:
    """For each series, the series it clashes with and how many meeting pairs clash.

    One sweep over every meeting sorted by start: a meeting clashes with the
    ones that start before it ends plus the buffer.
    """
    rows: list[dict[int, int]] = [{} for _ in series]
    meetings = sorted((s, e, k) for k, items in enumerate(series) for s, e, _ in items)
    total = len(meetings)
    for index, (_, end, a) in enumerate(meetings):
        limit = end + gap
        j = index + 1
        while j < total and meetings[j][0] < limit:
            b = meetings[j][2]
            j += 1
            if a != b:
                rows[a][b] = rows[a].get(b, 0) + 1
                rows[b][a] = rows[b].get(a, 0) + 1
    for k, items in enumerate(series):
        rows[k][k] = len(items)
    return rows


class Search:
    """The mutable search state over a :class:`Problem`."""

    def __init__(self, problem: Problem, seed: int) -> None:
        self.p = problem
        self.rng = random.Random(seed)
        n = problem.groups
        self.days_of = [tuple(m[2] for m in s) for s in problem.series]
        groups_of: list[list[int]] = [[] for _ in range(problem.people)]
        for g in range(n):
            for person in problem.shared[g]:
                groups_of[person].append(g)
        # The groups each group clashes through, once per shared person.
        self.nbrs = [
            [h for person in problem.shared[g] for h in groups_of[person] if h != g]
            for g in range(n)
        ]
        self.touch = [sorted({*problem.shared[g], *problem.staff[g]}) for g in range(n)]
        self.days: list[dict[int, int]] = [{} for _ in range(problem.people)]
        self.sid = [-1] * n
        self.choice = [-1] * n
        self.base = 0
        self.lonely_days = 0
        self.violations = 0
        self.evaluations = 0
        self.is_staff = [False] * problem.people
        for g in range(n):
            for person in problem.staff[g]:
                self.is_staff[person] = True
        self.rows = _clash_rows(problem.series, problem.buffer)
        # Groups with the same candidates share their lookup tables.
        shared_tables: dict[tuple[int, ...], _Table] = {}
        self.tables = []
        for g in range(n):
            key = tuple(problem.cands[g])
            table = shared_tables.get(key)
            if table is None:
                pos = {s: i for i, s in enumerate(key)}
                byday: dict[int, list[int]] = {}
                for i, s in enumerate(key):
                    for d in self.days_of[s]:
                        byday.setdefault(d, []).append(i)
                lengths = [len(self.days_of[s]) for s in key]
                table = shared_tables[key] = (pos, byday, lengths)
            self.tables.append(table)

    # -- bookkeeping ---------------------------------------------------------

    def clash(self, a: int, b: int) -> int:
        """How many meeting pairs of series *a* and *b* are too close."""
        return self.rows[a].get(b, 0)

    @property
    def objective(self) -> int:
        """The soft cost of the current state."""
        return self.base + self.p.lonely * self.lonely_days

    def add(self, g: int, c: int) -> None:
        """Give group *g* its candidate *c*."""
        p = self.p
        s = p.cands[g][c]
        days = self.days_of[s]
        cap = p.cap
        violations = sum(self.clash(s, self.sid[h]) for h in self.nbrs[g] if self.sid[h] >= 0)
        for person in p.shared[g]:
            booked = self.days[person]
            violations += sum(1 for d in days if booked.get(d, 0) >= cap)
        for person in self.touch[g]:
            booked = self.days[person]
            staff = self.is_staff[person]
            for d in days:
                before = booked.get(d, 0)
                booked[d] = before + 1
                if staff:
                    self.lonely_days += 1 if before == 0 else (-1 if before == 1 else 0)
        self.violations += violations
        self.base += p.costs[g][c]
        self.sid[g], self.choice[g] = s, c

    def remove(self, g: int) -> None:
        """Take group *g*'s candidate away."""
        p = self.p
        s, c = self.sid[g], self.choice[g]
        if s < 0:
            return
        self.sid[g] = self.choice[g] = -1
        days = self.days_of[s]
        for person in self.touch[g]:
            booked = self.days[person]
            staff = self.is_staff[person]
            for d in days:
                after = booked[d] - 1
                if after:
                    booked[d] = after
                else:
                    del booked[d]
                if staff:
                    self.lonely_days += -1 if after == 0 else (1 if after == 1 else 0)
        cap = p.cap
        violations = sum(self.clash(s, self.sid[h]) for h in self.nbrs[g] if self.sid[h] >= 0)
        for person in p.shared[g]:
            booked = self.days[person]
            violations += sum(1 for d in days if booked.get(d, 0) >= cap)
        self.violations -= violations
        self.base -= p.costs[g][c]

    def violations_of(self, g: int) -> int:
        """The violations group *g*'s current series takes part in."""
        s = self.sid[g]
        if s < 0:
            return 0
        found = sum(self.clash(s, self.sid[h]) for h in self.nbrs[g] if self.sid[h] >= 0)
        cap = self.p.cap
        for person in self.p.shared[g]:
            booked = self.days[person]
            found += sum(1 for d in self.days_of[s] if booked.get(d, 0) > cap)
        return found

    def evaluate(self, g: int) -> tuple[list[int], list[int]]:
        """The violations and the soft cost of each candidate of *g*, which has none now."""
        p = self.p
        cap, lonely = p.cap, p.lonely
        pos, byday, lengths = self.tables[g]
        bad = [0] * len(lengths)
        sid, rows = self.sid, self.rows
        for h in self.nbrs[g]:
            t = sid[h]
            if t < 0:
                continue
            for s, count in rows[t].items():
                i = pos.get(s)
                if i is not None:
                    bad[i] += count
        for person in p.shared[g]:
            for d, n in self.days[person].items():
                if n >= cap:
                    for i in byday.get(d, ()):
                        bad[i] += 1
        staff = p.staff[g]
        alone = [len(staff) * k for k in lengths]
        for person in staff:
            for d, n in self.days[person].items():
                found = byday.get(d)
                if found:
                    less = 2 if n == 1 else 1
                    for i in found:
                        alone[i] -= less
        self.evaluations += len(lengths)
        return bad, [c + lonely * a for c, a in zip(p.costs[g], alone, strict=True)]

    # -- phases --------------------------------------------------------------

    def greedy(self) -> None:
        """Place the most constrained groups first, each on its best candidate."""
        p = self.p
        order = sorted(range(p.groups), key=lambda g: (-len(self.nbrs[g]), len(p.cands[g]), g))
        for g in order:
            bad, cost = self.evaluate(g)
            best = min(range(len(bad)), key=lambda i: (bad[i], cost[i], i))
            self.add(g, best)

    def repair(self, steps: int) -> None:
        """Min-conflicts: move a conflicted group to its least conflicting candidate."""
        conflicted = {g for g in range(self.p.groups) if self.violations_of(g)}
        tabu: dict[tuple[int, int], int] = {}
        for step in range(steps):
            if not conflicted:
                return
            ordered = sorted(conflicted)
            g = ordered[self.rng.randrange(len(ordered))]
            old = self.choice[g]
            self.remove(g)
            bad, cost = self.evaluate(g)
            best, best_key = old, (_BIG, _BIG, 0.0)
            for i in range(len(bad)):
                if bad[i] and tabu.get((g, i), -1) > step:
                    continue
                key = (bad[i], cost[i], self.rng.random())
                if key < best_key:
                    best, best_key = i, key
            self.add(g, best)
            if best != old:
                tabu[(g, old)] = step + 10
            for h in {g, *self.nbrs[g]}:
                if self.violations_of(h):
                    conflicted.add(h)
                else:
                    conflicted.discard(h)

    def improve(self, budget: int) -> None:
        """Move single groups to cheaper conflict-free candidates until none is found."""
        groups = list(range(self.p.groups))
        while self.evaluations < budget:
            self.rng.shuffle(groups)
            improved = False
            for g in groups:
                old = self.choice[g]
                self.remove(g)
                bad, cost = self.evaluate(g)
                best = old
                for i in range(len(bad)):
                    if not bad[i] and cost[i] < cost[best]:
                        best = i
                self.add(g, best)
                improved |= best != old
                if self.evaluations >= budget:
                    return
            if not improved:
                return

    def eject(self, budget: int, tries: int = 6) -> bool:
        """Move a group onto a cheaper candidate that one other group blocks, re-placing that one.

        Returns whether anything improved.
        """
        p = self.p
        improved = False
        groups = list(range(p.groups))
        self.rng.shuffle(groups)
        for g in groups:
            if self.evaluations >= budget:
                break
            old, before = self.choice[g], self.objective
            self.remove(g)
            bad, cost = self.evaluate(g)
            options = sorted(
                (cost[i], i) for i in range(len(bad)) if bad[i] and cost[i] < cost[old]
            )[:tries]
            self.add(g, old)
            for _, i in options:
                s = p.cands[g][i]
                blocking = {
                    h for h in self.nbrs[g] if self.sid[h] >= 0 and self.clash(s, self.sid[h])
                }
                if len(blocking) != 1:
                    continue
                (h,) = blocking
                old_h = self.choice[h]
                self.remove(g)
                self.remove(h)
                self.add(g, i)
                bad_h, cost_h = self.evaluate(h)
                free = [(cost_h[j], j) for j in range(len(bad_h)) if not bad_h[j]]
                if free:
                    self.add(h, min(free)[1])
                    if self.violations == 0 and self.objective < before:
                        improved = True
                        break
                    self.remove(h)
                self.remove(g)
                self.add(h, old_h)
                self.add(g, old)
        return improved

    def solve(self, effort: float) -> Solved:
        """Run every phase within a budget of candidate evaluations."""
        p = self.p
        size = sum(len(c) for c in p.cands)
        self.greedy()
        self.repair(int(effort * (200 + 50 * p.groups)))
        if self.violations == 0:
            budget = self.evaluations + int(effort * max(12 * size, 200_000))
            self.improve(budget)
            while self.evaluations < budget and self.eject(budget):
                self.improve(budget)
        return Solved(tuple(self.choice), self.violations, self.objective, self.evaluations)
