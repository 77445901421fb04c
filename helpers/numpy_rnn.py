"""NumPy reference RNN and LSTM (forward and BPTT) in the weight layout Keras uses.

Keras stores a recurrent layer's weights as three arrays:
``kernel`` (features, k*units) for the input weights W, ``recurrent_kernel`` (units, k*units)
for the recurrent weights U and ``bias`` (k*units,) for b, with k = 1 for SimpleRNN and
k = 4 for LSTM. The LSTM blocks are stacked in the gate order i, f, c, o (input, forget,
candidate -- written g_t in this course -- and output).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "lstm_forward",
    "rnn_bptt",
    "rnn_forward",
    "rnn_loss",
    "sigmoid",
]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Numerically stable logistic sigmoid σ(z) = 1 / (1 + exp(-z))."""
    z = np.asarray(z)
    out = np.empty_like(z, dtype=np.result_type(z.dtype, np.float32))
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def _check_weights(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    n_blocks: int,
    layer: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Validate shapes of x and the Keras-layout weights; return float arrays and units."""
    x = np.asarray(x)
    kernel, recurrent_kernel, bias = (np.asarray(a) for a in (kernel, recurrent_kernel, bias))
    if x.ndim != 3:
        raise ValueError(
            f"x must have shape (batch, time, features); got rank {x.ndim} with shape {x.shape}. "
            "Add a batch axis with x[None] or a feature axis with x[..., None]."
        )
    if recurrent_kernel.ndim != 2:
        raise ValueError(
            f"recurrent_kernel must be 2-D (units, {n_blocks}*units); got shape {recurrent_kernel.shape}."
        )
    units = recurrent_kernel.shape[0]
    if recurrent_kernel.shape != (units, n_blocks * units):
        raise ValueError(
            f"recurrent_kernel must have shape (units, {n_blocks}*units) = ({units}, {n_blocks * units}) "
            f"for a {layer}; got {recurrent_kernel.shape}."
        )
    features = x.shape[2]
    if kernel.shape != (features, n_blocks * units):
        raise ValueError(
            f"kernel must have shape (features, {n_blocks}*units) = ({features}, {n_blocks * units}) "
            f"for x with {features} features and {units} units; got {kernel.shape}."
        )
    if bias.shape != (n_blocks * units,):
        raise ValueError(
            f"bias must have shape ({n_blocks}*units,) = ({n_blocks * units},); got {bias.shape}."
        )
    dtype = np.result_type(x.dtype, kernel.dtype, recurrent_kernel.dtype, bias.dtype, np.float32)
    return (
        x.astype(dtype, copy=False),
        kernel.astype(dtype, copy=False),
        recurrent_kernel.astype(dtype, copy=False),
        bias.astype(dtype, copy=False),
        units,
    )


def _initial(
    state: np.ndarray | None, batch: int, units: int, dtype: np.dtype, name: str
) -> np.ndarray:
    """Return a (batch, units) initial state: zeros if None, else the validated array."""
    if state is None:
        return np.zeros((batch, units), dtype=dtype)
    state = np.asarray(state, dtype=dtype)
    if state.shape != (batch, units):
        raise ValueError(
            f"{name} must have shape (batch, units) = ({batch}, {units}); got {state.shape}."
        )
    return state


def rnn_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    h0: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Run a tanh SimpleRNN, h_t = tanh(x_t W + h_{t-1} U + b); return (hidden_seq, h_T)."""
    x, W, U, b, units = _check_weights(x, kernel, recurrent_kernel, bias, 1, "SimpleRNN")
    batch, steps, _ = x.shape
    h = _initial(h0, batch, units, x.dtype, "h0")
    hs = np.empty((batch, steps, units), dtype=x.dtype)
    for t in range(steps):
        h = np.tanh(x[:, t] @ W + h @ U + b)
        hs[:, t] = h
    return hs, h


def lstm_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    return_gates: bool = False,
) -> tuple:
    """Run an LSTM in Keras layout (gates i, f, c, o); return (hidden_seq, h_T, c_T[, gates])."""
    x, W, U, b, units = _check_weights(x, kernel, recurrent_kernel, bias, 4, "LSTM")
    batch, steps, _ = x.shape
    h = _initial(h0, batch, units, x.dtype, "h0")
    c = _initial(c0, batch, units, x.dtype, "c0")
    hs = np.empty((batch, steps, units), dtype=x.dtype)
    gates = {k: np.empty((batch, steps, units), dtype=x.dtype) for k in ("i", "f", "g", "o", "c")}
    for t in range(steps):
        z = x[:, t] @ W + h @ U + b
        i = sigmoid(z[:, :units])
        f = sigmoid(z[:, units : 2 * units])
        g = np.tanh(z[:, 2 * units : 3 * units])
        o = sigmoid(z[:, 3 * units :])
        c = f * c + i * g
        h = o * np.tanh(c)
        hs[:, t] = h
        for k, v in (("i", i), ("f", f), ("g", g), ("o", o), ("c", c)):
            gates[k][:, t] = v
    if return_gates:
        return hs, h, c, gates
    return hs, h, c


def rnn_loss(
    x: np.ndarray,
    y: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    w_out: np.ndarray,
    b_out: np.ndarray,
) -> float:
    """Sequence loss E = (1/(2N)) Σ_n Σ_t ||h_t V + c - y_t||² of a SimpleRNN with a linear readout."""
    hs, _ = rnn_forward(x, kernel, recurrent_kernel, bias)
    y = np.asarray(y)
    pred = hs @ w_out + b_out
    if pred.shape != y.shape:
        raise ValueError(f"y must have shape {pred.shape} (batch, time, outputs); got {y.shape}.")
    return float(0.5 * np.sum((pred - y) ** 2) / x.shape[0])


def rnn_bptt(
    x: np.ndarray,
    y: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    w_out: np.ndarray,
    b_out: np.ndarray,
    truncate: int | None = None,
) -> tuple[float, dict[str, np.ndarray]]:
    """Backprop through time for `rnn_loss`; return (loss, grads) with keys W, U, b, V, c, x.

    With `truncate=k`, the error signal of each loss term flows back at most k steps
    (truncated BPTT); `truncate=None` gives the exact gradient.
    """
    x, W, U, b, units = _check_weights(x, kernel, recurrent_kernel, bias, 1, "SimpleRNN")
    V, c = np.asarray(w_out, dtype=x.dtype), np.asarray(b_out, dtype=x.dtype)
    if V.ndim != 2 or V.shape[0] != units or c.shape != (V.shape[1],):
        raise ValueError(
            f"w_out must be (units={units}, outputs) and b_out (outputs,); got {V.shape}, {c.shape}."
        )
    if truncate is not None and truncate < 1:
        raise ValueError(f"truncate must be a positive number of steps or None; got {truncate}.")
    n, steps, _ = x.shape
    hs, _ = rnn_forward(x, W, U, b)
    y = np.asarray(y, dtype=x.dtype)
    err = hs @ V + c - y  # (n, T, outputs)
    if err.shape != y.shape:
        raise ValueError(f"y must have shape {err.shape} (batch, time, outputs); got {y.shape}.")
    loss = float(0.5 * np.sum(err**2) / n)
    err = err / n
    grads = {
        "W": np.zeros_like(W),
        "U": np.zeros_like(U),
        "b": np.zeros_like(b),
        "x": np.zeros_like(x),
    }
    grads["V"] = np.einsum("ntu,nto->uo", hs, err)
    grads["c"] = err.sum(axis=(0, 1))
    h_prev = np.concatenate([np.zeros((n, 1, units), dtype=x.dtype), hs[:, :-1]], axis=1)
    local = err @ V.T  # ∂E/∂h_t from the loss term at step t only
    if truncate is None:
        dh_next = np.zeros((n, units), dtype=x.dtype)
        for t in reversed(range(steps)):
            dz = (local[:, t] + dh_next) * (1.0 - hs[:, t] ** 2)  # through tanh
            grads["W"] += x[:, t].T @ dz
            grads["U"] += h_prev[:, t].T @ dz
            grads["b"] += dz.sum(axis=0)
            grads["x"][:, t] = dz @ W.T
            dh_next = dz @ U.T
    else:
        for s in range(steps):  # each loss term s sends its signal back at most `truncate` steps
            dh = local[:, s]
            for t in range(s, max(-1, s - truncate), -1):
                dz = dh * (1.0 - hs[:, t] ** 2)
                grads["W"] += x[:, t].T @ dz
                grads["U"] += h_prev[:, t].T @ dz
                grads["b"] += dz.sum(axis=0)
                grads["x"][:, t] += dz @ W.T
                dh = dz @ U.T
    return loss, grads
