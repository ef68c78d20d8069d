"""The vectorised Monte-Carlo kernel: replications of a cohort in numpy.

The inner loop runs once per meeting step over arrays of shape ``(runs,
peers, groups)``; no Python object is made per peer-meeting. Peers are the
middle axis so that counting the peers present is a sum of a few contiguous
rows, and several replications of a small cohort share one pass.

Each replication draws from its own generator in a fixed pattern that
depends only on its own state (see :func:`run`), so batching replications
together never changes their results.

The kernel knows nothing of dates: a plan's dates only label the slots, so
they are worked out once per distinct recurrence by the caller and joined to
the kernel's output afterwards. Imported lazily (numpy is an optional extra).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "CANCELLED",
    "DROP",
    "HELD",
    "MAKE_UP",
    "NEXT_SLOT",
    "TOO_FEW",
    "Draw",
    "Spec",
    "outcome",
    "run",
]

# Outcome codes of a meeting (see emessi.simulation.scenario.Outcome);
# `run` relies on HELD being 0 and TOO_FEW 1.
HELD, TOO_FEW, CANCELLED = 0, 1, 2
# Reschedule policy codes (see ReschedulePolicy).
DROP, MAKE_UP, NEXT_SLOT = 0, 1, 2

# When fewer than this share of a replication's groups meet, it draws random
# numbers for those groups only (the tail of a "next slot" series).
_SUBSET_BELOW = 0.5

Generators = Sequence[np.random.Generator]


@attrs.frozen(eq=False)
class Spec:
    """Everything a replication needs: group sizes and the model's numbers.

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
    """One replication's outcome, each array of shape ``(meetings, groups)``.

    ``slot`` is the recurrence slot a meeting took place in, ``meetings +
    k`` for the make-up of meeting ``k`` a week later, and ``-1`` when it
    never took place (codes stay below 100: at most 50 meetings). The
    outcome follows from these and the threshold (:func:`outcome`); it is
    not sent back from workers.
    """

    present: npt.NDArray[np.int8]
    active: npt.NDArray[np.int8]
    slot: npt.NDArray[np.int8]


class _Batch:
    """The peers of several replications of one cohort; updated in place."""

    def __init__(self, spec: Spec, rngs: Generators) -> None:
        runs, groups = len(rngs), spec.groups
        sizes = np.broadcast_to(np.asarray(spec.peers), (groups,))
        width = int(sizes.max())
        self.spec, self.rngs = spec, rngs
        self.active = np.empty((runs, width, groups), bool)
        self.active[:] = np.arange(width)[:, None] < sizes[None, :]
        mean, concentration = spec.mean, spec.concentration
        if 0.0 < mean < 1.0:
            # Beta(mean k, (1 - mean) k): mean `mean`; the larger the
            # concentration k, the more alike the peers. Beta needs shapes > 0.
            a, b = mean * concentration, (1.0 - mean) * concentration
            drawn = [rng.beta(a, b, size=(width, groups)) for rng in rngs]
            self.propensity = drawn[0][None] if runs == 1 else np.stack(drawn)
        else:
            self.propensity = np.full((1, width, groups), mean)
        self.missed = np.zeros((runs, width, groups), np.int16) if spec.rise > 0 else None
        self.uniform = np.empty((runs, width, groups))

    def _draw(self, meets: npt.NDArray[np.bool_], counts: list[int]) -> None:
        """Fill the uniforms of each replication: all groups, or only those that meet."""
        groups = self.spec.groups
        for index, rng in enumerate(self.rngs):
            count = counts[index]
            if count == 0:
                continue
            if count >= _SUBSET_BELOW * groups:
                rng.random(out=self.uniform[index])
            else:
                block = self.uniform[index]
                block.fill(1.0)  # groups that do not meet: no event (and masked anyway)
                block[:, meets[index]] = rng.random((block.shape[0], count))

    def meet(
        self, meets: npt.NDArray[np.bool_]
    ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8]]:
        """Hold a meeting where *meets* ``(runs, groups)``: peers present, peers active."""
        spec, active, missed, uniform = self.spec, self.active, self.missed, self.uniform
        counts = np.count_nonzero(meets, axis=1).tolist()
        everyone = all(count == spec.groups for count in counts)
        mask = None if everyone else meets[:, None, :]
        if spec.hazard > 0 or missed is not None:
            # Dropout is drawn at each meeting a group holds, before it starts;
            # each meeting a peer missed so far raises their hazard by `rise`.
            self._draw(meets, counts)
            hazard: Any = spec.hazard if missed is None else spec.hazard + spec.rise * missed
            leave = uniform < hazard
            if mask is not None:
                leave &= mask
            active &= ~leave
        self._draw(meets, counts)
        attended = uniform < self.propensity
        attended &= active
        if mask is not None:
            attended &= mask
        if missed is not None:
            absent = active & ~attended
            if mask is not None:
                absent &= mask
            missed += absent
        return attended.sum(axis=1, dtype=np.int8), active.sum(axis=1, dtype=np.int8)


def _cancelled(rngs: Generators, probability: float, draw: Sequence[bool], groups: int) -> Any:
    off = np.zeros((len(rngs), groups), bool)
    if probability > 0.0:
        for index, rng in enumerate(rngs):
            if draw[index]:
                off[index] = rng.random(groups) < probability
    return off


def run(spec: Spec, rngs: Generators) -> list[Draw]:
    """Simulate one replication of every group in *spec* per generator in *rngs*.

    Each replication's generator draws, at each meeting step: the
    cancellations (one number per group; twice under the make-up policy),
    then, if anyone can drop out, one number per peer of the groups that
    meet, then one per peer for attendance. "The groups that meet" is all
    groups when at least half of them meet (those that do not meet ignore
    their numbers), else just those groups. The pattern depends only on the
    replication's own state, so batching never changes a result.
    """
    runs, groups, meetings = len(rngs), spec.groups, spec.meetings
    batch = _Batch(spec, rngs)
    present = np.zeros((runs, meetings, groups), np.int8)
    active = np.zeros((runs, meetings, groups), np.int8)
    slot = np.full((runs, meetings, groups), -1, np.int8)
    if spec.policy == NEXT_SLOT:
        _run_next_slot(spec, batch, present, active, slot)
    else:
        everyone = [True] * runs
        for k in range(meetings):
            off = _cancelled(rngs, spec.cancel, everyone, groups)
            slot[:, k] = k
            if spec.policy == MAKE_UP:
                # A make-up a week later; it can be cancelled too, and then
                # the meeting is lost.
                again = _cancelled(rngs, spec.cancel, everyone, groups)
                slot[:, k][off] = meetings + k
                off &= again
            slot[:, k][off] = -1
            meets = ~off
            n_present, n_active = batch.meet(meets)
            present[:, k] = n_present
            active[:, k] = n_active
            if off.any():
                present[:, k][off] = 0
                active[:, k][off] = 0
    return [Draw(present[r], active[r], slot[r]) for r in range(runs)]


def outcome(
    present: npt.NDArray[np.int8], slot: npt.NDArray[np.int8], threshold: int
) -> npt.NDArray[np.int8]:
    """The outcome code of each meeting: held, too few peers, or cancelled."""
    # HELD is 0 and TOO_FEW 1, so the comparison is the outcome.
    codes: npt.NDArray[np.int8] = (present < threshold).view(np.int8)
    codes[slot < 0] = CANCELLED
    return codes


def _run_next_slot(
    spec: Spec,
    batch: _Batch,
    present: npt.NDArray[np.int8],
    active: npt.NDArray[np.int8],
    slot: npt.NDArray[np.int8],
) -> None:
    # A cancelled meeting moves to the next slot of the recurrence and the
    # rest of the series follows; at most `slots` slots are used, after that
    # the remaining meetings are lost.
    runs, groups, meetings = len(batch.rngs), spec.groups, spec.meetings
    number = np.zeros((runs, groups), np.intp)
    limit = np.asarray(spec.slots)
    for t in range(int(limit.max())):
        waiting = number < meetings
        if limit.ndim:
            waiting &= t < limit
        flags: npt.NDArray[np.bool_] = np.asarray(waiting.any(axis=1))
        going = [bool(flag) for flag in flags]
        if not any(going):
            break
        meets = waiting & ~_cancelled(batch.rngs, spec.cancel, going, groups)
        n_present, n_active = batch.meet(meets)
        runs_at, groups_at = np.nonzero(meets)
        k = number[runs_at, groups_at]
        present[runs_at, k, groups_at] = n_present[runs_at, groups_at]
        active[runs_at, k, groups_at] = n_active[runs_at, groups_at]
        slot[runs_at, k, groups_at] = t
        number[runs_at, groups_at] += 1
