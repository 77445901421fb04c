"""Training with the course's protocol: early stopping, quiet per-epoch lines, timing.

`fit` is the one fit helper of the course (introduced in 06): it trains a compiled Keras model
until early stopping on a validation metric triggers (or an epoch cap), restores the best
epoch's weights, and returns a `Run` record with the history and per-epoch seconds.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np


class EpochLogger(keras.callbacks.Callback):
    """Print one short line every `every` epochs (instead of Keras progress bars).

    `metrics` names the log keys to show (None: every key Keras reports); `epoch_times` holds the
    wall time of each epoch in seconds.
    """

    def __init__(
        self,
        every: int = 1,
        metrics: Sequence[str] | None = ("loss", "val_loss"),
        *,
        prefix: str = "",
        quiet: bool = False,
    ) -> None:
        super().__init__()
        self.every, self.metrics, self.prefix, self.quiet = max(1, every), metrics, prefix, quiet
        self.epoch_times: list[float] = []

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._t0 = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch_times.append(time.perf_counter() - self._t0)
        logs = logs or {}
        if not self.quiet and ((epoch + 1) % self.every == 0 or epoch == 0):
            keys = list(logs) if self.metrics is None else [k for k in self.metrics if k in logs]
            shown = "  ".join(f"{k} {float(logs[k]):.4f}" for k in keys)
            print(f"{self.prefix}epoch {epoch + 1:3d}  {shown}  ({self.epoch_times[-1]:.1f} s)")


class BatchLosses(keras.callbacks.Callback):
    """Loss of every training batch (Keras logs a running mean over the epoch; this undoes it)."""

    def __init__(self) -> None:
        super().__init__()
        self.losses: list[float] = []

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._sum = 0.0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        total = float((logs or {})["loss"]) * (batch + 1)  # running mean x batches so far
        self.losses.append(total - self._sum)
        self._sum = total


class Timer:
    """Context manager that measures wall time: `with Timer() as t: ...; t.seconds`."""

    def __enter__(self) -> Timer:
        self._t0 = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t0


@dataclass
class Run:
    """One training run: the model (best weights restored), its history and its timing."""

    model: keras.Model
    history: dict[str, list[float]]
    epoch_seconds: list[float]
    best_epoch: int  # 1-based epoch whose weights the model holds
    stopped_early: bool  # False: the epoch cap ended training (the curve may still be improving)
    monitor: str = "val_loss"
    max_epochs: int = 0
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def epochs_run(self) -> int:
        """Number of epochs actually trained."""
        return len(self.epoch_seconds)

    @property
    def seconds_per_epoch(self) -> float:
        """Mean wall time of one epoch (validation included)."""
        return float(np.mean(self.epoch_seconds)) if self.epoch_seconds else float("nan")

    def best(self, key: str | None = None) -> float:
        """Value of a history key (default: the monitored one) at the best epoch."""
        return float(self.history[key or self.monitor][self.best_epoch - 1])

    def summary(self) -> dict[str, Any]:
        """A JSON-friendly record: epochs run, best epoch, stopped early, s/epoch, best monitor value."""
        return {
            "epochs_run": self.epochs_run,
            "best_epoch": self.best_epoch,
            "stopped_early": self.stopped_early,
            "max_epochs": self.max_epochs,
            "s_per_epoch": round(self.seconds_per_epoch, 1),
            f"best_{self.monitor}": round(self.best(), 4),
        }


def _mode(monitor: str, mode: str) -> str:
    if mode in ("min", "max"):
        return mode
    if mode != "auto":
        raise ValueError(f"mode must be 'auto', 'min' or 'max', not {mode!r}")
    return (
        "max" if any(k in monitor for k in ("acc", "auc", "f1", "precision", "recall")) else "min"
    )


def fit(
    model: keras.Model,
    train: Any,
    val: Any = None,
    *,
    epochs: int,
    patience: int = 2,
    monitor: str = "val_loss",
    mode: str = "auto",
    min_delta: float = 0.0,
    log_metrics: Sequence[str] | None = None,
    log_every: int = 1,
    name: str = "",
    quiet: bool = False,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    **fit_kwargs: Any,
) -> Run:
    """Train a compiled model with early stopping (best weights restored); return a `Run`.

    `train` and `val` are tf.data datasets (or Keras Sequences) yielding (x, y), or (x, y) tuples
    of arrays. Training stops when `monitor` has not improved for `patience` epochs, or at the
    cap `epochs`; `Run.stopped_early` tells which. One line per epoch is printed unless `quiet`.
    Extra keyword arguments (batch_size, class_weight, ...) go to `model.fit`.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be >= 1, got {epochs}")
    if patience < 0:
        raise ValueError(f"patience must be >= 0, got {patience}")
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
        raise ValueError("Compile the model first, e.g. model.compile(optimizer='adam', loss=...).")
    if monitor.startswith("val_") and val is None:
        raise ValueError(f"monitor={monitor!r} needs validation data: pass val=...")
    mode = _mode(monitor, mode)
    logger = EpochLogger(log_every, log_metrics, prefix=f"{name}: " if name else "", quiet=quiet)
    stop = keras.callbacks.EarlyStopping(
        monitor=monitor,
        patience=patience,
        mode=mode,
        min_delta=min_delta,
        restore_best_weights=True,
    )
    if isinstance(train, tuple):
        x, y = train
        fit_kwargs = {"x": x, "y": y, **fit_kwargs}
    else:
        fit_kwargs = {"x": train, **fit_kwargs}
    if val is not None:
        fit_kwargs["validation_data"] = val
    fit_kwargs.setdefault("shuffle", isinstance(train, tuple))  # datasets shuffle themselves
    hist = model.fit(epochs=epochs, callbacks=[logger, stop, *callbacks], verbose=0, **fit_kwargs)
    history = {k: [float(v) for v in vals] for k, vals in hist.history.items()}
    if monitor not in history:
        raise KeyError(
            f"{monitor!r} is not in the history (keys: {sorted(history)}); check `monitor`."
        )
    values = np.asarray(history[monitor], dtype=float)
    best = int(np.nanargmax(values) if mode == "max" else np.nanargmin(values))
    if stop.best_weights is not None:
        best = int(stop.best_epoch)  # the epoch whose weights were restored
    run = Run(
        model=model,
        history=history,
        epoch_seconds=list(logger.epoch_times),
        best_epoch=best + 1,
        stopped_early=len(logger.epoch_times) < epochs,
        monitor=monitor,
        max_epochs=epochs,
        name=name,
    )
    if not quiet:
        cap = "early stopping" if run.stopped_early else f"epoch cap {epochs} reached"
        print(
            f"{name + ': ' if name else ''}best epoch {run.best_epoch} of {run.epochs_run} ({cap}); "
            f"{monitor} {run.best():.4f}; {run.seconds_per_epoch:.1f} s/epoch"
        )
    return run
