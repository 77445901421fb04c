"""tools/notebook_chrome.py on copies: badge + Colab cell after the title, solution tags, pairs kept
consistent, outputs untouched, idempotent; and the pairing stays stable when JupyterLab saves."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import jupytext
import jupytext.cli
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from support import load_tool

ROOT = Path(__file__).resolve().parents[1]


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _pair(folder: Path, name: str = "05_demo") -> Path:
    """A small paired notebook shaped like the course's, with outputs, in `folder`."""
    shutil.copy2(ROOT / "jupytext.toml", folder / "jupytext.toml")
    (folder / "notebooks").mkdir(exist_ok=True)
    setup = new_code_cell("import helpers\n\nSEED = helpers.setup(seed=42)")
    setup.outputs = [new_output("stream", name="stdout", text="profile: full  seed: 42\n")]
    plot = new_code_cell("x = 2\nx")
    plot.outputs = [new_output("execute_result", data={"text/plain": "2"}, execution_count=2)]
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 05 · Demo\n\nWhat you will learn: a thing."),
            setup,
            new_markdown_cell("## 1. A section\n\nSome text with $h_t$."),
            plot,
            new_markdown_cell(
                "## Summary\n\n- a point\n\n## Exercises\n\n1. Do it.\n\n## Solutions"
            ),
            new_code_cell("# Exercise 1\nprint(1)"),
            new_markdown_cell("The answer is 1.\n\n### A deeper heading stays in the solutions"),
            new_code_cell("print('more')"),
            new_code_cell('_ = helpers.record_results("05_demo", x=1)'),
            new_markdown_cell("## Further reading\n\n- a book"),
        ],
        metadata={
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "jupytext": {"formats": "ipynb,py:percent"},
        },
    )
    path = folder / "notebooks" / f"{name}.ipynb"
    nbformat.write(nb, path)
    jupytext.cli.jupytext(["--sync", "--quiet", str(path)])
    return path


def test_chrome_adds_colab_cells_and_tags_solutions(tmp_path: Path):
    chrome = load_tool("notebook_chrome")
    path = _pair(tmp_path)
    before = nbformat.read(path, as_version=4)
    assert chrome.main([str(path), "--check"]) == 1
    assert chrome.main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    kinds = [(c.cell_type, _tags(c)) for c in nb.cells]
    assert kinds[1] == ("markdown", ["colab-badge"])
    assert kinds[2] == ("code", ["colab"])
    assert (
        "colab.research.google.com/github/lstm-course/lstm-course/blob/v1.0/notebooks/05_demo.ipynb"
        in nb.cells[1].source
    )
    assert nb.cells[0].source.startswith("# 05 · Demo")
    # the mixed Summary/Exercises/Solutions cell was split: exercises stay, the heading is a solution
    exercises = next(c for c in nb.cells if "## Exercises" in c.source)
    assert "Solutions" not in exercises.source
    assert not _tags(exercises)
    solutions = [c for c in nb.cells if "solution" in _tags(c)]
    assert [c.source.splitlines()[0] for c in solutions] == [
        "## Solutions",
        "# Exercise 1",
        "The answer is 1.",
        "print('more')",
    ]
    untagged = [c.source.splitlines()[0] for c in nb.cells if not _tags(c)]
    assert '_ = helpers.record_results("05_demo", x=1)' in untagged
    assert "## Further reading" in untagged
    # outputs of the other cells are untouched, and the .py has exactly the same cells
    old_outputs = [c.outputs for c in before.cells if c.cell_type == "code"]
    assert [
        c.outputs for c in nb.cells if c.cell_type == "code" and "colab" not in _tags(c)
    ] == old_outputs
    py = jupytext.read(path.with_suffix(".py"))
    assert [(c.cell_type, c.source, _tags(c)) for c in py.cells] == [
        (c.cell_type, c.source, _tags(c)) for c in nb.cells
    ]
    assert '# %% tags=["solution"]' in path.with_suffix(".py").read_text()


def test_chrome_is_idempotent(tmp_path: Path):
    chrome = load_tool("notebook_chrome")
    path = _pair(tmp_path)
    chrome.main([str(path)])
    first = (path.read_bytes(), path.with_suffix(".py").read_bytes())
    assert chrome.main([str(path), "--check"]) == 0
    assert chrome.main([str(path)]) == 0
    assert (path.read_bytes(), path.with_suffix(".py").read_bytes()) == first


def test_chrome_updates_the_ref_in_place(tmp_path: Path):
    chrome = load_tool("notebook_chrome")
    path = _pair(tmp_path)
    chrome.main([str(path)])
    chrome.main([str(path), "--repo-url", "https://github.com/someone/course", "--ref", "v2.0"])
    nb = nbformat.read(path, as_version=4)
    assert sum("colab" in _tags(c) for c in nb.cells) == 1
    assert sum("colab-badge" in _tags(c) for c in nb.cells) == 1
    assert "someone/course/blob/v2.0" in nb.cells[1].source
    assert 'REPO_REF = "v2.0"' in nb.cells[2].source


def test_chrome_refuses_a_pair_out_of_sync(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    chrome = load_tool("notebook_chrome")
    path = _pair(tmp_path)
    py = path.with_suffix(".py")
    py.write_text(py.read_text() + "\n# %%\nprint('edited in the .py only')\n")
    before = (path.read_bytes(), py.read_bytes())
    assert chrome.main([str(path)]) == 1
    assert "SKIPPED" in capsys.readouterr().out
    assert (path.read_bytes(), py.read_bytes()) == before


def test_chrome_rewrites_the_colab_paragraph_of_start_here(tmp_path: Path):
    chrome = load_tool("notebook_chrome")
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 00 · Start here"),
            new_markdown_cell(
                "## 2. How to run\n\n**On Google Colab** (optional): pip install -r "
                "requirements.txt there.\n\n**Next** paragraph stays."
            ),
        ]
    )
    changes = chrome.chrome(nb, "00_start_here")
    text = nb.cells[-1].source
    assert "rewrote the Colab paragraph" in changes
    assert '".[colab]"' in text
    assert "**Next** paragraph stays." in text
    assert "pip install -r" not in text
    assert chrome.chrome(nb, "00_start_here") == []


def test_course_notebooks_are_chromed_once_the_lead_has_run_the_script():
    """Once 00 carries the Colab cell (the lead ran the script on the whole course), every notebook
    must be fully chromed: a notebook added later without its badge, Colab cell or tags fails here."""
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    start = ROOT / "notebooks" / "00_start_here.ipynb"
    if not any("colab" in _tags(c) for c in json.loads(start.read_text())["cells"]):
        pytest.skip(
            "the course is not chromed yet: the lead runs `python tools/notebook_chrome.py` at the end"
        )
    chrome = load_tool("notebook_chrome")
    needing = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if chrome.chrome(nb, path.stem):
            needing.append(path.name)
    assert not needing, f"run `python tools/notebook_chrome.py` (then commit): {needing}"


def test_saving_from_jupyterlab_keeps_the_py_unchanged(tmp_path: Path):
    """JupyterLab saves through jupytext's contents manager: with jupytext.toml the .py stays byte-identical,
    whatever kernel display name the saver's JupyterLab uses."""
    contents = pytest.importorskip("jupytext.async_contentsmanager")
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

    path = _pair(tmp_path)
    py_before = path.with_suffix(".py").read_text()
    manager = contents.build_async_jupytext_contents_manager_class(AsyncLargeFileManager)(
        root_dir=str(tmp_path)
    )

    async def save_as_jupyterlab_would() -> None:
        model = await manager.get("notebooks/05_demo.ipynb")
        model["content"]["metadata"]["kernelspec"]["display_name"] = "Python 3 (some other venv)"
        await manager.save(model, "notebooks/05_demo.ipynb")

    asyncio.run(save_as_jupyterlab_would())
    assert path.with_suffix(".py").read_text() == py_before
