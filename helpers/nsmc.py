"""The NSMC tokenizer race of notebook 07, shared with its seed study (`make seeds-07`).

Introduced in 07 (Korean sentiment on NSMC). The notebook runs the race once (seed 42) and the
seed study (tools/nsmc_seeds.py) runs the very same functions with more seeds, so both train
identical models on identical data: cleaning and de-duplication of the training split only, a
stratified validation split, four tokenizations, one `TextVectorization` + LSTM per tokenizer,
and training under the course protocol (`helpers.training.fit`: early stopping on validation
loss, best weights restored) on length-bucketed batches (`helpers.batching`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import korean, subword
from .config import pick, repo_root
from .training import Timer

if TYPE_CHECKING:  # keras loads inside the functions that build models
    import keras

RACE = (
    "words",
    "morphemes",
    "syllables",
    "subwords",
)  # the four tokenizers, in the order of the tables
LABELS = {
    "whitespace": "whitespace (raw)",
    "words": "words, punctuation split",
    "morphemes": "Kiwi morphemes",
    "syllables": "syllables",
    "subwords": "BPE subwords",
}
MAX_TOKENS = 20_000  # vocabulary cap of every neural model
LENGTH_QUANTILE = 98  # sequences are cut at this percentile of the training lengths
BATCH = 256
EMBED_DIM, UNITS = 64, 64
LEARNING_RATE, CLIPNORM = 2e-3, 1.0
PATIENCE = 2
STUDY_FILE = Path("results") / "studies" / "07_nsmc_tokenizer_seeds.json"


def max_epochs() -> int:
    """The epoch cap of the race (generous: early stopping is meant to end every run)."""
    return pick(full=15, smoke=1)


def subword_vocab() -> int:
    """Size of the BPE vocabulary learned from the training split."""
    return pick(full=8_000, smoke=2_000)


# ---------------------------------------------------------------- data


@dataclass
class Splits:
    """NSMC after cleaning: the raw training frame, train/val carved from it, the whole test set."""

    train_raw: pd.DataFrame
    train: pd.DataFrame
    val: pd.DataFrame
    test: pd.DataFrame
    counts: dict[str, int]

    def labels(self, split: str) -> np.ndarray:
        """0/1 labels of a split ('train', 'val' or 'test') as int64."""
        return getattr(self, split).label.to_numpy(np.int64)


def dedupe_training(train_raw: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Drop empty reviews, texts seen with both labels and repeated texts (training data only)."""
    if "clean" not in train_raw:
        raise KeyError(
            "Add the cleaned text first: df['clean'] = df.text.map(korean.clean_review)."
        )
    conflicting = train_raw.groupby("clean").label.transform("nunique") > 1
    empty = train_raw.clean == ""
    keep = ~empty & ~conflicting & ~train_raw.clean.duplicated()
    counts = {
        "empty": int(empty.sum()),
        "conflicting_rows": int(conflicting.sum()),
        "dropped": int((~keep).sum()),
    }
    return train_raw[keep], counts


def load_splits(
    n_train: int | None, n_test: int | None, seed: int, val_share: float = 0.1
) -> Splits:
    """Load NSMC, clean every review, de-duplicate the training split, carve a stratified validation split."""
    from sklearn.model_selection import train_test_split

    from .data import load_nsmc

    train_raw = load_nsmc("train").iloc[:n_train].reset_index(drop=True)
    test = load_nsmc("test").iloc[:n_test].reset_index(drop=True)
    train_raw["clean"] = train_raw.text.map(korean.clean_review)
    test["clean"] = test.text.map(korean.clean_review)
    train_all, counts = dedupe_training(train_raw)
    train, val = train_test_split(
        train_all, test_size=val_share, stratify=train_all.label, random_state=seed
    )
    counts.update(
        train_raw=len(train_raw),
        train_all=len(train_all),
        train=len(train),
        val=len(val),
        test=len(test),
        test_empty=int((test.clean == "").sum()),
    )
    return Splits(train_raw, train, val, test, counts)


# ---------------------------------------------------------------- tokenizers


def tokenizer(
    name: str, subword_model: subword.SubwordModel | None = None
) -> Callable[[str], list[str]]:
    """The tokens of one cleaned review for a race tokenizer (or 'whitespace')."""
    if name == "whitespace":
        return korean.whitespace_tokens
    if name == "words":
        return korean.whitespace_punct_tokens
    if name == "syllables":
        return korean.syllable_tokens
    if name == "morphemes":
        return lambda text: korean.kiwi_morphemes(text, num_workers=1)[0].split()
    if name == "subwords":
        if subword_model is None:
            raise ValueError(
                "The 'subwords' tokenizer needs the trained subword model: tokenizer('subwords', model)."
            )
        return subword_model.pieces
    raise ValueError(f"Unknown tokenizer {name!r}; use one of {('whitespace', *RACE)}.")


def preprocess(
    name: str, subword_model: subword.SubwordModel | None = None
) -> Callable[[str], str]:
    """Raw review -> cleaned -> tokens joined by spaces: what the exported model expects as input."""
    tokens = tokenizer(name, subword_model)
    return lambda text: korean.join_tokens(tokens(korean.clean_review(text)))


@dataclass
class Tokenized:
    """Space-joined tokens of every split for each tokenizer, with the time each took."""

    docs: dict[str, dict[str, list[str]]]
    seconds: dict[str, float]
    subword_model: subword.SubwordModel
    kiwi_info: dict[str, Any] = field(default_factory=dict)


def tokenize_all(splits: Splits) -> Tokenized:
    """Tokenize every review five ways (raw whitespace + the four race tokenizers), timing each.

    Kiwi goes through the disk cache (`korean.kiwi_morphemes_cached`); its time is the stored
    cold time. The BPE model is trained on the training split only (not validation, not test).
    """
    raw = pd.concat([splits.train_raw.clean, splits.test.clean], ignore_index=True).tolist()
    n_tr = len(splits.train_raw)
    full: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    for name in ("whitespace", "words", "syllables"):
        tok = tokenizer(name)
        with Timer() as t:
            full[name] = [korean.join_tokens(tok(s)) for s in raw]
        seconds[name] = t.seconds
    morph_train, info_train = korean.kiwi_morphemes_cached(splits.train_raw.clean.tolist())
    morph_test, info_test = korean.kiwi_morphemes_cached(splits.test.clean.tolist())
    full["morphemes"] = morph_train + morph_test
    seconds["morphemes"] = float(info_train["seconds"]) + float(info_test["seconds"])
    with Timer() as t:
        model = subword.train_subword(splits.train.clean.tolist(), subword_vocab())
        full["subwords"] = model.encode(raw)
    seconds["subwords"] = t.seconds
    docs = {
        name: {
            "train": [d[i] for i in splits.train.index],
            "val": [d[i] for i in splits.val.index],
            "test": d[n_tr:],
        }
        for name, d in full.items()
    }
    kiwi = {
        "cold_seconds": seconds["morphemes"],
        "hit": bool(info_train["hit"] and info_test["hit"]),
    }
    return Tokenized(docs, seconds, model, kiwi)


# ---------------------------------------------------------------- model and training


def max_length(train_docs: list[str]) -> int:
    """The sequence cut: the LENGTH_QUANTILE-th percentile of the training lengths (at least 1)."""
    return max(1, int(np.percentile([len(d.split()) for d in train_docs], LENGTH_QUANTILE)))


def make_vectorizer(train_docs: list[str], maxlen: int) -> keras.layers.TextVectorization:
    """A whitespace TextVectorization layer (at most MAX_TOKENS tokens) fitted on training documents only."""
    import keras
    import tensorflow as tf

    vec = keras.layers.TextVectorization(
        max_tokens=MAX_TOKENS, standardize=None, split="whitespace", output_sequence_length=maxlen
    )
    vec.adapt(tf.constant(train_docs))
    return vec


def make_lstm(vocab_size: int, embed_dim: int = EMBED_DIM, units: int = UNITS) -> keras.Model:
    """Embedding (0 = padding, masked) -> LSTM -> sigmoid; Adam with gradient clipping, compiled."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int64"),
            keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True),
            keras.layers.LSTM(units),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE, clipnorm=CLIPNORM),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


@dataclass
class RaceRun:
    """One tokenizer's LSTM: the training run, its vectorizer and its validation/test probabilities."""

    tokenizer: str
    seed: int
    run: Any  # helpers.training.Run
    vectorizer: Any
    maxlen: int
    prob_val: np.ndarray
    prob_test: np.ndarray

    def record(self, y_val: np.ndarray, y_test: np.ndarray) -> dict[str, Any]:
        """JSON-ready summary: accuracies at threshold 0.5, epochs, timing."""
        return {
            "seed": self.seed,
            "tokenizer": self.tokenizer,
            "maxlen": self.maxlen,
            "val_accuracy": float(np.mean((self.prob_val >= 0.5) == y_val)),
            "test_accuracy": float(np.mean((self.prob_test >= 0.5) == y_test)),
            **self.run.summary(),
        }


def train_race(
    name: str, tok: Tokenized, splits: Splits, seed: int, *, quiet: bool = False
) -> RaceRun:
    """Vectorize one tokenization (fitted on train), train the race LSTM to early stopping, predict val and test."""
    import tensorflow as tf

    from .batching import bucket_by_length, predict_by_length
    from .config import set_seed
    from .training import fit

    docs = tok.docs[name]
    maxlen = max_length(docs["train"])
    vec = make_vectorizer(docs["train"], maxlen)
    X = {s: vec(tf.constant(docs[s])).numpy() for s in ("train", "val", "test")}
    y_train, y_val = splits.labels("train"), splits.labels("val")
    set_seed(seed)
    model = make_lstm(vec.vocabulary_size())
    run = fit(
        model,
        bucket_by_length(X["train"], y_train, BATCH, seed=seed),
        bucket_by_length(X["val"], y_val, BATCH, seed=seed, shuffle=False),
        epochs=max_epochs(),
        patience=PATIENCE,
        name=f"{name} (seed {seed})",
        quiet=quiet,
        log_metrics=("loss", "val_loss", "val_accuracy"),
    )
    prob_val = predict_by_length(run.model, X["val"], 1024)
    prob_test = predict_by_length(run.model, X["test"], 1024)
    return RaceRun(name, seed, run, vec, maxlen, prob_val, prob_test)


# ---------------------------------------------------------------- the seed study's file


def study_settings(splits: Splits) -> dict[str, Any]:
    """What must match between the notebook and the seed study for their numbers to be combined."""
    from .config import get_profile

    return {
        "profile": get_profile(),
        "data": splits.counts,
        "max_tokens": MAX_TOKENS,
        "batch": BATCH,
        "embed_dim": EMBED_DIM,
        "units": UNITS,
        "learning_rate": LEARNING_RATE,
        "clipnorm": CLIPNORM,
        "patience": PATIENCE,
        "max_epochs": max_epochs(),
        "subword_vocab": subword_vocab(),
        "length_quantile": LENGTH_QUANTILE,
    }


def study_path() -> Path:
    """Where the seed study is stored in the repository (results/studies/, next to the notebook results)."""
    return repo_root() / STUDY_FILE


def load_study(path: Path | None = None) -> dict[str, Any] | None:
    """The seed study's JSON, or None if it has not been run (`make seeds-07`)."""
    path = path or study_path()
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
