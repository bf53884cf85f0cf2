"""The connection is reset after the platform committed the batch: the kiosk never heard the
verdicts, so it sends again, and the platform answers ``duplicate`` instead of storing twice."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.sealing import key_id_of, seal
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.platform import PlatformProcess


class ResettingProxy:
    """Loopback HTTP proxy: forwards each request, waits for the platform's whole answer
    (so the platform has committed), then either forwards it or resets the connection."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.reset_next = 0  # how many answers to swallow with a reset
        self.resets = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    @staticmethod
    def _read_request(client: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return b""
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            body += client.recv(65536)
        lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
        return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body

    def _handle(self, client: socket.socket) -> None:
        with client:
            client.settimeout(10)
            request = self._read_request(client)
            if not request:
                return
            with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10) as up:
                up.sendall(request)
                answer = b""
                while chunk := up.recv(65536):
                    answer += chunk
            if self.reset_next > 0:
                self.reset_next -= 1
                self.resets += 1
                # SO_LINGER 0: close sends RST, as a failing router or NAT would.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            client.sendall(answer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._listener.close()


@pytest.fixture
def proxy(reference_platform: PlatformProcess) -> Iterator[ResettingProxy]:
    p = ResettingProxy(reference_platform.port)
    yield p
    p.close()


def test_reset_after_commit_is_resent_and_answered_duplicate(
    tmp_path: Path, reference_platform: PlatformProcess, proxy: ResettingProxy
) -> None:
    key = reference_platform.public_key
    outbox = Outbox(tmp_path / "outbox.sqlite")
    ids = []
    for n in range(3):
        txid = str(uuid7())
        envelope = seal(b"{}", key, key_id_of(key), {"txid": txid})
        outbox.enqueue(txid, "SS-001", envelope, {"tracking_number": f"T{n}"}, "20261121")
        ids.append(txid)
    client = PlatformClient(f"http://127.0.0.1:{proxy.port}", "K0451", timeout=5.0)
    worker = SyncWorker(outbox, client, interval=0.1, backoff_base=0.01, backoff_cap=0.01)
    try:
        proxy.reset_next = 1
        assert worker.drain() == 0  # the platform stored the batch, the kiosk heard nothing
        assert proxy.resets == 1
        assert sorted(r["id"] for r in reference_platform.records()) == sorted(ids)
        assert {outbox.get(t).state for t in ids} == {"pending"}

        worker.probe()  # the platform answers its health check: the batch goes again
        assert worker.drain() == 3
        records = reference_platform.records()
        assert sorted(r["id"] for r in records) == sorted(ids)  # stored once each
        assert {outbox.get(t).verdict for t in ids} == {"duplicate"}
        assert {outbox.get(t).state for t in ids} == {"acked"}
    finally:
        outbox.close()
        client.close()
