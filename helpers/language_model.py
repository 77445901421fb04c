"""Character language models: Tiny Shakespeare, a char vocabulary, chunking for truncated BPTT,
a Kneser–Ney n-gram baseline, bits per character, sampling and a small Keras LSTM/GRU trainer.

Introduced in notebook 09; notebook 10 tunes `train_char_lm` on validation bits per character.
Keras is imported inside the functions that need it, so `import helpers` stays light.
"""

from __future__ import annotations

import gzip
import hashlib
import lzma
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # keras loads lazily, inside the functions that need it
    import keras

SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
SHAKESPEARE_CHARS = 1_115_394
SHAKESPEARE_URL = (
    "https://raw.githubusercontent.com/karpathy/char-rnn/"
    "6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e/data/tinyshakespeare/input.txt"
)
LN2 = math.log(2.0)


# ---------------------------------------------------------------- data


def load_shakespeare(path: str | Path | None = None) -> str:
    """Tiny Shakespeare (1,115,394 characters, public domain), from the copy bundled in helpers.

    The decompressed text is checked against its published sha256 before it is returned.
    `path` may point to another copy (plain text or .gz) of the same file.
    """
    source = (
        Path(path)
        if path is not None
        else Path(str(resources.files("helpers") / "samples" / "tinyshakespeare.txt.gz"))
    )
    if not source.exists():
        raise FileNotFoundError(
            f"{source.name} not found. Reinstall the course helpers (`make venv`) or download the text "
            f"from {SHAKESPEARE_URL} and pass its path: load_shakespeare(path)."
        )
    raw = gzip.decompress(source.read_bytes()) if source.suffix == ".gz" else source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHAKESPEARE_SHA256:
        raise ValueError(
            f"{source.name}: sha256 {digest[:12]}… does not match the published {SHAKESPEARE_SHA256[:12]}… "
            "(the file is damaged or a different version). Restore it with `git checkout` of the course, "
            f"or download the pinned text from {SHAKESPEARE_URL}."
        )
    return raw.decode("utf-8")


def split_text(
    text: str, fractions: tuple[float, float, float] = (0.9, 0.05, 0.05)
) -> tuple[str, str, str]:
    """Cut a text by position into (train, validation, test); never shuffled."""
    if not text:
        raise ValueError("empty text: nothing to split")
    if (
        len(fractions) != 3
        or any(f <= 0 for f in fractions)
        or not math.isclose(sum(fractions), 1.0)
    ):
        raise ValueError(f"fractions must be three positive numbers summing to 1, got {fractions}")
    a = round(len(text) * fractions[0])
    b = round(len(text) * (fractions[0] + fractions[1]))
    return text[:a], text[a:b], text[b:]


@dataclass(frozen=True)
class CharVocab:
    """A character vocabulary: sorted distinct characters, ids 0..V-1."""

    chars: tuple[str, ...]

    @classmethod
    def from_text(cls, text: str | Sequence[str]) -> CharVocab:
        """The sorted distinct symbols of `text` (a string, or a sequence of tokens such as syllables)."""
        if len(text) == 0:
            raise ValueError("empty text: cannot build a vocabulary")
        return cls(tuple(sorted(set(text))))

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {c: i for i, c in enumerate(self.chars)})

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str | Sequence[str]) -> np.ndarray:
        """Ids of every symbol of `text` (int32); unknown symbols raise a ValueError naming them."""
        if len(text) == 0:
            raise ValueError("empty text: nothing to encode")
        index = self._index  # type: ignore[attr-defined]
        try:
            return np.fromiter((index[c] for c in text), dtype=np.int32, count=len(text))
        except KeyError:
            unknown = sorted({c for c in text if c not in index})
            raise ValueError(
                f"{len(unknown)} symbol(s) not in the vocabulary: {unknown[:10]!r}. Build the vocabulary "
                "from the training text and remove or replace these symbols first."
            ) from None

    def decode(self, ids: Sequence[int] | np.ndarray) -> str:
        """The text of a sequence of ids."""
        return "".join(self.chars[int(i)] for i in ids)


def random_chunks(
    ids: np.ndarray, seq_len: int, n: int, *, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """n chunks at random positions: inputs ids[s:s+T] and targets ids[s+1:s+T+1] (stateless training)."""
    ids = np.asarray(ids)
    if len(ids) < seq_len + 1:
        raise ValueError(f"text of {len(ids)} symbols is too short for chunks of {seq_len} (+1)")
    starts = np.random.default_rng(seed).integers(0, len(ids) - seq_len, size=n)
    idx = starts[:, None] + np.arange(seq_len)[None, :]
    return ids[idx], ids[idx + 1]


def stream_batches(
    ids: np.ndarray, seq_len: int, batch_size: int, *, offset: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive-stream batches for stateful training/evaluation.

    The text (from `offset`) is cut into `batch_size` contiguous streams; batch k holds chunk k of
    every stream, so row j of batch k+1 continues row j of batch k. Returns X, Y of shape
    (n_batches * batch_size, seq_len), ready for `fit(..., batch_size=batch_size, shuffle=False)`.
    """
    ids = np.asarray(ids)[offset:]
    n_batches = (len(ids) - 1) // (batch_size * seq_len)
    if n_batches < 1:
        raise ValueError(
            f"text of {len(ids)} symbols is too short for {batch_size} streams of {seq_len}"
        )
    span = n_batches * seq_len
    x = ids[: batch_size * span].reshape(batch_size, n_batches, seq_len)
    y = ids[1 : batch_size * span + 1].reshape(batch_size, n_batches, seq_len)
    # (streams, batches, T) -> (batches, streams, T) -> rows in the order fit() slices them
    return x.transpose(1, 0, 2).reshape(-1, seq_len), y.transpose(1, 0, 2).reshape(-1, seq_len)


# ---------------------------------------------------------------- metrics


def bits_per_char(nll_nats: np.ndarray | float) -> float:
    """Mean negative log-likelihood in nats → bits per character (divide by ln 2)."""
    return float(np.mean(nll_nats)) / LN2


def perplexity(nll_nats: np.ndarray | float) -> float:
    """exp(mean negative log-likelihood in nats) = 2 ** bits per character."""
    return float(np.exp(np.mean(nll_nats)))


def chunk_means(values: np.ndarray, size: int) -> np.ndarray:
    """Mean of consecutive blocks of `size` values (the incomplete last block is dropped)."""
    values = np.asarray(values, dtype=float)
    n = len(values) // size
    if n < 1:
        raise ValueError(f"{len(values)} values make no block of {size}")
    return values[: n * size].reshape(n, size).mean(axis=1)


def lzma_bpc(text: str, context: str = "") -> float:
    """Bits per character of xz/LZMA (preset 9e) on `text`; with `context`, the extra bits after it."""
    if not text:
        raise ValueError("empty text")

    def size(s: str) -> int:
        return len(lzma.compress(s.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME)) if s else 0

    return 8.0 * (size(context + text) - size(context)) / len(text)


# ---------------------------------------------------------------- n-gram baseline


class KneserNeyLM:
    """Interpolated Kneser–Ney character n-gram model (Chen & Goodman 1999), one discount per level.

    `fit(ids)` counts every n-gram up to `max_order`; `nll(ids, order)` scores any order <= max_order
    without refitting. Order n conditions on the previous n-1 symbols; the lowest level is
    interpolated with the uniform distribution, so unseen symbols get a non-zero probability.
    """

    def __init__(self, vocab_size: int, max_order: int = 8) -> None:
        if vocab_size < 2:
            raise ValueError("vocab_size must be at least 2")
        if max_order < 1:
            raise ValueError("max_order must be at least 1")
        if float(vocab_size) ** max_order >= 2.0**62:
            raise ValueError(
                f"{vocab_size}^{max_order} n-gram codes overflow int64; lower max_order"
            )
        self.V, self.max_order = int(vocab_size), int(max_order)
        self._tables: dict[tuple[str, int], dict[str, np.ndarray | float]] = {}

    def _codes(self, ids: np.ndarray, m: int) -> np.ndarray:
        code = np.zeros(len(ids) - m + 1, dtype=np.int64)
        for j in range(m):
            code = code * self.V + ids[j : len(ids) - m + 1 + j]
        return code

    def _table(self, grams: np.ndarray, counts: np.ndarray) -> dict[str, np.ndarray | float]:
        n1, n2 = int(np.sum(counts == 1)), int(np.sum(counts == 2))
        discount = n1 / (n1 + 2 * n2) if n1 > 0 else 0.5  # Ney's estimate; 0.5 keeps every p > 0
        ctx, starts = np.unique(grams // self.V, return_index=True)
        totals = np.add.reduceat(counts, starts)
        types = np.diff(np.append(starts, len(grams)))
        return {
            "grams": grams,
            "counts": counts.astype(float),
            "ctx": ctx,
            "totals": totals.astype(float),
            "types": types.astype(float),
            "D": discount,
        }

    def fit(self, ids: np.ndarray) -> KneserNeyLM:
        """Count raw n-grams (top level) and continuation counts (lower levels) from training ids."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) <= self.max_order:
            raise ValueError(
                f"training text of {len(ids)} symbols is too short for order {self.max_order}"
            )
        if ids.min() < 0 or ids.max() >= self.V:
            raise ValueError(f"ids must lie in [0, {self.V})")
        for m in range(1, self.max_order + 1):
            grams, counts = np.unique(self._codes(ids, m), return_counts=True)
            self._tables[("raw", m)] = self._table(grams, counts)
            # continuation count of an m-gram: the number of distinct symbols seen before it
            if m < self.max_order:
                longer = np.unique(self._codes(ids, m + 1))
                grams_c, counts_c = np.unique(longer % self.V**m, return_counts=True)
                self._tables[("cont", m)] = self._table(grams_c, counts_c)
        return self

    def _check(self, order: int) -> None:
        if not self._tables:
            raise RuntimeError("call fit(train_ids) first")
        if not 1 <= order <= self.max_order:
            raise ValueError(f"order must be in 1..{self.max_order}, got {order}")

    @staticmethod
    def _lookup(keys: np.ndarray, values: np.ndarray, table_keys: np.ndarray) -> np.ndarray:
        pos = np.clip(np.searchsorted(table_keys, keys), 0, len(table_keys) - 1)
        found = table_keys[pos] == keys
        return np.where(found, values[pos], 0.0)

    def _prob(self, windows: np.ndarray, history: np.ndarray, order: int) -> np.ndarray:
        """P(last column | up to order-1 previous columns) for rows of `windows` (n, order)."""
        p = np.full(len(windows), 1.0 / self.V)
        for m in range(1, order + 1):  # m-gram level: context of m-1 symbols
            t: dict[str, Any] = self._tables[("raw" if m == order else "cont", m)]
            gram = np.zeros(len(windows), dtype=np.int64)
            for j in range(order - m, order):
                gram = gram * self.V + windows[:, j]
            c = self._lookup(gram, t["counts"], t["grams"])
            if m == 1:
                total, types = (
                    np.full(len(windows), t["totals"][0]),
                    np.full(len(windows), t["types"][0]),
                )
            else:
                total = self._lookup(gram // self.V, t["totals"], t["ctx"])
                types = self._lookup(gram // self.V, t["types"], t["ctx"])
            usable = (total > 0) & (history >= m - 1)
            safe = np.where(total > 0, total, 1.0)
            p_m = (np.maximum(c - t["D"], 0.0) + t["D"] * types * p) / safe
            p = np.where(usable, p_m, p)
        return p

    def nll(self, ids: np.ndarray, order: int) -> np.ndarray:
        """Negative log-likelihood (nats) of ids[1:], each symbol given the symbols before it in `ids`."""
        self._check(order)
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) < 2:
            raise ValueError("need at least 2 symbols to score")
        padded = np.concatenate([np.zeros(order - 1, dtype=np.int64), ids])
        windows = np.lib.stride_tricks.sliding_window_view(padded, order)[1:]
        history = np.arange(1, len(ids))
        return -np.log(self._prob(windows, history, order))

    def next_probs(self, context: Sequence[int] | np.ndarray, order: int) -> np.ndarray:
        """The distribution over all V next symbols after `context` (may be shorter than order-1)."""
        self._check(order)
        ctx = (
            np.asarray(context, dtype=np.int64)[-(order - 1) :]
            if order > 1
            else np.zeros(0, np.int64)
        )
        window = np.concatenate([np.zeros(order - 1 - len(ctx), dtype=np.int64), ctx])
        windows = (
            np.column_stack([np.tile(window, (self.V, 1)), np.arange(self.V)])
            if order > 1
            else np.arange(self.V)[:, None]
        )
        return self._prob(windows, np.full(self.V, len(ctx)), order)


# ---------------------------------------------------------------- sampling


def softmax_with_temperature(
    logits: np.ndarray, temperature: float = 1.0, top_k: int | None = None
) -> np.ndarray:
    """softmax(logits / temperature) over the last axis, keeping only the top_k largest logits if given."""
    if not temperature > 0:
        raise ValueError(
            f"temperature must be > 0 (got {temperature}); use a small value such as 1e-3 for greedy"
        )
    z = np.asarray(logits, dtype=np.float64) / temperature
    if top_k is not None:
        if not 1 <= top_k <= z.shape[-1]:
            raise ValueError(f"top_k must be in 1..{z.shape[-1]}, got {top_k}")
        kth = np.sort(z, axis=-1)[..., -top_k][..., None]
        z = np.where(z >= kth, z, -np.inf)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def sample_next(
    logits: np.ndarray, rng: np.random.Generator, temperature: float = 1.0, top_k: int | None = None
) -> int:
    """Draw one id from softmax(logits / temperature), restricted to the top_k logits if given."""
    p = softmax_with_temperature(logits, temperature, top_k)
    return int(rng.choice(len(p), p=p))


# ---------------------------------------------------------------- Keras models


@dataclass
class LMConfig:
    """Everything that defines one character-LM training run (model + optimisation)."""

    units: int = 256
    layers: int = 1
    embed_dim: int = 32
    dropout: float = 0.0
    input_dropout: float = 0.0  # on the character embeddings, before the first recurrent layer
    cell: str = "lstm"
    seq_len: int = 100
    batch_size: int = 64
    learning_rate: float = 3e-3
    clipnorm: float = 1.0
    stateful: bool = False
    jit_compile: bool = True  # XLA; Keras ignores it (with a warning) while TF op determinism is on
    cosine_decay: bool = False  # decay the learning rate to 10 % over the whole epoch budget

    def as_dict(self) -> dict[str, Any]:
        """The config as a plain dict (for results JSON)."""
        return asdict(self)


def build_char_lm(
    vocab_size: int,
    *,
    units: int = 256,
    layers: int = 1,
    embed_dim: int = 32,
    dropout: float = 0.0,
    input_dropout: float = 0.0,
    cell: str = "lstm",
    stateful: bool = False,
    batch_size: int | None = None,
) -> keras.Model:
    """Embedding [→ Dropout] → `layers` × LSTM/GRU(return_sequences=True) [→ Dropout] → Dense(vocab) logits.

    With stateful=True the batch size is fixed (`batch_size`) and each layer keeps its final state
    as the initial state of the next batch, until `reset_char_lm_states(model)`.
    """
    import keras

    if cell not in ("lstm", "gru"):
        raise ValueError(f"cell must be 'lstm' or 'gru', got {cell!r}")
    if stateful and not batch_size:
        raise ValueError("a stateful model needs a fixed batch_size")
    if (
        layers < 1
        or units < 1
        or embed_dim < 1
        or not (0 <= dropout < 1 and 0 <= input_dropout < 1)
    ):
        raise ValueError(
            "layers, units and embed_dim must be >= 1, dropout and input_dropout in [0, 1)"
        )
    rnn = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    inputs = keras.Input(batch_shape=(batch_size, None), dtype="int32", name="chars")
    x = keras.layers.Embedding(vocab_size, embed_dim, name="embed")(inputs)
    if input_dropout:
        x = keras.layers.Dropout(input_dropout, name="input_dropout")(x)
    for i in range(layers):
        x = rnn(units, return_sequences=True, stateful=stateful, name=f"{cell}_{i}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    logits = keras.layers.Dense(vocab_size, name="logits")(x)  # the same Dense at every step
    return keras.Model(inputs, logits, name=f"char_{cell}")


def reset_char_lm_states(model: keras.Model) -> None:
    """Zero the carried state of every stateful recurrent layer of `model`."""
    for layer in model.layers:
        if getattr(layer, "stateful", False):
            layer.reset_state()


def _compile(model: keras.Model, config: LMConfig, total_steps: int = 1) -> None:
    import keras

    lr = config.learning_rate
    if config.cosine_decay:
        lr = keras.optimizers.schedules.CosineDecay(lr, decay_steps=max(1, total_steps), alpha=0.1)
    opt = keras.optimizers.Adam(lr, clipnorm=config.clipnorm or None)
    model.compile(
        opt,
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=config.jit_compile,
    )


def _twin(
    model: keras.Model, config: LMConfig, vocab_size: int, *, stateful: bool, batch_size: int | None
) -> keras.Model:
    twin = build_char_lm(
        vocab_size,
        units=config.units,
        layers=config.layers,
        embed_dim=config.embed_dim,
        dropout=config.dropout,
        cell=config.cell,
        stateful=stateful,
        batch_size=batch_size,
    )
    twin.set_weights(model.get_weights())
    return twin


def _log_softmax_nll(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    logz = np.log(np.exp(z).sum(axis=-1))
    return logz - np.take_along_axis(z, targets[..., None], axis=-1)[..., 0]


def char_nll(
    model: keras.Model,
    ids: np.ndarray,
    *,
    carry_state: bool = True,
    seq_len: int = 100,
    streams: int = 8,
) -> np.ndarray:
    """Negative log-likelihood (nats) of ids[1:] under a char LM, each symbol given the text before it.

    carry_state=True: the text is cut into `streams` contiguous pieces and each piece is read from
    start to end, so the state is carried across every chunk boundary (the same as a stateful model
    fed consecutive chunks). carry_state=False: every chunk of `seq_len` starts from a zero state.
    """
    ids = np.asarray(ids, dtype=np.int32)
    if len(ids) < 2:
        raise ValueError("need at least 2 symbols to score")
    x, y = ids[:-1], ids[1:]
    n = len(x)
    piece = seq_len if not carry_state else -(-n // streams)
    rows = -(-n // piece)
    pad = rows * piece - n
    xs = np.concatenate([x, np.zeros(pad, np.int32)]).reshape(rows, piece)
    ys = np.concatenate([y, np.zeros(pad, np.int32)]).reshape(rows, piece)
    out = np.empty((rows, piece))
    batch = rows if carry_state else 256
    for s in range(0, rows, batch):
        logits = np.asarray(model.predict_on_batch(xs[s : s + batch]), dtype=np.float64)
        out[s : s + batch] = _log_softmax_nll(logits, ys[s : s + batch])
    return out.reshape(-1)[:n]


def evaluate_bpc(model: keras.Model, ids: np.ndarray, **kwargs: Any) -> float:
    """Bits per character of `model` on `ids` (see char_nll for the keyword arguments)."""
    return bits_per_char(char_nll(model, ids, **kwargs))


@dataclass
class LMResult:
    """One training run of a char LM: the model (best validation epoch), its scores and timings."""

    model: Any
    config: LMConfig
    val_bpc: float
    best_epoch: int
    epochs_run: int
    stopped_early: bool
    params: int
    seconds: float
    updates: int
    history: dict[str, list[float]] = field(default_factory=dict)
    epoch_seconds: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready record without the model."""
        return {
            "config": self.config.as_dict(),
            "val_bpc": self.val_bpc,
            "best_epoch": self.best_epoch,
            "epochs_run": self.epochs_run,
            "stopped_early": self.stopped_early,
            "params": self.params,
            "seconds": round(self.seconds, 1),
            "updates": self.updates,
            "history": self.history,
        }


def train_char_lm(
    config: LMConfig,
    train_ids: np.ndarray,
    val_ids: np.ndarray,
    *,
    vocab_size: int | None = None,
    epochs: int = 10,
    steps_per_epoch: int | None = None,
    patience: int = 2,
    seed: int = 0,
    verbose: bool = True,
    prefix: str = "",
) -> LMResult:
    """Train a char LM with truncated BPTT; keep the epoch with the lowest validation bits per char.

    An epoch is `steps_per_epoch` updates of `batch_size` chunks of `seq_len` (default: one pass
    over the training text). Stateless runs draw random chunks; stateful runs read the text as
    `batch_size` consecutive streams (a fresh random offset and zero state every epoch; an epoch
    shorter than one pass reads a run of consecutive batches starting at a random batch). After each
    epoch the validation text is scored with the state carried across chunks; training stops when
    it has not improved for `patience` epochs, and the best epoch's weights are restored.
    """
    import keras

    if patience < 1 or epochs < 1:
        raise ValueError("epochs and patience must be >= 1")
    train_ids, val_ids = np.asarray(train_ids, np.int32), np.asarray(val_ids, np.int32)
    V = int(vocab_size or max(train_ids.max(), val_ids.max()) + 1)
    keras.utils.set_random_seed(seed)
    model = build_char_lm(
        V,
        units=config.units,
        layers=config.layers,
        embed_dim=config.embed_dim,
        dropout=config.dropout,
        input_dropout=config.input_dropout,
        cell=config.cell,
        stateful=config.stateful,
        batch_size=config.batch_size if config.stateful else None,
    )
    B, T = config.batch_size, config.seq_len
    one_pass = max(1, (len(train_ids) - 1) // (B * T))
    steps = steps_per_epoch or one_pass
    _compile(model, config, total_steps=steps * epochs)
    history: dict[str, list[float]] = {"loss": [], "val_bpc": []}
    epoch_seconds: list[float] = []
    best, best_epoch, best_weights, waited, updates = math.inf, 0, None, 0, 0
    t_start = time.perf_counter()
    eval_model = model if not config.stateful else None
    for epoch in range(epochs):
        t0 = time.perf_counter()
        rng = np.random.default_rng([seed, epoch])
        if config.stateful:
            reset_char_lm_states(model)
            X, Y = stream_batches(train_ids, T, B, offset=int(rng.integers(0, T)))
            n_batches = len(X) // B
            # fewer updates than one pass: a random run of consecutive batches, not always the first
            first = int(rng.integers(0, n_batches - steps + 1)) if steps < n_batches else 0
            X, Y = X[first * B : (first + steps) * B], Y[first * B : (first + steps) * B]
        else:
            X, Y = random_chunks(train_ids, T, steps * B, seed=int(rng.integers(2**31)))
        h = model.fit(X, Y, batch_size=B, epochs=1, shuffle=False, verbose=0)
        updates += len(X) // B
        if config.stateful:  # score validation with a stateless twin (same weights, any batch size)
            if eval_model is None:
                eval_model = _twin(model, config, V, stateful=False, batch_size=None)
            eval_model.set_weights(model.get_weights())
        val = evaluate_bpc(eval_model, val_ids, seq_len=T)
        epoch_seconds.append(time.perf_counter() - t0)
        history["loss"].append(float(h.history["loss"][-1]))
        history["val_bpc"].append(val)
        if verbose:
            print(
                f"{prefix}epoch {epoch + 1:2d}  train loss {history['loss'][-1]:.3f} nats "
                f"({history['loss'][-1] / LN2:.3f} bpc)  val {val:.3f} bpc  ({epoch_seconds[-1]:.0f} s)"
            )
        if val < best - 1e-4:
            best, best_epoch, best_weights, waited = val, epoch + 1, model.get_weights(), 0
        else:
            waited += 1
            if waited >= patience:
                break
    model.set_weights(best_weights)
    if config.stateful:  # hand back the stateless twin with the best weights (evaluation, sampling)
        assert eval_model is not None  # built at the first validation
        eval_model.set_weights(best_weights)
        model = eval_model
    epochs_run = len(history["val_bpc"])
    return LMResult(
        model=model,
        config=config,
        val_bpc=best,
        best_epoch=best_epoch,
        epochs_run=epochs_run,
        stopped_early=epochs_run < epochs,
        params=int(model.count_params()),
        seconds=time.perf_counter() - t_start,
        updates=updates,
        history=history,
        epoch_seconds=epoch_seconds,
    )


def seed_study(
    config: LMConfig,
    train_ids: np.ndarray,
    val_ids: np.ndarray,
    test_ids: np.ndarray,
    *,
    vocab_size: int,
    epochs: int,
    seeds: Sequence[int],
    block: int = 250,
    quiet: bool = False,
) -> dict[str, Any]:
    """Train `config` once per seed and score the test text (state carried); a JSON-ready record.

    Per seed: the run summary, the test bits per character and the mean bits of every `block`
    consecutive test characters (for seed-mean intervals and paired tests against a baseline).
    The record carries a fingerprint of the three id arrays and the settings, so that a notebook
    uses it only for exactly its own data and configuration (`load_seed_study`).
    """
    runs = []
    for seed in seeds:
        result = train_char_lm(
            config,
            train_ids,
            val_ids,
            vocab_size=vocab_size,
            epochs=epochs,
            seed=seed,
            verbose=not quiet,
            prefix=f"seed {seed}: ",
        )
        nll = char_nll(result.model, np.asarray(test_ids, np.int32), carry_state=True)
        runs.append(
            {
                "seed": seed,
                **result.summary(),
                "test_bpc": bits_per_char(nll),
                "test_block_bpc": [round(float(b), 6) for b in chunk_means(nll, block) / LN2],
            }
        )
    return {
        "settings": _study_settings(config, epochs, block),
        "fingerprint": _study_key(train_ids, val_ids, test_ids),
        "runs": runs,
    }


def load_seed_study(
    path: str | Path,
    config: LMConfig,
    train_ids: np.ndarray,
    val_ids: np.ndarray,
    test_ids: np.ndarray,
    *,
    epochs: int,
    block: int = 250,
) -> dict[str, Any] | None:
    """The seed study at `path` if it was made with exactly these arrays and settings, else None."""
    import json

    path = Path(path)
    if not path.exists():
        return None
    study = json.loads(path.read_text(encoding="utf-8"))
    same = study.get("settings") == _study_settings(config, epochs, block)
    return (
        study
        if same and study.get("fingerprint") == _study_key(train_ids, val_ids, test_ids)
        else None
    )


def _study_settings(config: LMConfig, epochs: int, block: int) -> dict[str, Any]:
    return {"config": config.as_dict(), "epochs": epochs, "block": block}


def _study_key(*arrays: np.ndarray) -> str:
    from .config import fingerprint

    return fingerprint(*(np.asarray(a, np.int32) for a in arrays))


def generate(
    model: keras.Model,
    vocab: CharVocab,
    prime: str,
    n_chars: int = 200,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    seed: int = 0,
) -> str:
    """Sample `n_chars` symbols after `prime` from a (stateless) char LM, one at a time, carrying the state."""
    if not prime:
        raise ValueError(
            "prime must be a non-empty text (for example a speaker's name and a colon)"
        )
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    import keras

    units = [lay for lay in model.layers if isinstance(lay, keras.layers.RNN)]
    config = LMConfig(
        units=units[0].units,
        layers=len(units),
        embed_dim=model.get_layer("embed").output_dim,
        cell="gru" if isinstance(units[0], keras.layers.GRU) else "lstm",
        dropout=next(
            (lay.rate for lay in model.layers if isinstance(lay, keras.layers.Dropout)), 0.0
        ),
    )
    step_model = _twin(model, config, len(vocab), stateful=True, batch_size=1)
    rng = np.random.default_rng(seed)
    logits = np.asarray(step_model.predict_on_batch(vocab.encode(prime)[None, :]))[0, -1]
    out = []
    for _ in range(n_chars):
        nxt = sample_next(logits, rng, temperature, top_k)
        out.append(nxt)
        logits = np.asarray(step_model.predict_on_batch(np.array([[nxt]], dtype=np.int32)))[0, -1]
    return vocab.decode(out)


def hidden_states(
    model: keras.Model, ids: np.ndarray, layer: int = 0, streams: int = 1
) -> np.ndarray:
    """Hidden state h_t of recurrent layer `layer` at every position of ids, state carried: (len(ids), units)."""
    import keras

    rnns = [lay for lay in model.layers if isinstance(lay, keras.layers.RNN)]
    probe = keras.Model(model.inputs, rnns[layer].output)
    ids = np.asarray(ids, np.int32)
    piece = -(-len(ids) // streams)
    pad = streams * piece - len(ids)
    xs = np.concatenate([ids, np.zeros(pad, np.int32)]).reshape(streams, piece)
    h = np.asarray(probe.predict_on_batch(xs))
    return h.reshape(-1, h.shape[-1])[: len(ids)]
