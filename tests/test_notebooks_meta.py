"""Static checks of every notebook: jupytext pairing, structure, clean committed outputs.

One named test per rule and notebook (`test_no_error_outputs[06_imdb_sentiment]`), so the first
broken rule never hides the others; each message says where the problem is and what to do.
The coding conventions of the cells are in test_conventions.py.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SECTIONS = ("You will learn", "Prerequisites", "Summary", "Exercises", "Solutions")
MACHINE_PATH_IN_SOURCE = re.compile(r"/work/|/root/|/home/|/Users/")
MACHINE_PATH_IN_OUTPUT = re.compile(r"/(work|root|home|tmp|Users)/")
PROGRESS_BARS = {"Keras": re.compile("━━━"), "tqdm": re.compile(r"\d+%\|[█▏▎▍▌▋▊▉ #]*\|")}
SHELL = re.compile(r"^\s*(!|%%?(bash|sh|system|sx|script)\b)", re.M)

nb_params = pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in NOTEBOOKS])


@functools.cache
def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code(path: Path) -> list[tuple[int, str]]:
    """(1-based cell number, source) of every code cell."""
    return [
        (i, "".join(c["source"]))
        for i, c in enumerate(_nb(path)["cells"], start=1)
        if c["cell_type"] == "code"
    ]


def _outputs(path: Path) -> list[tuple[int, dict]]:
    """(cell number, output) of every stored output."""
    return [
        (i, o)
        for i, c in enumerate(_nb(path)["cells"], start=1)
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    ]


def _output_text(output: dict) -> str:
    """What a reader sees as text (image data is base64 and may match a pattern by chance)."""
    parts = ["".join(output.get("text", ""))]
    parts += ["".join(v) for mime, v in output.get("data", {}).items() if mime.startswith("text/")]
    parts += output.get("traceback", [])
    return "\n".join(parts)


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells if c.source.strip()]


def _lines(text: str, pattern: re.Pattern) -> list[str]:
    return [ln.strip()[:100] for ln in text.splitlines() if pattern.search(ln)]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/ (named NN_name.ipynb)"


@nb_params
def test_paired_py_file_is_in_sync(path):
    py = path.with_suffix(".py")
    assert py.exists(), f"{py.name} missing: run `make sync`"
    assert _cells(jupytext.read(path)) == _cells(jupytext.read(py)), (
        f"{path.name} and {py.name} differ: run `make sync`"
    )


@nb_params
def test_title_cell(path):
    first = _nb(path)["cells"][0]
    text = "".join(first["source"])
    assert first["cell_type"] == "markdown" and re.match(rf"# {path.stem[:2]} · \S", text), (
        f"the first cell must be the markdown title '# {path.stem[:2]} · <title>', not {text[:60]!r}"
    )


@nb_params
def test_sections_present(path):
    if path.stem.startswith("00"):
        pytest.skip("the start-here notebook has its own shape")
    md = "\n".join("".join(c["source"]) for c in _nb(path)["cells"] if c["cell_type"] == "markdown")
    missing = [h for h in SECTIONS if h not in md]
    assert not missing, f"missing sections {missing}: every lesson has {', '.join(SECTIONS)}"


@nb_params
def test_tensorflow_environment_set_before_import(path):
    src = "\n".join(s for _, s in _code(path))
    tf = [i for i in (src.find("import tensorflow"), src.find("import keras")) if i >= 0]
    if not tf:
        return
    env_first = 0 <= src.find("TF_CPP_MIN_LOG_LEVEL") < min(tf)
    helpers_first = 0 <= src.find("import helpers") < min(tf)  # helpers sets TF's environment
    assert env_first or helpers_first, (
        "import helpers before TensorFlow/Keras (it sets TF's environment)"
    )


@nb_params
def test_no_machine_paths_in_sources(path):
    py = path.with_suffix(".py")
    text = py.read_text(encoding="utf-8") if py.exists() else ""
    text += "\n" + "\n".join("".join(c["source"]) for c in _nb(path)["cells"])
    found = _lines(text, MACHINE_PATH_IN_SOURCE)
    assert not found, (
        f"machine paths or private folders in the notebook's text or code: {found}; use data_dir()/relative paths"
    )


@nb_params
def test_no_shell_escapes(path):
    found = [f"cell {i}: {ln}" for i, s in _code(path) for ln in _lines(s, SHELL)]
    assert not found, (
        f"shell escapes in code cells: {found}; use Python (subprocess) or the Makefile instead"
    )


@nb_params
def test_outputs_present(path):
    assert _outputs(path), (
        f"{path.name} has no outputs: commit the outputs of a full-profile run "
        "(jupyter nbconvert --execute --inplace, COURSE_PROFILE=full)"
    )


@nb_params
def test_every_shown_figure_is_stored(path):
    """A cell that calls plt.show() must carry its image: text that reads a figure needs the figure."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    missing = [
        f"cell {i}"
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code"
        and "plt.show()" in "".join(cell["source"])
        and not any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    ]
    assert not missing, (
        f"{path.name}: {missing} show a figure but store no image; execute with the inline backend "
        "(make run / tools/run_course.py do; MPLBACKEND=Agg drops figures)"
    )


@nb_params
def test_no_error_outputs(path):
    errors = [
        f"cell {i}: {o.get('ename')}: {o.get('evalue', '')[:80]}"
        for i, o in _outputs(path)
        if o["output_type"] == "error"
    ]
    assert not errors, (
        f"stored outputs are errors {errors}: fix the cells and run the notebook again"
    )


@nb_params
def test_no_progress_bars(path):
    found = [
        f"cell {i} ({tool})"
        for i, o in _outputs(path)
        for tool, pattern in PROGRESS_BARS.items()
        if pattern.search(_output_text(o))
    ]
    assert not found, (
        f"progress bars leaked into the outputs {found}: pass verbose=0 to Keras and print one line "
        "per epoch (helpers.training.fit / EpochLogger); disable tqdm bars"
    )


@nb_params
def test_no_machine_paths_in_outputs(path):
    found = [
        f"cell {i}: {ln}"
        for i, o in _outputs(path)
        for ln in _lines(_output_text(o), MACHINE_PATH_IN_OUTPUT)
    ]
    assert not found, (
        f"machine paths shown in the outputs {found[:5]}: print paths relative to the repository"
    )
