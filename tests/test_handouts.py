"""Student handouts (`make student`): no solution survives, outputs are cleared, exercises stay, and
(slow, `make student-test` / CI) every handout still runs top to bottom in the smoke profile."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from support import load_tool

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _assert_no_solution(nb, name: str) -> None:
    for cell in nb.cells:
        assert "solution" not in _tags(cell), f"{name}: a cell tagged solution survived"
        assert not re.search(r"^#{1,6}\s+Solutions?\b", cell.source, re.M | re.I), (
            f"{name}: a Solutions heading survived"
        )
        if cell.cell_type == "code":
            assert "record_results(" not in cell.source, f"{name}: the results cell survived"
            assert not re.match(r"\s*# Exercise \d", cell.source), (
                f"{name}: an exercise's solution code survived"
            )
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name}: outputs not cleared"
            )


def test_handout_of_a_small_notebook(tmp_path: Path):
    done = new_code_cell("print(1)")
    done.outputs = [new_output("stream", name="stdout", text="1\n")]
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 05 · Demo"),
            done,
            new_markdown_cell("## Exercises\n\n1. Print 2.\n\n## Solutions"),
            new_code_cell("# Exercise 1\nanswer = 2\nprint(answer)"),
            new_code_cell("print('tagged by hand')", metadata={"tags": ["solution"]}),
            new_markdown_cell("Printing 2 is easy."),
            new_code_cell('_ = helpers.record_results("05_demo", x=1)'),
            new_markdown_cell("## Further reading"),
            new_code_cell(
                "print(f'exercise 1 gave {answer}')"
            ),  # needs a solution's variable: goes too
            new_code_cell("print('the end')"),
        ]
    )
    nbformat.write(nb, tmp_path / "05_demo.ipynb")
    summary = load_tool("make_handouts").build(tmp_path / "out", [tmp_path / "05_demo.ipynb"])
    out = nbformat.read(tmp_path / "out" / "notebooks" / "05_demo.ipynb", as_version=4)
    assert [c.source for c in out.cells] == [
        "# 05 · Demo",
        "print(1)",
        "## Exercises\n\n1. Print 2.",
        "## Further reading",
        "print('the end')",
    ]
    _assert_no_solution(out, "05_demo")
    assert summary == [("05_demo", 5, 5)]
    assert (tmp_path / "out" / "images").is_dir()
    assert (tmp_path / "out" / "lstm-course-handouts.zip").is_file()


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handouts")
    load_tool("make_handouts").build(out, NOTEBOOKS)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_course_handout_has_no_solution_and_keeps_the_exercises(path: Path, handouts: Path):
    original = nbformat.read(path, as_version=4)
    out = nbformat.read(handouts / "notebooks" / path.name, as_version=4)
    _assert_no_solution(out, path.stem)
    if re.search(r"^## Exercises", "\n".join(c.source for c in original.cells), re.M):
        assert any(re.search(r"^## Exercises", c.source, re.M) for c in out.cells), (
            "the exercises were removed"
        )
        assert len(load_tool("make_handouts").solution_cells(original)) >= 2, (
            "a notebook with exercises should have solutions to remove"
        )
    # everything else is kept, text unchanged (a cell may be the part of an original cell before or
    # after its Solutions section)
    sources = [c.source for c in original.cells]
    assert all(any(c.source in src for src in sources) for c in out.cells)
    # only solutions and the cells that need them go: every cell before the exercises is kept
    split = copy.deepcopy(original)
    load_tool("make_handouts")._chrome().tag_solutions(
        split
    )  # the notebook as the handout tool sees it (mixed cells split)
    first = min(
        (i for i, c in enumerate(split.cells) if "solution" in _tags(c)), default=len(split.cells)
    )
    before = [c.source for c in split.cells[:first] if "record_results(" not in c.source]
    assert [c.source for c in out.cells[: len(before)]] == before


SLOW = os.environ.get("COURSE_SLOW_TESTS") == "1"


@pytest.mark.skipif(
    not SLOW, reason="runs every handout (minutes): `make student-test` or COURSE_SLOW_TESTS=1"
)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_course_handout_runs_in_smoke(path: Path, handouts: Path, monkeypatch: pytest.MonkeyPatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(handouts / "notebooks" / path.name, as_version=4)
    NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(handouts / "notebooks")}},
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
