"""Shared fixtures: an isolated data directory, profile control and a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

import helpers.data as data


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty data and results directories, offline, notices reset."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    data._noticed.clear()
    data._served.clear()  # what the loaders served is per process: start every test clean
    return tmp_path


class _Handler(http.server.SimpleHTTPRequestHandler):
    truncate: dict[str, int] = {}

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802
        name = self.path.lstrip("/")
        if name in self.truncate:  # announce the full size, send part of it, hang up
            body = (Path(self.directory) / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: self.truncate[name]])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def http_dir(tmp_path: Path):
    """Serve a folder on 127.0.0.1; yields (folder, base_url, truncate_map)."""
    folder = tmp_path / "www"
    folder.mkdir()
    truncate: dict[str, int] = {}
    handler = type("H", (_Handler,), {"truncate": truncate})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}", truncate
    server.shutdown()
    server.server_close()
