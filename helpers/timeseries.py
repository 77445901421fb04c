"""Time-series helpers: supervised windows, naive baselines and forecast metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd


def make_windows(
    features: np.ndarray | pd.Series | pd.DataFrame | Sequence[float],
    window: int,
    horizon: int = 1,
    target: np.ndarray | pd.Series | Sequence[float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into windows: X[i] = features[i : i+window], y[i] = target[i+window : i+window+horizon].

    Returns X with shape (n, window, n_features) and y with shape (n, horizon), where
    n = len(features) - window - horizon + 1. The first target of window i sits at
    position i + window (see `window_target_positions`). A 1-D series is its own target;
    with several feature columns, pass `target` (same length as `features`).
    """
    values = np.asarray(features, dtype="float64")
    if values.ndim == 1:
        values = values[:, None]
        if target is None:
            target = values[:, 0]
    if values.ndim != 2:
        raise ValueError(
            f"features must be 1-D (T,) or 2-D (T, n_features); got shape {values.shape}."
        )
    if target is None:
        raise ValueError("With several feature columns, pass `target=` (one value per time step).")
    tgt = np.asarray(target, dtype="float64")
    if tgt.shape != (len(values),):
        raise ValueError(f"target must have shape ({len(values)},) like features; got {tgt.shape}.")
    if window < 1 or horizon < 1:
        raise ValueError(
            f"window and horizon must be >= 1; got window={window}, horizon={horizon}."
        )
    n = len(values) - window - horizon + 1
    if n < 1:
        raise ValueError(
            f"Series of length {len(values)} is too short for window={window} + horizon={horizon}."
        )
    X = np.stack([values[i : i + window] for i in range(n)])
    y = np.stack([tgt[i + window : i + window + horizon] for i in range(n)])
    return X, y


def window_target_positions(length: int, window: int, horizon: int = 1) -> np.ndarray:
    """Position (in the original series) of the first target of each window made by `make_windows`."""
    if window < 1 or horizon < 1:
        raise ValueError(
            f"window and horizon must be >= 1; got window={window}, horizon={horizon}. "
            "A target lies after its window, never inside or before it."
        )
    n = length - window - horizon + 1
    if n < 1:
        raise ValueError(
            f"Series of length {length} is too short for window={window} + horizon={horizon}."
        )
    return np.arange(window, window + n)


def lag_forecast(values: np.ndarray | pd.Series, start: int, lag: int = 1) -> np.ndarray:
    """One-step naive forecasts for positions start..end: ŷ_t = y_{t-lag} (lag=1 persistence, lag=m seasonal naive)."""
    y = np.asarray(values, dtype="float64")
    if not 1 <= lag <= start <= len(y):
        raise ValueError(f"Need 1 <= lag ({lag}) <= start ({start}) <= len(values) ({len(y)}).")
    return y[start - lag : len(y) - lag].copy()


def seasonal_mae_scale(history: np.ndarray | pd.Series, m: int = 1) -> float:
    """MASE denominator: mean |y_t - y_{t-m}| of the naive (m=1) or seasonal naive forecast on the history."""
    h = np.asarray(history, dtype="float64")
    if h.ndim != 1 or m < 1 or len(h) <= m:
        raise ValueError(f"Need a 1-D history longer than m={m}; got shape {h.shape}.")
    scale = float(np.mean(np.abs(h[m:] - h[:-m])))
    if not np.isfinite(scale) or scale == 0:
        raise ValueError("The history's naive errors are all 0 (or not finite): MASE is undefined.")
    return scale


def mase(y_true: np.ndarray, y_pred: np.ndarray, scale: float | np.ndarray) -> float:
    """Mean absolute scaled error (Hyndman & Koehler 2006): mean(|y - ŷ| / scale).

    `scale` is `seasonal_mae_scale` of the data the forecaster was fitted on; an array (one scale
    per forecast, same shape as y_true) serves rolling origins whose histories differ. Below 1:
    better than the in-sample naive forecast.
    """
    t, p = _pair(y_true, y_pred)
    s = np.broadcast_to(np.asarray(scale, dtype="float64"), t.shape)
    if np.any(s <= 0):
        raise ValueError("MASE scale must be > 0 (see seasonal_mae_scale).")
    return float(np.mean(np.abs(t - p) / s))


def interval_coverage(y_true: np.ndarray, low: np.ndarray, high: np.ndarray) -> float:
    """Share of true values inside [low, high] (a 95 % interval should cover about 0.95)."""
    t, lo = _pair(y_true, low)
    _, hi = _pair(y_true, high)
    if np.any(lo > hi):
        raise ValueError("Every low bound must be <= its high bound.")
    return float(np.mean((t >= lo) & (t <= hi)))


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error."""
    t, p = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((t - p) ** 2)))


def mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute error."""
    t, p = _pair(y_true, y_pred)
    return float(np.mean(np.abs(t - p)))


def mape(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute percentage error, in percent (needs non-zero true values)."""
    t, p = _pair(y_true, y_pred)
    if np.any(t == 0):
        raise ValueError("MAPE is undefined when a true value is 0; use MAE or RMSE instead.")
    return float(100 * np.mean(np.abs((t - p) / t)))


def forecast_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """RMSE, MAE and MAPE (%) of a forecast, as a dict."""
    return {
        "RMSE": rmse(y_true, y_pred),
        "MAE": mae(y_true, y_pred),
        "MAPE %": mape(y_true, y_pred),
    }


def metrics_table(
    y_true: np.ndarray, forecasts: Mapping[str, np.ndarray], decimals: int = 2
) -> pd.DataFrame:
    """A table with one row of RMSE / MAE / MAPE per named forecast of the same targets."""
    rows = {name: forecast_metrics(y_true, pred) for name, pred in forecasts.items()}
    return pd.DataFrame.from_dict(rows, orient="index").round(decimals)


def _pair(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(y_true, dtype="float64")
    p = np.asarray(y_pred, dtype="float64")
    if t.shape != p.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {t.shape} and {p.shape}."
        )
    if t.size == 0:
        raise ValueError("Empty arrays: nothing to score.")
    return t, p
