"""Korean text: light cleaning, whitespace / syllable / Kiwi-morpheme tokenizers and a Kiwi cache."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import data_dir

if TYPE_CHECKING:  # Kiwi loads on first use (about 2 s)
    from kiwipiepy import Kiwi
from .data import FILE_MODE

WORD_BOUNDARY = "▁"  # marks a space in the syllable tokenizer (as in SentencePiece)
CACHE_FOLDER = "kiwi_cache"
CACHE_FORMAT = 2  # bump when the cache layout or key changes (2: length-prefixed text hash)

_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"(.)\1{2,}")  # a character repeated 3+ times
_HANGUL_SYLLABLE = re.compile(r"[가-힣]")
_JAMO = re.compile(r"[ㄱ-ㅎㅏ-ㅣ]")


# ---------------------------------------------------------------- input checks


def check_text(text: object, what: str = "text") -> str:
    """The text NFC-normalised (composed Hangul syllables), or a clear error for None, bytes or broken Unicode."""
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(f"{what} is bytes, not str: decode it first, e.g. data.decode('utf-8').")
    if not isinstance(text, str):
        raise TypeError(f"{what} is {type(text).__name__}, not str: {text!r:.60}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError(
            f"{what} holds an unpaired surrogate ({text[err.start]!r} at position {err.start}), which is not "
            "valid Unicode: read the file with encoding='utf-8' (not errors='surrogateescape')."
        ) from None
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- cleaning


def clean_review(text: str, max_repeat: int = 2) -> str:
    """NFC-normalise, squeeze whitespace and cut runs of one character to max_repeat (ㅋㅋㅋㅋ -> ㅋㅋ)."""
    if not isinstance(text, str):
        raise TypeError(f"clean_review expects a str, got {type(text).__name__}.")
    if max_repeat < 1:
        raise ValueError(f"max_repeat must be >= 1, got {max_repeat}.")
    text = unicodedata.normalize("NFC", text)
    text = _REPEATS.sub(lambda m: m.group(1) * max_repeat, text)
    return _SPACES.sub(" ", text).strip()


def hangul_share(text: str) -> float:
    """Share of the non-space characters that are Hangul syllables (0.0 for an empty text)."""
    chars = [c for c in text if not c.isspace()]
    return sum(bool(_HANGUL_SYLLABLE.match(c)) for c in chars) / len(chars) if chars else 0.0


def has_jamo(text: str) -> bool:
    """True if the text holds bare consonants/vowels such as ㅋㅋ, ㅎㅎ or ㅠㅠ (typical chat noise)."""
    return bool(_JAMO.search(text))


# ---------------------------------------------------------------- simple tokenizers


def whitespace_tokens(text: str) -> list[str]:
    """Split on whitespace: eojeol (space-separated words), what many tutorials do (input NFC-normalised)."""
    return check_text(text).split()


_WORD_OR_MARK = re.compile(r"[ㄱ-ㅎㅏ-ㅣ]+|[^\W_ㄱ-ㅎㅏ-ㅣ]+|(?:[^\w\s]|_)+")


def whitespace_punct_tokens(text: str) -> list[str]:
    """Whitespace words with punctuation/symbol and bare-jamo runs split off.

    Example: '최고!!ㅋㅋ' -> ['최고', '!!', 'ㅋㅋ'].
    """
    if not isinstance(text, str):
        raise TypeError(f"whitespace_punct_tokens expects a str, got {type(text).__name__}.")
    return _WORD_OR_MARK.findall(unicodedata.normalize("NFC", text))


def syllable_tokens(text: str, boundary: str | None = WORD_BOUNDARY) -> list[str]:
    """One token per character (Hangul syllable, input NFC-normalised); spaces become `boundary` (dropped if None)."""
    out: list[str] = []
    for word in check_text(text).split():
        if out and boundary:
            out.append(boundary)
        out.extend(word)
    return out


def join_tokens(tokens: Sequence[str]) -> str:
    """Tokens joined by single spaces, ready for TextVectorization(split='whitespace')."""
    return " ".join(tokens)


# ---------------------------------------------------------------- Kiwi morphemes

KIWI_SETTINGS: dict[str, Any] = {"z_coda": True, "compatible_jamo": True, "tags": False}


def kiwi_version() -> str:
    """The installed kiwipiepy version (raises a clear ImportError if it is missing)."""
    try:
        import kiwipiepy
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "kiwipiepy is not installed: `pip install kiwipiepy` (its model ships as a package)."
        ) from err
    return kiwipiepy.__version__


@lru_cache(maxsize=4)
def get_kiwi(num_workers: int = -1) -> Kiwi:
    """A shared Kiwi analyser (loading the model takes ~2 s, so it is built once)."""
    kiwi_version()
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=num_workers)


def _settings(z_coda: bool, compatible_jamo: bool, tags: bool) -> dict[str, Any]:
    return {"z_coda": bool(z_coda), "compatible_jamo": bool(compatible_jamo), "tags": bool(tags)}


def _morph_strings(token_lists: Iterable[Any], tags: bool) -> list[str]:
    # A few multi-word dictionary entries contain spaces ("갱스 터"): glue them with "_".
    if tags:
        return [
            " ".join(f"{t.form.replace(' ', '_')}/{t.tag}" for t in toks) for toks in token_lists
        ]
    return [" ".join(t.form.replace(" ", "_") for t in toks) for toks in token_lists]


def kiwi_morphemes(
    texts: str | Iterable[str],
    z_coda: bool = KIWI_SETTINGS["z_coda"],
    compatible_jamo: bool = KIWI_SETTINGS["compatible_jamo"],
    tags: bool = KIWI_SETTINGS["tags"],
    num_workers: int = -1,
) -> list[str]:
    """Kiwi morphemes of each text (NFC-normalised) joined by spaces ('영화 가 재밌 었 어요'); no cache."""
    items = _check_texts(texts)
    if not items:
        return []
    kiwi = get_kiwi(num_workers)
    result = kiwi.tokenize(items, z_coda=z_coda, compatible_jamo=compatible_jamo)
    return _morph_strings(result, tags)


def kiwi_preprocess(text: str) -> str:
    """The preprocess step of the exported model: clean one raw review, return its morphemes joined by spaces."""
    return kiwi_morphemes(clean_review(text), num_workers=1)[0]


def _check_texts(texts: str | Iterable[str]) -> list[str]:
    """A list of NFC-normalised texts from one text or an iterable of them; clear errors name the bad item."""
    if texts is None or isinstance(texts, (bytes, bytearray)):
        check_text(texts, "texts")
    items = [texts] if isinstance(texts, str) else list(texts)
    return [check_text(t, f"Text #{i}") for i, t in enumerate(items)]


def texts_sha256(texts: Sequence[str]) -> str:
    """sha256 over the number of texts and each text's UTF-8 length and bytes: an unambiguous corpus key."""
    digest = hashlib.sha256(len(texts).to_bytes(8, "little"))
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"Text #{i} is {type(t).__name__}, not str: {t!r:.60}")
        raw = t.encode("utf-8")
        digest.update(len(raw).to_bytes(8, "little"))
        digest.update(raw)
    return digest.hexdigest()


def cache_key(texts: Sequence[str], **settings: Any) -> str:
    """Cache key from the texts' sha256, the tokenizer settings and the kiwipiepy version."""
    meta = {
        "texts": texts_sha256(texts),
        "settings": _settings(**settings),
        "kiwipiepy": kiwi_version(),
        "format": CACHE_FORMAT,
    }
    return hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:24]


def cache_path(key: str, folder: Path | None = None) -> Path:
    """Where the cached morphemes for a key are stored (under data_dir()/kiwi_cache by default)."""
    return (folder or data_dir() / CACHE_FOLDER) / f"{key}.json.gz"


def kiwi_morphemes_cached(
    texts: Sequence[str],
    folder: Path | None = None,
    z_coda: bool = KIWI_SETTINGS["z_coda"],
    compatible_jamo: bool = KIWI_SETTINGS["compatible_jamo"],
    tags: bool = KIWI_SETTINGS["tags"],
) -> tuple[list[str], dict[str, Any]]:
    """Kiwi morphemes for many texts, cached on disk; returns (morphemes, info with cold 'seconds' and 'hit')."""
    texts = _check_texts(texts)
    settings = _settings(z_coda, compatible_jamo, tags)
    key = cache_key(texts, **settings)
    try:
        path: Path | None = cache_path(key, folder)
    except OSError as err:  # e.g. COURSE_DATA_DIR names a file
        print(f"NOTE: no Kiwi cache this time ({err}).")
        path = None
    cached = _read_cache(path, len(texts)) if path is not None else None
    if cached is not None:
        return cached
    t0 = time.perf_counter()
    morphemes = kiwi_morphemes(texts, **settings)
    info = {
        "n_texts": len(texts),
        "seconds": round(time.perf_counter() - t0, 2),
        "cpus": os.cpu_count(),
        "kiwipiepy": kiwi_version(),
        "settings": settings,
        "key": key,
    }
    if path is not None:
        _write_cache(path, {"info": info, "morphemes": morphemes})
    return morphemes, {**info, "hit": False}


def _read_cache(path: Path, n_texts: int) -> tuple[list[str], dict[str, Any]] | None:
    """The cached (morphemes, info) if the file is whole and matches; None for missing, truncated or broken files."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            record = json.load(fh)
        morphemes, info = record["morphemes"], record["info"]
        if (
            len(morphemes) == n_texts
            and all(isinstance(m, str) for m in morphemes)
            and isinstance(info, dict)
        ):
            return morphemes, {**info, "hit": True}
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        pass  # truncated or broken: rebuilt and overwritten by the caller
    return None


def _write_cache(path: Path, record: dict[str, Any]) -> None:
    """Write the cache file atomically through a unique temporary name; a folder that cannot be written is a notice."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old state or the whole file
        tmp = None
    except OSError as err:
        print(
            f"NOTE: could not write the Kiwi cache ({err.strerror or err}); the morphemes were computed "
            "and are returned, but the next run computes them again. Set COURSE_DATA_DIR to a writable folder."
        )
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


# ---------------------------------------------------------------- vocabulary statistics


def oov_rate(
    train_docs: Iterable[str], test_docs: Iterable[str], max_tokens: int | None = None
) -> float:
    """Share of test tokens (space-separated) missing from the train vocabulary (its top max_tokens)."""
    from collections import Counter

    counts = Counter(tok for doc in train_docs for tok in doc.split())
    vocab = set(w for w, _ in counts.most_common(max_tokens)) if max_tokens else set(counts)
    total = missing = 0
    for doc in test_docs:
        for tok in doc.split():
            total += 1
            missing += tok not in vocab
    return missing / total if total else 0.0
