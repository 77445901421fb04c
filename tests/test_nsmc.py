"""helpers.nsmc: the pieces of notebook 07's tokenizer race that need no training."""

import json

import numpy as np
import pandas as pd
import pytest

from helpers import korean, nsmc, subword


def _frame(texts, labels):
    df = pd.DataFrame({"text": texts, "label": labels})
    df["clean"] = df.text.map(korean.clean_review)
    return df


def test_dedupe_training_drops_empty_conflicting_and_repeated_texts():
    df = _frame(
        ["최고", "최고", "별로", "별로", "  ", "좋아요ㅋㅋㅋㅋ", "좋아요ㅋㅋ"],
        [1, 1, 0, 1, 0, 1, 1],
    )
    kept, counts = nsmc.dedupe_training(df)
    assert kept.clean.tolist() == [
        "최고",
        "좋아요ㅋㅋ",
    ]  # 별로 has both labels; ㅋㅋㅋㅋ cleans to ㅋㅋ
    assert counts == {"empty": 1, "conflicting_rows": 2, "dropped": 5}


def test_dedupe_training_needs_the_clean_column():
    with pytest.raises(KeyError, match="clean_review"):
        nsmc.dedupe_training(pd.DataFrame({"text": ["a"], "label": [1]}))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("whitespace", ["최고!!", "재밌어요ㅋㅋ"]),
        ("words", ["최고", "!!", "재밌어요", "ㅋㅋ"]),
        ("syllables", ["최", "고", "!", "!", "▁", "재", "밌", "어", "요", "ㅋ", "ㅋ"]),
    ],
)
def test_rule_tokenizers(name, expected):
    assert nsmc.tokenizer(name)("최고!! 재밌어요ㅋㅋ") == expected


def test_subword_tokenizer_needs_its_model_and_unknown_names_fail():
    with pytest.raises(ValueError, match="subword model"):
        nsmc.tokenizer("subwords")
    with pytest.raises(ValueError, match="Unknown tokenizer"):
        nsmc.tokenizer("bytes")


def test_preprocess_cleans_then_joins_tokens():
    model = subword.train_subword(
        ["영화가 재밌었어요", "영화를 봤어요", "재밌는 영화"] * 30, vocab_size=60
    )
    assert nsmc.preprocess("words")("최고!!!!  영화") == "최고 !! 영화"
    assert nsmc.preprocess("subwords", model)("영화가  재밌었어요") == " ".join(
        model.pieces("영화가 재밌었어요")
    )


def test_max_length_is_a_percentile_of_training_lengths():
    docs = ["a"] * 98 + ["a b c d e f g h i j"] * 2
    assert nsmc.max_length(docs) == 1
    assert nsmc.max_length([""]) == 1


def test_labels_come_back_as_int64():
    df = _frame(["a", "b"], [0, 1])
    splits = nsmc.Splits(df, df, df, df, {})
    assert splits.labels("val").dtype == np.int64


def test_load_study(tmp_path):
    assert nsmc.load_study(tmp_path / "missing.json") is None
    path = tmp_path / "study.json"
    path.write_text(json.dumps({"seeds": [43], "runs": []}), encoding="utf-8")
    assert nsmc.load_study(path)["seeds"] == [43]
    assert nsmc.study_path().parts[-3:] == ("results", "studies", "07_nsmc_tokenizer_seeds.json")
