"""Plotting boilerplate: training curves, confusion matrices, Korean fonts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike


def use_korean_font() -> str:
    """Make matplotlib render Hangul now, with no restart (bundled NanumGothic); return the font name."""
    import koreanize_matplotlib  # noqa: F401  (importing it registers the font and sets rcParams)

    plt.rcParams["axes.unicode_minus"] = False  # the Korean font lacks the Unicode minus sign
    return plt.rcParams["font.family"][0]


def plot_history(
    history: Any, metric: str | None = None, title: str = "", baseline: float | None = None
) -> Figure:
    """Plot loss (and a metric) for train vs validation from a Keras History or its dict."""
    hist = getattr(history, "history", history)
    names = ["loss"] + ([metric] if metric else [])
    fig, axes = plt.subplots(1, len(names), figsize=(5.5 * len(names), 3.6), squeeze=False)
    for ax, name in zip(axes[0], names, strict=False):
        epochs = np.arange(1, len(hist[name]) + 1)
        ax.plot(epochs, hist[name], "o-", ms=3, label="train")
        if f"val_{name}" in hist:
            ax.plot(epochs, hist[f"val_{name}"], "s--", ms=3, label="validation")
        if baseline is not None and name == "loss":
            ax.axhline(baseline, color="grey", ls=":", label="baseline")
        ax.set(xlabel="epoch", ylabel=name, title=f"{title} {name}".strip())
        ax.xaxis.set_major_locator(
            plt.MaxNLocator(integer=True)
        )  # epochs 1, 2, 3, not 1.0, 1.5, 2.0
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _class_ids(values: Any, name: str, k: int) -> np.ndarray:
    """values as a 1-D int array of class ids 0..k-1 (bools and whole floats converted), else a clear ValueError."""
    arr = np.asarray(values)
    if arr.ndim == 2 and arr.shape[1] == 1:  # what Keras predict returns for one output
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be one class id per example (shape (n,) or (n, 1)), got shape {arr.shape}; "
            "for class probabilities of shape (n, k) pass probs.argmax(axis=1)."
        )
    if arr.dtype == bool:
        arr = arr.astype(int)
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"{name} must hold class ids 0..{k - 1}, got values of type {arr.dtype}.")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError(
                f"{name} holds non-integer values such as {arr[arr != np.round(arr)][:1]}: these look "
                "like probabilities; pass class ids, e.g. (prob >= 0.5).astype(int)."
            )
        arr = arr.astype(int)
    bad = arr[(arr < 0) | (arr >= k)]
    if bad.size:
        raise ValueError(
            f"{name} holds {bad[0]}, but class ids must be 0..{k - 1} (one per label); "
            "map them first, e.g. (y == 1).astype(int) for labels -1/1."
        )
    return arr


def plot_confusion_matrix(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    labels: Sequence[str] = ("negative", "positive"),
    title: str = "",
) -> Figure:
    """Confusion matrix with counts and row percentages (class ids 0..k-1; Keras (n, 1) outputs accepted)."""
    k = len(labels)
    true_ids, pred_ids = _class_ids(y_true, "y_true", k), _class_ids(y_pred, "y_pred", k)
    if len(true_ids) != len(pred_ids):
        raise ValueError(
            f"y_true has {len(true_ids):,} labels but y_pred has {len(pred_ids):,}; pass one prediction per example."
        )
    cm = np.zeros((k, k), dtype=int)
    np.add.at(cm, (true_ids, pred_ids), 1)
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for i in range(k):
        for j in range(k):
            ax.text(
                j,
                i,
                f"{cm[i, j]:,}\n{share[i, j]:.1%}",
                ha="center",
                va="center",
                color="white" if share[i, j] > 0.6 else "black",
            )
    ax.set(
        xticks=range(k),
        yticks=range(k),
        xticklabels=labels,
        yticklabels=labels,
        xlabel="predicted",
        ylabel="true",
        title=title or f"confusion matrix (n={cm.sum():,})",
    )
    fig.tight_layout()
    return fig
