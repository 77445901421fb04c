"""Using a trained sentiment model: input checks, predictions and prefix-by-prefix sentiment."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # matplotlib loads only when a plot is drawn
    from matplotlib.figure import Figure

MAX_CHARS = 20_000  # longer inputs are cut (the model only reads its first tokens anyway)


def check_texts(texts: str | Iterable[str], max_chars: int = MAX_CHARS) -> list[str]:
    """Return a list of non-empty NFC-normalised strings, or raise a clear error naming the bad item."""
    if texts is None:
        raise TypeError("Expected a review (str) or a list of reviews, got None.")
    if isinstance(texts, (bytes, bytearray)):
        raise TypeError(
            "Expected a review (str) or a list of reviews, got bytes: decode it first, e.g. data.decode('utf-8')."
        )
    items = [texts] if isinstance(texts, str) else texts
    try:
        items = list(items)
    except TypeError:
        raise TypeError(
            f"Expected a review (str) or a list of reviews, got {type(texts).__name__}."
        ) from None
    if not items:
        raise ValueError("Expected at least one review, got an empty list.")
    out = []
    for i, item in enumerate(items):
        if isinstance(item, (bytes, bytearray)):
            raise TypeError(
                f"Review #{i} is bytes, not str: decode it first, e.g. data.decode('utf-8')."
            )
        if not isinstance(item, str):
            raise TypeError(f"Review #{i} is {type(item).__name__}, not str: {item!r:.60}")
        if not item.strip():
            raise ValueError(
                f"Review #{i} is empty or only whitespace; there is nothing to classify."
            )
        try:
            item.encode("utf-8")
        except UnicodeEncodeError as err:
            raise ValueError(
                f"Review #{i} holds an unpaired surrogate ({item[err.start]!r} at position {err.start}), which is "
                "not valid Unicode: read the text with encoding='utf-8' (not errors='surrogateescape')."
            ) from None
        out.append(unicodedata.normalize("NFC", item)[:max_chars])
    return out


def predict_proba(
    model: Any, texts: str | Iterable[str], preprocess: Callable[[str], str] | None = None
) -> np.ndarray:
    """Probability of the positive class for one review or a list (model takes raw strings)."""
    items = check_texts(texts)
    if preprocess is not None:
        items = [preprocess(t) for t in items]
    # predict_on_batch skips the tf.data pipeline that model.predict builds for string arrays (and
    # the C++ error line it logs about an unknown dataset attribute), in chunks to bound memory.
    run = getattr(model, "predict_on_batch", None)
    chunks = []
    for start in range(0, len(items), 512):
        batch = np.array(items[start : start + 512], dtype=object)
        out = run(batch) if run is not None else model.predict(batch, verbose=0)
        chunks.append(np.asarray(out).reshape(len(batch), -1))
    return np.concatenate(chunks)[:, -1]


def prefixes(words: Sequence[str], join: Callable[[Sequence[str]], str] = " ".join) -> list[str]:
    """Every prefix of a token list, joined back to text: ['a', 'a b', 'a b c']."""
    return [join(words[: k + 1]) for k in range(len(words))]


def prefix_sentiment(
    model: Any,
    sentence: str,
    split: Callable[[str], list[str]] = str.split,
    join: Callable[[Sequence[str]], str] = " ".join,
    preprocess: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """P(positive) after each word of a sentence, read left to right."""
    words = split(check_texts(sentence)[0])
    return pd.DataFrame(
        {"word": words, "p_positive": predict_proba(model, prefixes(words, join), preprocess)}
    )


def plot_prefix_sentiment(table: pd.DataFrame, title: str = "") -> Figure:
    """Line plot of P(positive) as the sentence is read word by word."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(max(6.0, 0.55 * len(table)), 3.2))
    ax.plot(range(len(table)), table["p_positive"], "o-")
    ax.axhline(0.5, color="grey", ls=":")
    ax.set_xticks(range(len(table)), table["word"], rotation=45, ha="right")
    ax.set(ylim=(0, 1), ylabel="P(positive)", title=title or "sentiment while reading")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
