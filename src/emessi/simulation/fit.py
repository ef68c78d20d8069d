"""Fit a scenario to what happened: attendance, dropout and cancellation from records.

:func:`fit_scenario` reads recorded programmes (held meetings with their
attendance, cancelled meetings, members who left) and estimates the numbers
of the model described in :ref:`simulation-model`, each with a confidence
interval, and returns a :class:`ScenarioFit` whose :attr:`~ScenarioFit.scenario`
is ready for :func:`~emessi.simulation.simulate`. The optimisation uses SciPy (the extra
``fit``).

The estimators (maximum likelihood under the model):

- **Attendance** (Beta *mean* and *concentration*): peer *i* was present at
  ``x_i`` of the ``n_i`` held meetings while in the group. Under the model
  ``x_i`` is beta-binomial (Skellam 1948; Griffiths 1973), so the
  log-likelihood is ``sum_i log BetaBinomial(x_i; n_i, m k, (1 - m) k)``,
  maximised over ``logit m`` and ``log k`` by Powell's method within
  bounds (SciPy's ``scipy.optimize.minimize``). The intervals are Wald intervals on
  that scale from the observed information (a central-difference Hessian
  of the log-likelihood), mapped back. When the data show no
  overdispersion (the concentration runs to its bound, 10^6) the fit is a
  fixed probability: ``AttendanceModel(fixed=True)`` with a Wilson
  interval for the mean.
- **Dropout hazard**: each draw (by *timing*: each held meeting, or each
  scheduled meeting, while the peer was in the group, the one before
  which they left included) is a Bernoulli trial; the hazard is leavers /
  draws, with a Wilson score interval (Wilson 1927; Agresti & Coull 1998).
  A peer who left after the last recorded meeting is counted as leaving
  at the next one.
- **Cancellation probability**: cancelled / (held + cancelled) meetings,
  with a Wilson interval. Planned meetings are not counted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import attrs

from emessi._i18n import N_, _
from emessi.errors import DomainError, MissingDependencyError, ScenarioError, UsageError
from emessi.model import MeetingStatus, Programme, Role
from emessi.model._checks import safe_id
from emessi.model._strict import checked, read_all, strict
from emessi.simulation.scenario import (
    AttendanceModel,
    CancellationModel,
    DropoutModel,
    DropoutTiming,
    Scenario,
    StartWindow,
)

__all__ = ["Estimate", "ScenarioFit", "fit_scenario"]

# The largest concentration the fit considers; beyond it the peers are
# alike and attendance is a fixed probability.
_MAX_CONCENTRATION = 1e6


def _real(name: str) -> Any:
    """The converter of an estimate's number: any real, NaN and infinity included.

    An interval may be unbounded (``inf``) or unknown (NaN), so these
    fields take what the run-time check of other numbers refuses.
    """

    def convert(value: Any) -> float:
        if value.__class__ is float:
            result: float = value
            return result
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return float(value)
            except OverflowError:
                raise DomainError(
                    _("a number lies within the range of a float"), path=name
                ) from None
        raise UsageError(
            _("expected {expected}, not {actual}").format(
                expected=_("a number"), actual=type(value).__name__
            ),
            path=name,
        )

    return convert


def _estimate_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """:func:`strict` on the name, method and observations; :func:`_real` on the numbers."""
    checked_fields = iter(strict(cls, [a for a in fields if a.name not in _REALS]))
    return [
        a.evolve(converter=_real(a.name)) if a.name in _REALS else next(checked_fields)
        for a in fields
    ]


_REALS = ("value", "low", "high")


@checked
@attrs.frozen(field_transformer=_estimate_fields)
class Estimate:
    """One fitted number of a scenario, with its confidence interval.

    Args:
        name: The scenario field it sets (``"attendance.mean"``, ...).
        value: The maximum-likelihood estimate.
        low: The interval's lower end.
        high: The interval's upper end (``inf`` when not bounded).
        method: How the interval was found.
        observations: How many observations it rests on (peers, draws or
            meetings).

    Example:
        >>> Estimate("dropout.hazard", 0.02, 0.01, 0.04, "Wilson score", 300).value
        0.02

    .. versionadded:: 0.1.0

    """

    name: str
    value: float
    low: float
    high: float
    method: str
    observations: int

    @checked
    def covers(self, value: float) -> bool:
        """Whether *value* lies in the interval.

        Example:
            >>> Estimate("x", 0.5, 0.4, 0.6, "Wald", 10).covers(0.45)
            True

        """
        return self.low <= value <= self.high


@checked
@attrs.frozen(field_transformer=strict)
class ScenarioFit:
    """The outcome of :func:`fit_scenario`: a scenario and the estimates behind it.

    Attributes:
        scenario: The base scenario with the fitted attendance, dropout and
            cancellation: ready to simulate.
        estimates: Each fitted number with its interval.
        level: The confidence level of the intervals.

    Example:
        >>> from emessi.simulation import Estimate, ScenarioFit, Scenario, StartWindow
        >>> from datetime import date
        >>> fit = ScenarioFit(Scenario(start=StartWindow(date(2025, 9, 1))),
        ...                   (Estimate("dropout.hazard", 0.02, 0.01, 0.04, "Wilson score", 300),),
        ...                   0.95)
        >>> fit["dropout.hazard"].high
        0.04

    .. versionadded:: 0.1.0

    """

    scenario: Scenario
    estimates: tuple[Estimate, ...]
    level: float

    @checked
    def __getitem__(self, name: str) -> Estimate:
        """The estimate of the field *name*."""
        for estimate in self.estimates:
            if estimate.name == name:
                return estimate
        known = ", ".join(e.name for e in self.estimates)
        raise UsageError(
            _("no estimate {name}; the estimates are: {known}").format(
                name=safe_id(name), known=known
            )
        )

    def __iter__(self) -> Iterator[Estimate]:
        """The estimates in order."""
        return iter(self.estimates)


@attrs.frozen
class _Counts:
    """What the records say, as counts."""

    attendance: list[tuple[int, int]]  # (present, held meetings) per peer
    draws: int
    leavers: int
    occasions: int
    cancelled: int
    first: date | None
    groups: int
    peers: list[int]
    timezone: str
    profile: str


def _programmes(value: Programme | Iterable[Programme]) -> list[Programme]:
    if isinstance(value, Programme):
        return [value]
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise UsageError(
            _("fit_scenario() takes a Programme or a list of programmes"), path="programmes"
        )
    found = list(read_all(value, "programmes"))
    if not found:
        raise UsageError(_("expected at least one programme"), path="programmes")
    for index, programme in enumerate(found):
        if not isinstance(programme, Programme):
            raise UsageError(_("expected a Programme"), path=f"programmes[{index}]")
    return found


def _count(programmes: list[Programme], timing: DropoutTiming) -> _Counts:
    """The counts behind every estimate, from the records of *programmes*."""
    attendance: list[tuple[int, int]] = []
    draws = leavers = occasions = cancelled = 0
    first: date | None = None
    peers: list[int] = []
    for programme in programmes:
        for group in programme.groups:
            taken = sorted(
                (m for m in group.meetings if m.status is not MeetingStatus.PLANNED),
                key=lambda m: m.start,
            )
            occasions += len(taken)
            cancelled += sum(1 for m in taken if m.status is MeetingStatus.CANCELLED)
            members = [m for m in group.memberships if m.role is Role.PEER]
            peers.append(len(members))
            if taken:
                day = taken[0].start.date()
                first = day if first is None or day < first else first
            for member in members:
                present = held = exposed = 0
                left = False
                for meeting in taken:
                    is_held = meeting.status is MeetingStatus.HELD
                    day = meeting.start.date()  # the local day, in the group's zone
                    if member.joined is not None and day < member.joined:
                        continue
                    drawn = is_held or timing is DropoutTiming.SCHEDULED
                    if not member.active_on(day):
                        if drawn:  # the draw before which they left
                            exposed += 1
                            left = True
                            break
                        continue
                    exposed += drawn
                    if is_held:
                        held += 1
                        present += member.person in meeting.attendance
                if member.left is not None and not left:
                    exposed += 1  # left after the last recorded meeting
                    left = True
                draws += exposed
                leavers += left
                if held:
                    attendance.append((present, held))
    zone = next((g.timezone for p in programmes for g in p.groups), "Europe/Helsinki")
    return _Counts(
        attendance,
        draws,
        leavers,
        occasions,
        cancelled,
        first,
        sum(len(p.groups) for p in programmes),
        peers,
        zone,
        programmes[0].profile,
    )


def _scipy() -> Any:
    try:
        import scipy.optimize
        import scipy.special
        import scipy.stats
    except ImportError:
        raise MissingDependencyError(
            "scipy", extra="fit", feature=N_("Fitting a scenario")
        ) from None
    return scipy


def _wilson(successes: int, trials: int, z: float) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    scale = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / scale
    half = z / scale * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def _attendance(counts: _Counts, z: float) -> tuple[AttendanceModel, list[Estimate]]:
    """Beta-binomial maximum likelihood for the mean and concentration."""
    import numpy as np

    scipy = _scipy()
    pairs: dict[tuple[int, int], int] = {}
    for pair in counts.attendance:
        pairs[pair] = pairs.get(pair, 0) + 1
    x = np.array([p[0] for p in pairs], float)
    n = np.array([p[1] for p in pairs], float)
    w = np.array(list(pairs.values()), float)
    peers = len(counts.attendance)
    total_x, total_n = float((w * x).sum()), float((w * n).sum())
    pooled = total_x / total_n
    low, high = _wilson(round(total_x), round(total_n), z)
    fixed_method = "binomial, Wilson score (no overdispersion)"
    if total_x in (0.0, total_n):  # everyone always (or never) came
        model = AttendanceModel(pooled, fixed=True)
        return model, [
            Estimate("attendance.mean", pooled, low, high, fixed_method, peers),
            Estimate("attendance.concentration", math.inf, math.nan, math.inf, fixed_method, peers),
        ]
    betaln = scipy.special.betaln
    # log BetaBinomial(x; n, a, b) = log C(n, x) + log B(x + a, n - x + b) - log B(a, b);
    # the binomial coefficient does not depend on the parameters.

    def loss(theta: Any) -> float:
        mean = 1.0 / (1.0 + math.exp(-theta[0]))
        k = math.exp(theta[1])
        a, b = mean * k, (1.0 - mean) * k
        return -float((w * (betaln(x + a, n - x + b) - betaln(a, b))).sum())

    start = [math.log(pooled / (1 - pooled)), math.log(10.0)]
    bounds = [(-15.0, 15.0), (math.log(1e-3), math.log(_MAX_CONCENTRATION))]
    # Powell's method: two parameters, no gradient needed, and far cheaper
    # per fit than L-BFGS-B's numerical gradients.
    found = scipy.optimize.minimize(
        loss, start, method="Powell", bounds=bounds, options={"xtol": 1e-6, "ftol": 1e-10}
    )
    theta = np.asarray(found.x, float)
    mean = 1.0 / (1.0 + math.exp(-theta[0]))
    k = math.exp(theta[1])
    if theta[1] >= bounds[1][1] - 1e-3:
        model = AttendanceModel(pooled, fixed=True)
        return model, [
            Estimate("attendance.mean", pooled, low, high, fixed_method, peers),
            Estimate("attendance.concentration", math.inf, math.nan, math.inf, fixed_method, peers),
        ]
    covariance = _inverse_hessian(loss, theta)
    method = "beta-binomial maximum likelihood, Wald interval on logit/log scale"
    if covariance is None:
        spread = (math.nan, math.nan)
        mean_interval = (low, high)
    else:
        se_logit, se_log = math.sqrt(covariance[0, 0]), math.sqrt(covariance[1, 1])
        mean_interval = (
            1.0 / (1.0 + math.exp(-(theta[0] - z * se_logit))),
            1.0 / (1.0 + math.exp(-(theta[0] + z * se_logit))),
        )
        spread = (math.exp(theta[1] - z * se_log), math.exp(theta[1] + z * se_log))
    return AttendanceModel(mean, k), [
        Estimate("attendance.mean", mean, *mean_interval, method, peers),
        Estimate("attendance.concentration", k, *spread, method, peers),
    ]


def _inverse_hessian(loss: Any, theta: Any) -> Any:
    """The inverse of a central-difference Hessian of *loss* at *theta*; None if not positive."""
    import numpy as np

    step = 1e-4
    size = len(theta)
    hessian = np.empty((size, size))
    for i in range(size):
        for j in range(i, size):
            shifts = []
            for a, b in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                point = theta.copy()
                point[i] += a * step
                point[j] += b * step
                shifts.append(loss(point))
            value = (shifts[0] - shifts[1] - shifts[2] + shifts[3]) / (4 * step * step)
            hessian[i, j] = hessian[j, i] = value
    try:
        covariance = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return None
    if not (np.diag(covariance) > 0).all():
        return None
    return covariance


@checked
def fit_scenario(
    programmes: Programme | Iterable[Programme],
    base: Scenario | None = None,
    *,
    timing: DropoutTiming | str = DropoutTiming.HELD,
    level: float = 0.95,
) -> ScenarioFit:
    """Estimate attendance, dropout and cancellation from recorded programmes.

    See :mod:`emessi.simulation.fit` for the estimators and their sources.
    Only recorded meetings count: held ones (with their attendance) and
    cancelled ones; planned meetings are ignored, so a programme part-way
    through can be fitted too.

    Args:
        programmes: One recorded programme or several (pooled).
        base: The scenario to put the estimates into; default: the records'
            cohort (its number of groups, their mean peers, the first
            meeting's day, the first group's time zone, the programme's
            profile).
        timing: The dropout timing whose hazard to estimate: per held
            meeting (the default) or per scheduled meeting.
        level: The confidence level of the intervals.

    Returns:
        The fitted scenario and the estimates with their intervals.

    Raises:
        UsageError: not programmes (the path names a wrong argument), a
            monthly timing, or a level outside (0, 1).
        ScenarioError: the records hold no held meeting with a peer.
        MissingDependencyError: SciPy (the extra ``fit``) is not installed.

    Example:
        >>> from datetime import date
        >>> from emessi.simulation import Scenario, StartWindow, simulate, fit_scenario
        >>> truth = Scenario(start=StartWindow(date(2025, 9, 1)), groups=40)
        >>> recorded = simulate(truth, runs=1, seed=11, records=True).programme()
        >>> fit = fit_scenario(recorded)
        >>> mean = fit["attendance.mean"]
        >>> print(f"attendance {mean.value:.2f} ({mean.low:.2f}-{mean.high:.2f})")
        attendance 0.79 (0.77-0.82)
        >>> fit.scenario.groups
        40

    .. versionadded:: 0.1.0

    """
    found = _programmes(programmes)
    if base is not None and not isinstance(base, Scenario):
        raise UsageError(_("base must be a Scenario"), path="base")
    try:
        timing = DropoutTiming(timing)
    except ValueError:
        raise UsageError(_("timing is 'held' or 'scheduled'"), path="timing") from None
    if timing is DropoutTiming.MONTHLY:
        raise UsageError(
            _("a monthly hazard cannot be fitted yet; use 'held' or 'scheduled'"), path="timing"
        )
    if isinstance(level, bool) or not isinstance(level, float | int) or not 0 < level < 1:
        raise UsageError(_("level is a number between 0 and 1"), path="level")
    counts = _count(found, timing)
    if not counts.attendance:
        raise ScenarioError(_("the records hold no held meeting with a peer"), path="groups")
    z = float(_scipy().stats.norm.ppf(0.5 + level / 2))
    attendance, estimates = _attendance(counts, z)
    hazard = counts.leavers / counts.draws if counts.draws else 0.0
    estimates.append(
        Estimate(
            "dropout.hazard",
            hazard,
            *_wilson(counts.leavers, counts.draws, z),
            f"leavers / draws per {timing.value} meeting, Wilson score",
            counts.draws,
        )
    )
    cancel = counts.cancelled / counts.occasions if counts.occasions else 0.0
    estimates.append(
        Estimate(
            "cancellation.probability",
            cancel,
            *_wilson(counts.cancelled, counts.occasions, z),
            "cancelled / (held + cancelled) meetings, Wilson score",
            counts.occasions,
        )
    )
    if base is None:
        peers = max(1, round(sum(counts.peers) / len(counts.peers)))
        base = Scenario(
            start=StartWindow(counts.first or date.today()),
            groups=counts.groups,
            peers=peers,
            threshold=min(4, peers),
            timezone=counts.timezone,
            profile=counts.profile,
        )
    scenario = attrs.evolve(
        base,
        attendance=attendance,
        dropout=DropoutModel(hazard, 0.0, timing),
        cancellation=CancellationModel(cancel, base.cancellation.policy),
    )
    return ScenarioFit(scenario, tuple(estimates), float(level))
