"""Synthetic long-lag tasks (multiplication, adding) in the style of Hochreiter & Schmidhuber (1997)."""

from __future__ import annotations

import numpy as np

MARKER, VALUE = 0, 1  # feature order in X[..., :]: the 0/1 marker first, then the U(0, 1) value

#: Var(uv) for independent u, v ~ U(0, 1): E[(uv)^2] - E[uv]^2 = 1/9 - 1/16.
MULTIPLICATION_VARIANCE = 7 / 144
#: Var(u + v) for independent u, v ~ U(0, 1): 2 * 1/12.
ADDING_VARIANCE = 1 / 6


def _marked_sequences(
    n: int, length: int, seed: int | None, first_half: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Shared generator: X (n, length, 2) float32 and the (n, 2) marked positions (sorted)."""
    if n < 1:
        raise ValueError(f"n must be a positive number of sequences, got {n}.")
    if length < 2:
        raise ValueError(f"length must be at least 2 (two steps get marked), got {length}.")
    rng = np.random.default_rng(seed)
    values = rng.random((n, length))
    # Two distinct positions per row: the first two columns of a random permutation ranking.
    span = length // 2 if first_half else length
    if span < 2:
        raise ValueError(f"length={length} is too short to place two markers in the first half.")
    positions = np.argsort(rng.random((n, span)), axis=1)[:, :2]
    positions.sort(axis=1)
    X = np.zeros((n, length, 2), dtype=np.float32)
    X[:, :, VALUE] = values
    X[np.arange(n)[:, None], positions, MARKER] = 1.0
    return X, positions


def _marked_task(
    n: int, length: int, seed: int | None, first_half: bool, return_positions: bool, combine
) -> tuple[np.ndarray, ...]:
    """Shared body of the tasks: y = combine(the 2 marked values) along axis 1, in float64 then float32."""
    X, pos = _marked_sequences(n, length, seed, first_half)
    marked = X[np.arange(n)[:, None], pos, VALUE].astype(np.float64)
    y = combine(marked, axis=1).astype(np.float32)
    return (X, y, pos) if return_positions else (X, y)


def make_multiplication_data(
    n: int, length: int = 100, seed: int | None = 0, *, first_half: bool = False,
    return_positions: bool = False,
) -> tuple[np.ndarray, ...]:
    """Multiplication task: X (n, length, 2) float32 [marker, value], y (n,) = product of the 2 marked values."""
    return _marked_task(n, length, seed, first_half, return_positions, np.prod)


def make_adding_data(
    n: int, length: int = 100, seed: int | None = 0, *, first_half: bool = False,
    return_positions: bool = False,
) -> tuple[np.ndarray, ...]:
    """Adding problem: X (n, length, 2) float32 [marker, value], y (n,) = sum of the 2 marked values."""
    return _marked_task(n, length, seed, first_half, return_positions, np.sum)


def mean_baseline_mse(y_train: np.ndarray, y_test: np.ndarray) -> float:
    """MSE on y_test of the constant prediction mean(y_train) (the 'predict the average' baseline)."""
    y_train, y_test = np.asarray(y_train, dtype=np.float64), np.asarray(y_test, dtype=np.float64)
    return float(np.mean((y_test - y_train.mean()) ** 2))
