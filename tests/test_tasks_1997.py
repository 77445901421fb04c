"""Unit tests for the 1997 multiplication problem (helpers.tasks.make_multiplication_1997)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.tasks import (
    MARKER,
    MULTIPLICATION_1997_MEAN,
    MULTIPLICATION_1997_PARTIAL_MSE,
    MULTIPLICATION_1997_VARIANCE,
    MULTIPLICATION_PARTIAL_MSE,
    VALUE,
    error_share,
    make_multiplication_1997,
    make_multiplication_data,
)


def _relative(X: np.ndarray, pos: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Marker positions counted from each sequence's first real step."""
    return pos - (X.shape[1] - lengths)[:, None]


def test_shapes_dtypes_and_padding() -> None:
    X, y, _pos, lengths = make_multiplication_1997(300, T=100, seed=1, return_info=True)
    assert (
        X.shape == (300, 110, 2)
        and X.dtype == np.float32
        and y.shape == (300,)
        and y.dtype == np.float32
    )
    assert lengths.min() >= 100 and lengths.max() <= 110
    real = np.any(X != 0, axis=2)  # Masking(0.0) keeps exactly the real steps
    np.testing.assert_array_equal(real.sum(axis=1), lengths)
    for row in range(300):  # pre-padding: the zeros come first, then the L real steps
        assert real[row, X.shape[1] - lengths[row] :].all()


def test_reproducible_from_seed() -> None:
    a = make_multiplication_1997(50, T=40, seed=7)
    b = make_multiplication_1997(50, T=40, seed=7)
    c = make_multiplication_1997(50, T=40, seed=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_lengths_cover_t_to_t_plus_a_tenth() -> None:
    _, _, _, lengths = make_multiplication_1997(3000, T=100, seed=2, return_info=True)
    assert set(np.unique(lengths)) == set(range(100, 111))


def test_marker_positions_follow_the_paper() -> None:
    X, _, pos, lengths = make_multiplication_1997(20000, T=100, seed=3, return_info=True)
    rel = _relative(X, pos, lengths)
    assert set(np.unique(rel[:, 0])) == set(range(10))  # X1: one of the first ten steps
    assert set(np.unique(rel[:, 1])) == set(range(49))  # X2: one of the first T/2 - 1 = 49 steps
    assert np.all(rel[:, 0] != rel[:, 1])
    assert np.mean(rel[:, 0] == 0) == pytest.approx(0.1, abs=0.01)


def test_start_and_end_markers() -> None:
    X, _, pos, lengths = make_multiplication_1997(2000, T=50, seed=4, return_info=True)
    rows = np.arange(len(X))
    start = X.shape[1] - lengths
    assert np.all(X[:, -1, MARKER] == -1)
    first_marked = (pos == start[:, None]).any(axis=1)
    np.testing.assert_array_equal(X[rows, start, MARKER], np.where(first_marked, 1.0, -1.0))
    np.testing.assert_array_equal((X[:, :, MARKER] == 1).sum(axis=1), 2)
    assert set(np.unique(X[:, :, MARKER])) == {-1.0, 0.0, 1.0}


def test_target_is_product_and_x1_on_first_step_is_one() -> None:
    X, y, pos, lengths = make_multiplication_1997(5000, T=30, seed=5, return_info=True)
    rows = np.arange(len(X))
    x1, x2 = X[rows, pos[:, 0], VALUE], X[rows, pos[:, 1], VALUE]
    np.testing.assert_allclose(y, x1.astype(np.float64) * x2, rtol=1e-6)
    on_first = _relative(X, pos, lengths)[:, 0] == 0
    assert on_first.any() and np.all(x1[on_first] == 1.0)
    values = X[:, :, VALUE][np.any(X != 0, axis=2)]
    assert values.min() > 0.0 and values.max() <= 1.0


def test_moments_and_partial_memory_match_theory() -> None:
    X, y, pos, _ = make_multiplication_1997(200_000, T=20, seed=6, return_info=True)
    rows = np.arange(len(X))
    x1, x2 = (
        X[rows, pos[:, 0], VALUE].astype(np.float64),
        X[rows, pos[:, 1], VALUE].astype(np.float64),
    )
    assert y.mean() == pytest.approx(MULTIPLICATION_1997_MEAN, abs=0.002)
    assert y.var() == pytest.approx(MULTIPLICATION_1997_VARIANCE, rel=0.02)
    assert np.mean((y - 0.55 * x2) ** 2) == pytest.approx(MULTIPLICATION_1997_PARTIAL_MSE, rel=0.02)
    assert np.mean((y - x1 / 2) ** 2) == pytest.approx(1 / 30, rel=0.02)


def test_partial_memory_of_the_uniform_variant_is_one_36th() -> None:
    X, y, pos = make_multiplication_data(200_000, length=5, seed=7, return_positions=True)
    u = X[np.arange(len(X)), pos[:, 0], VALUE].astype(np.float64)
    assert np.mean((y - u / 2) ** 2) == pytest.approx(MULTIPLICATION_PARTIAL_MSE, rel=0.02)


def test_short_t_keeps_the_last_step_free() -> None:
    X, _, pos, lengths = make_multiplication_1997(3000, T=10, seed=8, return_info=True)
    assert X.shape[1] == 11
    assert np.all(pos < X.shape[1] - 1) and np.all(X[:, -1, MARKER] == -1)
    assert _relative(X, pos, lengths)[:, 1].max() <= 3  # T/2 - 1 = 4 steps


def test_error_share() -> None:
    assert error_share(np.array([0.0, 0.0, 0.0, 0.0]), np.array([0.0, 0.039, 0.04, -0.5])) == 0.5
    with pytest.raises(ValueError, match="differ in size"):
        error_share(np.zeros(3), np.zeros(4))


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"n": 5, "T": 5}])
def test_bad_arguments_raise(kwargs: dict) -> None:
    with pytest.raises(ValueError, match="must be"):
        make_multiplication_1997(**kwargs)
