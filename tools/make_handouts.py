"""Student handouts (`make student`): the notebooks without their solutions, outputs cleared.

nbconvert's TagRemovePreprocessor removes every cell tagged `solution` (tools/notebook_chrome.py
puts the tag on each cell of a "Solutions" section, and the same rule is applied here in memory,
so a notebook that has not been tagged yet still loses its solutions); ClearOutputPreprocessor
clears outputs and execution counts. Exercises stay. The output folder mirrors the repository:

    _handouts/notebooks/NN_topic.ipynb   one per course notebook
    _handouts/images/                    the figures the notebooks link to (../images/...)
    _handouts/README.md                  what the handouts are and how to run them
    _handouts/lstm-course-handouts.zip   all of the above, to upload to a course page

    python tools/make_handouts.py [--out _handouts] [notebooks ...]
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbconvert.preprocessors import (
    ClearMetadataPreprocessor,
    ClearOutputPreprocessor,
    TagRemovePreprocessor,
)

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_TAG = "solution"

README = """# LSTM course: student handouts

These are the course notebooks with the solutions to the exercises removed and all outputs
cleared. Work through them in order; run each cell yourself.

Set-up: clone the course repository and run `make venv` (or `make lab`), then copy this
folder's `notebooks/` next to (or over a copy of) the course's own, or open them directly in
JupyterLab from the course environment: the `helpers` package they import is installed there.
On Google Colab, open a notebook and run its first code cell, which installs the course.

Made by `make student` from the course repository; solutions are in the full notebooks.
"""


def _chrome():
    spec = importlib.util.spec_from_file_location("notebook_chrome", ROOT / "tools" / "notebook_chrome.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def handout(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without solution cells, outputs and execution counts (a new object)."""
    nb = copy.deepcopy(nb)
    _chrome().tag_solutions(nb)  # same rule as the committed tags; adds nothing where tags exist
    resources: dict = {}
    nb, resources = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True).preprocess(nb, resources)
    nb, resources = ClearOutputPreprocessor(enabled=True).preprocess(nb, resources)
    nb, resources = ClearMetadataPreprocessor(
        enabled=True, preserve_cell_metadata_mask={"tags"}, preserve_nb_metadata_mask={"kernelspec", "language_info"}
    ).preprocess(nb, resources)
    return nb


def solution_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of cells that are solutions (tagged, or inside a Solutions section)."""
    probe = copy.deepcopy(nb)
    _chrome().tag_solutions(probe)
    return [i for i, c in enumerate(probe.cells) if SOLUTION_TAG in c.get("metadata", {}).get("tags", [])]


def build(out: Path, notebooks: list[Path]) -> list[tuple[str, int, int]]:
    """Write the handouts; return (name, cells kept, solution cells removed) per notebook."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "notebooks").mkdir(parents=True)
    shutil.copytree(ROOT / "images", out / "images")
    (out / "README.md").write_text(README, encoding="utf-8")
    summary = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        removed = len(solution_cells(nb))
        new = handout(nb)
        nbformat.write(new, out / "notebooks" / path.name)
        summary.append((path.stem, len(new.cells), removed))
    with tempfile.TemporaryDirectory() as tmp:  # not inside `out` while zipping `out`
        archive = shutil.make_archive(str(Path(tmp) / "lstm-course-handouts"), "zip", root_dir=out)
        shutil.move(archive, out / "lstm-course-handouts.zip")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Student handouts: solutions removed, outputs cleared.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "_handouts")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    summary = build(args.out, notebooks)
    for name, kept, removed in summary:
        print(f"{name:40s} {kept:3d} cells, {removed:2d} solution cells removed")
    print(f"Handouts in {args.out}/notebooks/ ({len(notebooks)} notebooks) and {args.out}/lstm-course-handouts.zip.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
