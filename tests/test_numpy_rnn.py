"""Unit tests for helpers.numpy_rnn: forward passes match Keras, backward passes match finite
differences and tf.GradientTape."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers.numpy_rnn import (
    gru_forward,
    lstm_backward,
    lstm_forward,
    rnn_bptt,
    rnn_forward,
    rnn_loss,
    sigmoid,
)


def _keras_run(
    layer_cls, x: np.ndarray, units: int, states: list[np.ndarray] | None, seed: int = 0
):
    """Build a Keras recurrent layer with random (non-default) weights and run it on x."""
    rng = np.random.default_rng(seed)
    layer = layer_cls(units, return_sequences=True, return_state=True)
    out = layer(x, initial_state=states) if states is not None else layer(x)
    weights = [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()]
    layer.set_weights(weights)
    out = layer(x, initial_state=states) if states is not None else layer(x)
    return [np.asarray(o) for o in out], weights


@pytest.mark.parametrize(
    ("batch", "steps", "with_state"), [(3, 7, False), (1, 5, True), (2, 1, True), (1, 1, False)]
)
def test_lstm_forward_matches_keras(batch: int, steps: int, with_state: bool) -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(batch, steps, 4)).astype("float32")
    units = 5
    states = (
        [rng.normal(size=(batch, units)).astype("float32") for _ in range(2)]
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


@pytest.mark.parametrize(
    ("batch", "steps", "with_state"), [(3, 6, False), (1, 4, True), (2, 1, True)]
)
def test_rnn_forward_matches_keras(batch: int, steps: int, with_state: bool) -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(batch, steps, 3)).astype("float32")
    units = 4
    states = [rng.normal(size=(batch, units)).astype("float32")] if with_state else None
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
    ("x_shape", "k_shape", "r_shape", "b_shape", "match"),
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
    names = {"kernel": "W", "recurrent_kernel": "U", "bias": "b", "w_out": "V", "b_out": "b_y"}
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
    _, same_chunked = rnn_bptt(x, y, **p, truncate=x.shape[1], mode="chunked")
    for k in ("W", "U", "b", "V", "b_y", "x"):
        np.testing.assert_allclose(same[k], full[k], atol=1e-12)
        np.testing.assert_allclose(same_chunked[k], full[k], atol=1e-12)
    assert not np.allclose(short["U"], full["U"])
    np.testing.assert_allclose(short["V"], full["V"])  # the readout gradient is never truncated
    with pytest.raises(ValueError, match="truncate"):
        rnn_bptt(x, y, **p, truncate=0)
    with pytest.raises(ValueError, match="mode"):
        rnn_bptt(x, y, **p, truncate=2, mode="window")


def test_chunked_truncation_equals_separate_chunks() -> None:
    """Chunked truncated BPTT = the sum of exact gradients of each chunk started from the carried h."""
    x, y, p = _rnn_problem(steps=6)
    k = 3
    _, chunked = rnn_bptt(x, y, **p, truncate=k, mode="chunked")
    hs, _ = rnn_forward(x, p["kernel"], p["recurrent_kernel"], p["bias"])
    # Second chunk from the carried state: gradient w.r.t. W by finite differences on that chunk only.
    h_carry = hs[:, k - 1]

    def chunk_loss(kernel: np.ndarray) -> float:
        seq, _ = rnn_forward(x[:, k:], kernel, p["recurrent_kernel"], p["bias"], h0=h_carry)
        return float(0.5 * np.sum((seq @ p["w_out"] + p["b_out"] - y[:, k:]) ** 2) / x.shape[0])

    def first_loss(kernel: np.ndarray) -> float:
        seq, _ = rnn_forward(x[:, :k], kernel, p["recurrent_kernel"], p["bias"])
        return float(0.5 * np.sum((seq @ p["w_out"] + p["b_out"] - y[:, :k]) ** 2) / x.shape[0])

    eps, num = 1e-6, np.zeros_like(p["kernel"])
    for idx in np.ndindex(num.shape):
        kp, km = p["kernel"].copy(), p["kernel"].copy()
        kp[idx] += eps
        km[idx] -= eps
        num[idx] = (chunk_loss(kp) - chunk_loss(km) + first_loss(kp) - first_loss(km)) / (2 * eps)
    np.testing.assert_allclose(chunked["W"], num, rtol=1e-6, atol=1e-9)


# ---------------------------------------------------------------- LSTM backward pass


def _lstm_problem(
    batch: int, steps: int, with_state: bool, features: int = 3, units: int = 4, seed: int = 3
):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, steps, features))
    kernel = rng.normal(scale=0.5, size=(features, 4 * units))
    recurrent_kernel = rng.normal(scale=0.5, size=(units, 4 * units))
    bias = rng.normal(scale=0.5, size=4 * units)
    d_hidden = rng.normal(size=(batch, steps, units))
    h0 = rng.normal(scale=0.5, size=(batch, units)) if with_state else None
    c0 = rng.normal(scale=0.5, size=(batch, units)) if with_state else None
    return x, kernel, recurrent_kernel, bias, d_hidden, h0, c0


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


CASES = [(2, 5, True), (1, 4, True), (3, 1, True), (1, 1, False), (2, 3, False)]


@pytest.mark.parametrize(("batch", "steps", "with_state"), CASES)
def test_lstm_backward_matches_finite_differences(batch: int, steps: int, with_state: bool) -> None:
    x, W, U, b, dh, h0, c0 = _lstm_problem(batch, steps, with_state)
    inputs = {"x": x, "kernel": W, "recurrent_kernel": U, "bias": b}
    if with_state:
        inputs |= {"h0": h0, "c0": c0}

    def loss(args: dict[str, np.ndarray]) -> float:  # L = Σ d_hidden ⊙ hidden sequence
        hs, _, _ = lstm_forward(
            args["x"],
            args["kernel"],
            args["recurrent_kernel"],
            args["bias"],
            args.get("h0"),
            args.get("c0"),
        )
        return float(np.sum(hs * dh))

    grads = lstm_backward(x, W, U, b, dh, h0=h0, c0=c0)
    assert set(grads) == {"kernel", "recurrent_kernel", "bias", "x", "h0", "c0"}
    eps = 1e-6
    for name, value in inputs.items():
        num = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus, minus = dict(inputs), dict(inputs)
            plus[name], minus[name] = value.copy(), value.copy()
            plus[name][idx] += eps
            minus[name][idx] -= eps
            num[idx] = (loss(plus) - loss(minus)) / (2 * eps)
        assert grads[name].shape == value.shape
        assert _rel(grads[name], num) < 1e-7, (name, _rel(grads[name], num))


@pytest.mark.parametrize(("batch", "steps", "with_state"), CASES)
def test_lstm_backward_matches_gradient_tape(batch: int, steps: int, with_state: bool) -> None:
    x, W, U, b, dh, h0, c0 = _lstm_problem(batch, steps, with_state, seed=4)
    units = U.shape[0]
    layer = keras.layers.LSTM(units, return_sequences=True, dtype="float64")
    layer.build((None, steps, x.shape[2]))
    layer.set_weights([W, U, b])
    h0_ = tf.constant(h0 if with_state else np.zeros((batch, units)))
    c0_ = tf.constant(c0 if with_state else np.zeros((batch, units)))
    x_ = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch([x_, h0_, c0_])
        loss = tf.reduce_sum(layer(x_, initial_state=[h0_, c0_]) * dh)
    tf_grads = tape.gradient(loss, [*layer.trainable_weights, x_, h0_, c0_])
    grads = lstm_backward(x, W, U, b, dh, h0=h0, c0=c0)
    for name, g in zip(
        ("kernel", "recurrent_kernel", "bias", "x", "h0", "c0"), tf_grads, strict=True
    ):
        assert _rel(grads[name], np.asarray(g)) < 1e-10, name


def test_lstm_backward_keeps_float32() -> None:
    x, W, U, b, dh, _, _ = _lstm_problem(2, 3, False)
    grads = lstm_backward(*(a.astype("float32") for a in (x, W, U, b, dh)))
    assert all(g.dtype == np.float32 for g in grads.values())


def test_lstm_backward_wrong_shapes_raise() -> None:
    x, W, U, b, dh, _, _ = _lstm_problem(2, 3, False)
    with pytest.raises(ValueError, match="d_hidden must be"):
        lstm_backward(x, W, U, b, dh[:, :, :2])
    with pytest.raises(ValueError, match="d_hidden must be"):
        lstm_backward(x, W, U, b, dh[:, -1])  # only the last step: put it in d_hidden[:, -1]
    with pytest.raises(ValueError, match="c0 must have shape"):
        lstm_backward(x, W, U, b, dh, c0=np.zeros((1, 4)))
    with pytest.raises(ValueError, match="kernel must have shape"):
        lstm_backward(x, W[:, :8], U, b, dh)


# ---------------------------------------------------------------- GRU forward pass


@pytest.mark.parametrize(
    ("batch", "steps", "with_state"), [(3, 7, False), (1, 5, True), (2, 1, True), (1, 1, False)]
)
def test_gru_forward_matches_keras(batch: int, steps: int, with_state: bool) -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(batch, steps, 4)).astype("float32")
    units = 5
    states = [rng.normal(size=(batch, units)).astype("float32")] if with_state else None
    (seq_k, h_k), (W, U, b) = _keras_run(keras.layers.GRU, x, units, states, seed=6)
    assert b.shape == (2, 3 * units)  # Keras' default reset_after=True
    seq, h = gru_forward(x, W, U, b, h0=states[0] if states else None)
    assert seq.shape == (batch, steps, units)
    np.testing.assert_allclose(seq, seq_k, atol=1e-5)
    np.testing.assert_allclose(h, h_k, atol=1e-5)


def test_gru_wrong_shapes_raise() -> None:
    x = np.zeros((2, 3, 4))
    with pytest.raises(ValueError, match="reset_after"):
        gru_forward(
            x, np.zeros((4, 15)), np.zeros((5, 15)), np.zeros(15)
        )  # a reset_after=False bias
    with pytest.raises(ValueError, match="recurrent_kernel must have shape"):
        gru_forward(
            x, np.zeros((4, 20)), np.zeros((5, 20)), np.zeros((2, 20))
        )  # LSTM-sized weights
    with pytest.raises(ValueError, match="h0 must have shape"):
        gru_forward(x, np.zeros((4, 15)), np.zeros((5, 15)), np.zeros((2, 15)), h0=np.zeros((2, 4)))
