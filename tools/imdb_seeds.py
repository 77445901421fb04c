"""Seed study of notebook 06: the three IMDB classifiers with seeds 43 and 44, and the LSTM
without gradient clipping (seed 42), written to results/studies/06_imdb_seeds.json.

    make seeds-06        # about 20 minutes on 2 CPU cores, full data; the notebook reads the JSON

The data preparation repeats the notebook's (same split, same vocabulary); the JSON carries a
fingerprint of the arrays and the settings, and the notebook uses it only when both match.
"""

from __future__ import annotations

import helpers  # isort: skip  (first: sets TensorFlow's environment before it loads)

import json
import time

import keras
import tensorflow as tf
from sklearn.model_selection import train_test_split

from helpers.config import repo_root
from helpers.sentiment import FULL_SETTINGS, SMOKE_SETTINGS, STUDY_SEEDS, seed_study

SEED = 42


def prepare(settings: dict) -> dict:
    """The notebook's data: 80/20 stratified split of train, TextVectorization adapted on train."""
    train_all, test = helpers.load_imdb("train"), helpers.load_imdb("test")
    n_max = helpers.pick(full=None, smoke=600)
    train_all, test = train_all.iloc[:n_max], test.iloc[:n_max]
    train, val = train_test_split(
        train_all, test_size=0.2, stratify=train_all.label, random_state=SEED
    )
    vectorize = keras.layers.TextVectorization(
        max_tokens=settings["vocab"], output_sequence_length=settings["seq_len"]
    )
    vectorize.adapt(tf.data.Dataset.from_tensor_slices(train.text.to_numpy()).batch(1024))
    data = {
        f"X_{k}": vectorize(df.text.to_numpy()).numpy()
        for k, df in (("train", train), ("val", val), ("test", test))
    }
    return data | {
        "y_train": train.label.to_numpy(),
        "y_val": val.label.to_numpy(),
        "y_test": test.label.to_numpy(),
    }


def main() -> None:
    helpers.setup(seed=SEED)
    settings = helpers.pick(full=FULL_SETTINGS, smoke=SMOKE_SETTINGS)
    start = time.perf_counter()
    study = seed_study(prepare(settings), settings=settings, seeds=STUDY_SEEDS, unclipped_seed=SEED)
    study["seconds"] = round(time.perf_counter() - start)
    study["profile"] = helpers.get_profile()
    study["command"] = "make seeds-06"
    if helpers.is_smoke():
        print(
            f"smoke profile: {len(study['runs'])} runs done in {study['seconds']} s; nothing written"
        )
        return
    out = repo_root() / "results" / "studies" / "06_imdb_seeds.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(study, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)
    print(f"wrote results/studies/{out.name} ({study['seconds']} s)")


if __name__ == "__main__":
    main()
