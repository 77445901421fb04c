"""Add the course's "chrome" to every notebook pair (.ipynb + .py), idempotently.

For each notebooks/NN_*.ipynb (and its paired .py):

1. an "Open in Colab" badge (markdown cell tagged `colab-badge`) right after the title cell;
2. the Colab set-up cell (code cell tagged `colab`) right after the badge: only when the notebook
   runs on Google Colab, it clones the course at REPO_REF and installs the helpers package with
   `pip install -e ".[colab]"`, which leaves Colab's GPU TensorFlow and Keras alone; anywhere
   else it does nothing;
3. the tag `solution` on every cell of a "Solutions" section (the heading cell included, split off
   its cell when it shares one with the exercises), so `make student` can remove them; the
   section ends at the next heading of the same or a higher level, or at the course's
   `record_results` call;
4. in 00_start_here, the Colab paragraph of "How to run the course".

Outputs of all other cells are untouched. Running it twice changes nothing the second time.
The .ipynb is edited with nbformat and the .py regenerated from it by `jupytext --sync` (with
the repository's jupytext.toml), so the pair stays consistent.

    python tools/notebook_chrome.py                      # every notebook, in place
    python tools/notebook_chrome.py --check              # exit 1 if anything would change
    python tools/notebook_chrome.py --repo-url https://github.com/OWNER/REPO --ref v1.0
    python tools/notebook_chrome.py notebooks/04_lstm_gates.ipynb
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

# The lead sets these to the published repository and the release tag (or commit) the Colab
# cell installs; the badge opens the notebook of the same ref.
REPO_URL = "https://github.com/lstm-course/lstm-course"
REPO_REF = "v1.0"

BADGE_TAG, COLAB_TAG, SOLUTION_TAG = "colab-badge", "colab", "solution"
BADGE_IMG = "https://colab.research.google.com/assets/colab-badge.svg"
SOLUTIONS_HEADING = re.compile(r"^solutions?\b", re.I)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")

COLAB_CELL = """\
# On Google Colab only: fetch the course at a fixed version and install its helpers package.
# The "colab" extra leaves out tensorflow-cpu and keras, so Colab keeps its own GPU TensorFlow.
# Anywhere else (JupyterLab, CI, `make run`) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess

    REPO_URL = "{repo_url}"
    REPO_REF = "{ref}"  # the tag or commit these notebooks belong to
    COURSE = "/content/lstm-course"
    if not os.path.isdir(COURSE):
        subprocess.run(["git", "clone", "--quiet", REPO_URL, COURSE], check=True)
        subprocess.run(["git", "-C", COURSE, "checkout", "--quiet", REPO_REF], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "-e", COURSE + "[colab]"], check=True
    )
    sys.path.insert(0, COURSE)  # importable now, without restarting the runtime
    os.chdir(COURSE + "/notebooks")  # relative paths (images, data, results) as in the repository"""

START_HERE_COLAB = (
    "**On Google Colab** (optional, a free GPU): open a notebook with the **Open in Colab** badge at\n"
    "its top and run its cells in order. The first code cell runs only on Colab: it clones this\n"
    "repository at the version the badge points to and installs the course's `helpers` package with\n"
    '`pip install -e ".[colab]"`, which leaves Colab\'s own TensorFlow and Keras alone (installing\n'
    "`requirements.txt` there would replace Colab's GPU TensorFlow with `tensorflow-cpu` and lose the\n"
    "GPU). No restart is needed. Numbers on a GPU differ slightly from the CPU runs recorded here."
)
START_HERE_PARAGRAPH = re.compile(r"\*\*On Google Colab\*\*.*?(?=\n\s*\n|\Z)", re.S)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _add_tag(cell: dict, tag: str) -> bool:
    tags = _tags(cell)
    if tag in tags:
        return False
    cell.setdefault("metadata", {})["tags"] = [*tags, tag]
    return True


def github_path(repo_url: str) -> str:
    """OWNER/REPO from https://github.com/OWNER/REPO(.git)."""
    match = re.match(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", repo_url)
    if not match:
        raise ValueError(f"REPO_URL must look like https://github.com/OWNER/REPO, got {repo_url!r}")
    return match.group(1)


def badge_source(repo_url: str, ref: str, notebook: str) -> str:
    url = f"https://colab.research.google.com/github/{github_path(repo_url)}/blob/{ref}/notebooks/{notebook}.ipynb"
    return f"[![Open In Colab]({BADGE_IMG})]({url})"


def colab_source(repo_url: str, ref: str) -> str:
    github_path(repo_url)
    if not re.fullmatch(r"[\w./-]+", ref):
        raise ValueError(f"REPO_REF must be a tag, branch or commit, got {ref!r}")
    return COLAB_CELL.format(repo_url=repo_url, ref=ref)


def _title_index(cells: list) -> int:
    """Index of the title cell (first markdown cell starting with '# '), or -1."""
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            first = _source(cell).lstrip().splitlines()[:1]
            return i if first and first[0].startswith("# ") else -1
    return -1


def _upsert(
    nb, tag: str, cell_type: str, source: str, position: int, cell_id: str, changes: list[str]
) -> int:
    """Update the cell carrying `tag` or insert a new one at `position`; return its index."""
    for i, cell in enumerate(nb.cells):
        if tag in _tags(cell):
            if _source(cell) != source:
                cell["source"] = source
                changes.append(f"updated the {tag} cell")
            return i
    maker = nbformat.v4.new_markdown_cell if cell_type == "markdown" else nbformat.v4.new_code_cell
    cell = maker(source=source, metadata={"tags": [tag]})
    if nb.get("nbformat", 4) > 4 or nb.get("nbformat_minor", 0) >= 5:
        cell["id"] = cell_id
    else:
        cell.pop("id", None)
    nb.cells.insert(position, cell)
    changes.append(f"inserted the {tag} cell")
    return position


def add_colab(nb, notebook: str, repo_url: str = REPO_URL, ref: str = REPO_REF) -> list[str]:
    """Badge after the title cell, the Colab set-up cell after the badge."""
    changes: list[str] = []
    at = _upsert(
        nb,
        BADGE_TAG,
        "markdown",
        badge_source(repo_url, ref, notebook),
        _title_index(nb.cells) + 1,
        "colab-badge",
        changes,
    )
    _upsert(nb, COLAB_TAG, "code", colab_source(repo_url, ref), at + 1, "colab-setup", changes)
    return changes


def _heading_lines(source: str) -> list[tuple[int, int, str]]:
    """(line index, level, title) of every Markdown heading outside code fences."""
    out, fenced = [], False
    for i, line in enumerate(source.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (m := HEADING.match(line)):
            out.append((i, len(m.group(1)), m.group(2)))
    return out


def tag_solutions(nb) -> list[str]:
    """Tag the cells of every Solutions section with `solution` (splitting mixed markdown cells)."""
    changes: list[str] = []
    cells: list = []
    level: int | None = None  # heading level of the Solutions section we are in, else None
    for cell in nb.cells:
        if cell["cell_type"] != "markdown":
            if level is not None and "record_results(" in _source(cell):
                level = None  # the course's bookkeeping cell closes the exercises part
            if level is not None and _add_tag(cell, SOLUTION_TAG):
                changes.append(f"tagged a {cell['cell_type']} cell as solution")
            cells.append(cell)
            continue
        lines = _source(cell).split("\n")
        starts, states = [0], [level]  # pieces of this cell and whether each is inside Solutions
        for index, lvl, title in _heading_lines(_source(cell)):
            if SOLUTIONS_HEADING.match(title):
                new = lvl if level is None or lvl <= level else level
            elif level is not None and lvl <= level:
                new = None
            else:
                continue
            if (new is None) != (level is None):
                if index == 0:
                    states[-1] = new
                elif index > starts[-1]:
                    starts.append(index)
                    states.append(new)
                else:
                    states[-1] = new
            level = new
        for k, (start, state) in enumerate(zip(starts, states, strict=False)):
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            text = "\n".join(lines[start:end]).rstrip("\n")
            if k == 0:
                piece = cell
                if len(starts) > 1:
                    piece["source"] = text
                    changes.append("split a Solutions heading off its markdown cell")
            else:
                piece = nbformat.v4.new_markdown_cell(source=text)
                if "id" in cell:
                    piece["id"] = f"{cell['id']}-{k}"[:64]
                else:
                    piece.pop("id", None)
            if state is not None and _add_tag(piece, SOLUTION_TAG):
                changes.append("tagged a markdown cell as solution")
            cells.append(piece)
    nb.cells = cells
    return changes


def update_start_here(nb) -> list[str]:
    """00's Colab paragraph says what the badge and the Colab cell do."""
    for cell in nb.cells:
        if cell["cell_type"] == "markdown" and START_HERE_PARAGRAPH.search(_source(cell)):
            new = START_HERE_PARAGRAPH.sub(lambda _: START_HERE_COLAB, _source(cell), count=1)
            if new != _source(cell):
                cell["source"] = new
                return ["rewrote the Colab paragraph"]
            return []
    return ["WARNING: no '**On Google Colab**' paragraph found in 00; add START_HERE_COLAB by hand"]


def chrome(nb, notebook: str, repo_url: str = REPO_URL, ref: str = REPO_REF) -> list[str]:
    """Apply everything to one notebook in memory; return what changed."""
    changes = add_colab(nb, notebook, repo_url, ref) + tag_solutions(nb)
    if notebook.startswith("00_"):
        changes += update_start_here(nb)
    return changes


def _cells(nb) -> list[tuple[str, str]]:
    return [(c["cell_type"], _source(c).strip()) for c in nb.cells]


class OutOfSync(Exception):
    """The .ipynb and its .py have different cells: chroming one would lose the other's edits."""


def process(path: Path, check: bool, repo_url: str, ref: str) -> list[str]:
    """Chrome one pair; in check mode only report. Returns the changes (made or needed)."""
    import jupytext

    path = path.with_suffix(".ipynb")
    py = path.with_suffix(".py")
    nb = nbformat.read(path, as_version=4)
    if py.exists() and _cells(jupytext.read(py)) != _cells(nb):
        raise OutOfSync(
            f"{path.name} and {py.name} differ: run `make sync` first, then this script"
        )
    new = copy.deepcopy(nb)
    changes = chrome(new, path.stem, repo_url, ref)
    if check or not [c for c in changes if not c.startswith("WARNING")]:
        return changes
    nbformat.write(new, path)
    if py.exists():
        from jupytext.cli import jupytext as jupytext_cli

        jupytext_cli(
            ["--sync", "--quiet", str(path)]
        )  # the .py from the .ipynb, with jupytext.toml
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Colab badge + cell and solution tags in every notebook pair."
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a notebook needs changes"
    )
    parser.add_argument("--repo-url", default=REPO_URL, help=f"default {REPO_URL}")
    parser.add_argument(
        "--ref",
        default=REPO_REF,
        help=f"tag or commit the Colab cell installs (default {REPO_REF})",
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    pending = 0
    failed = 0
    for path in paths:
        try:
            changes = process(path, args.check, args.repo_url, args.ref)
        except OutOfSync as exc:
            print(f"{path.stem}: SKIPPED: {exc}")
            failed += 1
            continue
        real = [c for c in changes if not c.startswith("WARNING")]
        pending += bool(real)
        verb = "needs" if args.check else "changed"
        summary = "; ".join(sorted(set(changes), key=changes.index)) if changes else "up to date"
        print(f"{path.stem}: {verb + ': ' + summary if real else summary}")
    if args.check and pending:
        print(f"{pending} notebook(s) need `python tools/notebook_chrome.py`.")
    return 1 if failed or (args.check and pending) else 0


if __name__ == "__main__":
    sys.exit(main())
