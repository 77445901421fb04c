"""tools/clean_notebooks.py: volatile metadata goes, outputs and sources stay."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "clean_notebooks.py"


def _notebook() -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 3,
                "id": "abc",
                "metadata": {
                    "execution": {"iopub.execute_input": "2026-11-23T00:00:00Z"},
                    "tags": ["solution"],
                },
                "outputs": [{"name": "stdout", "output_type": "stream", "text": ["0.881\n"]}],
                "source": ["print(0.881)"],
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, check=False
    )


def test_check_reports_without_writing(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_notebook()), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    result = _run("--check", str(path))
    assert result.returncode == 1
    assert "would clean" in result.stdout
    assert path.read_text(encoding="utf-8") == before


def test_clean_drops_timestamps_keeps_outputs_tags_and_is_idempotent(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_notebook()), encoding="utf-8")
    assert _run(str(path)).returncode == 0
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = nb["cells"][0]
    assert "execution" not in cell["metadata"]
    assert cell["metadata"]["tags"] == ["solution"]
    assert cell["outputs"][0]["text"] == ["0.881\n"]
    assert cell["execution_count"] == 3
    assert nb["metadata"]["kernelspec"]["display_name"] == "Python 3 (ipykernel)"
    first = path.read_text(encoding="utf-8")
    assert _run("--check", str(path)).returncode == 0
    assert _run(str(path)).returncode == 0
    assert path.read_text(encoding="utf-8") == first
