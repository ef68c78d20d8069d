"""Small descriptive statistics in pure Python, so research needs no numpy."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

__all__ = ["bootstrap_mean_ci", "mean", "quantile", "sd"]


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean of at least one value."""
    return math.fsum(values) / len(values)


def sd(values: Sequence[float]) -> float | None:
    """The sample standard deviation (n - 1 in the denominator); None below 2 values."""
    if len(values) < 2:
        return None
    centre = mean(values)
    return math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1))


def quantile(ordered: Sequence[float], p: float) -> float:
    """The *p* quantile of sorted values, interpolated linearly.

    This is Hyndman & Fan's type 7, the default of R's ``quantile()`` and
    of ``numpy.quantile``, so researchers get the same figure there.
    """
    h = (len(ordered) - 1) * p
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def bootstrap_mean_ci(
    values: Sequence[float], *, confidence: float, resamples: int, seed: int
) -> tuple[float, float]:
    """A percentile bootstrap confidence interval for the mean of *values*.

    Resamples *values* with replacement *resamples* times with
    ``random.Random(seed)``: the same seed gives the same interval on every
    platform and Python version that keeps ``random``'s documented
    reproducibility (``choices`` with the same seed and arguments).
    """
    rng = random.Random(seed)
    n = len(values)
    means = sorted(math.fsum(rng.choices(values, k=n)) / n for _ in range(resamples))
    tail = (1.0 - confidence) / 2.0
    return quantile(means, tail), quantile(means, 1.0 - tail)
