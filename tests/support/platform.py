"""Fixtures: the reference platform as a real subprocess on a loopback port.

``platform_factory(start=True)`` makes a :class:`PlatformProcess` with its keys already
created (so a kiosk can seal to it before it ever runs); ``.stop()`` and ``.start()``
restart it on the same port and data directory. ``reference_platform`` is one started
platform per test.

``platform_factory(require_signatures=True)`` runs it as production does (signed requests
only; the default still passes ``--allow-unsigned`` until the kiosk app signs), and
``tls=ca.issue_server_cert()`` serves HTTPS. ``platform.enrol(kiosk_id, identity_dir)``
gives a kiosk an identity the way ``kiosk keys init`` + ``kiosk enroll`` will, and returns
an :class:`EnrolledKiosk` that makes signed clients; ``code="K0451"`` records the kiosk code
its tracking numbers carry (the platform takes no tracking number from a kiosk without one),
``reinstate=True`` is the operator's word that a revoked kiosk may enrol again.
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

from sync.kiosk_keys import (
    KioskIdentity,
    PlatformKeys,
    enroll,
    load_or_create_identity,
    save_platform_keys,
)
from sync.platform.client import PlatformClient
from sync.platform.signing import ed25519_key_id, ed25519_public_key_text
from sync.sealing import key_id_of, public_key_text
from sync.server.keys import load_or_create_catalogue_key, load_or_create_keys
from sync.server.registry import KioskRegistry
from sync.server.store import make_engine
from tests.support.tls import ServerCert

__all__ = [
    "EnrolledKiosk",
    "PlatformProcess",
    "RecordedRequest",
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


class EnrolledKiosk:
    """A kiosk identity registered with a platform, and the platform keys it pinned."""

    def __init__(
        self,
        platform: PlatformProcess,
        kiosk_id: str,
        identity: KioskIdentity,
        keys: PlatformKeys,
        identity_dir: Path,
    ) -> None:
        self.platform = platform
        self.kiosk_id = kiosk_id
        self.identity = identity
        self.keys = keys
        self.identity_dir = identity_dir

    def client(self, **kwargs: Any) -> PlatformClient:
        """A signed client; ``clock``/``random_bytes`` go to the signer, the rest to the client."""
        signer_options = {k: kwargs.pop(k) for k in ("clock", "random_bytes") if k in kwargs}
        return PlatformClient(
            self.platform.url,
            self.kiosk_id,
            signer=self.identity.signer(self.kiosk_id, **signer_options),
            ca_bundle=self.platform.ca_bundle,
            **kwargs,
        )


class PlatformProcess:
    """One reference platform: keys on disk now, a server process when started."""

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        *,
        require_signatures: bool = False,
        tls: ServerCert | None = None,
        ca_bundle: Path | None = None,
        health_check: bool = True,
        server_args: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.private_key: X25519PrivateKey = load_or_create_keys(self.data_dir)
        self.public_key: X25519PublicKey = self.private_key.public_key()
        self.key_id = key_id_of(self.public_key)
        self.catalogue_key = load_or_create_catalogue_key(self.data_dir)
        self.require_signatures = require_signatures
        self.tls = tls
        self.ca_bundle = ca_bundle
        self.health_check = health_check  # False: ready once it says it listens (bad certs)
        self.server_args = tuple(server_args)  # more `kiosk server` options, as an operator adds
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.db_path = self.data_dir / "platform.db"
        self.database_url = f"sqlite:///{self.db_path}"
        self.log_path = self.data_dir / "server.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def platform_keys(self) -> dict[str, str]:
        """The keys enrolment hands out, as text (what a kiosk pins)."""
        catalogue = self.catalogue_key.public_key()
        return {
            "sealing_key": public_key_text(self.public_key),
            "sealing_key_id": self.key_id,
            "catalogue_key": ed25519_public_key_text(catalogue),
            "catalogue_key_id": ed25519_key_id(catalogue),
        }

    def _registry(self) -> tuple[KioskRegistry, Any]:
        engine = make_engine(self.database_url)
        return KioskRegistry(engine), engine

    def issue_token(
        self,
        kiosk_id: str,
        ttl_seconds: float = 3600.0,
        *,
        code: str | None = None,
        reinstate: bool = False,
    ) -> str:
        """An enrolment token, issued straight in the platform database (operator's view)."""
        registry, engine = self._registry()
        try:
            return registry.issue_token(
                kiosk_id, ttl_seconds, kiosk_code=code, reinstate=reinstate
            )
        finally:
            engine.dispose()

    def revoke(self, kiosk_id: str) -> bool:
        registry, engine = self._registry()
        try:
            return registry.revoke(kiosk_id)
        finally:
            engine.dispose()

    def enrol(
        self,
        kiosk_id: str,
        identity_dir: Path,
        *,
        code: str | None = None,
        reinstate: bool = False,
    ) -> EnrolledKiosk:
        """Create the kiosk key in ``identity_dir``, enrol it, pin the platform keys there.

        Over HTTP with a one-time token when the platform runs; registered straight in its
        database when it does not (a kiosk provisioned before the platform is up).
        """
        identity = load_or_create_identity(identity_dir)
        if self.running:
            token = self.issue_token(kiosk_id, code=code, reinstate=reinstate)
            keys = enroll(self.url, token, identity, kiosk_id, ca_bundle=self.ca_bundle)
        else:
            registry, engine = self._registry()
            try:
                registry.register(kiosk_id, identity.public_key, reinstate=reinstate)
                if code is not None:
                    registry.codes.assign(kiosk_id, code)
            finally:
                engine.dispose()
            keys = PlatformKeys(kiosk_id=kiosk_id, server_time=time.time(), **self.platform_keys)
        save_platform_keys(identity_dir, keys)
        return EnrolledKiosk(self, kiosk_id, identity, keys, Path(identity_dir))

    def operator(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``kiosk server <args> --data-dir DIR [--database-url URL]``, as an operator types it."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "kiosk.cli", "server", *args]
        command += ["--data-dir", str(self.data_dir), "--database-url", self.database_url]
        return subprocess.run(
            command, cwd=_ROOT, env=env, capture_output=True, text=True, timeout=60
        )

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 15.0) -> PlatformProcess:
        """Start the server (same port, same data) and wait until /v1/health answers."""
        if self.running:
            return self
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                self._command(),
                cwd=_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"platform exited early: {self.log_path.read_text()[-2000:]}")
            if not self.health_check:  # it binds before it says so: connections will queue
                with open(self.log_path, "rb") as log:
                    log.seek(log_start)
                    if b"platform listening on" in log.read():
                        return self
                time.sleep(0.05)
                continue
            try:
                verify: str | bool = str(self.ca_bundle) if self.ca_bundle else True
                health = requests.get(f"{self.url}/v1/health", timeout=0.5, verify=verify)
                if health.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("platform did not become healthy in time")

    def _command(self) -> list[str]:
        """The `kiosk server` command, as a deployment runs it."""
        return [sys.executable, "-m", "kiosk.cli", "server", "--host", "127.0.0.1",
                "--port", str(self.port), "--data-dir", str(self.data_dir),
                *self._server_options()]

    def _server_options(self) -> list[str]:
        options = ["--shutdown-timeout", "1"]  # idle TLS keep-alives would hold it up
        options += [] if self.require_signatures else ["--allow-unsigned"]
        if self.tls is not None:
            options += ["--tls-cert", str(self.tls.cert), "--tls-key", str(self.tls.key)]
        return options + list(self.server_args)

    @property
    def pid(self) -> int:
        """Process id of the running server (to watch its memory)."""
        if self._proc is None:
            raise RuntimeError("platform is not running")
        return self._proc.pid

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

    def make(start: bool = True, **options: Any) -> PlatformProcess:
        platform = PlatformProcess(tmp_path_factory.mktemp("platform"), **options)
        made.append(platform)
        return platform.start() if start else platform

    yield make
    for platform in made:
        platform.stop()


@pytest.fixture
def reference_platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    """One running reference platform."""
    return platform_factory()


class RecordedRequest:
    """What the scripted server last received: request line, headers, body."""

    def __init__(self, line: str, headers: dict[str, str], body: bytes) -> None:
        self.method, self.target = line.split(" ")[:2] if line.count(" ") >= 1 else ("", "")
        self.headers = headers
        self.body = body


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
                request_line = self.rfile.readline(65536).decode("latin-1").strip()
                headers: dict[str, str] = {}
                while True:
                    line = self.rfile.readline(65536)
                    if not line or line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip()] = value.strip()
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                body = self.rfile.read(length) if length else b""
                owner.last_request = RecordedRequest(request_line, headers, body)
                owner.requests += 1
                # OSError: the client gave up, which is what some tests want
                with contextlib.suppress(OSError):
                    owner.script(self.wfile)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.requests = 0
        self.last_request: RecordedRequest | None = None
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
