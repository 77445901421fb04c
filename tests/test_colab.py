"""Colab keeps its GPU: the [colab] extra never pulls TensorFlow, and the Colab cell is inert elsewhere.

The install is resolved by pip itself (`pip install --dry-run --report`) as in a fresh
environment (`--ignore-installed`), offline: `--no-index --find-links` points at stub wheels made
from the metadata of every package installed in this venv (same names, versions and
requirements, no code), so the resolver sees the real dependency graph without the network.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import load_tool

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"tensorflow", "tensorflow-cpu", "tensorflow-gpu", "keras", "tf-keras"}
# Imported by the course but already on Colab (or part of Jupyter there): not in the extra.
ON_COLAB = {"tensorflow", "tensorflow-cpu", "keras", "absl-py", "ipython", "ipykernel"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _colab_extra() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["project"]["optional-dependencies"]["colab"]


def test_colab_extra_lists_no_tensorflow_or_keras():
    names = {_norm(re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0]) for req in _colab_extra()}
    assert not names & FORBIDDEN, f"the colab extra must not install {names & FORBIDDEN}"


def test_colab_extra_covers_every_third_party_import():
    """Everything the notebooks and helpers import is in the base deps, the extra, or on Colab."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {
        _norm(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0])
        for r in pyproject["project"]["dependencies"] + _colab_extra()
    }
    modules = set()
    for path in [*ROOT.glob("notebooks/[0-9][0-9]_*.py"), *ROOT.glob("helpers/*.py")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", line):
                modules.add(m.group(1))
    owners = md.packages_distributions()
    missing = set()
    for module in modules - set(sys.stdlib_module_names) - {"helpers", "__future__"}:
        dists = {_norm(d) for d in owners.get(module, [])}
        if dists and not dists & (declared | ON_COLAB | _closure(declared)):
            missing |= dists
    assert not missing, (
        f"add these to the colab extra in pyproject.toml (Colab lacks them): {sorted(missing)}"
    )


def _closure(names: set[str]) -> set[str]:
    """Names of the installed distributions that `names` pull in (what pip would install too)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        for req in reqs:
            if "extra ==" not in req:
                todo.append(_norm(re.split(r"[<>=!~;\[ (]", req, maxsplit=1)[0]))
    return seen


def _stub_wheels(folder: Path) -> int:
    """One metadata-only wheel per installed distribution (what the resolver needs to know)."""
    count = 0
    for dist in md.distributions():
        name, version = dist.metadata["Name"], dist.version
        if not name or _norm(name) == "lstm-course-helpers":
            continue
        stem = f"{re.sub(r'[-_.]+', '_', name)}-{version}"
        meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
        meta += [f"Provides-Extra: {e}" for e in dist.metadata.get_all("Provides-Extra") or []]
        meta += [f"Requires-Dist: {r}" for r in dist.requires or []]
        if dist.metadata.get("Requires-Python"):
            meta.append(f"Requires-Python: {dist.metadata['Requires-Python']}")
        info = f"{stem}.dist-info"
        with zipfile.ZipFile(folder / f"{stem}-py3-none-any.whl", "w") as whl:
            whl.writestr(f"{info}/METADATA", "\n".join(meta) + "\n")
            whl.writestr(
                f"{info}/WHEEL",
                "Wheel-Version: 1.0\nGenerator: stub\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            )
            whl.writestr(f"{info}/RECORD", "")
        count += 1
    return count


def _resolve(tmp_path: Path, *requirements: str) -> set[str]:
    """Names pip would install for `requirements` into an empty environment (offline dry run)."""
    wheels = tmp_path / "wheels"
    if not wheels.exists():
        wheels.mkdir()
        assert _stub_wheels(wheels) > 50
    project = tmp_path / "project"
    if (
        not project.exists()
    ):  # the real pyproject.toml; a placeholder package so setuptools builds metadata
        (project / "helpers").mkdir(parents=True)
        (project / "helpers" / "__init__.py").write_text("")
        shutil.copy2(ROOT / "pyproject.toml", project / "pyproject.toml")
        shutil.copy2(ROOT / "README.md", project / "README.md")
    report = tmp_path / "report.json"
    reqs = [r.replace("PROJECT", str(project)) for r in requirements]
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--quiet",
        "--ignore-installed",
        "--no-index",
        "--find-links",
        str(wheels),
        "--no-build-isolation",
        "--report",
        str(report),
        *reqs,
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return {_norm(item["metadata"]["name"]) for item in json.loads(report.read_text())["install"]}


def test_colab_install_does_not_pull_tensorflow(tmp_path: Path):
    pytest.importorskip(
        "setuptools", reason="pip builds the project's metadata with this venv's setuptools"
    )
    installed = _resolve(tmp_path, "-e", "PROJECT[colab]")
    assert {"lstm-course-helpers", "kiwipiepy", "scikit-learn", "statsmodels", "numpy"} <= installed
    assert not installed & FORBIDDEN, (
        f"pip install -e .[colab] would install {installed & FORBIDDEN}"
    )
    # The check can fail: the same offline index does offer tensorflow-cpu when something asks for it.
    assert "tensorflow-cpu" in _resolve(tmp_path, "-e", "PROJECT[colab]", "tensorflow-cpu")


def test_colab_cell_does_nothing_outside_colab(tmp_path: Path):
    """Run the cell in a fresh interpreter without google.colab: no output, no command, no chdir."""
    cell = load_tool("notebook_chrome").colab_source(
        "https://github.com/lstm-course/lstm-course", "v1.0"
    )
    probe = (
        "import os, subprocess, sys\n"
        "def refuse(*a, **k): raise AssertionError(f'ran {a}')\n"
        "subprocess.run = subprocess.Popen = os.system = os.chdir = refuse\n"
        "path, cwd = list(sys.path), os.getcwd()\n"
        f"exec(compile({cell!r}, 'colab-cell', 'exec'))\n"
        "assert sys.path == path and os.getcwd() == cwd\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_colab_cell_on_colab_clones_the_pinned_ref_and_installs_the_extra(tmp_path: Path):
    """With a stand-in google.colab module the cell clones REPO_URL at REPO_REF and installs .[colab]."""
    cell = load_tool("notebook_chrome").colab_source("https://github.com/OWNER/REPO", "abc1234")
    probe = (
        "import json, os, subprocess, sys, types\n"
        "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
        "calls = []\n"
        "subprocess.run = lambda cmd, **k: calls.append(cmd)\n"
        "os.chdir = lambda p: calls.append(['chdir', p])\n"
        f"exec(compile({cell!r}, 'colab-cell', 'exec'))\n"
        "print(json.dumps(calls))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    calls = json.loads(result.stdout)
    assert calls[0][:2] == ["git", "clone"]
    assert "https://github.com/OWNER/REPO" in calls[0]
    assert calls[1][-1] == "abc1234"
    assert "checkout" in calls[1]
    pip = calls[2]
    assert pip[1:4] == ["-m", "pip", "install"]
    assert pip[-1].endswith("lstm-course[colab]")
    assert not any(name in " ".join(pip) for name in ("tensorflow", "keras", "requirements.txt"))
    assert calls[3] == ["chdir", "/content/lstm-course/notebooks"]


@pytest.mark.parametrize(
    "bad", ["https://gitlab.com/a/b", "github.com/a/b", "https://github.com/a"]
)
def test_colab_cell_rejects_a_repo_url_that_is_not_github(bad: str):
    with pytest.raises(ValueError, match="REPO_URL"):
        load_tool("notebook_chrome").colab_source(bad, "v1.0")
