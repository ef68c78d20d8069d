"""Pre/post comparison: paired change, Cohen's d_z, seeded bootstrap interval."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import ResearchError
from emessi.research import UWES9, InstrumentResponse, paired_change
from emessi.research._stats import bootstrap_mean_ci, quantile, sd

T0 = datetime(2014, 1, 1, tzinfo=UTC)


def uniform(value: int) -> dict[str, int]:
    return dict.fromkeys(UWES9.items, value)


def responses(pairs: list[tuple[int, int]]) -> list[InstrumentResponse]:
    out = []
    for n, (pre, post) in enumerate(pairs):
        out.append(InstrumentResponse(f"p-{n}", "uwes-9", "pre", T0, uniform(pre)))
        out.append(InstrumentResponse(f"p-{n}", "uwes-9", "post", T0, uniform(post)))
    return out


def test_paired_change_hand_computed():
    """Differences 1, 2, 3: mean 2, sd 1, d_z 2; means before 2 and after 4."""
    change = paired_change(responses([(1, 2), (2, 4), (3, 6)]), UWES9)
    assert change.n == 3
    assert change.mean_before == 2.0
    assert change.mean_after == 4.0
    assert change.mean_change == 2.0
    assert change.sd_change == 1.0
    assert change.effect_size == 2.0


def test_subscale_comparison_and_missing_items():
    """Only people with a score at both waves are paired; the subscale is compared."""
    data = [
        InstrumentResponse("p-1", "uwes-9", "pre", T0, {"q1": 2, "q2": 4}),  # vigour 3
        InstrumentResponse("p-1", "uwes-9", "post", T0, {"q1": 5, "q5": 5}),  # vigour 5
        InstrumentResponse("p-2", "uwes-9", "pre", T0, {"q1": 1, "q2": 1}),  # vigour 1
        InstrumentResponse("p-2", "uwes-9", "post", T0, {"q1": 4, "q2": 3}),  # vigour 3.5
        InstrumentResponse("p-3", "uwes-9", "pre", T0, {"q1": 6}),  # unscored: 1 of 3
        InstrumentResponse("p-3", "uwes-9", "post", T0, {"q1": 0, "q2": 0}),
        InstrumentResponse("p-4", "uwes-9", "pre", T0, {"q1": 3, "q2": 3}),  # no post
    ]
    change = paired_change(data, UWES9, scale="vigour")
    assert change.n == 2
    assert change.mean_before == 2.0
    assert change.mean_after == 4.25
    assert change.mean_change == 2.25  # differences 2 and 2.5
    assert change.sd_change == pytest.approx(0.3535533905932738)  # sqrt(0.125)
    assert change.effect_size == pytest.approx(2.25 / 0.3535533905932738)


def test_other_waves_can_be_compared():
    """Waves are ids: post against a follow-up works the same."""
    data = [
        *responses([(1, 2), (2, 2)]),
        InstrumentResponse("p-0", "uwes-9", "follow-up", T0, uniform(4)),
        InstrumentResponse("p-1", "uwes-9", "follow-up", T0, uniform(3)),
    ]
    change = paired_change(data, UWES9, before="post", after="follow-up")
    assert (change.n, change.mean_change) == (2, 1.5)


def test_equal_differences_have_no_effect_size_and_a_point_interval():
    """Every difference the same: sd 0, d_z undefined (None), CI the difference itself."""
    change = paired_change(responses([(1, 3), (2, 4), (4, 6)]), UWES9)
    assert change.sd_change == 0.0
    assert change.effect_size is None
    assert (change.ci_low, change.ci_high) == (2.0, 2.0)


def test_one_pair_has_no_spread_or_interval():
    """With one person there is a change but no sd, d_z or interval."""
    change = paired_change(responses([(1, 3)]), UWES9)
    assert (change.n, change.mean_change) == (1, 2.0)
    assert change.sd_change is None
    assert change.effect_size is None
    assert change.ci_low is None
    assert change.ci_high is None


def test_bootstrap_interval_of_two_differences():
    """Differences 0 and 2: resampled means are 0, 1 or 2, so the 95% CI is (0, 2)."""
    change = paired_change(responses([(3, 3), (3, 5)]), UWES9, resamples=4000, seed=7)
    assert (change.ci_low, change.ci_high) == (0.0, 2.0)


def test_bootstrap_is_seeded():
    """The same seed gives the same interval; another seed may differ but stays in range."""
    data = responses([(1, 2), (2, 5), (3, 3), (0, 4), (5, 6), (2, 1), (4, 6)])
    first = paired_change(data, UWES9, seed=11)
    assert paired_change(data, UWES9, seed=11) == first
    other = paired_change(data, UWES9, seed=12)
    for change in (first, other):
        assert -1.0 <= change.ci_low <= change.mean_change <= change.ci_high <= 4.0


def test_quantile_is_type_7():
    """Linear interpolation between order statistics, like R and numpy by default."""
    values = [1.0, 2.0, 4.0, 8.0]
    assert quantile(values, 0.0) == 1.0
    assert quantile(values, 1.0) == 8.0
    assert quantile(values, 0.5) == 3.0  # h = 1.5
    assert quantile(values, 0.25) == 1.75  # h = 0.75


def test_sd_uses_n_minus_one():
    """The sample standard deviation of 2, 4, 4, 4, 5, 5, 7, 9 is sqrt(32/7)."""
    assert sd([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx((32 / 7) ** 0.5)
    assert sd([3.0]) is None


@given(
    st.lists(st.integers(-6, 6), min_size=2, max_size=30),
    st.integers(0, 2**32),
)
def test_bootstrap_interval_lies_within_the_data(differences, seed):
    """A percentile bootstrap interval of the mean lies between the smallest and largest value."""
    values = [float(d) for d in differences]
    low, high = bootstrap_mean_ci(values, confidence=0.9, resamples=200, seed=seed)
    assert min(values) <= low <= high <= max(values)


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"confidence": 1.0}, "confidence"),
        ({"confidence": 0.0}, "confidence"),
        ({"resamples": 0}, "resamples"),
        ({"scale": "energy"}, "scale"),
    ],
)
def test_bad_options_are_refused(kwargs, path):
    """Out-of-range options raise ResearchError with the option's path."""
    with pytest.raises(ResearchError) as info:
        paired_change(responses([(1, 2), (2, 3)]), UWES9, **kwargs)
    assert info.value.path == path


def test_no_pairs_and_duplicates_are_errors():
    """No person at both waves, or two responses at one wave, is an error."""
    only_pre = [InstrumentResponse("p-1", "uwes-9", "pre", T0, uniform(1))]
    with pytest.raises(ResearchError, match="nobody"):
        paired_change(only_pre, UWES9)
    twice = only_pre * 2 + [InstrumentResponse("p-1", "uwes-9", "post", T0, uniform(1))]
    with pytest.raises(ResearchError, match="a second 'pre' response") as info:
        paired_change(twice, UWES9)
    assert info.value.path == "responses[1]"


def test_responses_to_other_instruments_are_ignored():
    """Only the instrument's own responses are compared."""
    other = [InstrumentResponse("p-9", "other", "pre", T0, {"x": 1})]
    change = paired_change(other + responses([(1, 2)]), UWES9)
    assert change.n == 1
