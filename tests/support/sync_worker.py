"""Helpers for the sync worker's tests: a recorder of its callbacks, records to send, jitter
pinned to one value, and a loopback platform whose answers the test computes.

Used by ``tests/integration/test_sync_*.py``, ``test_outbox_write_path.py`` and
``tests/unit/test_sync_link.py``.
"""

from __future__ import annotations

import http.server
import json
import os
import random
import threading
import time
from collections.abc import Callable

from sync.outbox.store import Outbox
from sync.sealing import seal
from sync.uuid7 import uuid7
from sync.worker import SyncCallbacks
from tests.support.platform import PlatformProcess

RECEIPT = {"name": "张*", "id_number": "2301**********001X"}


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


class Recorder:
    """Collects callback calls from the worker thread."""

    def __init__(self) -> None:
        self.acked: list[str] = []
        self.failures: list[str] = []
        self.quarantined: list[tuple[str, str]] = []
        self.callbacks = SyncCallbacks(
            sync_did_ack=self.acked.extend,
            sync_did_fail=self.failures.append,
            sync_did_quarantine=lambda txid, reason: self.quarantined.append((txid, reason)),
        )


def submit(outbox: Outbox, platform: PlatformProcess, payload: bytes = b"form") -> str:
    """Enqueue one record sealed to ``platform``'s key, as the kiosk's submit does."""
    txid = str(uuid7())
    envelope = seal(payload, platform.public_key, platform.key_id, {"service": "SS-001"})
    outbox.enqueue(txid, "SS-001", envelope, RECEIPT, "20261121")
    return txid


def enqueue_plain(outbox: Outbox, size: int = 200) -> str:
    """Enqueue one record of random bytes (for a platform that does not open envelopes)."""
    txid = str(uuid7())
    outbox.enqueue(txid, "SS-001", os.urandom(size), RECEIPT, "20261121")
    return txid


class FixedRandom(random.Random):
    """Jitter pinned to one value, so a delay is exact."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


Handler = Callable[[str, str, bytes], tuple[int, dict[str, str], bytes]]


class RoutedServer:
    """A loopback HTTP server whose answer the test computes from method, path and body."""

    def __init__(self, handle: Handler, port: int = 0) -> None:
        owner = self
        self.handle = handle
        self.calls: list[tuple[str, str]] = []

        class RequestHandler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.calls.append((self.command, self.path))
                status, headers, content = owner.handle(self.command, self.path, body)
                self.send_response(status)
                for name, value in {"Content-Length": str(len(content)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content)

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                self._answer()

            def do_POST(self) -> None:  # noqa: N802
                self._answer()

            def log_message(self, *args: object) -> None:
                return None

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), RequestHandler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def uploads(self) -> int:
        return sum(1 for _, path in self.calls if path.endswith("/batch"))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def accept_all(body: bytes) -> bytes:
    """The platform's answer to a batch: every item accepted."""
    items = json.loads(body)["items"]
    return json.dumps({"results": [{"id": i["id"], "verdict": "accepted"} for i in items]}).encode()


def health_ok(method: str, path: str) -> tuple[int, dict[str, str], bytes] | None:
    """The answer to a health check, or None for any other request."""
    if path.endswith("/health"):
        return 200, {}, b'{"status": "ok", "version": "1"}'
    return None
