"""helpers.training.EpochLogger (one short line per epoch instead of progress bars) and Timer."""

import re
import time

import numpy as np
import pytest

import helpers

keras = pytest.importorskip("keras")

from helpers.training import EpochLogger, Timer  # noqa: E402

LINE = re.compile(r"^(?P<prefix>.*)epoch +(?P<epoch>\d+)  (?P<shown>.*)  \((?P<s>\d+\.\d) s\)$")


def _run(logger: EpochLogger, logs: list[dict]) -> None:
    for epoch, values in enumerate(logs):
        logger.on_epoch_begin(epoch)
        logger.on_epoch_end(epoch, values)


def _parsed(out: str) -> list[dict]:
    lines = out.splitlines()
    matches = [LINE.match(ln) for ln in lines]
    assert all(matches), f"not an EpochLogger line: {lines}"
    return [m.groupdict() for m in matches if m]


def test_epoch_logger_prints_the_chosen_metrics_in_order(capsys):
    logger = EpochLogger(metrics=("val_loss", "loss", "absent"))
    _run(logger, [{"loss": 0.5, "val_loss": np.float32(0.75), "accuracy": 0.9}])
    (line,) = _parsed(capsys.readouterr().out)
    assert line["epoch"] == "1"
    assert line["prefix"] == ""
    assert line["shown"] == "val_loss 0.7500  loss 0.5000"  # requested order, absent keys skipped


def test_epoch_logger_every_n_epochs_keeps_the_first(capsys):
    logger = EpochLogger(every=3)
    _run(logger, [{"loss": float(i)} for i in range(7)])
    assert [ln["epoch"] for ln in _parsed(capsys.readouterr().out)] == ["1", "3", "6"]
    assert len(logger.epoch_times) == 7  # timed every epoch, printed or not


@pytest.mark.parametrize("every", [0, -2])
def test_epoch_logger_every_below_one_means_every_epoch(capsys, every):
    _run(EpochLogger(every=every), [{"loss": 1.0}] * 3)
    assert len(_parsed(capsys.readouterr().out)) == 3


def test_epoch_logger_without_metrics_shows_every_key(capsys):
    _run(EpochLogger(metrics=None, prefix="lstm: "), [{"loss": 1.0, "accuracy": 0.25}])
    (line,) = _parsed(capsys.readouterr().out)
    assert line["prefix"] == "lstm: "
    assert line["shown"] == "loss 1.0000  accuracy 0.2500"


def test_epoch_logger_quiet_prints_nothing_but_times(capsys):
    logger = EpochLogger(quiet=True)
    _run(logger, [{"loss": 1.0}, None])
    assert capsys.readouterr().out == ""
    assert len(logger.epoch_times) == 2
    assert all(t >= 0 for t in logger.epoch_times)


def test_epoch_logger_times_each_epoch(monkeypatch, capsys):
    clock = iter([10.0, 12.5, 20.0, 20.25])
    monkeypatch.setattr(time, "perf_counter", lambda: next(clock))
    logger = EpochLogger()
    _run(logger, [{"loss": 1.0}, {"loss": 0.5}])
    assert logger.epoch_times == [2.5, 0.25]
    assert [ln["s"] for ln in _parsed(capsys.readouterr().out)] == ["2.5", "0.2"]


def test_epoch_logger_in_keras_fit_replaces_the_progress_bar(capsys):
    helpers.set_seed(0)
    x = np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    logger = EpochLogger()
    model.fit(x, x[:, :1], validation_data=(x, x[:, :1]), epochs=3, verbose=0, callbacks=[logger])
    out = capsys.readouterr().out
    lines = _parsed(out)
    assert [ln["epoch"] for ln in lines] == ["1", "2", "3"]
    assert "━" not in out
    assert all(re.fullmatch(r"loss \d+\.\d{4}  val_loss \d+\.\d{4}", ln["shown"]) for ln in lines)
    assert len(logger.epoch_times) == 3


def test_timer_measures_the_block(monkeypatch):
    clock = iter([100.0, 103.25])
    monkeypatch.setattr(time, "perf_counter", lambda: next(clock))
    with Timer() as t:
        assert t.seconds == 0.0  # readable (zero) inside the block
    assert t.seconds == 3.25


def test_timer_measures_real_time_and_survives_exceptions():
    def timed_failure() -> None:
        with Timer() as timer:
            holder.append(timer)
            time.sleep(0.02)
            raise RuntimeError("boom")

    holder: list[Timer] = []
    with pytest.raises(RuntimeError, match="boom"):
        timed_failure()
    t = holder[0]
    assert 0.02 <= t.seconds < 5  # the exception is not swallowed, and the time is kept
