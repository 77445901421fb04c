"""whitespace_punct_tokens: whitespace words with punctuation, symbols and bare jamo split off."""

import unicodedata

import pytest

from helpers import korean


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "이 영화 진짜 재밌었어요ㅋㅋ 배우들 연기도 최고!!",
            ["이", "영화", "진짜", "재밌었어요", "ㅋㅋ", "배우들", "연기도", "최고", "!!"],
        ),
        ("노잼 ㅡㅡ 중간에 나옴", ["노잼", "ㅡㅡ", "중간에", "나옴"]),
        ("CG만 화려하고 내용은 텅 빔 -_-", ["CG만", "화려하고", "내용은", "텅", "빔", "-_-"]),
        ("10점 만점에10점!!^^♡", ["10점", "만점에10점", "!!^^♡"]),
        ("시간 아깝다...돈", ["시간", "아깝다", "...", "돈"]),
        ("", []),
        ("   ", []),
    ],
)
def test_splits_punctuation_and_jamo(text, expected):
    assert korean.whitespace_punct_tokens(text) == expected


def test_never_loses_a_non_space_character():
    text = "와 이거 대박!너무 재밌는거 아냐!!!강추~ 강추!소장용으로 ㅠㅠ (진짜) OST가 amazing_함"
    assert "".join(korean.whitespace_punct_tokens(text)) == "".join(text.split())


def test_input_is_nfc_normalised():
    decomposed = unicodedata.normalize("NFD", "영화가 좋다!")
    assert korean.whitespace_punct_tokens(decomposed) == ["영화가", "좋다", "!"]


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_rejects_non_strings(bad):
    with pytest.raises(TypeError, match="expects a str"):
        korean.whitespace_punct_tokens(bad)
