"""Plots of simulation results (timeline, attendance, completion dates) and forecasts.

Each function takes a :class:`~emessi.simulation.SimulationResult`, returns
a matplotlib ``Figure`` drawn with the
non-interactive Agg backend (no window, no global pyplot state), and saves
it when given a path (written atomically) in the format its extension names:
``.png``, ``.svg`` or ``.pdf``; any other extension is refused. matplotlib is the
optional extra ``plot``; it is imported only when a plot is drawn.

Example:
    >>> from datetime import date
    >>> from emessi.simulation import Scenario, StartWindow, simulate
    >>> from emessi.plotting import plot_attendance
    >>> result = simulate(Scenario(start=StartWindow(date(2025, 9, 1))), runs=10, seed=1)
    >>> figure = plot_attendance(result)
    >>> figure.axes[0].get_xlabel()
    'meeting number'

.. versionadded:: 0.1.0

"""

from __future__ import annotations

import io
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emessi._i18n import N_, _, ngettext, pgettext
from emessi.errors import MissingDependencyError, SaveError, UsageError
from emessi.model._checks import zone
from emessi.model._strict import checked

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from emessi.simulation import Forecast, SimulationResult, Table

__all__ = [
    "FORMATS",
    "image_bytes",
    "image_format",
    "plot_attendance",
    "plot_completion",
    "plot_forecast",
    "plot_timeline",
]

_HELD, _TOO_FEW, _CANCELLED = "#1b7837", "#e08214", "#b2182b"
_DPI = 100


def _new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependencyError("matplotlib", extra="plot", feature=N_("Plots")) from None
    figure = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


#: The formats a plot is saved in, by file extension.
FORMATS = ("png", "svg", "pdf")


@checked
def image_format(path: str | PathLike[str]) -> str:
    """The format a plot saved to *path* is written in, from its extension.

    Raises:
        UsageError: the extension is not ``.png``, ``.svg`` or ``.pdf``.

    Example:
        >>> image_format("attendance.SVG")
        'svg'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(
            _("a plot is saved as .png, .svg or .pdf; name the file with one of these extensions"),
            path="path",
        )
    return suffix


@checked
def image_bytes(figure: Figure, fmt: str = "png") -> bytes:
    """*figure* drawn as a PNG, SVG or PDF file's bytes.

    Example:
        >>> from matplotlib.figure import Figure
        >>> image_bytes(Figure(), "svg")[:5]
        b'<?xml'
    """
    if fmt not in FORMATS:
        raise UsageError(_("the format is 'png', 'svg' or 'pdf'"), path="fmt")
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependencyError("matplotlib", extra="plot", feature=N_("Plots")) from None
    if not isinstance(figure, Figure):
        raise UsageError(
            _("expected a matplotlib Figure, not {actual}").format(actual=type(figure).__name__),
            path="figure",
        )
    buffer = io.BytesIO()
    # No timestamp in the file: the same plot gives the same bytes.
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt, {})
    import matplotlib

    # A fixed salt for the ids in an SVG, which are random otherwise.
    with matplotlib.rc_context({"svg.hashsalt": "emessi"}):
        figure.savefig(buffer, format=fmt, dpi=_DPI, metadata=metadata)
    return buffer.getvalue()


def _save(figure: Figure, path: str | PathLike[str] | None) -> Figure:
    if path is not None:
        from emessi._atomic import write_atomic

        fmt = image_format(path)
        if "\x00" in str(path):
            raise SaveError(_("not a valid file name (a NUL character)"), path="path")
        write_atomic(Path(path), image_bytes(figure, fmt))
    return figure


def _check(result: SimulationResult, point: int = 0) -> None:
    from emessi.simulation import SimulationResult

    if not isinstance(result, SimulationResult):
        raise UsageError(
            _("expected a SimulationResult, not {actual}").format(actual=type(result).__name__),
            path="result",
        )
    if not 0 <= point < len(result.points):
        raise UsageError(
            _("point is between 0 and {last}").format(last=len(result.points) - 1), path="point"
        )


def _rows(table: Table, point: int, run: int | None = None) -> Any:
    """A mask of the rows of grid *point* (and *run*)."""
    import numpy as np

    mask = np.ones(len(table), bool)
    if "point" in table.names:
        mask &= table["point"] == point
    if run is not None:
        mask &= table["run"] == run
    if not mask.any():
        raise UsageError(
            _("no rows for that point or run"), path="run" if run is not None else "point"
        )
    return mask


def _date_axis(axes: Axes, timezone: str) -> None:
    import matplotlib.dates

    dates: Any = matplotlib.dates  # its locators are not annotated
    locator = dates.AutoDateLocator(tz=zone(timezone))
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=zone(timezone)))


@checked
def plot_timeline(
    result: SimulationResult,
    path: str | PathLike[str] | None = None,
    *,
    run: int = 0,
    point: int = 0,
    max_groups: int = 40,
) -> Figure:
    """The programme of one run: a row per group, a marker per meeting.

    Held meetings are filled circles and meetings with too few peers hollow
    circles, each at the time it took place (a rescheduled meeting at its
    new time); cancelled meetings are crosses at their planned time.

    Args:
        result: A simulation result.
        path: Where to save the plot (``.png``, ``.svg`` or ``.pdf``); None: do not save.
        run: Which run to show.
        point: Which grid point of a sweep.
        max_groups: Show at most this many groups (the first ones).

    Raises:
        MissingDependencyError: matplotlib (the extra ``plot``) is missing.
        UsageError: no such run or point, or *path* is not a .png, .svg or
            .pdf file name.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, simulate
        >>> result = simulate(Scenario(start=StartWindow(date(2025, 9, 1))), runs=1, seed=1)
        >>> [c.get_label() for c in plot_timeline(result).axes[0].collections]
        ['held', 'too few peers', 'cancelled']

    .. versionadded:: 0.1.0

    """
    _check(result, point)
    meetings = result.meetings
    if max_groups < 1:
        raise UsageError(_("show at least one group"), path="max_groups")
    mask = _rows(meetings, point, run) & (meetings["group"] < max_groups)
    group = meetings["group"][mask]
    planned, actual = meetings["planned"][mask], meetings["actual"][mask]
    held, cancelled = meetings["held"][mask], meetings["cancelled"][mask]
    shown = int(group.max()) + 1
    figure, axes = _new_figure(8.0, max(2.5, 0.8 + 0.22 * shown))
    took = ~cancelled
    axes.scatter(
        actual[took & held],
        group[took & held],
        s=28,
        color=_HELD,
        label=pgettext("meeting status", "held"),
    )
    axes.scatter(
        actual[took & ~held],
        group[took & ~held],
        s=28,
        facecolors="none",
        edgecolors=_TOO_FEW,
        label=_("too few peers"),
    )
    axes.scatter(
        planned[cancelled],
        group[cancelled],
        s=28,
        marker="x",
        color=_CANCELLED,
        label=pgettext("meeting status", "cancelled"),
    )
    ids = result.group_ids[:shown]
    axes.set_yticks(range(shown), ids, fontsize=7 if shown > 20 else 9)
    axes.set_ylim(shown - 0.5, -0.5)
    axes.set_ylabel(pgettext("plot axis", "group"))
    axes.grid(axis="x", color="0.9")
    # Above the plotting area, so that no marker is ever hidden behind it.
    axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=8, ncols=3, frameon=False)
    axes.set_title(_("Programme timeline (run {run})").format(run=run), loc="left")
    _date_axis(axes, result.timezone)
    return _save(figure, path)


@checked
def plot_attendance(
    result: SimulationResult,
    path: str | PathLike[str] | None = None,
    *,
    point: int = 0,
    band: tuple[float, float] = (0.05, 0.95),
) -> Figure:
    """Attendance over the series: mean peers present per meeting number, with a band.

    For each run, the mean number of peers present at meeting *n* (over the
    groups whose meeting *n* took place); the line is the mean over runs and
    the band the *band* quantiles across runs. A second line shows the mean
    number of peers still in the group (the gap to it is absence, the fall
    of it dropout).

    Args:
        result: A simulation result.
        path: Where to save the plot (``.png``, ``.svg`` or ``.pdf``); None: do not save.
        point: Which grid point of a sweep.
        band: The lower and upper quantile of the uncertainty band.

    Raises:
        MissingDependencyError: matplotlib (the extra ``plot``) is missing.
        UsageError: a band that is not two quantiles in order.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, simulate
        >>> result = simulate(Scenario(start=StartWindow(date(2025, 9, 1))), runs=10, seed=1)
        >>> axes = plot_attendance(result).axes[0]
        >>> [line.get_label() for line in axes.get_lines()]
        ['peers present', 'peers still in the group', 'viability threshold (4)']

    .. versionadded:: 0.1.0

    """
    import numpy as np

    _check(result, point)
    low, high = band
    if not 0.0 <= low < high <= 1.0:
        raise UsageError(_("the band is two quantiles 0 <= low < high <= 1"), path="band")
    meetings = result.meetings
    mask = _rows(meetings, point)
    runs = meetings["run"][mask]
    number = meetings["meeting"][mask]
    took = ~meetings["cancelled"][mask]
    count = int(number.max())
    n_runs = int(runs.max()) + 1
    index = runs * count + (number - 1)
    size = n_runs * count
    weight = np.bincount(index, weights=took, minlength=size)
    figure, axes = _new_figure(7.0, 4.0)
    x = np.arange(1, count + 1)
    for column, color, label in (
        ("present", _HELD, _("peers present")),
        ("active", "0.35", _("peers still in the group")),
    ):
        total = np.bincount(index, weights=meetings[column][mask] * took, minlength=size)
        mean = np.full(size, np.nan)
        np.divide(total, weight, out=mean, where=weight > 0)
        per_run = mean.reshape(n_runs, count)
        centre = _nan_stat(per_run, np.nanmean)
        axes.plot(x, centre, marker="o", color=color, label=label)
        if column == "present" and n_runs > 1:
            lower = _nan_stat(per_run, lambda a, axis: np.nanquantile(a, low, axis=axis))
            upper = _nan_stat(per_run, lambda a, axis: np.nanquantile(a, high, axis=axis))
            axes.fill_between(
                x,
                lower,
                upper,
                color=color,
                alpha=0.2,
                label=_("{low:.0%}-{high:.0%} of runs").format(low=low, high=high),
            )
    threshold = result.scenarios[point].threshold
    axes.axhline(
        threshold,
        color=_CANCELLED,
        linestyle="--",
        linewidth=1,
        label=_("viability threshold ({threshold})").format(threshold=threshold),
    )
    axes.set_xticks(x)
    axes.set_xlabel(_("meeting number"))
    axes.set_ylabel(_("peers per meeting"))
    axes.set_ylim(bottom=0)
    axes.set_title(
        ngettext(
            "Attendance over the series ({n} run)", "Attendance over the series ({n} runs)", n_runs
        ).format(n=n_runs)
    )
    axes.legend(loc="lower left", fontsize=8)
    return _save(figure, path)


def _nan_stat(values: Any, stat: Any) -> Any:
    """*stat* over runs, NaN where no run has a value (without a warning)."""
    import numpy as np

    out = np.full(values.shape[1], np.nan)
    seen = ~np.isnan(values).all(axis=0)
    if seen.any():
        out[seen] = stat(values[:, seen], axis=0)
    return out


@checked
def plot_completion(
    result: SimulationResult,
    path: str | PathLike[str] | None = None,
    *,
    point: int = 0,
) -> Figure:
    """When groups complete: the distribution of completion dates over runs and groups.

    A histogram of the date each group held its last required meeting
    (weekly bins), with the cumulative share of groups completed on a
    second axis; groups that never complete are counted in the title.

    Args:
        result: A simulation result.
        path: Where to save the plot (``.png``, ``.svg`` or ``.pdf``); None: do not save.
        point: Which grid point of a sweep.

    Raises:
        MissingDependencyError: matplotlib (the extra ``plot``) is missing.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, simulate
        >>> result = simulate(Scenario(start=StartWindow(date(2025, 9, 1))), runs=10, seed=1)
        >>> figure = plot_completion(result)
        >>> len(figure.axes[0].patches) > 0
        True

    .. versionadded:: 0.1.0

    """
    import numpy as np

    _check(result, point)
    groups = result.groups
    mask = _rows(groups, point)
    done = groups["completed_on"][mask]
    total = int(mask.sum())
    finished = np.sort(done[~np.isnat(done)])
    figure, axes = _new_figure(7.0, 4.0)
    share = len(finished) / total
    if len(finished):
        first = finished[0].astype("datetime64[W]")
        last = finished[-1].astype("datetime64[W]") + np.timedelta64(2, "W")
        edges: Any = np.arange(first, last, np.timedelta64(1, "W")).astype("datetime64[s]")
        axes.hist(finished, bins=edges, color=_HELD, alpha=0.75, label=_("groups completing"))
        twin = axes.twinx()
        twin.plot(
            finished,
            np.arange(1, len(finished) + 1) / total,
            color="0.2",
            linewidth=1.2,
            label=_("share completed"),
        )
        twin.set_ylim(0, 1)
        twin.set_ylabel(_("share of groups completed"))
        _date_axis(axes, result.timezone)
    else:
        axes.text(0.5, 0.5, _("no group completed"), ha="center", transform=axes.transAxes)
    axes.set_ylabel(_("groups per week (all runs)"))
    required = _required(result, point)
    axes.set_title(
        _(
            "Completion dates: {share:.0%} of groups held {required} meetings "
            "({missing} of {total} did not)"
        ).format(share=share, required=required, missing=total - len(finished), total=total),
        fontsize=10,
    )
    return _save(figure, path)


def _required(result: SimulationResult, point: int) -> int:
    from emessi.method import get_profile

    scenario = result.scenarios[point]
    if scenario.required_meetings is not None:
        return scenario.required_meetings
    return get_profile(scenario.profile).meetings.preferred[0]


@checked
def plot_forecast(forecast: Forecast, path: str | PathLike[str] | None = None) -> Figure:
    """A running cohort's forecast: each group's probability of completing.

    One horizontal bar per group, with its Monte-Carlo standard error, the
    groups at risk in red and the others in green, and a line at the risk
    threshold; each group is labelled with the meetings counted so far and
    the meetings still planned.

    Args:
        forecast: A :func:`~emessi.simulation.forecast`.
        path: Where to save the plot (``.png``, ``.svg`` or ``.pdf``); None: do not save.

    Raises:
        MissingDependencyError: matplotlib (the extra ``plot``) is missing.
        UsageError: not a forecast.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, forecast, simulate
        >>> from emessi.plotting import plot_forecast
        >>> scenario = Scenario(start=StartWindow(date(2025, 9, 1)), groups=3)
        >>> records = simulate(scenario, runs=1, seed=2, records=True).programme()
        >>> figure = plot_forecast(forecast(records, scenario, runs=50))
        >>> figure.axes[0].get_xlabel()
        'probability of completing'

    .. versionadded:: 0.1.0

    """
    from emessi.simulation import Forecast

    if not isinstance(forecast, Forecast):
        raise UsageError(
            _("expected a Forecast, not {actual}").format(actual=type(forecast).__name__),
            path="forecast",
        )
    groups = forecast.groups
    count = len(groups)
    figure, axes = _new_figure(7.0, 1.2 + 0.32 * count)
    rows = list(range(count))[::-1]  # the first group on top
    probability = groups["p_complete"]
    colours = [_CANCELLED if risky else _HELD for risky in groups["at_risk"].tolist()]
    axes.barh(rows, probability, xerr=1.96 * groups["p_complete_se"], color=colours, alpha=0.85)
    axes.axvline(forecast.risk, color="black", linestyle="--", linewidth=1)
    labels = [
        _("{group} ({counted} counted, {remaining} planned)").format(
            group=group, counted=counted, remaining=remaining
        )
        for group, counted, remaining in zip(
            groups["group"].tolist(),
            groups["counted"].tolist(),
            groups["remaining"].tolist(),
            strict=True,
        )
    ]
    axes.set_yticks(rows, labels, fontsize=8)
    axes.set_xlim(0, 1)
    axes.set_xlabel(_("probability of completing"))
    axes.set_title(
        _(
            "Forecast: {expected:.1f} of {count} groups expected to hold {required} counted "
            "meetings\nat risk: below {risk:.0%} (dashed line)"
        ).format(
            expected=forecast.expected_completed,
            count=count,
            required=forecast.required,
            risk=forecast.risk,
        ),
        fontsize=10,
    )
    return _save(figure, path)
