"""Small statistics for honest comparisons: bootstrap intervals, paired tests, seed spreads.

Introduced in 06; used by every notebook that compares models on a shared test set.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Metric = Callable[[np.ndarray, np.ndarray], float]


@dataclass(frozen=True)
class Interval:
    """A point estimate with a percentile-bootstrap interval at `level`."""

    value: float
    low: float
    high: float
    level: float = 0.95

    def __str__(self) -> str:
        return fmt_ci(self.value, self.low, self.high)

    def as_dict(self) -> dict[str, float | list[float]]:
        """The JSON form used by record_results: {"value": v, "ci95": [low, high]}."""
        return {"value": self.value, "ci95": [self.low, self.high]}


@dataclass(frozen=True)
class PairedComparison:
    """Model A minus model B on the same test examples, with an interval and a two-sided p-value."""

    difference: float
    low: float
    high: float
    p_value: float
    n_boot: int = 0  # resamples behind p_value (0: unknown); p cannot go below 2 / (n_boot + 1)

    @property
    def is_tie(self) -> bool:
        """True when the 95 % interval of the difference contains 0."""
        return self.low <= 0.0 <= self.high

    def __str__(self) -> str:
        verdict = "tie (interval contains 0)" if self.is_tie else "difference"
        floor = 2 / (self.n_boot + 1) if self.n_boot else 0.0
        p = (
            f"p <= {floor:.2g} (no resample crossed 0)"
            if self.p_value <= floor * (1 + 1e-9)
            else f"p = {self.p_value:.3g}"
        )
        return f"A - B = {self.difference:+.4f} [{self.low:+.4f}, {self.high:+.4f}], {p}: {verdict}"


def _arrays(*arrays: Sequence[float] | np.ndarray) -> list[np.ndarray]:
    out = []
    for a in arrays:
        arr = np.asarray(a)
        if arr.ndim == 2 and arr.shape[1] == 1:  # what Keras predict returns for one output
            arr = arr[:, 0]
        if arr.ndim != 1:
            raise ValueError(f"expected one value per example, got shape {arr.shape}")
        out.append(arr)
    n = len(out[0])
    if n == 0:
        raise ValueError("empty input: nothing to bootstrap")
    for a in out[1:]:
        if len(a) != n:
            raise ValueError(
                f"inputs differ in length ({n} vs {len(a)}): they must be paired per example"
            )
    return out


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Share of exact matches (labels, not probabilities)."""
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def bootstrap_ci(
    y_true: Sequence[float] | np.ndarray,
    y_pred: Sequence[float] | np.ndarray,
    metric: Metric = accuracy,
    *,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """Percentile-bootstrap interval of `metric(y_true, y_pred)` over resampled test examples."""
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    if n_boot < 100:
        raise ValueError(f"n_boot={n_boot} is too few for a percentile interval; use >= 1000")
    t, p = _arrays(y_true, y_pred)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(t), size=(n_boot, len(t)))
    stats = np.array([metric(t[i], p[i]) for i in idx])
    alpha = (1 - level) / 2
    low, high = np.quantile(stats, [alpha, 1 - alpha])
    return Interval(float(metric(t, p)), float(low), float(high), level)


def paired_bootstrap(
    y_true: Sequence[float] | np.ndarray,
    pred_a: Sequence[float] | np.ndarray,
    pred_b: Sequence[float] | np.ndarray,
    metric: Metric = accuracy,
    *,
    n_boot: int = 2000,
    seed: int = 0,
) -> PairedComparison:
    """Bootstrap of metric(A) - metric(B), resampling the same examples for both models.

    The p-value is the two-sided share of resampled differences on the other side of 0.
    """
    if n_boot < 100:
        raise ValueError(f"n_boot={n_boot} is too few; use >= 1000")
    t, a, b = _arrays(y_true, pred_a, pred_b)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(t), size=(n_boot, len(t)))
    diffs = np.array([metric(t[i], a[i]) - metric(t[i], b[i]) for i in idx])
    low, high = np.quantile(diffs, [0.025, 0.975])
    share_le = (np.sum(diffs <= 0) + 1) / (n_boot + 1)
    share_ge = (np.sum(diffs >= 0) + 1) / (n_boot + 1)
    p = min(1.0, 2 * min(share_le, share_ge))
    return PairedComparison(
        float(metric(t, a) - metric(t, b)), float(low), float(high), float(p), n_boot
    )


def mcnemar(
    y_true: Sequence[int] | np.ndarray,
    pred_a: Sequence[int] | np.ndarray,
    pred_b: Sequence[int] | np.ndarray,
) -> tuple[int, int, float]:
    """Exact McNemar test for two classifiers on the same examples.

    Returns (b, c, p): b = examples only A gets right, c = only B gets right, and the exact
    two-sided binomial p-value of b against Binomial(b + c, 1/2).
    """
    t, a, b_ = _arrays(y_true, pred_a, pred_b)
    right_a, right_b = a == t, b_ == t
    only_a = int(np.sum(right_a & ~right_b))
    only_b = int(np.sum(~right_a & right_b))
    n = only_a + only_b
    if n == 0:
        return only_a, only_b, 1.0
    k = min(only_a, only_b)
    # P(X <= k) for X ~ Binomial(n, 1/2), summed in log space to stay finite for large n.
    logs = [
        math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) - n * math.log(2)
        for i in range(k + 1)
    ]
    top = max(logs)
    tail = math.exp(top) * sum(math.exp(x - top) for x in logs)
    return only_a, only_b, float(min(1.0, 2 * tail))


def mean_sd(values: Sequence[float] | np.ndarray) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof=1; 0.0 for a single value)."""
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        raise ValueError("mean_sd needs at least one value")
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else 0.0


def seed_summary(values: Sequence[float] | np.ndarray) -> dict[str, float | int | list[float]]:
    """The JSON form of a seed study: {"mean", "sd", "n", "values"} for record_results."""
    mean, sd = mean_sd(values)
    return {"mean": mean, "sd": sd, "n": len(values), "values": [float(x) for x in values]}


def fmt_ci(value: float, low: float, high: float, digits: int = 4) -> str:
    """'0.8812 [0.8770, 0.8853]'."""
    return f"{value:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def fmt_mean_sd(values: Sequence[float] | np.ndarray, digits: int = 4) -> str:
    """'0.8812 ± 0.0040 (3 seeds)'."""
    mean, sd = mean_sd(values)
    return f"{mean:.{digits}f} ± {sd:.{digits}f} ({len(values)} seeds)"
