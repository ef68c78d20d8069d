"""Research simulation of eMessi cohorts: seeded, vectorised, executor-agnostic.

Describe a cohort and its chance events as a :class:`Scenario`, run
Monte-Carlo replications with :func:`simulate` or a parameter grid with
:func:`sweep`, and read tidy tables of meetings, groups and runs. The kernel
needs numpy (the extra ``numpy``); importing this package does not.

Example:
    >>> from datetime import date
    >>> from emessi.simulation import Scenario, StartWindow, simulate
    >>> result = simulate(Scenario(start=StartWindow(date(2025, 9, 1))), runs=5, seed=1)
    >>> result.runs.names[:3]
    ('run', 'groups', 'groups_completed')

.. versionadded:: 0.1.0

"""

from emessi.simulation.fit import Estimate, ScenarioFit, fit_scenario
from emessi.simulation.forecasting import Forecast, forecast
from emessi.simulation.result import SimulationResult, Table
from emessi.simulation.run import progress_bar, simulate, sweep
from emessi.simulation.scenario import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    DropoutTiming,
    FacilitatorPool,
    Outcome,
    ReschedulePolicy,
    Scenario,
    StartWindow,
)

__all__ = [
    "AttendanceModel",
    "CancellationModel",
    "DropoutModel",
    "DropoutTiming",
    "Estimate",
    "FacilitatorPool",
    "Forecast",
    "Outcome",
    "ReschedulePolicy",
    "Scenario",
    "ScenarioFit",
    "SimulationResult",
    "StartWindow",
    "Table",
    "fit_scenario",
    "forecast",
    "progress_bar",
    "simulate",
    "sweep",
]
