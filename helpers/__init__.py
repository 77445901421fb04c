"""Helpers for the LSTM course: profiles, data, results, plots and NumPy reference models."""

from __future__ import annotations

import os
import warnings
from typing import Any

# Import helpers before TensorFlow (every setup cell does): these must be set before it loads.
# TF_CPP_MIN_LOG_LEVEL=3 hides TensorFlow's C++ log lines up to ERROR: with op determinism on,
# every model.fit logs a harmless "E0000 ... NodeDef mentions attribute use_unbounded_threadpool"
# line that JupyterLab shows as a red error box (real failures still raise Python exceptions).
# TF_ENABLE_ONEDNN_OPTS=0 turns off oneDNN's graph rewrites, whose start-up line JupyterLab shows
# as a red stderr box; on the course's small CPU LSTMs it is also slightly faster. (It does not
# pin the CPU kernels: see CONTRIBUTING, "Reproducible numbers".)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# tqdm.auto (imported by Optuna and by the download bars) warns in notebooks without ipywidgets;
# the course shows no widget progress bars, so the warning is noise.
warnings.filterwarnings("ignore", message="IProgress not found")

from . import stats
from .config import data_dir, get_profile, is_smoke, pick, set_seed, setup
from .data import (
    dataset_status,
    load_airline,
    load_co2,
    load_imdb,
    load_nsmc,
    load_sunspots,
)
from .language_model import load_shakespeare
from .plots import plot_confusion_matrix, plot_history, use_korean_font
from .results import record_results

# Loaded on first use, so that `import helpers` stays light and never imports TensorFlow itself.
_LAZY = {
    "Run": "training",
    "fit": "training",
    "bucket_by_length": "batching",
    "predict_by_length": "batching",
    "classification_scores": "metrics",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


__all__ = [
    "Run",
    "bucket_by_length",
    "classification_scores",
    "data_dir",
    "dataset_status",
    "fit",
    "get_profile",
    "is_smoke",
    "load_airline",
    "load_co2",
    "load_imdb",
    "load_nsmc",
    "load_shakespeare",
    "load_sunspots",
    "pick",
    "plot_confusion_matrix",
    "plot_history",
    "predict_by_length",
    "record_results",
    "set_seed",
    "setup",
    "stats",
    "use_korean_font",
]
