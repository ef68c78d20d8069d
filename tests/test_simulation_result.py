"""Simulation results: tidy tables, plain access, pandas and polars."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime

import numpy as np
import pytest

from emessi.errors import MissingDependencyError, UsageError
from emessi.simulation import (
    CancellationModel,
    Scenario,
    SimulationResult,
    StartWindow,
    Table,
    simulate,
)

SCENARIO = Scenario(
    start=StartWindow(date(2025, 9, 1), date(2025, 9, 14)),
    groups=4,
    cancellation=CancellationModel(0.3),
)


@pytest.fixture(scope="module")
def result() -> SimulationResult:
    """A small simulation with cancellations."""
    return simulate(SCENARIO, runs=3, seed=12)


def test_meeting_table_has_the_tidy_columns(result: SimulationResult) -> None:
    """One row per run, group and meeting, with the documented columns."""
    meetings = result.meetings
    assert meetings.names == (
        "run",
        "group",
        "meeting",
        "planned",
        "actual",
        "present",
        "active",
        "held",
        "cancelled",
        "rescheduled",
    )
    assert len(meetings) == 3 * 4 * 8
    assert meetings["run"].tolist()[:9] == [0] * 9
    assert meetings["meeting"].tolist()[:9] == [1, 2, 3, 4, 5, 6, 7, 8, 1]
    assert meetings["planned"].dtype == np.dtype("datetime64[s]")


def test_columns_are_read_only(result: SimulationResult) -> None:
    """A result cannot be changed through its columns."""
    with pytest.raises(ValueError, match="read-only"):
        result.meetings["present"][0] = 99


def test_table_rows_are_plain_python(result: SimulationResult) -> None:
    """rows() gives dicts of Python values; dates are aware UTC datetimes or None."""
    rows = list(result.meetings.rows())
    assert len(rows) == len(result.meetings)
    first = rows[0]
    assert isinstance(first["planned"], datetime)
    assert first["planned"].tzinfo is UTC
    assert type(first["present"]) is int
    assert type(first["held"]) is bool
    cancelled = [row for row in rows if row["cancelled"]]
    assert cancelled
    assert all(row["actual"] is None for row in cancelled)


def test_unknown_column_is_a_usage_error(result: SimulationResult) -> None:
    """Asking for a column that does not exist names the columns that do."""
    with pytest.raises(UsageError, match="present"):
        result.meetings["presence"]


def test_to_pandas_gives_zone_aware_dates(result: SimulationResult) -> None:
    """to_pandas() has the same rows and columns; dates in the scenario's zone."""
    frame = result.to_pandas()
    assert list(frame.columns) == list(result.meetings.names)
    assert len(frame) == len(result.meetings)
    assert str(frame["planned"].dt.tz) == "Europe/Helsinki"
    assert frame["planned"].iloc[0].hour == 14
    assert frame["actual"].isna().sum() == int(result.meetings["cancelled"].sum())
    runs = result.to_pandas("runs")
    assert runs["groups_completed"].tolist() == result.runs["groups_completed"].tolist()


def test_to_polars_gives_zone_aware_dates(result: SimulationResult) -> None:
    """to_polars() has the same rows and columns; dates in the scenario's zone."""
    frame = result.to_polars("groups")
    assert frame.columns == list(result.groups.names)
    assert frame.height == len(result.groups)
    assert frame.schema["end"].time_zone == "Europe/Helsinki"
    assert frame["meetings_held"].to_list() == result.groups["meetings_held"].tolist()


def test_unknown_table_is_a_usage_error(result: SimulationResult) -> None:
    """to_pandas() of a table that does not exist is a UsageError."""
    with pytest.raises(UsageError) as caught:
        result.to_pandas("people")
    assert caught.value.path == "table"


@pytest.mark.parametrize(("module", "method"), [("pandas", "to_pandas"), ("polars", "to_polars")])
def test_data_frames_without_the_package_name_the_extra(
    monkeypatch: pytest.MonkeyPatch, module: str, method: str
) -> None:
    """Without pandas or polars, the conversion raises MissingDependencyError (extra dataframes)."""
    monkeypatch.setitem(sys.modules, module, None)
    table = Table({"run": np.arange(3)})
    with pytest.raises(MissingDependencyError) as caught:
        getattr(table, method)()
    assert caught.value.extra == "dataframes"


def test_group_ids_default_to_numbered_ids(result: SimulationResult) -> None:
    """Without a programme template, groups are called g-1, g-2, ..."""
    assert result.group_ids == ("g-1", "g-2", "g-3", "g-4")


def test_run_summary_matches_group_summary(result: SimulationResult) -> None:
    """Per-run totals are the sums of the per-group figures."""
    groups, runs = result.groups, result.runs
    hours = groups["facilitator_hours"].reshape(3, 4).sum(-1)
    np.testing.assert_allclose(runs["facilitator_hours"], hours)
    end = groups["end"].reshape(3, 4).max(-1)
    np.testing.assert_array_equal(runs["end"], end)
    assert (runs["busiest_facilitator_hours"] <= runs["facilitator_hours"]).all()
    completed = groups["completed"].reshape(3, 4)
    finished = runs["all_completed_on"]
    assert (np.isnat(finished) == ~completed.all(-1)).all()
