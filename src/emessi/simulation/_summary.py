"""Tidy tables from the kernel's draws: meetings, groups and runs.

Everything here is vectorised over the runs of one grid point; the kernel's
compact arrays are joined with the plans' dates only now.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from emessi.simulation._cohort import Cohort
from emessi.simulation._kernel import CANCELLED, HELD, Draw

__all__ = ["group_columns", "meeting_columns", "run_columns"]

NAT = np.iinfo(np.int64).min  # datetime64's NaT, as an int64
Columns = dict[str, npt.NDArray[Any]]


class Stack:
    """One grid point's draws stacked as ``(runs, groups, meetings)`` arrays."""

    def __init__(self, cohort: Cohort, runs: Sequence[int], draws: Sequence[Draw]) -> None:
        self.cohort = cohort
        self.runs = np.asarray(runs, np.int64)
        self.present = np.stack([d.present for d in draws])
        self.active = np.stack([d.active for d in draws])
        self.outcome = np.stack([d.outcome for d in draws])
        self.slot = np.stack([d.slot for d in draws])
        self.took = self.slot >= 0
        self.held = self.outcome == HELD
        plan = cohort.plan[None, :, None]
        moment = cohort.times[plan, np.maximum(self.slot, 0)]
        self.actual = np.where(self.took, moment, NAT)
        meetings = self.slot.shape[-1]
        self.planned = cohort.times[:, :meetings][cohort.plan]
        self.per_group: Columns | None = None  # filled by _per_group

    @property
    def shape(self) -> tuple[int, int, int]:
        """Runs, groups and meetings."""
        runs, groups, meetings = self.slot.shape
        return runs, groups, meetings


def _dates(seconds: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    return seconds.astype("datetime64[s]")


def meeting_columns(stack: Stack) -> Columns:
    """One row per run, group and meeting."""
    runs, groups, meetings = stack.shape
    return {
        "run": np.repeat(stack.runs, groups * meetings),
        "group": np.tile(np.repeat(np.arange(groups, dtype=np.int64), meetings), runs),
        "meeting": np.tile(np.arange(1, meetings + 1, dtype=np.int64), runs * groups),
        "planned": _dates(np.broadcast_to(stack.planned, stack.shape).reshape(-1)),
        "actual": _dates(stack.actual.reshape(-1)),
        "present": stack.present.reshape(-1),
        "active": stack.active.reshape(-1),
        "held": stack.held.reshape(-1),
        "cancelled": (stack.outcome == CANCELLED).reshape(-1),
        "rescheduled": (stack.took & (stack.actual != stack.planned[None])).reshape(-1),
    }


def _per_group(stack: Stack) -> Columns:
    if stack.per_group is None:
        stack.per_group = _compute_per_group(stack)
    return stack.per_group


def _compute_per_group(stack: Stack) -> Columns:
    cohort = stack.cohort
    runs, groups, meetings = stack.shape
    held_count = stack.held.sum(-1)
    # The date the group reached the completion count: the required-th held
    # meeting in time order (a make-up can come after a later meeting).
    held_times = np.where(stack.held, stack.actual, np.iinfo(np.int64).max)
    order = np.sort(held_times, axis=-1)
    completed = held_count >= cohort.required
    reached = order[..., min(cohort.required, meetings) - 1]
    end = np.where(stack.held, stack.actual, NAT).max(-1)
    taken = stack.took.sum(-1)
    present = stack.present.sum(-1, dtype=np.int64)
    active = stack.active.sum(-1, dtype=np.int64)
    rate = np.full(present.shape, np.nan)
    np.divide(present, active, out=rate, where=active > 0)
    # Peers still in the group after its last meeting.
    last = meetings - 1 - np.argmax(stack.took[..., ::-1], axis=-1)
    final = np.take_along_axis(stack.active, last[..., None], -1)[..., 0].astype(np.int64)
    peers = np.broadcast_to(np.asarray(cohort.spec.peers, np.int64), (groups,))
    final = np.where(taken > 0, final, peers[None])
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
    runs, groups, _ = stack.shape
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
