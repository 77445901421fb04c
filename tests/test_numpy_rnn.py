"""Unit tests for helpers.numpy_rnn: forward passes match Keras, BPTT matches finite differences."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.numpy_rnn import lstm_forward, rnn_bptt, rnn_forward, rnn_loss, sigmoid  # noqa: E402

RNG = np.random.default_rng(0)


def _keras_run(layer_cls, x: np.ndarray, units: int, states: list[np.ndarray] | None):
    """Build a Keras recurrent layer with random (non-default) weights and run it on x."""
    layer = layer_cls(units, return_sequences=True, return_state=True)
    out = layer(x, initial_state=states) if states is not None else layer(x)
    weights = [RNG.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()]
    layer.set_weights(weights)
    out = layer(x, initial_state=states) if states is not None else layer(x)
    return [np.asarray(o) for o in out], weights


@pytest.mark.parametrize(
    "batch,steps,with_state", [(3, 7, False), (1, 5, True), (2, 1, True), (1, 1, False)]
)
def test_lstm_forward_matches_keras(batch: int, steps: int, with_state: bool) -> None:
    x = RNG.normal(size=(batch, steps, 4)).astype("float32")
    units = 5
    states = (
        [RNG.normal(size=(batch, units)).astype("float32") for _ in range(2)]
        if with_state
        else None
    )
    (seq_k, h_k, c_k), (W, U, b) = _keras_run(keras.layers.LSTM, x, units, states)
    h0, c0 = states if states is not None else (None, None)
    seq, h, c, gates = lstm_forward(x, W, U, b, h0=h0, c0=c0, return_gates=True)
    assert seq.shape == (batch, steps, units)
    np.testing.assert_allclose(seq, seq_k, atol=1e-5)
    np.testing.assert_allclose(h, h_k, atol=1e-5)
    np.testing.assert_allclose(c, c_k, atol=1e-5)
    assert set(gates) == {"i", "f", "g", "o", "c"}
    assert all(v.shape == (batch, steps, units) for v in gates.values())
    np.testing.assert_allclose(gates["c"][:, -1], c_k, atol=1e-5)
    np.testing.assert_allclose(gates["o"] * np.tanh(gates["c"]), seq_k, atol=1e-5)


@pytest.mark.parametrize("batch,steps,with_state", [(3, 6, False), (1, 4, True), (2, 1, True)])
def test_rnn_forward_matches_keras(batch: int, steps: int, with_state: bool) -> None:
    x = RNG.normal(size=(batch, steps, 3)).astype("float32")
    units = 4
    states = [RNG.normal(size=(batch, units)).astype("float32")] if with_state else None
    (seq_k, h_k), (W, U, b) = _keras_run(keras.layers.SimpleRNN, x, units, states)
    seq, h = rnn_forward(x, W, U, b, h0=states[0] if states else None)
    np.testing.assert_allclose(seq, seq_k, atol=1e-5)
    np.testing.assert_allclose(h, h_k, atol=1e-5)


def test_lstm_returns_three_items_without_gates() -> None:
    x = np.zeros((1, 2, 3))
    out = lstm_forward(x, np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8))
    assert len(out) == 3
    # All pre-activations zero: i=f=o=0.5, g=0, so c stays 0 and h stays 0.
    assert np.all(out[0] == 0)


@pytest.mark.parametrize(
    "x_shape,k_shape,r_shape,b_shape,match",
    [
        ((5, 3), (3, 8), (2, 8), (8,), "rank 2"),
        ((1, 5, 3), (4, 8), (2, 8), (8,), "kernel must have shape"),
        ((1, 5, 3), (3, 8), (2, 6), (8,), "recurrent_kernel must have shape"),
        ((1, 5, 3), (3, 8), (2, 8), (6,), "bias must have shape"),
        ((1, 5, 3), (3, 8), (8,), (8,), "recurrent_kernel must be 2-D"),
    ],
)
def test_lstm_wrong_shapes_raise(x_shape, k_shape, r_shape, b_shape, match) -> None:
    with pytest.raises(ValueError, match=match):
        lstm_forward(np.zeros(x_shape), np.zeros(k_shape), np.zeros(r_shape), np.zeros(b_shape))


def test_wrong_initial_state_and_rnn_layout_raise() -> None:
    x = np.zeros((2, 3, 3))
    with pytest.raises(ValueError, match="h0 must have shape"):
        lstm_forward(x, np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8), h0=np.zeros((1, 2)))
    with pytest.raises(ValueError, match="c0 must have shape"):
        lstm_forward(x, np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8), c0=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="recurrent_kernel must have shape"):
        rnn_forward(x, np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8))  # LSTM weights in an RNN


def test_sigmoid_is_stable() -> None:
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    s = sigmoid(z)
    assert np.all(np.isfinite(s))
    np.testing.assert_allclose(s, [0.0, 1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-1)), 1.0])


def _rnn_problem(n: int = 3, steps: int = 6, features: int = 2, units: int = 4, outputs: int = 2):
    rng = np.random.default_rng(1)
    params = {
        "kernel": rng.normal(scale=0.5, size=(features, units)),
        "recurrent_kernel": rng.normal(scale=0.5, size=(units, units)),
        "bias": rng.normal(scale=0.1, size=units),
        "w_out": rng.normal(scale=0.5, size=(units, outputs)),
        "b_out": rng.normal(scale=0.1, size=outputs),
    }
    x = rng.normal(size=(n, steps, features))
    y = rng.normal(size=(n, steps, outputs))
    return x, y, params


def test_rnn_bptt_matches_finite_differences() -> None:
    x, y, p = _rnn_problem()
    loss, grads = rnn_bptt(x, y, **p)
    assert np.isclose(loss, rnn_loss(x, y, **p))
    names = {"kernel": "W", "recurrent_kernel": "U", "bias": "b", "w_out": "V", "b_out": "c"}
    eps = 1e-6
    for pname, gname in names.items():
        num = np.zeros_like(p[pname])
        for idx in np.ndindex(p[pname].shape):
            plus = {k: v.copy() for k, v in p.items()}
            minus = {k: v.copy() for k, v in p.items()}
            plus[pname][idx] += eps
            minus[pname][idx] -= eps
            num[idx] = (rnn_loss(x, y, **plus) - rnn_loss(x, y, **minus)) / (2 * eps)
        rel = np.linalg.norm(num - grads[gname]) / np.linalg.norm(num + grads[gname])
        assert rel < 1e-7, (pname, rel)
    num_x = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        num_x[idx] = (rnn_loss(xp, y, **p) - rnn_loss(xm, y, **p)) / (2 * eps)
    np.testing.assert_allclose(grads["x"], num_x, atol=1e-7)


def test_truncated_bptt() -> None:
    x, y, p = _rnn_problem()
    _, full = rnn_bptt(x, y, **p)
    _, same = rnn_bptt(x, y, **p, truncate=x.shape[1])
    _, short = rnn_bptt(x, y, **p, truncate=1)
    for k in ("W", "U", "b", "V", "c", "x"):
        np.testing.assert_allclose(same[k], full[k], atol=1e-12)
    assert not np.allclose(short["U"], full["U"])
    np.testing.assert_allclose(short["V"], full["V"])  # the readout gradient is never truncated
    with pytest.raises(ValueError, match="truncate"):
        rnn_bptt(x, y, **p, truncate=0)
