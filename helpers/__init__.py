"""Helpers for the LSTM course: profiles, data, results, plots and NumPy reference models."""

from __future__ import annotations

import os

# Quiet TensorFlow's C++ logging in case a notebook imports helpers before TensorFlow.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from . import stats  # noqa: E402
from .config import data_dir, get_profile, is_smoke, pick, set_seed, setup  # noqa: E402
from .data import (  # noqa: E402
    dataset_status,
    load_airline,
    load_co2,
    load_imdb,
    load_nsmc,
    load_sunspots,
)
from .plots import plot_confusion_matrix, plot_history, use_korean_font  # noqa: E402
from .results import record_results  # noqa: E402

__all__ = [
    "data_dir",
    "dataset_status",
    "get_profile",
    "is_smoke",
    "load_airline",
    "load_co2",
    "load_imdb",
    "load_nsmc",
    "load_sunspots",
    "pick",
    "plot_confusion_matrix",
    "plot_history",
    "record_results",
    "set_seed",
    "setup",
    "stats",
    "use_korean_font",
]
