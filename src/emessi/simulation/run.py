"""Run scenarios: Monte-Carlo replications on any executor, and parameter sweeps.

Each replication (grid point, run) has a fixed place in a seed block and so
fixed random numbers (:mod:`emessi.simulation._seeds`); replications are
grouped into tasks only to share out the work, and the kernel runs each
task's replications as one vectorised batch. The same seed therefore gives
identical results serially, on a process pool or on a Dask cluster, with
any chunking.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future, as_completed
from typing import IO, TYPE_CHECKING, Any

import attrs

from emessi._i18n import N_, _, ngettext
from emessi.errors import EmessiError, MissingDependencyError, ScenarioError, UsageError
from emessi.model._checks import safe_id
from emessi.model._strict import checked, read_all
from emessi.simulation.result import SimulationResult
from emessi.simulation.scenario import Scenario

if TYPE_CHECKING:
    from emessi.simulation._cohort import Cohort
    from emessi.simulation._kernel import Draw, Spec

__all__ = ["progress_bar", "simulate", "sweep"]

Progress = Callable[[int, int], object]
# A task: replications start..stop-1 of a grid point.
Task = tuple[int, int, int]

#: The most group-runs (runs x grid points x groups) one call simulates:
#: the result holds every one of them in this process's memory (about 250
#: bytes each, so some 25 GB at the ceiling). An emessi bound, far beyond
#: any study; split a bigger one into several seeds.
MAX_GROUP_RUNS = 10**8
#: The most grid points one sweep has.
MAX_POINTS = 100_000


def _numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise MissingDependencyError("numpy", extra="numpy", feature=N_("Simulation")) from None


def _check_int(value: object, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise UsageError(
            _("{name} must be a whole number of at least {low}").format(name=name, low=low),
            path=name,
        )
    return value


def _check_size(group_runs: int, path: str) -> None:
    if group_runs > MAX_GROUP_RUNS:
        raise UsageError(
            _(
                "at most {n} group-runs (runs x grid points x groups) in one call; "
                "split the work over several seeds"
            ).format(n=f"{MAX_GROUP_RUNS:,}"),
            path=path,
        )


def _run_task(spec: Spec, task: Task, seed: int) -> Draw:
    """Run one task; what every executor runs."""
    from emessi.simulation._kernel import run

    point, start, stop = task
    return run(spec, seed, point, start, stop)


def _tasks(specs: Sequence[Spec], runs: int, chunk_size: int | None) -> list[Task]:
    """Cut every point's runs into tasks of *chunk_size* replications.

    By default a task is a whole number of seed blocks (no block is split
    between workers, so none draws another's propensities), about 1/32 of
    the work: enough to keep every worker busy and the progress moving.
    """
    tasks: list[Task] = []
    total = runs * len(specs)
    for point, spec in enumerate(specs):
        size = chunk_size
        if size is None:
            block, share = spec.block, -(-total // 32)
            size = block * max(1, -(-share // block))
        tasks.extend((point, lo, min(runs, lo + size)) for lo in range(0, runs, size))
    return tasks


def _execute(
    scenario: Scenario,
    points: Sequence[dict[str, Any]],
    scenarios: Sequence[Scenario],
    runs: int,
    seed: int,
    executor: Executor | None,
    chunk_size: int | None,
    progress: Progress | None,
    records: bool = False,
) -> SimulationResult:
    _numpy()
    runs = _check_int(runs, "runs", 1)
    seed = _check_int(seed, "seed", 0)
    if chunk_size is not None:
        chunk_size = _check_int(chunk_size, "chunk_size", 1)
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise UsageError(_("executor must be a concurrent.futures.Executor"), path="executor")
    if progress is not None and not callable(progress):
        raise UsageError(_("progress must be a callable progress(done, total)"), path="progress")
    _check_size(runs * len(scenarios), "runs")
    from emessi.simulation._cohort import expand
    from emessi.simulation._kernel import concatenate

    cohorts: list[Cohort] = []
    for index, (point, each) in enumerate(zip(points, scenarios, strict=True)):
        try:
            cohorts.append(expand(each))
        except ScenarioError as error:
            if not point:
                raise
            where = ", ".join(f"{key}={safe_id(value)}" for key, value in point.items())
            raise ScenarioError(
                _("grid point {index} ({where}): {message}").format(
                    index=index, where=where, message=error.message
                ),
                path=error.path,
            ) from None
    _check_size(runs * sum(cohort.spec.groups for cohort in cohorts), "runs")
    if records:
        cohorts = [
            attrs.evolve(cohort, spec=attrs.evolve(cohort.spec, record=True)) for cohort in cohorts
        ]
    specs = [cohort.spec for cohort in cohorts]
    tasks = _tasks(specs, runs, chunk_size)
    total, finished = runs * len(points), 0
    done: dict[Task, Draw] = {}
    if progress is not None:
        progress(0, total)
    if executor is None:
        for task in tasks:
            done[task] = _run_task(specs[task[0]], task, seed)
            if progress is not None:
                finished += task[2] - task[1]
                progress(finished, total)
    else:
        futures: dict[Future[Draw], Task] = {
            executor.submit(_run_task, specs[task[0]], task, seed): task for task in tasks
        }
        for future in as_completed(futures):
            task = futures[future]
            done[task] = future.result()
            if progress is not None:
                finished += task[2] - task[1]
                progress(finished, total)
    draws = tuple(
        concatenate([done[task] for task in tasks if task[0] == point])
        for point in range(len(points))
    )
    return SimulationResult(
        scenario=scenario,
        seed=seed,
        n_runs=runs,
        points=tuple(points),
        scenarios=tuple(scenarios),
        cohorts=tuple(cohorts),
        draws=draws,
    )


@checked
def simulate(
    scenario: Scenario,
    runs: int = 1,
    seed: int = 0,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    records: bool = False,
) -> SimulationResult:
    """Run *runs* Monte-Carlo replications of *scenario*.

    Replications run as vectorised batches. Replication *r* always gets
    the same random numbers: those of place ``r % B`` in seed block ``r //
    B``, whose streams are ``numpy.random.SeedSequence(seed, spawn_key=(0,
    r // B, i))``, where the block size *B* depends only on the cohort's
    peers x groups. So the results depend on *seed* only: not on the
    executor, its number of workers, *chunk_size*, or how many runs you ask
    for (the first 10 of 1,000 runs are the 10 runs of ``runs=10``).

    Args:
        scenario: What to simulate.
        runs: How many replications.
        seed: The root seed (a whole number >= 0).
        executor: Any ``concurrent.futures.Executor`` (a process pool,
            Dask's ``Client.get_executor()``, ...); None runs here, serially.
        chunk_size: Replications per task; default: about 1/32 of them.
        progress: Called as ``progress(done, total)`` as replications finish
            (see :func:`progress_bar`).
        records: Keep each peer's attendance and leaving too, so that
            :meth:`SimulationResult.programme` can write a run out as the
            records of a programme (costs memory: one flag per peer-meeting).
            The random numbers, and so the tables, are the same either way.

    Returns:
        The tidy tables of meetings, groups and runs.

    Raises:
        ScenarioError: the scenario cannot be simulated (an unknown profile, a
            recurrence that cannot give the planned meetings, ...).
        UsageError: an argument of the wrong type (the path names it);
            *runs*, *seed* or *chunk_size* is not a whole number in range;
            more than 100,000,000 (``MAX_GROUP_RUNS``) group-runs.
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
        0.90 of groups complete; attendance 0.90
        >>> again = simulate(scenario, runs=20, seed=7).runs
        >>> bool((again["meetings_held"] == runs["meetings_held"]).all())
        True

    .. versionadded:: 0.1.0

    """
    if not isinstance(scenario, Scenario):
        raise UsageError(
            _("simulate() takes a Scenario, not {actual}").format(actual=type(scenario).__name__)
        )
    if not isinstance(records, bool):
        raise UsageError(_("records must be True or False"), path="records")
    return _execute(scenario, [{}], [scenario], runs, seed, executor, chunk_size, progress, records)


def _evolve(scenario: Scenario, path: str, value: Any) -> Scenario:
    head, _dot, rest = path.partition(".")
    fields = attrs.fields_dict(type(scenario))
    if head not in fields or head == "programme":
        raise UsageError(
            _("no scenario field {field} to sweep").format(field=safe_id(path)),
            path=f"grid[{safe_id(path)}]",
        )
    if rest:
        part = getattr(scenario, head)
        if not attrs.has(type(part)) or rest not in attrs.fields_dict(type(part)):
            raise UsageError(
                _("no scenario field {field} to sweep").format(field=safe_id(path)),
                path=f"grid[{safe_id(path)}]",
            )
        value = attrs.evolve(part, **{rest: value})
    result: Scenario = attrs.evolve(scenario, **{head: value})
    return result


@checked
def sweep(
    scenario: Scenario,
    grid: Mapping[str, Any],
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
    the streams of its place in seed block ``(p, r // B)`` (see
    :func:`simulate`), so the results do not depend on the executor or the
    chunking.

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
        UsageError: a path that is not a scenario field, an empty grid, a
            value of the wrong type for its field, more than
            100,000 (``MAX_POINTS``) grid points or 100,000,000 (``MAX_GROUP_RUNS``)
            group-runs.

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
        raise UsageError(
            _("sweep() takes a Scenario, not {actual}").format(actual=type(scenario).__name__)
        )
    if not isinstance(grid, Mapping) or not grid:
        raise UsageError(_("the grid maps at least one field path to values"), path="grid")
    keys = list(grid)
    values: list[list[Any]] = []
    for key in keys:
        if not isinstance(key, str):
            raise UsageError(_("grid keys are field paths such as 'attendance.mean'"), path="grid")
        options = grid[key]
        if isinstance(options, str) or not isinstance(options, Iterable):
            raise UsageError(_("expected a list of values"), path=f"grid[{safe_id(key)}]")
        where = f"grid[{safe_id(key)}]"
        options = list(read_all(itertools.islice(options, MAX_POINTS + 1), where))
        if not options:
            raise UsageError(_("expected at least one value"), path=f"grid[{safe_id(key)}]")
        values.append(options)
    count = 1
    for options in values:
        count *= len(options)
        if count > MAX_POINTS:
            raise UsageError(
                _("a sweep has at most {n} grid points").format(n=f"{MAX_POINTS:,}"), path="grid"
            )
    points: list[dict[str, Any]] = []
    scenarios: list[Scenario] = []
    for combination in itertools.product(*values):
        point = dict(zip(keys, combination, strict=True))
        each = scenario
        try:
            for key, value in point.items():
                each = _evolve(each, key, value)
        except ScenarioError as error:
            where = ", ".join(f"{key}={safe_id(value)}" for key, value in point.items())
            raise ScenarioError(
                _("grid point {index} ({where}): {message}").format(
                    index=len(points), where=where, message=error.message
                ),
                path=error.path,
            ) from None
        except UsageError as error:
            where = ", ".join(f"{key}={safe_id(value)}" for key, value in point.items())
            raise type(error)(
                _("grid point {index} ({where}): {message}").format(
                    index=len(points), where=where, message=error.message
                ),
                path=error.path,
            ) from None
        except EmessiError:
            raise
        except (TypeError, ValueError):
            raise ScenarioError(
                _("grid point {index}: a value does not fit").format(index=len(points)),
                path=f"grid[{safe_id(key)}]",
            ) from None
        points.append(point)
        scenarios.append(each)
    return _execute(scenario, points, scenarios, runs, seed, executor, chunk_size, progress)


@checked
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
    if stream is not None and not callable(getattr(stream, "write", None)):
        raise UsageError(_("expected a text stream with a write method"), path="stream")
    if not 1 <= width <= 1000:
        raise UsageError(
            _("the width is between 1 and {n} characters").format(n="1,000"), path="width"
        )

    def draw(done: int, total: int) -> None:
        target = sys.stderr if stream is None else stream
        filled = width * done // total if total else width
        count = ngettext("{done}/{total} run", "{done}/{total} runs", total)
        bar = f"\r[{'#' * filled}{'.' * (width - filled)}] "
        target.write(bar + count.format(done=done, total=total))
        if done >= total:
            target.write("\n")
        target.flush()

    return draw
