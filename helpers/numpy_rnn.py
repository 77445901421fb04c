"""NumPy reference RNN, LSTM and GRU (forward and backward) in the weight layout Keras uses.

Keras stores a recurrent layer's weights as three arrays:
``kernel`` (features, k*units) for the input weights W, ``recurrent_kernel`` (units, k*units)
for the recurrent weights U and ``bias`` for b, with k = 1 for SimpleRNN, k = 4 for LSTM and
k = 3 for GRU. The LSTM blocks are stacked in the gate order i, f, c, o (input, forget,
candidate -- written g_t in this course -- and output); its bias has shape (4*units,).
The GRU blocks are z, r, h (update gate, reset gate, candidate) and, with Keras' default
``reset_after=True``, its bias has shape (2, 3*units): row 0 is added to x_t W, row 1 to h_{t-1} U.
Introduced in notebooks 02 (RNN, BPTT) and 04 (LSTM forward and backward, GRU).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "gru_forward",
    "lstm_backward",
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
    bias_rows: int | None = None,
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
    if bias_rows is None and bias.shape != (n_blocks * units,):
        raise ValueError(
            f"bias must have shape ({n_blocks}*units,) = ({n_blocks * units},); got {bias.shape}."
        )
    if bias_rows is not None and bias.shape != (bias_rows, n_blocks * units):
        raise ValueError(
            f"bias must have shape ({bias_rows}, {n_blocks}*units) = ({bias_rows}, {n_blocks * units}) "
            f"for a {layer}; got {bias.shape}. (A Keras GRU built with reset_after=False has one bias "
            "row of shape (3*units,); gru_forward follows the default reset_after=True.)"
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


def lstm_backward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    d_hidden: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Backward pass of `lstm_forward`: gradients of L given d_hidden = ∂L/∂(h_1..h_T), (batch, time, units).

    Returns {"kernel", "recurrent_kernel", "bias", "x", "h0", "c0"}, each shaped like its input
    (Keras layout, gate order i, f, c, o). A loss on the final state h_T goes in d_hidden[:, -1].
    The cell state carries its own error signal back in time: dc_{t-1} = dc_t ⊙ f_t (+ what
    reaches c_{t-1} through h_{t-1}), the path introduced in notebook 04.
    """
    x, W, U, b, units = _check_weights(x, kernel, recurrent_kernel, bias, 4, "LSTM")
    batch, steps, _ = x.shape
    d_hidden = np.asarray(d_hidden, dtype=x.dtype)
    if d_hidden.shape != (batch, steps, units):
        raise ValueError(
            f"d_hidden must be ∂L/∂(hidden sequence) with shape (batch, time, units) = "
            f"({batch}, {steps}, {units}); got {d_hidden.shape}."
        )
    h_init = _initial(h0, batch, units, x.dtype, "h0")
    c_init = _initial(c0, batch, units, x.dtype, "c0")
    hs, _, _, gates = lstm_forward(x, W, U, b, h_init, c_init, return_gates=True)
    h_prev = np.concatenate([h_init[:, None], hs[:, :-1]], axis=1)
    c_prev = np.concatenate([c_init[:, None], gates["c"][:, :-1]], axis=1)
    grads = {
        "kernel": np.zeros_like(W),
        "recurrent_kernel": np.zeros_like(U),
        "bias": np.zeros_like(b),
        "x": np.zeros_like(x),
    }
    dh_next = np.zeros((batch, units), dtype=x.dtype)  # ∂L/∂h_t arriving from step t+1
    dc_next = np.zeros((batch, units), dtype=x.dtype)  # ∂L/∂c_t arriving from step t+1
    for t in reversed(range(steps)):
        i, f, g, o, c = (gates[k][:, t] for k in ("i", "f", "g", "o", "c"))
        tanh_c = np.tanh(c)
        dh = d_hidden[:, t] + dh_next
        dc = dh * o * (1.0 - tanh_c**2) + dc_next  # h_t = o_t ⊙ tanh(c_t), plus the cell path
        dz = np.concatenate(
            [
                dc * g * i * (1.0 - i),  # input gate (sigmoid)
                dc * c_prev[:, t] * f * (1.0 - f),  # forget gate (sigmoid)
                dc * i * (1.0 - g**2),  # candidate g_t (tanh)
                dh * tanh_c * o * (1.0 - o),
            ],  # output gate (sigmoid)
            axis=1,
        )
        grads["kernel"] += x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev[:, t].T @ dz
        grads["bias"] += dz.sum(axis=0)
        grads["x"][:, t] = dz @ W.T
        dh_next = dz @ U.T
        dc_next = dc * f  # the direct cell path: ∂c_t/∂c_{t-1} = diag(f_t)
    grads["h0"], grads["c0"] = dh_next, dc_next
    return grads


def gru_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    h0: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Run a GRU as keras.layers.GRU(reset_after=True) computes it; return (hidden_seq, h_T).

    Blocks z, r, h; bias (2, 3*units): row 0 for the input product, row 1 for the recurrent one.
    z_t = σ(x_t W_z + b_z + h_{t-1} U_z + b'_z), r_t likewise,
    h~_t = tanh(x_t W_h + b_h + r_t ⊙ (h_{t-1} U_h + b'_h)), h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h~_t.
    """
    x, W, U, b, units = _check_weights(x, kernel, recurrent_kernel, bias, 3, "GRU", bias_rows=2)
    batch, steps, _ = x.shape
    h = _initial(h0, batch, units, x.dtype, "h0")
    hs = np.empty((batch, steps, units), dtype=x.dtype)
    for t in range(steps):
        from_x = x[:, t] @ W + b[0]
        from_h = h @ U + b[1]
        z = sigmoid(from_x[:, :units] + from_h[:, :units])
        r = sigmoid(from_x[:, units : 2 * units] + from_h[:, units : 2 * units])
        candidate = np.tanh(from_x[:, 2 * units :] + r * from_h[:, 2 * units :])
        h = z * h + (1.0 - z) * candidate
        hs[:, t] = h
    return hs, h


def rnn_loss(
    x: np.ndarray,
    y: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    w_out: np.ndarray,
    b_out: np.ndarray,
) -> float:
    """Sequence loss E = (1/(2N)) Σ_n Σ_t ||h_t V + b_y - y_t||² of a SimpleRNN with a linear read-out."""
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
    mode: str = "sliding",
) -> tuple[float, dict[str, np.ndarray]]:
    """Backprop through time for `rnn_loss`; return (loss, grads) with keys W, U, b, V, b_y, x.

    `truncate=None` gives the exact gradient. With `truncate=k` (notebook 02, section 8):
    mode="sliding" lets the error of each loss term flow back at most k steps (to h_{t-k+1});
    mode="chunked" cuts the sequence into consecutive chunks of k steps and stops every error
    signal at a chunk boundary (the forward pass still carries h across), which is what training
    a Keras `stateful=True` layer on consecutive chunks computes.
    """
    x, W, U, b, units = _check_weights(x, kernel, recurrent_kernel, bias, 1, "SimpleRNN")
    V, b_y = np.asarray(w_out, dtype=x.dtype), np.asarray(b_out, dtype=x.dtype)
    if V.ndim != 2 or V.shape[0] != units or b_y.shape != (V.shape[1],):
        raise ValueError(
            f"w_out must be (units={units}, outputs) and b_out (outputs,); got {V.shape}, {b_y.shape}."
        )
    if truncate is not None and truncate < 1:
        raise ValueError(f"truncate must be a positive number of steps or None; got {truncate}.")
    if mode not in ("sliding", "chunked"):
        raise ValueError(f"mode must be 'sliding' or 'chunked'; got {mode!r}.")
    n, steps, _ = x.shape
    hs, _ = rnn_forward(x, W, U, b)
    y = np.asarray(y, dtype=x.dtype)
    err = hs @ V + b_y - y  # (n, T, outputs)
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
    grads["b_y"] = err.sum(axis=(0, 1))
    h_prev = np.concatenate([np.zeros((n, 1, units), dtype=x.dtype), hs[:, :-1]], axis=1)
    local = err @ V.T  # ∂E/∂h_t from the loss term at step t only

    def accumulate(t: int, dz: np.ndarray) -> None:
        grads["W"] += x[:, t].T @ dz
        grads["U"] += h_prev[:, t].T @ dz
        grads["b"] += dz.sum(axis=0)
        grads["x"][:, t] += dz @ W.T

    if truncate is None or mode == "chunked":
        dh_next = np.zeros((n, units), dtype=x.dtype)
        for t in reversed(range(steps)):
            dz = (local[:, t] + dh_next) * (1.0 - hs[:, t] ** 2)  # through tanh
            accumulate(t, dz)
            at_chunk_start = truncate is not None and t % truncate == 0
            dh_next = np.zeros_like(dh_next) if at_chunk_start else dz @ U.T
    else:
        for s in range(steps):  # each loss term s sends its signal back at most `truncate` steps
            dh = local[:, s]
            for t in range(s, max(-1, s - truncate), -1):
                dz = dh * (1.0 - hs[:, t] ** 2)
                accumulate(t, dz)
                dh = dz @ U.T
    return loss, grads
