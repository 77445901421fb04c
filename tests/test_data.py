import hashlib
import io
import os
import tarfile
from pathlib import Path

import pandas as pd
import pytest
from support import tar_gz

import helpers
import helpers.data as data
from helpers.data import ChecksumError, DataError, RemoteFile


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _cache_files(isolated: Path) -> list[str]:
    """Files under the data folder, except the empty lock files that serialise downloads."""
    root = isolated / "data"
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.suffix != ".lock"
    )


def _register(
    monkeypatch, key: str, url: str, path: str, payload: bytes, sha: str | None = None
) -> None:
    spec = RemoteFile(url=url, path=path, sha256=sha or _sha(payload), size=len(payload))
    monkeypatch.setitem(data.REGISTRY, key, spec)


# ------------------------------------------------------------------ downloads


def test_download_verifies_and_caches(http_dir, monkeypatch, isolated):
    folder, base, _ = http_dir
    payload = b"id\tdocument\tlabel\n1\tgood\t1\n"
    (folder / "f.txt").write_bytes(payload)
    _register(monkeypatch, "nsmc_train", f"{base}/f.txt", "nsmc/ratings_train.txt", payload)
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    path = data.fetch("nsmc_train")
    assert path.read_bytes() == payload
    (folder / "f.txt").unlink()  # second call must use the verified cache, not the network
    assert data.fetch("nsmc_train") == path


def test_wrong_checksum_raises_and_leaves_nothing(http_dir, monkeypatch, isolated):
    folder, base, _ = http_dir
    (folder / "f.txt").write_bytes(b"tampered content")
    _register(
        monkeypatch,
        "nsmc_test",
        f"{base}/f.txt",
        "nsmc/ratings_test.txt",
        b"tampered content",
        sha="0" * 64,
    )
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    with pytest.raises(ChecksumError, match="expected 0000"):
        data.fetch("nsmc_test")
    assert _cache_files(isolated) == []


def test_interrupted_download_leaves_no_file(http_dir, monkeypatch, isolated):
    folder, base, truncate = http_dir
    payload = os.urandom(300_000)
    (folder / "big.bin").write_bytes(payload)
    truncate["big.bin"] = 100_000
    _register(monkeypatch, "imdb_archive", f"{base}/big.bin", "imdb/aclImdb_v1.tar.gz", payload)
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    with pytest.raises(data.DataError):
        data.fetch("imdb_archive")
    assert _cache_files(isolated) == []


def test_mismatching_file_of_the_learner_is_left_untouched_with_advice(monkeypatch, isolated):
    payload = b"the real bytes"
    _register(
        monkeypatch, "nsmc_train", "http://127.0.0.1:9/never", "nsmc/ratings_train.txt", payload
    )
    path = isolated / "data" / "nsmc" / "ratings_train.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"the fake bytes")  # same size, other content
    with pytest.raises(ChecksumError, match="make data"):
        data.fetch("nsmc_train")
    assert path.read_bytes() == b"the fake bytes"


def test_unreachable_host_is_dataset_unavailable(monkeypatch, isolated):
    _register(
        monkeypatch, "nsmc_train", "http://127.0.0.1:9/nothing-listens-here", "nsmc/x.txt", b"x"
    )
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    with pytest.raises(data.DatasetUnavailable):
        data.fetch("nsmc_train")
    assert _cache_files(isolated) == []


# ------------------------------------------------------------------ archives


def test_tar_member_escaping_target_is_refused(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    archive.write_bytes(tar_gz({"aclImdb/README": b"ok", "../../escaped.txt": b"boom"}))
    with pytest.raises(DataError, match="escapes"):
        data.safe_extract(archive, tmp_path / "out")
    assert not (tmp_path / "escaped.txt").exists()
    assert not list(tmp_path.rglob("escaped.txt"))


def _tar_with_link(kind: bytes, name: str, target: str) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        ok = tarfile.TarInfo("aclImdb/README")
        ok.size = 2
        tar.addfile(ok, io.BytesIO(b"ok"))
        link = tarfile.TarInfo(name)
        link.type, link.linkname = kind, target
        tar.addfile(link)
    return buf.getvalue()


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE], ids=["symlink", "hardlink"])
@pytest.mark.parametrize("target", ["aclImdb/README", "/etc/passwd"], ids=["inside", "outside"])
def test_tar_links_are_refused_and_nothing_is_extracted(tmp_path, kind, target):
    archive = tmp_path / "links.tar.gz"
    archive.write_bytes(_tar_with_link(kind, "aclImdb/train/pos/0_9.txt", target))
    with pytest.raises(
        DataError, match=r"Refusing to extract link 'aclImdb/train/pos/0_9.txt' from links\.tar\.gz"
    ):
        data.safe_extract(archive, tmp_path / "out")
    assert list((tmp_path / "out").rglob("*")) == []  # checked before anything is written


def test_safe_extract_takes_only_members_matching_the_pattern(tmp_path):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(
        tar_gz(
            {
                "aclImdb/README": b"r",
                "aclImdb/train/pos/1_9.txt": b"p",
                "aclImdb/train/unsup/2_0.txt": b"u",
                "aclImdb/train/pos/notes.txt": b"n",
                "other/1_9.txt": b"o",
            }
        )
    )
    data.safe_extract(
        archive, tmp_path / "out", r"^aclImdb/(README|(train|test)/(pos|neg)/\d+_\d+\.txt)$"
    )
    got = sorted(
        p.relative_to(tmp_path / "out").as_posix()
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
    )
    assert got == ["aclImdb/README", "aclImdb/train/pos/1_9.txt"]
    assert (tmp_path / "out" / "aclImdb" / "train" / "pos" / "1_9.txt").read_bytes() == b"p"


def test_safe_extract_without_pattern_takes_every_member(tmp_path):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_gz({"x/a.txt": b"a", "y.txt": b"y"}))
    data.safe_extract(archive, tmp_path / "out")
    assert (tmp_path / "out" / "x" / "a.txt").read_bytes() == b"a"
    assert (tmp_path / "out" / "y.txt").read_bytes() == b"y"


def test_absolute_tar_member_is_refused(tmp_path):
    archive = tmp_path / "abs.tar.gz"
    archive.write_bytes(tar_gz({str(tmp_path / "abs-escaped.txt"): b"boom"}))
    with pytest.raises(DataError, match="escapes"):
        data.safe_extract(archive, tmp_path / "out")
    assert not (tmp_path / "abs-escaped.txt").exists()


def _fake_imdb_members() -> dict[str, bytes]:
    members = {}
    for split in ("train", "test"):
        for label in ("pos", "neg"):
            rating = (
                7 if label == "pos" else 2
            )  # official names: <id>_<rating>.txt, pos 7-10, neg 1-4
            for i in range(3):
                members[f"aclImdb/{split}/{label}/{i}_{rating}.txt"] = (
                    f"{split} {label} {i}<br /><br />end".encode()
                )
    members["aclImdb/train/unsup/0_0.txt"] = b"not extracted"
    return members


def test_imdb_downloaded_archive_is_extracted_and_read(http_dir, monkeypatch, isolated):
    folder, base, _ = http_dir
    payload = tar_gz(_fake_imdb_members())
    (folder / "imdb.tar.gz").write_bytes(payload)
    _register(monkeypatch, "imdb_archive", f"{base}/imdb.tar.gz", "imdb/aclImdb_v1.tar.gz", payload)
    monkeypatch.setattr(data, "IMDB_MIN_FILES_PER_FOLDER", 3)
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    monkeypatch.setenv("COURSE_PROFILE", "full")
    df = helpers.load_imdb("test")
    assert len(df) == 6
    assert df.label.sum() == 3
    assert "<br" not in "".join(df.text)
    assert df.text.iloc[0].endswith(" end")
    assert not (isolated / "data" / "imdb" / "aclImdb" / "train" / "unsup").exists()


def test_imdb_accepts_an_extracted_folder_without_archive(monkeypatch, isolated):
    root = isolated / "data" / "imdb"
    for name, content in _fake_imdb_members().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    monkeypatch.setattr(data, "IMDB_MIN_FILES_PER_FOLDER", 3)
    monkeypatch.setenv("COURSE_PROFILE", "full")
    df = helpers.load_imdb("train")
    assert list(df.columns) == ["text", "label"]
    assert len(df) == 6


# ------------------------------------------------------------------ loaders and fallback


def test_offline_full_profile_falls_back_to_sample_and_says_so(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    df = helpers.load_nsmc("test")
    out = capsys.readouterr().out
    assert "NSMC SAMPLE" in out
    assert "make data" in out
    assert len(df) == 2000
    helpers.load_nsmc("train")
    assert "SAMPLE" not in capsys.readouterr().out  # said once, not on every call


@pytest.mark.parametrize(
    ("loader", "sizes"), [(helpers.load_imdb, (2000, 1000)), (helpers.load_nsmc, (10000, 2000))]
)
def test_samples_have_documented_columns_and_types(loader, sizes):
    for split, n in zip(("train", "test"), sizes, strict=False):
        df = loader(split)
        assert list(df.columns) == ["text", "label"]
        assert len(df) == n
        assert set(df.label.unique()) == {0, 1}
        assert df.label.dtype == "int64"
        assert all(isinstance(t, str) for t in df.text)
        assert abs(df.label.mean() - 0.5) < 1e-9  # balanced draw


@pytest.mark.parametrize("loader", [helpers.load_imdb, helpers.load_nsmc])
def test_unknown_split_is_a_clear_error(loader):
    with pytest.raises(ValueError, match="split must be one of"):
        loader("validation")


def test_nsmc_reader_keeps_empty_documents_and_quotes(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text('id\tdocument\tlabel\n1\t"따옴표\t1\n2\t\t0\n3\tNaN\t0\n', encoding="utf-8")
    df = data.read_nsmc_file(path)
    assert df.text.tolist() == ['"따옴표', "", "NaN"]
    assert df.label.tolist() == [1, 0, 0]


def test_time_series_are_shipped():
    s = helpers.load_airline()
    assert len(s) == 144
    assert s.index[0] == pd.Timestamp("1949-01-01")
    assert s.iloc[-1] == 432
    assert len(helpers.load_sunspots()) == 309
    assert len(helpers.load_co2()) == 2284


def test_dataset_status_table():
    status = helpers.dataset_status()
    assert status.to_dict("records") == [
        {
            "dataset": "IMDB",
            "on disk": "sample (full data not downloaded)",
            "this profile uses": "sample",
        },
        {
            "dataset": "NSMC",
            "on disk": "sample (full data not downloaded)",
            "this profile uses": "sample",
        },
        {"dataset": "airline passengers", "on disk": "full (shipped)", "this profile uses": "full"},
        {"dataset": "sunspots, CO2", "on disk": "full (shipped)", "this profile uses": "full"},
    ]


def test_dataset_status_in_full_profile_before_and_after_download(fake_registry, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    before = helpers.dataset_status().set_index("dataset")["this profile uses"].to_dict()
    assert before == {
        "IMDB": "full, downloaded on first use (sample if offline)",
        "NSMC": "full, downloaded on first use (sample if offline)",
        "airline passengers": "full",
        "sunspots, CO2": "full",
    }
    data.download_all()
    after = helpers.dataset_status().set_index("dataset")
    assert list(after["on disk"]) == ["full", "full", "full (shipped)", "full (shipped)"]
    assert set(after["this profile uses"]) == {"full"}


def test_dataset_status_names_a_foreign_file_and_says_to_fix_it(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    path = isolated / "data" / data.REGISTRY["nsmc_test"].path
    path.parent.mkdir(parents=True)
    path.write_bytes(b"my own notes")
    row = helpers.dataset_status().set_index("dataset").loc["NSMC"]
    assert row["on disk"].startswith("not usable: ratings_test.txt: size 12 bytes")
    assert row["this profile uses"] == "nothing: fix the file first (see `on disk`)"
    assert path.read_bytes() == b"my own notes"


# ------------------------------------------------------------------ download_all


def test_download_all_fetches_and_verifies_every_registry_file(fake_registry, isolated, capsys):
    data.download_all()
    out = capsys.readouterr().out.splitlines()
    base = isolated / "data"
    assert out == [
        f"nsmc_train: {base / 'nsmc' / 'ratings_train.txt'}",
        f"nsmc_test: {base / 'nsmc' / 'ratings_test.txt'}",
        f"IMDB: {base / 'imdb' / 'aclImdb'}",
    ]
    for key in ("nsmc_train", "nsmc_test", "imdb_archive"):
        assert (base / data.REGISTRY[key].path).read_bytes() == fake_registry[key]
    reviews = sorted(
        p.relative_to(base / "imdb" / "aclImdb").as_posix()
        for p in (base / "imdb" / "aclImdb").rglob("*.txt")
    )
    assert len(reviews) == 12
    assert reviews[0] == "test/neg/0_3.txt"


def test_download_all_twice_uses_the_verified_cache(fake_registry, http_dir, isolated, capsys):
    data.download_all()
    folder, _, _ = http_dir
    for path in folder.iterdir():
        path.unlink()  # the second run must not need the server
    data.download_all()
    assert capsys.readouterr().out.count("nsmc_train: ") == 2


def test_download_all_stops_at_the_first_bad_file_and_keeps_none_of_it(
    fake_registry, http_dir, isolated
):
    folder, _, _ = http_dir
    (folder / "nsmc_test").write_bytes(b"?" * len(fake_registry["nsmc_test"]))
    with pytest.raises(ChecksumError, match="Nothing was kept"):
        data.download_all()
    assert (
        isolated / "data" / "nsmc" / "ratings_train.txt"
    ).exists()  # the good file before it stays
    assert not (isolated / "data" / "nsmc" / "ratings_test.txt").exists()


def test_tests_cannot_reach_the_network():
    import socket

    with pytest.raises(OSError, match="must not touch the network"):
        socket.create_connection(
            ("192.0.2.1", 80), timeout=1
        )  # TEST-NET-1: refused before any packet


FULL = os.environ.get("COURSE_FULL_DATA_DIR")


@pytest.mark.skipif(not FULL, reason="set COURSE_FULL_DATA_DIR to a folder with the full datasets")
def test_full_datasets_have_official_sizes(monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", FULL)
    monkeypatch.setenv("COURSE_PROFILE", "full")
    train, test = helpers.load_nsmc("train"), helpers.load_nsmc("test")
    assert (len(train), int(train.label.sum())) == (150_000, 74_827)
    assert (len(test), int(test.label.sum())) == (50_000, 25_173)
    imdb = helpers.load_imdb("test")
    assert len(imdb) >= 4 * data.IMDB_MIN_FILES_PER_FOLDER // 2
