# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -kernelspec,-jupytext.text_representation.jupytext_version,-jupytext.text_representation.format_version
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 00 · Start here
#
# Welcome to a hands-on course on recurrent neural networks and the **Long Short-Term Memory**
# (LSTM) network. You will build every idea twice: once by hand in NumPy, small enough to read
# line by line, and once with Keras on real data, large enough to be honest about what works.
#
# This notebook is the map. It lists the notebooks in order, shows how to run them, and checks
# that your environment is ready.

# %% [markdown] tags=["colab-badge"]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/lstm-course/lstm-course/blob/v1.0/notebooks/00_start_here.ipynb)

# %% tags=["colab"]
# On Google Colab only: fetch the course at a fixed version and install its helpers package.
# The "colab" extra leaves out tensorflow-cpu and keras, so Colab keeps its own GPU TensorFlow.
# Anywhere else (JupyterLab, CI, `make run`) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess

    REPO_URL = "https://github.com/lstm-course/lstm-course"
    REPO_REF = "v1.0"  # the tag or commit these notebooks belong to
    COURSE = "/content/lstm-course"
    if not os.path.isdir(COURSE):
        subprocess.run(["git", "clone", "--quiet", REPO_URL, COURSE], check=True)
        subprocess.run(["git", "-C", COURSE, "checkout", "--quiet", REPO_REF], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "-e", COURSE + "[colab]"], check=True
    )
    sys.path.insert(0, COURSE)  # importable now, without restarting the runtime
    os.chdir(COURSE + "/notebooks")  # relative paths (images, data, results) as in the repository

# %% [markdown]
# ## 1. The course map
#
# | # | notebook | what it teaches | prerequisites |
# |---|---|---|---|
# | 00 | `00_start_here` | the map, set-up, environment check | — |
# | 01 | `01_gradient_descent` | the update rule $w \leftarrow w - \eta\,\nabla E(w)$, learning rates, `tf.GradientTape` | school calculus, NumPy |
# | 02 | `02_rnn_and_bptt` | a vanilla RNN in NumPy, backpropagation through time, gradient checking | 01 |
# | 03 | `03_vanishing_and_exploding_gradients` | why gradients shrink or blow up over time, gradient clipping | 02 |
# | 04 | `04_lstm_gates` | the forget, input and output gates and the cell state; a NumPy LSTM that matches Keras | 03 |
# | 05 | `05_multiplication_task` | a long-lag synthetic task where a SimpleRNN fails and an LSTM succeeds | 04 |
# | 06 | `06_imdb_sentiment` | English sentiment from raw reviews: vectorisation, masking, BiLSTM, evaluation, baselines | 04 |
# | 07 | `07_nsmc_korean_sentiment` | Korean sentiment: whitespace vs morpheme (Kiwi) vs syllable tokens | 06 |
# | 08 | `08_time_series_forecasting` | forecasting without leakage, against naive and classical baselines | 04 |
#
# Notebooks 01–04 are the theory block and run in minutes. 05–08 are applications; each one
# compares its LSTM with a simple baseline, on the official test split, and records its
# numbers in `results/`.

# %% [markdown]
# ## 2. How to run the course
#
# **Locally** (Linux or macOS, Python 3.10–3.13; tested with 3.11), from a clone of the repository:
#
# ```bash
# make run    # creates .venv, installs the pinned packages, executes every notebook in order
# make test   # unit tests + every notebook executed in the quick "smoke" profile
# make lab    # JupyterLab on the course
# make data   # download and verify the full datasets ahead of time (optional)
# ```
#
# With conda instead of venv: `conda env create -f environment.yml && conda activate lstm-course`.
#
# **Profiles.** The environment variable `COURSE_PROFILE` chooses between `full` (default: the
# real datasets and the training budgets behind the published numbers) and `smoke` (tiny data,
# one or two epochs, the whole course in a few minutes — what CI runs). For example
# `COURSE_PROFILE=smoke make run`. Notebooks read it through `helpers.pick(full=..., smoke=...)`.
#
# **Data.** IMDB and NSMC are downloaded on first use from their official URLs, pinned to a
# version, verified by SHA-256 and cached in `data/` (or `$COURSE_DATA_DIR`). Without internet
# the loaders fall back to small samples shipped with the course and print a notice saying so.
#
# **On Google Colab** (optional, a free GPU): open a notebook with the **Open in Colab** badge at
# its top and run its cells in order. The first code cell runs only on Colab: it clones this
# repository at the version the badge points to and installs the course's `helpers` package with
# `pip install -e ".[colab]"`, which leaves Colab's own TensorFlow and Keras alone (installing
# `requirements.txt` there would replace Colab's GPU TensorFlow with `tensorflow-cpu` and lose the
# GPU). No restart is needed. Numbers on a GPU differ slightly from the CPU runs recorded here.

# %% [markdown]
# ## 3. Environment check
#
# Run the next cell. It prints the versions the course was tested with, the hardware TensorFlow
# sees, the active profile, and which datasets are available in full or as samples.

# %%
import helpers  # isort: skip  (first: sets TF_CPP_MIN_LOG_LEVEL and TF_ENABLE_ONEDNN_OPTS before TensorFlow loads)

import os
import platform

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

SEED = helpers.setup(seed=42)

# %%
print(f"Python      {platform.python_version()}")
print(f"TensorFlow  {tf.__version__}")
print(f"Keras       {keras.__version__} (backend: {keras.backend.backend()})")
print(f"NumPy       {np.__version__}   pandas {pd.__version__}")
print(f"CPU cores   {os.cpu_count()}")
gpus = tf.config.list_physical_devices("GPU")
print(f"GPUs        {[g.name for g in gpus] or 'none (CPU only: fine for this course)'}")
print(f"Profile     {helpers.get_profile()}")

# %%
helpers.dataset_status()

# %% [markdown]
# The checks below must hold for the course to run. CI executes this cell and compares its
# output, so a broken install is caught before any training starts.

# %%
# NBVAL_CHECK_OUTPUT
checks = {
    "Keras 3": keras.__version__.startswith("3."),
    "profile is known": helpers.get_profile() in ("full", "smoke"),
    "airline series shipped (144 months)": len(helpers.load_airline()) == 144,
    "Hangul font available": bool(helpers.use_korean_font()),
}
for name, ok in checks.items():
    print(f"{'ok  ' if ok else 'FAIL'} {name}")

# %% [markdown]
# ## 4. How each notebook is built
#
# Every notebook has the same shape: what you will learn and what you need first; short
# numbered sections that alternate a few lines of explanation, the maths, a small code cell and
# its output; a summary; exercises with solutions (the tests run them too); further reading.
# Cells marked `# extra code` only draw plots — skip them on a first read.
#
# Conventions used throughout: $x_t$ input, $h_t$ hidden state, $c_t$ cell state, $W$ input
# weights, $U$ recurrent weights, $b$ bias, $\sigma$ the logistic sigmoid, $\odot$ element-wise
# product, gates $i_t$ (input), $f_t$ (forget), $o_t$ (output) and the candidate $g_t$ (the new
# content the input gate writes; not a gate, Keras calls it "c"), sequence length $T$, learning rate $\eta$.
#
# Next: **01 · Gradient descent**.
