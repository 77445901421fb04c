"""The IMDB sentiment models of 06 and their seed study (shared by the notebook and `make seeds-06`).

Introduced in 06 (sections 6-8): three recurrent classifiers that differ only in their recurrent
part, trained under the course protocol, and a seed study whose JSON the notebook reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import keras
import numpy as np

from .batching import bucket_by_length, predict_by_length
from .config import fingerprint, set_seed
from .metrics import classification_scores
from .training import BatchLosses, Run, fit

KINDS = ("LSTM", "BiLSTM", "BiLSTM + pooling")
# The settings of 06, in one place so the notebook and `make seeds-06` cannot drift apart.
FULL_SETTINGS = {
    "vocab": 20_000,
    "seq_len": 400,
    "dim": 32,
    "units": 16,
    "lr": 3e-3,
    "batch": 128,
    "max_epochs": 10,
}
SMOKE_SETTINGS = {
    "vocab": 5_000,
    "seq_len": 64,
    "dim": 8,
    "units": 8,
    "lr": 3e-3,
    "batch": 128,
    "max_epochs": 1,
}
STUDY_SEEDS = (43, 44)  # the notebook trains seed 42 itself; the study adds these


@keras.saving.register_keras_serializable(package="course")
class MaskedGlobalMaxPool(keras.layers.Layer):
    """Maximum over time of each feature, ignoring masked (padded) steps."""

    def call(self, x: Any, mask: Any = None) -> Any:
        if mask is not None:
            x = keras.ops.where(keras.ops.expand_dims(mask, -1), x, -1e9)
        return keras.ops.max(x, axis=1)

    def compute_mask(self, x: Any, mask: Any = None) -> None:
        return None


def classifier(
    kind: str, vocab: int, dim: int = 32, units: int = 16, dropout: float = 0.25
) -> keras.Model:
    """Embedding (masked), spatial dropout, LSTM | BiLSTM | BiLSTM + [max, mean] pooling, dropout, P(positive)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    tokens = keras.Input((None,), dtype="int64")  # any length: batches differ in length
    x = keras.layers.Embedding(vocab, dim, mask_zero=True)(tokens)
    x = keras.layers.SpatialDropout1D(dropout)(x)  # zeroes whole embedding channels; keeps the mask
    if kind == "LSTM":
        h = keras.layers.LSTM(units)(x)  # last state h_T (the last real word, thanks to the mask)
    elif kind == "BiLSTM":
        h = keras.layers.Bidirectional(keras.layers.LSTM(units))(x)  # [forward h_T, backward h_1]
    else:
        states = keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True))(x)
        pooled = [MaskedGlobalMaxPool()(states), keras.layers.GlobalAveragePooling1D()(states)]
        h = keras.layers.Concatenate()(pooled)  # max and mean over the real words
    out = keras.layers.Dense(1, activation="sigmoid")(keras.layers.Dropout(dropout)(h))
    return keras.Model(tokens, out, name=kind.replace(" + ", "_").replace(" ", "_"))


def train_classifier(
    kind: str,
    seed: int,
    data: dict[str, np.ndarray],
    *,
    settings: dict[str, Any],
    clipnorm: float | None = 1.0,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    quiet: bool = False,
) -> Run:
    """Build (seeded), compile and fit one classifier under the course protocol; return its Run.

    `data` holds X_train, y_train, X_val, y_val; `settings` holds vocab, dim, units, lr, batch and
    max_epochs. Adam, gradients clipped to global norm `clipnorm` (None: no clipping), length
    buckets seeded with `seed`, early stopping on validation loss with patience 2.
    """
    set_seed(seed)
    model = classifier(kind, settings["vocab"], settings["dim"], settings["units"])
    model.compile(
        optimizer=keras.optimizers.Adam(settings["lr"], clipnorm=clipnorm),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    batch = settings["batch"]
    return fit(
        model,
        bucket_by_length(data["X_train"], data["y_train"], batch, seed=seed),
        bucket_by_length(data["X_val"], data["y_val"], batch, shuffle=False),
        epochs=settings["max_epochs"],
        patience=2,
        log_metrics=("loss", "accuracy", "val_loss", "val_accuracy"),
        name=f"{kind}, seed {seed}" + ("" if clipnorm else ", no clipping"),
        callbacks=callbacks,
        quiet=quiet,
    )


def _record(run: Run) -> dict[str, Any]:
    return {
        **run.summary(),
        "train_accuracy": round(run.best("accuracy"), 4),
        "val_accuracy": round(run.best("val_accuracy"), 4),
    }


def seed_study(
    data: dict[str, np.ndarray],
    *,
    settings: dict[str, Any],
    seeds: Sequence[int] = STUDY_SEEDS,
    kinds: Sequence[str] = KINDS,
    unclipped_seed: int = 42,
    quiet: bool = False,
) -> dict[str, Any]:
    """Every kind with every seed, plus the LSTM without clipping; a JSON-ready record.

    Per run: the Run summary, train/validation accuracy at the best epoch, test scores and
    `correct`, a string of '0'/'1' per test review (1 = right at threshold 0.5), so that seed-mean
    accuracies can be compared review by review with a paired bootstrap. The unclipped LSTM keeps
    its history and the loss of every training batch.
    """
    trace = BatchLosses()
    unclipped = train_classifier(
        "LSTM",
        unclipped_seed,
        data,
        settings=settings,
        clipnorm=None,
        callbacks=[trace],
        quiet=quiet,
    )
    # the clipped LSTM with the unclipped run's seed: the notebook trains it too, so comparing the two
    # histories checks that a run repeats exactly in another process
    repeat = train_classifier("LSTM", unclipped_seed, data, settings=settings, quiet=quiet)
    runs = []
    for seed in seeds:
        for kind in kinds:
            run = train_classifier(kind, seed, data, settings=settings, quiet=quiet)
            prob = predict_by_length(run.model, data["X_test"], settings["batch"])
            correct = (prob >= 0.5) == data["y_test"]
            runs.append(
                {
                    "model": kind,
                    "seed": int(seed),
                    **_record(run),
                    "test": {
                        k: round(v, 4)
                        for k, v in classification_scores(data["y_test"], prob).items()
                    },
                    "correct": "".join("1" if c else "0" for c in correct),
                }
            )
    return {
        "settings": settings,
        "data_fingerprint": data_fingerprint(data),
        "runs": runs,
        "repeat_lstm": {"seed": int(unclipped_seed), "history": repeat.history},
        "unclipped_lstm": {
            "seed": int(unclipped_seed),
            **_record(unclipped),
            "history": {k: [round(v, 5) for v in vals] for k, vals in unclipped.history.items()},
            "batch_losses": [round(v, 5) for v in trace.losses],
        },
    }


def data_fingerprint(data: dict[str, np.ndarray]) -> str:
    """Fingerprint of the six arrays a study depends on (train/val/test tokens and labels)."""
    keys = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
    return fingerprint(*(data[k] for k in keys))


def load_study(
    path: Path, data: dict[str, np.ndarray], settings: dict[str, Any]
) -> dict[str, Any] | None:
    """The study at `path` if it was made from exactly this data and these settings, else None."""
    if not path.exists():
        return None
    study = json.loads(path.read_text(encoding="utf-8"))
    same_settings = {k: study["settings"].get(k) for k in settings} == settings
    if study.get("data_fingerprint") != data_fingerprint(data) or not same_settings:
        return None
    return study
