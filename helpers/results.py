"""Record a notebook's headline metrics (full profile only) and build the README table."""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import re
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import data
from .config import get_profile, repo_root, results_dir

_START = time.perf_counter()  # the kernel imported helpers: close to the notebook's start

NOTEBOOK_NAME = re.compile(r"^[0-9]{2}_[A-Za-z0-9][A-Za-z0-9_-]*$")  # 06_imdb_sentiment
START, END = "<!-- RESULTS:START -->", "<!-- RESULTS:END -->"
COLUMNS = ("notebook", "headline metrics (test split)", "wall time (start to record call)")


class ResultsError(RuntimeError):
    """The results files or the README cannot be used as they are (the message says what to fix)."""


def _versions() -> dict[str, str]:
    import numpy

    out = {"python": platform.python_version(), "numpy": numpy.__version__}
    for name in ("tensorflow", "keras", "sklearn"):
        with contextlib.suppress(ImportError):
            out[name] = __import__(name).__version__
    return out


def _check_name(notebook: Any) -> str:
    """The notebook name, if it matches NN_name (no folders, dots or spaces); else ValueError."""
    if not isinstance(notebook, str) or not NOTEBOOK_NAME.fullmatch(notebook):
        raise ValueError(
            f"Notebook name {notebook!r} is not allowed: use the notebook's file name without .ipynb, "
            "two digits, an underscore and letters, digits, _ or - (e.g. '06_imdb_sentiment')."
        )
    return notebook


def _jsonable(value: Any, where: str = "metrics") -> Any:
    """Plain JSON types from NumPy scalars/arrays, tuples and dicts; NaN/inf become null.

    Anything else is a TypeError that names where it was found.
    """
    if isinstance(value, dict):
        return {str(k): _jsonable(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if hasattr(value, "tolist") and hasattr(value, "dtype"):  # NumPy arrays and scalars
        return _jsonable(value.tolist(), where)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # strict JSON has no NaN/inf
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(
        f"record_results: {where} is a {type(value).__name__}, which JSON cannot hold; "
        "pass numbers, strings, lists or dicts (e.g. float(x), x.tolist(), str(x))."
    )


def _check_sizes(data_sizes: Any) -> dict[str, int]:
    """data_sizes as {name: int} (NumPy integers and whole floats accepted), else TypeError."""
    sizes = _jsonable(data_sizes or {}, "data_sizes")
    if isinstance(sizes, dict):
        whole = {k: v for k, v in sizes.items() if _is_number(v) and float(v).is_integer()}
        if len(whole) == len(sizes):
            return {k: int(v) for k, v in whole.items()}
    raise TypeError(
        f"record_results: data_sizes must map names to whole numbers, got {data_sizes!r:.120}."
    )


def record_results(
    notebook: str, *, data_sizes: dict[str, int] | None = None, **metrics: Any
) -> None:
    """Write results/<notebook>.json with metrics, profile, data sizes, versions and wall time (full profile only)."""
    _check_name(notebook)
    sizes, values = _check_sizes(data_sizes), _jsonable(metrics)
    profile = get_profile()
    wall = round(time.perf_counter() - _START, 1)
    if profile != "full":
        print(f"[{profile} profile] results not recorded (only full-profile runs are published).")
        return
    samples = data.samples_served()
    if samples:
        print(
            f"Results NOT recorded: this run used the bundled {' and '.join(samples)} SAMPLE, not the full "
            f"data, so its numbers are not the course's; results/{notebook}.json was left as it was. Get the "
            "full data with `make data` (needs internet) or set COURSE_DATA_DIR to a folder that holds it, "
            "then run the notebook again."
        )
        return
    record = {
        "notebook": notebook,
        "profile": profile,
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wall_time_s": wall,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(terse=True)},
        "versions": _versions(),
        "data_sizes": sizes,
        "data_served": data.served(),
        "metrics": values,
    }
    text = json.dumps(record, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    try:
        _write_atomic(results_dir() / f"{notebook}.json", text)
    except OSError as err:
        print(
            f"Results NOT recorded: cannot write results/{notebook}.json ({err.strerror or err}). "
            "Set COURSE_RESULTS_DIR to a writable folder to keep them."
        )
        return
    print(
        f"Recorded {len(metrics)} metrics to results/{notebook}.json (wall time so far {wall:.0f} s)."
    )


def _write_atomic(path: Path, text: str) -> None:
    """Write text to path through a uniquely named temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, data.FILE_MODE)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


# ---------------------------------------------------------------- the README table


def _cell(text: Any) -> str:
    """Text safe inside one Markdown table cell: no pipes, line breaks, HTML or comment markers."""
    text = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", str(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _numbers(*xs: float) -> list[str]:
    """Numbers in one style, set by the first: 4 decimals for ordinary sizes (0.8812), else 4 significant digits."""
    style = ".4f" if 0.01 <= abs(xs[0]) < 1000 else ".4g"
    return [format(x, style) for x in xs]


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _fmt(value: Any) -> str:
    """One metric for the table: plain numbers, value [ci95] intervals, mean ± sd (n seeds), or k=v lists."""
    if isinstance(value, dict):
        ci = value.get("ci95")
        if (
            _is_number(value.get("value"))
            and isinstance(ci, list)
            and len(ci) == 2
            and all(map(_is_number, ci))
        ):
            v, lo, hi = _numbers(value["value"], *ci)
            return f"{v} [{lo}, {hi}]"
        if all(_is_number(value.get(k)) for k in ("mean", "sd", "n")):
            mean, sd = _numbers(value["mean"], value["sd"])
            spread = f"{mean} ± {sd} ({value['n']} seeds)"
            if isinstance(ci, list) and len(ci) == 2 and all(map(_is_number, ci)):
                lo, hi = _numbers(*ci)
                return f"{spread}, 95% CI [{lo}, {hi}]"  # a seed mean with its bootstrap interval
            return spread
        return ", ".join(f"{k}={_fmt(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _row(path: Path) -> str:
    """The table row of one results file, or ResultsError naming the file and what is wrong."""
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
        metrics, wall, profile = rec["metrics"], float(rec["wall_time_s"]), rec["profile"]
        if not isinstance(metrics, dict):
            raise TypeError("'metrics' is not an object")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ResultsError(
            f"{path.name} in the results folder is not a valid results file ({type(err).__name__}: {err}). "
            "Fix it, or delete it and run its notebook again (full profile) to recreate it."
        ) from None
    if not NOTEBOOK_NAME.fullmatch(path.stem) or rec.get("notebook") != path.stem:
        raise ResultsError(
            f"{path.name}: its 'notebook' field {rec.get('notebook')!r:.80} must equal the file "
            f"name {path.stem!r} (a notebook name like 06_imdb_sentiment)."
        )
    samples = [k for k, v in (rec.get("data_served") or {}).items() if "sample" in str(v)]
    if profile != "full" or samples:
        raise ResultsError(
            f"{path.name} was not recorded from a full-profile run on the full data "
            f"(profile {profile!r}, samples {samples}); run its notebook again with the full data."
        )
    headline = metrics.get("headline") or {
        k: v for k, v in metrics.items() if not isinstance(v, (dict, list))
    }
    return f"| {_cell(path.stem)} | {_cell(_fmt(headline))} | {_cell(_duration(wall))} |"


def results_table(folder: Path | None = None) -> str:
    """A Markdown table of every results/*.json: notebook, headline metrics, wall time (ResultsError if none)."""
    folder = Path(folder or results_dir())
    if not folder.is_dir():
        raise ResultsError(
            f"The results folder {folder} does not exist. Check COURSE_RESULTS_DIR (unset it to use "
            "results/ in the repository), or run the notebooks in the full profile first."
        )
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise ResultsError(
            f"The results folder {folder} holds no *.json files. Check COURSE_RESULTS_DIR, or run "
            "the notebooks in the full profile first."
        )
    lines = [f"| {' | '.join(COLUMNS)} |", "|---|---|---|"]
    return "\n".join(lines + [_row(path) for path in paths])


def update_readme(readme: Path | None = None, folder: Path | None = None) -> None:
    """Replace the block between the RESULTS markers of README.md with results_table(); nothing else changes."""
    readme = Path(readme or repo_root() / "README.md")
    table = results_table(folder)  # any error stops here, before the README is touched
    text = readme.read_text(encoding="utf-8")
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ResultsError(
            f"{readme.name} must hold exactly one {START} line followed by one {END} line; "
            "restore them (see git diff) and run again. The file was not changed."
        )
    before, rest = text.split(START)
    after = rest.split(END)[1]
    if (
        START in table or END in table
    ):  # _cell escapes '<', so this cannot happen; never write past the block
        raise ResultsError(
            "The results table contains a RESULTS marker; the README was not changed."
        )
    _write_atomic(readme, f"{before}{START}\n{table}\n{END}{after}")
