"""Re-run one notebook in the full profile and check its headline against the published results.

    make reproduce NB=06            # or: .venv/bin/python tools/reproduce.py 06
    .venv/bin/python tools/reproduce.py 06 --results other_run.json   # compare a run you already have

The notebook is executed into a scratch folder (the committed notebook and results/ are not
touched) with COURSE_RESULTS_DIR pointing there. Every headline entry published as an interval
({"value" or "mean", "ci95": [low, high]}) must land inside it; other entries are compared and
reported. Exit status 1 when a headline leaves its interval. Needs the full data (`make data`)
and takes as long as a full run of the notebook; not part of CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _find(folder: str, nb: str, suffix: str) -> Path:
    hits = (
        sorted((ROOT / folder).glob(f"{nb}_*{suffix}"))
        if nb.isdigit()
        else [ROOT / folder / f"{nb}{suffix}"]
    )
    hits = [h for h in hits if h.exists()]
    if len(hits) != 1:
        raise SystemExit(
            f"no single {folder}/{nb}*{suffix} found (got {[h.name for h in hits]}); pass e.g. NB=06"
        )
    return hits[0]


def _center(entry: dict) -> float | None:
    for key in ("mean", "value"):
        if isinstance(entry.get(key), (int, float)):
            return float(entry[key])
    return None


def compare(published: dict, new: dict) -> tuple[list[str], bool]:
    """Lines describing each headline entry, and whether every published interval holds."""
    lines, ok = [], True
    old_h, new_h = published["metrics"]["headline"], new["metrics"]["headline"]
    for key, old in old_h.items():
        got = new_h.get(key)
        if isinstance(old, dict) and "ci95" in old and _center(old) is not None:
            low, high = old["ci95"]
            value = _center(got) if isinstance(got, dict) else got
            inside = value is not None and low <= value <= high
            ok &= inside
            lines.append(
                f"{'PASS' if inside else 'FAIL'}  {key}: {value} vs published {_center(old)} [{low}, {high}]"
            )
        else:
            same = old == got
            lines.append(f"{'same' if same else 'DIFF'}  {key}: {got!r} (published {old!r})")
    diffs = _differences(published["metrics"], new["metrics"])
    timing = [d for d in diffs if _is_timing(d)]
    other = [d for d in diffs if not _is_timing(d)]
    lines.append(
        f"recorded metrics: {len(other)} differ apart from timings"
        + (
            f" ({', '.join(other[:8])}{' ...' if len(other) > 8 else ''})"
            if other
            else " (identical numbers)"
        )
        + f"; {len(timing)} timing entries differ"
    )
    return lines, ok


TIMING_WORDS = ("second", "s_per_epoch", "wall", "time")


def _is_timing(path: str) -> bool:
    """A key path that measures time (these differ between runs by nature)."""
    parts = path.split(".")
    return any(word in part for part in parts for word in TIMING_WORDS) or any(
        part.split("[")[0].endswith(" s") for part in parts
    )  # keys such as "tokenize 200k s" are seconds too


def _differences(a: object, b: object, path: str = "") -> list[str]:
    """Dotted key paths where two JSON values differ (lists compared element by element)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            sub = f"{path}.{key}" if path else str(key)
            out += _differences(a.get(key), b.get(key), sub) if key in a and key in b else [sub]
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nb", help="notebook number or name, e.g. 06")
    parser.add_argument(
        "--results", type=Path, help="compare this results JSON instead of re-running"
    )
    args = parser.parse_args(argv)
    published_path = _find("results", args.nb, ".json")
    published = json.loads(published_path.read_text(encoding="utf-8"))
    if args.results:
        new = json.loads(args.results.read_text(encoding="utf-8"))
    else:
        notebook = _find("notebooks", args.nb, ".ipynb")
        with tempfile.TemporaryDirectory(prefix="reproduce-") as tmp:
            env = os.environ | {
                "COURSE_PROFILE": "full",
                "COURSE_RESULTS_DIR": tmp,
                "MPLBACKEND": "Agg",
            }
            start = time.perf_counter()
            print(
                f"running {notebook.name} in the full profile (scratch copy; this takes a while) ...",
                flush=True,
            )
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "jupyter",
                    "nbconvert",
                    "--to",
                    "notebook",
                    "--execute",
                    "--ExecutePreprocessor.timeout=-1",
                    "--output-dir",
                    tmp,
                    "--log-level=WARN",
                    str(notebook),
                ],
                env=env,
                check=True,
            )
            print(f"finished in {time.perf_counter() - start:.0f} s")
            new_path = Path(tmp) / published_path.name
            if not new_path.exists():
                raise SystemExit(
                    f"the notebook wrote no {published_path.name}: did it run in the full profile?"
                )
            new = json.loads(new_path.read_text(encoding="utf-8"))
    lines, ok = compare(published, new)
    print("\n".join(lines))
    print(
        "REPRODUCED: every headline lies inside its published interval."
        if ok
        else "NOT REPRODUCED (see FAIL lines)."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
