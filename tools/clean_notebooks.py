"""Keep notebook diffs clean: drop execution timestamps and volatile metadata, keep outputs.

Usage: python tools/clean_notebooks.py [--check] notebooks/*.ipynb
With --check nothing is written and the exit status is 1 when a notebook would change
(used by pre-commit and the convention tests).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
VOLATILE_CELL_KEYS = ("execution", "ExecuteTime", "collapsed", "scrolled", "papermill")
VOLATILE_NOTEBOOK_KEYS = ("widgets", "papermill", "toc", "varInspector")


def clean(nb: dict[str, Any]) -> dict[str, Any]:
    """Return the notebook with volatile metadata removed and the course's kernelspec set."""
    meta = nb.setdefault("metadata", {})
    for key in VOLATILE_NOTEBOOK_KEYS:
        meta.pop(key, None)
    meta["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.get("cells", []):
        cell_meta = cell.get("metadata", {})
        for key in VOLATILE_CELL_KEYS:
            cell_meta.pop(key, None)
    return nb


def dumps(nb: dict[str, Any]) -> str:
    """Serialise as Jupyter does (indent 1, non-ASCII kept, trailing newline)."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, do not write")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    dirty = []
    for path in args.paths:
        text = path.read_text(encoding="utf-8")
        new = dumps(clean(json.loads(text)))
        if new != text:
            dirty.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in dirty:
        print(f"{'would clean' if args.check else 'cleaned'}: {path}")
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())
