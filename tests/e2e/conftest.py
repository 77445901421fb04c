"""Browser tests (`make e2e`): Playwright driving Debian's Chromium, never a downloaded browser.

Skipped unless COURSE_E2E=1 (set by `make e2e`), so `make test` stays fast; skipped with the
reason when Chromium, Playwright or the built site is missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Headless and quiet: no GPU, no sandbox (root in containers), no calls home (the network is closed).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("COURSE_E2E") == "1":
        return
    skip = pytest.mark.skip(
        reason="browser tests run with `make e2e` (COURSE_E2E=1; needs Debian's chromium)"
    )
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("COURSE_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "Chromium not found: `apt-get install chromium` (Debian), or set COURSE_CHROMIUM=/path"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="pip install -r requirements-e2e.txt (make e2e does)"
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    folder = Path(os.environ.get("COURSE_SITE_DIR") or ROOT / "_site")
    if not folder.is_absolute():
        folder = ROOT / folder
    if not (folder / "index.html").is_file():
        pytest.skip(f"no built site in {folder}: run `make site` (make e2e does)")
    return folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    """The built site served on 127.0.0.1 (a free port)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
