"""Student handouts (`make student`): the notebooks without their solutions, outputs cleared.

nbconvert's TagRemovePreprocessor removes every cell tagged `solution` (tools/notebook_chrome.py
puts the tag on each cell of a "Solutions" section, and the same rule is applied here in memory,
so a notebook that has not been tagged yet still loses its solutions); the cell that calls
`helpers.record_results` goes too (it may read the solutions' variables, and a student's run must
not rewrite the course's results/*.json); ClearOutputPreprocessor clears outputs and execution
counts. Exercises stay. The output folder mirrors the repository:

    _handouts/notebooks/NN_topic.ipynb   one per course notebook
    _handouts/images/                    the figures the notebooks link to (../images/...)
    _handouts/README.md                  what the handouts are and how to run them
    _handouts/lstm-course-handouts.zip   all of the above, to upload to a course page

    python tools/make_handouts.py [--out _handouts] [notebooks ...]
"""

from __future__ import annotations

import argparse
import ast
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
RESULTS_TAG = (
    "record-results"  # given here, in memory, to the cell that calls helpers.record_results
)

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
    spec = importlib.util.spec_from_file_location(
        "notebook_chrome", ROOT / "tools" / "notebook_chrome.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell defines, names it reads), from its Python syntax tree; empty if it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics and the like: treat as defining and reading nothing
        return set(), set()
    stored, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, (ast.Store, ast.Del)) else loaded).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return stored, loaded


def needs_solutions(nb: nbformat.NotebookNode) -> list:
    """Code cells outside the solutions that read a name only the solution cells define (they
    would fail in the handout). Cells removed this way count as solutions for the cells after them."""

    def removed(cell) -> bool:
        return bool({SOLUTION_TAG, RESULTS_TAG} & set(cell.get("metadata", {}).get("tags", [])))

    code = [c for c in nb.cells if c.cell_type == "code"]
    kept_names = set().union(*[_names(c.source)[0] for c in code if not removed(c)] or [set()])
    only_in_solutions = (
        set().union(*[_names(c.source)[0] for c in code if removed(c)] or [set()]) - kept_names
    )
    found = []
    for cell in code:
        if removed(cell):
            continue
        stored, loaded = _names(cell.source)
        if loaded & only_in_solutions:
            found.append(cell)
            only_in_solutions |= stored - (kept_names - stored)
    return found


def handout(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without solution cells, outputs and execution counts (a new object)."""
    nb = copy.deepcopy(nb)
    _chrome().tag_solutions(nb)  # same rule as the committed tags; adds nothing where tags exist
    for (
        cell
    ) in nb.cells:  # the course's bookkeeping: a student's run must not rewrite results/*.json
        if cell.cell_type == "code" and "record_results(" in cell.source:
            cell.setdefault("metadata", {}).setdefault("tags", []).append(RESULTS_TAG)
    for cell in needs_solutions(nb):  # e.g. a closing cell that prints an exercise's result
        cell.setdefault("metadata", {}).setdefault("tags", []).append(RESULTS_TAG)
    resources: dict = {}
    nb, resources = TagRemovePreprocessor(
        remove_cell_tags={SOLUTION_TAG, RESULTS_TAG}, enabled=True
    ).preprocess(nb, resources)
    nb, resources = ClearOutputPreprocessor(enabled=True).preprocess(nb, resources)
    nb, resources = ClearMetadataPreprocessor(
        enabled=True,
        preserve_cell_metadata_mask={"tags"},
        preserve_nb_metadata_mask={"kernelspec", "language_info"},
    ).preprocess(nb, resources)
    return nb


def solution_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of cells that are solutions (tagged, or inside a Solutions section)."""
    probe = copy.deepcopy(nb)
    _chrome().tag_solutions(probe)
    return [
        i
        for i, c in enumerate(probe.cells)
        if SOLUTION_TAG in c.get("metadata", {}).get("tags", [])
    ]


def build(out: Path, notebooks: list[Path]) -> list[tuple[str, int, int]]:
    """Write the handouts; return (name, cells kept, cells removed) per notebook."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "notebooks").mkdir(parents=True)
    shutil.copytree(ROOT / "images", out / "images")
    (out / "README.md").write_text(README, encoding="utf-8")
    summary = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        new = handout(nb)
        removed = len(nb.cells) - len(new.cells)
        nbformat.write(new, out / "notebooks" / path.name)
        summary.append((path.stem, len(new.cells), removed))
    with tempfile.TemporaryDirectory() as tmp:  # not inside `out` while zipping `out`
        archive = shutil.make_archive(str(Path(tmp) / "lstm-course-handouts"), "zip", root_dir=out)
        shutil.move(archive, out / "lstm-course-handouts.zip")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Student handouts: solutions removed, outputs cleared."
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "_handouts")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    summary = build(args.out, notebooks)
    for name, kept, removed in summary:
        print(
            f"{name:40s} {kept:3d} cells kept, {removed:2d} removed (solutions and the cells that need them)"
        )
    print(
        f"Handouts in {args.out}/notebooks/ ({len(notebooks)} notebooks) and {args.out}/lstm-course-handouts.zip."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
