"""Datasets: one registry, verified cached downloads, loaders and bundled samples."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from .config import data_dir, is_smoke

SPLITS = ("train", "test")
IMDB_MIN_FILES_PER_FOLDER = (
    12_490  # official: 12,500 per train/test x pos/neg; allow a handful missing
)


class DataError(RuntimeError):
    """A dataset could not be used (bad checksum, missing file, bad archive)."""


class ChecksumError(DataError):
    """A file's size or sha256 does not match the registry."""


class DatasetUnavailable(DataError):
    """The full dataset is not on disk and could not be downloaded."""


class DataFolderError(DatasetUnavailable):
    """The data folder cannot be used (it is a file, or it cannot be written)."""


@dataclass(frozen=True)
class RemoteFile:
    """A file of an official dataset, pinned by URL, size and sha256."""

    url: str
    path: str  # relative to the data directory
    sha256: str
    size: int


_NSMC_COMMIT = "cc0670e872d4ac27bfe36c87456783004b39ef6c"
_NSMC_BASE = f"https://raw.githubusercontent.com/e9t/nsmc/{_NSMC_COMMIT}"

REGISTRY: dict[str, RemoteFile] = {
    "nsmc_train": RemoteFile(
        url=f"{_NSMC_BASE}/ratings_train.txt",
        path="nsmc/ratings_train.txt",
        sha256="e03b7d14e9e41be8d464a28057cd25d7396c53e67aa7fd5f7e552c59b0ee2940",
        size=14_628_807,
    ),
    "nsmc_test": RemoteFile(
        url=f"{_NSMC_BASE}/ratings_test.txt",
        path="nsmc/ratings_test.txt",
        sha256="8ac9f64052f11dbf6ae0acb5e038f03d90a76f0eda7820cfb3a92d02edfcebda",
        size=4_893_335,
    ),
    "imdb_archive": RemoteFile(
        url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        path="imdb/aclImdb_v1.tar.gz",
        sha256="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
        size=84_125_825,
    ),
}

_UMASK = os.umask(0o022)  # read once at import (single-threaded then) and put back at once
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK  # what open() would give a new file; mkstemp alone gives 0o600

_noticed: set[str] = set()
_served: dict[
    str, set[str]
] = {}  # dataset -> {"full", "sample"}: what the loaders handed out in this process
_REVIEW_NAME = re.compile(r"^(\d+)_(\d+)\.txt$")  # aclImdb/<split>/<pos|neg>/<id>_<rating>.txt
_RATINGS = {1: range(7, 11), 0: range(1, 5)}  # the official split: pos 7-10 stars, neg 1-4


# ---------------------------------------------------------------- what the loaders served


def served() -> dict[str, str]:
    """What each text loader served in this process: {'IMDB': 'full' | 'sample' | 'full+sample'}."""
    return {name: "+".join(sorted(kinds)) for name, kinds in sorted(_served.items())}


def samples_served() -> list[str]:
    """Datasets for which a bundled sample was served in this process (record_results checks this)."""
    return sorted(name for name, kinds in _served.items() if "sample" in kinds)


def _mark_served(dataset: str, kind: str) -> None:
    _served.setdefault(dataset, set()).add(kind)


# ---------------------------------------------------------------- the data folder, locks, ownership


def _data_dir() -> Path:
    """data_dir(), with a folder that cannot be used reported as DataFolderError."""
    try:
        return data_dir()
    except OSError as err:
        raise DataFolderError(str(err)) from None


def _unwritable(folder: Path, err: OSError) -> DataFolderError:
    return DataFolderError(
        f"cannot write to the data folder {folder} ({err.strerror or err}). Set COURSE_DATA_DIR to a "
        "writable folder, or run `make data` once where the folder can be written."
    )


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _unwritable(folder, err) from None


@contextmanager
def _locked(lock_path: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock file, so one process at a time downloads or extracts `what`."""
    from filelock import FileLock, Timeout

    _mkdir(lock_path.parent)
    lock = FileLock(lock_path)
    try:
        try:
            lock.acquire(timeout=2)
        except Timeout:
            print(f"Waiting for another process that is downloading or extracting {what} ...")
            lock.acquire()
    except OSError as err:
        raise _unwritable(lock_path.parent, err) from None
    try:
        yield
    finally:
        lock.release()


def _marker(path: Path) -> Path:
    return path.with_name(f".{path.name}.downloaded")


def _mark_downloaded(path: Path) -> None:
    """Remember that the course wrote this file itself (so it may replace it later)."""
    st = path.stat()
    _marker(path).write_text(
        json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino})
    )


def _course_downloaded(path: Path) -> bool:
    """True only for a file the course downloaded and nobody has replaced or rewritten since."""
    try:
        mark = json.loads(_marker(path).read_text())
        st = path.stat()
        return not path.is_symlink() and (mark["mtime_ns"], mark["inode"]) == (
            st.st_mtime_ns,
            st.st_ino,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _remove_stale_parts(dest: Path) -> None:
    """Remove `.part` files a killed download left next to dest (call with dest's lock held)."""
    for part in dest.parent.glob(f".{dest.name}.*.part"):
        if part.is_file() and not part.is_symlink():
            part.unlink(missing_ok=True)


# ---------------------------------------------------------------- verified download


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: Path, sha256: str, size: int | None = None) -> None:
    """Raise ChecksumError unless the file has the expected size and sha256."""
    actual_size = path.stat().st_size
    if size is not None and actual_size != size:
        raise ChecksumError(f"{path.name}: size {actual_size:,} bytes, expected {size:,}.")
    actual = sha256_of(path)
    if actual != sha256:
        raise ChecksumError(f"{path.name}: sha256 {actual}, expected {sha256}.")


def download(
    url: str, dest: Path, sha256: str, size: int | None = None, timeout: float = 30.0
) -> Path:
    """Download url to dest atomically: a temporary file is renamed only once its sha256 matches."""
    from tqdm.auto import tqdm

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            total = int(resp.headers.get("Content-Length") or 0) or size
            with tqdm(total=total, unit="B", unit_scale=True, desc=dest.name, leave=False) as bar:
                while block := resp.read(1 << 16):
                    out.write(block)
                    digest.update(block)
                    bar.update(len(block))
        if size is not None and tmp.stat().st_size != size:
            raise ChecksumError(
                f"Download of {url} is {tmp.stat().st_size:,} bytes, expected {size:,} "
                "(interrupted or changed upstream). Nothing was kept; try again."
            )
        if digest.hexdigest() != sha256:
            raise ChecksumError(
                f"Download of {url} has sha256 {digest.hexdigest()}, expected {sha256}. "
                "Nothing was kept. Try again; if it persists, the file changed upstream: open an issue."
            )
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _offline() -> bool:
    return os.environ.get("COURSE_OFFLINE", "").strip().lower() in {"1", "true", "yes"}


def _problem(path: Path, spec: RemoteFile) -> str | None:
    """None if path is the registry's file, else what is wrong with it."""
    if not path.is_file():
        return "it is not a regular file"
    try:
        verify_file(path, spec.sha256, spec.size)
    except ChecksumError as err:
        return str(err)
    except OSError as err:
        return f"it cannot be read ({err.strerror or err})"
    return None


def _foreign_file_error(path: Path, problem: str) -> ChecksumError:
    hint = ""
    try:
        with open(path, "rb") as fh:
            if b"\r\n" in fh.read(1 << 16):
                hint = (
                    " It has Windows line endings (CRLF), which a git clone with core.autocrlf=true "
                    "or a copy through Windows produces."
                )
    except OSError:
        pass
    return ChecksumError(
        f"{path} is not the official file: {problem}.{hint} The course did not download this file, so it "
        "left it untouched. Move it elsewhere (or delete it yourself) and run `make data` to download the "
        "verified copy, or point COURSE_DATA_DIR to a folder holding the official files."
    )


def _usable(path: Path, spec: RemoteFile) -> bool:
    """True if path holds the verified file; False if the course may (re)download it; else a clear error."""
    if not path.exists() and not path.is_symlink():
        if _offline():
            raise DatasetUnavailable(f"{path} is missing and COURSE_OFFLINE is set.")
        return False
    problem = _problem(path, spec)
    if problem is None:
        return True
    if not _course_downloaded(path):
        raise _foreign_file_error(path, problem)
    if _offline():
        raise DatasetUnavailable(
            f"{path} (downloaded earlier by the course) is damaged: {problem}. The course replaces it "
            "with a fresh verified copy on the next download: run `make data` with internet access."
        )
    return False


def fetch(key: str) -> Path:
    """Path to a verified copy of a registry file, downloading it if needed (never deletes a learner's file)."""
    if key not in REGISTRY:
        raise KeyError(f"Unknown dataset file {key!r}; known: {sorted(REGISTRY)}")
    spec = REGISTRY[key]
    path = _data_dir() / spec.path
    if _usable(path, spec):
        return path  # the common case: verified, no lock needed (works in a read-only folder too)
    with _locked(path.with_name(f".{path.name}.lock"), path.name):
        if _usable(path, spec):  # another process fetched it while this one waited
            return path
        if path.exists():
            print(
                f"NOTE: {path.name} (downloaded earlier by the course) is damaged; downloading it again."
            )
        try:
            _remove_stale_parts(path)
            download(spec.url, path, spec.sha256, spec.size)
            _mark_downloaded(path)
        except (
            urllib.error.URLError,
            http.client.HTTPException,
            TimeoutError,
            ConnectionError,
        ) as err:
            raise DatasetUnavailable(
                f"could not download {spec.url} ({err!r}); nothing was kept"
            ) from None
        except PermissionError as err:
            raise _unwritable(path.parent, err) from None
    return path


# ---------------------------------------------------------------- samples and notices


def _sample_path(name: str) -> Path:
    return Path(str(resources.files("helpers") / "samples" / name))


def _notice(dataset: str, reason: str) -> None:
    """Print once per dataset that the bundled sample is in use, and how to get the full data."""
    if dataset in _noticed:
        return
    _noticed.add(dataset)
    print(
        f"NOTE: using the bundled {dataset} SAMPLE ({reason}). Numbers will not match the "
        "published full-profile results. For the full data, run `make data` with internet "
        "access (or set COURSE_DATA_DIR to a folder that holds it) and use COURSE_PROFILE=full."
    )


def _check_split(split: str) -> str:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return split


def _read_sample(dataset: str, split: str) -> pd.DataFrame:
    df = pd.read_csv(_sample_path(f"{dataset}_{split}.csv.gz"), keep_default_na=False)
    return _typed(df)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"text": df["text"].astype(str), "label": df["label"].astype("int64")})
    return out.reset_index(drop=True)


def _load_text_dataset(
    dataset: str, split: str, read_full: Callable[[str], pd.DataFrame]
) -> pd.DataFrame:
    """Full data if allowed and available, else the bundled sample with a notice; remembers which it served."""
    _check_split(split)
    if is_smoke():
        _notice(dataset, "COURSE_PROFILE=smoke")
        df = _read_sample(dataset, split)
        _mark_served(dataset, "sample")
        return df
    try:
        df = read_full(split)
    except DatasetUnavailable as err:
        _notice(dataset, f"the full data is not available: {err}")
        df = _read_sample(dataset, split)
        _mark_served(dataset, "sample")
        return df
    _mark_served(dataset, "full")
    return df


# ---------------------------------------------------------------- NSMC


def read_nsmc_file(path: Path) -> pd.DataFrame:
    """Read an NSMC ratings file (tab-separated, no quoting; empty documents kept as '')."""
    raw = pd.read_csv(
        path, sep="\t", quoting=3, dtype={"id": str, "document": str}, keep_default_na=False
    )
    return _typed(raw.rename(columns={"document": "text"}))


def load_nsmc(split: str) -> pd.DataFrame:
    """NSMC Korean movie reviews: DataFrame with columns text (str) and label (0/1)."""
    return _load_text_dataset("NSMC", split, lambda s: read_nsmc_file(fetch(f"nsmc_{s}")))


# ---------------------------------------------------------------- IMDB

_BR = re.compile(r"<br\s*/?>", flags=re.IGNORECASE)


def clean_html_breaks(text: str) -> str:
    """Replace HTML line breaks (<br />) with spaces and squeeze the whitespace."""
    return re.sub(r"\s+", " ", _BR.sub(" ", text)).strip()


def _review_entries(folder: Path) -> tuple[list[os.DirEntry], list[str]]:
    """The <id>_<rating>.txt entries of a folder sorted by name, and the other *.txt names (not reviews)."""
    reviews, junk = [], []
    with os.scandir(folder) as it:
        for entry in it:
            if _REVIEW_NAME.match(entry.name):
                reviews.append(entry)
            elif entry.name.endswith(".txt"):
                junk.append(entry.name)
    return sorted(reviews, key=lambda e: e.name), sorted(junk)


def _imdb_folder_ok(root: Path) -> bool:
    """True if every train/test pos/neg folder holds enough regular <id>_<rating>.txt files."""
    for split in SPLITS:
        for label in ("pos", "neg"):
            folder = root / split / label
            if not folder.is_dir():
                return False
            try:
                reviews, _ = _review_entries(folder)
            except OSError:
                return False
            if sum(e.is_file(follow_symlinks=False) for e in reviews) < IMDB_MIN_FILES_PER_FOLDER:
                return False
    return True


def safe_extract(archive: Path, target: Path, members_pattern: str | None = None) -> None:
    """Extract a tar archive into target, refusing members that would land outside it."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    pattern = re.compile(members_pattern) if members_pattern else None
    with tarfile.open(archive) as tar:
        members = []
        for member in tar.getmembers():
            dest = (root / member.name).resolve()
            if dest != root and root not in dest.parents:
                raise DataError(f"Refusing to extract {member.name!r}: it escapes {target}.")
            if member.issym() or member.islnk():
                raise DataError(f"Refusing to extract link {member.name!r} from {archive.name}.")
            if pattern is None or pattern.match(member.name):
                members.append(member)
        if hasattr(
            tarfile, "data_filter"
        ):  # Python >= 3.10.12 / 3.11.4: also strips odd modes and owners
            tar.extractall(root, members=members, filter="data")
        else:  # older patch releases: the checks above already refuse links and escaping members
            tar.extractall(root, members=members)


def _remove_stale_extractions(base: Path) -> None:
    """Remove temporary .aclImdb.* folders a killed extraction left (call with the extraction lock held)."""
    for tmp in base.glob(".aclImdb.*"):
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)


def imdb_dir() -> Path:
    """The extracted aclImdb/ folder: an existing complete one, else extracted from the verified archive."""
    base = _data_dir() / "imdb"
    folder = base / "aclImdb"
    if _imdb_folder_ok(folder):
        return folder
    archive = fetch("imdb_archive")
    with _locked(base / ".aclImdb-extract.lock", "the IMDB reviews"):
        if _imdb_folder_ok(folder):  # another process extracted it while this one waited
            return folder
        _remove_stale_extractions(base)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=".aclImdb.", dir=base))
        except OSError as err:
            raise _unwritable(base, err) from None
        try:
            safe_extract(
                archive, tmp, r"^aclImdb/(README|imdb\.vocab|(train|test)/(pos|neg)/\d+_\d+\.txt)$"
            )
            if not _imdb_folder_ok(tmp / "aclImdb"):
                raise DataError(f"{archive} does not hold the expected aclImdb train/test folders.")
            if folder.exists() or folder.is_symlink():  # incomplete: move it aside, never delete it
                aside = base / f"aclImdb.incomplete-{time.strftime('%Y%m%d-%H%M%S')}"
                os.replace(folder, aside)
                print(
                    f"NOTE: {folder} was incomplete, so it was moved to {aside.name}/ (nothing in it was "
                    "deleted) and a fresh copy was extracted from the verified archive. Delete the old "
                    "folder once you have kept what you need from it."
                )
            os.replace(tmp / "aclImdb", folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _imdb_error(path: Path, problem: str) -> DataError:
    return DataError(
        f"{path} {problem}. The course reads only the regular <id>_<rating>.txt files of the official "
        "archive: move that aclImdb folder away and run `make data` to extract a verified copy."
    )


def _read_review(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise _imdb_error(path, f"is not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise _imdb_error(path, f"cannot be read ({err.strerror or err})") from None
    text = clean_html_breaks(text)
    if not text:
        raise _imdb_error(path, "is empty")
    return text


def read_imdb_folder(root: Path, split: str) -> pd.DataFrame:
    """Read aclImdb/<split>/{pos,neg}/<id>_<rating>.txt into text/label, HTML breaks cleaned."""
    _check_split(split)
    root = Path(root)
    inside = root.resolve()
    rows = []
    for label, name in ((1, "pos"), (0, "neg")):
        folder = root / split / name
        if not folder.is_dir():
            raise _imdb_error(folder, "is missing or not a folder")
        if inside not in folder.resolve().parents:
            raise _imdb_error(folder, f"points outside {root}")
        reviews, junk = _review_entries(folder)
        if junk:
            print(
                f"NOTE: ignored {len(junk)} file(s) in {split}/{name}/ not named <id>_<rating>.txt "
                f"(not reviews of the dataset), e.g. {junk[0]}."
            )
        for entry in reviews:
            path = folder / entry.name
            if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                raise _imdb_error(path, "is a link or not a regular file")
            match = _REVIEW_NAME.match(entry.name)
            assert match is not None  # _review_entries keeps only <id>_<rating>.txt names
            rating = int(match.group(2))
            if rating not in _RATINGS[label]:
                raise _imdb_error(
                    path, f"has rating {rating} in its name, which does not belong in {name}/"
                )
            rows.append((_read_review(path), label))
    return _typed(pd.DataFrame(rows, columns=["text", "label"]))


def load_imdb(split: str) -> pd.DataFrame:
    """IMDB movie reviews (Maas et al. 2011): DataFrame with columns text (str) and label (0/1)."""
    return _load_text_dataset("IMDB", split, lambda s: read_imdb_folder(imdb_dir(), s))


# ---------------------------------------------------------------- small time series (shipped)


def load_airline() -> pd.Series:
    """Monthly international airline passengers (thousands), 1949-01 to 1960-12, 144 values."""
    df = pd.read_csv(_sample_path("airline_passengers.csv"))
    index = pd.DatetimeIndex(pd.to_datetime(df["Date"], format="%Y-%m"), freq="MS", name="month")
    return pd.Series(df["Passengers"].to_numpy(dtype="float64"), index=index, name="passengers")


def load_sunspots() -> pd.Series:
    """Yearly mean sunspot activity, 1700-2008, 309 values."""
    df = pd.read_csv(_sample_path("sunspots_yearly.csv"))
    return pd.Series(
        df["SUNACTIVITY"].to_numpy(dtype="float64"),
        index=df["YEAR"].astype(int).rename("year"),
        name="sunspots",
    )


def load_co2() -> pd.Series:
    """Weekly CO2 (ppm) at Mauna Loa, 1958-2001, with the gaps of the record left as missing weeks."""
    df = pd.read_csv(_sample_path("co2_mauna_loa_weekly.csv"), dtype={"date": str})
    index = pd.DatetimeIndex(pd.to_datetime(df["date"], format="%Y%m%d"), name="week")
    return pd.Series(df["co2"].to_numpy(dtype="float64"), index=index, name="co2")


# ---------------------------------------------------------------- status and CLI


def _file_state(path: Path, spec: RemoteFile) -> str:
    """'full' if the file verifies (size and sha256), 'missing', or what is wrong with it."""
    if not path.exists() and not path.is_symlink():
        return "missing"
    problem = _problem(path, spec)
    if problem is None:
        return "full"
    if _course_downloaded(path):
        return "sample (damaged download; the next download replaces it)"
    return f"not usable: {problem}"


def _text_dataset_state(base: Path, dataset: str) -> str:
    if dataset == "NSMC":
        states = [
            _file_state(base / REGISTRY[k].path, REGISTRY[k]) for k in ("nsmc_train", "nsmc_test")
        ]
    else:
        if _imdb_folder_ok(base / "imdb" / "aclImdb"):
            return "full"
        states = [_file_state(base / REGISTRY["imdb_archive"].path, REGISTRY["imdb_archive"])]
    bad = [s for s in states if s.startswith("not usable")]
    if bad:
        return bad[0]
    return "full" if all(s == "full" for s in states) else "sample (full data not downloaded)"


def dataset_status() -> pd.DataFrame:
    """Which datasets are on disk in full (size and sha256 checked) and which will fall back to the sample."""
    try:
        base = _data_dir()
        text_states = [_text_dataset_state(base, name) for name in ("IMDB", "NSMC")]
    except DataFolderError as err:
        text_states = [f"sample (data folder unusable: {err})"] * 2
    rows = [
        ("IMDB", text_states[0]),
        ("NSMC", text_states[1]),
        ("airline passengers", "full (shipped)"),
        ("sunspots, CO2", "full (shipped)"),
    ]
    df = pd.DataFrame(rows, columns=["dataset", "on disk"])
    if is_smoke():
        df["this profile uses"] = ["sample", "sample", "full", "full"]
    else:
        df["this profile uses"] = [
            "full"
            if s.startswith("full")
            else "nothing: fix the file first (see `on disk`)"
            if s.startswith("not usable")
            else "sample"
            if "unusable" in s
            else "full, downloaded on first use (sample if offline)"
            for s in df["on disk"]
        ]
    return df


def download_all() -> None:
    """Download and verify every full dataset (used by `make data`)."""
    for key in REGISTRY:
        if key == "imdb_archive":
            print("IMDB:", imdb_dir())
        else:
            print(f"{key}:", fetch(key))
