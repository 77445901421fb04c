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
# # 08 · Time-series forecasting with LSTMs, without leakage
#
# Many LSTM forecasting tutorials scale the whole series before splitting it, shuffle the
# windows, and never compare their network with "the same month last year". Here we split by
# time first, choose every setting on a validation year, and then evaluate once, on four test
# years, by refitting every model at each new forecast origin. The LSTM stands next to three
# training-free rules and two classical models, ETS and SARIMA, scored the same way.
#
# **You will learn**
# - how to cut a series into supervised windows without off-by-one errors or peeks at the future;
# - how to choose settings on a validation year and evaluate by **rolling origin**, with MASE
#   beside RMSE and prediction intervals whose coverage you check;
# - why a small LSTM loses to SARIMA on a short monthly series, read from the evidence;
# - what shuffling windows before the split does to a reported score;
# - how to classify windows of several features (sunspots) and to forecast two years of CO₂
#   with a direct multi-output LSTM.
#
# **Prerequisites**: `04_lstm_gates` (what an LSTM computes), `06_imdb_sentiment` (Keras
# training with early stopping on a validation split).
#
# **Time to run**: about 7 minutes in the full profile (section 11 prints the wall time) and 40–80 s in the smoke profile,
# on 2 CPU cores shared with other jobs, TensorFlow import included.

# %% [markdown] tags=["colab-badge"]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/lstm-course/lstm-course/blob/v1.0/notebooks/08_time_series_forecasting.ipynb)

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

# %%
import helpers  # isort: skip  (first: sets TensorFlow's environment before it loads)

import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.metrics import classification_report
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.statespace.sarimax import SARIMAX

from helpers.stats import bootstrap_ci, fmt_mean_sd, mean_sd, paired_bootstrap
from helpers.timeseries import make_windows, mase, rmse, seasonal_mae_scale
from helpers.training import Timer, fit

warnings.filterwarnings(
    "ignore", module="statsmodels"
)  # convergence chatter of fits on short series
SEED = helpers.setup(seed=42)

# %% [markdown]
# ## 1. The data and a chronological split
#
# The airline series counts international passengers (thousands) each month from 1949 to 1960:
# 144 values with a rising trend and a yearly season whose swing grows with the level.
# A forecast must only use the past, so the split is by time, never shuffled:
#
# - **train**: 1949–1956 (96 months), made of the **fit** months 1949–1955, on which models
#   learn while we compare settings, and the **validation** year 1956, on which we compare them;
# - **test**: 1957–1960 (48 months), read once, after every choice is frozen (section 6).

# %%
series = helpers.load_airline()
y, dates = series.to_numpy(), series.index
N_FIT, N_TRAIN, M = 84, 96, 12  # fit months, train months (fit + validation), season length
PERIODS = {"fit": (0, N_FIT), "validation": (N_FIT, N_TRAIN), "test": (N_TRAIN, len(y))}
for name, (lo, hi) in PERIODS.items():
    print(f"{name:>10}: {dates[lo]:%Y-%m} .. {dates[hi - 1]:%Y-%m}  ({hi - lo} months)")

# %%
# extra code: one colour per method in every plot of the notebook, and the shaded periods
COLORS = {
    "observed": "black",
    "persistence": "tab:gray",
    "seasonal naive": "tab:olive",
    "growth persistence": "tab:brown",
    "seasonal naive + drift": "tab:purple",
    "ETS": "tab:green",
    "SARIMA": "tab:blue",
    "LSTM": "tab:red",
}
SHADES = {"fit": "#f2f2f2", "validation": "#fdebd0", "test": "#e8e8f8"}


def shade(ax, index, periods):
    """Shade the fit / validation / test periods of a time axis, each with a legend label."""
    for name, (lo, hi) in periods.items():
        ax.axvspan(
            index[lo], index[min(hi, len(index) - 1)], color=SHADES[name], label=name, zorder=0
        )


fig, ax = plt.subplots(figsize=(9, 3))
shade(ax, dates, PERIODS)
ax.plot(dates, y, color=COLORS["observed"], lw=1.2, label="observed")
ax.set(ylabel="passengers (thousands)", title="Airline passengers, 1949-1960")
ax.legend(loc="upper left", ncol=4, fontsize=8)
plt.show()

# %% [markdown]
# ## 2. Windows without off-by-one errors
#
# A window of length $W$ turns the series into supervised pairs: the inputs are
# $(y_{t-W}, \dots, y_{t-1})$ and the target is $y_t$ (or $y_t, \dots, y_{t+H-1}$ for a
# horizon $H$). `helpers.timeseries.make_windows` does this and is unit-tested on a series whose
# values equal their positions, which makes every shift visible. A horizon below 1 would put the
# target inside its own window, so the helpers refuse it:

# %%
# NBVAL_CHECK_OUTPUT
X_demo, y_demo = make_windows(np.arange(8.0), window=3, horizon=2)
for inputs, target in zip(X_demo[:, :, 0], y_demo, strict=True):
    print(inputs.astype(int), "->", target.astype(int))
print("every target comes after its window:", bool(np.all(y_demo[:, 0] > X_demo[:, -1, 0])))
try:
    helpers.timeseries.window_target_positions(8, window=3, horizon=-1)
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# The windows whose targets lie in positions $[lo, hi)$ are `make_windows(s[lo - W : hi], W)`:
# their inputs may reach back into earlier periods (the past is known when we forecast), but no
# target ever leaves its period. We use that one rule for every split below.
#
# ## 3. Preprocessing fitted on the fit months only
#
# The log turns the growing seasonal swing into a constant one, and the seasonal difference
#
# $$d_t = \log y_t - \log y_{t-12}$$
#
# removes both the season and most of the trend: $d_t$ is the year-on-year growth rate. A network
# that forecasts $\hat d_t$ maps back to $\hat y_t = \exp(\log y_{t-12} + \hat d_t)$, so it only has
# to learn how this year differs from last year. A second candidate target is the monthly change of
# the growth rate, $\Delta d_t = d_t - d_{t-1}$ (the double difference the SARIMA airline model
# works with); then $\hat y_t = \exp(\log y_{t-12} + d_{t-1} + \widehat{\Delta d}_t)$. Both are
# standardised with the mean and standard deviation of the **fit** months only,
# $\tilde d_t = (d_t - \mu_{\text{fit}})/\sigma_{\text{fit}}$, and those two numbers stay fixed
# for the rest of the notebook.

# %%
z = np.log(y)
d = np.r_[np.full(M, np.nan), z[M:] - z[:-M]]  # year-on-year growth
targets = {"d": d, "dd": np.r_[np.nan, np.diff(d)]}  # growth, and its change from last month
stats = {
    k: (np.nanmean(x[:N_FIT]), np.nanstd(x[:N_FIT])) for k, x in targets.items()
}  # fit months only
scaled = {k: (x - stats[k][0]) / stats[k][1] for k, x in targets.items()}
START = M + 1  # first month where both targets exist


def to_level(kind: str, pred: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Passengers at positions pos (origins x horizon) from standardised network outputs of one kind.

    Row i of pos runs from its origin + 1 onwards (at most 12 months), so log y_{t-12} is observed.
    """
    step = pred * stats[kind][1] + stats[kind][0]
    growth = step if kind == "d" else d[pos[:, :1] - 1] + np.cumsum(step, axis=1)
    return np.exp(z[pos - M] + growth)


for k, (m_, s_) in stats.items():
    print(f"{k:>2}: fit-month mean {m_:+.3f}, sd {s_:.3f} (log units)")
for name, (lo, hi) in PERIODS.items():
    print(f"d on the {name} months: {np.nanmin(d[lo:hi]):+.2f} .. {np.nanmax(d[lo:hi]):+.2f}")

# %%
# extra code: the growth rate, with the three periods shaded
fig, ax = plt.subplots(figsize=(9, 2.6))
shade(ax, dates, PERIODS)
ax.plot(dates, d, color=COLORS["observed"], lw=1, label=r"$d_t$ observed")
ax.set(ylabel=r"$\log y_t - \log y_{t-12}$", title="Year-on-year growth")
ax.legend(loc="lower left", ncol=4, fontsize=8)
plt.show()

# %% [markdown]
# The growth rate wanders with no season left, and the printed ranges show the test years staying
# inside the range of the fit months, unlike the raw counts, whose test values lie far above
# anything seen in training.
#
# ## 4. Baselines and classical models, compared on the validation year
#
# Every model below is fitted on the 84 fit months and forecasts each month of 1956 **one step
# ahead**, from the observations up to the month before, with its parameters frozen:
#
# - **persistence** $\hat y_t = y_{t-1}$; **seasonal naive** $\hat y_t = y_{t-12}$;
#   **growth persistence** $\hat y_t = \exp(\log y_{t-12} + d_{t-1})$, "this year's growth equals
#   last month's";
# - **ETS** (exponential smoothing, Hyndman et al. 2008) on $\log y_t$, with additive errors and
#   season; whether it has a trend, and whether the trend is damped, is chosen by AIC on the fit
#   months;
# - **SARIMA** $(p,1,q)\times(P,1,Q)_{12}$ on $\log y_t$, the orders chosen by AIC on the fit months
#   from a small grid that contains the "airline model" $(0,1,1)\times(0,1,1)_{12}$ of Box and Jenkins.
#
# Errors are RMSE and the **mean absolute scaled error** (Hyndman & Koehler 2006; this is its seasonal
# version, as in Hyndman & Athanasopoulos 2021, §5.8)
#
# $$\text{MASE} = \frac{\tfrac1n \sum_t |y_t - \hat y_t|}{\tfrac{1}{T-12}\sum_{s=13}^{T} |y_s - y_{s-12}|},$$
#
# whose denominator is the in-sample error of seasonal naive on the $T$ months the model was fitted
# on. MASE below 1 beats that in-sample yardstick, and it has no unit, so it does not change when the
# series is rescaled (on this multiplicative series a test year's errors still grow with its level).

# %%
# long-cell: one experiment that runs as a unit
log_y = pd.Series(z, index=dates)
ETS_FORMS = {
    "additive trend": {"trend": "add"},
    "damped trend": {"trend": "add", "damped_trend": True},
    "no trend": {"trend": None},
}
ORDERS = helpers.pick(
    full=[((p, 1, q), (P, 1, 1, M)) for p in (0, 1) for q in (0, 1) for P in (0, 1)],
    smoke=[((0, 1, 1), (0, 1, 1, M))],
)


def ets(upto: int, form: str) -> ETSModel:
    """ETS on log y[:upto] with additive errors and season (the trend as in ETS_FORMS[form])."""
    return ETSModel(
        log_y.iloc[:upto], error="add", seasonal="add", seasonal_periods=M, **ETS_FORMS[form]
    )


def sarima(upto: int, order: tuple) -> SARIMAX:
    """SARIMA on log y[:upto] with the (order, seasonal_order) pair `order`."""
    return SARIMAX(log_y.iloc[:upto], order=order[0], seasonal_order=order[1])


with Timer() as t_search:
    ets_aic = {form: ets(N_FIT, form).fit(disp=False).aic for form in ETS_FORMS}
    sarima_aic = {order: sarima(N_FIT, order).fit(disp=False).aic for order in ORDERS}
ETS_FORM, ORDER = min(ets_aic, key=ets_aic.get), min(sarima_aic, key=sarima_aic.get)
print(
    "ETS by AIC on the fit months:",
    {k: round(float(v), 1) for k, v in ets_aic.items()},
    "->",
    ETS_FORM,
)
aic_table = pd.Series(
    {f"{o[0]}x{o[1][:3]}_12": a for o, a in sarima_aic.items()}, name="AIC"
).sort_values()
print(aic_table.round(1).head(4).to_string())
print(f"chosen SARIMA: {ORDER[0]}x{ORDER[1][:3]}_12  ({t_search.seconds:.0f} s)")

# %%
# long-cell: one experiment that runs as a unit
def naive_one_step(lo: int, hi: int) -> dict[str, np.ndarray]:
    """One-step forecasts of months lo..hi-1 by the three training-free rules."""
    t = np.arange(lo, hi)
    return {
        "persistence": y[t - 1],
        "seasonal naive": y[t - M],
        "growth persistence": np.exp(z[t - M] + d[t - 1]),
    }


def fit_classical(upto: int) -> tuple:
    """ETS and SARIMA (the forms chosen above) fitted on the months before position `upto`."""
    return ets(upto, ETS_FORM).fit(disp=False), sarima(upto, ORDER).fit(disp=False)


def classical_one_step(
    res_ets, res_sar, upto: int, hi: int
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One-step forecasts of months upto..hi-1 with frozen parameters (the filters only update their
    state with each observed month), and SARIMA's 95 % one-step interval."""
    one_ets = ets(hi, ETS_FORM).smooth(res_ets.params).fittedvalues.to_numpy()[upto:hi]
    pred = res_sar.append(log_y.iloc[upto:hi], refit=False).get_prediction(start=upto, end=hi - 1)
    fc = {"ETS": np.exp(one_ets), "SARIMA": np.exp(pred.predicted_mean.to_numpy())}
    return fc, np.exp(pred.conf_int(alpha=0.05).to_numpy())


def score(truth: np.ndarray, pred: np.ndarray, scale: float | np.ndarray) -> dict[str, float]:
    """RMSE and MASE of one forecast."""
    return {"RMSE": rmse(truth, pred), "MASE": mase(truth, pred, scale)}


val_pos = np.arange(N_FIT, N_TRAIN)
val_classical = fit_classical(N_FIT)
val_fc = {**naive_one_step(N_FIT, N_TRAIN), **classical_one_step(*val_classical, N_FIT, N_TRAIN)[0]}
fit_scale = seasonal_mae_scale(y[:N_FIT], M)
val_table = pd.DataFrame({k: score(y[val_pos], p, fit_scale) for k, p in val_fc.items()}).T
val_table.round(3).rename_axis(f"validation year 1956, {len(val_pos)} one-step forecasts")

# %% [markdown]
# On the validation year the two naive rules are far behind: persistence ignores the season and
# seasonal naive ignores the growth. SARIMA has the lowest error, with growth persistence and ETS
# next: that is the bar for the LSTM.
#
# ## 5. The LSTM, chosen on the validation year
#
# The network reads the last $W$ standardised values of the target ($d$ or $\Delta d$) and
# predicts the next one: one `LSTM(32)` layer and a linear output, trained with the mean squared
# error, Adam ($\eta = 0.003$) and early stopping on the twelve validation months (patience 40
# epochs, best weights restored, `helpers.training.fit`). The target and the window length
# $W \in \{12, 24\}$ are chosen by the mean validation RMSE of three seeds.

# %%
# long-cell: one experiment that runs as a unit
EPOCHS = helpers.pick(full=400, smoke=2)
PATIENCE = helpers.pick(full=40, smoke=1)
SEEDS = helpers.pick(full=[0, 1, 2], smoke=[0])
N_BOOT = helpers.pick(full=2000, smoke=200)  # bootstrap resamples for every interval below
CONFIGS = helpers.pick(full=[("d", 12), ("d", 24), ("dd", 12), ("dd", 24)], smoke=[("d", 12)])


def lstm(
    window: int,
    seed: int,
    n_out: int = 1,
    n_features: int = 1,
    units: int = 32,
    classify: bool = False,
) -> keras.Model:
    """A compiled one-layer LSTM regressor (or binary classifier), its weights drawn with `seed`."""
    helpers.set_seed(seed)
    head = keras.layers.Dense(n_out, activation="sigmoid" if classify else None)
    model = keras.Sequential([keras.Input((window, n_features)), keras.layers.LSTM(units), head])
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy" if classify else "mse"
    )
    return model


def windows_for(kind: str, W: int, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows of the scaled target `kind` whose targets lie in positions [lo, hi)."""
    return make_windows(scaled[kind][lo - W : hi], W)


def batches(
    X: np.ndarray, Y: np.ndarray, seed: int = 0, shuffle: bool = True, size: int = 16
) -> tf.data.Dataset:
    """Mini-batches of (X, Y), reshuffled each epoch in a seeded order (autotuning off: quiet and repeatable)."""
    ds = tf.data.Dataset.from_tensor_slices((X.astype("float32"), Y.astype("float32")))
    options = tf.data.Options()
    options.autotune.enabled = False
    return (ds.shuffle(len(X), seed=seed) if shuffle else ds).batch(size).with_options(options)


def net(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """Forecasts of one model (one row per window)."""
    return model(X, training=False).numpy()

# %%
# long-cell: one experiment that runs as a unit
runs, val_rmse = {}, {}
with Timer() as t_val:
    for kind, W in CONFIGS:
        X_tr, Y_tr = windows_for(kind, W, START + W, N_FIT)
        X_va, Y_va = windows_for(kind, W, N_FIT, N_TRAIN)
        runs[kind, W] = [
            fit(
                lstm(W, s),
                batches(X_tr, Y_tr, s),
                batches(X_va, Y_va, shuffle=False),
                epochs=EPOCHS,
                patience=PATIENCE,
                quiet=True,
            )
            for s in SEEDS
        ]
        val_rmse[kind, W] = [
            rmse(y[val_pos], to_level(kind, net(r.model, X_va), val_pos[:, None])[:, 0])
            for r in runs[kind, W]
        ]
        print(
            f"target {kind:>2}, W={W}: {len(X_tr)} fit windows, best epochs {[r.best_epoch for r in runs[kind, W]]}, "
            f"stopped early: {all(r.stopped_early for r in runs[kind, W])}, "
            f"validation RMSE {fmt_mean_sd(val_rmse[kind, W], 2)}"
        )
KIND, W_BEST = min(val_rmse, key=lambda k: np.mean(val_rmse[k]))
E_REFIT = int(np.median([r.best_epoch for r in runs[KIND, W_BEST]]))
print(
    f"chosen on validation: target {KIND}, W={W_BEST}; refits will train {E_REFIT} epochs ({t_val.seconds:.0f} s)"
)

# %%
X_va, _ = windows_for(KIND, W_BEST, N_FIT, N_TRAIN)
val_seed_preds = [
    to_level(KIND, net(r.model, X_va), val_pos[:, None])[:, 0] for r in runs[KIND, W_BEST]
]
lstm_val = pd.DataFrame([score(y[val_pos], p, fit_scale) for p in val_seed_preds])
val_table.loc[f"LSTM (mean of {len(SEEDS)} seeds)"] = lstm_val.mean()
val_table["RMSE sd over seeds"] = ""
val_table.iloc[-1, -1] = f"{mean_sd(lstm_val['RMSE'])[1]:.3f}"
val_table.sort_values("RMSE").round(3).rename_axis(
    f"validation year 1956, {len(val_pos)} one-step forecasts"
)

# %% [markdown]
# Wherever the chosen LSTM lands in this table, remember that it was chosen out of four
# configurations **on these same twelve months**, so its row is flattered by the choice; the other
# rows involved no choice made on these months except ETS's form and SARIMA's orders, which AIC
# chose on the fit months. The test years below are untouched.
#
# ## 6. Rolling-origin evaluation on the test years (the test is read here, once)
#
# Every choice is now frozen: ETS form, SARIMA orders, the LSTM's target, window and epoch count.
# (For the record: while this notebook was developed, the test years were scored more than once.
# An earlier version reported fixed-origin test errors, and its candidate targets, windows and
# network size are the ones compared on validation here; this rolling evaluation was run twice
# with identical code. No setting was changed after a test score was seen.)
# A single split would score each model on one stretch of months fitted once. Rolling-origin
# evaluation (Tashman 2000; Hyndman & Athanasopoulos 2021, §5.10) repeats the forecast from
# several origins: at the end of 1956, 1957, 1958 and 1959, **every model is refitted on all the
# months up to the origin**, then
#
# - forecasts the 12 months ahead as one path ($h = 1, \dots, 12$);
# - forecasts each of those months **one step ahead**, updated with the observed months before it,
#   with the parameters of the origin.
#
# That gives 48 one-step forecasts and 48 path forecasts per method. The LSTM is refitted for
# the number of epochs early stopping chose on validation, with no month held out, so at each
# origin it learns from exactly the months SARIMA and ETS see; three seeds, reported as
# mean ± sd. Its 12-month path is **recursive**: each forecast $\hat d_{t+1}$ is appended to the
# window to predict $\hat d_{t+2}$.
#
# Intervals: SARIMA gives Gaussian 95 % prediction intervals on the log scale. For the LSTM we
# use **residual quantiles**: at each origin, we run the same recursion from every origin inside
# its training months, and take the 2.5 % and 97.5 % quantiles of the log errors at each
# horizon $h$. In-sample errors are usually smaller than errors on new data, so we check the
# coverage.

# %%
ORIGINS = np.arange(N_TRAIN - 1, len(y) - 1, M)[
    : helpers.pick(full=4, smoke=2)
]  # Dec 1956 .. Dec 1959
T_POS = ORIGINS[:, None] + np.arange(1, M + 1)  # (origin, horizon) -> position of the target month
H_STEPS = M


def refit_lstm(o: int, seed: int) -> keras.Model:
    """The chosen LSTM trained on every window whose target is at or before origin o, E_REFIT epochs."""
    X, Y = windows_for(KIND, W_BEST, START + W_BEST, o + 1)
    model = lstm(W_BEST, seed)
    # no hold-out: the epoch count was fixed on validation; batches() shuffles, so Keras must not
    model.fit(batches(X, Y, seed), epochs=E_REFIT, verbose=0, shuffle=False)
    return model


# %%
def recursive(models: list, first_windows: np.ndarray, steps: int = H_STEPS) -> np.ndarray:
    """Recursive forecasts (scaled units) from each row of first_windows: ensemble mean fed back each step."""
    w, out = first_windows.copy(), []
    for _ in range(steps):
        step = np.mean([net(m, w[:, :, None])[:, 0] for m in models], axis=0)
        out.append(step)
        w = np.column_stack([w[:, 1:], step])
    return np.column_stack(out)


def start_windows(origins: np.ndarray) -> np.ndarray:
    """The last W_BEST scaled values up to and including each origin (one row per origin)."""
    return np.stack([scaled[KIND][o - W_BEST + 1 : o + 1] for o in origins])


def residual_quantiles(models: list, o: int) -> np.ndarray:
    """2.5 % and 97.5 % quantiles of log errors per horizon, over recursions started inside months <= o."""
    inner = np.arange(START + W_BEST - 1, o - H_STEPS + 1)  # origins whose 12 targets are <= o
    pos = inner[:, None] + np.arange(1, H_STEPS + 1)
    errors = z[pos] - np.log(to_level(KIND, recursive(models, start_windows(inner)), pos))
    return np.quantile(errors, [0.025, 0.975], axis=0)  # shape (2, horizon)

# %%
# long-cell: one function refits every model at an origin and collects all of its forecasts
def rolling_origin(o: int) -> tuple[dict, dict, dict, np.ndarray, np.ndarray]:
    """Refit every model on the months <= o; forecast the 12 months after o one step ahead and as a path.

    Returns one-step forecasts, path forecasts, 95 % bands (months x 2) and the LSTM's per-seed forecasts.
    """
    lo, hi, t = o + 1, o + 1 + M, np.arange(o + 1, o + 1 + M)
    res_ets, res_sar = fit_classical(lo)
    one_cl, sar_band = classical_one_step(res_ets, res_sar, lo, hi)
    sar_path = res_sar.get_forecast(M)
    models = [refit_lstm(o, s) for s in SEEDS]
    X_one, _ = windows_for(KIND, W_BEST, lo, hi)
    seeds_one = np.array([to_level(KIND, net(m, X_one), t[:, None])[:, 0] for m in models])
    seeds_path = np.array(
        [to_level(KIND, recursive([m], start_windows([o])), t[None])[0] for m in models]
    )
    lstm_one, lstm_path = (
        seeds_one.mean(axis=0),
        to_level(KIND, recursive(models, start_windows([o])), t[None])[0],
    )
    q = np.exp(residual_quantiles(models, o))  # (2 quantiles, 12 horizons), as factors
    one = {**naive_one_step(lo, hi), **one_cl, "LSTM": lstm_one}
    path = {
        "persistence": np.full(M, y[o]),
        "seasonal naive": y[t - M],
        "growth persistence": np.exp(z[t - M] + d[o]),
        "ETS": np.exp(res_ets.forecast(M).to_numpy()),
        "SARIMA": np.exp(sar_path.predicted_mean.to_numpy()),
        "LSTM": lstm_path,
    }
    bands = {
        "SARIMA one": sar_band,
        "SARIMA path": np.exp(sar_path.conf_int(alpha=0.05).to_numpy()),
        "LSTM one": lstm_one[:, None] * q[:, 0],
        "LSTM path": lstm_path[:, None] * q.T,
    }
    return one, path, bands, seeds_one, seeds_path


with Timer() as t_roll:
    rolled = [rolling_origin(o) for o in ORIGINS]
one, path, bands = (
    {k: np.stack([r[j][k] for r in rolled]) for k in rolled[0][j]} for j in range(3)
)
one_seeds, path_seeds = (
    np.stack([r[j] for r in rolled], axis=1) for j in (3, 4)
)  # (seed, origin, horizon)
print(f"{len(ORIGINS)} origins x ({len(SEEDS)} LSTM seeds + ETS + SARIMA): {t_roll.seconds:.0f} s")

# %%
truth = y[T_POS]
scale = np.repeat(
    [[seasonal_mae_scale(y[: o + 1], M)] for o in ORIGINS], M, axis=1
)  # MASE scale per origin
METHODS = ["persistence", "seasonal naive", "growth persistence", "ETS", "SARIMA"]


def comparison(fc: dict, seeds: np.ndarray) -> pd.DataFrame:
    """RMSE (bootstrap 95 % CI over the 48 forecasts) and MASE per method; the LSTM's single seeds as mean ± sd."""
    rows = {}
    for k in [*METHODS, "LSTM"]:
        ci = bootstrap_ci(truth.ravel(), fc[k].ravel(), rmse, n_boot=N_BOOT, seed=0)
        name = f"LSTM (ensemble of {len(SEEDS)})" if k == "LSTM" else k
        rows[name] = {
            "RMSE": ci.value,
            "RMSE CI low": ci.low,
            "RMSE CI high": ci.high,
            "MASE": mase(truth, fc[k], scale),
        }
    per_seed = pd.DataFrame([score(truth.ravel(), p.ravel(), scale.ravel()) for p in seeds])
    rows["LSTM (single seeds, mean)"] = {
        "RMSE": per_seed["RMSE"].mean(),
        "RMSE sd over seeds": mean_sd(per_seed["RMSE"])[1],
        "MASE": per_seed["MASE"].mean(),
        "MASE sd over seeds": mean_sd(per_seed["MASE"])[1],
    }
    return pd.DataFrame(rows).T, per_seed


# %%
def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison table as text: RMSE with its bootstrap interval (or ± sd over seeds), MASE."""
    lows, highs, sds = table["RMSE CI low"], table["RMSE CI high"], table["RMSE sd over seeds"]
    spread = [
        f"[{lo:.1f}, {hi:.1f}]" if pd.notna(lo) else f"± {sd:.2f} (sd, {len(SEEDS)} seeds)"
        for lo, hi, sd in zip(lows, highs, sds, strict=True)
    ]
    mase_txt = [
        f"{m:.3f}" + (f" ± {sd:.3f}" if pd.notna(sd) else "")
        for m, sd in zip(table["MASE"], table["MASE sd over seeds"], strict=True)
    ]
    text = {"RMSE": table["RMSE"].round(2), "95 % CI / seed sd": spread, "MASE": mase_txt}
    return pd.DataFrame(text, index=table.index)


table_one, seeds_one_scores = comparison(one, one_seeds)
table_path, seeds_path_scores = comparison(path, path_seeds)
print(f"One step ahead: {truth.size} test months (refit each January, updated monthly)")
print(shown(table_one).to_string())
print(f"\n12-month paths: {len(ORIGINS)} origins x {M} horizons = {truth.size} forecasts")
print(shown(table_path).to_string())

# %%
for label, fc in [("one step", one), ("12-month paths", path)]:
    for rival in ["SARIMA", "growth persistence", "ETS"]:
        pb = paired_bootstrap(
            truth.ravel(), fc["LSTM"].ravel(), fc[rival].ravel(), rmse, n_boot=N_BOOT, seed=0
        )
        verdict = "tie" if pb.is_tie else ("LSTM better" if pb.difference < 0 else "LSTM worse")
        print(
            f"{label:>14}: RMSE(LSTM ensemble) - RMSE({rival}) = {pb.difference:+6.2f} "
            f"[{pb.low:+.2f}, {pb.high:+.2f}]  -> {verdict}"
        )
coverage = {
    k: helpers.timeseries.interval_coverage(truth.ravel(), b[..., 0].ravel(), b[..., 1].ravel())
    for k, b in bands.items()
}
widths = {k: float(np.mean(b[..., 1] - b[..., 0])) for k, b in bands.items()}
pd.DataFrame({"coverage of the 95 % interval": coverage, "mean width (thousands)": widths}).round(2)

# %% [markdown]
# The paired bootstrap resamples the same 48 months for both methods; an interval of the
# difference that contains 0 is a tie. Months from one path share an origin and are correlated,
# so these intervals are, if anything, too narrow.

# %%
# long-cell: a figure built in one piece
# extra code: one-step forecasts and 95 % intervals on the test years
fig, ax = plt.subplots(figsize=(10, 3.8))
shade(ax, dates, PERIODS)
tdates = dates[T_POS.ravel()]
ax.plot(dates[72:], y[72:], color=COLORS["observed"], lw=2, label="observed")
for k in ["seasonal naive", "growth persistence", "ETS", "SARIMA", "LSTM"]:
    ax.plot(
        tdates,
        one[k].ravel(),
        color=COLORS[k],
        lw=1.2,
        ls="-" if k in ("SARIMA", "LSTM") else ":",
        label=k,
    )
for k in ["SARIMA", "LSTM"]:
    b = bands[f"{k} one"].reshape(-1, 2)
    ax.fill_between(
        tdates, b[:, 0], b[:, 1], color=COLORS[k], alpha=0.15, label=f"{k} 95 % interval"
    )
ax.set(
    xlim=(dates[72], dates[-1]),
    ylabel="passengers (thousands)",
    title="One-step-ahead forecasts, test years 1957-1960",
)
ax.legend(loc="upper left", ncol=3, fontsize=8)
plt.show()

# %%
# long-cell: a figure built in one piece
# extra code: the 12-month paths from each origin with their intervals, and the error by horizon
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.8), gridspec_kw={"width_ratios": [2, 1]})
shade(ax1, dates, PERIODS)
ax1.plot(dates[72:], y[72:], color=COLORS["observed"], lw=2, label="observed")
for i in range(len(ORIGINS)):
    pd_ = dates[T_POS[i]]
    for k in ["seasonal naive", "growth persistence", "ETS", "SARIMA", "LSTM"]:
        ax1.plot(
            pd_,
            path[k][i],
            color=COLORS[k],
            lw=1.2,
            ls="-" if k in ("SARIMA", "LSTM") else ":",
            label=k if i == 0 else None,
        )
    for k in ["SARIMA", "LSTM"]:
        b = bands[f"{k} path"][i]
        ax1.fill_between(
            pd_,
            b[:, 0],
            b[:, 1],
            color=COLORS[k],
            alpha=0.15,
            label=f"{k} 95 % interval" if i == 0 else None,
        )
years = ", ".join(str(dates[o].year) for o in ORIGINS)
ax1.set(
    xlim=(dates[72], dates[-1]),
    ylabel="passengers (thousands)",
    title=f"12-month paths from December {years}",
)
ax1.legend(loc="upper left", ncol=2, fontsize=7)
for k in [*METHODS, "LSTM"]:
    ax2.plot(
        range(1, M + 1),
        np.sqrt(((path[k] - truth) ** 2).mean(axis=0)),
        color=COLORS[k],
        marker=".",
        label=k,
    )
ax2.set(
    xlabel="horizon h (months ahead)",
    ylabel=f"RMSE over {len(ORIGINS)} origins",
    title="Path error by horizon",
)
ax2.legend(fontsize=7)
fig.tight_layout()
plt.show()

# %% [markdown]
# How to read these outputs. RMSE is in thousands of passengers; MASE divides the mean absolute
# error by the in-sample error of seasonal naive up to each origin (0.5 means half of that
# yardstick), so MASE has no unit and methods and origins can be compared on it. Brackets are 95 %
# bootstrap intervals over the 48 forecasts; the LSTM's "single seeds" row shows instead the
# spread over seeds, the error bar of one training run, and its "ensemble" row scores the average
# of the seeds' forecasts. The paired lines are the verdicts: an interval of the difference that
# contains 0 is a tie. A 95 % interval should cover about 46 of 48 months: the coverage table says
# how close each method comes, and the mean width says at what price.
#
# What they show: one step ahead, SARIMA has the lowest RMSE and MASE. That ranking among the
# classical models and growth persistence is a point estimate only: their intervals overlap widely
# and only the LSTM was tested against them in pairs. The LSTM lands next to growth persistence
# and ETS (the paired intervals call both ties) and behind SARIMA, by a margin whose interval only
# just excludes 0; since these intervals are, if anything, too narrow, that one-step loss is weak
# evidence. Over 12-month paths SARIMA leads again; the LSTM ties ETS and growth persistence and
# loses to SARIMA, this time by a clearer margin. SARIMA's intervals cover close to 95 % of the
# test months; the LSTM's residual-quantile intervals cover less, the 12-month ones clearly less.
# The one-step LSTM band is on average *wider* than SARIMA's and still misses more months, so
# width is not the problem: it sits around less accurate forecasts, and its quantiles come from
# errors on the months the network was trained on, which tend to understate errors on new years.
# With 48 correlated months, each coverage figure is itself uncertain by several points.
#
# ## 7. Why the LSTM loses: the evidence
#
# Five features of this comparison work against the network. Each is checked below with the
# notebook's own numbers.
#
# **(a) Few examples, many weights.** The LSTM learns thousands of weights from a few dozen
# windows; SARIMA estimates two coefficients, and ETS a few smoothing weights plus its initial level,
# trend and seasonal states (counts printed below).

# %%
X_fit, _ = windows_for(KIND, W_BEST, START + W_BEST, N_FIT)
res_val_ets, res_val_sar = val_classical
print(
    f"LSTM: {runs[KIND, W_BEST][0].model.count_params():,} weights, learned from {len(X_fit)} windows "
    f"(targets {dates[START + W_BEST]:%Y-%m} .. {dates[N_FIT - 1]:%Y-%m})"
)
print(
    f"SARIMA {ORDER[0]}x{ORDER[1][:3]}_12: {len(res_val_sar.params) - 1} coefficients + the noise variance, "
    f"fitted on {N_FIT} months"
)
print(
    f"ETS ({ETS_FORM}): {len(res_val_ets.params)} parameters (smoothing weights and initial states), "
    f"fitted on {N_FIT} months"
)

# %% [markdown]
# **(b) Fewer months.** While settings were compared, the LSTM learned from the 84 fit months
# because the validation year was held out to stop its training; a classical model needs no such
# hold-out and can be fitted on all 96 training months. The rolling evaluation removes that
# handicap (each refit sees every month up to its origin). To see what more months are worth, the
# models fitted on 1949–1955 (ETS, SARIMA and the LSTM alike on the 84 fit months) are run over the
# test years without any refit, next to the rolling refits. This diagnostic, like the rest of this
# section, re-reads the test months but changes no choice.

# %%
test_pos = np.arange(N_TRAIN, len(y))
X_te, _ = windows_for(KIND, W_BEST, N_TRAIN, len(y))
frozen = {
    k: v[N_TRAIN - N_FIT :] for k, v in classical_one_step(*val_classical, N_FIT, len(y))[0].items()
}
frozen["LSTM"] = np.mean(
    [to_level(KIND, net(r.model, X_te), test_pos[:, None])[:, 0] for r in runs[KIND, W_BEST]],
    axis=0,
)
refit_table = pd.DataFrame(
    {
        "fitted on 1949-1955, never refit": {
            k: rmse(y[test_pos], frozen[k]) for k in ["ETS", "SARIMA", "LSTM"]
        },
        "refitted each January on all months": {
            k: rmse(truth.ravel(), one[k].ravel()) for k in ["ETS", "SARIMA", "LSTM"]
        },
    }
).rename_axis("one-step test RMSE")
gaps = refit_table.loc["LSTM"] - refit_table.loc["SARIMA"]
print(
    f"LSTM minus SARIMA: {gaps.iloc[0]:+.2f} when both are fitted once, {gaps.iloc[1]:+.2f} when both are refitted"
)
refit_table.round(2)

# %% [markdown]
# The printed line gives the LSTM's deficit with and without refits. Refitting on every month up
# to the origin barely changes SARIMA, helps ETS and the LSTM, and shrinks the LSTM's deficit by
# roughly a third, but does not close it. In the rolling evaluation both models see exactly the same
# months and the deficit remains, so unequal data cannot be the main reason for it.
#
# **(c) Early stopping and selection on twelve points.** The validation year holds 12 one-step
# targets. An RMSE over 12 months has a wide interval, the best epoch differs from seed to seed,
# and the configuration we kept was the best of four on those same months.

# %%
# long-cell: one experiment that runs as a unit
for (kind, W), runs_kw in runs.items():
    ens = np.mean(
        [
            to_level(kind, net(r.model, windows_for(kind, W, N_FIT, N_TRAIN)[0]), val_pos[:, None])[
                :, 0
            ]
            for r in runs_kw
        ],
        axis=0,
    )
    ci = bootstrap_ci(y[val_pos], ens, rmse, n_boot=N_BOOT, seed=0)
    mark = "  <- chosen" if (kind, W) == (KIND, W_BEST) else ""
    print(
        f"target {kind:>2}, W={W}: ensemble validation RMSE {ci.value:5.2f} [{ci.low:5.2f}, {ci.high:5.2f}], "
        f"best epochs {[r.best_epoch for r in runs_kw]}{mark}"
    )
val_rank = val_table["RMSE"].rank().iloc[-1]
test_rank = (
    table_one["RMSE"]
    .drop(index=f"LSTM (ensemble of {len(SEEDS)})")
    .rank()["LSTM (single seeds, mean)"]
)
print(
    f"LSTM's rank by RMSE among the {len(val_table)} one-step forecasts: {val_rank:.0f} on validation, "
    f"{test_rank:.0f} on the test years"
)

# %%
# extra code: training and validation loss of the chosen configuration, one line per seed
fig, ax = plt.subplots(figsize=(7, 3))
for s, r, ls in zip(SEEDS, runs[KIND, W_BEST], ["-", "--", ":"][: len(SEEDS)], strict=True):
    epochs = np.arange(1, r.epochs_run + 1)
    ax.plot(epochs, r.history["loss"], color="tab:gray", ls=ls, label=f"training loss, seed {s}")
    ax.plot(
        epochs,
        r.history["val_loss"],
        color=COLORS["LSTM"],
        ls=ls,
        label=f"validation loss (12 months), seed {s}",
    )
    ax.axvline(r.best_epoch, color=COLORS["LSTM"], ls=ls, lw=0.8)
ax.set(
    xlabel="epoch",
    ylabel="MSE (standardised units)",
    yscale="log",
    title=f"Chosen LSTM (target {KIND}, W={W_BEST}); vertical lines: restored epochs",
)
ax.legend(fontsize=7)
plt.show()

# %% [markdown]
# Every validation RMSE above rests on twelve months, and its interval is wide; where the
# intervals of two configurations overlap, the validation year could not really tell them apart.
# The ranks printed above are the clearest symptom: the LSTM that looked best on the validation
# year, where it was chosen, falls behind on the test years (by point estimate; section 6's paired
# intervals call it tied with ETS and growth persistence there). The vertical lines in the plot mark
# the restored epochs: twelve numbers decide where training stops.
#
# **(d) SARIMA's form was found on this very series.** Box and Jenkins (1970) identified the
# airline model $(0,1,1)\times(0,1,1)_{12}$ from these 144 months, test years included; its fame
# comes from fitting this series well. To check that the SARIMA row is not flattered by that, our
# order search used the fit months only:

# %%
print(aic_table.round(1).to_string())
print(
    f"chosen on 1949-1955 by AIC: {ORDER[0]}x{ORDER[1][:3]}_12; the airline form "
    f"{'wins the search' if ORDER == ((0, 1, 1), (0, 1, 1, M)) else 'does NOT win the search'}"
)

# %% [markdown]
# The airline form is what an AIC search restricted to 1949–1955 selects as well, though only
# narrowly (its close rivals in the table are near relatives of it), so the orders do not owe their
# place to a peek at the test years. Part of the form was never searched, however: the log, both
# differences and the seasonal MA term are fixed in every candidate of the grid, and those come
# from Box and Jenkins' analysis of the whole series. That is what SARIMA owes them, its
# **structure**: a season that repeats on the log scale and a slowly drifting growth rate, said
# with two coefficients. The LSTM has to discover that structure from the windows.
#
# **(e) The training-free rival is hard to beat.** Growth persistence copies last month's growth
# rate. If $d_t$ moves slowly, that copy is already a good forecast, and a network can only win by
# learning a *correction* to it that points the right way.

# %%
r1 = np.corrcoef(d[START : N_FIT - 1], d[START + 1 : N_FIT])[0, 1]
gp, lt, tr = one["growth persistence"].ravel(), one["LSTM"].ravel(), truth.ravel()
correction, needed = (
    np.log(lt / gp),
    np.log(tr / gp),
)  # what the LSTM adds, and what was needed (log units)
print(f"lag-1 autocorrelation of d on the fit months: {r1:.2f}")
print(
    f"the LSTM's correction to growth persistence on the test months: sd {correction.std():.3f} log units, "
    f"correlation with the needed correction {np.corrcoef(correction, needed)[0, 1]:+.2f} "
    f"(the needed correction has sd {needed.std():.3f})"
)

# %% [markdown]
# **What the evidence says.** Items (a) and (e) are the core of it: the network must learn, from
# a few dozen overlapping windows, a mapping that growth persistence gets for free and SARIMA states
# with two coefficients, and the corrections it adds to persistence are only weakly related to the
# corrections that were needed (the correlation printed in (e)): mostly noise. Items (b) and (d)
# test two tempting excuses. Unequal data explains part of the gap, not most of it, and the
# airline orders are what a search on the fit months alone selects, so SARIMA did not win by a
# peek at the test years (its log-and-difference structure, though, is inherited knowledge). Item (c) explains why the validation year promised more than the test years
# delivered: the configuration and the stopping epoch were chosen on twelve points, and the winner
# of a noisy contest is flattered by it. None of this says LSTMs cannot forecast. They
# pay off with long histories, with many related series trained together, or with inputs a linear
# model cannot use; one short, smooth, seasonal series is the classical models' home ground.

# %% [markdown]
# ## 8. Leakage you can see: windows shuffled before the split
#
# A common recipe cuts **all** windows of a series, shuffles them and only then splits them into
# training and test windows (`train_test_split` with its default `shuffle=True`). Neighbouring
# windows overlap: with 12 inputs and a 12-month target path, two windows one month apart share
# 11 input months **and 11 target months**. After shuffling, most held-out paths are largely
# training targets of their neighbours, and the test period is partly seen in training.
#
# The experiment uses a **direct** LSTM: one model with 12 outputs, the whole next year of the
# growth rate $d$, from the last 12 values ($H = 12$, $W = 12$, the same network otherwise). Three
# arms, three seeds each, the same numbers of windows (fit / early stopping / held out):
#
# - **chronological**: fit on paths that end before 1956, stop on paths that end in 1956, hold out
#   the paths that lie in 1957–1960;
# - **shuffled**: as many windows of each kind, drawn at random from all of them;
# - **chronological, but the standardisation of $d$ fitted on all 144 months** (a leak through
#   the scaler).
#
# The held-out windows differ between arms, so each arm's MAPE (%, level-free) sits next to growth
# persistence scored on **the same held-out windows**, and the shuffled and chronological models
# are also compared on the test paths that both hold out.

# %%
# long-cell: one experiment that runs as a unit
H_LEAK, W_LEAK = 12, 12
# first target month of each window, and every target month of each window
first = helpers.timeseries.window_target_positions(len(y) - START, W_LEAK, H_LEAK) + START
leak_pos = first[:, None] + np.arange(H_LEAK)
ARMS = {
    "chronological": ("chronological", N_FIT),
    "shuffled": ("shuffled", N_FIT),
    "chronological, scaler on all 144 months": ("chronological", len(y)),
}
roles = {
    "fit": leak_pos[:, -1] < N_FIT,
    "stop": (leak_pos[:, -1] >= N_FIT) & (first <= N_FIT),
    "held out": first >= N_TRAIN,
}


def direct_recipe(split: str, stats_upto: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Direct 12-month LSTM on standardised d; returns the held-out mask and every window's forecast (passengers)."""
    mu, sd = np.nanmean(d[M:stats_upto]), np.nanstd(d[M:stats_upto])
    X, Y = make_windows(((d - mu) / sd)[START:], W_LEAK, horizon=H_LEAK)
    if split == "shuffled":  # as many windows of each role, drawn at random
        order, sizes = (
            np.random.default_rng(seed).permutation(len(X)),
            [roles[k].sum() for k in roles],
        )
        mask = {
            k: np.isin(np.arange(len(X)), order[sum(sizes[:j]) : sum(sizes[: j + 1])])
            for j, k in enumerate(roles)
        }
    else:
        mask = roles
    run = fit(
        lstm(W_LEAK, seed, n_out=H_LEAK),
        batches(X[mask["fit"]], Y[mask["fit"]], seed),
        batches(X[mask["stop"]], Y[mask["stop"]], shuffle=False),
        epochs=EPOCHS,
        patience=PATIENCE,
        quiet=True,
    )
    return mask["held out"], np.exp(z[leak_pos - M] + net(run.model, X) * sd + mu)


# %%
def mape_on(mask: np.ndarray, pred: np.ndarray) -> float:
    """MAPE (%) over every month of the paths in mask."""
    return float(100 * np.mean(np.abs(pred[mask] / y[leak_pos[mask]] - 1)))


with Timer() as t_leak:
    arms = {arm: [direct_recipe(*spec, seed) for seed in SEEDS] for arm, spec in ARMS.items()}
print(
    {k: int(v.sum()) for k, v in roles.items()},
    f"windows per role; {len(ARMS)} arms x {len(SEEDS)} seeds, {t_leak.seconds:.0f} s",
)
for months in (N_FIT, len(y)):
    print(
        f"standardisation of d fitted on {months} months: mean {np.nanmean(d[M:months]):.3f}, "
        f"sd {np.nanstd(d[M:months]):.3f}"
    )

# %%
gp_path = np.exp(
    z[leak_pos - M] + d[first - 1][:, None]
)  # growth persistence: last observed growth, 12 months
leak_rows = {}
for arm, res in arms.items():
    lstm_m, base_m = [mape_on(h, p) for h, p in res], [mape_on(h, gp_path) for h, _ in res]
    leak_rows[arm] = {
        "LSTM MAPE %": mean_sd(lstm_m)[0],
        "sd over seeds": mean_sd(lstm_m)[1],
        "growth persistence MAPE %, same windows": np.mean(base_m),
        "LSTM / growth persistence": np.mean(np.divide(lstm_m, base_m)),
    }
leak_table = pd.DataFrame(leak_rows).T
both = [(h & roles["held out"]) for h, _ in arms["shuffled"]]  # test paths held out by both splits
same = {
    k: [mape_on(b, p) for b, (_, p) in zip(both, arms[k], strict=True)]
    for k in ["chronological", "shuffled"]
}
print(
    f"test paths held out by both splits: {[int(b.sum()) for b in both]} (per seed); MAPE on them: "
    f"chronological {fmt_mean_sd(same['chronological'], 2)}, shuffled {fmt_mean_sd(same['shuffled'], 2)}"
)
leak_record = {"table": leak_table.to_dict(orient="index"), "same_test_paths_mape": same}
leak_table.round(2)

# %% [markdown]
# The leak shows in every number. Shuffled, the LSTM reports a little over half the chronological MAPE
# and beats growth persistence on its own held-out windows (ratio below 1), while the honest,
# chronological split puts it behind (ratio above 1): the shuffled split would reverse the
# conclusion. The line above the table compares the two splits on identical test paths, the ones
# both hold out, so the architecture, the seed and the paths are the same and only the training
# windows differ: the shuffled model's error is about half the chronological one there too. It was
# trained on the neighbours of those paths, whose 12 targets overlap theirs by up to 11 months, so
# the lower number measures memory, not forecasting skill.
#
# The third arm is a remark on the scaler. Standardising $d$ with all 144 months instead of the 84
# fit months changes its mean and standard deviation only a little (printed above the table), and
# the MAPE moves by about half a point, a few seed standard deviations of three seeds per arm: a
# small flattering effect, if it is one at all, far smaller than shuffling's. A scaler leak need not flatter at all (with other models and data
# it can make a score worse); either way, a number that used the test period measures nothing.

# %% [markdown]
# ## 9. Classifying windows: which way will the sunspots go?
#
# Windows can also feed a classifier. From the last 11 years (about one solar cycle) of three
# features derived from the yearly sunspot numbers, predict whether next year's value is
# **higher** than this year's.
#
# Features, each computed from the past only: $s_t = \sqrt{\text{sunspots}_t}$ (tames the peaks),
# its change $s_t - s_{t-1}$, and its distance from the mean of the last 11 years. The years are
# split **before** windowing: train up to 1899, validation 1900–1949 (early stopping), test
# 1950–2008; each split is windowed on its own, so the first 11 years of each split only serve as
# inputs (the test labels start in 1961, as the table below says), and the features are
# standardised with the train years only.

# %%
sun = helpers.load_sunspots()
s = np.sqrt(sun)
feats = pd.DataFrame(
    {"level": s, "change": s.diff(), "vs_11y_mean": s - s.rolling(11).mean()}
).dropna()
label = (
    (sun.diff() > 0).astype(float).loc[feats.index]
)  # label at t: did the series rise from t-1 to t?
f_mean, f_std = feats.loc[:1899].mean(), feats.loc[:1899].std()  # train years only
W_CLS = 11


def split_windows(first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows (and next-year labels) built inside the years first..last only."""
    part = ((feats - f_mean) / f_std).loc[first:last]
    return make_windows(part.to_numpy(), W_CLS, target=label.loc[first:last].to_numpy())


(Xc_tr, yc_tr), (Xc_va, yc_va), (Xc_te, yc_te) = [
    split_windows(*p) for p in [(1700, 1899), (1900, 1949), (1950, 2008)]
]
test_years = feats.loc[1950:].index[W_CLS:]  # the year each test label refers to
print(
    f"windows: train {len(Xc_tr)}, validation {len(Xc_va)}, test {len(Xc_te)}; "
    f"features per step: {Xc_tr.shape[2]}; share 'up' in train {yc_tr.mean():.2f}"
)

# %%
# long-cell: one experiment that runs as a unit
cls_runs = [
    fit(
        lstm(W_CLS, seed, n_features=3, units=16, classify=True),
        batches(Xc_tr, yc_tr, seed),
        batches(Xc_va, yc_va, shuffle=False),
        epochs=EPOCHS,
        patience=PATIENCE,
        quiet=True,
    )
    for seed in SEEDS
]
p_seeds = np.array([net(r.model, Xc_te)[:, 0] for r in cls_runs])
truth_c = yc_te[:, 0].astype(int)
majority = int(yc_tr.mean() >= 0.5)  # the majority class of the TRAIN labels
last_change_up = (Xc_te[:, -1, 1] * f_std["change"] + f_mean["change"] > 0).astype(int)
cls_pred = {
    f"majority class ('{'up' if majority else 'down'}' every year)": np.full(
        len(truth_c), majority
    ),
    "same direction as the last change": last_change_up,
    f"LSTM (ensemble of {len(SEEDS)})": (p_seeds.mean(axis=0) > 0.5).astype(int),
}
seed_acc = [np.mean(truth_c == (p > 0.5)) for p in p_seeds]
cls_ci = {k: bootstrap_ci(truth_c, v, n_boot=N_BOOT, seed=0) for k, v in cls_pred.items()}
cls_table = pd.DataFrame(
    {
        k: {"accuracy": c.value, "95 % CI low": c.low, "95 % CI high": c.high}
        for k, c in cls_ci.items()
    }
).T
cls_table.round(3).rename_axis(
    f"test years {test_years[0]}-{test_years[-1]} ({len(truth_c)} windows)"
)

# %%
lstm_cls = cls_pred[f"LSTM (ensemble of {len(SEEDS)})"]
print(
    f"LSTM single seeds: accuracy {fmt_mean_sd(seed_acc, 3)}; best epochs {[r.best_epoch for r in cls_runs]}"
)
only_lstm, only_rule, p_mc = helpers.stats.mcnemar(truth_c, lstm_cls, last_change_up)
print(
    f"McNemar, LSTM vs last-change rule: {only_lstm} years only the LSTM gets right, "
    f"{only_rule} only the rule; p = {p_mc:.3f}"
)
print(
    classification_report(truth_c, lstm_cls, target_names=["down", "up"], digits=3, zero_division=0)
)

# %%
fig = helpers.plot_confusion_matrix(
    truth_c,
    lstm_cls,
    labels=("down", "up"),
    title=f"LSTM ensemble, test years {test_years[0]}-{test_years[-1]}",
)
plt.show()

# %% [markdown]
# "Down" is the majority class because sunspot cycles rise fast and fall slowly; repeating the
# last change scores higher, because runs of rising or falling years are long (its interval
# overlaps the majority rule's, so that gap is not established on 48 years). The LSTM is
# ahead of both, and here the lead is more than noise: on the years where exactly one of the LSTM
# and the last-change rule is right, the LSTM wins far more often, and McNemar's test gives a small
# p-value. The classification report and the confusion matrix show where its errors are: "up"
# years, the minority class, are recalled less often than "down" years. With 48 test years every
# interval is wide; the single seeds, a little below the ensemble, are the error bar of one run.

# %% [markdown]
# ## 10. Two years of CO₂ ahead: trend and season, with a direct multi-output LSTM
#
# The weekly CO₂ record of Mauna Loa (1958–2001, shipped with the course) has what the airline
# series has, a trend and a yearly season, with several times more history (the cells below print
# the months and windows). We average it to months,
# fill the few months without any reading by linear interpolation, and forecast **24 months**
# ahead. Split by time: fit up to 1989, validation 1990–1993 (early stopping only: no setting is
# compared here), test 1994–2001, scored from the seven origins December 1993 … December 1999.
#
# This time the network is **direct**: one model with 24 outputs predicts the whole path of the
# annual increase $D_t = c_t - c_{t-12}$ (ppm), standardised on the fit months; the level comes
# back as $\hat c_{o+h} = c_{o+h-12} + \hat D_{o+h}$ for $h \le 12$ and
# $\hat c_{o+h} = \hat c_{o+h-12} + \hat D_{o+h}$ beyond. Baselines: seasonal naive (the same month
# of the last observed year) and seasonal naive **with drift** (plus the mean annual increase of
# the training months for every year ahead). ETS with additive trend and season is fitted once on
# the training months; at each origin it only updates its state, and the LSTM only reads the
# newer window: neither is refitted.

# %%
co2_weekly = helpers.load_co2()
co2 = co2_weekly.resample("MS").mean()
print(
    f"{len(co2_weekly)} weekly readings -> {len(co2)} months; "
    f"{int(co2.isna().sum())} months without a reading, interpolated"
)
co2 = co2.interpolate()
c, cdates = co2.to_numpy(), co2.index
C_FIT, C_TRAIN, H2, W2 = cdates.get_loc("1990-01-01"), cdates.get_loc("1994-01-01"), 24, 24
C_PERIODS = {"fit": (0, C_FIT), "validation": (C_FIT, C_TRAIN), "test": (C_TRAIN, len(c))}
C_ORIGINS = np.arange(C_TRAIN - 1, len(c) - H2, M)  # Dec 1993 .. Dec 1999
D = np.r_[np.full(M, np.nan), c[M:] - c[:-M]]
D_mu, D_sd = np.nanmean(D[:C_FIT]), np.nanstd(D[:C_FIT])
Dz = (D - D_mu) / D_sd
print(
    f"annual increase on the fit months: {D_mu:.2f} ± {D_sd:.2f} ppm; "
    f"test origins {[f'{cdates[o]:%Y-%m}' for o in C_ORIGINS]}"
)

# %%
# long-cell: one experiment that runs as a unit
def co2_windows(origins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (last W2 standardised increases up to each origin) and the next H2 increases."""
    X = np.stack([Dz[o - W2 + 1 : o + 1] for o in origins])[:, :, None]
    Y = np.stack([Dz[o + 1 : o + 1 + H2] for o in origins])
    return X, Y


def co2_level(D_hat: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """Levels (ppm) of the H2 months after each origin from predicted annual increases (ppm)."""
    out = np.zeros_like(D_hat)
    for h in range(H2):
        base = c[origins + h + 1 - M] if h < M else out[:, h - M]
        out[:, h] = base + D_hat[:, h]
    return out


fit_origins = np.arange(M + W2 - 1, C_FIT - H2)  # every path target inside the fit months
val_origins = np.arange(C_FIT - 1, C_TRAIN - H2)  # every path target inside the validation months
with Timer() as t_co2:
    co2_runs = [
        fit(
            lstm(W2, seed, n_out=H2),
            batches(*co2_windows(fit_origins), seed, size=32),
            batches(*co2_windows(val_origins), shuffle=False, size=32),
            epochs=EPOCHS,
            patience=PATIENCE,
            quiet=True,
        )
        for seed in SEEDS
    ]
print(
    f"{len(fit_origins)} fit windows, {len(val_origins)} validation windows; best epochs "
    f"{[r.best_epoch for r in co2_runs]}, stopped early: {all(r.stopped_early for r in co2_runs)} "
    f"({t_co2.seconds:.0f} s)"
)

# %%
# long-cell: one experiment that runs as a unit
cT = C_ORIGINS[:, None] + np.arange(1, H2 + 1)  # (origin, horizon) positions
years_ahead = (np.arange(H2) // M + 1)[None]  # 1 for h <= 12, 2 beyond
co2_ets = ETSModel(
    co2.iloc[:C_TRAIN], error="add", trend="add", seasonal="add", seasonal_periods=M
).fit(disp=False)
co2_fc = {
    "seasonal naive": c[cT - M * years_ahead],
    "seasonal naive + drift": c[cT - M * years_ahead] + years_ahead * np.nanmean(D[:C_TRAIN]),
    "ETS": np.stack(
        [
            ETSModel(
                co2.iloc[: o + 1], error="add", trend="add", seasonal="add", seasonal_periods=M
            )
            .smooth(co2_ets.params)
            .forecast(H2)
            .to_numpy()
            for o in C_ORIGINS
        ]
    ),
}
co2_seeds = np.array(
    [co2_level(net(r.model, co2_windows(C_ORIGINS)[0]) * D_sd + D_mu, C_ORIGINS) for r in co2_runs]
)
co2_fc["LSTM"] = co2_seeds.mean(axis=0)
c_truth, c_scale = c[cT], seasonal_mae_scale(c[:C_TRAIN], M)
co2_ci = {
    k: bootstrap_ci(c_truth.ravel(), v.ravel(), rmse, n_boot=N_BOOT, seed=0)
    for k, v in co2_fc.items()
}
co2_table = pd.DataFrame(
    {
        k: {
            **score(c_truth.ravel(), v.ravel(), c_scale),
            "RMSE 95% CI / sd": f"[{co2_ci[k].low:.2f}, {co2_ci[k].high:.2f}]",
        }
        for k, v in co2_fc.items()
    }
).T
co2_seed_scores = pd.DataFrame([score(c_truth.ravel(), p.ravel(), c_scale) for p in co2_seeds])
co2_table.loc["LSTM (single seeds, mean)"] = [
    co2_seed_scores["RMSE"].mean(),
    co2_seed_scores["MASE"].mean(),
    f"sd {mean_sd(co2_seed_scores['RMSE'])[1]:.2f} over seeds",
]
co2_table[["RMSE", "MASE"]] = co2_table[["RMSE", "MASE"]].astype(float).round(3)
co2_table.rename(index={"LSTM": f"LSTM (ensemble of {len(SEEDS)})"}).rename_axis(
    f"{cT.size} forecasts, h = 1..24"
)

# %%
# long-cell: a figure built in one piece
# extra code: the CO2 record, the paths from two origins, and the error by horizon
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.6), gridspec_kw={"width_ratios": [2, 1]})
shade(ax1, cdates, C_PERIODS)
ax1.plot(cdates, c, color=COLORS["observed"], lw=1, label="observed")
for i in [0, 4]:
    for k, style in [("seasonal naive + drift", ":"), ("ETS", "-"), ("LSTM", "-")]:
        ax1.plot(
            cdates[cT[i]],
            co2_fc[k][i],
            color=COLORS[k],
            ls=style,
            lw=1.5,
            label=k if i == 0 else None,
        )
ax1.set(
    xlim=(cdates[C_FIT - 48], cdates[-1]),
    ylim=(c[C_FIT - 48] - 3, c.max() + 3),
    ylabel="CO$_2$ (ppm)",
    title=f"Mauna Loa CO$_2$: 24-month paths from {cdates[C_ORIGINS[0]]:%b %Y} and {cdates[C_ORIGINS[4]]:%b %Y}",
)
ax1.legend(fontsize=7, ncol=2, loc="upper left")
for k, v in co2_fc.items():
    ax2.plot(
        range(1, H2 + 1),
        np.sqrt(((v - c_truth) ** 2).mean(axis=0)),
        color=COLORS[k],
        marker=".",
        label=k,
    )
ax2.set(
    xlabel="horizon h (months ahead)",
    ylabel=f"RMSE (ppm) over {len(C_ORIGINS)} origins",
    title="Error by horizon",
)
ax2.legend(fontsize=7)
fig.tight_layout()
plt.show()

# %% [markdown]
# Seasonal naive misses the trend; adding the mean annual increase (drift) removes most of its
# error. ETS, fitted once on the training months, has the lowest error over the 24 months, most
# clearly at short horizons (right panel). The LSTM sits between seasonal naive with drift and ETS
# by point estimate; no paired test is run here, and the brackets are over 168 forecasts from only
# seven origins whose 24-month paths overlap, so they are far too narrow: read the ranking as
# tentative. Read the LSTM's training line first: early stopping restored **epoch 1** for every
# seed, because the validation loss never again went below its epoch-1 value within the patience
# window. The validation years 1990–1993 include the well-known slowdown of CO₂ growth after the
# 1991 Pinatubo eruption, which may be why what the network learned from the fit years did not
# carry over. A one-epoch network is close to forecasting the average increase, that is, close to
# seasonal naive with drift, which is what its row shows. More data (over three hundred windows
# here) does not help if the validation period behaves unlike the training period.

# %% [markdown]
# ## 11. Recording the results

# %%
# long-cell: the record lists every table of the notebook
def interval_of(table: pd.DataFrame, row: str) -> dict:
    """{"value", "ci95"} of a row's RMSE in a comparison table."""
    return {
        "value": table.loc[row, "RMSE"],
        "ci95": [table.loc[row, "RMSE CI low"], table.loc[row, "RMSE CI high"]],
    }


headline = {
    "rolling_one_step_rmse_lstm": helpers.stats.seed_summary(seeds_one_scores["RMSE"]),
    "rolling_one_step_rmse_sarima": interval_of(table_one, "SARIMA"),
    "rolling_one_step_rmse_ets": interval_of(table_one, "ETS"),
    "rolling_one_step_rmse_growth_persistence": interval_of(table_one, "growth persistence"),
    "rolling_one_step_rmse_seasonal_naive": interval_of(table_one, "seasonal naive"),
    "rolling_12m_mase_lstm": helpers.stats.seed_summary(seeds_path_scores["MASE"]),
    "rolling_12m_mase_sarima": table_path.loc["SARIMA", "MASE"],
    "co2_24m_rmse_lstm": helpers.stats.seed_summary(co2_seed_scores["RMSE"]),
    "co2_24m_rmse_ets": co2_table.loc["ETS", "RMSE"],
    "sunspot_direction_acc_lstm": helpers.stats.seed_summary(seed_acc),
    "sunspot_direction_acc_last_change": cls_ci["same direction as the last change"].as_dict(),
}
_ = helpers.record_results(
    "08_time_series_forecasting",
    data_sizes={
        "airline_fit_months": N_FIT,
        "airline_validation_months": N_TRAIN - N_FIT,
        "airline_test_months": len(y) - N_TRAIN,
        "rolling_origins": len(ORIGINS),
        "lstm_seeds": len(SEEDS),
        "sunspot_test_windows": len(truth_c),
        "co2_test_forecasts": int(cT.size),
    },
    headline=headline,
    choices={
        "ets_form": ETS_FORM,
        "sarima_order": [list(ORDER[0]), list(ORDER[1])],
        "lstm_target": KIND,
        "lstm_window": W_BEST,
        "lstm_refit_epochs": E_REFIT,
    },
    validation_table=val_table.to_dict(orient="index"),
    rolling_one_step=table_one.to_dict(orient="index"),
    rolling_12m_paths=table_path.to_dict(orient="index"),
    interval_coverage_95=coverage,
    leakage=leak_record,
    sunspot_accuracy=cls_table.to_dict(orient="index"),
    co2_24m=co2_table.to_dict(orient="index"),
)

# %% [markdown]
# ## What this notebook showed
#
# - Settings were chosen on the validation year and frozen before the test years were scored by
#   rolling origin, with every model refitted at each origin on the same months (section 6 states
#   how often the test years were scored during development).
# - One step ahead and over 12-month paths, SARIMA has the lowest error. The LSTM ensemble (single
#   seeds: mean ± sd in the tables) ties growth persistence and ETS in paired tests and loses to
#   SARIMA, narrowly one step ahead and more clearly over 12-month paths; section 7 explains why
#   from the notebook's own numbers.
# - Prediction intervals were checked by their coverage on the test months, not taken on trust:
#   SARIMA's held close to 95 %, the LSTM's in-sample residual quantiles did not.
# - Shuffling overlapping windows before the split changes the error a notebook reports, and
#   section 8 measures by how much on identical test paths; the scaler fitted on all months is
#   a leak of a different size, reported in the same table.
#
# ## Summary
#
# - Split a series by time **first**; fit every transformation on the fit months, choose every
#   setting on a validation period carved from the end of train, and read the test period once.
# - Evaluate by **rolling origin**: refit at several origins and report RMSE with MASE, which
#   divides by an in-sample yardstick (seasonal naive) and so has no unit.
# - Always put training-free rules (persistence, seasonal naive, growth persistence) and a
#   classical model (ETS, SARIMA) next to a network, scored on the same forecasts.
# - On a short series, a few parameters with the right structure beat thousands learned from a
#   few dozen windows; a validation set of twelve points chooses noisily.
# - A prediction interval is a claim about coverage: check it on the test forecasts.
# - Shuffling overlapping windows before the split puts the test period into training, and fitting
#   a scaler on all data puts its statistics into preprocessing; either way the score no longer
#   measures forecasting of an unseen future.
#
# ## Exercises
#
# 1. **Seasonal naive with drift.** $\hat y_t = \exp(\log y_{t-12} + \bar d)$, where $\bar d$ is the
#    mean growth rate of all months up to the origin, needs no training. Score it one step ahead on
#    the 48 rolling-origin test months, beside growth persistence and SARIMA.
# 2. **Per year.** Compute the one-step RMSE of seasonal naive, SARIMA and the LSTM for each test
#    year (1957–1960). Is the LSTM's gap to SARIMA the same every year?
# 3. **Turning points.** For the sunspot classifier, compute the accuracy on the test years where
#    the last change and the next change have **different** signs. Which method wins there?

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# Exercise 1: seasonal naive + mean growth up to each origin ("drift" on the log scale)
drift = np.stack([np.exp(z[T_POS[i] - M] + np.nanmean(d[: o + 1])) for i, o in enumerate(ORIGINS)])
rivals = {
    "seasonal naive + drift": drift,
    "growth persistence": one["growth persistence"],
    "SARIMA": one["SARIMA"],
}
pd.Series(
    {k: rmse(truth.ravel(), v.ravel()) for k, v in rivals.items()}, name="one-step test RMSE"
).round(2)

# %% tags=["solution"]
# Exercise 2: one-step RMSE per test year (row i of each array is the year after origin i)
per_year = {
    k: [rmse(truth[i], one[k][i]) for i in range(len(ORIGINS))]
    for k in ["seasonal naive", "SARIMA", "LSTM"]
}
pd.DataFrame(per_year, index=[dates[o + 1].year for o in ORIGINS]).round(1)

# %% tags=["solution"]
# Exercise 3: accuracy at the turning points of the sunspot test years
turn = truth_c != last_change_up
print(f"{turn.sum()} turning points among {len(turn)} test years")
print(
    f"last-change rule: {np.mean(truth_c[turn] == last_change_up[turn]):.2f}  "
    f"LSTM: {np.mean(truth_c[turn] == lstm_cls[turn]):.2f}  majority: {np.mean(truth_c[turn] == majority):.2f}"
)

# %% [markdown] tags=["solution"]
# At turning points the last-change rule is wrong by construction (its accuracy there is 0), so
# any skill on those years comes from knowing where the series stands in its cycle.

# %% [markdown]
# ## Further reading
#
# - Hochreiter, S., & Schmidhuber, J. (1997). Long short-term memory. *Neural Computation*, 9(8).
# - Box, G. E. P., & Jenkins, G. M. (1970). *Time Series Analysis: Forecasting and Control*.
#   Holden-Day (5th ed. with Reinsel & Ljung, Wiley 2015) — the airline model, fitted to this series.
# - Hyndman, R. J., Koehler, A. B., Ord, J. K., & Snyder, R. D. (2008). *Forecasting with
#   Exponential Smoothing: The State Space Approach*. Springer — ETS.
# - Hyndman, R. J., & Koehler, A. B. (2006). Another look at measures of forecast accuracy.
#   *International Journal of Forecasting*, 22(4) — MASE.
# - Tashman, L. J. (2000). Out-of-sample tests of forecasting accuracy: an analysis and review.
#   *International Journal of Forecasting*, 16(4) — rolling origins.
# - Hyndman, R. J., & Athanasopoulos, G. (2021). *Forecasting: Principles and Practice* (3rd ed.),
#   OTexts — naive baselines, time-series cross-validation, prediction intervals.
# - Makridakis, S., Spiliotis, E., & Assimakopoulos, V. (2018). Statistical and machine learning
#   forecasting methods: concerns and ways forward. *PLOS ONE*, 13(3).
# - Ben Taieb, S., Bontempi, G., Atiya, A., & Sorjamaa, A. (2012). A review and comparison of
#   strategies for multi-step ahead time series prediction. *Expert Systems with Applications*, 39(8).
# - Bergmeir, C., Hyndman, R. J., & Koo, B. (2018). A note on the validity of cross-validation for
#   evaluating autoregressive time series prediction. *Computational Statistics & Data Analysis*, 120.
