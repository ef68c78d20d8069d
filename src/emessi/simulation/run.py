"""Run scenarios: Monte-Carlo replications on any executor, and parameter sweeps.

Each replication (grid point, run) is a unit with its own random stream
(:mod:`emessi.simulation._seeds`); units are grouped into chunks only to
share out the work. The same seed therefore gives identical results
serially, on a process pool or on a Dask cluster, with any chunking.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future, as_completed
from typing import IO, TYPE_CHECKING, Any

import attrs

from emessi.errors import EmessiError, MissingDependencyError, ScenarioError, UsageError
from emessi.simulation.result import SimulationResult
from emessi.simulation.scenario import Scenario

if TYPE_CHECKING:
    from emessi.simulation._cohort import Cohort
    from emessi.simulation._kernel import Draw, Spec

__all__ = ["progress_bar", "simulate", "sweep"]

Progress = Callable[[int, int], object]
Unit = tuple[int, int]


def _numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise MissingDependencyError("numpy", extra="numpy", feature="Simulation") from None


def _check_int(value: object, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise UsageError(f"{name} must be a whole number of at least {low}", path=name)
    return value


# Replications of one grid point run together in the kernel up to this many
# peer slots (runs x peers x groups): small cohorts share a pass, large ones
# run one at a time.
_BATCH_ELEMENTS = 1 << 20


def _run_units(specs: Mapping[int, Spec], units: Sequence[Unit], seed: int) -> list[Draw]:
    """Run *units* (grid point, run); the task every executor runs."""
    from emessi.simulation._kernel import run
    from emessi.simulation._seeds import generator

    done: dict[Unit, Draw] = {}
    for point in dict.fromkeys(point for point, _ in units):
        spec = specs[point]
        mine = [unit for unit in units if unit[0] == point]
        width = _width(spec)
        size = max(1, _BATCH_ELEMENTS // max(1, width * spec.groups))
        for start in range(0, len(mine), size):
            batch = mine[start : start + size]
            draws = run(spec, [generator(seed, p, r) for p, r in batch])
            done.update(zip(batch, draws, strict=True))
    return [done[unit] for unit in units]


def _width(spec: Spec) -> int:
    peers = spec.peers
    return peers if isinstance(peers, int) else int(peers.max())


def _chunks(units: Sequence[Unit], size: int) -> list[Sequence[Unit]]:
    return [units[i : i + size] for i in range(0, len(units), size)]


def _execute(
    scenario: Scenario,
    points: Sequence[dict[str, Any]],
    scenarios: Sequence[Scenario],
    runs: int,
    seed: int,
    executor: Executor | None,
    chunk_size: int | None,
    progress: Progress | None,
) -> SimulationResult:
    _numpy()
    runs = _check_int(runs, "runs", 1)
    seed = _check_int(seed, "seed", 0)
    if chunk_size is not None:
        chunk_size = _check_int(chunk_size, "chunk_size", 1)
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise UsageError("executor must be a concurrent.futures.Executor", path="executor")
    if progress is not None and not callable(progress):
        raise UsageError("progress must be a callable progress(done, total)", path="progress")
    from emessi.simulation._cohort import expand

    cohorts: list[Cohort] = []
    for index, (point, each) in enumerate(zip(points, scenarios, strict=True)):
        try:
            cohorts.append(expand(each))
        except ScenarioError as error:
            if not point:
                raise
            where = ", ".join(f"{key}={value!r}" for key, value in point.items())
            raise ScenarioError(
                f"grid point {index} ({where}): {error.message}", path=error.path
            ) from None
    specs = {index: cohort.spec for index, cohort in enumerate(cohorts)}
    units: list[Unit] = [(point, run) for point in range(len(points)) for run in range(runs)]
    total = len(units)
    if chunk_size is None:
        # Enough chunks to keep every worker busy and the progress moving,
        # few enough that scheduling costs little.
        chunk_size = max(1, -(-total // 32))
    done: dict[Unit, Draw] = {}
    chunks = _chunks(units, chunk_size)
    if progress is not None:
        progress(0, total)
    if executor is None:
        for chunk in chunks:
            done.update(zip(chunk, _run_units(specs, chunk, seed), strict=True))
            if progress is not None:
                progress(len(done), total)
    else:
        futures: dict[Future[list[Draw]], Sequence[Unit]] = {}
        for chunk in chunks:
            needed = {point: specs[point] for point in {point for point, _ in chunk}}
            futures[executor.submit(_run_units, needed, chunk, seed)] = chunk
        for future in as_completed(futures):
            chunk = futures[future]
            done.update(zip(chunk, future.result(), strict=True))
            if progress is not None:
                progress(len(done), total)
    draws = tuple(tuple(done[(point, run)] for run in range(runs)) for point in range(len(points)))
    return SimulationResult(
        scenario=scenario,
        seed=seed,
        n_runs=runs,
        points=tuple(points),
        scenarios=tuple(scenarios),
        cohorts=tuple(cohorts),
        draws=draws,
    )


def simulate(
    scenario: Scenario,
    runs: int = 1,
    seed: int = 0,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Run *runs* Monte-Carlo replications of *scenario*.

    Replication *r* draws from ``numpy.random.SeedSequence(seed,
    spawn_key=(0, r))``, so the results depend on *seed* only: not on the
    executor, its number of workers, or *chunk_size*.

    Args:
        scenario: What to simulate.
        runs: How many replications.
        seed: The root seed (a whole number >= 0).
        executor: Any ``concurrent.futures.Executor`` (a process pool,
            Dask's ``Client.get_executor()``, ...); None runs here, serially.
        chunk_size: Replications per task; default: about 1/32 of them.
        progress: Called as ``progress(done, total)`` as replications finish
            (see :func:`progress_bar`).

    Returns:
        The tidy tables of meetings, groups and runs.

    Raises:
        ScenarioError: the scenario cannot be simulated (an unknown profile, a
            recurrence that cannot give the planned meetings, ...).
        UsageError: *runs*, *seed* or *chunk_size* is not a whole number in
            range, or *executor* is not an executor.
        MissingDependencyError: numpy (the extra ``numpy``) is not installed.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, AttendanceModel, simulate
        >>> scenario = Scenario(start=StartWindow(date(2025, 9, 1), date(2025, 9, 30)),
        ...                     attendance=AttendanceModel(mean=0.9))
        >>> result = simulate(scenario, runs=20, seed=7)
        >>> runs = result.runs
        >>> print(f"{runs['completion_rate'].mean():.2f} of groups complete; "
        ...       f"attendance {runs['attendance_rate'].mean():.2f}")
        0.91 of groups complete; attendance 0.90
        >>> again = simulate(scenario, runs=20, seed=7).runs
        >>> bool((again["meetings_held"] == runs["meetings_held"]).all())
        True

    .. versionadded:: 0.1.0

    """
    if not isinstance(scenario, Scenario):
        raise UsageError(f"simulate() takes a Scenario, not {type(scenario).__name__}")
    return _execute(scenario, [{}], [scenario], runs, seed, executor, chunk_size, progress)


def _evolve(scenario: Scenario, path: str, value: Any) -> Scenario:
    head, _, rest = path.partition(".")
    fields = attrs.fields_dict(type(scenario))
    if head not in fields or head == "programme":
        raise UsageError(f"no scenario field {path!r} to sweep", path=f"grid[{path!r}]")
    if rest:
        part = getattr(scenario, head)
        if not attrs.has(type(part)) or rest not in attrs.fields_dict(type(part)):
            raise UsageError(f"no scenario field {path!r} to sweep", path=f"grid[{path!r}]")
        value = attrs.evolve(part, **{rest: value})
    result: Scenario = attrs.evolve(scenario, **{head: value})
    return result


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Iterable[Any]],
    runs: int = 1,
    seed: int = 0,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Simulate *scenario* at every point of a parameter grid.

    The grid maps a field path of the scenario (``"peers"``,
    ``"attendance.mean"``, ``"cancellation.policy"``) to the values to try;
    every combination is a grid point, in the order of the grid (the last
    key varies fastest). Replication *r* of point *p* draws from
    ``SeedSequence(seed, spawn_key=(p, r))``, so the results do not depend on
    the executor or the chunking.

    Args:
        scenario: The base scenario.
        grid: Field path -> values.
        runs: Replications per grid point.
        seed: The root seed.
        executor: Any ``concurrent.futures.Executor``; None: serial.
        chunk_size: Replications per task.
        progress: Called as ``progress(done, total)``.

    Returns:
        Long-form tables with a ``point`` column and one column per parameter.

    Raises:
        ScenarioError: a grid point makes an impossible scenario; the
            message names the point, the path the field at fault.
        UsageError: a path that is not a scenario field, or an empty grid.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, sweep
        >>> base = Scenario(start=StartWindow(date(2025, 9, 1)))
        >>> result = sweep(base, {"peers": [5, 6], "dropout.hazard": [0.0, 0.1]}, runs=4, seed=3)
        >>> result.runs.names[:4]
        ('point', 'peers', 'dropout.hazard', 'run')
        >>> len(result.runs)
        16

    .. versionadded:: 0.1.0

    """
    if not isinstance(scenario, Scenario):
        raise UsageError(f"sweep() takes a Scenario, not {type(scenario).__name__}")
    if not isinstance(grid, Mapping) or not grid:
        raise UsageError("the grid maps at least one field path to values", path="grid")
    keys = list(grid)
    values: list[list[Any]] = []
    for key in keys:
        if not isinstance(key, str):
            raise UsageError("grid keys are field paths such as 'attendance.mean'", path="grid")
        options = grid[key]
        if isinstance(options, str) or not isinstance(options, Iterable):
            raise UsageError("expected a list of values", path=f"grid[{key!r}]")
        options = list(options)
        if not options:
            raise UsageError("expected at least one value", path=f"grid[{key!r}]")
        values.append(options)
    points: list[dict[str, Any]] = []
    scenarios: list[Scenario] = []
    for combination in itertools.product(*values):
        point = dict(zip(keys, combination, strict=True))
        each = scenario
        try:
            for key, value in point.items():
                each = _evolve(each, key, value)
        except ScenarioError as error:
            where = ", ".join(f"{key}={value!r}" for key, value in point.items())
            raise ScenarioError(
                f"grid point {len(points)} ({where}): {error.message}", path=error.path
            ) from None
        except EmessiError:
            raise
        except (TypeError, ValueError):
            raise ScenarioError(
                f"grid point {len(points)}: a value does not fit", path=f"grid[{key!r}]"
            ) from None
        points.append(point)
        scenarios.append(each)
    return _execute(scenario, points, scenarios, runs, seed, executor, chunk_size, progress)


def progress_bar(stream: IO[str] | None = None, width: int = 30) -> Progress:
    r"""A ``progress(done, total)`` callback that draws a text bar on *stream*.

    Args:
        stream: Where to draw (default: standard error).
        width: The bar's width in characters.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> bar = progress_bar(out, width=10)
        >>> bar(5, 10)
        >>> out.getvalue()
        '\r[#####.....] 5/10 runs'

    .. versionadded:: 0.1.0

    """

    def draw(done: int, total: int) -> None:
        target = sys.stderr if stream is None else stream
        filled = width * done // total if total else width
        target.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} runs")
        if done >= total:
            target.write("\n")
        target.flush()

    return draw
