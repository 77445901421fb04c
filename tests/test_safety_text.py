"""Issue 18 (silent wrong results): confusion-matrix inputs, the Kiwi cache, Unicode and type checks of text helpers."""

from __future__ import annotations

import gzip
import os
import threading
import unicodedata
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

import helpers
from helpers import korean
from helpers.text import check_texts


def _counts(fig) -> list[int]:
    """The four counts of a 2x2 confusion matrix figure, row by row."""
    texts = sorted(fig.axes[0].texts, key=lambda t: (t.get_position()[1], t.get_position()[0]))
    return [int(t.get_text().split("\n")[0].replace(",", "")) for t in texts]


# ------------------------------------------------------------------ 8. confusion matrix inputs


def test_8_keras_shaped_predictions_count_each_example_once():
    y = np.array([0, 0, 1, 1, 1])
    pred = np.array([[0], [1], [1], [1], [0]])  # what model.predict(...) > 0.5 gives: shape (n, 1)
    fig = helpers.plot_confusion_matrix(y, pred)
    assert _counts(fig) == [1, 1, 1, 2]
    assert sum(_counts(fig)) == 5
    plt.close(fig)


def test_8_bool_predictions_are_class_ids():
    fig = helpers.plot_confusion_matrix([0, 1, 1], np.array([False, True, False]))
    assert _counts(fig) == [1, 0, 1, 1]
    plt.close(fig)


def test_8_minus_one_labels_are_an_error_not_a_wrap_around():
    with pytest.raises(ValueError, match=r"-1.*0\.\.1"):
        helpers.plot_confusion_matrix([-1, 1, 1], [1, 1, -1])


def test_8_probabilities_are_a_clear_error():
    with pytest.raises(ValueError, match=r"probabilities.*>= 0\.5"):
        helpers.plot_confusion_matrix([0, 1], [0.2, 0.9])


def test_8_length_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match="5 labels but y_pred has 4"):
        helpers.plot_confusion_matrix([0, 1, 0, 1, 0], [0, 1, 0, 1])


# ------------------------------------------------------------------ 9. Kiwi cache


def test_9_cache_key_is_unambiguous():
    assert korean.texts_sha256(["a\nb"]) != korean.texts_sha256(["a", "b"])
    assert korean.texts_sha256(["a\n", ""]) != korean.texts_sha256(["a", "\n"])
    assert korean.texts_sha256([]) != korean.texts_sha256([""])
    settings = korean.KIWI_SETTINGS
    assert korean.cache_key(["좋다\n싫다"], **settings) != korean.cache_key(
        ["좋다", "싫다"], **settings
    )


def test_9_two_corpora_that_used_to_share_a_key_get_their_own_results(tmp_path):
    first, second = (
        ["좋다\n싫다", "영화"],
        ["좋다", "싫다\n영화"],
    )  # same count, same newline-joined text
    korean.kiwi_morphemes_cached(first, folder=tmp_path)
    out, info = korean.kiwi_morphemes_cached(second, folder=tmp_path)
    assert out == korean.kiwi_morphemes(second)
    assert not info["hit"]


def test_9_writers_use_unique_temporary_names(tmp_path, monkeypatch):
    moved: list[str] = []
    real = os.replace
    monkeypatch.setattr(korean.os, "replace", lambda a, b: (moved.append(str(a)), real(a, b))[1])
    texts = ["정말 재밌다"]
    for _ in range(2):
        korean.kiwi_morphemes_cached(texts, folder=tmp_path)
        for p in tmp_path.glob("*.json.gz"):
            p.unlink()
    assert len(moved) == 2
    assert moved[0] != moved[1]


def test_9_concurrent_writers_all_get_the_result(tmp_path):
    texts = [f"영화 {i} 재밌다" for i in range(50)]
    expected = korean.kiwi_morphemes(texts)
    out: list = [None] * 4
    barrier = threading.Barrier(4)

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = korean.kiwi_morphemes_cached(texts, folder=tmp_path)[0]
        except BaseException as err:
            out[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert all(o == expected for o in out), out
    assert korean.kiwi_morphemes_cached(texts, folder=tmp_path)[1]["hit"]
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".json.gz")] == []


def test_9_truncated_cache_file_is_rebuilt(tmp_path):
    texts = ["정말 재밌다", "별로였어요"]
    first, _ = korean.kiwi_morphemes_cached(texts, folder=tmp_path)
    (path,) = tmp_path.glob("*.json.gz")
    path.write_bytes(path.read_bytes()[:-12])  # cut off: gzip raises EOFError
    with pytest.raises(EOFError):
        gzip.decompress(path.read_bytes())
    again, info = korean.kiwi_morphemes_cached(texts, folder=tmp_path)
    assert again == first
    assert not info["hit"]
    assert korean.kiwi_morphemes_cached(texts, folder=tmp_path)[1][
        "hit"
    ]  # rebuilt, not broken forever


def _unwritable(tmp_path: Path) -> Path:
    """A folder this process cannot create files in (chmod for normal users; /proc when running as root)."""
    if os.name != "posix":
        pytest.skip("needs POSIX permissions")
    if os.geteuid() == 0:
        if not Path("/proc/self").exists():
            pytest.skip("needs a read-only folder")
        return Path("/proc/course-test-kiwi-cache")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_9_read_only_cache_folder_degrades_to_no_cache(tmp_path, capsys):
    texts = ["정말 재밌다"]
    out, info = korean.kiwi_morphemes_cached(texts, folder=_unwritable(tmp_path))
    assert out == korean.kiwi_morphemes(texts)
    assert not info["hit"]
    assert "could not write the Kiwi cache" in capsys.readouterr().out


def test_9_data_dir_that_is_a_file_degrades_to_no_cache(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "data.txt"
    blocker.write_text("x")
    monkeypatch.setenv("COURSE_DATA_DIR", str(blocker))
    out, _info = korean.kiwi_morphemes_cached(["좋아요"])
    assert out == korean.kiwi_morphemes(["좋아요"])
    assert "no Kiwi cache" in capsys.readouterr().out


# ------------------------------------------------------------------ 11. Unicode and types


NFC = "이 영화 진짜 재밌었어요"
NFD = unicodedata.normalize("NFD", NFC)


def test_11_decomposed_hangul_gives_the_same_tokens_as_composed():
    assert NFD != NFC
    assert korean.syllable_tokens(NFD) == korean.syllable_tokens(NFC)
    assert korean.whitespace_tokens(NFD) == korean.whitespace_tokens(NFC)
    assert korean.kiwi_morphemes([NFD]) == korean.kiwi_morphemes([NFC])


def test_11_decomposed_hangul_shares_the_cache_of_composed(tmp_path):
    korean.kiwi_morphemes_cached([NFC], folder=tmp_path)
    out, info = korean.kiwi_morphemes_cached([NFD], folder=tmp_path)
    assert info["hit"]
    assert out == korean.kiwi_morphemes([NFC])


@pytest.mark.parametrize(
    "tokenize", [korean.whitespace_tokens, korean.syllable_tokens, korean.kiwi_morphemes]
)
def test_11_tokenizers_reject_none_and_bytes_clearly(tokenize):
    with pytest.raises(TypeError, match="NoneType, not str"):
        tokenize(None)
    with pytest.raises(TypeError, match=r"bytes, not str: decode it first"):
        tokenize("영화".encode())


def test_11_kiwi_rejects_bytes_inside_a_list():
    with pytest.raises(TypeError, match=r"Text #1 is bytes"):
        korean.kiwi_morphemes(["좋다", b"bad"])


def test_11_check_texts_says_bytes_not_int():
    with pytest.raises(TypeError, match=r"got bytes: decode it first"):
        check_texts(b"great")
    with pytest.raises(TypeError, match=r"Review #1 is bytes"):
        check_texts(["fine", b"great"])


@pytest.mark.parametrize("call", [check_texts, korean.syllable_tokens, korean.whitespace_tokens])
def test_11_lone_surrogates_are_rejected_before_tensorflow(call):
    with pytest.raises(ValueError, match="unpaired surrogate"):
        call("great \ud800 film")


def test_11_check_texts_normalises_to_nfc():
    assert check_texts([NFD]) == [NFC]
