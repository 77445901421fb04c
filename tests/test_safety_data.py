"""Issue 18 (data safety): never delete a learner's file, never serve junk as reviews, clear errors, locks."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

import pytest
from support import tar_gz

import helpers
import helpers.data as data
from helpers.__main__ import main
from helpers.data import ChecksumError, DataError, RemoteFile


def _register(monkeypatch, key: str, url: str, path: str, payload: bytes) -> None:
    spec = RemoteFile(
        url=url, path=path, sha256=hashlib.sha256(payload).hexdigest(), size=len(payload)
    )
    monkeypatch.setitem(data.REGISTRY, key, spec)


def _imdb_members(n: int = 3) -> dict[str, bytes]:
    members = {}
    for split in ("train", "test"):
        for label, rating in (("pos", 8), ("neg", 3)):
            for i in range(n):
                members[f"aclImdb/{split}/{label}/{i}_{rating}.txt"] = (
                    f"{split} {label} review {i}".encode()
                )
    return members


def _write_tree(root: Path, members: dict[str, bytes]) -> None:
    for name, content in members.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)


@pytest.fixture
def imdb_full(monkeypatch, isolated) -> Path:
    """A complete (3 reviews per folder) extracted aclImdb/ in the data folder, full profile."""
    monkeypatch.setattr(data, "IMDB_MIN_FILES_PER_FOLDER", 3)
    monkeypatch.setenv("COURSE_PROFILE", "full")
    _write_tree(isolated / "data" / "imdb", _imdb_members())
    return isolated / "data" / "imdb" / "aclImdb"


@pytest.fixture
def imdb_archive_served(http_dir, monkeypatch):
    """The IMDB archive (3 reviews per folder) served on 127.0.0.1; online, full profile."""
    folder, base, _ = http_dir
    payload = tar_gz(_imdb_members())
    (folder / "imdb.tar.gz").write_bytes(payload)
    _register(monkeypatch, "imdb_archive", f"{base}/imdb.tar.gz", "imdb/aclImdb_v1.tar.gz", payload)
    monkeypatch.setattr(data, "IMDB_MIN_FILES_PER_FOLDER", 3)
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    monkeypatch.setenv("COURSE_PROFILE", "full")
    return payload


def _unwritable(tmp_path: Path, exists: bool) -> Path:
    """A folder this process cannot create files in (chmod for normal users; /proc when running as root)."""
    if os.name != "posix" or (os.geteuid() == 0 and not Path("/proc/self").exists()):
        pytest.skip("needs a read-only folder")
    if os.geteuid() == 0:
        return Path("/proc") if exists else Path("/proc/course-test-data")
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    return folder if exists else folder / "data"


# ------------------------------------------------------------------ 1. which data was served


def test_1_loaders_record_which_data_they_served(imdb_full, monkeypatch):
    helpers.load_imdb("test")
    helpers.load_nsmc("test")  # offline, no full NSMC: the sample
    assert data.served() == {"IMDB": "full", "NSMC": "sample"}
    assert data.samples_served() == ["NSMC"]


def test_1_smoke_profile_serves_samples_and_says_so():
    helpers.load_imdb("train")
    assert data.samples_served() == ["IMDB"]


# ------------------------------------------------------------------ 5. never delete the learner's file


def _official_nsmc(monkeypatch, url: str = "http://127.0.0.1:9/never") -> bytes:
    payload = b"id\tdocument\tlabel\n1\tgood\t1\n2\tbad\t0\n"
    _register(monkeypatch, "nsmc_train", url, "nsmc/ratings_train.txt", payload)
    return payload


def _downloaded_then_damaged(http_dir, monkeypatch) -> tuple[Path, bytes]:
    """NSMC train fetched by the course from the local server, then hit by bit rot (same size,
    same time stamp); returns its path and the official payload."""
    folder, base, _ = http_dir
    payload = _official_nsmc(monkeypatch, f"{base}/r.txt")
    (folder / "r.txt").write_bytes(payload)
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    path = data.fetch("nsmc_train")
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.write(b"X")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return path, payload


def test_5_read_only_crlf_copy_of_the_learner_is_kept_and_explained(monkeypatch, isolated):
    payload = _official_nsmc(monkeypatch)
    path = isolated / "data" / "nsmc" / "ratings_train.txt"
    path.parent.mkdir(parents=True)
    crlf = payload.replace(b"\n", b"\r\n")  # what git autocrlf makes of it
    path.write_bytes(crlf)
    path.chmod(0o444)
    monkeypatch.setenv("COURSE_PROFILE", "full")
    for online in ("1", "0"):
        monkeypatch.setenv("COURSE_OFFLINE", online)
        with pytest.raises(ChecksumError, match=r"(?s)line endings.*left it untouched.*make data"):
            helpers.load_nsmc("train")
        assert path.read_bytes() == crlf


def test_5_a_file_the_course_downloaded_and_that_got_damaged_is_replaced(
    http_dir, monkeypatch, isolated
):
    _, payload = _downloaded_then_damaged(http_dir, monkeypatch)
    assert data.fetch("nsmc_train").read_bytes() == payload


# ------------------------------------------------------------------ 6. never delete an incomplete aclImdb/


def test_6_incomplete_aclimdb_is_moved_aside_not_deleted(imdb_archive_served, isolated, capsys):
    mine = isolated / "data" / "imdb" / "aclImdb"
    _write_tree(
        mine,
        {
            "train/unsup/0_0.txt": b"unlabelled",
            "my_notes.md": b"keep me",
            "train/pos/1_9.txt": b"x",
        },
    )
    df = helpers.load_imdb("test")
    assert len(df) == 6
    kept = list((isolated / "data" / "imdb").glob("aclImdb.incomplete-*"))
    assert len(kept) == 1
    assert (kept[0] / "my_notes.md").read_bytes() == b"keep me"
    assert (kept[0] / "train" / "unsup" / "0_0.txt").read_bytes() == b"unlabelled"
    assert "moved to aclImdb.incomplete-" in capsys.readouterr().out


# ------------------------------------------------------------------ 7. only regular files inside the tree


def test_7_symlink_pointing_outside_the_tree_is_an_error(imdb_full, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not a review")
    review = imdb_full / "test" / "pos" / "2_8.txt"
    review.unlink()
    review.symlink_to(secret)
    with pytest.raises(DataError, match=r"2_8\.txt is a link"):
        data.read_imdb_folder(imdb_full, "test")


def test_7_empty_review_is_an_error_naming_the_file(imdb_full):
    (imdb_full / "train" / "neg" / "1_3.txt").write_bytes(b" <br /> ")
    with pytest.raises(DataError, match=r"1_3\.txt is empty"):
        data.read_imdb_folder(imdb_full, "train")


def test_7_junk_txt_files_are_not_loaded_as_reviews(imdb_full, capsys):
    (imdb_full / "test" / "pos" / "notes.txt").write_text("my notes")
    (imdb_full / "test" / "neg" / "urls_neg.txt").write_text("http://example.org")
    df = data.read_imdb_folder(imdb_full, "test")
    assert len(df) == 6
    assert "my notes" not in set(df.text)
    assert "notes.txt" in capsys.readouterr().out


def test_7_a_review_with_a_rating_of_the_other_class_is_an_error(imdb_full):
    (imdb_full / "test" / "neg" / "9_10.txt").write_text("great film")
    with pytest.raises(DataError, match=r"9_10\.txt has rating 10"):
        data.read_imdb_folder(imdb_full, "test")


def test_7_symlinked_reviews_do_not_count_as_a_complete_folder(imdb_full, tmp_path):
    outside = tmp_path / "o.txt"
    outside.write_text("x")
    for p in list((imdb_full / "train" / "pos").iterdir()):
        p.unlink()
        p.symlink_to(outside)
    assert not data._imdb_folder_ok(imdb_full)


# ------------------------------------------------------------------ 10. status checks size and checksum


def test_10_status_does_not_call_zero_byte_or_corrupt_files_full(monkeypatch, isolated):
    payload = _official_nsmc(monkeypatch)
    _register(
        monkeypatch, "nsmc_test", "http://127.0.0.1:9/never", "nsmc/ratings_test.txt", payload
    )
    folder = isolated / "data" / "nsmc"
    folder.mkdir(parents=True)
    (folder / "ratings_train.txt").write_bytes(b"")
    (folder / "ratings_test.txt").write_bytes(payload.upper())  # same size, other bytes
    monkeypatch.setenv("COURSE_PROFILE", "full")
    status = helpers.dataset_status().set_index("dataset")
    assert not status.loc["NSMC", "on disk"].startswith("full")
    assert "size 0 bytes" in status.loc["NSMC", "on disk"]
    (folder / "ratings_train.txt").write_bytes(payload)
    assert "sha256" in helpers.dataset_status().set_index("dataset").loc["NSMC", "on disk"]
    (folder / "ratings_test.txt").write_bytes(payload)
    assert helpers.dataset_status().set_index("dataset").loc["NSMC", "on disk"] == "full"


def test_10_status_does_not_call_a_zero_byte_imdb_archive_full(monkeypatch, isolated):
    archive = isolated / "data" / "imdb" / "aclImdb_v1.tar.gz"
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"")
    assert (
        not helpers.dataset_status().set_index("dataset").loc["IMDB", "on disk"].startswith("full")
    )


# ------------------------------------------------------------------ 12. unusable data folders


def test_12_data_dir_that_is_a_file_falls_back_to_the_sample_with_a_notice(
    monkeypatch, tmp_path, capsys
):
    not_a_folder = tmp_path / "data.txt"
    not_a_folder.write_text("oops")
    monkeypatch.setenv("COURSE_DATA_DIR", str(not_a_folder))
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert len(helpers.load_nsmc("test")) == 2000
    assert "is a file, not a folder" in capsys.readouterr().out
    assert data.samples_served() == ["NSMC"]
    assert main(["status"]) == 0
    assert "is a file, not a folder" in capsys.readouterr().out
    with pytest.raises(NotADirectoryError, match="COURSE_DATA_DIR"):
        helpers.data_dir()


@pytest.mark.parametrize("offline", ["1", "0"])
def test_12_missing_data_folder_in_a_read_only_checkout_falls_back(
    monkeypatch, tmp_path, capsys, offline
):
    monkeypatch.setenv("COURSE_DATA_DIR", str(_unwritable(tmp_path, exists=False)))
    monkeypatch.setenv("COURSE_OFFLINE", offline)
    monkeypatch.setenv("COURSE_PROFILE", "full")
    _official_nsmc(monkeypatch)  # nothing listens there: no network in tests
    assert len(helpers.load_nsmc("train")) == 10_000
    assert "NSMC SAMPLE" in capsys.readouterr().out
    assert main(["status"]) == 0


def test_12_read_only_data_folder_falls_back_and_says_what_to_fix(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("COURSE_DATA_DIR", str(_unwritable(tmp_path, exists=True)))
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    monkeypatch.setenv("COURSE_PROFILE", "full")
    _official_nsmc(monkeypatch)
    assert len(helpers.load_nsmc("train")) == 10_000
    out = capsys.readouterr().out
    assert "cannot write to the data folder" in out
    assert "COURSE_DATA_DIR" in out


# ------------------------------------------------------------------ 13. concurrent first use


def _in_threads(n: int, fn) -> list:
    results: list = [None] * n
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn()
        except BaseException as err:
            results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_13_concurrent_first_imdb_loads_all_succeed(imdb_archive_served, isolated):
    results = _in_threads(4, data.imdb_dir)
    assert all(isinstance(r, Path) for r in results), results
    assert len(data.read_imdb_folder(results[0], "train")) == 6
    assert not list((isolated / "data" / "imdb").glob(".aclImdb.*/"))


def test_13_one_download_when_several_processes_ask_at_once(http_dir, monkeypatch, isolated):
    folder, base, _ = http_dir
    payload = os.urandom(2_000_000)
    (folder / "big.bin").write_bytes(payload)
    _register(monkeypatch, "imdb_archive", f"{base}/big.bin", "imdb/aclImdb_v1.tar.gz", payload)
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    calls = []
    real = data.download

    def counting(*args, **kwargs):
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to be waiting on the lock
        return real(*args, **kwargs)

    monkeypatch.setattr(data, "download", counting)
    results = _in_threads(4, lambda: data.fetch("imdb_archive"))
    assert all(isinstance(r, Path) for r in results), results
    assert len(calls) == 1


def test_13_concurrent_detection_of_a_damaged_download_replaces_it_once(
    http_dir, monkeypatch, isolated
):
    path, payload = _downloaded_then_damaged(http_dir, monkeypatch)
    calls = []
    real = data.download
    monkeypatch.setattr(
        data, "download", lambda *a, **k: (calls.append(1), time.sleep(0.2), real(*a, **k))[2]
    )
    results = _in_threads(4, lambda: data.fetch("nsmc_train"))
    assert all(isinstance(r, Path) for r in results), results
    assert len(calls) == 1
    assert path.read_bytes() == payload


# ------------------------------------------------------------------ 14. clear errors, stale .part files


def test_14_unreadable_reviews_are_errors_that_name_the_file(imdb_full):
    (imdb_full / "test" / "pos" / "7_8.txt").write_bytes(b"caf\xe9 latin-1")
    with pytest.raises(DataError, match=r"7_8\.txt is not UTF-8"):
        data.read_imdb_folder(imdb_full, "test")
    (imdb_full / "test" / "pos" / "7_8.txt").unlink()
    (imdb_full / "test" / "pos" / "5_9.txt").mkdir()
    with pytest.raises(DataError, match=r"5_9\.txt is a link or not a regular file"):
        data.read_imdb_folder(imdb_full, "test")
    (imdb_full / "test" / "pos" / "5_9.txt").rmdir()
    (imdb_full / "test" / "pos" / "6_9.txt").symlink_to(imdb_full / "gone.txt")  # dangling
    with pytest.raises(DataError, match=r"6_9\.txt"):
        data.read_imdb_folder(imdb_full, "test")


def test_14_missing_split_folder_is_an_error_not_an_empty_table(imdb_full):
    import shutil

    shutil.rmtree(imdb_full / "test" / "neg")
    with pytest.raises(DataError, match=r"neg is missing"):
        data.read_imdb_folder(imdb_full, "test")


def test_14_stale_part_files_of_killed_downloads_are_removed(http_dir, monkeypatch, isolated):
    folder, base, _ = http_dir
    payload = _official_nsmc(monkeypatch)
    (folder / "r.txt").write_bytes(payload)
    _official_nsmc(monkeypatch, f"{base}/r.txt")
    stale = isolated / "data" / "nsmc" / ".ratings_train.txt.k1ll3d.part"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a download")
    other = isolated / "data" / "nsmc" / "my.part"  # not the course's: stays
    other.write_bytes(b"mine")
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    assert data.fetch("nsmc_train").read_bytes() == payload
    assert not stale.exists()
    assert other.exists()


def test_written_files_get_the_usual_permissions_not_mkstemps_0600(http_dir, monkeypatch, isolated):
    folder, base, _ = http_dir
    payload = _official_nsmc(monkeypatch)
    (folder / "r.txt").write_bytes(payload)
    _official_nsmc(monkeypatch, f"{base}/r.txt")
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert data.fetch("nsmc_train").stat().st_mode & 0o777 == data.FILE_MODE
    helpers.record_results("91_demo", accuracy=0.5)
    assert (isolated / "results" / "91_demo.json").stat().st_mode & 0o777 == data.FILE_MODE
