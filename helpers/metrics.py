"""One set of classification metrics with stable key names across the course (introduced in 06).

Keys: accuracy, precision, recall, f1, roc_auc. Results JSON files and tables use these names.
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics as skm

SCORE_KEYS = ("accuracy", "precision", "recall", "f1", "roc_auc")


def _binary_inputs(y_true: object, prob: object) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true)
    p = np.asarray(prob, dtype=float)
    if p.ndim == 2 and p.shape[1] == 1:  # what Keras predict returns for one sigmoid output
        p = p[:, 0]
    if y.ndim != 1 or p.ndim != 1:
        raise ValueError(f"y_true and prob must be 1-D (got shapes {y.shape} and {p.shape}).")
    if len(y) != len(p):
        raise ValueError(f"y_true has {len(y)} labels but prob has {len(p)} scores.")
    if len(y) == 0:
        raise ValueError("No examples: y_true and prob are empty.")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(
            f"y_true must hold 0/1 labels; found {sorted(set(np.unique(y).tolist()))[:5]}."
        )
    if not np.isfinite(p).all():
        raise ValueError("prob contains NaN or infinite values (did training diverge?).")
    return y.astype(int), p


def classification_scores(y_true: object, prob: object, threshold: float = 0.5) -> dict[str, float]:
    """accuracy, precision, recall, f1 (label 1 positive, predicted when prob >= threshold) and roc_auc.

    `prob` are scores for class 1 (probabilities, or any score when only roc_auc matters). roc_auc
    is NaN when y_true holds one class only; precision is 0 when nothing is predicted positive.
    """
    y, p = _binary_inputs(y_true, prob)
    pred = (p >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    return {
        "accuracy": float(skm.accuracy_score(y, pred)),
        "precision": float(skm.precision_score(y, pred, zero_division=0)),
        "recall": float(skm.recall_score(y, pred, zero_division=0)),
        "f1": float(skm.f1_score(y, pred, zero_division=0)),
        "roc_auc": float(skm.roc_auc_score(y, p)) if both else float("nan"),
    }
