"""Datasets: one registry, verified cached downloads, loaders and bundled samples."""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from .config import data_dir, is_smoke

SPLITS = ("train", "test")
IMDB_MIN_FILES_PER_FOLDER = 12_490  # official: 12,500 per train/test x pos/neg; allow a handful missing


class DataError(RuntimeError):
    """A dataset could not be used (bad checksum, missing file, bad archive)."""


class ChecksumError(DataError):
    """A file's size or sha256 does not match the registry."""


class DatasetUnavailable(DataError):
    """The full dataset is not on disk and could not be downloaded."""


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

_noticed: set[str] = set()


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


def download(url: str, dest: Path, sha256: str, size: int | None = None, timeout: float = 30.0) -> Path:
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
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _offline() -> bool:
    return os.environ.get("COURSE_OFFLINE", "").strip().lower() in {"1", "true", "yes"}


def fetch(key: str) -> Path:
    """Path to a verified copy of a registry file, downloading it if needed."""
    if key not in REGISTRY:
        raise KeyError(f"Unknown dataset file {key!r}; known: {sorted(REGISTRY)}")
    spec = REGISTRY[key]
    path = data_dir() / spec.path
    if path.exists():
        try:
            verify_file(path, spec.sha256, spec.size)
        except ChecksumError as err:
            path.unlink()
            raise ChecksumError(
                f"Cached file {path} is corrupt ({err}) and was deleted. "
                "Run `make data` (or call the loader again) to download a fresh copy."
            ) from None
        return path
    if _offline():
        raise DatasetUnavailable(f"{path} is missing and COURSE_OFFLINE is set.")
    try:
        return download(spec.url, path, spec.sha256, spec.size)
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as err:
        raise DatasetUnavailable(f"could not download {spec.url} ({err!r}); nothing was kept") from None


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


def _load_text_dataset(dataset: str, split: str, read_full) -> pd.DataFrame:
    """Full data if allowed and available, else the bundled sample with a notice."""
    _check_split(split)
    if is_smoke():
        _notice(dataset, "COURSE_PROFILE=smoke")
        return _read_sample(dataset, split)
    try:
        return read_full(split)
    except DatasetUnavailable as err:
        _notice(dataset, f"the full data is not available: {err}")
        return _read_sample(dataset, split)


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


def _imdb_folder_ok(root: Path) -> bool:
    for split in SPLITS:
        for label in ("pos", "neg"):
            folder = root / split / label
            if not folder.is_dir() or sum(1 for _ in folder.glob("*.txt")) < IMDB_MIN_FILES_PER_FOLDER:
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
        tar.extractall(root, members=members, filter="data")


def imdb_dir() -> Path:
    """The extracted aclImdb/ folder: an existing complete one, else extracted from the verified archive."""
    base = data_dir() / "imdb"
    folder = base / "aclImdb"
    if _imdb_folder_ok(folder):
        return folder
    archive = fetch("imdb_archive")
    tmp = Path(tempfile.mkdtemp(prefix=".aclImdb.", dir=base))
    try:
        safe_extract(archive, tmp, r"^aclImdb/(README|imdb\.vocab|(train|test)/(pos|neg)/\d+_\d+\.txt)$")
        if not _imdb_folder_ok(tmp / "aclImdb"):
            raise DataError(f"{archive} does not hold the expected aclImdb train/test folders.")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp / "aclImdb", folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def read_imdb_folder(root: Path, split: str) -> pd.DataFrame:
    """Read aclImdb/<split>/{pos,neg}/*.txt into text/label, HTML breaks cleaned."""
    rows = []
    for label, name in ((1, "pos"), (0, "neg")):
        for path in sorted((Path(root) / split / name).glob("*.txt")):
            rows.append((clean_html_breaks(path.read_text(encoding="utf-8")), label))
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
    return pd.Series(df["SUNACTIVITY"].to_numpy(dtype="float64"), index=df["YEAR"].astype(int).rename("year"), name="sunspots")


def load_co2() -> pd.Series:
    """Weekly CO2 (ppm) at Mauna Loa, 1958-2001, with the gaps of the record left as missing weeks."""
    df = pd.read_csv(_sample_path("co2_mauna_loa_weekly.csv"), dtype={"date": str})
    index = pd.DatetimeIndex(pd.to_datetime(df["date"], format="%Y%m%d"), name="week")
    return pd.Series(df["co2"].to_numpy(dtype="float64"), index=index, name="co2")


# ---------------------------------------------------------------- status and CLI


def dataset_status() -> pd.DataFrame:
    """Which datasets are on disk in full and which will fall back to the bundled sample."""
    base = data_dir()
    nsmc = all((base / REGISTRY[k].path).exists() for k in ("nsmc_train", "nsmc_test"))
    imdb = _imdb_folder_ok(base / "imdb" / "aclImdb") or (base / REGISTRY["imdb_archive"].path).exists()
    rows = [
        ("IMDB", "full" if imdb else "sample (full data not downloaded)"),
        ("NSMC", "full" if nsmc else "sample (full data not downloaded)"),
        ("airline passengers", "full (shipped)"),
        ("sunspots, CO2", "full (shipped)"),
    ]
    df = pd.DataFrame(rows, columns=["dataset", "on disk"])
    if is_smoke():
        df["this profile uses"] = ["sample", "sample", "full", "full"]
    else:
        df["this profile uses"] = [
            "full" if s.startswith("full") else "full, downloaded on first use (sample if offline)"
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

