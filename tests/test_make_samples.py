"""tools/make_samples.py on tiny fake full datasets (no network): balanced, reproducible samples."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from support import load_tool

import helpers.data as data

ROOT = Path(__file__).resolve().parent.parent


def _frame(n_pos: int, n_neg: int) -> pd.DataFrame:
    rows = [(f"pos {i}", 1) for i in range(n_pos)] + [(f"neg {i}", 0) for i in range(n_neg)]
    return pd.DataFrame(rows, columns=["text", "label"])


def test_balanced_sample_is_balanced_shuffled_and_reproducible():
    tool = load_tool("make_samples")
    df = _frame(30, 50)
    a = tool.balanced_sample(df, 20)
    assert len(a) == 20
    assert a.label.sum() == 10
    assert list(a.index) == list(range(20))
    assert a.label.tolist() != sorted(a.label.tolist())
    assert a.label.tolist() != sorted(a.label.tolist(), reverse=True)
    assert set(a.text) <= set(df.text)
    assert a.text.is_unique
    assert a.equals(tool.balanced_sample(df, 20))  # the same draw every time
    assert not a.equals(tool.balanced_sample(df, 20, seed=1))


def test_balanced_sample_needs_enough_rows_of_each_label():
    with pytest.raises(ValueError, match="larger sample"):
        load_tool("make_samples").balanced_sample(_frame(3, 50), 20)  # 10 positives asked, 3 there


@pytest.fixture
def full_data(monkeypatch, isolated):
    """Tiny 'full' IMDB (extracted, 8 reviews per folder) and NSMC (verified files) in the data folder."""
    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.setattr(data, "IMDB_MIN_FILES_PER_FOLDER", 8)
    root = isolated / "data"
    for split in ("train", "test"):
        for label, rating in (("pos", 9), ("neg", 2)):
            folder = root / "imdb" / "aclImdb" / split / label
            folder.mkdir(parents=True)
            for i in range(8):
                (folder / f"{i}_{rating}.txt").write_text(
                    f"{split} {label} review {i}<br />fin", encoding="utf-8"
                )
        lines = ["id\tdocument\tlabel"] + [f"{i}\t{split} 리뷰 {i}\t{i % 2}" for i in range(12)]
        payload = ("\n".join(lines) + "\n").encode()
        path = root / data.REGISTRY[f"nsmc_{split}"].path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
        spec = data.RemoteFile(
            "http://127.0.0.1:9/unused",
            data.REGISTRY[f"nsmc_{split}"].path,
            hashlib.sha256(payload).hexdigest(),
            len(payload),
        )
        monkeypatch.setitem(data.REGISTRY, f"nsmc_{split}", spec)
    return root


@pytest.fixture
def tool(monkeypatch, tmp_path):
    """make_samples writing into tmp_path/helpers/samples (never the course's own samples), small sizes."""
    module = load_tool("make_samples")
    (tmp_path / "checkout" / "helpers" / "samples").mkdir(parents=True)
    monkeypatch.setattr(module, "repo_root", lambda: tmp_path / "checkout")
    monkeypatch.setattr(
        module, "SIZES", {"IMDB": {"train": 8, "test": 4}, "NSMC": {"train": 6, "test": 4}}
    )
    return module


def test_main_writes_the_four_balanced_samples(full_data, tool, tmp_path, capsys):
    tool.main()
    out = tmp_path / "checkout" / "helpers" / "samples"
    assert sorted(p.name for p in out.iterdir()) == [
        "IMDB_test.csv.gz",
        "IMDB_train.csv.gz",
        "NSMC_test.csv.gz",
        "NSMC_train.csv.gz",
    ]
    assert capsys.readouterr().out.splitlines() == ["train 8 6", "test 4 4"]
    for name, n in (("IMDB_train", 8), ("IMDB_test", 4), ("NSMC_train", 6), ("NSMC_test", 4)):
        df = pd.read_csv(
            out / f"{name}.csv.gz", keep_default_na=False
        )  # as helpers.data reads samples
        assert list(df.columns) == ["text", "label"]
        assert len(df) == n
        assert df.label.sum() == n // 2
    imdb = pd.read_csv(out / "IMDB_test.csv.gz")
    assert imdb.text.str.startswith("test ").all()
    assert not imdb.text.str.contains("<br").any()
    nsmc = pd.read_csv(out / "NSMC_train.csv.gz")
    assert nsmc.text.str.startswith("train 리뷰").all()


def test_main_is_byte_for_byte_reproducible(full_data, tool, tmp_path):
    out = tmp_path / "checkout" / "helpers" / "samples"
    tool.main()
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    tool.main()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first  # gzip mtime 0, fixed seed


def test_main_without_the_full_data_fails_without_writing(tool, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    with pytest.raises(data.DataError):
        tool.main()  # offline and nothing on disk: a clear error, no sample files half-written
    assert list((tmp_path / "checkout" / "helpers" / "samples").iterdir()) == []
