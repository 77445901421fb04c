"""JupyterLab end to end: the browser opens 00_start_here in JupyterLab (served the way `make lab`
serves it: the repository root, 00 as the default page), runs every cell through the UI
(Run > Run All Cells) in the smoke profile, saves, and the test fails on any error output.

It works on a copy of the repository's files, so the committed notebook is never touched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/00_start_here.ipynb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path: Path):
    """JupyterLab on a copy of the repository root; yields (base url, token, root)."""
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    for name in ("00_start_here.ipynb", "00_start_here.py"):
        shutil.copy2(ROOT / "notebooks" / name, root / "notebooks" / name)
    for name in ("jupytext.toml", "README.md"):
        shutil.copy2(ROOT / name, root / name)
    shutil.copytree(ROOT / "images", root / "images")
    # as after `make sync` with this jupytext.toml (the committed pair may predate its filter)
    subprocess.run(
        [sys.executable, "-m", "jupytext", "--sync", "--quiet", str(root / NOTEBOOK)], check=True
    )
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path / "home"
    env = dict(
        os.environ,
        COURSE_PROFILE="smoke",
        MPLBACKEND="Agg",
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    # Render every cell (JupyterLab 4 otherwise only puts the visible ones in the page).
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.default_url=/lab/tree/" + NOTEBOOK,  # what `make lab` passes
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.getuid() == 0:
        cmd.append("--allow-root")  # as `make lab` does when run as root
    log = open(tmp_path / "lab.log", "w")  # noqa: SIM115  (open for the server's lifetime)
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except (urllib.error.URLError, OSError):
            if server.poll() is not None:
                break
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail(
            "JupyterLab did not start in 90 s:\n" + (tmp_path / "lab.log").read_text()[-3000:]
        )
    if server.poll() is not None:
        pytest.fail("JupyterLab exited:\n" + (tmp_path / "lab.log").read_text()[-3000:])
    yield base, token, root
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def test_lab_serves_the_repository_root_and_opens_00(lab):
    base, token, _root = lab
    with urllib.request.urlopen(f"{base}/?token={token}") as response:  # the URL `make lab` prints
        assert response.url.split("?")[0].endswith("/lab/tree/" + NOTEBOOK)
    with urllib.request.urlopen(f"{base}/files/images/04_lstm_cell.png?token={token}") as response:
        assert response.status == 200
        assert response.read(8) == b"\x89PNG\r\n\x1a\n"
    with urllib.request.urlopen(f"{base}/api/contents?token={token}") as response:
        names = {item["name"] for item in json.load(response)["content"]}
    assert {"README.md", "images", "notebooks"} <= names


def test_lab_runs_00_through_the_ui_without_errors(lab, browser):
    base, token, root = lab
    py_before = (root / "notebooks" / "00_start_here.py").read_bytes()
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    # JupyterLab may ask which kernel to use (first start) and whether to fetch news: answer as a
    # learner would, whenever the dialog or the toast shows up.
    page.add_locator_handler(
        page.get_by_role("dialog").filter(has_text="Select Kernel"),
        lambda dialog: dialog.get_by_role("button", name="Select").click(),
    )
    page.add_locator_handler(
        page.get_by_text("Would you like to get notified about official Jupyter news?"),
        lambda toast: page.get_by_role("button", name="No", exact=True).click(),
    )
    page.goto(f"{base}/?token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)  # the kernel is up
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    source = json.loads((root / NOTEBOOK).read_text(encoding="utf-8"))
    n_code = sum(c["cell_type"] == "code" for c in source["cells"])
    # every code cell gets an execution count ("[n]:"), none stays "[*]:" or "[ ]:"
    try:
        page.wait_for_function(
            """n => { const p = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
                      return p.length === n && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }""",
            arg=n_code,
            timeout=int(os.environ.get("COURSE_E2E_RUN_TIMEOUT", "300")) * 1000,
        )
    except Exception as exc:
        prompts = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        page.screenshot(path=str(root.parent / "lab-timeout.png"))
        raise AssertionError(
            f"cells did not all run; prompts: {prompts} (screenshot {root.parent}/lab-timeout.png)"
        ) from exc
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.keyboard.press("Control+s")
    saved = root / "notebooks" / "00_start_here.ipynb"
    deadline = time.time() + 30
    while time.time() < deadline and page.locator(".jp-mod-dirty").count():
        time.sleep(0.5)
    shots = ROOT / "_site" / "_screenshots"
    if shots.parent.is_dir():
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / "jupyterlab_00.png"))
    context.close()

    nb = json.loads(saved.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), "some cells were not run"
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"error outputs: {[e['ename'] + ': ' + e['evalue'] for e in errors]}"
    stderr = [o["text"] for c in code for o in c["outputs"] if o.get("name") == "stderr"]
    assert not stderr, f"stderr boxes (red in JupyterLab): {stderr}"
    text = "".join("".join(o.get("text", "")) for c in code for o in c["outputs"])
    assert "FAIL" not in text and "ok   Keras 3" in text.replace("ok  Keras", "ok   Keras"), text[
        -2000:
    ]
    # saving from JupyterLab left the paired .py byte-identical (stable pairing)
    assert (root / "notebooks" / "00_start_here.py").read_bytes() == py_before
