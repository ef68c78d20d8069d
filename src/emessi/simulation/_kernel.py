"""The vectorised Monte-Carlo kernel: replications of a cohort in numpy.

Many replications of a cohort run as one batch: arrays of shape ``(runs,
peers, groups)``, one pass of a few vector operations per meeting step, no
Python object per replication or peer-meeting. A batch is one seed block of
replications or part of one (:mod:`emessi.simulation._seeds`), which bounds
the working memory whatever the number of runs.

Every draw of a step has a size fixed by the cohort's shape, whatever the
state of the replications, so replication *i* of a block always gets the
same numbers, in any batch. The dynamics, exactly (see
``docs/reference/simulation.md``), at each meeting step of a group:

1. the meeting is cancelled with probability ``cancel`` (under ``make-up``
   a make-up a week later is cancelled with ``cancel`` again);
2. dropout: each remaining peer leaves with ``hazard + rise * missed`` (at
   most 1) if the step is a draw for the timing: a meeting that takes place
   (``held`` timing), any scheduled meeting (``scheduled``), or any
   scheduled meeting after the first, with ``1 - (1 - p) ** months``
   (``monthly``);
3. attendance: each remaining peer is present with their propensity, if the
   meeting takes place; a meeting counts when ``present >= threshold``.

The kernel knows nothing of dates but the gaps between slots (for monthly
dropout): a plan's dates only label the slots, and are joined to the output
afterwards. Imported lazily (numpy is an optional extra).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from emessi.simulation._seeds import Streams, block_size

__all__ = [
    "CANCELLED",
    "DROP",
    "HELD",
    "MAKE_UP",
    "MONTHLY",
    "NEXT_SLOT",
    "ON_HELD",
    "SCHEDULED",
    "TOO_FEW",
    "Draw",
    "Spec",
    "concatenate",
    "outcome",
    "run",
]

# Outcome codes of a meeting (see emessi.simulation.scenario.Outcome);
# `outcome` relies on HELD being 0 and TOO_FEW 1.
HELD, TOO_FEW, CANCELLED = 0, 1, 2
# Reschedule policy codes (see ReschedulePolicy).
DROP, MAKE_UP, NEXT_SLOT = 0, 1, 2
# Dropout timing codes (see DropoutTiming).
ON_HELD, SCHEDULED, MONTHLY = 0, 1, 2

IntArray = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class Spec:
    """Everything a replication needs: the cohort's shape and the model's numbers.

    ``peers`` is the number of peers of each group, ``slots`` how many
    recurrence slots each group's plan has (the ``next slot`` policy uses
    slots beyond ``meetings``); each is one number for every group or an
    array with one per group. ``length`` is each group's number of
    meetings (default ``meetings``, the longest). ``gaps`` (steps, groups)
    holds the months since the previous step's slot, for monthly dropout.
    ``active``, ``missed``, ``alpha`` and ``beta`` (peers, groups) give a
    starting state (a forecast): who is still in the group, the meetings
    each missed so far, and each peer's own Beta for their propensity.
    """

    groups: int
    peers: int | IntArray
    meetings: int
    slots: int | IntArray
    mean: float
    concentration: float
    fixed: bool
    hazard: float
    rise: float
    timing: int
    cancel: float
    policy: int
    threshold: int
    length: int | IntArray | None = None
    gaps: npt.NDArray[np.float64] | None = None
    active: npt.NDArray[np.bool_] | None = None
    missed: npt.NDArray[np.int16] | None = None
    alpha: npt.NDArray[np.float64] | None = None
    beta: npt.NDArray[np.float64] | None = None
    record: bool = False

    @property
    def width(self) -> int:
        """The most peers of a group: the peer axis of the arrays."""
        peers = self.peers
        return peers if isinstance(peers, int) else int(np.max(peers))

    @property
    def block(self) -> int:
        """Replications per seed block (a function of the cohort's shape only)."""
        return block_size(self.width, self.groups)


@attrs.frozen(eq=False)
class Draw:
    """Replications' outcomes: ``(runs, meetings, groups)`` arrays and ``(runs, groups)``.

    ``slot`` is the recurrence slot a meeting took place in, ``meetings +
    k`` for the make-up of meeting ``k`` a week later, and ``-1`` when it
    never took place (codes stay below 100: at most 50 meetings).
    ``present`` and ``active`` count the peers present and still in the
    group at a meeting that took place (0 otherwise); ``remaining`` the
    peers still in the group at the end. The outcome follows from these and
    the threshold (:func:`outcome`); it is not sent back from workers.
    """

    present: npt.NDArray[np.int8]
    active: npt.NDArray[np.int8]
    slot: npt.NDArray[np.int8]
    remaining: npt.NDArray[np.int8]
    #: with ``Spec.record``: who was present at each meeting, ``(runs,
    #: meetings, peers, groups)``, and the slot code of the occasion before
    #: which each peer left, ``(runs, peers, groups)`` (-1: stayed).
    attended: npt.NDArray[np.bool_] | None = None
    left: npt.NDArray[np.int8] | None = None


def concatenate(draws: list[Draw]) -> Draw:
    """The draws of consecutive batches as one."""
    if len(draws) == 1:
        return draws[0]
    joined: dict[str, Any] = {
        name: None
        if getattr(draws[0], name) is None
        else np.concatenate([getattr(d, name) for d in draws])
        for name in attrs.fields_dict(Draw)
    }
    return Draw(**joined)


def outcome(
    present: npt.NDArray[np.int8], slot: npt.NDArray[np.int8], threshold: int
) -> npt.NDArray[np.int8]:
    """The outcome code of each meeting: held, too few peers, or cancelled."""
    # HELD is 0 and TOO_FEW 1, so the comparison is the outcome.
    codes: npt.NDArray[np.int8] = (present < threshold).view(np.int8)
    codes[slot < 0] = CANCELLED
    return codes


def run(spec: Spec, seed: int, point: int, start: int, stop: int) -> Draw:
    """Simulate replications ``start..stop-1`` of grid point *point*, block by block."""
    size = spec.block
    parts = []
    for block in range(start // size, (stop - 1) // size + 1):
        first = block * size
        lo, hi = max(start, first) - first, min(stop, first + size) - first
        parts.append(_Batch(spec, Streams(seed, point, block, size, lo, hi)).run())
    return concatenate(parts)


def _count(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int8]:
    """How many peers are True, ``(runs, peers, groups) -> (runs, groups)``.

    Adding the few peer rows is several times faster than ``sum(axis=1)``,
    which reduces a strided middle axis through a casting buffer.
    """
    rows = mask.view(np.int8)
    total = rows[:, 0, :].copy()
    for peer in range(1, rows.shape[1]):
        total += rows[:, peer, :]
    return total


class _Batch:
    """Replications ``lo..hi-1`` of one seed block; updated in place step by step."""

    def __init__(self, spec: Spec, streams: Streams) -> None:
        runs, width, groups = streams.hi - streams.lo, spec.width, spec.groups
        self.spec, self.streams, self.runs = spec, streams, runs
        self.active = np.empty((runs, width, groups), bool)
        if spec.active is not None:
            self.active[:] = spec.active
        else:
            sizes = np.broadcast_to(np.asarray(spec.peers), (groups,))
            self.active[:] = np.arange(width)[:, None] < sizes[None, :]
        self.propensity: Any = self._propensity(width, groups)
        # Attendance needs no numbers when every propensity is 0 or 1.
        self.certain = spec.alpha is None and spec.mean in (0.0, 1.0)
        self.missed: Any = None
        if spec.rise > 0:
            self.missed = np.zeros((runs, width, groups), np.int16)
            if spec.missed is not None:
                self.missed[:] = spec.missed
        self.drops = spec.hazard > 0 or spec.rise > 0
        self.log: Any = None
        self.gone: Any = None  # who left at this step (recording only)
        if spec.record:
            self.log = np.zeros((runs, spec.meetings, width, groups), bool)
            self.left = np.full((runs, width, groups), -1, np.int8)
        self.uniform = np.empty((runs, width, groups))
        self.flag = np.empty((runs, width, groups), bool)
        self.coin = np.empty((runs, groups))

    def _propensity(self, width: int, groups: int) -> Any:
        spec = self.spec
        if spec.alpha is not None and spec.beta is not None:
            # each peer's own Beta (a forecast: the prior updated by their record)
            return self.streams.beta(spec.alpha, spec.beta, spec.alpha.shape)
        if spec.fixed or not 0.0 < spec.mean < 1.0:
            return spec.mean
        # Beta(mean k, (1 - mean) k): mean `mean`; the larger the
        # concentration k, the more alike the peers. Beta needs shapes > 0.
        a, b = spec.mean * spec.concentration, (1.0 - spec.mean) * spec.concentration
        return self.streams.beta(a, b, (width, groups))

    def cancelled(self) -> npt.NDArray[np.bool_]:
        """One cancellation draw per group: True where the meeting is off."""
        if self.spec.cancel <= 0.0:
            return np.zeros((self.runs, self.spec.groups), bool)
        return self.streams.uniform(self.coin) < self.spec.cancel

    def step(
        self, meets: npt.NDArray[np.bool_], due: npt.NDArray[np.bool_] | None, gap: Any
    ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8]]:
        """One meeting step: dropout, then attendance where *meets* ``(runs, groups)``.

        *due* marks the groups with a scheduled meeting at this step (None:
        all); *gap* the months since their previous one (monthly timing).
        """
        spec, active, missed, uniform = self.spec, self.active, self.missed, self.uniform
        everyone = bool(meets.all())
        if self.drops:
            self.streams.uniform(uniform)
            hazard: Any = spec.hazard if missed is None else spec.hazard + spec.rise * missed
            if spec.timing == MONTHLY:
                hazard = 1.0 - (1.0 - np.minimum(hazard, 1.0)) ** gap
            # stay where the draw is at least the hazard, or no draw is due
            stay = np.greater_equal(uniform, hazard, out=self.flag)
            if spec.timing == ON_HELD:
                if not everyone:
                    stay |= ~meets[:, None, :]
            elif due is not None:
                stay |= ~due[:, None, :]
            if self.log is not None:
                self.gone = active & ~stay
            active &= stay
        if self.certain:
            attended = active.copy() if spec.mean == 1.0 else np.zeros_like(active)
        else:
            self.streams.uniform(uniform)
            attended = np.less(uniform, self.propensity, out=self.flag)
            attended &= active
        if not everyone:
            attended &= meets[:, None, :]
        if self.log is not None:
            self.seen = attended.copy()
        if missed is not None:
            absent = active & ~attended
            if not everyone:
                absent &= meets[:, None, :]
            missed += absent
        return _count(attended), _count(active)

    def run(self) -> Draw:
        """Every meeting step of the batch."""
        spec, runs = self.spec, self.runs
        shape = (runs, spec.meetings, spec.groups)
        present = np.zeros(shape, np.int8)
        active = np.zeros(shape, np.int8)
        slot = np.full(shape, -1, np.int8)
        if spec.policy == NEXT_SLOT:
            self._next_slot(present, active, slot)
        else:
            self._in_place(present, active, slot)
        remaining = _count(self.active)
        if self.log is None:
            return Draw(present, active, slot, remaining)
        return Draw(present, active, slot, remaining, self.log, self.left)

    def _note_leaving(self, code: Any) -> None:
        """Record the slot code *code* ``(runs, groups)`` for the peers who just left."""
        if self.log is not None and self.gone is not None:
            where = np.nonzero(self.gone)
            self.left[where] = np.broadcast_to(code, self.gone.shape[::2])[where[0], where[2]]
            self.gone = None

    def _gap(self, step: int) -> Any:
        gaps = self.spec.gaps
        return None if gaps is None else gaps[step][None, None, :]

    def _in_place(
        self,
        present: npt.NDArray[np.int8],
        active: npt.NDArray[np.int8],
        slot: npt.NDArray[np.int8],
    ) -> None:
        # drop and make-up: meeting k is at step k, whatever happened before
        spec = self.spec
        length = spec.length
        for k in range(spec.meetings):
            off = self.cancelled()
            slot[:, k] = k
            if spec.policy == MAKE_UP:
                # A make-up a week later; it can be cancelled too, and then
                # the meeting is lost.
                again = self.cancelled()
                slot[:, k][off] = spec.meetings + k
                off &= again
            due = None
            if length is not None and not isinstance(length, int):
                due = np.broadcast_to(k < length, off.shape)
                off |= ~due
            elif isinstance(length, int) and k >= length:
                break
            slot[:, k][off] = -1
            n_present, n_active = self.step(~off, due, self._gap(k))
            if self.log is not None:
                self.log[:, k] = self.seen
                # leaving is dated at this step's occasion: the meeting (or
                # its make-up) if it took place, else the planned slot
                self._note_leaving(np.where(slot[:, k] >= 0, slot[:, k], k))
            present[:, k] = n_present
            active[:, k] = n_active
            if off.any():  # nobody is present at a cancelled meeting already
                active[:, k][off] = 0

    def _next_slot(
        self,
        present: npt.NDArray[np.int8],
        active: npt.NDArray[np.int8],
        slot: npt.NDArray[np.int8],
    ) -> None:
        # A cancelled meeting moves to the next slot of the recurrence and the
        # rest of the series follows; at most `slots` slots are used, after
        # that the remaining meetings are lost.
        spec = self.spec
        number = np.zeros((self.runs, spec.groups), np.intp)
        limit = np.asarray(spec.slots)
        length = np.asarray(spec.meetings if spec.length is None else spec.length)
        for t in range(int(limit.max())):
            waiting = number < length
            if limit.ndim:
                waiting &= t < limit
            if not waiting.any():
                break
            meets = waiting & ~self.cancelled()
            n_present, n_active = self.step(meets, waiting, self._gap(t))
            runs_at, groups_at = np.nonzero(meets)
            k = number[runs_at, groups_at]
            present[runs_at, k, groups_at] = n_present[runs_at, groups_at]
            active[runs_at, k, groups_at] = n_active[runs_at, groups_at]
            slot[runs_at, k, groups_at] = t
            if self.log is not None:
                self.log[runs_at, k, :, groups_at] = self.seen[runs_at, :, groups_at]
                self._note_leaving(np.int8(t))
            number[runs_at, groups_at] += 1
