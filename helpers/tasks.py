"""Synthetic long-lag tasks (multiplication, adding) in the style of Hochreiter & Schmidhuber (1997)."""

from __future__ import annotations

from collections.abc import Callable

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
    n: int,
    length: int,
    seed: int | None,
    first_half: bool,
    return_positions: bool,
    combine: Callable[..., np.ndarray],
) -> tuple[np.ndarray, ...]:
    """Shared body of the tasks: y = combine(the 2 marked values) along axis 1, in float64 then float32."""
    X, pos = _marked_sequences(n, length, seed, first_half)
    marked = X[np.arange(n)[:, None], pos, VALUE].astype(np.float64)
    y = combine(marked, axis=1).astype(np.float32)
    return (X, y, pos) if return_positions else (X, y)


def make_multiplication_data(
    n: int,
    length: int = 100,
    seed: int | None = 0,
    *,
    first_half: bool = False,
    return_positions: bool = False,
) -> tuple[np.ndarray, ...]:
    """Multiplication task: X (n, length, 2) float32 [marker, value], y (n,) = product of the 2 marked values."""
    return _marked_task(n, length, seed, first_half, return_positions, np.prod)


def make_adding_data(
    n: int,
    length: int = 100,
    seed: int | None = 0,
    *,
    first_half: bool = False,
    return_positions: bool = False,
) -> tuple[np.ndarray, ...]:
    """Adding problem: X (n, length, 2) float32 [marker, value], y (n,) = sum of the 2 marked values."""
    return _marked_task(n, length, seed, first_half, return_positions, np.sum)


def make_first_sign_data(
    n: int, length: int = 100, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """First-sign task (notebooks 03, 04): X (n, length, 1) float32 Gaussian noise, y (n,) = 1.0 if x_1 > 0 else 0.0."""
    if n < 1:
        raise ValueError(f"n must be a positive number of sequences, got {n}.")
    if length < 1:
        raise ValueError(f"length must be at least 1, got {length}.")
    X = np.random.default_rng(seed).normal(size=(n, length, 1)).astype(np.float32)
    return X, (X[:, 0, 0] > 0).astype(np.float32)


def mean_baseline_mse(y_train: np.ndarray, y_test: np.ndarray) -> float:
    """MSE on y_test of the constant prediction mean(y_train) (the 'predict the average' baseline)."""
    y_train, y_test = np.asarray(y_train, dtype=np.float64), np.asarray(y_test, dtype=np.float64)
    return float(np.mean((y_test - y_train.mean()) ** 2))


# --- Hochreiter & Schmidhuber (1997), Experiment 5: the multiplication problem as published ---

#: Marker values of the 1997 setup: +1 on the two marked steps, -1 on the first and last step.
START_END_MARKER = -1.0
#: P(the first marker lands on the first step), when its value is set to 1.0: 1 of the first 10 steps.
FIRST_STEP_PROB_1997 = 1 / 10
#: E[y] in the 1997 setup: y = X1 * X2 with X1 = 1 w.p. 1/10 (else U(0, 1)), X2 ~ U(0, 1).
MULTIPLICATION_1997_MEAN = 0.9 * 1 / 4 + 0.1 * 1 / 2  # = 11/40 = 0.275
#: Var(y) in the 1997 setup: E[y^2] - E[y]^2 = (0.9/9 + 0.1/3) - 0.275^2 = 277/4800.
MULTIPLICATION_1997_VARIANCE = 277 / 4800
#: MSE of the best predictor that remembers one marked value only (the uniform variant): u/2 from u,
#: E[u^2] Var(v) = 1/3 * 1/12 = 1/36.
MULTIPLICATION_PARTIAL_MSE = 1 / 36
#: The same in the 1997 setup: remembering X2 and predicting E[X1] X2 = 0.55 X2 leaves
#: E[X2^2] Var(X1) = 1/3 * (0.4 - 0.55^2) = 13/400 (remembering X1 instead leaves E[X1^2]/12 = 1/30).
MULTIPLICATION_1997_PARTIAL_MSE = 13 / 400


def make_multiplication_1997(
    n: int, T: int = 100, seed: int | None = 0, *, return_info: bool = False
) -> tuple[np.ndarray, ...]:
    """Hochreiter & Schmidhuber's (1997) multiplication problem (Experiment 5), padded to T + T//10 steps.

    Each sequence has a random length L in [T, T + T//10]; its steps are pairs [marker, value] with
    value ~ U(0, 1] and marker 0, except: X1 is marked (+1) on one of the first 10 steps, X2 (+1) on
    one of the first T//2 - 1 steps not already marked, and the first and last steps carry -1 unless
    marked. If X1 lands on the first step its value is set to 1.0 (as in the paper). y = X1 * X2.
    Sequences are pre-padded with all-zero steps (mask them with keras.layers.Masking(0.0); values
    are never exactly 0). Feature order [marker, value] matches make_multiplication_data.

    With return_info=True also returns pos (n, 2): the indices in X of X1 and X2, and lengths (n,).
    For T < 11 the first marker is drawn from the first T - 1 steps, so it never hits the last one.
    """
    if n < 1:
        raise ValueError(f"n must be a positive number of sequences, got {n}.")
    if T < 6:
        raise ValueError(
            f"T must be at least 6 (two markers among the first T//2 - 1 steps), got {T}."
        )
    rng = np.random.default_rng(seed)
    width = T + T // 10
    lengths = rng.integers(T, width + 1, size=n)
    first = rng.integers(0, min(10, T - 1), size=n)  # X1: one of the first ten steps
    k = T // 2 - 1  # X2: one of the first T/2 - 1 steps, minus the one X1 took
    inside = first < k
    r = np.floor(rng.random(n) * (k - inside)).astype(np.int64)
    second = r + (inside & (r >= first))
    values = (1.0 - rng.random((n, width))).astype(np.float32)  # (0, 1]: no real step is all-zero
    offset = width - lengths
    rows = np.arange(n)
    pos = np.stack([offset + first, offset + second], axis=1)
    values[rows[first == 0], pos[first == 0, 0]] = 1.0  # X1 on the first step: set to 1.0
    X = np.zeros((n, width, 2), dtype=np.float32)
    steps = np.arange(width)
    real = steps[None, :] >= offset[:, None]
    X[:, :, VALUE] = np.where(real, values, 0.0)
    X[rows, offset, MARKER] = START_END_MARKER
    X[rows, width - 1, MARKER] = START_END_MARKER
    X[rows[:, None], pos, MARKER] = 1.0
    marked = X[rows[:, None], pos, VALUE].astype(np.float64)
    y = np.prod(marked, axis=1).astype(np.float32)
    return (X, y, pos, lengths) if return_info else (X, y)


def error_share(y_true: np.ndarray, y_pred: np.ndarray, tol: float = 0.04) -> float:
    """Share of sequences with |error| >= tol (1997's criterion: a sequence is correct if |error| < 0.04)."""
    y_true = np.asarray(y_true, dtype=np.float64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.float64).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in size: {y_true.shape} vs {y_pred.shape}.")
    return float(np.mean(np.abs(y_pred - y_true) >= tol))
