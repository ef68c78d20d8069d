"""The vectorised Monte-Carlo kernel: one replication of a cohort in numpy.

The inner loop runs once per meeting step over arrays of shape
``(groups, peers)``; no Python object is made per peer-meeting. The kernel
knows nothing of dates: a plan's dates only label the slots, so they are
worked out once per distinct recurrence in the calling process and joined to
the kernel's output afterwards.

Imported lazily (numpy is the optional extra ``numpy``).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["CANCELLED", "DROP", "HELD", "MAKE_UP", "NEXT_SLOT", "TOO_FEW", "Draw", "Spec", "run"]

# Outcome codes of a meeting (see emessi.simulation.scenario.Outcome).
HELD, TOO_FEW, CANCELLED = 0, 1, 2
# Reschedule policy codes (see ReschedulePolicy).
DROP, MAKE_UP, NEXT_SLOT = 0, 1, 2

# Below this share of groups still meeting, a step works on the rows that
# meet instead of masking full arrays (the tail of a "next slot" series).
_SUBSET_BELOW = 0.5


@attrs.frozen(eq=False)
class Spec:
    """Everything one replication needs: group sizes and the model's numbers.

    ``peers`` is the number of peers of each group, ``slots`` how many
    recurrence slots each group's plan has (the ``next slot`` policy uses
    slots beyond ``meetings``); each is one number for every group or an
    array with one per group.
    """

    groups: int
    peers: int | npt.NDArray[np.int64]
    meetings: int
    slots: int | npt.NDArray[np.int64]
    mean: float
    concentration: float
    hazard: float
    rise: float
    cancel: float
    policy: int
    threshold: int


@attrs.frozen(eq=False)
class Draw:
    """One replication's outcome, each array of shape ``(groups, meetings)``.

    ``slot`` is the recurrence slot a meeting took place in, ``meetings +
    k`` for the make-up of meeting ``k`` a week later, and ``-1`` when it
    never took place.
    """

    present: npt.NDArray[np.int8]
    active: npt.NDArray[np.int8]
    outcome: npt.NDArray[np.int8]
    slot: npt.NDArray[np.int16]


def _propensity(
    rng: np.random.Generator, mean: float, concentration: float, shape: tuple[int, int]
) -> npt.NDArray[np.float64]:
    # Beta(mean * k, (1 - mean) * k): mean `mean`, and the larger the
    # concentration k the more alike the peers. Beta needs both shapes > 0.
    if mean <= 0.0 or mean >= 1.0:
        return np.full(shape, mean)
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, size=shape)


class _State:
    """The peers' state during one replication; updated in place."""

    def __init__(self, spec: Spec, rng: np.random.Generator) -> None:
        groups = spec.groups
        peers = np.broadcast_to(np.asarray(spec.peers), (groups,))
        width = int(peers.max())
        self.rng = rng
        self.spec = spec
        self.active = np.arange(width) < peers[:, None]
        self.propensity = _propensity(rng, spec.mean, spec.concentration, (groups, width))
        self.missed = np.zeros((groups, width), np.int16) if spec.rise > 0 else None

    def meet(
        self, meets: npt.NDArray[np.bool_]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Hold a meeting in the groups where *meets*: their rows, peers present, peers active."""
        rows = np.flatnonzero(meets)
        groups = len(meets)
        if len(rows) == groups:
            present, active = self._meet_all(None)
            return rows, present, active
        if len(rows) >= _SUBSET_BELOW * groups:
            present, active = self._meet_all(meets)
            return rows, present[rows], active[rows]
        present, active = self._meet_rows(rows)
        return rows, present, active

    def _meet_all(
        self, mask: npt.NDArray[np.bool_] | None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        # Full arrays; groups outside `mask` draw too, but nothing changes
        # for them (cheaper than gathering most of the rows).
        spec, rng, active, missed = self.spec, self.rng, self.active, self.missed
        column = None if mask is None else mask[:, None]
        if spec.hazard > 0 or missed is not None:
            # Dropout is drawn at each meeting a group holds, before it starts;
            # each meeting a peer missed so far raises their hazard by `rise`.
            hazard: Any = spec.hazard if missed is None else spec.hazard + spec.rise * missed
            leave = rng.random(active.shape) < hazard
            if column is not None:
                leave &= column
            active &= ~leave
        attended = (rng.random(active.shape) < self.propensity) & active
        if missed is not None:
            absent = active & ~attended
            if column is not None:
                absent &= column
            missed += absent
        return np.count_nonzero(attended, axis=1), np.count_nonzero(active, axis=1)

    def _meet_rows(
        self, rows: npt.NDArray[np.intp]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        spec, rng = self.spec, self.rng
        active = self.active[rows]
        missed = None if self.missed is None else self.missed[rows]
        if spec.hazard > 0 or missed is not None:
            hazard: Any = spec.hazard if missed is None else spec.hazard + spec.rise * missed
            active &= ~(rng.random(active.shape) < hazard)
        attended = (rng.random(active.shape) < self.propensity[rows]) & active
        self.active[rows] = active
        if missed is not None and self.missed is not None:
            missed += active & ~attended
            self.missed[rows] = missed
        return np.count_nonzero(attended, axis=1), np.count_nonzero(active, axis=1)


def _cancelled(rng: np.random.Generator, probability: float, size: int) -> npt.NDArray[np.bool_]:
    if probability <= 0.0:
        return np.zeros(size, bool)
    return rng.random(size) < probability


def run(spec: Spec, rng: np.random.Generator) -> Draw:
    """Simulate one replication of every group in *spec* with *rng*."""
    groups, meetings = spec.groups, spec.meetings
    state = _State(spec, rng)
    present = np.zeros((groups, meetings), np.int8)
    active = np.zeros((groups, meetings), np.int8)
    slot = np.full((groups, meetings), -1, np.int16)
    if spec.policy == NEXT_SLOT:
        _run_next_slot(spec, state, present, active, slot)
    else:
        for k in range(meetings):
            off = _cancelled(rng, spec.cancel, groups)
            slot[:, k] = k
            if spec.policy == MAKE_UP:
                # A make-up a week later; it can be cancelled too, and then
                # the meeting is lost.
                again = _cancelled(rng, spec.cancel, groups)
                slot[off, k] = meetings + k
                off &= again
            slot[off, k] = -1
            rows, n_present, n_active = state.meet(~off)
            present[rows, k], active[rows, k] = n_present, n_active
    outcome = np.where(present >= spec.threshold, HELD, TOO_FEW).astype(np.int8)
    outcome[slot < 0] = CANCELLED
    return Draw(present, active, outcome, slot)


def _run_next_slot(
    spec: Spec,
    state: _State,
    present: npt.NDArray[np.int8],
    active: npt.NDArray[np.int8],
    slot: npt.NDArray[np.int16],
) -> None:
    # A cancelled meeting moves to the next slot of the recurrence and the
    # rest of the series follows; at most `slots` slots are used, after that
    # the remaining meetings are lost.
    groups, meetings = spec.groups, spec.meetings
    number = np.zeros(groups, np.intp)
    limit = np.asarray(spec.slots)
    for t in range(int(limit.max())):
        waiting = number < meetings
        if limit.ndim:
            waiting &= t < limit
        if not waiting.any():
            break
        meets = waiting & ~_cancelled(state.rng, spec.cancel, groups)
        rows, n_present, n_active = state.meet(meets)
        k = number[rows]
        present[rows, k], active[rows, k], slot[rows, k] = n_present, n_active, t
        number[rows] += 1
