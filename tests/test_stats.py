"""helpers.stats: intervals, paired tests and seed summaries."""

import numpy as np
import pytest

from helpers import stats


def test_bootstrap_ci_contains_point_and_narrows_with_n():
    rng = np.random.default_rng(1)
    small = rng.integers(0, 2, 200)
    large = rng.integers(0, 2, 5000)
    ci_s = stats.bootstrap_ci(small, np.ones_like(small))
    ci_l = stats.bootstrap_ci(large, np.ones_like(large))
    assert ci_s.low <= ci_s.value <= ci_s.high
    assert (ci_l.high - ci_l.low) < (ci_s.high - ci_s.low)
    assert str(ci_s).count("[") == 1
    assert ci_s.as_dict()["ci95"] == [ci_s.low, ci_s.high]


def test_bootstrap_ci_is_reproducible_and_accepts_keras_shape():
    y = np.array([0, 1, 1, 0, 1] * 40)
    p = y.copy()
    p[:30] = 1 - p[:30]
    a = stats.bootstrap_ci(y, p, seed=3)
    b = stats.bootstrap_ci(y, p.reshape(-1, 1), seed=3)
    assert a == b
    assert a.value == pytest.approx(1 - 30 / 200)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([], []), "empty"),
        (([0, 1], [0]), "differ in length"),
        ((np.zeros((3, 2)), np.zeros((3, 2))), "one value per example"),
    ],
)
def test_bootstrap_ci_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        stats.bootstrap_ci(*args)


def test_paired_bootstrap_detects_a_real_difference_and_calls_a_tie():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 2000)
    good = np.where(rng.random(2000) < 0.9, y, 1 - y)
    bad = np.where(rng.random(2000) < 0.7, y, 1 - y)
    res = stats.paired_bootstrap(y, good, bad)
    assert res.difference > 0.15
    assert not res.is_tie
    assert res.p_value < 0.01
    same = stats.paired_bootstrap(y, good, good)
    assert same.difference == 0
    assert same.is_tie
    assert same.p_value == 1.0
    assert "tie" in str(same)


def test_paired_bootstrap_says_when_p_is_at_its_resolution_floor():
    y = np.ones(500, dtype=int)
    res = stats.paired_bootstrap(y, y, np.zeros(500, dtype=int), n_boot=999)
    assert res.p_value == pytest.approx(2 / 1000)
    assert "p <= 0.002 (no resample crossed 0)" in str(res)
    unknown = stats.PairedComparison(0.1, 0.05, 0.15, 0.002)  # n_boot unknown: printed as it is
    assert "p = 0.002" in str(unknown)


def test_mcnemar_counts_discordant_pairs_and_matches_binomial():
    y = np.zeros(20, dtype=int)
    a = np.zeros(20, dtype=int)
    b = np.zeros(20, dtype=int)
    b[:6] = 1  # B wrong on 6 examples where A is right
    a[6:8] = 1  # A wrong on 2 where B is right
    only_a, only_b, p = stats.mcnemar(y, a, b)
    assert (only_a, only_b) == (6, 2)
    # exact two-sided: 2 * P(X <= 2), X ~ Bin(8, 1/2) = 2 * 37/256
    assert p == pytest.approx(2 * 37 / 256)
    assert stats.mcnemar(y, a, a)[2] == 1.0


def test_mcnemar_stays_finite_for_large_counts():
    y = np.zeros(20000, dtype=int)
    a = y.copy()
    b = y.copy()
    b[:3000] = 1
    a[3000:5000] = 1
    _, _, p = stats.mcnemar(y, a, b)
    assert 0.0 <= p < 1e-10


def test_mean_sd_and_formats():
    assert stats.mean_sd([1.0, 2.0, 3.0]) == (2.0, 1.0)
    assert stats.mean_sd([5.0]) == (5.0, 0.0)
    with pytest.raises(ValueError, match="at least one"):
        stats.mean_sd([])
    assert stats.fmt_mean_sd([1.0, 2.0, 3.0], digits=1) == "2.0 ± 1.0 (3 seeds)"
    assert stats.fmt_ci(0.5, 0.4, 0.6, digits=2) == "0.50 [0.40, 0.60]"
    summary = stats.seed_summary(np.array([0.1, 0.3]))
    assert summary["n"] == 2
    assert summary["values"] == [0.1, 0.3]
