"""Tests for helpers.korean (no network; Kiwi loads its packaged model in ~2 s)."""

from __future__ import annotations

import pytest

from helpers import korean


def test_clean_review_squeezes_repeats_and_spaces():
    assert korean.clean_review("  ㅋㅋㅋㅋㅋ 진짜    재밌다!!!!! ") == "ㅋㅋ 진짜 재밌다!!"
    assert korean.clean_review("ㅠㅠㅠㅠ", max_repeat=1) == "ㅠ"
    assert korean.clean_review("") == ""


def test_clean_review_normalises_decomposed_hangul():
    decomposed = "\u1100\u1161"  # ᄀ + ᅡ as separate jamo
    assert korean.clean_review(decomposed) == "가"


def test_clean_review_rejects_non_strings():
    with pytest.raises(TypeError, match="expects a str"):
        korean.clean_review(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_repeat"):
        korean.clean_review("a", max_repeat=0)


def test_simple_tokenizers():
    assert korean.whitespace_tokens("진짜 재밌다 ") == ["진짜", "재밌다"]
    assert korean.syllable_tokens("진짜 재밌다") == ["진", "짜", "▁", "재", "밌", "다"]
    assert korean.syllable_tokens("진짜 재밌다", boundary=None) == ["진", "짜", "재", "밌", "다"]
    assert korean.syllable_tokens("") == []
    assert korean.join_tokens(["a", "b"]) == "a b"


def test_hangul_share_and_jamo():
    assert korean.hangul_share("영화 good") == pytest.approx(2 / 6)
    assert korean.hangul_share("  ") == 0.0
    assert korean.has_jamo("재밌다ㅋㅋ")
    assert not korean.has_jamo("재밌다")


def test_kiwi_morphemes_splits_particles_and_endings():
    out = korean.kiwi_morphemes(["영화가 재밌었어요", ""])
    assert out[0].split()[:2] == ["영화", "가"]
    assert "었" in out[0].split()
    assert out[1] == ""
    assert korean.kiwi_morphemes("영화") == ["영화"]
    tagged = korean.kiwi_morphemes("영화가", tags=True)[0]
    assert tagged.startswith("영화/NNG")


def test_kiwi_morphemes_rejects_non_strings():
    with pytest.raises(TypeError, match="not str"):
        korean.kiwi_morphemes(["좋다", 3])  # type: ignore[list-item]


def test_kiwi_preprocess_cleans_first():
    assert korean.kiwi_preprocess("  최고ㅋㅋㅋㅋ ") == korean.kiwi_morphemes("최고ㅋㅋ")[0]


def test_cache_roundtrip(tmp_path):
    texts = ["정말 재밌다", "별로였어요", ""]
    first, info1 = korean.kiwi_morphemes_cached(texts, folder=tmp_path)
    assert not info1["hit"]
    assert info1["n_texts"] == 3
    assert info1["seconds"] >= 0
    second, info2 = korean.kiwi_morphemes_cached(texts, folder=tmp_path)
    assert info2["hit"]
    assert second == first
    assert info2["seconds"] == info1["seconds"]  # the cold time is stored with the cache
    assert len(list(tmp_path.glob("*.json.gz"))) == 1


def test_cache_key_depends_on_texts_settings_and_version():
    base = korean.cache_key(["a", "b"], **korean.KIWI_SETTINGS)
    assert base == korean.cache_key(["a", "b"], **korean.KIWI_SETTINGS)
    assert base != korean.cache_key(["a", "c"], **korean.KIWI_SETTINGS)
    assert base != korean.cache_key(["ab"], **korean.KIWI_SETTINGS)  # boundaries count
    assert base != korean.cache_key(["a", "b"], **{**korean.KIWI_SETTINGS, "tags": True})


def test_broken_cache_file_is_rebuilt(tmp_path):
    texts = ["좋아요"]
    key = korean.cache_key(texts, **korean.KIWI_SETTINGS)
    korean.cache_path(key, tmp_path).write_bytes(b"not gzip")
    out, info = korean.kiwi_morphemes_cached(texts, folder=tmp_path)
    assert out == korean.kiwi_morphemes(texts)
    assert not info["hit"]


def test_oov_rate():
    assert korean.oov_rate(["a b", "b c"], ["a d", "c c"]) == pytest.approx(1 / 4)
    assert korean.oov_rate(["a a b"], ["b"], max_tokens=1) == 1.0
    assert korean.oov_rate(["a"], [""]) == 0.0


def test_multiword_entries_stay_one_token():
    # Kiwi's dictionary holds "브래드 피트" as one proper noun (NNP) with a space in its form; if a
    # Kiwi upgrade drops the entry, this test says so instead of passing without testing anything.
    plain = korean.kiwi_morphemes("브래드 피트 영화")[0].split()
    tagged = korean.kiwi_morphemes("브래드 피트 영화", tags=True)[0].split()
    assert plain == ["브래드_피트", "영화"]
    assert tagged == ["브래드_피트/NNP", "영화/NNG"]


def test_spaces_inside_a_morpheme_are_glued_with_underscores():
    """The gluing itself, on tokens shaped like Kiwi's (independent of Kiwi's dictionary)."""
    from types import SimpleNamespace as Tok

    tokens = [
        [Tok(form="갱스 터", tag="NNG"), Tok(form="영화", tag="NNG")],
        [Tok(form="a b c", tag="SL")],
    ]
    assert korean._morph_strings(tokens, tags=False) == ["갱스_터 영화", "a_b_c"]
    assert korean._morph_strings(tokens, tags=True) == ["갱스_터/NNG 영화/NNG", "a_b_c/SL"]
    assert all(
        len(s.split()) == len(toks)
        for s, toks in zip(korean._morph_strings(tokens, False), tokens, strict=False)
    )
