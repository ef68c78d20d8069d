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
        self.evaluations = 0
        self.reset(seed)
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

    def reset(self, seed: int) -> None:
        """Start again from nothing placed (the tables are kept)."""
        n = self.p.groups
        self.rng = random.Random(seed)
        self.days: list[dict[int, int]] = [{} for _ in range(self.p.people)]
        self.sid = [-1] * n
        self.choice = [-1] * n
        self.base = 0
        self.lonely_days = 0
        self.violations = 0

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

    def greedy(self, shuffled: bool = False) -> None:
        """Place the most constrained groups first (or in a random order), each on its best."""
        p = self.p
        order = sorted(range(p.groups), key=lambda g: (-len(self.nbrs[g]), len(p.cands[g]), g))
        if shuffled:
            self.rng.shuffle(order)
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

    def ruin(self, budget: int) -> None:
        """Ruin and recreate: re-place one person's groups together; keep what is no worse.

        The groups of a facilitator, observer or shared peer are taken out
        and put back one by one in a random order, each on its cheapest
        conflict-free candidate, so that groups sharing a person can move
        together (two groups onto one day saves a lonely staff day). A
        result that is no worse is kept, so the search drifts across
        plateaus; the best state seen is restored at the end.
        """
        p = self.p
        owners = sorted({person for g in range(p.groups) for person in self.touch[g]})
        members: dict[int, list[int]] = {person: [] for person in owners}
        for g in range(p.groups):
            for person in self.touch[g]:
                members[person].append(g)
        movable = [person for person in owners if any(len(p.cands[g]) > 1 for g in members[person])]
        if not movable or self.violations:
            return
        best, best_choice = self.objective, list(self.choice)
        current = best
        begun, span = self.evaluations, max(1, budget - self.evaluations)
        # Record-to-record travel: a result up to a shrinking margin worse
        # than the best is kept too, so the search can leave a local optimum.
        margin = max(p.lonely * 4, best // 50)
        while self.evaluations < budget:
            allowed = best + int(margin * (1 - (self.evaluations - begun) / span))
            person = movable[self.rng.randrange(len(movable))]
            groups = [g for g in members[person] if len(p.cands[g]) > 1]
            if len(groups) > 1 and self.rng.random() < 0.3:
                # Sometimes a neighbour of theirs too, through another person.
                extra = self.nbrs[groups[self.rng.randrange(len(groups))]]
                if extra:
                    h = extra[self.rng.randrange(len(extra))]
                    if h not in groups and len(p.cands[h]) > 1:
                        groups.append(h)
            old = [self.choice[g] for g in groups]
            for g in groups:
                self.remove(g)
            self.rng.shuffle(groups)
            for g in groups:
                bad, cost = self.evaluate(g)
                top = min((bad[i], cost[i], self.rng.random(), i) for i in range(len(bad)))
                self.add(g, top[3])
            if self.violations == 0 and self.objective <= max(current, allowed):
                current = self.objective
                if current < best:
                    best, best_choice = current, list(self.choice)
                continue
            for g in groups:
                self.remove(g)
            order = sorted(range(len(groups)), key=lambda k: groups[k])
            for k in order:
                self.add(groups[k], old[k])
        if self.objective != best:
            for g in range(p.groups):
                self.remove(g)
            for g in range(p.groups):
                self.add(g, best_choice[g])

    def solve(self, effort: float) -> Solved:
        """Run every phase within a budget of candidate evaluations.

        A small problem gets several restarts (the first from the most
        constrained group on, the others in random orders) and keeps the
        best; a large one spends the budget on one run.
        """
        p = self.p
        size = sum(len(c) for c in p.cands)
        budget = int(effort * max(12 * size, 400_000))
        restarts = max(1, min(8, budget // (40 * size)))
        share = budget // restarts
        best: tuple[int, int, list[int]] | None = None
        seed = self.rng.randrange(1 << 30)
        for attempt in range(restarts):
            if attempt:
                self.reset(seed + attempt)
            end = self.evaluations + share
            self.greedy(shuffled=attempt > 0)
            self.repair(int(effort * (200 + 50 * p.groups)))
            if self.violations == 0:
                self.improve(end)
                while self.evaluations < end and self.eject(end):
                    self.improve(end)
                self.ruin(end)
            found = (self.violations, self.objective, list(self.choice))
            if best is None or found[:2] < best[:2]:
                best = found
        assert best is not None
        if list(self.choice) != best[2]:
            self.reset(seed)
            for g, c in enumerate(best[2]):
                self.add(g, c)
        return Solved(tuple(self.choice), self.violations, self.objective, self.evaluations)


def score(problem: Problem, choice: Sequence[int]) -> tuple[int, int]:
    """(violations, objective) of *choice*, counted from scratch (to check a solver's answer)."""
    by_person: dict[int, list[int]] = {}
    for g, people in enumerate(problem.shared):
        for person in people:
            by_person.setdefault(person, []).append(g)
    gap, cap = problem.buffer, problem.cap
    violations = 0
    for groups in by_person.values():
        meetings = sorted(
            (s, e, d, g) for g in groups for s, e, d in problem.series[problem.cands[g][choice[g]]]
        )
        for i, (_, e, _, g) in enumerate(meetings):
            for s2, _, _, g2 in meetings[i + 1 :]:
                if s2 >= e + gap:
                    break
                violations += g2 != g
        per_day: dict[int, int] = {}
        for _, _, d, _ in meetings:
            per_day[d] = per_day.get(d, 0) + 1
        violations += sum(max(0, n - cap) for n in per_day.values())
    staff_days: dict[tuple[int, int], int] = {}
    for g, people in enumerate(problem.staff):
        for person in people:
            for _, _, d in problem.series[problem.cands[g][choice[g]]]:
                staff_days[(person, d)] = staff_days.get((person, d), 0) + 1
    lonely = sum(1 for n in staff_days.values() if n == 1)
    base = sum(problem.costs[g][c] for g, c in enumerate(choice))
    return violations, base + problem.lonely * lonely
