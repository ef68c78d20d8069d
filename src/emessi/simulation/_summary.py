"""Tidy tables from the kernel's draws: meetings, groups and runs.

Everything here is vectorised over the runs of one grid point, on arrays of
shape ``(runs, meetings, groups)``. The summaries look dates up only for the
few meetings they report (a group's completion and its last meeting); the
meeting table, built only when asked for, joins every meeting to its date.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from emessi.simulation._cohort import Cohort
from emessi.simulation._kernel import CANCELLED, HELD, MAKE_UP, Draw, outcome

__all__ = ["Stack", "group_columns", "meeting_columns", "run_columns"]

NAT = np.iinfo(np.int64).min  # datetime64's NaT, as an int64
LATEST = np.iinfo(np.int64).max
# Up to this many (run, group) pairs, reduce across the meetings axis in one
# call each; above it, loop over the few meetings with row operations.
_SMALL = 4096
Columns = dict[str, npt.NDArray[Any]]


class Stack:
    """One grid point's draws stacked as ``(runs, meetings, groups)`` arrays."""

    def __init__(self, cohort: Cohort, runs: Sequence[int], draw: Draw) -> None:
        self.cohort = cohort
        self.runs = np.asarray(runs, np.int64)
        self.present = draw.present
        self.active = draw.active
        self.slot = draw.slot
        self.remaining = draw.remaining
        self.outcome = outcome(self.present, self.slot, cohort.spec.threshold)
        self.per_group: Columns | None = None  # filled by _per_group

    @property
    def shape(self) -> tuple[int, int, int]:
        """Runs, meetings and groups."""
        runs, meetings, groups = self.slot.shape
        return runs, meetings, groups

    def times(self, slot: npt.NDArray[Any], group: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        """The start (seconds, UTC) of slot codes *slot* of groups *group*; NaT for -1."""
        times = self.cohort.times
        flat = self.cohort.plan[group] * times.shape[1] + np.maximum(slot, 0)
        moment = times.reshape(-1)[flat]
        return np.where(slot >= 0, moment, NAT)

    def planned(self) -> npt.NDArray[np.int64]:
        """The planned start of each meeting, ``(meetings, groups)``."""
        meetings = self.shape[1]
        return self.cohort.times[:, :meetings][self.cohort.plan].T


def _dates(seconds: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    return seconds.astype("datetime64[s]")


def _group_major(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``(runs, meetings, groups)`` flattened in run, group, meeting order."""
    return np.ascontiguousarray(values.transpose(0, 2, 1)).reshape(-1)


def meeting_columns(stack: Stack) -> Columns:
    """One row per run, group and meeting."""
    runs, meetings, groups = stack.shape
    took = stack.slot >= 0
    group = np.arange(groups)[None, None, :]
    actual = stack.times(stack.slot, np.broadcast_to(group, stack.shape))
    planned = np.broadcast_to(stack.planned()[None], stack.shape)
    return {
        "run": np.repeat(stack.runs, groups * meetings),
        "group": np.tile(np.repeat(np.arange(groups, dtype=np.int64), meetings), runs),
        "meeting": np.tile(np.arange(1, meetings + 1, dtype=np.int64), runs * groups),
        "planned": _dates(_group_major(planned)),
        "actual": _dates(_group_major(actual)),
        "present": _group_major(stack.present),
        "active": _group_major(stack.active),
        "held": _group_major(stack.outcome == HELD),
        "cancelled": _group_major(stack.outcome == CANCELLED),
        "rescheduled": _group_major(took & (actual != planned)),
    }


def _marks(stack: Stack, required: int) -> tuple[Any, Any]:
    """The required-th and the last held meeting's slots.

    Per run and group: the slot code of the required-th held meeting (in
    series order) and of the last held meeting; -1 where there is none.

    A loop over the few meetings, each step a few vector operations over
    runs and groups, then one gather each: cheaper than sorting or
    arg-reducing across the meetings axis.
    """
    runs, meetings, groups = stack.shape
    if runs * groups <= _SMALL:
        # few groups: one call per quantity beats a loop of calls
        held = stack.outcome == HELD
        before = (np.cumsum(held, axis=1, dtype=np.int16) < required).sum(axis=1)
        last_held = np.where(held.any(axis=1), meetings - np.argmax(held[:, ::-1], axis=1), 0)
    else:
        count = np.zeros((runs, groups), np.int16)
        before = np.zeros((runs, groups), np.int16)  # meetings before reaching `required`
        last_held = np.zeros((runs, groups), np.int16)  # 1 + index of the last held
        for k in range(meetings):
            held_k = stack.outcome[:, k] == HELD
            count += held_k
            before += count < required
            np.maximum(last_held, held_k * np.int16(k + 1), out=last_held)

    def pick(values: npt.NDArray[Any], index: npt.NDArray[Any], found: Any) -> Any:
        at = np.minimum(index, meetings - 1).astype(np.intp)[:, None, :]
        return np.where(found, np.take_along_axis(values, at, axis=1)[:, 0, :], -1)

    reached = pick(stack.slot, before, before < meetings)
    last = pick(stack.slot, last_held - 1, last_held > 0)
    return reached, last


def _over_meetings(values: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """Sum ``(runs, meetings, groups)`` over the meetings, as int64 ``(runs, groups)``.

    Adding the few meeting rows in int16 (exact: at most 50 meetings of 100
    peers) is several times faster than ``sum(axis=1)`` across a strided
    middle axis; for a few groups, one call is cheaper than the loop.
    """
    runs, _, groups = values.shape
    if runs * groups <= _SMALL:
        summed: npt.NDArray[np.int64] = values.sum(axis=1, dtype=np.int64)
        return summed
    total = values[:, 0, :].astype(np.int16)
    for k in range(1, values.shape[1]):
        total += values[:, k, :]
    return total.astype(np.int64)


def _per_group(stack: Stack) -> Columns:
    if stack.per_group is None:
        stack.per_group = _compute_per_group(stack)
    return stack.per_group


def _compute_per_group(stack: Stack) -> Columns:
    cohort = stack.cohort
    runs, meetings, groups = stack.shape
    group = np.broadcast_to(np.arange(groups), (runs, groups))
    held = stack.outcome == HELD
    took = stack.slot >= 0
    held_count = _over_meetings(held)
    taken = _over_meetings(took)
    completed = held_count >= cohort.required
    required = min(cohort.required, meetings)
    reached_slot, last_slot = _marks(stack, required)
    if cohort.spec.policy == MAKE_UP:
        # A make-up can fall after the next meeting: the completion date is
        # the required-th held meeting in time order.
        moment = stack.times(stack.slot, np.broadcast_to(group[:, None, :], stack.shape))
        order = np.sort(np.where(held, moment, LATEST), axis=1)
        reached = order[:, required - 1, :]
        end = np.where(held, moment, NAT).max(axis=1)
    else:
        # Slots only move forward, so series order is time order.
        reached = stack.times(reached_slot, group)
        end = stack.times(last_slot, group)
    present = _over_meetings(stack.present)
    active = _over_meetings(stack.active)
    rate = np.full(present.shape, np.nan)
    np.divide(present, active, out=rate, where=active > 0)
    # Peers still in the group at the end of its series.
    peers = np.broadcast_to(np.asarray(cohort.spec.peers, np.int64), (groups,))
    final = stack.remaining.astype(np.int64)
    return {
        "run": np.repeat(stack.runs, groups),
        "group": np.tile(np.arange(groups, dtype=np.int64), runs),
        "facilitator": np.tile(cohort.facilitator, runs),
        "peers": np.tile(peers, runs),
        "meetings_held": held_count.reshape(-1),
        "completed": completed.reshape(-1),
        "completed_on": _dates(np.where(completed, reached, NAT).reshape(-1)),
        "end": _dates(end.reshape(-1)),
        "attendance_rate": rate.reshape(-1),
        "dropouts": (peers[None] - final).reshape(-1),
        "facilitator_hours": (taken * (cohort.minutes / 60)).reshape(-1),
        # kept for the run summary, dropped from the table
        "_present": present.reshape(-1),
        "_active": active.reshape(-1),
    }


def group_columns(stack: Stack) -> Columns:
    """One row per run and group."""
    return {k: v for k, v in _per_group(stack).items() if not k.startswith("_")}


def run_columns(stack: Stack) -> Columns:
    """One row per run."""
    cohort = stack.cohort
    runs, _, groups = stack.shape
    per = {k: v.reshape(runs, groups) for k, v in _per_group(stack).items()}
    present = per["_present"].sum(-1)
    active = per["_active"].sum(-1)
    rate = np.full(runs, np.nan)
    np.divide(present, active, out=rate, where=active > 0)
    facilitators = int(cohort.facilitator.max()) + 1
    index = cohort.facilitator[None, :] + facilitators * np.arange(runs)[:, None]
    load = np.bincount(
        index.reshape(-1),
        weights=per["facilitator_hours"].reshape(-1),
        minlength=runs * facilitators,
    ).reshape(runs, facilitators)
    completed = per["completed"]
    end = per["end"].astype(np.int64)
    done = per["completed_on"].astype(np.int64)
    return {
        "run": stack.runs.copy(),
        "groups": np.full(runs, groups, np.int64),
        "groups_completed": completed.sum(-1),
        "completion_rate": completed.mean(-1),
        "meetings_held": per["meetings_held"].sum(-1),
        "attendance_rate": rate,
        "dropouts": per["dropouts"].sum(-1),
        "facilitator_hours": per["facilitator_hours"].sum(-1),
        "busiest_facilitator_hours": load.max(-1),
        # NaT is the smallest int64, so max() ignores groups that never met
        "end": _dates(end.max(-1)),
        "all_completed_on": _dates(np.where(completed.all(-1), done.max(-1), NAT)),
    }
