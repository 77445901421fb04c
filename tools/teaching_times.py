"""Refresh the time-to-run table of TEACHING.md (between its TIMES markers).

Full profile: `wall_time_s` of results/<notebook>.json (the published run). Smoke profile: from a
log of `tools/run_course.py` (one "[i/n] ok  NAME  SECONDS" line per notebook), for instance

    COURSE_PROFILE=smoke .venv/bin/python tools/run_course.py --output-dir /tmp/smoke | tee /tmp/smoke.log
    .venv/bin/python tools/teaching_times.py --smoke-log /tmp/smoke.log

Values not given keep what the table already says; the class-length column is written by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- TIMES:START -->", "<!-- TIMES:END -->"
HEADER = [
    "| notebook | full profile (published run) | smoke profile | suggested class |",
    "|---|---|---|---|",
]
LINE = re.compile(r"^\[\d+/\d+\]\s+ok\s+(\S+)\s+([\d.]+)\s*(s|min)\b")


def _fmt(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def smoke_times(log: Path) -> dict[str, str]:
    out = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        if m := LINE.match(line.strip()):
            value = float(m.group(2)) * (60 if m.group(3) == "min" else 1)
            out[m.group(1)] = _fmt(value)
    return out


def current_rows(text: str) -> dict[str, list[str]]:
    block = text.split(START, 1)[1].split(END, 1)[0] if START in text else ""
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.match(r"^\d\d_", cells[0]):
            rows[cells[0]] = cells
    return rows


def table(text: str, smoke: dict[str, str]) -> str:
    rows = current_rows(text)
    names = sorted({p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")} | set(rows))
    lines = list(HEADER)
    for name in names:
        row = rows.get(name, [name, "not measured yet", "not measured yet", "to be decided"])
        result = ROOT / "results" / f"{name}.json"
        if result.is_file():
            row[1] = _fmt(json.loads(result.read_text(encoding="utf-8"))["wall_time_s"])
        elif name.startswith("00_"):
            row[1] = "seconds (no training)"
        row[2] = smoke.get(name, row[2])
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--smoke-log", type=Path, help="output of tools/run_course.py in the smoke profile"
    )
    parser.add_argument("--file", type=Path, default=ROOT / "TEACHING.md")
    args = parser.parse_args(argv)
    text = args.file.read_text(encoding="utf-8")
    if START not in text or END not in text:
        sys.exit(f"{args.file} has no {START} ... {END} block")
    smoke = smoke_times(args.smoke_log) if args.smoke_log else {}
    new = re.sub(
        re.escape(START) + r".*?" + re.escape(END),
        lambda _: f"{START}\n{table(text, smoke)}\n{END}",
        text,
        flags=re.S,
    )
    args.file.write_text(new, encoding="utf-8")
    print(table(new, smoke))
    return 0


if __name__ == "__main__":
    sys.exit(main())
