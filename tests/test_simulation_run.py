"""Running simulations: determinism on any executor and chunking, sweeps, progress."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date
from typing import Any

import numpy as np
import pytest

from emessi.errors import MissingDependencyError, ScenarioError, UsageError
from emessi.simulation import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    ReschedulePolicy,
    Scenario,
    SimulationResult,
    StartWindow,
    simulate,
    sweep,
)

SCENARIO = Scenario(
    start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
    groups=23,
    attendance=AttendanceModel(0.75, 6.0),
    dropout=DropoutModel(0.03, 0.05),
    cancellation=CancellationModel(0.15, ReschedulePolicy.NEXT_SLOT),
)
GRID = {"peers": [5, 6], "cancellation.policy": ["drop", "make-up"]}


def _assert_identical(left: SimulationResult, right: SimulationResult) -> None:
    for name in ("meetings", "groups", "runs"):
        a, b = getattr(left, name), getattr(right, name)
        assert a.names == b.names
        for column in a.names:
            np.testing.assert_array_equal(a[column], b[column], err_msg=f"{name}.{column}")


@pytest.fixture(scope="module")
def serial() -> SimulationResult:
    """The reference: 12 runs, serially, in one chunk."""
    return simulate(SCENARIO, runs=12, seed=2024, chunk_size=12)


@pytest.fixture(scope="module")
def serial_sweep() -> SimulationResult:
    """The reference sweep, serially."""
    return sweep(SCENARIO, GRID, runs=3, seed=99)


@pytest.mark.parametrize("chunk_size", [1, 5, 7, None])
def test_promise_5_same_seed_same_results_whatever_the_chunking(
    serial: SimulationResult, chunk_size: int | None
) -> None:
    """Serial runs give identical tables for any chunk size."""
    _assert_identical(serial, simulate(SCENARIO, runs=12, seed=2024, chunk_size=chunk_size))


@pytest.mark.parametrize("policy", list(ReschedulePolicy))
@pytest.mark.parametrize("mean", [0.0, 0.7, 1.0])
def test_batching_never_changes_a_run(policy: ReschedulePolicy, mean: float) -> None:
    """Runs batched together in the kernel equal runs simulated one by one, for every policy."""
    import attrs

    scenario = attrs.evolve(
        SCENARIO,
        groups=9,
        attendance=AttendanceModel(mean, 3.0),
        cancellation=CancellationModel(0.4, policy),
    )
    together = simulate(scenario, runs=9, seed=5, chunk_size=9)
    alone = simulate(scenario, runs=9, seed=5, chunk_size=1)
    _assert_identical(together, alone)


def test_promise_5_same_seed_same_results_on_a_thread_pool(serial: SimulationResult) -> None:
    """A thread pool with chunks finishing in any order gives the serial results."""
    with ThreadPoolExecutor(3) as pool:
        result = simulate(SCENARIO, runs=12, seed=2024, executor=pool, chunk_size=2)
    _assert_identical(serial, result)


def test_promise_5_same_seed_same_results_on_a_process_pool(
    serial: SimulationResult, serial_sweep: SimulationResult
) -> None:
    """ProcessPoolExecutor(2) gives the serial results, for simulate and sweep."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        result = simulate(SCENARIO, runs=12, seed=2024, executor=pool, chunk_size=3)
        swept = sweep(SCENARIO, GRID, runs=3, seed=99, executor=pool, chunk_size=5)
    _assert_identical(serial, result)
    _assert_identical(serial_sweep, swept)


def test_promise_5_same_seed_same_results_on_a_dask_cluster(
    serial: SimulationResult, serial_sweep: SimulationResult
) -> None:
    """A Dask LocalCluster (2 worker processes) via Client.get_executor() gives the serial results."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=":0",  # any free port: None means 8787, often taken
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        executor = client.get_executor(pure=False)
        result = simulate(SCENARIO, runs=12, seed=2024, executor=executor, chunk_size=4)
        swept = sweep(SCENARIO, GRID, runs=3, seed=99, executor=executor, chunk_size=1)
        executor.shutdown(wait=True)
    _assert_identical(serial, result)
    _assert_identical(serial_sweep, swept)


def test_a_run_does_not_depend_on_how_many_runs(serial: SimulationResult) -> None:
    """Run r is the same whether 5 or 12 runs are asked for: seeds are keyed by run."""
    fewer = simulate(SCENARIO, runs=5, seed=2024)
    np.testing.assert_array_equal(fewer.runs["meetings_held"], serial.runs["meetings_held"][:5])
    np.testing.assert_array_equal(
        fewer.meetings["present"], serial.meetings["present"][: len(fewer.meetings)]
    )


def test_different_seeds_differ(serial: SimulationResult) -> None:
    """Another seed gives other draws."""
    other = simulate(SCENARIO, runs=12, seed=2025)
    assert not np.array_equal(other.meetings["present"], serial.meetings["present"])


def test_runs_within_a_simulation_differ(serial: SimulationResult) -> None:
    """Each run has its own stream: runs are not copies of each other."""
    present = serial.meetings["present"].reshape(12, -1)
    assert len({row.tobytes() for row in present}) == 12


class _Reversed(Executor):
    """An executor that finishes its tasks in reverse order of submission."""

    def __init__(self) -> None:
        self.pending: list[tuple[Future[Any], Any, tuple[Any, ...]]] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.pending.append((future, fn, args))
        if len(self.pending) == 3:
            for waiting, function, arguments in reversed(self.pending):
                waiting.set_result(function(*arguments))
        return future


def test_any_executor_finishing_out_of_order(serial: SimulationResult) -> None:
    """A bare concurrent.futures.Executor completing chunks last-first gives the serial results."""
    result = simulate(SCENARIO, runs=12, seed=2024, executor=_Reversed(), chunk_size=4)
    _assert_identical(serial, result)


def test_progress_is_reported_up_to_the_total() -> None:
    """progress(done, total) starts at 0, never goes back, and ends at total."""
    calls: list[tuple[int, int]] = []
    simulate(SCENARIO, runs=10, seed=1, chunk_size=3, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 10)
    assert calls[-1] == (10, 10)
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert len(calls) == 5  # the start and one call per chunk of 3, 3, 3, 1


def test_sweep_gives_long_form_tables_with_parameters(serial_sweep: SimulationResult) -> None:
    """Each grid point's rows carry its parameter values; the last key varies fastest."""
    runs = serial_sweep.runs
    assert runs.names[:3] == ("point", "peers", "cancellation.policy")
    assert runs["point"].tolist() == [0] * 3 + [1] * 3 + [2] * 3 + [3] * 3
    assert runs["peers"].tolist() == [5] * 6 + [6] * 6
    assert runs["cancellation.policy"].tolist() == (["drop"] * 3 + ["make-up"] * 3) * 2
    groups = serial_sweep.groups
    assert (groups["peers"] == groups["peers"]).all()
    assert (serial_sweep.groups["peers"] == np.repeat([5, 5, 6, 6], 3 * 23)).all()
    assert len(serial_sweep.meetings) == 4 * 3 * 23 * 8
    # make-up rows only where the policy is make-up
    meetings = serial_sweep.meetings
    moved = meetings["rescheduled"]
    assert set(meetings["cancellation.policy"][moved].tolist()) == {"make-up"}


def test_sweep_point_zero_equals_simulate_of_that_scenario() -> None:
    """Point 0 of a sweep draws the streams simulate() draws for the same scenario."""
    import attrs

    swept = sweep(SCENARIO, {"attendance.mean": [0.5, 0.9]}, runs=4, seed=7)
    alone = simulate(attrs.evolve(SCENARIO, attendance=AttendanceModel(0.5, 6.0)), runs=4, seed=7)
    np.testing.assert_array_equal(swept.runs["meetings_held"][:4], alone.runs["meetings_held"])


def test_sweep_effect_has_the_expected_direction() -> None:
    """Higher attendance gives more meetings held: a sweep separates its points."""
    result = sweep(SCENARIO, {"attendance.mean": [0.5, 0.95]}, runs=6, seed=3)
    held = result.runs["meetings_held"].reshape(2, 6).mean(-1)
    assert held[1] > held[0]


def test_sweep_impossible_point_names_the_point_and_field() -> None:
    """A grid point that makes an impossible scenario raises ScenarioError with the field path."""
    with pytest.raises(ScenarioError) as caught:
        sweep(SCENARIO, {"peers": [6, 3]}, runs=1, seed=0)
    assert caught.value.path == "threshold"
    assert "grid point 1 (peers=3)" in caught.value.message
    with pytest.raises(ScenarioError) as caught:
        sweep(SCENARIO, {"attendance.mean": [0.5, 1.5]}, runs=1, seed=0)
    assert caught.value.path == "mean"
    with pytest.raises(ScenarioError) as caught:
        sweep(SCENARIO, {"meetings": [8, 3]}, runs=1, seed=0)
    assert caught.value.path == "meetings"


@pytest.mark.parametrize(
    ("grid", "path"),
    [
        ({}, "grid"),
        ({"nonsense": [1]}, "grid['nonsense']"),
        ({"attendance.nonsense": [1]}, "grid['attendance.nonsense']"),
        ({"peers.deeper": [1]}, "grid['peers.deeper']"),
        ({"programme": [None]}, "grid['programme']"),
        ({"peers": []}, "grid['peers']"),
        ({"peers": 6}, "grid['peers']"),
    ],
)
def test_sweep_bad_grid_is_a_usage_error(grid: dict[str, Any], path: str) -> None:
    """A grid key that is not a scenario field, or no values, is a UsageError with a path."""
    with pytest.raises(UsageError) as caught:
        sweep(SCENARIO, grid, runs=1, seed=0)
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"runs": 0}, "runs"),
        ({"runs": 2.5}, "runs"),
        ({"seed": -1}, "seed"),
        ({"seed": "x"}, "seed"),
        ({"chunk_size": 0}, "chunk_size"),
        ({"executor": object()}, "executor"),
        ({"progress": 3}, "progress"),
    ],
)
def test_bad_arguments_are_usage_errors(arguments: dict[str, Any], path: str) -> None:
    """Runs, seed, chunk size, executor and progress are checked, with a path."""
    with pytest.raises(UsageError) as caught:
        simulate(SCENARIO, **{"runs": 1, "seed": 0, **arguments})
    assert caught.value.path == path


def test_simulate_takes_a_scenario() -> None:
    """Passing something else than a Scenario is a UsageError."""
    with pytest.raises(UsageError):
        simulate({"groups": 3}, runs=1)  # type: ignore[arg-type]


def test_simulate_without_numpy_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without numpy, simulate raises MissingDependencyError naming the extra."""
    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(MissingDependencyError) as caught:
        simulate(SCENARIO, runs=1)
    assert caught.value.extra == "numpy"


def test_importing_simulation_loads_no_optional_dependency() -> None:
    """import emessi.simulation imports neither numpy nor any other optional package."""
    code = (
        "import sys, emessi.simulation, emessi.plotting\n"
        "loaded = [m for m in ('numpy', 'pandas', 'polars', 'matplotlib', 'holidays',"
        " 'dask', 'distributed') if m in sys.modules]\n"
        "print(loaded)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_runs_across_seed_blocks_do_not_depend_on_the_count_or_chunking() -> None:
    """Runs of a later seed block are the same for any number of runs and any chunks."""
    import attrs

    from emessi.simulation._seeds import block_size

    small = attrs.evolve(SCENARIO, groups=3, peers=5, threshold=3)
    block = block_size(5, 3)
    runs = block + 40  # a full block and part of the next
    whole = simulate(small, runs=runs, seed=8)
    split = simulate(small, runs=runs, seed=8, chunk_size=block // 3 + 1)
    _assert_identical(whole, split)
    fewer = simulate(small, runs=block + 5, seed=8)
    np.testing.assert_array_equal(
        fewer.groups["meetings_held"], whole.groups["meetings_held"][: (block + 5) * 3]
    )


def test_bulk_runs_seed_blocks_not_replications(monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 runs of an 11-group cohort make a handful of SeedSequences, not one per run."""
    made: list[object] = []
    original = np.random.SeedSequence

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(np.random, "SeedSequence", counting)
    cohort = Scenario(start=StartWindow(date(2025, 9, 1)), groups=11)
    result = simulate(cohort, runs=10_000, seed=1)
    assert len(result.runs) == 10_000
    assert len(made) <= 20  # two streams per block of up to 4,096 runs


def test_the_block_size_depends_on_the_cohort_only() -> None:
    """Seed blocks: a power of two, bounded by the memory ceiling, one run for huge cohorts."""
    from emessi.simulation._seeds import BLOCK_ELEMENTS, MAX_BLOCK, block_size

    assert block_size(6, 11) == 2048
    assert block_size(6, 100_000) == 1
    assert block_size(1, 1) == MAX_BLOCK
    for width, groups in [(6, 11), (5, 23), (10, 1000), (100, 3)]:
        size = block_size(width, groups)
        assert size & (size - 1) == 0
        assert size == 1 or size * width * groups <= BLOCK_ELEMENTS


def test_an_expanded_scenario_is_cached_read_only() -> None:
    """Simulating a scenario again reuses its expanded cohort, whose arrays nobody can change."""
    from emessi.simulation._cohort import expand

    first, again = expand(SCENARIO), expand(SCENARIO)
    assert first is again
    assert not first.times.flags.writeable
    assert not first.plan.flags.writeable
    _assert_identical(simulate(SCENARIO, runs=3, seed=5), simulate(SCENARIO, runs=3, seed=5))
