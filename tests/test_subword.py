"""helpers.subword: SentencePiece training in memory, encoding, save/load, clear errors."""

import pytest

from helpers import subword

pytest.importorskip("sentencepiece")

CORPUS = [
    "영화가 재밌었어요 ㅋㅋ",
    "영화를 봤는데 재밌네요",
    "영화는 별로였어요 ㅠㅠ",
    "배우들 연기가 좋았어요",
    "배우 연기는 별로",
    "스토리가 재밌고 배우도 좋아요",
    "시간 아까운 영화",
    "돈 아까운 영화였어요",
    "최고의 영화!!",
    "최악의 영화...",
    "다시 보고 싶은 영화",
    "두 번은 안 볼 영화",
] * 20  # SentencePiece needs some repetition to learn merges


@pytest.fixture(scope="module")
def model():
    return subword.train_subword(CORPUS, vocab_size=120, seed=0)


def test_pieces_rebuild_the_text(model):
    text = "영화가 재밌었어요 ㅋㅋ"
    pieces = model.pieces(text)
    assert len(pieces) >= 3
    assert "".join(pieces).replace(subword.SPACE, " ").strip() == text


def test_compatibility_jamo_are_kept(model):
    # NFKC would turn ㅋ (U+314B) into the conjoining jamo U+110F; identity normalisation keeps it.
    joined = "".join(model.pieces("재밌네요 ㅋㅋ"))
    assert "ㅋ" in joined and "\u110f" not in joined


def test_encode_gives_space_joined_pieces(model):
    docs = model.encode(["영화가 좋았어요", "", "배우 연기"])
    assert len(docs) == 3 and docs[1] == ""
    assert docs[0].split() == model.pieces("영화가 좋았어요")
    assert model.encode("영화") == [" ".join(model.pieces("영화"))]


def test_training_is_reproducible():
    a = subword.train_subword(CORPUS, vocab_size=100, seed=3)
    b = subword.train_subword(CORPUS, vocab_size=100, seed=3)
    assert a.proto == b.proto


def test_vocab_size_is_a_soft_limit_on_small_corpora(model):
    assert 10 < model.vocab_size <= 120
    big = subword.train_subword(CORPUS, vocab_size=5000)  # more than the corpus supports: no crash
    assert big.vocab_size < 5000


def test_unigram_also_trains():
    m = subword.train_subword(CORPUS, vocab_size=80, model_type="unigram")
    assert m.pieces("영화") and m.settings["model_type"] == "unigram"


def test_save_and_load_round_trip(model, tmp_path):
    path = model.save(tmp_path / "sub" / "nsmc.model")
    again = subword.SubwordModel.load(path)
    assert again.pieces("배우들 연기가 좋았어요") == model.pieces("배우들 연기가 좋았어요")
    assert not list(tmp_path.glob("sub/*.tmp"))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"texts": []}, ValueError, "No non-empty texts"),
        ({"texts": ["", "  "]}, ValueError, "No non-empty texts"),
        ({"texts": "영화가 좋다"}, TypeError, "list of texts"),
        ({"texts": ["영화", None]}, TypeError, "Text #1 is NoneType"),
        ({"texts": CORPUS, "model_type": "wordpiece"}, ValueError, "model_type"),
        ({"texts": CORPUS, "vocab_size": 3}, ValueError, "too small"),
        ({"texts": CORPUS, "character_coverage": 0.5}, ValueError, "character_coverage"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, error, match):
    with pytest.raises(error, match=match):
        subword.train_subword(**kwargs)


def test_bad_model_inputs(model, tmp_path):
    with pytest.raises(ValueError, match="model bytes"):
        subword.SubwordModel(b"")
    with pytest.raises(FileNotFoundError, match="train_subword"):
        subword.SubwordModel.load(tmp_path / "missing.model")
    with pytest.raises(TypeError, match="expects a str"):
        model.pieces(None)
