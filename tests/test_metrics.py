"""helpers.metrics: one metrics function with stable keys."""

import math

import numpy as np
import pytest

from helpers.metrics import SCORE_KEYS, classification_scores


def test_keys_and_known_values():
    y = np.array([1, 1, 0, 0])
    p = np.array([0.9, 0.4, 0.6, 0.1])  # TP, FN, FP, TN at 0.5
    s = classification_scores(y, p)
    assert tuple(s) == SCORE_KEYS == ("accuracy", "precision", "recall", "f1", "roc_auc")
    assert s["accuracy"] == pytest.approx(0.5)
    assert s["precision"] == pytest.approx(0.5)
    assert s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(0.5)
    assert s["roc_auc"] == pytest.approx(0.75)
    assert all(isinstance(v, float) for v in s.values())


def test_threshold_and_keras_shape():
    y = np.array([1, 1, 0, 0])
    p = np.array([[0.9], [0.4], [0.6], [0.1]])
    assert classification_scores(y, p, threshold=0.3)["recall"] == 1.0
    assert (
        classification_scores(y, p, threshold=0.95)["precision"] == 0.0
    )  # nothing predicted positive


def test_one_class_gives_nan_auc():
    s = classification_scores([1, 1, 1], [0.2, 0.7, 0.9])
    assert math.isnan(s["roc_auc"]) and s["accuracy"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("y", "p", "message"),
    [
        ([0, 1], [0.5], "labels"),
        ([0, 2], [0.1, 0.2], "0/1"),
        ([], [], "empty"),
        ([0, 1], [0.1, np.nan], "NaN"),
    ],
)
def test_bad_input_is_explained(y, p, message):
    with pytest.raises(ValueError, match=message):
        classification_scores(y, p)
