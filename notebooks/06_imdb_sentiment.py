# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -kernelspec,-jupytext.text_representation.jupytext_version,-jupytext.text_representation.format_version
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 06 · IMDB sentiment with LSTMs: from raw reviews to a model you can ship
#
# Fifty thousand movie reviews, each one positive or negative: the classic first real task for an
# LSTM. We take them from raw text to a saved model that accepts plain strings, and we keep a
# strong, boring baseline next to every LSTM — TF-IDF with logistic regression — so the final
# comparison is honest, whichever way it goes.
#
# **You will learn**
# - to turn text into integer sequences *inside* the model with `TextVectorization`, and why padding plus masking lets an LSTM read reviews of any length;
# - to batch reviews of similar length together, so the LSTM does not spend most of its time reading padding;
# - to carve the validation set out of the training data and touch the test set once;
# - why `recurrent_dropout` costs speed (it switches off the fused cuDNN kernel on a GPU), measured;
# - to evaluate a classifier completely (accuracy, precision, recall, F1, ROC-AUC, confusion matrix, worst mistakes) against a majority-class and a TF-IDF baseline;
# - to wrap, save, reload and query the model, including bad inputs and word-by-word sentiment.
#
# **Prerequisites:** 04 (the LSTM cell and its gates) and 05 (training an LSTM, early stopping).
#
# **Time to run:** about 12 minutes in the full profile (2 CPU cores, no GPU, nothing else running); under a minute in the smoke profile.

# %% [markdown] tags=["colab-badge"]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/lstm-course/lstm-course/blob/v1.0/notebooks/06_imdb_sentiment.ipynb)

# %% tags=["colab"]
# On Google Colab only: fetch the course at a fixed version and install its helpers package.
# The "colab" extra leaves out tensorflow-cpu and keras, so Colab keeps its own GPU TensorFlow.
# Anywhere else (JupyterLab, CI, `make run`) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess

    REPO_URL = "https://github.com/lstm-course/lstm-course"
    REPO_REF = "v1.0"  # the tag or commit these notebooks belong to
    COURSE = "/content/lstm-course"
    if not os.path.isdir(COURSE):
        subprocess.run(["git", "clone", "--quiet", REPO_URL, COURSE], check=True)
        subprocess.run(["git", "-C", COURSE, "checkout", "--quiet", REPO_REF], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "-e", COURSE + "[colab]"], check=True
    )
    sys.path.insert(0, COURSE)  # importable now, without restarting the runtime
    os.chdir(COURSE + "/notebooks")  # relative paths (images, data, results) as in the repository

# %%
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow is imported

import logging
import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn import metrics
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

import helpers
from helpers.text import plot_prefix_sentiment, predict_proba, prefix_sentiment
from helpers.training import EpochLogger, Timer

logging.getLogger("tensorflow").setLevel(logging.ERROR)  # no retracing notices in the outputs
SEED = helpers.set_seed(42)
print(
    f"profile={helpers.get_profile()}  seed={SEED}  keras {keras.__version__}  tensorflow {tf.__version__}"
)

# %% [markdown]
# ## 1. The data: raw reviews
#
# The Large Movie Review Dataset (Maas et al., 2011) comes as one text file per review, split by
# its authors into a training and a test half with no movie in both. `helpers.load_imdb` reads the
# files, replaces the HTML line breaks (`<br />`) that litter the reviews with spaces, and returns
# a DataFrame with `text` and `label` (1 = positive). The smoke profile uses a small sample.

# %%
train_all = helpers.load_imdb("train")
test = helpers.load_imdb("test")
print(f"train: {len(train_all):,} reviews   test: {len(test):,} reviews")
print(
    f"share of positive reviews  train: {train_all.label.mean():.3f}  test: {test.label.mean():.3f}"
)
print(
    "left over '<br' tags after cleaning:",
    int(train_all.text.str.contains("<br", case=False).sum()),
)
print("\nexample:", train_all.text.iloc[0][:300], "...")

# %% [markdown]
# The classes are balanced, so a model that always answers "positive" is right half of the time —
# the floor every model must clear. (The official archive has 25,000 reviews per split; the copy
# used for the full run lacks a few files that could not be read, so the counts above are what was
# actually used.)
#
# How long are the reviews? We count whitespace tokens; the model's own tokens (after lowercasing
# and stripping punctuation) are almost the same.

# %%
n_tokens = train_all.text.str.split().str.len()
print(n_tokens.describe(percentiles=[0.5, 0.75, 0.9, 0.95]).round(0).to_string())

fig, ax = plt.subplots(figsize=(7, 3))  # extra code
ax.hist(n_tokens.clip(upper=1000), bins=80, color="tab:blue")
for q in (0.5, 0.9):
    ax.axvline(n_tokens.quantile(q), color="k", ls=":")
    ax.text(n_tokens.quantile(q), ax.get_ylim()[1] * 0.9, f" {q:.0%}")
ax.set(
    xlabel="tokens per review (clipped at 1,000)",
    ylabel="reviews",
    title="review length, train split",
)
plt.show()

# %% [markdown]
# Lengths have a long right tail: half the reviews are under about 175 tokens, a few run past
# 1,000. We will read at most $T$ tokens per review and let the rest go; the cost of an LSTM grows
# linearly with $T$ (one step per token), so $T$ is a speed/accuracy knob.
#
# ## 2. Train, validation, test
#
# Model choices (architecture, epochs, the logistic-regression strength) are made on a
# **validation set carved out of the training reviews** (20%, stratified). The test set is used
# once, in section 7, for the final numbers.

# %%
train, val = train_test_split(train_all, test_size=0.2, stratify=train_all.label, random_state=SEED)
y_train, y_val, y_test = train.label.to_numpy(), val.label.to_numpy(), test.label.to_numpy()
print(f"train {len(train):,}   validation {len(val):,}   test {len(test):,} (kept aside)")

# %% [markdown]
# ## 3. Two baselines
#
# **Majority class.** Predict the most frequent training label for everyone.
#
# **TF-IDF + logistic regression.** Each review becomes a sparse vector with one entry per word
# and per word pair (1–2-grams), weighted by
# $\mathrm{tfidf}(w, d) = (1 + \log \mathrm{tf}_{w,d}) \cdot \log\frac{1 + N}{1 + \mathrm{df}_w}$ and
# normalised to length 1; a logistic regression $p = \sigma(\mathbf{w}^\top \mathbf{x} + b)$ then
# weighs them. Word order is lost apart from adjacent pairs — yet on long reviews this is a
# famously hard baseline to beat. The vectorizer is fitted on the training part only.

# %%
majority = int(np.bincount(y_train).argmax())
print(f"majority class = {majority}; validation accuracy {np.mean(y_val == majority):.3f}")

with Timer() as t_tfidf:
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=200_000, sublinear_tf=True)
    Xtr_tfidf, Xval_tfidf = tfidf.fit_transform(train.text), tfidf.transform(val.text)
    logreg_val_acc = {}
    for C in helpers.pick(full=(1.0, 4.0, 16.0), smoke=(4.0,)):
        clf = LogisticRegression(C=C, max_iter=2000).fit(Xtr_tfidf, y_train)
        logreg_val_acc[C] = clf.score(Xval_tfidf, y_val)
best_C = max(logreg_val_acc, key=logreg_val_acc.get)
logreg = LogisticRegression(C=best_C, max_iter=2000).fit(Xtr_tfidf, y_train)
print(
    f"{Xtr_tfidf.shape[1]:,} 1-2-gram features; validation accuracy by C:",
    {c: round(a, 4) for c, a in logreg_val_acc.items()},
    f"-> C={best_C:g}  ({t_tfidf.seconds:.0f} s)",
)

# %% [markdown]
# The TF-IDF model lands far above the majority class on validation. That is the bar.
#
# ## 4. Text to integers, inside the model
#
# An LSTM reads a sequence of vectors. `TextVectorization` lowercases, strips punctuation, splits on
# whitespace and maps each word to its rank in a vocabulary of the `VOCAB` most frequent training
# words (index 1 = unknown word, index 0 = padding). It is **adapted on the training part only**.
# Every sequence is cut or padded with zeros to `SEQ_LEN` tokens so that reviews can be stacked
# into a rectangular array. `SEQ_LEN` = 600 keeps all of about 95% of the training reviews (see the
# length table above); thanks to the batching trick of the next section, the long limit costs little.

# %%
VOCAB = helpers.pick(full=30_000, smoke=5_000)
SEQ_LEN = helpers.pick(full=600, smoke=64)
vectorize = keras.layers.TextVectorization(max_tokens=VOCAB, output_sequence_length=SEQ_LEN)
vectorize.adapt(tf.data.Dataset.from_tensor_slices(train.text.to_numpy()).batch(1024))
vocab = [str(w) for w in vectorize.get_vocabulary()]
ids = vectorize(["This movie was not good, it was GREAT!"]).numpy()[0]
print("first vocabulary entries:", vocab[:12])
print("ids:  ", ids[:12], "...")
print("back: ", " ".join(vocab[i] for i in ids[:10]))

# %% [markdown]
# **Padding is not a limitation of the LSTM.** A recurrence $h_t = f(x_t, h_{t-1})$ can run for any
# number of steps; the fixed length is only a convenience for batching. What matters is that the
# padding does not leak into the answer. With `mask_zero=True` the embedding layer passes a mask
# $m_t \in \{0, 1\}$ along, and at a masked step the LSTM simply carries its state over:
#
# $$h_t = m_t \, \mathrm{LSTM}(x_t, h_{t-1}, c_{t-1}) + (1 - m_t)\, h_{t-1}, \qquad
#   c_t = m_t \, c_t^{\text{new}} + (1 - m_t)\, c_{t-1}.$$
#
# So a padded review gives *exactly* the same result as the unpadded one; without the mask the
# zeros are read as real (meaningless) words. A check with a tiny untrained LSTM:

# %%
# NBVAL_CHECK_OUTPUT
tiny_emb = keras.layers.Embedding(50, 4, mask_zero=True)
tiny_lstm = keras.layers.Bidirectional(keras.layers.LSTM(3))
short = np.array([[7, 3, 9]])
padded = np.array([[7, 3, 9, 0, 0, 0, 0]])
out_short = tiny_lstm(tiny_emb(short)).numpy()
out_padded = tiny_lstm(tiny_emb(padded)).numpy()
no_mask = tiny_lstm(tiny_emb(padded), mask=np.ones_like(padded, dtype=bool)).numpy()
print("masked padding changes nothing:", np.allclose(out_short, out_padded, atol=1e-6))
print("unmasked padding changes the output:", not np.allclose(out_short, no_mask, atol=1e-6))

# %% [markdown]
# For training speed we vectorize each split **once**, outside the model. Later (section 8) we put
# the very same `vectorize` layer in front of the trained network, so the shipped model takes raw
# strings.
#
# **Batches by length.** An LSTM takes one step per position, padding included: the mask makes
# padded steps harmless, not free. Cut to `SEQ_LEN` and stacked at random, a batch is as long as
# its longest review and mostly padding. Instead we sort the reviews by length (plus a little
# random noise, so that batch mates change from epoch to epoch), cut the sorted list into batches,
# trim each batch to its own longest review, and shuffle the *order* of the batches every epoch.
# Training still sees every review once per epoch in a random batch order; only the padding is gone.
# Predictions come back in length order, and `predict_in_order` puts them back in the original order.

# %%
# long-cell: one experiment that runs as a unit
BATCH = 128
X_train, X_val, X_test = (vectorize(df.text.to_numpy()).numpy() for df in (train, val, test))
rng = np.random.default_rng(SEED)


def length_batches(X: np.ndarray, y: np.ndarray, shuffle: bool = False):
    """Yield batches of reviews of similar length, each trimmed to its longest review."""
    lengths = (X != 0).sum(axis=1)  # padding sits at the end, so this is each review's length
    noise = rng.uniform(0, 10, len(X)) if shuffle else 0.0
    order = np.argsort(lengths + noise, kind="stable")
    chunks = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    if shuffle:
        rng.shuffle(chunks)  # random batch order; only the content of a batch is length-sorted
    for idx in chunks:
        yield X[idx, : max(1, lengths[idx].max())], y[idx]


def to_dataset(X: np.ndarray, y: np.ndarray, shuffle: bool = False) -> tf.data.Dataset:
    """A tf.data pipeline over length_batches (re-run, and reshuffled, every epoch)."""
    spec = (tf.TensorSpec((None, None), tf.int64), tf.TensorSpec((None,), tf.int64))
    ds = tf.data.Dataset.from_generator(
        lambda: length_batches(X, y, shuffle), output_signature=spec
    )
    return ds.apply(tf.data.experimental.assert_cardinality(-(-len(X) // BATCH))).prefetch(
        2
    )  # number of batches


def predict_in_order(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """P(positive) for integer sequences, batched by length, returned in the original order."""
    order = np.argsort((X != 0).sum(axis=1), kind="stable")  # the order length_batches uses
    prob = model.predict(to_dataset(X, np.zeros(len(X), dtype="int64")), verbose=0).ravel()
    out = np.empty_like(prob)
    out[order] = prob
    return out


ds_train, ds_val = to_dataset(X_train, y_train, shuffle=True), to_dataset(X_val, y_val)
steps = sum(x.size for x, _ in length_batches(X_train, y_train, shuffle=True))
print(
    f"LSTM steps x reviews per epoch: fixed length {X_train.size:,}   batches by length {steps:,} "
    f"({steps / X_train.size:.0%})"
)
print(
    "padding share: fixed length",
    f"{np.mean(X_train == 0):.2f}",
    "  batches by length",
    f"{1 - np.count_nonzero(X_train) / steps:.2f}",
)
print(
    "lengths of the first batches this epoch:",
    [x.shape[1] for x, _ in ds_train.take(8).as_numpy_iterator()],
)

# %% [markdown]
# ## 5. The speed lesson: `recurrent_dropout`
#
# Keras 3 runs an LSTM layer either through a generic step-by-step loop or, on an NVIDIA GPU,
# through one fused cuDNN kernel that is many times faster. The fused kernel is used only when the
# layer looks exactly like what cuDNN implements — the Keras 3 `LSTM` docstring lists:
#
# 1. `activation="tanh"`; 2. `recurrent_activation="sigmoid"`; 3. `recurrent_dropout=0`;
# 4. `unroll=False`; 5. `use_bias=True`; 6. inputs not masked, or masked with strictly
# right-padded masks (`TextVectorization` pads at the end and our trimmed batches keep that, so
# ours qualify; a review that is all padding sends that batch to the generic loop); 7. eager execution in the outermost context
# (inside `model.fit` this holds; `use_cudnn="auto"` is the default).
#
# `recurrent_dropout` drops units of $h_{t-1}$ with a fresh mask inside every step, which a fused
# kernel cannot do — so setting it silently switches the GPU to the slow path (a classic mistake in
# tutorials). `dropout` on the *inputs* is fine. On a CPU there is no cuDNN, both settings use the
# generic loop, and what we measure is only the extra work of the dropout masks. We time a few
# batches of a one-layer LSTM(64) with a fixed shape (`BATCH` reviews cut to `SPEED_LEN` tokens), so
# this costs seconds, and scale to one epoch of our training set at that length.

# %%
# long-cell: one experiment that runs as a unit
def lstm_classifier(units: int = 64, recurrent_dropout: float = 0.0) -> keras.Model:
    """Embedding (masked) -> one LSTM -> P(positive)."""
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int64"),  # any length: batches differ in length
            keras.layers.Embedding(VOCAB, 64, mask_zero=True),
            keras.layers.LSTM(units, recurrent_dropout=recurrent_dropout),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


N_BATCHES, REPEATS, SPEED_LEN = (
    helpers.pick(full=5, smoke=1),
    helpers.pick(full=3, smoke=1),
    helpers.pick(full=256, smoke=32),
)
n = N_BATCHES * BATCH
few_batches = (
    tf.data.Dataset.from_tensor_slices((X_train[:n, :SPEED_LEN], y_train[:n])).batch(BATCH).cache()
)
timed = {rd: lstm_classifier(recurrent_dropout=rd) for rd in (0.0, 0.2)}
for model in timed.values():
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(
        few_batches.take(1), verbose=0, shuffle=False
    )  # builds and traces the graph: not timed
times = {rd: [] for rd in timed}
for _ in range(
    REPEATS
):  # interleaved repeats; the minimum is the least disturbed by other processes
    for rd, model in timed.items():
        with Timer() as t:
            model.fit(few_batches, verbose=0, shuffle=False)
        times[rd].append(t.seconds / N_BATCHES * len(train) / BATCH)
speed = {f"recurrent_dropout={rd}": min(ts) for rd, ts in times.items()}
print(
    f"seconds per epoch on {len(train):,} reviews x {SPEED_LEN} tokens, this CPU "
    f"(timed on {N_BATCHES} batches, best of {REPEATS}):"
)
for k, v in speed.items():
    print(f"  {k:22s} {v:6.1f} s")

# %% [markdown]
# On this CPU the two times are close: both settings run the same generic loop here, the extra
# dropout masks are cheap next to the matrix products, and the small difference either way is
# mostly noise from the shared machine. On a GPU the gap is the difference between the cuDNN
# kernel and the generic loop — typically several times slower — which is why this course regularises with input `dropout`, dropout after the
# LSTM and early stopping, and leaves `recurrent_dropout` at 0.
#
# ## 6. Three LSTMs (and a pair)
#
# All of them start the same way — an embedding of the `VOCAB` words into $\mathbb{R}^{d}$ with
# masking — and end with one sigmoid unit trained with binary cross-entropy
# $\mathcal{L} = -\frac{1}{N}\sum_n [y_n \log p_n + (1-y_n)\log(1-p_n)]$, Adam, and **early
# stopping on the validation loss** (keep the best epoch's weights).
#
# 1. **LSTM**: one LSTM(64) over 64-dimensional embeddings; its last state $h_T$ (the last *real*
#    word, thanks to the mask) summarises the review.
# 2. **BiLSTM**: a second LSTM reads the review backwards; the two final states are concatenated,
#    so the start of the review is no longer hundreds of steps away from the answer.
#
# To save time these two reference models get at most `MAX_EPOCHS` epochs; the curves further down
# show whether that cap cut them short or whether validation loss was already rising.

# %%
# long-cell: one experiment that runs as a unit
def train_model(model: keras.Model, name: str, max_epochs: int, lr: float = 2e-3) -> dict:
    """Fit with early stopping on validation loss; return the model, history and timing."""
    model.compile(
        optimizer=keras.optimizers.Adam(lr), loss="binary_crossentropy", metrics=["accuracy"]
    )
    logger = EpochLogger(metrics=("loss", "accuracy", "val_loss", "val_accuracy"))
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True)
    print(f"--- {name}: {model.count_params():,} parameters")
    hist = model.fit(
        ds_train,
        validation_data=ds_val,
        epochs=max_epochs,
        callbacks=[logger, stop],
        verbose=0,
        shuffle=False,
    )  # ds_train draws new batches, in a new order, every epoch
    best = int(np.argmin(hist.history["val_loss"]))
    print(
        f"best epoch {best + 1}: val_loss {hist.history['val_loss'][best]:.4f}  "
        f"val_accuracy {hist.history['val_accuracy'][best]:.4f}"
    )
    return {
        "model": model,
        "history": hist.history,
        "epochs_run": len(logger.epoch_times),
        "best_epoch": best + 1,
        "s_per_epoch": float(np.mean(logger.epoch_times)),
    }


MAX_EPOCHS = helpers.pick(full=2, smoke=1)
runs = {}
runs["LSTM"] = train_model(lstm_classifier(), "LSTM", MAX_EPOCHS)

# %%
def bilstm_classifier(units: int = 64) -> keras.Model:
    """Embedding (masked) -> bidirectional LSTM, final states -> P(positive)."""
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int64"),
            keras.layers.Embedding(VOCAB, 64, mask_zero=True),
            keras.layers.Bidirectional(keras.layers.LSTM(units)),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


runs["BiLSTM"] = train_model(bilstm_classifier(), "BiLSTM", MAX_EPOCHS)

# %% [markdown]
# 3. **BiLSTM + pooling**: the BiLSTM returns its state at *every* step, $h_1, \dots, h_T$, and we
#    summarise them over time twice — the maximum of each feature, $z_j = \max_t h_{t,j}$, and the
#    mean, $\bar h_j = \frac{1}{T}\sum_t h_{t,j}$ — both over the real words only. A strong phrase
#    anywhere in the review ("a total waste of time") can now reach the output directly instead of
#    having to survive in the state until the end, and the mean adds the overall tone. This model
#    is regularised harder: `SpatialDropout1D` zeroes whole embedding channels for a review (the
#    same channels at every step), and the dropout after pooling is 0.5; its embeddings are
#    128-dimensional.
#
# Keras' `GlobalAveragePooling1D` respects the mask, but `GlobalMaxPooling1D` does not: the
# bidirectional layer outputs zeros at padded steps, and a feature whose real values are all
# negative would then get the maximum 0 — a result that depends on how much padding a batch
# happens to have. A five-line layer takes the maximum over the real steps only. It is registered
# so that a saved model can be loaded again (section 9).

# %%
@keras.saving.register_keras_serializable(package="course")
class MaskedGlobalMaxPool(keras.layers.Layer):
    """Maximum over time of each feature, ignoring masked (padded) steps."""

    def call(self, x, mask=None):
        if mask is not None:
            x = keras.ops.where(keras.ops.expand_dims(mask, -1), x, -1e9)
        return keras.ops.max(x, axis=1)

    def compute_mask(self, x, mask=None):
        return None


def bilstm_pool_classifier(units: int = 64, dim: int = 128, dropout: float = 0.5) -> keras.Model:
    """Embedding (masked) -> spatial dropout -> BiLSTM over all steps -> [max, mean] -> dropout -> P(positive)."""
    tokens = keras.Input((None,), dtype="int64")
    x = keras.layers.Embedding(VOCAB, dim, mask_zero=True)(tokens)
    x = keras.layers.SpatialDropout1D(0.3)(x)  # keeps the mask
    states = keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True))(x)
    pooled = keras.layers.Concatenate()(
        [MaskedGlobalMaxPool()(states), keras.layers.GlobalAveragePooling1D()(states)]
    )
    out = keras.layers.Dense(1, activation="sigmoid")(keras.layers.Dropout(dropout)(pooled))
    return keras.Model(tokens, out)


POOL_EPOCHS = helpers.pick(full=3, smoke=1)
runs["BiLSTM + pooling"] = train_model(bilstm_pool_classifier(), "BiLSTM + pooling", POOL_EPOCHS)

# %% [markdown]
# 4. **A pair of them.** Neural networks trained from different random starts make partly
#    different mistakes. We train the same BiLSTM + pooling once more with another seed and
#    average the two models' probabilities, $p = \frac{1}{2}(p^{(1)} + p^{(2)})$. It is still an
#    LSTM model — two of them, reading the same words — at twice the cost.

# %%
helpers.set_seed(SEED + 1)
runs["BiLSTM + pooling (seed 2)"] = train_model(
    bilstm_pool_classifier(), "BiLSTM + pooling (seed 2)", POOL_EPOCHS
)
pair_in = keras.Input((None,), dtype="int64")
pair = keras.Model(
    pair_in,
    keras.layers.Average()(
        [runs[n]["model"](pair_in) for n in ("BiLSTM + pooling", "BiLSTM + pooling (seed 2)")]
    ),
)
models = {name: run["model"] for name, run in runs.items()} | {"BiLSTM + pooling, pair": pair}

# %% [markdown]
# The training curves, with the validation loss that early stopping watched:

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))  # extra code
for name, run in runs.items():
    epochs = np.arange(1, run["epochs_run"] + 1)
    for ax, key in zip(axes, ("loss", "accuracy"), strict=False):
        (line,) = ax.plot(epochs, run["history"][key], "o-", ms=3, alpha=0.6)
        ax.plot(
            epochs, run["history"][f"val_{key}"], "s--", ms=4, color=line.get_color(), label=name
        )
axes[1].axhline(logreg_val_acc[best_C], color="grey", ls=":", label="TF-IDF + LR")
for ax, key in zip(axes, ("loss", "accuracy"), strict=False):
    ax.set(xlabel="epoch", ylabel=key, title=f"{key}: train (solid) vs validation (dashed)")
    ax.grid(alpha=0.3)
axes[1].legend(fontsize=8)
plt.show()

# %% [markdown]
# Validation results, the basis for choosing the model we ship. Every model (the pair included)
# predicts the validation reviews with its best weights:

# %%
val_prob = {name: predict_in_order(model, X_val) for name, model in models.items()}
val_table = pd.DataFrame(
    {
        name: {
            "best epoch": runs[name]["best_epoch"] if name in runs else np.nan,
            "epochs run": runs[name]["epochs_run"] if name in runs else np.nan,
            "s / epoch": round(runs[name]["s_per_epoch"], 1) if name in runs else np.nan,
            "val accuracy": round(float(np.mean((p >= 0.5) == y_val)), 4),
        }
        for name, p in val_prob.items()
    }
).T
val_table.loc["TF-IDF + LR", "val accuracy"] = round(logreg_val_acc[best_C], 4)
best_name = max(models, key=lambda n: val_table.loc[n, "val accuracy"])
print(val_table.to_string())
print("chosen on validation accuracy:", best_name)

# %% [markdown]
# ## 7. The test set, once
#
# Now, and only now, every model and both baselines predict the test reviews. For each we report
#
# $$\text{precision} = \frac{TP}{TP + FP}, \quad \text{recall} = \frac{TP}{TP + FN}, \quad
#   F_1 = \frac{2 \cdot \text{precision} \cdot \text{recall}}{\text{precision} + \text{recall}},$$
#
# accuracy, and ROC-AUC — the probability that a random positive review gets a higher score than a
# random negative one (0.5 = chance), which looks at the scores rather than at one threshold.

# %%
def scores(y_true: np.ndarray, prob: np.ndarray) -> dict:
    """Test metrics of P(positive) scores at threshold 0.5."""
    pred = (prob >= 0.5).astype(int)
    return {
        "accuracy": metrics.accuracy_score(y_true, pred),
        "precision": metrics.precision_score(y_true, pred, zero_division=0),
        "recall": metrics.recall_score(y_true, pred),
        "F1": metrics.f1_score(y_true, pred),
        "ROC-AUC": metrics.roc_auc_score(y_true, prob),
    }


test_prob = {
    "majority class": np.full(len(test), float(majority)),
    "TF-IDF + LR": logreg.predict_proba(tfidf.transform(test.text))[:, 1],
}
for name, run in runs.items():
    test_prob[name] = predict_in_order(run["model"], X_test)
test_prob["BiLSTM + pooling, pair"] = (
    test_prob["BiLSTM + pooling"] + test_prob["BiLSTM + pooling (seed 2)"]
) / 2
test_table = pd.DataFrame({name: scores(y_test, p) for name, p in test_prob.items()}).T
print(f"test split: {len(test):,} reviews")
print(test_table.round(4).to_string())

# %%
lstm_names = list(models)
best_lstm_acc, tfidf_acc = (
    test_table.loc[best_name, "accuracy"],
    test_table.loc["TF-IDF + LR", "accuracy"],
)
print(
    f"chosen LSTM ({best_name}): test accuracy {best_lstm_acc:.4f}; TF-IDF + LR: {tfidf_acc:.4f}; "
    f"difference {100 * (best_lstm_acc - tfidf_acc):+.2f} points"
)
print("best test accuracy among the LSTMs:", test_table.loc[lstm_names, "accuracy"].idxmax())

# %% [markdown]
# Read the table with the baselines in mind. All LSTMs are far above the majority class. Whether
# they beat TF-IDF + logistic regression is printed above, not assumed. On IMDB the bag of
# 1–2-grams is a very strong baseline, because reviews are long, sentiment words are strong
# signals, and a linear model over 200,000 sparse features trains to its optimum in seconds. Our
# LSTMs saw each review only a few times, read at most the first `SEQ_LEN` tokens (the TF-IDF model
# reads everything), and learn their word vectors from 20,000 reviews; their advantage — word
# order over long spans — matters less for movie reviews than for many other texts. Note also the
# gap between validation and test accuracy of the LSTMs, printed next: validation reviews come from
# the same movies as the training reviews (the official test set has other movies), so names of
# actors and films are useful cues on validation but not on test. The same caveat applies to model
# choice: a validation split drawn from the training movies is a noisy judge of differences of one
# or two points, so the pick need not be the best LSTM on test.

# %%
gap = pd.DataFrame(
    {
        "validation": val_table.loc[lstm_names, "val accuracy"].astype(float),
        "test": test_table.loc[lstm_names, "accuracy"],
    }
)
gap["test - validation"] = gap["test"] - gap["validation"]
print(gap.round(4).to_string())
print(f"TF-IDF + LR: validation {logreg_val_acc[best_C]:.4f}, test {tfidf_acc:.4f}")

# %% [markdown]
# A closer look at the chosen model: classification report, confusion matrix and ROC curve.

# %%
best_prob = test_prob[best_name]
best_pred = (best_prob >= 0.5).astype(int)
print(f"{best_name}, test split ({len(test):,} reviews)")
print(
    metrics.classification_report(
        y_test, best_pred, target_names=["negative", "positive"], digits=4
    )
)
helpers.plot_confusion_matrix(y_test, best_pred, title=f"{best_name}, test (n={len(test):,})")
plt.show()

# %%
fig, ax = plt.subplots(figsize=(4.8, 4.2))  # extra code
for name in ["TF-IDF + LR", *lstm_names]:
    fpr, tpr, _ = metrics.roc_curve(y_test, test_prob[name])
    ax.plot(fpr, tpr, label=f"{name} (AUC {test_table.loc[name, 'ROC-AUC']:.3f})")
ax.plot([0, 1], [0, 1], "k:", label="chance / majority class")
ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC, test split")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# The most confidently wrong test reviews of the chosen model — the errors with the largest
# $|p - y|$. They are worth reading: sarcasm, a positive plot summary followed by a negative
# verdict beyond the first `SEQ_LEN` tokens, or reviews whose label itself looks debatable.

# %%
wrong = test.assign(p_positive=best_prob, error=np.abs(best_prob - y_test))
wrong = wrong[best_pred != y_test].sort_values("error", ascending=False)
print(f"{len(wrong):,} errors out of {len(test):,} test reviews; the most confident ones:")
for _, row in wrong.head(4).iterrows():
    n_tok = len(row.text.split())
    print(
        f"\nlabel {row.label}  P(positive) {row.p_positive:.3f}  ({n_tok} tokens)\n  {row.text[:350]}..."
    )

# %% [markdown]
# ## 8. A model that takes raw strings
#
# The trained network expects integer sequences. We stack the adapted `vectorize` layer in front
# of it: the result maps a batch of strings straight to $P(\text{positive})$, with its vocabulary
# saved inside. `helpers.text.predict_proba` adds the checks a user-facing function needs: one
# string or a list, clear errors for `None`, empty or non-string inputs, and very long inputs cut
# (the model reads only its first `SEQ_LEN` tokens anyway).

# %%
text_in = keras.Input(shape=(), dtype="string", name="review")
end_to_end = keras.Model(text_in, models[best_name](vectorize(text_in)), name="imdb_sentiment")


def predict(texts) -> np.ndarray:
    """P(positive) for one review or a list of reviews (raw strings)."""
    return predict_proba(end_to_end, texts)


# the string model reproduces the integer pipeline on the test reviews
print(
    "string model agrees with the integer pipeline:",
    np.allclose(predict(test.text.iloc[:64].tolist()), best_prob[:64], atol=1e-5),
)

# %%
my_reviews = [
    "A wonderful, moving film. The cast is superb and I would happily watch it again.",
    "Two hours of my life I will never get back. Dull, predictable and badly acted.",
    "The first half drags, but the ending is brilliant and it stayed with me for days.",
    "I expected to hate it, and I did.",
    "Not bad at all.",
]
for text, p in zip(my_reviews, predict(my_reviews), strict=False):
    print(f"{p:.3f}  {'positive' if p >= 0.5 else 'negative'}  {text}")

# %% [markdown]
# Short sentences that hinge on negation or irony, like the last two (the first of them is
# negative, the second positive), are where a model trained on long reviews is least reliable;
# compare its answers above with your own reading.
#
# Bad inputs fail early with a message that says what is wrong, and a very long input is handled:

# %%
# NBVAL_CHECK_OUTPUT
for bad in [None, "", "   ", ["fine film", 42], [], 3.14]:
    try:
        predict(bad)
    except (TypeError, ValueError) as err:
        print(f"{bad!r:>18} -> {type(err).__name__}: {err}")

# %%
very_long = "The plot is thin but the music is lovely. " * 5_000  # 215,000 characters
print(
    f"{len(very_long):,} characters -> P(positive) = {predict(very_long)[0]:.3f} (one probability, no error)"
)

# %% [markdown]
# **Reading word by word.** Feeding every prefix of a sentence — "The", "The first", "The first
# half", … — shows how the prediction moves as the model reads. Note that a prefix is a complete
# (short) input here, so this shows the model's verdict on each prefix, not its internal state.

# %%
sentence = (
    "The first half is slow and the acting is wooden, but the ending is wonderful and I loved it."
)
table = prefix_sentiment(end_to_end, sentence)
plot_prefix_sentiment(table, title=f"{best_name}: P(positive) after each word")
plt.show()

# %% [markdown]
# ## 9. Save and reload
#
# One `.keras` file holds the architecture, the weights and the `TextVectorization` vocabulary. We
# save to a temporary folder (models never go into the repository), load it back and check that it
# gives the same predictions.

# %%
# NBVAL_CHECK_OUTPUT
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "imdb_sentiment.keras"
    end_to_end.save(path)
    reloaded = keras.models.load_model(path)
probe = my_reviews + test.text.iloc[:32].tolist()
same = np.allclose(predict_proba(reloaded, probe), predict(probe), atol=1e-6)
print("reloaded model gives identical predictions:", same)
print(
    "reloaded vocabulary is the same:", reloaded.get_layer(vectorize.name).get_vocabulary() == vocab
)

# %% [markdown]
# ## 10. Record the results

# %%
# long-cell: one experiment that runs as a unit
models_out = {
    name: {
        **{k: round(float(v), 4) for k, v in test_table.loc[name].items()},
        **(
            {"val_accuracy": float(val_table.loc[name, "val accuracy"])}
            if name in val_table.index
            else {}
        ),
        **(
            {
                "epochs_run": runs[name]["epochs_run"],
                "best_epoch": runs[name]["best_epoch"],
                "s_per_epoch": round(runs[name]["s_per_epoch"], 1),
            }
            if name in runs
            else {}
        ),
    }
    for name in test_table.index
}
results_file = helpers.record_results(
    "06_imdb_sentiment",
    data_sizes={"train": len(train), "validation": len(val), "test": len(test)},
    headline={
        "chosen_lstm_on_validation": best_name,
        "chosen_lstm_test_accuracy": round(float(best_lstm_acc), 4),
        "chosen_lstm_test_f1": round(float(test_table.loc[best_name, "F1"]), 4),
        "chosen_lstm_test_auc": round(float(test_table.loc[best_name, "ROC-AUC"]), 4),
        "tfidf_lr_test_accuracy": round(float(tfidf_acc), 4),
        "test_reviews": len(test),
    },
    models=models_out,
    seconds_per_epoch_speed_test={k: round(v, 1) for k, v in speed.items()},
    seq_len=SEQ_LEN,
    vocab=VOCAB,
    batch=BATCH,
    batching="by length",
    tfidf_C=best_C,
)

# %% [markdown]
# ## Summary
#
# - Put `TextVectorization` (adapted on the training split only) inside the shipped model, so it takes raw strings and carries its vocabulary in the `.keras` file; vectorize once outside the model for fast training.
# - An LSTM reads sequences of any length; padding is a batching convenience, and `mask_zero=True` makes padded steps carry the state over unchanged.
# - `recurrent_dropout > 0` disables the fused cuDNN kernel on GPUs (as do non-default activations, `unroll=True`, `use_bias=False`, non-right-padded masks); regularise with input dropout, dropout after the LSTM and early stopping instead.
# - Choose models on a validation split from the training data; report test metrics once, next to a majority-class and a TF-IDF + logistic-regression baseline — on IMDB the latter is hard to beat.
# - Padding is harmless with a mask but not free: batching reviews of similar length and trimming each batch to its longest review removes most of the padding, which lets the LSTMs read longer reviews in the same time.
# - Max and mean pooling over the BiLSTM's outputs (over the real words only) let a strong phrase anywhere in a long review reach the classifier directly; averaging two such models trained from different seeds doubles the cost and smooths out the luck of a single training run (compare the pair's rows with its members').
#
# ## Exercises
#
# 1. **Long reviews.** Is the chosen LSTM less accurate on test reviews longer than `SEQ_LEN` tokens (it never reads their end) than on shorter ones? Compare with TF-IDF on the same two groups.
# 2. **What does the baseline look at?** List the 10 most positive and most negative 1–2-grams of the logistic regression. Which of them need word order?
# 3. **Two models are better than one?** Average the LSTM's and the TF-IDF model's probabilities with a weight $w$ chosen on the *validation* split. Does the blend beat both on validation?

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# 1. Accuracy by review length (test split)
full_len = test.text.str.lower().str.split().str.len()
long_mask = (full_len > SEQ_LEN).to_numpy()
for name in (best_name, "TF-IDF + LR"):
    pred = test_prob[name] >= 0.5
    print(
        f"{name:18s} accuracy  short reviews {np.mean(pred[~long_mask] == y_test[~long_mask]):.4f}  "
        f"long reviews {np.mean(pred[long_mask] == y_test[long_mask]):.4f}  "
        f"(long = more than {SEQ_LEN} tokens: {long_mask.mean():.0%} of the test set)"
    )

# %% tags=["solution"]
# 2. The strongest 1-2-grams of the baseline
names = tfidf.get_feature_names_out()
order = np.argsort(logreg.coef_[0])
print("most negative:", ", ".join(names[order[:10]]))
print("most positive:", ", ".join(names[order[-10:][::-1]]))

# %% tags=["solution"]
# 3. Blend LSTM and TF-IDF probabilities; the weight is chosen on validation only
val_lstm = val_prob[best_name]
val_lr = logreg.predict_proba(Xval_tfidf)[:, 1]
weights = np.linspace(0, 1, 11)
val_acc = [np.mean(((w * val_lstm + (1 - w) * val_lr) >= 0.5) == y_val) for w in weights]
w = weights[int(np.argmax(val_acc))]
print(
    "validation accuracy by LSTM weight:",
    {f"{w:.1f}": round(float(a), 4) for w, a in zip(weights, val_acc, strict=False)},
)
print(
    f"chosen w = {w:.1f}: validation accuracy {max(val_acc):.4f} "
    f"(LSTM alone {val_acc[-1]:.4f}, TF-IDF alone {val_acc[0]:.4f})"
)

# %% [markdown] tags=["solution"]
# In solution 2, every two-word entry exists only because of the bigrams: that is all the word
# order the baseline can see. (Solution 1 counts whitespace tokens, a close stand-in for the
# model's own tokens.)

# %% [markdown]
# ## Further reading
#
# - Maas, A. L., Daly, R. E., Pham, P. T., Huang, D., Ng, A. Y., & Potts, C. (2011). *Learning Word Vectors for Sentiment Analysis.* ACL. (The dataset.)
# - Hochreiter, S., & Schmidhuber, J. (1997). *Long Short-Term Memory.* Neural Computation 9(8).
# - Schuster, M., & Paliwal, K. K. (1997). *Bidirectional Recurrent Neural Networks.* IEEE Trans. Signal Processing.
# - Wang, S., & Manning, C. D. (2012). *Baselines and Bigrams: Simple, Good Sentiment and Topic Classification.* ACL. (Why n-gram baselines are hard to beat.)
# - Gal, Y., & Ghahramani, Z. (2016). *A Theoretically Grounded Application of Dropout in Recurrent Neural Networks.* NeurIPS. (Recurrent dropout.)
# - Appleyard, J., Kočiský, T., & Blunsom, P. (2016). *Optimizing Performance of Recurrent Neural Networks on GPUs.* (The fused kernels behind cuDNN.)
