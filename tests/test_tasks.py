"""Unit tests for helpers.tasks (synthetic multiplication and adding tasks)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.tasks import (
    ADDING_VARIANCE,
    MARKER,
    MULTIPLICATION_VARIANCE,
    VALUE,
    make_adding_data,
    make_multiplication_data,
    mean_baseline_mse,
)


def test_shapes_and_dtypes() -> None:
    X, y = make_multiplication_data(50, length=30, seed=1)
    assert X.shape == (50, 30, 2) and X.dtype == np.float32
    assert y.shape == (50,) and y.dtype == np.float32


def test_reproducible_from_seed_and_different_across_seeds() -> None:
    X1, y1 = make_multiplication_data(20, length=40, seed=7)
    X2, y2 = make_multiplication_data(20, length=40, seed=7)
    X3, _ = make_multiplication_data(20, length=40, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_exactly_two_distinct_markers_and_values_in_unit_interval() -> None:
    X, _ = make_multiplication_data(500, length=10, seed=3)
    markers = X[:, :, MARKER]
    assert set(np.unique(markers)) <= {0.0, 1.0}
    np.testing.assert_array_equal(markers.sum(axis=1), 2)
    values = X[:, :, VALUE]
    assert values.min() >= 0.0 and values.max() < 1.0


def test_target_is_product_of_marked_values() -> None:
    X, y, pos = make_multiplication_data(100, length=25, seed=4, return_positions=True)
    for row in range(100):
        marked = np.flatnonzero(X[row, :, MARKER])
        np.testing.assert_array_equal(marked, pos[row])
        assert y[row] == pytest.approx(
            X[row, marked[0], VALUE] * X[row, marked[1], VALUE], rel=1e-6
        )


def test_adding_target_is_sum_of_marked_values() -> None:
    X, y = make_adding_data(100, length=25, seed=5)
    mask = X[:, :, MARKER] == 1
    np.testing.assert_allclose(y, (X[:, :, VALUE] * mask).sum(axis=1), rtol=1e-6)


def test_first_half_places_markers_early() -> None:
    _, _, pos = make_multiplication_data(
        300, length=20, seed=6, first_half=True, return_positions=True
    )
    assert pos.max() < 10
    _, _, pos_all = make_multiplication_data(300, length=20, seed=6, return_positions=True)
    assert pos_all.max() >= 10  # without the option, markers land anywhere


def test_marker_positions_cover_the_whole_sequence() -> None:
    _, _, pos = make_multiplication_data(2000, length=10, seed=9, return_positions=True)
    counts = np.bincount(pos.ravel(), minlength=10)
    assert counts.min() > 0.1 * 2 * 2000 / 10  # every step gets marked, roughly uniformly


def test_target_moments_match_theory() -> None:
    _, y = make_multiplication_data(20000, length=5, seed=10)
    assert y.mean() == pytest.approx(0.25, abs=0.01)
    assert y.var() == pytest.approx(MULTIPLICATION_VARIANCE, rel=0.05)
    _, ys = make_adding_data(20000, length=5, seed=10)
    assert ys.var() == pytest.approx(ADDING_VARIANCE, rel=0.05)


def test_mean_baseline_mse() -> None:
    y_train = np.array([1.0, 3.0])
    y_test = np.array([0.0, 4.0])
    assert mean_baseline_mse(y_train, y_test) == pytest.approx(4.0)


@pytest.mark.parametrize(
    "kwargs", [{"n": 0}, {"n": 5, "length": 1}, {"n": 5, "length": 3, "first_half": True}]
)
def test_bad_arguments_raise(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=r"n must be|length"):
        make_multiplication_data(**kwargs)


def test_first_sign_task() -> None:
    from helpers.tasks import make_first_sign_data

    X, y = make_first_sign_data(200, length=7, seed=11)
    assert X.shape == (200, 7, 1) and X.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_array_equal(y, (X[:, 0, 0] > 0).astype(np.float32))
    X2, _ = make_first_sign_data(200, length=7, seed=11)
    np.testing.assert_array_equal(X, X2)
    with pytest.raises(ValueError, match="length"):
        make_first_sign_data(5, length=0)
