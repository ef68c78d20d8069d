"""Forecast a running cohort: simulate only its remaining meetings, from its actual state.

:func:`forecast` reads a programme part-way through (some meetings held or
cancelled, some planned, some members gone) and a scenario (assumed, or
fitted with :func:`~emessi.simulation.fit_scenario`), and simulates each
group's remaining planned meetings many times, starting from:

- the peers still in the group (members with no leaving date);
- each such peer's propensity to attend, drawn from the scenario's Beta
  updated by their own record: ``Beta(a + present, b + absent)`` over the
  held meetings they were in, which under the model is exactly the
  distribution of their propensity given that record (with
  ``AttendanceModel(fixed=True)`` everyone keeps the fixed probability);
- the meetings each peer missed so far (for a rising hazard);
- the counted meetings so far: held meetings with at least the scenario's
  ``threshold`` peers present.

The remaining meetings follow the scenario's dynamics
(:ref:`simulation-model`), the planned ones in order; under ``next-slot``
a cancelled meeting moves on, using at most twice the remaining number of
slots (spaced like the last planned ones). A group *completes* when its
counted meetings so far plus those to come reach ``required_meetings``
(the profile's minimum by default).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import attrs

from emessi._i18n import _
from emessi.errors import ScenarioError, UsageError
from emessi.model import MeetingStatus, Programme, Role
from emessi.model._strict import checked, strict
from emessi.simulation.result import Table
from emessi.simulation.scenario import Scenario

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Forecast", "forecast"]

#: A group whose chance of completing is below this is *at risk* (emessi's
#: assumption: a one-in-five chance of not completing deserves attention).
AT_RISK = 0.8


@checked
@attrs.frozen(eq=False, field_transformer=strict)
class Forecast:
    """The outcome of :func:`forecast`: tables per group and per remaining meeting.

    Columns of :attr:`groups`: ``group`` (id), ``peers`` (still in the
    group), ``counted`` (meetings counted so far), ``remaining`` (meetings
    planned), ``needed`` (counted meetings still needed),
    ``p_complete`` (the probability of completing) and its Monte-Carlo
    standard error ``p_complete_se``, ``expected_counted`` (expected
    counted meetings in all), ``at_risk`` (``p_complete`` below *risk*).

    Columns of :attr:`meetings` (one row per group and remaining meeting):
    ``group``, ``meeting`` (1 = the next one), ``planned`` (its planned
    start, UTC; ``NaT`` for a slot beyond the plan), ``p_takes_place``,
    ``expected_present`` (mean peers present when it takes place; NaN if it
    never does), ``p_counts`` (the probability it takes place with at least
    the threshold).

    Columns of :attr:`runs`: ``run``, ``groups_completed``.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, forecast, simulate
        >>> scenario = Scenario(start=StartWindow(date(2025, 9, 1)), groups=3)
        >>> running = simulate(scenario, runs=1, seed=5, records=True).programme()
        >>> ahead = forecast(running, scenario, runs=200, seed=1)
        >>> ahead.groups.names[:4]
        ('group', 'peers', 'counted', 'remaining')

    .. versionadded:: 0.1.0

    """

    scenario: Scenario
    runs: Table
    groups: Table
    meetings: Table
    risk: float
    required: int

    @property
    def expected_completed(self) -> float:
        """The expected number of groups that complete."""
        return float(self.runs["groups_completed"].mean())

    @property
    def probability_all(self) -> float:
        """The probability that every group completes."""
        completed = self.runs["groups_completed"]
        return float((completed == len(self.groups)).mean())

    @property
    def at_risk(self) -> tuple[str, ...]:
        """The ids of the groups at risk, most at risk first."""
        groups = self.groups
        order = sorted(range(len(groups)), key=lambda i: float(groups["p_complete"][i]))
        return tuple(str(groups["group"][i]) for i in order if groups["at_risk"][i])


@attrs.frozen(eq=False)
class _State:
    """One group's state and plan, read from the records."""

    id: str
    timezone: str
    counted: int
    planned: list[datetime]
    last: datetime | None
    present: list[int]  # per peer still in the group
    held: list[int]
    missed: list[int]


def _state(programme: Programme, threshold: int) -> list[_State]:
    states = []
    for group in programme.groups:
        meetings = sorted(group.meetings, key=lambda m: m.start)
        taken = [m for m in meetings if m.status is not MeetingStatus.PLANNED]
        planned = [m.start for m in meetings if m.status is MeetingStatus.PLANNED]
        peers = [m for m in group.memberships if m.role is Role.PEER]
        ids = {m.person for m in peers}
        held = [m for m in taken if m.status is MeetingStatus.HELD]
        counted = sum(1 for m in held if len(ids.intersection(m.attendance)) >= threshold)
        present: list[int] = []
        attended: list[int] = []
        missed: list[int] = []
        for member in peers:
            if member.left is not None:
                continue
            came = sessions = 0
            for meeting in held:
                if member.active_on(meeting.start.date()):
                    sessions += 1
                    came += member.person in meeting.attendance
            present.append(came)
            attended.append(sessions)
            missed.append(sessions - came)
        states.append(
            _State(
                group.id,
                group.timezone,
                counted,
                planned,
                taken[-1].start if taken else None,
                present,
                attended,
                missed,
            )
        )
    return states


def _spec(scenario: Scenario, states: list[_State]) -> Any:
    import numpy as np

    from emessi.simulation._cohort import _POLICY, _TIMING, MONTH_SECONDS
    from emessi.simulation._kernel import MONTHLY, NEXT_SLOT, Spec

    groups = len(states)
    width = max(1, max(len(s.present) for s in states))
    length = np.array([len(s.planned) for s in states], np.int64)
    meetings = max(1, int(length.max()))
    active = np.zeros((width, groups), bool)
    alpha = np.ones((width, groups))
    beta = np.ones((width, groups))
    missed = np.zeros((width, groups), np.int16)
    attendance = scenario.attendance
    a = attendance.mean * attendance.concentration
    b = (1 - attendance.mean) * attendance.concentration
    for g, state in enumerate(states):
        n = len(state.present)
        active[:n, g] = True
        came = np.array(state.present, float)
        sessions = np.array(state.held, float)
        alpha[:n, g] = a + came
        beta[:n, g] = b + sessions - came
        missed[:n, g] = state.missed
    policy = _POLICY[scenario.cancellation.policy]
    timing = _TIMING[scenario.dropout.timing]
    steps = 2 * meetings if policy == NEXT_SLOT else meetings
    gaps = None
    if timing == MONTHLY:
        gaps = np.zeros((steps, groups))
        for g, state in enumerate(states):
            moments = [s.timestamp() for s in state.planned]
            previous = state.last.timestamp() if state.last is not None else None
            spacing = 28 * 86400.0
            for t in range(steps):
                if t < len(moments):
                    now = moments[t]
                    if t > 0:
                        spacing = now - moments[t - 1]
                else:
                    now = (previous or 0.0) + spacing
                gaps[t, g] = 0.0 if previous is None else (now - previous) / MONTH_SECONDS
                previous = now
    fixed = attendance.fixed or not 0.0 < attendance.mean < 1.0
    return Spec(
        groups=groups,
        peers=width,
        meetings=meetings,
        slots=2 * length if policy == NEXT_SLOT else meetings,
        mean=attendance.mean,
        concentration=attendance.concentration,
        fixed=fixed,
        hazard=scenario.dropout.hazard,
        rise=scenario.dropout.rise,
        timing=timing,
        cancel=scenario.cancellation.probability,
        policy=policy,
        threshold=scenario.threshold,
        length=length,
        gaps=gaps,
        active=active,
        missed=missed,
        alpha=None if fixed else alpha,
        beta=None if fixed else beta,
    )


def _planned_column(states: list[_State], meetings: int) -> npt.NDArray[Any]:
    import numpy as np

    seconds = np.full((len(states), meetings), np.iinfo(np.int64).min, np.int64)
    for g, state in enumerate(states):
        for k, moment in enumerate(state.planned[:meetings]):
            seconds[g, k] = int(moment.astimezone(UTC).timestamp())
    return seconds.reshape(-1).astype("datetime64[s]")


@checked
def forecast(
    programme: Programme,
    scenario: Scenario,
    *,
    runs: int = 1000,
    seed: int = 0,
    risk: float = AT_RISK,
) -> Forecast:
    """Simulate the rest of a running programme from its actual state.

    See :mod:`emessi.simulation.forecasting` for what the state is and how
    the remaining meetings are simulated. Each group's remaining meetings
    are the planned meetings of its records; a group with none left keeps
    the meetings it counted.

    Args:
        programme: The running programme: held meetings with attendance,
            cancelled ones, planned ones, members who left.
        scenario: The dynamics to assume (e.g. ``fit_scenario(programme).scenario``);
            its cohort fields (groups, peers, dates) are not used.
        runs: Replications.
        seed: The random seed; the same seed gives the same forecast.
        risk: A group is *at risk* when its probability of completing is
            below this (default 0.8, emessi's assumption).

    Returns:
        Tables per group, per remaining meeting and per run.

    Raises:
        UsageError: not a programme and a scenario, or *runs*, *seed* or
            *risk* out of range (at most
            100,000,000 runs x groups).
        ScenarioError: the programme has no groups, or the scenario's
            profile is unknown.
        MissingDependencyError: numpy (the extra ``numpy``) is not installed.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, forecast, simulate
        >>> scenario = Scenario(start=StartWindow(date(2025, 9, 1)), groups=4)
        >>> finished = simulate(scenario, runs=1, seed=5, records=True).programme()
        >>> ahead = forecast(finished, scenario, runs=100)
        >>> ahead.groups["remaining"].tolist()  # nothing planned: the outcome is known
        [0, 0, 0, 0]
        >>> complete = ahead.groups["p_complete"] == 1.0
        >>> bool((complete == (ahead.groups["counted"] >= 6)).all())
        True

    .. versionadded:: 0.1.0

    """
    from emessi.simulation.run import _check_int, _check_size, _numpy

    if not isinstance(programme, Programme):
        raise UsageError(_("forecast() takes a Programme"), path="programme")
    if not isinstance(scenario, Scenario):
        raise UsageError(_("forecast() takes a Scenario"), path="scenario")
    runs = _check_int(runs, "runs", 1)
    seed = _check_int(seed, "seed", 0)
    if isinstance(risk, bool) or not isinstance(risk, float | int) or not 0 <= risk <= 1:
        raise UsageError(_("risk is a probability between 0 and 1"), path="risk")
    _numpy()
    if not programme.groups:
        raise ScenarioError(_("the programme has no groups"), path="programme.groups")
    _check_size(runs * len(programme.groups), "runs")
    import numpy as np

    from emessi.simulation._cohort import _profile
    from emessi.simulation._kernel import run

    required = scenario.required_meetings or _profile(scenario).meetings.preferred[0]
    states = _state(programme, scenario.threshold)
    spec = _spec(scenario, states)
    draw = run(spec, seed, 0, 0, runs)
    groups, meetings = spec.groups, spec.meetings
    took = draw.slot >= 0  # (runs, meetings, groups)
    counts = took & (draw.present >= scenario.threshold)
    counted_now = np.array([s.counted for s in states], np.int64)
    total = counted_now[None, :] + counts.sum(axis=1)
    completed = total >= required
    p = completed.mean(axis=0)
    se = np.sqrt(p * (1 - p) / runs)
    remaining = np.array([len(s.planned) for s in states], np.int64)
    group_ids = np.array([s.id for s in states], dtype=object)
    group_table = Table(
        {
            "group": group_ids,
            "peers": np.array([len(s.present) for s in states], np.int64),
            "counted": counted_now,
            "remaining": remaining,
            "needed": np.maximum(required - counted_now, 0),
            "p_complete": p,
            "p_complete_se": se,
            "expected_counted": total.mean(axis=0),
            "at_risk": p < risk,
        },
        scenario.timezone,
    )
    happened = took.sum(axis=0)  # (meetings, groups)
    present = np.where(took, draw.present, 0).sum(axis=0)
    mean_present = np.full(happened.shape, np.nan)
    np.divide(present, happened, out=mean_present, where=happened > 0)
    mask = np.arange(meetings)[:, None] < remaining[None, :]
    keep = mask.T.reshape(-1)
    meeting_table = Table(
        {
            "group": np.repeat(group_ids, meetings)[keep],
            "meeting": np.tile(np.arange(1, meetings + 1, dtype=np.int64), groups)[keep],
            "planned": _planned_column(states, meetings)[keep],
            "p_takes_place": (happened / runs).T.reshape(-1)[keep],
            "expected_present": mean_present.T.reshape(-1)[keep],
            "p_counts": (counts.sum(axis=0) / runs).T.reshape(-1)[keep],
        },
        scenario.timezone,
    )
    run_table = Table(
        {
            "run": np.arange(runs, dtype=np.int64),
            "groups_completed": completed.sum(axis=1).astype(np.int64),
        },
        scenario.timezone,
    )
    return Forecast(scenario, run_table, group_table, meeting_table, float(risk), int(required))
