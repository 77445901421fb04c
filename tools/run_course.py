"""Execute the course's notebooks in order and print one progress line per notebook.

`make run` calls this. Each notebook runs in a fresh kernel (nbclient, the engine behind
`jupyter nbconvert --execute`); the kernel's own stderr (TensorFlow's C++ start-up lines,
transport warnings) goes to a log file instead of the terminal, and only the error is shown
when a cell fails. One line per notebook::

    [3/9] ok      04_lstm_gates                      21 s   test_mse_lstm=0.0002737

The headline metric is read from results/<notebook>.json when this run wrote it (full profile);
a smoke run records nothing, and the line says so instead of showing the published number.

    python tools/run_course.py                  # every notebook, in place
    python tools/run_course.py --output-dir DIR # write executed copies to DIR (e.g. timing runs)
    python tools/run_course.py notebooks/04_lstm_gates.ipynb
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clean_notebooks import clean, dumps

ROOT = Path(__file__).resolve().parents[1]


def headline(notebook: str, since: float, results_dir: Path) -> str:
    """The first headline metrics of results/<notebook>.json if this run wrote it, else a note."""
    path = results_dir / f"{notebook}.json"
    if not path.is_file() or path.stat().st_mtime < since:
        if os.environ.get("COURSE_PROFILE", "full") != "full":
            return "(smoke profile: no results recorded)"
        return "(no results recorded)" if notebook[:2] != "00" else ""
    record = json.loads(path.read_text(encoding="utf-8"))
    metrics: dict[str, Any] = record.get("metrics", {})
    head = metrics.get("headline") or {
        k: v for k, v in metrics.items() if not isinstance(v, (dict, list))
    }
    parts = []
    for key, value in list(head.items())[:2]:
        parts.append(f"{key}={_fmt(value)}")
    return ", ".join(parts)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):  # {"value": .., "ci95": [..]} or {"mean": .., "sd": ..}
        if "value" in value and "ci95" in value:
            low, high = value["ci95"]
            return f"{_fmt(value['value'])} [{_fmt(low)}, {_fmt(high)}]"
        if "mean" in value and "sd" in value:
            return f"{_fmt(value['mean'])} ± {_fmt(value['sd'])}"
        return "{" + ", ".join(f"{k}={_fmt(v)}" for k, v in value.items()) + "}"
    return str(value)


def _duration(seconds: float) -> str:
    return f"{seconds:4.0f} s" if seconds < 120 else f"{seconds / 60:4.1f} min"


def run_one(path: Path, out_path: Path, log_path: Path) -> tuple[bool, str]:
    """Execute one notebook in a fresh kernel; return (ok, error summary)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=None,
        kernel_name="python3",
        record_timing=False,  # no execution timestamps: a re-run changes outputs only
        resources={"metadata": {"path": str(path.parent)}},
    )
    ok, error = True, ""
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            client.execute(stderr=log, stdout=log)  # passed on to the kernel process
        except CellExecutionError as exc:
            ok = False
            text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # tracebacks carry terminal colours
            lines = [ln for ln in text.splitlines() if ln.strip()]
            error = lines[-1] if lines else "a cell failed"
        except Exception as exc:
            ok, error = False, f"{type(exc).__name__}: {exc}"
    # executed outputs (including a failing cell's traceback), without volatile metadata
    out_path.write_text(dumps(clean(json.loads(nbformat.writes(nb)))), encoding="utf-8")
    return ok, error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument(
        "--output-dir", type=Path, help="write executed copies here instead of in place"
    )
    parser.add_argument("--keep-going", action="store_true", help="run the rest after a failure")
    args = parser.parse_args(argv)

    for name in ("traitlets", "nbclient", "jupyter_client", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    # figures inline, saved in the notebook (a non-interactive backend such as Agg would drop them)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    results_dir = Path(os.environ.get("COURSE_RESULTS_DIR", ROOT / "results"))
    if args.output_dir:
        args.output_dir.mkdir(parents=True, exist_ok=True)
    log_dir = Path(tempfile.mkdtemp(prefix="course-run-"))
    profile = os.environ.get("COURSE_PROFILE", "full")
    print(
        f"Running {len(notebooks)} notebook{'s' if len(notebooks) != 1 else ''}, profile {profile}"
        + (f", executed copies to {args.output_dir}" if args.output_dir else ", in place")
        + "."
    )
    width = max(len(p.stem) for p in notebooks)
    failed: list[str] = []
    total = time.time()
    for i, path in enumerate(notebooks, 1):
        out = args.output_dir / path.name if args.output_dir else path
        log = log_dir / f"{path.stem}.log"
        start = time.time()
        ok, error = run_one(path, out, log)
        seconds = time.time() - start
        status = "ok" if ok else "FAILED"
        detail = headline(path.stem, start, results_dir) if ok else f"{error}  (kernel log: {log})"
        print(
            f"[{i}/{len(notebooks)}] {status:6s}  {path.stem:{width}s}  {_duration(seconds)}   {detail}",
            flush=True,
        )
        if not ok:
            failed.append(path.stem)
            if not args.keep_going:
                break
    print(
        f"{'All ok' if not failed else 'FAILED: ' + ', '.join(failed)} in {_duration(time.time() - total).strip()}."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
