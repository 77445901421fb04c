"""helpers.training.fit (early stopping, Run record) and helpers.batching (length buckets)."""

import numpy as np
import pytest

import helpers

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from helpers.batching import bucket_by_length, length_order, predict_by_length, sequence_lengths  # noqa: E402
from helpers.training import Run, fit  # noqa: E402


def _data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("float32")
    return x, y


def _model(seed=0, lr=0.05):
    helpers.set_seed(seed)
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer=keras.optimizers.Adam(lr), loss="binary_crossentropy", metrics=["accuracy"])
    return m


def test_fit_returns_run_with_consistent_fields(capsys):
    x, y = _data()
    run = fit(
        _model(), (x[:200], y[:200]), (x[200:], y[200:]), epochs=3, batch_size=32, name="tiny"
    )
    assert isinstance(run, Run)
    assert run.epochs_run == len(run.epoch_seconds) == len(run.history["loss"]) <= 3
    assert 1 <= run.best_epoch <= run.epochs_run
    assert run.stopped_early == (run.epochs_run < 3)
    assert run.best() == min(run.history["val_loss"][: run.epochs_run])
    assert set(run.summary()) >= {"epochs_run", "best_epoch", "stopped_early", "s_per_epoch"}
    out = capsys.readouterr().out
    assert out.count("tiny: epoch") == run.epochs_run and "best epoch" in out


def test_fit_stops_early_and_restores_best_weights():
    x, y = _data()
    # a huge learning rate makes validation loss bounce: early stopping must trigger and restore
    model = _model(lr=5.0)
    run = fit(
        model,
        (x[:200], y[:200]),
        (x[200:], y[200:]),
        epochs=40,
        patience=2,
        batch_size=200,
        quiet=True,
    )
    assert run.stopped_early and run.epochs_run == run.best_epoch + 2
    restored = model.evaluate(x[200:], y[200:], verbose=0)[0]
    assert restored == pytest.approx(run.best(), rel=1e-4, abs=1e-5)


def test_fit_is_reproducible_with_seed():
    x, y = _data()
    a = fit(_model(seed=3), (x, y), (x, y), epochs=2, batch_size=32, quiet=True)
    b = fit(_model(seed=3), (x, y), (x, y), epochs=2, batch_size=32, quiet=True)
    assert a.history == b.history


def test_fit_explains_bad_calls():
    x, y = _data()
    raw = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="Compile"):
        fit(raw, (x, y), (x, y), epochs=1)
    with pytest.raises(ValueError, match="validation"):
        fit(_model(), (x, y), None, epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        fit(_model(), (x, y), (x, y), epochs=0)


def _padded(seed=0, n=50, T=20):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, T + 1, n)
    X = np.zeros((n, T), dtype="int64")
    for i, L in enumerate(lengths):
        X[i, :L] = rng.integers(2, 100, L)
    return X, lengths, (np.arange(n) % 2).astype("int64")


def test_sequence_lengths_and_errors():
    X, lengths, _ = _padded()
    assert (sequence_lengths(X) == lengths).all()
    assert sequence_lengths(np.zeros((2, 5), dtype=int)).tolist() == [
        1,
        1,
    ]  # an empty row counts as 1
    with pytest.raises(ValueError, match="2-D"):
        sequence_lengths(np.zeros(5))


def test_bucket_by_length_covers_every_row_once_and_trims_padding():
    X, _, y = _padded()
    ds = bucket_by_length(X, y, batch_size=8, seed=1)
    assert ds.cardinality().numpy() == 7
    seen_x, seen_y, padding = [], [], 0
    for xb, yb in ds.as_numpy_iterator():
        assert xb.shape[0] <= 8 and (xb[:, -1] != 0).any()  # cut to its longest member
        seen_x += [tuple(r[r != 0]) for r in xb]
        seen_y += yb.tolist()
        padding += int((xb == 0).sum())
    assert sorted(seen_x) == sorted(tuple(r[r != 0]) for r in X) and sorted(seen_y) == sorted(
        y.tolist()
    )
    assert padding < (X == 0).sum()


def test_bucket_by_length_is_seeded_and_reshuffles_each_epoch():
    X, _, y = _padded()

    def epochs(seed):
        ds = bucket_by_length(X, y, batch_size=8, seed=seed)
        return [[xb.shape[1] for xb, _ in ds.as_numpy_iterator()] for _ in range(2)]

    a, b = epochs(5), epochs(5)
    assert a == b  # same seed, same batches
    assert a[0] != a[1]  # a new order every epoch


def test_predict_by_length_returns_original_order():
    X, lengths, _ = _padded(n=20)
    helpers.set_seed(0)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int64"),
            keras.layers.Embedding(100, 4, mask_zero=True),
            keras.layers.LSTM(3),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    got = predict_by_length(model, X, batch_size=8)
    want = np.array(
        [model.predict(X[i : i + 1, : lengths[i]], verbose=0)[0, 0] for i in range(len(X))]
    )
    assert got.shape == (len(X),)
    np.testing.assert_allclose(got, want, atol=1e-5)
    assert (length_order(X) == np.argsort(lengths, kind="stable")).all()
