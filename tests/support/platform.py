"""Fixtures: the reference platform as a real subprocess on a loopback port.

``platform_factory(start=True)`` makes a :class:`PlatformProcess` with its keys already
created (so a kiosk can seal to it before it ever runs); ``.stop()`` and ``.start()``
restart it on the same port and data directory. ``reference_platform`` is one started
platform per test.
"""

from __future__ import annotations

import contextlib
import os
import socket
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from sync.sealing import key_id_of
from sync.server.keys import load_or_create_keys

__all__ = [
    "PlatformProcess",
    "ScriptedHTTPServer",
    "free_port",
    "platform_factory",
    "reference_platform",
    "reply",
    "scripted_server",
]

_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PlatformProcess:
    """One reference platform: keys on disk now, a server process when started."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.private_key: X25519PrivateKey = load_or_create_keys(self.data_dir)
        self.public_key: X25519PublicKey = self.private_key.public_key()
        self.key_id = key_id_of(self.public_key)
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_path = self.data_dir / "platform.db"
        self.log_path = self.data_dir / "server.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 15.0) -> PlatformProcess:
        """Start the server (same port, same data) and wait until /v1/health answers."""
        if self.running:
            return self
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kiosk.cli",  # the `kiosk server` command, as a deployment runs it
                    "server",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--data-dir",
                    str(self.data_dir),
                ],
                cwd=_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"platform exited early: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/v1/health", timeout=0.5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("platform did not become healthy in time")

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate the server process (kill it if it does not stop in time)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)

    def records(self) -> list[dict[str, Any]]:
        """Every stored transaction, read straight from the platform's SQLite file."""
        if not self.db_path.exists():
            return []
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        try:
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT * FROM transactions ORDER BY received_at").fetchall()
        except sqlite3.OperationalError:  # table not created yet
            return []
        finally:
            conn.close()
        return [dict(row) for row in rows]


@pytest.fixture
def platform_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., PlatformProcess]]:
    """Make platforms (started or not); all are stopped at the end of the test."""
    made: list[PlatformProcess] = []

    def make(start: bool = True) -> PlatformProcess:
        platform = PlatformProcess(tmp_path_factory.mktemp("platform"))
        made.append(platform)
        return platform.start() if start else platform

    yield make
    for platform in made:
        platform.stop()


@pytest.fixture
def reference_platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    """One running reference platform."""
    return platform_factory()


class ScriptedHTTPServer:
    """A deliberately misbehaving HTTP server on loopback: each request gets ``script(wfile)``.

    For client tests that need a platform that trickles, floods or talks nonsense, which
    the real reference platform never does.
    """

    def __init__(self) -> None:
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                length = 0
                while True:
                    line = self.rfile.readline(65536)
                    if not line or line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length:
                    self.rfile.read(length)
                owner.requests += 1
                # OSError: the client gave up, which is what some tests want
                with contextlib.suppress(OSError):
                    owner.script(self.wfile)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.requests = 0
        self.script: Callable[[Any], None] = lambda wfile: reply(wfile, 200, b"{}")
        self._server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def reply(wfile: Any, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    """Write one complete HTTP/1.1 response."""
    head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
    wfile.flush()


@pytest.fixture
def scripted_server() -> Iterator[ScriptedHTTPServer]:
    """A loopback HTTP server whose answers the test scripts."""
    server = ScriptedHTTPServer()
    yield server
    server.close()
