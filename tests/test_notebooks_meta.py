"""Static checks of every notebook: jupytext pairing, structure, clean committed outputs."""

import json
import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells if c.source.strip()]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_paired_py_file_is_in_sync(path):
    py = path.with_suffix(".py")
    assert py.exists(), f"{py.name} missing: run `make sync`"
    assert _cells(jupytext.read(path)) == _cells(jupytext.read(py)), f"{path.name} and {py.name} differ: run `make sync`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_structure_and_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    md = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert re.match(r"# \d\d · ", "".join(cells[0]["source"])), "first cell must be the title '# NN · …'"
    if not path.stem.startswith("00"):
        for heading in ("You will learn", "Prerequisites", "Summary", "Exercises", "Solutions"):
            assert heading in md, f"missing section: {heading}"
    src = "\n".join(code)
    if "import tensorflow" in src or "import keras" in src:
        first_tf = min(i for i in (src.find("import tensorflow"), src.find("import keras")) if i >= 0)
        env_first = 0 <= src.find("TF_CPP_MIN_LOG_LEVEL") < first_tf
        helpers_first = 0 <= src.find("import helpers") < first_tf  # helpers sets TF's environment
        assert env_first or helpers_first, "import helpers (or set TF_CPP_MIN_LOG_LEVEL) before importing TF"
    assert not re.search(r"/work/|/root/", path.with_suffix(".py").read_text(encoding="utf-8")), "machine path in source"
    assert not re.search(r"^\s*!", src, flags=re.M), "no shell escapes in notebooks"
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs, "commit the outputs of a full-profile run"
    assert not any(o["output_type"] == "error" for o in outputs), "a stored output is an error"
    texts = []  # what a reader sees as text (image data is base64 and may match by chance)
    for o in outputs:
        texts.append("".join(o.get("text", "")))
        for mime, value in o.get("data", {}).items():
            if mime.startswith("text/"):
                texts.append("".join(value))
    text = "\n".join(texts)
    assert "━━━" not in text, "Keras progress bars leaked into the outputs"
    assert not re.search(r"/(work|root|home|tmp)/", text), "a machine path is shown in the outputs"
