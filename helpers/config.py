"""Course profiles (full / smoke), per-profile values and seeding."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
from pathlib import Path
from typing import TypeVar

import numpy as np

T = TypeVar("T")

PROFILES = ("full", "smoke")
DEFAULT_PROFILE = "full"
DEFAULT_SEED = 42


def get_profile() -> str:
    """Return the active profile from COURSE_PROFILE ('full' by default)."""
    value = os.environ.get("COURSE_PROFILE", DEFAULT_PROFILE).strip().lower() or DEFAULT_PROFILE
    if value not in PROFILES:
        raise ValueError(
            f"Unknown COURSE_PROFILE={value!r}. Use one of {PROFILES}, "
            "e.g. `COURSE_PROFILE=smoke make run` for a quick pass."
        )
    return value


def is_smoke() -> bool:
    """True when the quick CI profile is active."""
    return get_profile() == "smoke"


def pick(full: T, smoke: T) -> T:
    """Choose a value for the active profile: pick(full=20, smoke=1)."""
    return smoke if is_smoke() else full


def set_seed(seed: int = DEFAULT_SEED) -> int:
    """Seed Python, NumPy and (if installed) Keras/TensorFlow; return the seed.

    PYTHONHASHSEED is not touched: it only matters when a Python process starts.
    """
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002  (libraries that still draw from NumPy's global RNG)
    try:
        import keras

        keras.utils.set_random_seed(seed)
    except ImportError:  # TensorFlow/Keras are optional for the pure-NumPy helpers.
        pass
    return seed


def _quiet_tensorflow() -> None:
    """Hide TensorFlow's Python-side info and retracing messages (C++ logs: see __init__)."""
    import logging

    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:
        pass


def _versions_line() -> str:
    parts = [f"numpy {np.__version__}"]
    for name in ("tensorflow", "keras"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        parts.append(f"{name} {module.__version__}")
    return "  ".join(parts)


SMOKE_BANNER = (
    "SMOKE PROFILE: tiny data and 1-2 epochs to check that the code runs. The numbers below are "
    "NOT the course's results and may contradict the text, which reads the full-profile run."
)


def setup(seed: int = DEFAULT_SEED, *, deterministic: bool = True) -> int:
    """Seed every generator, make TensorFlow ops deterministic, quiet TF, print one banner; return seed.

    Every notebook's setup cell calls this once: ``SEED = helpers.setup(seed=42)``.
    """
    profile = get_profile()
    set_seed(seed)
    try:
        import tensorflow as tf

        if deterministic:
            tf.config.experimental.enable_op_determinism()
        _quiet_tensorflow()
    except ImportError:
        pass
    print(f"profile: {profile}  seed: {seed}  {_versions_line()}")
    if profile == "smoke":
        print(SMOKE_BANNER)
    return seed


def repo_root() -> Path:
    """The course repository (the folder holding pyproject.toml), else the current folder."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def data_dir() -> Path:
    """Where datasets are cached: $COURSE_DATA_DIR, else data/ in the repository (created if it can be)."""
    env = os.environ.get("COURSE_DATA_DIR")
    path = Path(env).expanduser() if env else repo_root() / "data"
    if path.exists() and not path.is_dir():
        where = f"COURSE_DATA_DIR={env}" if env else "data/ in the repository"
        raise NotADirectoryError(
            f"{where} is a file, not a folder: point COURSE_DATA_DIR to a folder."
        )
    # read-only: reading still works, and whatever must write says what to fix
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    return path


def results_dir() -> Path:
    """Where full-profile metrics go: $COURSE_RESULTS_DIR, else results/ in the repository."""
    env = os.environ.get("COURSE_RESULTS_DIR")
    return Path(env).expanduser() if env else repo_root() / "results"


def fingerprint(*arrays: np.ndarray) -> str:
    """A short SHA-256 of arrays (shape, dtype and bytes): equal data, equal fingerprint."""
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.shape}{a.dtype}".encode())
        h.update(a.tobytes())
    return h.hexdigest()[:16]
