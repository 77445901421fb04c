"""Small Keras utilities: quiet epoch logging and timing."""

from __future__ import annotations

import time

import keras


class EpochLogger(keras.callbacks.Callback):
    """Print one short line every `every` epochs (instead of Keras progress bars)."""

    def __init__(self, every: int = 1, metrics: tuple[str, ...] = ("loss", "val_loss")) -> None:
        super().__init__()
        self.every, self.metrics = max(1, every), metrics
        self.epoch_times: list[float] = []

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._t0 = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch_times.append(time.perf_counter() - self._t0)
        logs = logs or {}
        if (epoch + 1) % self.every == 0 or epoch == 0:
            shown = "  ".join(f"{k} {logs[k]:.4f}" for k in self.metrics if k in logs)
            print(f"epoch {epoch + 1:3d}  {shown}  ({self.epoch_times[-1]:.1f} s)")


class Timer:
    """Context manager that measures wall time: `with Timer() as t: ...; t.seconds`."""

    def __enter__(self) -> "Timer":
        self._t0 = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t0
