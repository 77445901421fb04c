"""Unit tests for helpers.text: input checks, predict_proba, prefixes and prefix sentiment (no TensorFlow)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from helpers.text import (
    MAX_CHARS,
    check_texts,
    plot_prefix_sentiment,
    predict_proba,
    prefix_sentiment,
    prefixes,
)


class FakeModel:
    """Keras-like model: P(positive) = share of the word 'good' among the words; records its inputs."""

    def __init__(self, two_columns: bool = False) -> None:
        self.two_columns = two_columns
        self.seen: list[np.ndarray] = []

    def predict(self, x: np.ndarray, verbose: int = 0) -> np.ndarray:
        self.seen.append(x)
        p = np.array(
            [[t.split().count("good") / max(1, len(t.split()))] for t in x], dtype="float32"
        )
        return np.hstack([1 - p, p]) if self.two_columns else p


# ---------------------------------------------------------------- check_texts


def test_check_texts_wraps_a_single_string():
    assert check_texts("a fine film") == ["a fine film"]


def test_check_texts_keeps_a_list_and_accepts_tuples_and_generators():
    assert check_texts(["a", "b"]) == ["a", "b"]
    assert check_texts(("a", "b")) == ["a", "b"]
    assert check_texts(t for t in ["a", "b"]) == ["a", "b"]


def test_check_texts_rejects_none():
    with pytest.raises(TypeError, match="got None"):
        check_texts(None)


@pytest.mark.parametrize("bad", ["", "   ", "\n\t "])
def test_check_texts_rejects_empty_or_whitespace_string(bad):
    with pytest.raises(ValueError, match="empty or only whitespace"):
        check_texts(bad)


def test_check_texts_rejects_empty_list():
    with pytest.raises(ValueError, match="empty list"):
        check_texts([])


@pytest.mark.parametrize("bad", [42, 3.5])
def test_check_texts_rejects_non_iterable_non_string(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        check_texts(bad)


def test_check_texts_names_the_bad_item_in_a_list():
    with pytest.raises(TypeError, match=r"Review #1 is int"):
        check_texts(["fine", 7, "ok"])
    with pytest.raises(TypeError, match=r"Review #0 is NoneType"):
        check_texts([None])
    with pytest.raises(ValueError, match=r"Review #2 is empty"):
        check_texts(["fine", "ok", "  "])


def test_check_texts_cuts_long_input():
    long = "word " * (MAX_CHARS // 2)  # 2.5 x MAX_CHARS characters
    (out,) = check_texts(long)
    assert len(out) == MAX_CHARS
    assert check_texts("abcdef", max_chars=3) == ["abc"]


# ---------------------------------------------------------------- predict_proba


def test_predict_proba_single_string_returns_one_probability():
    probs = predict_proba(FakeModel(), "good good bad")
    assert probs.shape == (1,)
    assert probs[0] == pytest.approx(2 / 3)


def test_predict_proba_list_returns_one_per_review_in_order():
    probs = predict_proba(FakeModel(), ["good", "bad", "good bad"])
    np.testing.assert_allclose(probs, [1.0, 0.0, 0.5])


def test_predict_proba_passes_an_object_array_of_strings():
    model = FakeModel()
    predict_proba(model, ["good", "bad"])
    (x,) = model.seen
    assert isinstance(x, np.ndarray)
    assert x.dtype == object
    assert list(x) == ["good", "bad"]


def test_predict_proba_takes_last_column_of_a_two_way_softmax():
    probs = predict_proba(FakeModel(two_columns=True), ["good", "bad"])
    np.testing.assert_allclose(probs, [1.0, 0.0])


def test_predict_proba_applies_preprocess():
    probs = predict_proba(FakeModel(), ["GOOD", "Bad"], preprocess=str.lower)
    np.testing.assert_allclose(probs, [1.0, 0.0])


def test_predict_proba_rejects_bad_input_before_calling_the_model():
    model = FakeModel()
    for bad in (None, "", [], ["ok", None], 12):
        with pytest.raises((TypeError, ValueError)):
            predict_proba(model, bad)
    assert model.seen == []


def test_predict_proba_cuts_very_long_input():
    model = FakeModel()
    probs = predict_proba(model, "good " * 50_000)
    assert len(model.seen[0][0]) == MAX_CHARS
    assert probs[0] == pytest.approx(1.0)


# ---------------------------------------------------------------- prefixes and prefix sentiment


def test_prefixes_with_default_and_custom_join():
    assert prefixes(["a", "b", "c"]) == ["a", "a b", "a b c"]
    assert prefixes(["가", "나"], join="".join) == ["가", "가나"]
    assert prefixes([]) == []


def test_prefix_sentiment_table_follows_the_sentence():
    table = prefix_sentiment(FakeModel(), "good bad bad good")
    assert isinstance(table, pd.DataFrame)
    assert list(table["word"]) == ["good", "bad", "bad", "good"]
    np.testing.assert_allclose(table["p_positive"], [1.0, 0.5, 1 / 3, 0.5])


def test_prefix_sentiment_uses_custom_split_and_join():
    table = prefix_sentiment(FakeModel(), "good|bad", split=lambda s: s.split("|"), join=" ".join)
    assert list(table["word"]) == ["good", "bad"]
    np.testing.assert_allclose(table["p_positive"], [1.0, 0.5])


def test_prefix_sentiment_rejects_empty_sentence():
    with pytest.raises(ValueError, match="empty"):
        prefix_sentiment(FakeModel(), "  ")


def test_plot_prefix_sentiment_returns_a_figure():
    import matplotlib.pyplot as plt

    table = pd.DataFrame({"word": ["good", "bad"], "p_positive": [0.9, 0.2]})
    fig = plot_prefix_sentiment(table, title="demo")
    ax = fig.axes[0]
    assert ax.get_title() == "demo"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["good", "bad"]
    plt.close(fig)
