"""The results of a simulation: tidy tables of meetings, groups and runs.

Tables are columns of numpy arrays, built on first use from the kernel's
compact output; :meth:`Table.to_pandas` and :meth:`Table.to_polars` turn
them into data frames when those packages are installed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from emessi._i18n import N_, _
from emessi.errors import EmessiError, MissingDependencyError, UsageError
from emessi.model import Programme
from emessi.model._checks import check_zone, safe_id
from emessi.model._strict import check_for, checked, strict
from emessi.simulation.scenario import Scenario

if TYPE_CHECKING:
    import numpy.typing as npt

    from emessi.simulation._cohort import Cohort
    from emessi.simulation._kernel import Draw
    from emessi.simulation._summary import Stack

__all__ = ["SimulationResult", "Table"]


_NAME = check_for(str)


def _frozen_columns(columns: Mapping[str, npt.NDArray[Any]]) -> dict[str, npt.NDArray[Any]]:
    """Read-only views of the columns, which must be 1-d arrays of one length."""
    if not isinstance(columns, Mapping):
        raise UsageError(
            _("expected a mapping of names to numpy arrays, not {actual}").format(
                actual=type(columns).__name__
            ),
            path="columns",
        )
    try:
        import numpy as np
    except ImportError:
        raise MissingDependencyError("numpy", extra="numpy", feature=N_("Tables")) from None
    frozen: dict[str, npt.NDArray[Any]] = {}
    length = -1
    ndarray = np.ndarray
    column: Any
    for name, column in columns.items():
        if name.__class__ is not str or not name.isascii() or len(name) > 200:
            _NAME(name, f"columns[{len(frozen)}] (key)")
        if column.__class__ is not ndarray or column.ndim != 1:
            _check_column(column, name, length, ndarray)
        if len(column) != length:
            if length >= 0:
                _check_column(column, name, length, ndarray)
            length = len(column)
        column = column.view()
        column.flags.writeable = False
        frozen[name] = column
    return frozen


def _check_column(column: Any, name: str, length: int, ndarray: Any) -> None:
    where = f"columns[{safe_id(name)}]"
    if not isinstance(column, ndarray) or column.ndim != 1:
        raise UsageError(_("expected a one-dimensional numpy array"), path=where)
    if length >= 0 and len(column) != length:
        raise UsageError(_("the columns of a table have one length"), path=where)


@checked
@attrs.frozen(eq=False, field_transformer=strict)
class Table:
    """A tidy table: named numpy columns of equal length, one row per observation.

    Date columns are ``datetime64[s]`` in UTC (``NaT`` for none); data
    frames get them as timezone-aware columns in :attr:`timezone`.

    Args:
        columns: The columns by name, in order.
        timezone: The IANA zone data frames show dates in.

    Example:
        >>> import numpy as np
        >>> table = Table({"run": np.array([0, 1]), "held": np.array([True, False])})
        >>> len(table), table.names
        (2, ('run', 'held'))
        >>> next(table.rows())
        {'run': 0, 'held': True}

    .. versionadded:: 0.1.0

    """

    columns: dict[str, npt.NDArray[Any]] = attrs.field(converter=_frozen_columns)
    timezone: str = attrs.field(default="UTC", validator=check_zone)

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(self.columns)

    def __len__(self) -> int:
        """The number of rows."""
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        """The column *name* (a read-only numpy array)."""
        try:
            return self.columns[name]
        except (KeyError, TypeError):
            if name.__class__ is not str:
                _NAME(name, "name")
            known = ", ".join(self.columns)
            raise UsageError(
                _("no column {name}; the columns are: {known}").format(
                    name=safe_id(name), known=known
                )
            ) from None

    def rows(self) -> Iterator[dict[str, Any]]:
        """The rows as dicts of plain Python values (dates: aware UTC datetimes, or None).

        Meant for small tables; use the columns or a data frame for large ones.
        """
        names = self.names
        values = [_plain(self.columns[name]) for name in names]
        for row in zip(*values, strict=True):
            yield dict(zip(names, row, strict=True))

    @checked
    def to_csv(self, *, escape_formulas: bool = True) -> str:
        """The table as CSV text: a header, then one line per row.

        Dates are ISO 8601 in :attr:`timezone` (empty for none), booleans
        ``true``/``false``. A text cell that a spreadsheet would run as a
        formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return; OWASP "CSV Injection") gets a leading ``'``,
        unless *escape_formulas* is false. Needs no optional package.

        Example:
            >>> import numpy as np
            >>> print(Table({"run": np.array([0]), "group": np.array(["=1+1"])}).to_csv(), end="")
            run,group
            0,'=1+1

        .. versionadded:: 0.1.0

        """
        from emessi._text import csv_text, plain
        from emessi.model._checks import zone

        tz = zone(self.timezone)

        def render(value: Any) -> str:
            if isinstance(value, datetime):
                return value.astimezone(tz).isoformat()
            return plain(value)

        return csv_text(
            self.names,
            (row.values() for row in self.rows()),
            escape_formulas=escape_formulas,
            render=render,
        )

    def to_pandas(self) -> Any:
        """The table as a :class:`pandas.DataFrame` (the extra ``dataframes``).

        Example:
            >>> import numpy as np
            >>> Table({"run": np.array([0, 1])}).to_pandas().shape
            (2, 1)

        """
        try:
            import pandas  # type: ignore[import-untyped, unused-ignore]
        except ImportError:
            raise MissingDependencyError(
                "pandas", extra="dataframes", feature=N_("Tables as pandas data frames")
            ) from None
        frame = pandas.DataFrame(dict(self.columns), copy=True)
        for name, column in self.columns.items():
            if column.dtype.kind == "M":
                frame[name] = frame[name].dt.tz_localize("UTC").dt.tz_convert(self.timezone)
        return frame

    def to_polars(self) -> Any:
        """The table as a :class:`polars.DataFrame` (the extra ``dataframes``).

        Example:
            >>> import numpy as np
            >>> Table({"run": np.array([0, 1])}).to_polars().shape
            (2, 1)

        """
        try:
            import polars
        except ImportError:
            raise MissingDependencyError(
                "polars", extra="dataframes", feature=N_("Tables as polars data frames")
            ) from None
        # polars takes datetime64 in ms, us or ns, not seconds
        frame = polars.DataFrame(
            {
                name: column.astype("datetime64[ms]") if column.dtype.kind == "M" else column
                for name, column in self.columns.items()
            }
        )
        dates = [name for name, column in self.columns.items() if column.dtype.kind == "M"]
        if dates:
            frame = frame.with_columns(
                polars.col(name).dt.replace_time_zone("UTC").dt.convert_time_zone(self.timezone)
                for name in dates
            )
        return frame


def _plain(column: npt.NDArray[Any]) -> list[Any]:
    if column.dtype.kind == "M":
        seconds = column.astype("datetime64[s]").astype("int64")
        nat = column != column  # NaT is the only value unequal to itself
        return [
            None if missing else datetime.fromtimestamp(int(value), UTC)
            for value, missing in zip(seconds.tolist(), nat.tolist(), strict=True)
        ]
    return list(column.tolist())


def _parameter_column(value: Any, length: int) -> Any:
    import numpy as np

    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool | int | float | str):
        return np.full(length, value)
    column = np.empty(length, object)
    column[:] = [value] * length
    return column


_PARTS: dict[str, type] = {}


def _check_parts(instance: SimulationResult, attribute: Any, value: tuple[Any, ...]) -> None:
    """The cohorts and draws: one of each per point (imported late: they need numpy)."""
    if not _PARTS:
        from emessi.simulation._cohort import Cohort
        from emessi.simulation._kernel import Draw

        _PARTS.update(_cohorts=Cohort, _draws=Draw)
    kind = _PARTS[attribute.name]
    if value.__class__ is tuple and len(value) == len(instance.points):
        for item in value:
            if item.__class__ is not kind:
                break
        else:
            return
    path = attribute.alias or attribute.name
    if not isinstance(value, tuple) or len(value) != len(instance.points):
        raise UsageError(_("expected a tuple with one item per point"), path=path)
    for index, item in enumerate(value):
        if not isinstance(item, kind):
            raise UsageError(
                _("expected {kind}").format(kind=kind.__name__), path=f"{path}[{index}]"
            )


@checked
@attrs.frozen(eq=False, field_transformer=strict)
class SimulationResult:
    """The outcome of :func:`~emessi.simulation.simulate` or :func:`~emessi.simulation.sweep`.

    Three tidy tables, each built on first use: :attr:`meetings` (one row
    per run, group and planned meeting), :attr:`groups` (per run and group)
    and :attr:`runs` (per run). A sweep's tables start with a ``point``
    column and one column per swept parameter.

    Columns of :attr:`meetings`: ``run``, ``group`` (0-based; see
    :attr:`group_ids`), ``meeting`` (1-based), ``planned`` and ``actual``
    start (``NaT`` if it never took place), ``present`` and ``active`` peers,
    ``held`` (took place with at least the threshold), ``cancelled`` (never
    took place), ``rescheduled`` (took place at another time).

    Columns of :attr:`groups`: ``run``, ``group``, ``facilitator``,
    ``peers``, ``meetings_held``, ``completed`` (held the profile's minimum),
    ``completed_on``, ``end`` (last meeting held), ``attendance_rate``
    (present / active peer-meetings), ``dropouts``, ``facilitator_hours``.

    Columns of :attr:`runs`: ``run``, ``groups``, ``groups_completed``,
    ``completion_rate``, ``meetings_held``, ``attendance_rate``,
    ``dropouts``, ``facilitator_hours``, ``busiest_facilitator_hours``,
    ``end`` (the cohort's last meeting held), ``all_completed_on``.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, simulate
        >>> result = simulate(Scenario(start=StartWindow(date(2025, 9, 1))), runs=3, seed=1)
        >>> len(result.runs), len(result.groups), len(result.meetings)
        (3, 33, 264)

    .. versionadded:: 0.1.0

    """

    scenario: Scenario
    seed: int
    n_runs: int
    points: tuple[dict[str, Any], ...]
    scenarios: tuple[Scenario, ...]
    _cohorts: tuple[Cohort, ...] = attrs.field(repr=False, alias="cohorts", validator=_check_parts)
    _draws: tuple[Draw, ...] = attrs.field(repr=False, alias="draws", validator=_check_parts)
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def timezone(self) -> str:
        """The zone data frames show dates in: the scenario's."""
        return self.scenario.timezone

    @property
    def group_ids(self) -> tuple[str, ...]:
        """The id of each group of the (first) point's cohort, by index.

        A programme template's group ids; otherwise ``g-1``, ``g-2``, ...
        """
        cohort = self._cohorts[0]
        if cohort.group_ids is not None:
            return cohort.group_ids
        return tuple(f"g-{n}" for n in range(1, cohort.spec.groups + 1))

    def _stacks(self) -> Sequence[Stack]:
        if "stacks" not in self._cache:
            from emessi.simulation._summary import Stack

            runs = range(self.n_runs)
            self._cache["stacks"] = [
                Stack(cohort, runs, draw)
                for cohort, draw in zip(self._cohorts, self._draws, strict=True)
            ]
        stacks: Sequence[Stack] = self._cache["stacks"]
        return stacks

    def _table(self, name: str) -> Table:
        if name not in self._cache:
            import numpy as np

            from emessi.simulation import _summary

            build = getattr(_summary, f"{name}_columns")
            parts: list[dict[str, Any]] = []
            for index, stack in enumerate(self._stacks()):
                columns = build(stack)
                if self.points[index] or len(self.points) > 1:
                    length = len(next(iter(columns.values())))
                    head = {"point": np.full(length, index, np.int64)}
                    for key, value in self.points[index].items():
                        head[key] = _parameter_column(value, length)
                    columns = {**head, **columns}
                parts.append(columns)
            if len(parts) == 1:
                merged = parts[0]
            else:
                merged = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
            self._cache[name] = Table(merged, self.timezone)
        table: Table = self._cache[name]
        return table

    @property
    def meetings(self) -> Table:
        """One row per run, group and planned meeting."""
        return self._table("meeting")

    @property
    def groups(self) -> Table:
        """One row per run and group: the per-group summary."""
        return self._table("group")

    @property
    def runs(self) -> Table:
        """One row per run: the per-run summary."""
        return self._table("run")

    @checked
    def programme(
        self, run: int = 0, name: str = "simulated", until: date | None = None
    ) -> Programme:
        """Run *run* written out as a programme's records (needs ``simulate(..., records=True)``).

        Every occasion of each group's series becomes a meeting, in time
        order: held (with the peers present as its attendance) or
        cancelled, make-ups marked with ``makeup_for``; each peer
        (``g-1.p1``, ...) is a member who left, if they did, on the local
        date of the occasion before which they left. A simulated cohort can
        so stand in for recorded data, e.g. to check
        :func:`~emessi.simulation.fit_scenario` or
        :func:`~emessi.simulation.forecast`.

        With *until*, the records are those of a cohort still running on
        that day: later meetings are planned (without attendance), and
        peers who left later are still in; a stand-in for a running cohort
        to :func:`~emessi.simulation.forecast`.

        Args:
            run: Which run (0-based).
            name: The programme's id.
            until: The day the records were taken; None: the end.

        Raises:
            UsageError: the simulation kept no records, or no such run.

        Example:
            >>> from datetime import date
            >>> from emessi.simulation import Scenario, StartWindow, simulate
            >>> scenario = Scenario(start=StartWindow(date(2025, 9, 1)), groups=2)
            >>> cohort = simulate(scenario, runs=1, seed=3, records=True).programme()
            >>> [group.id for group in cohort.groups]
            ['g-1', 'g-2']
            >>> cohort.groups[0].memberships[0].person
            'g-1.p1'

        .. versionadded:: 0.1.0

        """
        from emessi.simulation._records import programme

        draw = self._draws[0]
        if draw.attended is None:
            raise UsageError(_("simulate with records=True to write runs out as programmes"))
        if isinstance(run, bool) or not isinstance(run, int) or not 0 <= run < self.n_runs:
            raise UsageError(
                _("run must be between 0 and {last}").format(last=self.n_runs - 1), path="run"
            )
        if until is not None and (not isinstance(until, date) or isinstance(until, datetime)):
            raise UsageError(_("until is a date"), path="until")
        try:
            Programme(name)  # the id's own check, before any work
        except EmessiError as error:
            raise type(error)(error.message, path="name") from None
        return programme(self.scenarios[0], self._cohorts[0], draw, run, name, until)

    @checked
    def to_pandas(self, table: str = "meetings") -> Any:
        """The table *table* (``meetings``, ``groups``, ``runs``) as a :class:`pandas.DataFrame`."""
        return self._pick(table).to_pandas()

    @checked
    def to_polars(self, table: str = "meetings") -> Any:
        """The table *table* (``meetings``, ``groups``, ``runs``) as a :class:`polars.DataFrame`."""
        return self._pick(table).to_polars()

    def _pick(self, table: str) -> Table:
        if table not in ("meetings", "groups", "runs"):
            raise UsageError(
                _("no table {table}; choose 'meetings', 'groups' or 'runs'").format(
                    table=safe_id(table)
                ),
                path="table",
            )
        picked: Table = getattr(self, table)
        return picked
