"""Unit tests for helpers.timeseries (windows, naive baselines, metrics)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.timeseries import (
    forecast_metrics,
    interval_coverage,
    lag_forecast,
    mae,
    make_windows,
    mape,
    mase,
    metrics_table,
    rmse,
    seasonal_mae_scale,
    window_target_positions,
)


def test_windows_one_step_no_off_by_one() -> None:
    series = np.arange(10.0)  # value == position, so every index is visible
    X, y = make_windows(series, window=3)
    assert X.shape == (7, 3, 1) and y.shape == (7, 1)
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(y[0], [3])  # the value right after the window
    np.testing.assert_array_equal(X[-1, :, 0], [6, 7, 8])
    np.testing.assert_array_equal(y[-1], [9])  # the last value is used, nothing beyond it
    # every target comes strictly after every input of its window
    assert np.all(y[:, 0] == X[:, -1, 0] + 1)


def test_windows_with_horizon() -> None:
    X, y = make_windows(np.arange(10.0), window=4, horizon=3)
    assert X.shape == (4, 4, 1) and y.shape == (4, 3)
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2, 3])
    np.testing.assert_array_equal(y[0], [4, 5, 6])
    np.testing.assert_array_equal(y[-1], [7, 8, 9])
    np.testing.assert_array_equal(window_target_positions(10, 4, 3), [4, 5, 6, 7])


def test_window_target_positions_match_targets() -> None:
    series = np.arange(100.0, 130.0)
    X, y = make_windows(series, window=5, horizon=2)
    pos = window_target_positions(len(series), 5, 2)
    assert len(pos) == len(X)
    np.testing.assert_array_equal(series[pos], y[:, 0])


def test_windows_several_features_and_separate_target() -> None:
    features = np.column_stack([np.arange(8.0), -np.arange(8.0)])
    labels = (np.arange(8) % 2).astype(float)
    X, y = make_windows(features, window=2, target=labels)
    assert X.shape == (6, 2, 2) and y.shape == (6, 1)
    np.testing.assert_array_equal(X[1], [[1, -1], [2, -2]])
    assert y[1, 0] == labels[3]


def test_windows_accept_pandas() -> None:
    s = pd.Series(np.arange(6.0), index=pd.date_range("2000-01-01", periods=6, freq="MS"))
    X, y = make_windows(s, window=2)
    assert X.shape == (4, 2, 1) and y[-1, 0] == 5.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"window": 0}, "window and horizon"),
        ({"window": 9, "horizon": 2}, "too short"),
    ],
)
def test_windows_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_windows(np.arange(10.0), **kwargs)


def test_windows_need_target_with_several_features() -> None:
    with pytest.raises(ValueError, match="target="):
        make_windows(np.zeros((10, 2)), window=3)
    with pytest.raises(ValueError, match="shape"):
        make_windows(np.zeros((10, 2)), window=3, target=np.zeros(9))


def test_lag_forecast_persistence_and_seasonal() -> None:
    y = np.arange(30.0)
    np.testing.assert_array_equal(lag_forecast(y, start=24, lag=1), np.arange(23.0, 29.0))
    np.testing.assert_array_equal(lag_forecast(y, start=24, lag=12), np.arange(12.0, 18.0))
    assert len(lag_forecast(y, start=24, lag=12)) == len(y) - 24
    with pytest.raises(ValueError, match="Need 1 <= lag"):
        lag_forecast(y, start=5, lag=12)  # not enough history for a seasonal lag


def test_metrics_known_values() -> None:
    t = np.array([100.0, 200.0, 400.0])
    p = np.array([110.0, 190.0, 400.0])
    assert rmse(t, p) == pytest.approx(np.sqrt(200 / 3))
    assert mae(t, p) == pytest.approx(20 / 3)
    assert mape(t, p) == pytest.approx(100 * (0.1 + 0.05) / 3)
    assert set(forecast_metrics(t, p)) == {"RMSE", "MAE", "MAPE %"}


def test_metrics_errors() -> None:
    with pytest.raises(ValueError, match="same shape"):
        rmse(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="undefined"):
        mape(np.array([0.0, 1.0]), np.array([1.0, 1.0]))


def test_metrics_table_rows() -> None:
    t = np.array([1.0, 2.0, 3.0])
    table = metrics_table(t, {"perfect": t, "off by one": t + 1})
    assert list(table.index) == ["perfect", "off by one"]
    assert table.loc["perfect", "RMSE"] == 0 and table.loc["off by one", "MAE"] == 1


@pytest.mark.parametrize(("window", "horizon"), [(3, -1), (3, 0), (0, 1), (-2, 1)])
def test_window_target_positions_reject_bad_sizes(window: int, horizon: int) -> None:
    # a negative horizon used to return positions past the end of the series, silently
    with pytest.raises(ValueError, match="window and horizon must be >= 1"):
        window_target_positions(10, window, horizon)


def test_mase_scale_and_value() -> None:
    history = np.array([1.0, 2.0, 4.0, 7.0])  # naive errors 1, 2, 3 -> scale 2
    assert seasonal_mae_scale(history, m=1) == pytest.approx(2.0)
    assert seasonal_mae_scale(np.array([1.0, 5.0, 2.0, 5.0]), m=2) == pytest.approx(0.5)
    assert mase(np.array([10.0, 12.0]), np.array([11.0, 9.0]), scale=2.0) == pytest.approx(
        (1 + 3) / 2 / 2
    )
    # one scale per forecast (rolling origins with different histories)
    assert mase(
        np.array([0.0, 0.0]), np.array([2.0, 2.0]), scale=np.array([1.0, 2.0])
    ) == pytest.approx(1.5)


def test_mase_of_seasonal_naive_in_sample_is_one() -> None:
    rng = np.random.default_rng(0)
    y = np.tile(np.arange(12.0), 5) + rng.normal(size=60).cumsum()
    scale = seasonal_mae_scale(y, m=12)
    assert mase(y[12:], y[:-12], scale) == pytest.approx(1.0)


def test_mase_errors() -> None:
    with pytest.raises(ValueError, match="all 0"):
        seasonal_mae_scale(np.tile([1.0, 5.0], 3), m=2)  # perfectly periodic: no naive error
    with pytest.raises(ValueError, match="longer than m"):
        seasonal_mae_scale(np.arange(5.0), m=12)
    with pytest.raises(ValueError, match="> 0"):
        mase(np.zeros(2), np.ones(2), scale=0.0)


def test_interval_coverage() -> None:
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert interval_coverage(y, y - 1, y + 1) == 1.0
    assert interval_coverage(y, np.array([0, 0, 0, 5.0]), np.array([2, 2, 2, 6.0])) == 0.5
    with pytest.raises(ValueError, match="low bound"):
        interval_coverage(y, y + 1, y - 1)
