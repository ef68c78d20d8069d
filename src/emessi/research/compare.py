"""Pre/post comparison of instrument scores over a cohort, paired by person."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from emessi._i18n import _
from emessi.errors import ResearchError
from emessi.model._checks import safe_id
from emessi.model._strict import check_for, checked, read_all, strict
from emessi.research._stats import bootstrap_mean_ci, mean, sd
from emessi.research.instruments import Instrument, InstrumentResponse

__all__ = ["PairedChange", "paired_change"]

#: The most bootstrap resamples :func:`paired_change` draws (an emessi
#: bound, far beyond the default 2,000; the bootstrap is pure Python).
MAX_RESAMPLES = 100_000
_RESPONSE = check_for(InstrumentResponse)


@checked
@attrs.frozen(field_transformer=strict)
class PairedChange:
    """The change of one scale between two waves, over the people who answered both.

    Args:
        instrument: The instrument's id.
        scale: The scale compared (a subscale id or ``"total"``).
        before: The earlier wave.
        after: The later wave.
        n: The number of people with a score at both waves.
        mean_before: Their mean score at *before*.
        mean_after: Their mean score at *after*.
        mean_change: The mean of the differences (after - before).
        sd_change: The standard deviation of the differences (n - 1);
            None for one pair.
        effect_size: Cohen's d_z, ``mean_change / sd_change``; None when
            it is undefined (one pair, or every difference the same).
        ci_low: The lower bound of the bootstrap confidence interval of the
            mean change; None for one pair.
        ci_high: The upper bound; None for one pair.
        confidence: The confidence level of the interval.
        resamples: The number of bootstrap resamples.
        seed: The seed of the resampling.

    Example:
        >>> change = PairedChange("uwes-9", "total", "pre", "post", 3, 3.0, 5.0, 2.0, 1.0,
        ...                       2.0, 1.0, 3.0, 0.95, 2000, 0)
        >>> change.effect_size
        2.0

    .. versionadded:: 0.1.0

    """

    instrument: str
    scale: str
    before: str
    after: str
    n: int
    mean_before: float
    mean_after: float
    mean_change: float
    sd_change: float | None
    effect_size: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    resamples: int
    seed: int


def _scores(
    responses: Iterable[InstrumentResponse], instrument: Instrument, scale: str, wave: str
) -> dict[str, float]:
    scores: dict[str, float] = {}
    for index, response in enumerate(responses):
        if response.instrument != instrument.id or response.wave != wave:
            continue
        if response.person in scores:
            raise ResearchError(
                _("a second {wave} response to {instrument} from the same person").format(
                    wave=safe_id(wave), instrument=safe_id(instrument.id)
                ),
                path=f"responses[{index}]",
            )
        value = instrument._score(response.answers)[scale]
        if value is not None:
            scores[response.person] = value
    return scores


@checked
def paired_change(
    responses: Iterable[InstrumentResponse],
    instrument: Instrument,
    *,
    scale: str = "total",
    before: str = "pre",
    after: str = "post",
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> PairedChange:
    """Compare a scale between two waves, pairing each person with themselves.

    Only people with a score at both waves count (a scale without enough
    answered items has no score; see the instrument's missing-item
    policy). The effect size is Cohen's d_z: the mean of the paired
    differences divided by their standard deviation (Cohen 1988; Lakens
    2013). The confidence interval of the mean change is a percentile
    bootstrap: the pairs are resampled with replacement *resamples* times
    with ``random.Random(seed)``, so the same seed gives the same interval.

    Pass only the responses of people whose consent is in force
    (:meth:`StudyData.only_consenting <emessi.research.StudyData.only_consenting>`).

    Raises:
        ResearchError: no person has a score at both waves, two responses
            from one person at one wave, an unknown scale, or a
            confidence level or resample count out of range (at most
            100,000 resamples).
        UsageError: an argument of the wrong type (the path names it).

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi.research import UWES9
        >>> t = datetime(2014, 1, 1, tzinfo=timezone.utc)
        >>> def answers(value):
        ...     return {item: value for item in UWES9.items}
        >>> responses = [InstrumentResponse(p, "uwes-9", wave, t, answers(v))
        ...              for p, wave, v in [("p-1", "pre", 2), ("p-1", "post", 3),
        ...                                 ("p-2", "pre", 3), ("p-2", "post", 5),
        ...                                 ("p-3", "pre", 4), ("p-3", "post", 6)]]
        >>> change = paired_change(responses, UWES9)
        >>> change.n, change.mean_change, change.effect_size
        (3, 1.6666666666666667, 2.886751345948129)

    .. versionadded:: 0.1.0

    """
    if not 0.0 < confidence < 1.0:
        raise ResearchError(_("the confidence level is between 0 and 1"), path="confidence")
    if type(resamples) is not int or resamples < 1:
        raise ResearchError(_("at least one bootstrap resample is needed"), path="resamples")
    if resamples > MAX_RESAMPLES:
        raise ResearchError(
            _("at most {n} bootstrap resamples").format(n=f"{MAX_RESAMPLES:,}"), path="resamples"
        )
    responses = read_all(responses, "responses")
    for index, response in enumerate(responses):
        if response.__class__ is not InstrumentResponse:
            _RESPONSE(response, f"responses[{index}]")
    instrument.scale_items(scale)  # an unknown scale is an error even with no data
    first = _scores(responses, instrument, scale, before)
    second = _scores(responses, instrument, scale, after)
    people = sorted(first.keys() & second.keys())
    if not people:
        raise ResearchError(
            _("nobody has a {scale} score at both {before} and {after}").format(
                scale=safe_id(scale), before=safe_id(before), after=safe_id(after)
            ),
            path="responses",
        )
    differences = [second[p] - first[p] for p in people]
    spread = sd(differences)
    centre = mean(differences)
    low: float | None = None
    high: float | None = None
    if len(people) > 1:
        low, high = bootstrap_mean_ci(
            differences, confidence=confidence, resamples=resamples, seed=seed
        )
    return PairedChange(
        instrument=instrument.id,
        scale=scale,
        before=before,
        after=after,
        n=len(people),
        mean_before=mean([first[p] for p in people]),
        mean_after=mean([second[p] for p in people]),
        mean_change=centre,
        sd_change=spread,
        effect_size=centre / spread if spread else None,
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        resamples=resamples,
        seed=seed,
    )
