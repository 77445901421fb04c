"""helpers.sentiment: the three IMDB classifiers, the seed study record and its fingerprint check."""

import json

import numpy as np
import pytest

import helpers  # noqa: F401  (sets TensorFlow's environment first)

keras = pytest.importorskip("keras")

from helpers import sentiment  # noqa: E402
from helpers.training import BatchLosses  # noqa: E402

TINY = {"vocab": 30, "seq_len": 12, "dim": 4, "units": 3, "lr": 1e-2, "batch": 16, "max_epochs": 2}


def _data(seed=0, n=48):
    rng = np.random.default_rng(seed)
    out = {}
    for split in ("train", "val", "test"):
        X = np.zeros((n, 12), dtype="int64")
        for i, length in enumerate(rng.integers(1, 13, n)):
            X[i, :length] = rng.integers(2, 30, length)
        out[f"X_{split}"], out[f"y_{split}"] = X, (X[:, 0] > 15).astype("int64")
    return out


@pytest.mark.parametrize("kind", sentiment.KINDS)
def test_classifier_builds_each_kind_and_takes_any_length(kind):
    model = sentiment.classifier(kind, vocab=30, dim=4, units=3)
    assert model.predict(np.array([[3, 4, 5, 0]]), verbose=0).shape == (1, 1)
    assert model.predict(np.array([[3, 4, 5, 6, 7, 8, 0, 0]]), verbose=0).shape == (1, 1)


def test_classifier_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        sentiment.classifier("GRU", vocab=30)


def test_masked_max_pool_ignores_padding():
    x = np.array([[[-1.0], [-2.0], [0.0]]], dtype="float32")
    mask = np.array([[True, True, False]])
    assert float(sentiment.MaskedGlobalMaxPool()(x, mask=mask).numpy()[0, 0]) == -1.0


def test_seed_study_record_and_fingerprint_check(tmp_path):
    data = _data()
    study = sentiment.seed_study(data, settings=TINY, seeds=(1,), kinds=("LSTM",), quiet=True)
    (run,) = study["runs"]
    assert (
        run["model"] == "LSTM" and run["seed"] == 1 and len(run["correct"]) == len(data["y_test"])
    )
    assert set(run["correct"]) <= {"0", "1"} and set(run["test"]) == {
        "accuracy",
        "precision",
        "recall",
        "f1",
        "roc_auc",
    }
    assert len(study["unclipped_lstm"]["batch_losses"]) == study["unclipped_lstm"]["epochs_run"] * 3
    path = tmp_path / "study.json"
    path.write_text(json.dumps(study))
    assert sentiment.load_study(path, data, TINY) is not None
    assert sentiment.load_study(path, _data(seed=1), TINY) is None  # other data
    assert sentiment.load_study(path, data, TINY | {"units": 4}) is None  # other settings
    assert sentiment.load_study(tmp_path / "missing.json", data, TINY) is None


def test_batch_losses_undo_the_running_mean():
    cb = BatchLosses()
    cb.on_epoch_begin(0)
    for i, running in enumerate([1.0, 0.75, 0.5]):  # batch losses 1.0, 0.5, 0.0
        cb.on_train_batch_end(i, {"loss": running})
    np.testing.assert_allclose(cb.losses, [1.0, 0.5, 0.0], atol=1e-12)
