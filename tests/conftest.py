"""Shared fixtures: an isolated data directory, profile control, no network, a local HTTP server."""

from __future__ import annotations

import functools
import hashlib
import http.server
import socket
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from support import tar_gz

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


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_connect = socket.socket.connect


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network: a connection to anything but this machine fails loudly."""

    def connect(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOOPBACK:
            raise OSError(f"tests must not touch the network (tried to connect to {address!r})")
        _connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


class _Handler(http.server.SimpleHTTPRequestHandler):
    truncate: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
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
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}", truncate
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_registry(http_dir, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every registry file replaced by a tiny one served on 127.0.0.1 (online, 3 IMDB reviews per folder)."""
    folder, base, _ = http_dir
    payloads = {
        "nsmc_train": "id\tdocument\tlabel\n1\t재밌다\t1\n2\t별로\t0\n3\t최고\t1\n".encode(),
        "nsmc_test": "id\tdocument\tlabel\n4\t좋아요\t1\n5\t지루\t0\n".encode(),
        "imdb_archive": tar_gz(
            {
                f"aclImdb/{split}/{label}/{i}_{rating}.txt": f"{split} {label} review {i}".encode()
                for split in ("train", "test")
                for label, rating in (("pos", 8), ("neg", 3))
                for i in range(3)
            }
        ),
    }
    assert set(payloads) == set(data.REGISTRY), "fake_registry must fake every registry file"
    for key, payload in payloads.items():
        (folder / key).write_bytes(payload)
        spec = data.RemoteFile(
            f"{base}/{key}",
            data.REGISTRY[key].path,
            hashlib.sha256(payload).hexdigest(),
            len(payload),
        )
        monkeypatch.setitem(data.REGISTRY, key, spec)
    monkeypatch.setattr(data, "IMDB_MIN_FILES_PER_FOLDER", 3)
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    return payloads
