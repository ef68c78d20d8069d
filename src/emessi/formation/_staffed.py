"""Open a slot that staff and peers block together: a staff exchange, then ejection chains.

A slot of a group stays rigid while anyone there answered *no* to it: its
peers or its staff. The ejection chains of :mod:`._chains` move peers
only, and the staff moves of :mod:`._compound` change staff only, so a
slot that both a facilitator and a peer block is opened by neither. This
move does both: the staff member who cannot attend is replaced by another
of the same role who can (one with room to lead another group, or one who
trades groups, into a group whose common slots the first can attend), and
ejection chains then take the blocking peers elsewhere. Kept only if the
exact cost falls; otherwise everything is undone.

This is emessi's own search device (the eMessi sources say nothing about
how groups are formed by a computer).
"""

from __future__ import annotations

from emessi.formation._chains import Chains

__all__ = ["Staffed"]


class Staffed(Chains):
    """The staff-and-chain move and a pass of it."""

    #: Replacements tried per blocked slot, at most.
    TRIES = 6

    def staffed_pass(self) -> list[int]:
        """Try to open each slot one staff member and a few peers block; the peers touched."""
        st, p = self.state, self.p
        touched: list[int] = []
        if not st.w_rig or not p.staff:
            return touched
        self._masks()
        for g, _ in self._in_turn():
            for s in range(st.S):
                bit = 1 << s
                if self.common[g] & bit:
                    continue
                blocking = [f for f in st.staff[g] if self.no_mask[f] & bit]
                if len(blocking) != 1:
                    continue
                peers = sum(1 for i in st.members[g] if self.no_mask[i] & bit)
                if peers > self.BLOCKERS:
                    continue
                groups = self._open_with_staff(g, s, blocking[0])
                if groups:
                    for h in groups:
                        self.common[h] = self._common(h)
                    touched += [i for h in groups for i in st.members[h] if i not in touched]
                    break
        return touched

    def _open_with_staff(self, g: int, s: int, f: int) -> list[int]:
        """Replace staff member f of g by one who can attend slot s, then open s; groups changed."""
        st, p = self.state, self.p
        role = p.facilitators if f in p.facilitators else p.observers
        bit = 1 << s
        no, common = self.no_mask, self.common
        options: list[tuple[int, int]] = []  # (replacement, the group f takes instead; -1)
        for f2 in role:
            if f2 == f or f2 in st.staff[g] or no[f2] & (bit | common[g]):
                continue
            if len(st.sgroups[f2]) < p.capacity[f2] and st.staff_fits(f2, g, without=f):
                options.append((f2, -1))
                continue
            for h in st.sgroups[f2]:
                if h == g or f in st.staff[h] or no[f] & common[h]:
                    continue
                if self._swap_fits(f, g, f2, h):
                    options.append((f2, h))
        if not options:
            return []
        rng = self.rng
        if len(options) > self.TRIES:
            options = rng.sample(options, self.TRIES)
        for f2, h in options:
            self.evaluations += 4
            before = st.total()
            saved = st.places()
            self._staff_exchange(f, g, f2, h)
            groups = self._retarget({g: common[g] | bit}, than=before)
            if not groups and not any(no[i] & bit for i in st.members[g]):
                self._settle({g} if h < 0 else {g, h}, saved)
                if st.total() < before:
                    groups = [g] if h < 0 else sorted({g, h})
            if groups:
                return sorted(set(groups) | ({h} if h >= 0 else set()))
            self._staff_exchange(f2, g, f, h)
            st.restore(saved)
        return []

    def _staff_exchange(self, f: int, g: int, f2: int, h: int) -> None:
        """Staff member f leaves g for f2, and takes f2's place in h (h < 0: f2 just joins g)."""
        st = self.state
        if h >= 0:
            st.swap_staff(f, g, f2, h)
        else:
            st.take_staff(f, g)
            st.put_staff(f2, g)
