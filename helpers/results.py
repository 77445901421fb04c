"""Record a notebook's headline metrics (full profile only) and build the README table."""

from __future__ import annotations

import json
import math
import os
import platform
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .config import get_profile, repo_root, results_dir

_START = time.perf_counter()  # the kernel imported helpers: close to the notebook's start


def _versions() -> dict[str, str]:
    import numpy

    out = {"python": platform.python_version(), "numpy": numpy.__version__}
    for name in ("tensorflow", "keras", "sklearn"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            pass
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # NumPy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # strict JSON has no NaN/inf
    return value


def record_results(notebook: str, *, data_sizes: dict[str, int] | None = None, **metrics: Any) -> None:
    """Write results/<notebook>.json with metrics, profile, data sizes, versions and wall time (full profile only)."""
    profile = get_profile()
    wall = round(time.perf_counter() - _START, 1)
    if profile != "full":
        print(f"[{profile} profile] results not recorded (only full-profile runs are published).")
        return
    record = {
        "notebook": notebook,
        "profile": profile,
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wall_time_s": wall,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(terse=True)},
        "versions": _versions(),
        "data_sizes": data_sizes or {},
        "metrics": _jsonable(metrics),
    }
    out_dir = results_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{notebook}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    print(f"Recorded {len(metrics)} metrics to results/{path.name} (wall time so far {wall:.0f} s).")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_fmt(v)}" for k, v in value.items())
    return str(value)


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def results_table(folder: Path | None = None) -> str:
    """A Markdown table of every results/*.json: notebook, headline metrics, wall time."""
    folder = folder or results_dir()
    lines = ["| notebook | headline metrics (test split) | wall time (start to record call) |", "|---|---|---|"]
    for path in sorted(Path(folder).glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        headline = rec["metrics"].get("headline") or {
            k: v for k, v in rec["metrics"].items() if not isinstance(v, (dict, list))
        }
        lines.append(f"| {rec['notebook']} | {_fmt(headline)} | {_duration(rec['wall_time_s'])} |")
    return "\n".join(lines)


def update_readme(readme: Path | None = None) -> None:
    """Replace the block between the RESULTS markers of README.md with results_table()."""
    readme = readme or repo_root() / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = f"<!-- RESULTS:START -->\n{results_table()}\n<!-- RESULTS:END -->"
    new = re.sub(r"<!-- RESULTS:START -->.*?<!-- RESULTS:END -->", lambda _: block, text, flags=re.S)
    readme.write_text(new, encoding="utf-8")

