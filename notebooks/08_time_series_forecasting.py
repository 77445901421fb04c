# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 08 · Time-series forecasting with LSTMs, without leakage
#
# Many LSTM forecasting tutorials scale the whole series before splitting it and never compare
# their network with "the same month last year". Here we split by time first, fit every
# transformation on the training months only, and put the LSTM next to a naive forecast, a
# seasonal naive forecast and a classical SARIMA model on exactly the same test months.
#
# **You will learn**
# - how to cut a series into supervised windows without off-by-one errors or peeks at the future;
# - why the log transform and the seasonal difference $\log y_t - \log y_{t-12}$ make a small
#   data set learnable, and how a scaler fitted on all data flatters (or distorts) a test score;
# - how to compare one-step and 12-month forecasts (recursive vs direct) with honest baselines;
# - how to classify windows of several features with an LSTM, split by time, against the
#   majority class.
#
# **Prerequisites**: `04_lstm_gates` (what an LSTM computes), `06_imdb_sentiment` (Keras
# training with a validation split).
#
# **Time to run**: about 4 minutes in the full profile (253 s), about 20 s in the smoke profile
# (2 CPU cores, TensorFlow import included).

# %%
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow is imported

import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.sarimax import SARIMAX

import helpers
from helpers.timeseries import lag_forecast, make_windows, metrics_table, rmse
from helpers.training import Timer

warnings.filterwarnings("ignore", module="statsmodels")  # convergence chatter on 96 points
SEED = helpers.set_seed(42)
print(f"profile: {helpers.get_profile()}  seed: {SEED}  keras {keras.__version__}")

# %% [markdown]
# ## 1. The data and a chronological split
#
# The airline series counts international passengers (thousands) each month from 1949 to 1960:
# 144 values with a rising trend and a yearly season whose swing grows with the level.
# A forecast must only use the past, so the split is by time, never shuffled:
#
# - **train**: the first 96 months (1949–1956); its last 12 months (1956) are the
#   **validation** months used for early stopping and for choosing settings;
# - **test**: the last 48 months (1957–1960), touched once, at the end of each section.

# %%
series = helpers.load_airline()
y = series.to_numpy()
N_TRAIN, N_VAL, M = 96, 12, 12  # train months, validation months (end of train), season length
V = N_TRAIN - N_VAL  # first validation position
dates = series.index
for name, lo, hi in [("fit", 0, V), ("validation", V, N_TRAIN), ("test", N_TRAIN, len(y))]:
    print(f"{name:>10}: {dates[lo]:%Y-%m} .. {dates[hi - 1]:%Y-%m}  ({hi - lo} months)")

# %%
# extra code: the series and the three periods
fig, ax = plt.subplots(figsize=(9, 3))
ax.plot(dates, y, color="black", lw=1.2)
ax.axvspan(dates[V], dates[N_TRAIN - 1], color="tab:orange", alpha=0.2, label="validation")
ax.axvspan(dates[N_TRAIN], dates[-1], color="tab:blue", alpha=0.15, label="test")
ax.set(ylabel="passengers (thousands)", title="Airline passengers, 1949-1960")
ax.legend(loc="upper left")
plt.show()

# %% [markdown]
# ## 2. Windows without off-by-one errors
#
# A window of length $W$ turns the series into supervised pairs: the inputs are
# $(y_{t-W}, \dots, y_{t-1})$ and the target is $y_t$ (or $y_t, \dots, y_{t+H-1}$ for a
# horizon $H$). `helpers.timeseries.make_windows` does this and is unit-tested on a series whose
# values equal their positions, which makes every shift visible:

# %%
# NBVAL_CHECK_OUTPUT
X_demo, y_demo = make_windows(np.arange(8.0), window=3, horizon=2)
for inputs, target in zip(X_demo[:, :, 0], y_demo):
    print(inputs.astype(int), "->", target.astype(int))
print("every target comes after its window:", bool(np.all(y_demo[:, 0] > X_demo[:, -1, 0])))

# %% [markdown]
# The windows whose targets lie in positions $[lo, hi)$ are `make_windows(s[lo - W : hi], W)`:
# their inputs may reach back into earlier periods (the past is known when we forecast), but no
# target ever leaves its period. We use that one rule for train, validation and test windows.
#
# ## 3. Baselines on the test months
#
# Three one-step-ahead forecasts of month $t$, each using only data up to $t-1$:
#
# - **persistence**: $\hat y_t = y_{t-1}$;
# - **seasonal naive**: $\hat y_t = y_{t-12}$;
# - **SARIMA**: the classical "airline model" of Box and Jenkins, $(0,1,1)\times(0,1,1)_{12}$ on
#   $\log y_t$. Its two coefficients are fitted on the 96 training months only; then
#   `res.append(test, refit=False)` runs the Kalman filter over the test months with those fixed
#   coefficients, so each prediction uses the observations before it, never the parameters of a
#   model fitted on test.

# %%
log_y = np.log(series)
sarima = SARIMAX(log_y.iloc[:N_TRAIN], order=(0, 1, 1), seasonal_order=(0, 1, 1, M)).fit(disp=False)
filtered = sarima.append(log_y.iloc[N_TRAIN:], refit=False)  # same parameters, data to 1960
y_test = y[N_TRAIN:]
one_step = {
    "persistence": lag_forecast(y, N_TRAIN, lag=1),
    "seasonal naive": lag_forecast(y, N_TRAIN, lag=M),
    "SARIMA (log)": np.exp(filtered.predict(start=N_TRAIN, end=len(y) - 1).to_numpy()),
}
print(sarima.params.round(3).to_string())
metrics_table(y_test, one_step)

# %% [markdown]
# SARIMA is far ahead of both naive forecasts: on the log scale the season is multiplicative and
# nearly constant, and the model tracks the year-on-year growth. This is the bar the LSTM has to
# clear; "same month last year" is the bar it must at least beat.
#
# ## 4. Preprocessing fitted on train only
#
# Two transformations make the problem small enough for 96 months of data. The log turns the
# growing seasonal swing into a constant one, and the seasonal difference
#
# $$d_t = \log y_t - \log y_{t-12}$$
#
# removes both the season and most of the trend: $d_t$ is the year-on-year growth rate. We then
# standardise $d_t$ with the mean and standard deviation of the **training** months only,
# $\tilde d_t = (d_t - \mu_{\text{train}})/\sigma_{\text{train}}$. A forecast $\hat d_t$ maps back to
#
# $$\hat y_t = \exp\left(\log y_{t-12} + \hat d_t\right),$$
#
# so the network only has to learn how this year differs from last year.
#
# A second candidate target goes one step further: the monthly change of the growth rate,
# $\Delta d_t = d_t - d_{t-1}$ (the double difference the SARIMA airline model works with).
# Then $\hat y_t = \exp(\log y_{t-12} + d_{t-1} + \widehat{\Delta d}_t)$, and a network that
# outputs $\widehat{\Delta d}_t = 0$ reproduces **growth persistence**, "this year's growth equals
# last month's", a naive forecast we add to the baselines. Section 5 picks the target on the
# validation months. For multi-step paths, $\hat d$ is the last observed $d$ plus the running sum
# of the predicted changes.

# %%
z = np.log(y)
d = np.full_like(z, np.nan)
d[M:] = z[M:] - z[:-M]
targets = {"d": d, "dd": np.r_[np.nan, np.diff(d)]}  # growth, and its change from last month
stats = {k: (np.nanmean(x[:N_TRAIN]), np.nanstd(x[:N_TRAIN])) for k, x in targets.items()}  # train only
scaled = {k: (x - stats[k][0]) / stats[k][1] for k, x in targets.items()}
START = M + 1  # first month where both targets exist


def to_level(kind: str, pred: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Passengers at positions pos (origins x horizon) from standardised network outputs of one kind."""
    step = pred * stats[kind][1] + stats[kind][0]
    growth = step if kind == "d" else d[pos[:, :1] - 1] + np.cumsum(step, axis=1)
    return np.exp(z[pos - M] + growth)


for k, (m_, s_) in stats.items():
    print(f"{k:>2}: train mean {m_:+.3f}, sd {s_:.3f} (log units)")
one_step["growth persistence"] = np.exp(z[N_TRAIN - M : -M] + d[N_TRAIN - 1 : -1])

# %%
# extra code: the transformed series
fig, ax = plt.subplots(figsize=(9, 2.6))
ax.plot(dates[M:], d[M:], color="black", lw=1)
ax.axvline(dates[N_TRAIN], color="tab:blue", ls="--", lw=1)
ax.set(ylabel=r"$\log y_t - \log y_{t-12}$", title="Year-on-year growth (test starts at the dashed line)")
plt.show()

# %% [markdown]
# The growth rate wanders between about 0 and 0.3 with no season left. Unlike the raw series,
# whose test values lie far above anything seen in training, the test growth rates stay inside
# the range the network sees during training. Growth persistence, the naive forecast on this
# scale, joins the baselines:

# %%
print(metrics_table(y_test, one_step).to_string())
#
# ## 5. LSTM one-step forecasts, an ensemble of seeds
#
# The network reads the last $W$ standardised values of the target ($d$ or $\Delta d$) and
# predicts the next one:
# one `LSTM(32)` layer and a linear output, trained with the mean squared error and early
# stopping on the 1956 validation months (best weights restored). With about 60 training
# windows, the result depends on the random seed, so we train several seeds and **average their
# forecasts**. The target ($d$ or $\Delta d$) and the window length $W \in \{12, 24\}$ are
# chosen on the validation months only.

# %%
EPOCHS = helpers.pick(full=400, smoke=2)
SEEDS = helpers.pick(full=[0, 1, 2, 3, 4], smoke=[0])
CONFIGS = helpers.pick(full=[("d", 12), ("d", 24), ("dd", 12), ("dd", 24)], smoke=[("dd", 12)])


def fit_lstm(X, Y, Xv, Yv, seed, units=32, lr=3e-3, classify=False):
    """Train one small LSTM regressor (or binary classifier) with early stopping on (Xv, Yv)."""
    helpers.set_seed(seed)
    out = keras.layers.Dense(Y.shape[1], activation="sigmoid" if classify else None)
    model = keras.Sequential([keras.Input(X.shape[1:]), keras.layers.LSTM(units), out])
    loss = "binary_crossentropy" if classify else "mse"
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    stop = keras.callbacks.EarlyStopping(patience=40, restore_best_weights=True)
    hist = model.fit(X, Y, validation_data=(Xv, Yv), epochs=EPOCHS, batch_size=16, verbose=0, callbacks=[stop])
    model.stopped_at = int(np.argmin(hist.history["val_loss"])) + 1
    return model


def predict(models, X):
    """Average forecast of an ensemble (one column per output)."""
    return np.mean([m(X, training=False).numpy() for m in models], axis=0)


# %%
val_pos, test_pos = np.arange(V, N_TRAIN), np.arange(N_TRAIN, len(y))
ensembles, val_scores = {}, {}
with Timer() as t_one:
    for kind, W in CONFIGS:
        r = scaled[kind]
        X_tr, Y_tr = make_windows(r[START:V], W)  # targets in [START + W, V)
        X_va, Y_va = make_windows(r[V - W : N_TRAIN], W)  # targets = the 12 validation months
        ens = ensembles[kind, W] = [fit_lstm(X_tr, Y_tr, X_va, Y_va, s) for s in SEEDS]
        val_scores[kind, W] = rmse(y[val_pos], to_level(kind, predict(ens, X_va), val_pos[:, None])[:, 0])
        print(f"target {kind:>2}, W={W}: {len(X_tr)} train windows, best epochs {[m.stopped_at for m in ens]}, "
              f"validation RMSE {val_scores[kind, W]:.2f}")
KIND, W_BEST = min(val_scores, key=val_scores.get)
print(f"chosen on validation: target {KIND}, W={W_BEST}  ({len(SEEDS)} seeds x {len(CONFIGS)} configs, {t_one.seconds:.0f} s)")

# %% [markdown]
# Now, and only now, the test months. Each test input window holds observed values up to the
# month before the target, exactly like the SARIMA filter above.

# %%
best = ensembles[KIND, W_BEST]
X_te, _ = make_windows(scaled[KIND][N_TRAIN - W_BEST :], W_BEST)  # targets = the 48 test months
per_seed = [to_level(KIND, m(X_te, training=False).numpy(), test_pos[:, None])[:, 0] for m in best]
one_step["LSTM (ensemble)"] = to_level(KIND, predict(best, X_te), test_pos[:, None])[:, 0]
seed_rmse = np.array([rmse(y_test, p) for p in per_seed])
print(f"single seeds, test RMSE: {np.round(seed_rmse, 2)}  (mean {seed_rmse.mean():.2f}, sd {seed_rmse.std():.2f})")
table_one = metrics_table(y_test, one_step)
print(table_one.to_string())

# %%
# extra code: one-step forecasts on the test months
fig, ax = plt.subplots(figsize=(9, 3.4))
ax.plot(dates[72:], y[72:], color="black", lw=2, label="observed")
for name, style in [("seasonal naive", ":"), ("SARIMA (log)", "--"), ("LSTM (ensemble)", "-")]:
    ax.plot(dates[N_TRAIN:], one_step[name], ls=style, label=name)
ax.axvline(dates[N_TRAIN], color="grey", lw=0.8)
ax.set(ylabel="passengers (thousands)", title="One-step-ahead forecasts, test months 1957-1960")
ax.legend(loc="upper left")
plt.show()

# %%
lstm_rmse = table_one.loc["LSTM (ensemble)", "RMSE"]
snaive_rmse, sarima_rmse = table_one.loc["seasonal naive", "RMSE"], table_one.loc["SARIMA (log)", "RMSE"]
print(f"LSTM ensemble vs seasonal naive: {lstm_rmse:.2f} vs {snaive_rmse:.2f} RMSE "
      f"({'beats' if lstm_rmse < snaive_rmse else 'does not beat'} it)")
print(f"LSTM ensemble vs SARIMA: {100 * (lstm_rmse / sarima_rmse - 1):+.0f}% RMSE")

# %% [markdown]
# The two printed lines place the LSTM between the baselines; the table before them gives all
# three error measures. The spread across single seeds is the honest error bar for one training
# run: compare it with the ensemble, which averages away part of the seed-to-seed noise.
#
# ## 6. Side experiment: a scaler fitted on all data
#
# The common tutorial recipe scales the **raw** series with a min-max scaler fitted on all
# 144 months, then splits. That scaler knows the test maximum (the 1960 peak) before any
# forecast is made. Below, the same LSTM on raw scaled values is trained twice, once with the
# scaler fitted on train only and once with the leaky one; everything else is identical.

# %%
def raw_experiment(lo_fit: int, hi_fit: int, W: int = 12) -> float:
    """Test RMSE of an LSTM on min-max scaled raw values, the scaler fitted on y[lo_fit:hi_fit]."""
    lo, hi = y[lo_fit:hi_fit].min(), y[lo_fit:hi_fit].max()
    s = (y - lo) / (hi - lo)
    X_tr, Y_tr = make_windows(s[:V], W)
    X_va, Y_va = make_windows(s[V - W : N_TRAIN], W)
    X_t, _ = make_windows(s[N_TRAIN - W :], W)
    models = [fit_lstm(X_tr, Y_tr, X_va, Y_va, seed) for seed in SEEDS[:2]]
    print(f"scaler fitted on y[{lo_fit}:{hi_fit}]: test inputs scaled into [{s[N_TRAIN:].min():.2f}, {s[N_TRAIN:].max():.2f}]")
    return rmse(y_test, predict(models, X_t)[:, 0] * (hi - lo) + lo)


leak = {"scaler fitted on train only": raw_experiment(0, N_TRAIN), "scaler fitted on all 144 months (leak)": raw_experiment(0, len(y))}
pd.Series(leak, name="test RMSE, raw-level LSTM").round(2).to_frame()

# %%
gap = leak["scaler fitted on train only"] - leak["scaler fitted on all 144 months (leak)"]
print(f"the leaky scaler changes the raw-level LSTM's test RMSE by {-gap:+.2f} "
      f"({'flatters' if gap > 0 else 'does not flatter'} it here)")

# %% [markdown]
# Whatever the direction of the change on this run, the leaky number is not a measurement of
# forecasting skill: it depends on information from the test period. With a train-only scaler
# the test values fall outside $[0, 1]$, which is the real difficulty of forecasting a trending
# series with a bounded network; the log and seasonal difference of section 4 remove that
# difficulty without looking at the test months.
#
# ## 7. Twelve months ahead: recursive vs direct
#
# From each forecast origin (the last observed month) we now predict the next 12 months.
# There are two ways to do it with a network:
#
# - **recursive**: apply the one-step model, append its forecast $\hat d_{t+1}$ to the window,
#   predict $\hat d_{t+2}$, and so on (errors can compound);
# - **direct**: one model with 12 outputs, trained on windows with horizon $H = 12$.
#
# Because $h \le 12$, $\log y_{t+h-12}$ is always observed at the origin, so both map back with
# the formula of section 4. The origins run from December 1956 to December 1959, so that
# all 37 forecast paths of 12 months lie inside the test period. Baselines: the last value
# repeated, last year's months (seasonal naive), and SARIMA forecasts from each origin with
# the training coefficients (`res.extend` adds one observed month at a time).

# %%
H = 12
W, r = W_BEST, scaled[KIND]
X_or, _ = make_windows(r[N_TRAIN - W :], W, horizon=H)  # one row per origin, 37 origins
origins = np.arange(N_TRAIN - 1, N_TRAIN - 1 + len(X_or))
target_pos = origins[:, None] + np.arange(1, H + 1)  # (origins, horizon) positions
Y_true = y[target_pos]

window = X_or[:, :, 0].copy()
recursive = []
for _ in range(H):
    step = predict(best, window[:, :, None])[:, 0]
    recursive.append(step)
    window = np.column_stack([window[:, 1:], step])  # feed the forecast back in
multi = {"LSTM recursive": to_level(KIND, np.column_stack(recursive), target_pos)}

# %%
X_tr, Y_tr = make_windows(r[START:V], W, horizon=H)  # all 12 targets before the validation months
X_va, Y_va = make_windows(r[V - W - H + 1 : N_TRAIN], W, horizon=H)  # last target in validation
with Timer() as t_direct:
    direct = [fit_lstm(X_tr, Y_tr, X_va, Y_va, s) for s in SEEDS]
multi["LSTM direct"] = to_level(KIND, predict(direct, X_or), target_pos)
print(f"direct model: {len(X_tr)} train windows, best epochs {[m.stopped_at for m in direct]}, {t_direct.seconds:.0f} s")

# %%
sarima_paths, res = [], sarima  # res holds the filter state at the origin
for o in origins:
    sarima_paths.append(np.exp(res.forecast(H).to_numpy()))
    res = res.extend(log_y.iloc[o + 1 : o + 2])  # one more observed month, same coefficients
multi["persistence"] = np.repeat(y[origins][:, None], H, axis=1)
multi["seasonal naive"] = y[target_pos - M]
multi["SARIMA (log)"] = np.array(sarima_paths)
table_multi = metrics_table(Y_true.ravel(), {k: v.ravel() for k, v in multi.items()})
table_multi.loc[["persistence", "seasonal naive", "SARIMA (log)", "LSTM recursive", "LSTM direct"]]

# %%
# extra code: error by horizon, and the paths from the first origin (forecasting 1957)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.4))
for name, pred in multi.items():
    ax1.plot(range(1, H + 1), np.sqrt(((pred - Y_true) ** 2).mean(axis=0)), marker=".", label=name)
ax1.set(xlabel="horizon (months ahead)", ylabel="RMSE over 37 origins", title="Error by horizon")
ax1.legend(fontsize=8)
ax2.plot(dates[84:N_TRAIN + H], y[84:N_TRAIN + H], color="black", lw=2, label="observed")
for name in ["seasonal naive", "SARIMA (log)", "LSTM recursive", "LSTM direct"]:
    ax2.plot(dates[target_pos[0]], multi[name][0], ls="--", label=name)
ax2.set(title="12-month forecasts made in December 1956")
ax2.tick_params(axis="x", labelrotation=30)
ax2.legend(fontsize=8)
plt.show()

# %% [markdown]
# The table scores all 37 × 12 forecasts of each method on the test months. Seasonal naive
# copies last year whatever the horizon, so its error curve is roughly flat; persistence gets
# worse as the season moves away from the origin month; SARIMA and both LSTMs start from the
# one-step accuracy and lose some of it as the horizon grows. Far out, the LSTMs fade: from about
# 9 months ahead the recursive one is worse than seasonal naive and the direct one only a little
# better, while SARIMA keeps most of its lead.
# The recursive LSTM reuses the one-step model for free; the direct model needed its own
# training on fewer windows (each window now needs 12 future targets inside the training months).
#
# ## 8. Classifying windows: which way will the sunspots go?
#
# The source tutorial also classifies windows of several features. Here is a real version of
# that task: from the last 11 years (about one solar cycle) of three features derived from the
# yearly sunspot numbers, predict whether next year's value is **higher** than this year's.
#
# Features, each computed from the past only: $s_t = \sqrt{\text{sunspots}_t}$ (tames the peaks),
# its change $s_t - s_{t-1}$, and its distance from the mean of the last 11 years. The years are
# split **before** windowing: train up to 1899, validation 1900–1949, test 1950–2008; each
# split is windowed on its own, and the features are standardised with the train years only.

# %%
sun = helpers.load_sunspots()
s = np.sqrt(sun)
feats = pd.DataFrame({"level": s, "change": s.diff(), "vs_11y_mean": s - s.rolling(11).mean()}).dropna()
label = (sun.diff() > 0).astype(float).loc[feats.index]  # label at t: did the series rise from t-1 to t?
f_mean, f_std = feats.loc[:1899].mean(), feats.loc[:1899].std()  # train years only
W_CLS = 11


def split_windows(first: int, last: int):
    """Windows (and next-year labels) built inside the years first..last only."""
    part = ((feats - f_mean) / f_std).loc[first:last]
    return make_windows(part.to_numpy(), W_CLS, target=label.loc[first:last].to_numpy())


(Xc_tr, yc_tr), (Xc_va, yc_va), (Xc_te, yc_te) = [split_windows(*p) for p in [(1700, 1899), (1900, 1949), (1950, 2008)]]
test_years = feats.loc[1950:].index[W_CLS:]  # the year each test label refers to
print(f"windows: train {len(Xc_tr)}, validation {len(Xc_va)}, test {len(Xc_te)}; "
      f"features per step: {Xc_tr.shape[2]}; share 'up' in train {yc_tr.mean():.2f}")

# %%
cls_models = [fit_lstm(Xc_tr, yc_tr, Xc_va, yc_va, seed, units=16, classify=True) for seed in SEEDS[:3]]
p_up = predict(cls_models, Xc_te)[:, 0]
majority = float(yc_tr.mean() >= 0.5)  # the majority class of the TRAIN labels
last_change_up = (Xc_te[:, -1, 1] * f_std["change"] + f_mean["change"] > 0).astype(float)
cls_table = pd.Series({
    f"majority class ('{'up' if majority else 'down'}' every year)": np.mean(yc_te[:, 0] == majority),
    "same direction as the last change": np.mean(yc_te[:, 0] == last_change_up),
    "LSTM (3 seeds, averaged)": np.mean(yc_te[:, 0] == (p_up > 0.5)),
}, name=f"test accuracy ({len(yc_te)} years, {test_years[0]}-{test_years[-1]})").round(3)
cls_table.to_frame()

# %% [markdown]
# Sunspot cycles rise fast and fall slowly, so "down" is the majority class; that is the
# floor. Repeating the last change is a stronger naive rule, because runs of rising or falling
# years are long. The LSTM sees where the series sits in its cycle, which is what both rules
# ignore. With fewer than 50 test years, one year is about two points of accuracy: treat small
# differences as noise.
#
# ## 9. Recording the results

# %%
headline = {
    "one_step_rmse_lstm": lstm_rmse,
    "one_step_rmse_seasonal_naive": snaive_rmse,
    "one_step_rmse_sarima": sarima_rmse,
    "12m_rmse_lstm_direct": table_multi.loc["LSTM direct", "RMSE"],
    "12m_rmse_lstm_recursive": table_multi.loc["LSTM recursive", "RMSE"],
    "sunspot_direction_acc_lstm": cls_table.iloc[2],
    "sunspot_direction_acc_majority": cls_table.iloc[0],
}
_ = helpers.record_results(
    "08_time_series_forecasting",
    data_sizes={"airline_train_months": N_TRAIN, "airline_validation_months": N_VAL,
                "airline_test_months": len(y_test), "sunspot_test_windows": len(yc_te)},
    headline=headline,
    one_step_table=table_one.to_dict(orient="index"),
    multi_step_table=table_multi.to_dict(orient="index"),
    one_step_lstm_single_seed_rmse=seed_rmse.round(2).tolist(),
    config_chosen={"target": KIND, "window": W_BEST},
    validation_rmse_by_config={f"{k}_W{w}": v for (k, w), v in val_scores.items()},
    leaky_scaler_experiment=leak,
    classification_accuracy=cls_table.to_dict(),
)

# %% [markdown]
# ## What this run found
#
# - Validation (1956) chose the growth target $d$ with a 12-month window; the $\Delta d$ targets
#   scored worse there (validation RMSE 5.25 against 7.59–7.73).
# - One step ahead on 1957–1960, the LSTM ensemble (RMSE 18.40; single seeds 17.98–19.11) has
#   less than half the error of seasonal naive (41.85), but it is 34% worse than SARIMA (13.74),
#   so the "within 15%" goal was not met, and the training-free growth persistence (15.62)
#   beats it too.
# - The leaky min-max scaler did **not** flatter the raw-level LSTM on this run (32.29 with the
#   train-only scaler, 34.27 with the leaky one): leakage changes the number, in either
#   direction, which is exactly why a leaky number measures nothing.
# - Twelve months ahead, the direct LSTM (33.03) beats the recursive one (36.38); both stay far
#   behind SARIMA (22.28) and only modestly ahead of seasonal naive (41.17).
# - Sunspot direction: the LSTM is right in 91.7% of the 48 test years, against 66.7% for the
#   majority class and 75.0% for "same direction as the last change".
#
# ## Summary
#
# - Split a series by time **first**; fit the log, the differencing and the scaler on the
#   training months only, and carve the validation months from the end of train.
# - Test a windowing function on a series whose values equal their positions: off-by-one errors
#   become visible at once.
# - Always print persistence and seasonal naive next to the network; on seasonal data,
#   "same month last year" is a strong forecast, and a classical SARIMA is stronger still.
# - Model year-on-year growth, $\log y_t - \log y_{t-12}$, instead of raw counts: the network then
#   only learns the correction to the seasonal naive forecast.
# - Small data makes LSTM results seed-dependent: average a few seeds and report the spread.
#
# ## Exercises
#
# 1. The forecast $\hat y_t = \exp(\log y_{t-12} + \mu_{\text{train}})$ (seasonal naive plus the
#    average training growth) needs no training at all. Score it on the test months and place
#    it in the one-step table.
# 2. How much of the LSTM's advantage over seasonal naive survives in the worst test year?
#    Compute RMSE per calendar year (1957–1960) for seasonal naive, SARIMA and the LSTM ensemble.
# 3. For the sunspot classifier, compute the accuracy on the test years where the last change
#    and the next change have **different** signs (the turning points). Which method wins there?
#
# ## Solutions

# %%
# Exercise 1: seasonal naive with the average training growth ("drift")
with_drift = np.exp(z[test_pos - M] + stats["d"][0])
metrics_table(y_test, {**one_step, "seasonal naive + drift": with_drift})

# %%
# Exercise 2: RMSE per test year
years = dates[N_TRAIN:].year
per_year = {name: [rmse(y_test[years == yr], one_step[name][years == yr]) for yr in sorted(set(years))]
            for name in ["seasonal naive", "SARIMA (log)", "LSTM (ensemble)"]}
pd.DataFrame(per_year, index=sorted(set(years))).round(1)

# %%
# Exercise 3: accuracy at the turning points of the sunspot test years
turn = yc_te[:, 0] != last_change_up
print(f"{turn.sum()} turning points among {len(turn)} test years")
print(f"last-change rule: {np.mean(yc_te[turn, 0] == last_change_up[turn]):.2f}  "
      f"LSTM: {np.mean(yc_te[turn, 0] == (p_up[turn] > 0.5)):.2f}  "
      f"majority: {np.mean(yc_te[turn, 0] == majority):.2f}")

# %% [markdown]
# Adding the average growth closes much of the gap between seasonal naive and the learned models:
# most of what "beating seasonal naive" means here is knowing that traffic grows. At turning points the last-change rule is wrong by construction
# (accuracy 0), so any skill there comes from knowing where the series is in its cycle.
#
# ## Further reading
#
# - Hochreiter, S., & Schmidhuber, J. (1997). Long short-term memory. *Neural Computation*, 9(8).
# - Box, G. E. P., Jenkins, G. M., Reinsel, G. C., & Ljung, G. M. (2015). *Time Series Analysis:
#   Forecasting and Control* (5th ed.), Wiley — the airline model.
# - Hyndman, R. J., & Athanasopoulos, G. (2021). *Forecasting: Principles and Practice* (3rd ed.),
#   OTexts — naive baselines, time-series cross-validation, accuracy measures.
# - Makridakis, S., Spiliotis, E., & Assimakopoulos, V. (2018). Statistical and machine learning
#   forecasting methods: concerns and ways forward. *PLOS ONE*, 13(3).
# - Ben Taieb, S., Bontempi, G., Atiya, A., & Sorjamaa, A. (2012). A review and comparison of
#   strategies for multi-step ahead time series prediction. *Expert Systems with Applications*, 39(8).
