"""Length bucketing for text: batches of similar-length sequences, each cut to its longest member.

Introduced in 06 (section 4), used by 06 and 07. An LSTM takes one step per position, padding
included; sorting by length (with a little noise, so batch mates change every epoch), cutting
the sorted list into batches and shuffling the order of the batches removes most padding while
every example is still seen once per epoch. This is the "sortish" equivalent of
`tf.data.Dataset.bucket_by_sequence_length` with one bucket per batch; unlike it, it is
reproducible from one NumPy seed and needs no bucket boundaries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import tensorflow as tf

if TYPE_CHECKING:
    import keras


def sequence_lengths(X: np.ndarray) -> np.ndarray:
    """Length of each post-padded row (padding id 0 at the end), at least 1."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (examples x tokens), got shape {X.shape}.")
    nonzero = X != 0
    # position of the last non-padding token + 1 (robust to id 0 inside a row)
    last = np.where(nonzero.any(axis=1), X.shape[1] - np.argmax(nonzero[:, ::-1], axis=1), 0)
    return np.maximum(last, 1)


def length_order(X: np.ndarray) -> np.ndarray:
    """The order (by length, stable) in which `bucket_by_length(..., shuffle=False)` yields rows."""
    return np.argsort(sequence_lengths(X), kind="stable")


def bucket_by_length(
    X: np.ndarray,
    y: np.ndarray | None = None,
    batch_size: int = 128,
    *,
    seed: int = 0,
    shuffle: bool = True,
    noise: float = 10.0,
    prefetch: int = 2,
) -> tf.data.Dataset:
    """A tf.data dataset of batches of similar-length rows of X (and y), each cut to its longest row.

    With `shuffle`, every pass (epoch) sorts by length plus uniform noise in [0, `noise`) tokens and
    yields the batches in a random order, drawn from one NumPy generator seeded with `seed` (so a
    re-run gives the same batches). Without it, rows come sorted by length (`length_order`); use
    `predict_by_length` to get predictions back in the original order. Rows must be post-padded
    with 0 (as `TextVectorization` does).
    """
    X = np.asarray(X)
    lengths = sequence_lengths(X)
    if y is not None:
        y = np.asarray(y)
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels.")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}.")
    rng = np.random.default_rng(seed)
    n_batches = -(-len(X) // batch_size)

    def batches() -> Iterator:
        if shuffle:
            order = np.argsort(lengths + rng.uniform(0, noise, len(X)), kind="stable")
        else:
            order = np.argsort(lengths, kind="stable")
        chunks = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        ks = rng.permutation(len(chunks)) if shuffle else range(len(chunks))
        for k in ks:
            idx = chunks[k]
            xb = X[idx, : lengths[idx].max()]
            yield (xb, y[idx]) if y is not None else (xb,)

    x_spec = tf.TensorSpec((None, None), tf.as_dtype(X.dtype))
    spec = (
        (x_spec, tf.TensorSpec((None, *y.shape[1:]), tf.as_dtype(y.dtype)))
        if y is not None
        else (x_spec,)
    )
    ds = tf.data.Dataset.from_generator(batches, output_signature=spec)
    return ds.apply(tf.data.experimental.assert_cardinality(n_batches)).prefetch(prefetch)


def predict_by_length(model: keras.Model, X: np.ndarray, batch_size: int = 128) -> np.ndarray:
    """model.predict over length-bucketed batches, returned in the original row order (1-D if one output)."""
    X = np.asarray(X)
    order = length_order(X)
    out = model.predict(bucket_by_length(X, batch_size=batch_size, shuffle=False), verbose=0)
    out = np.asarray(out)
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    back = np.empty_like(out)
    back[order] = out
    return back
