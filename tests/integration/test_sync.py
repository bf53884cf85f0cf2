"""Platform client and sync worker against the real reference platform subprocess."""

from __future__ import annotations

import http.server
import json
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sync.outbox.policy import Retention
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformError, PlatformProtocolError, PlatformUnavailable
from sync.platform.protocol import ItemResult
from sync.sealing import open_envelope, seal
from sync.uuid7 import uuid7
from sync.worker import SyncCallbacks, SyncWorker
from tests.support.clock import FakeClock
from tests.support.platform import PlatformProcess, ScriptedHTTPServer, free_port, reply

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


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "kiosk" / "outbox.db")
    yield box
    box.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_worker(outbox: Outbox, recorder: Recorder) -> Iterator[Callable[..., SyncWorker]]:
    workers: list[SyncWorker] = []

    def make(url: str, **kwargs: Any) -> SyncWorker:
        client = PlatformClient(url, "K0451", timeout=kwargs.pop("timeout", 2.0))
        options = {"interval": 0.2, "backoff_base": 0.1, "backoff_cap": 0.4, **kwargs}
        worker = SyncWorker(outbox, client, callbacks=recorder.callbacks, **options)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        assert worker.stop(5.0)


def submit(outbox: Outbox, platform: PlatformProcess, payload: bytes = b"form") -> str:
    txid = str(uuid7())
    envelope = seal(payload, platform.public_key, platform.key_id, {"service": "SS-001"})
    outbox.enqueue(txid, "SS-001", envelope, RECEIPT, "20261121")
    return txid


def test_worker_drains_outbox_to_platform(
    outbox: Outbox,
    reference_platform: PlatformProcess,
    make_worker: Callable[..., SyncWorker],
    recorder: Recorder,
) -> None:
    ids = [submit(outbox, reference_platform, f"form {n}".encode()) for n in range(7)]
    worker = make_worker(reference_platform.url, batch_items=3)
    worker.start()
    worker.wake()
    wait_for(lambda: outbox.counts()["acked"] == 7)
    stored = {row["id"]: row for row in reference_platform.records()}
    assert set(stored) == set(ids)
    for txid in ids:
        record = outbox.get(txid)
        assert record is not None and record.verdict == "accepted"
        assert stored[txid]["payload_hash"] == record.payload_hash
        assert stored[txid]["kiosk_id"] == "K0451"
        meta, _ = open_envelope(stored[txid]["envelope"], reference_platform.private_key)
        assert meta == {"service": "SS-001"}
    assert sorted(recorder.acked) == sorted(ids)
    assert worker.last_error is None and worker.last_success_at is not None


def test_wake_syncs_a_new_record_without_waiting_for_the_interval(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    worker = make_worker(reference_platform.url, interval=30.0)
    worker.start()
    time.sleep(0.2)  # let the first (empty) round finish so only wake() can start another
    txid = submit(outbox, reference_platform)
    worker.wake()
    wait_for(lambda: outbox.get(txid).state == "acked", timeout=5.0)  # type: ignore[union-attr]


def test_resent_record_is_duplicate_and_stored_once(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    txid = submit(outbox, reference_platform)
    worker = make_worker(reference_platform.url)
    assert worker.drain() == 1
    conn = sqlite3.connect(outbox.path)  # as if the ack had been lost in a crash
    conn.execute("UPDATE outbox SET state = 'pending', verdict = NULL WHERE id = ?", [txid])
    conn.commit()
    conn.close()
    assert worker.drain() == 1
    record = outbox.get(txid)
    assert record is not None and record.state == "acked" and record.verdict == "duplicate"
    assert [row["id"] for row in reference_platform.records()] == [txid]


def test_platform_down_at_submit_then_started_later_drains(
    outbox: Outbox,
    platform_factory: Callable[..., PlatformProcess],
    make_worker: Callable[..., SyncWorker],
    recorder: Recorder,
) -> None:
    platform = platform_factory(start=False)
    ids = [submit(outbox, platform) for _ in range(3)]
    worker = make_worker(platform.url)
    worker.start()
    worker.wake()
    wait_for(lambda: len(recorder.failures) >= 2)
    assert outbox.counts()["quarantined"] == 0
    record = outbox.get(ids[0])
    assert record is not None and record.state in ("pending", "sending")
    assert record.last_error or record.state == "sending"
    assert worker.last_error is not None
    platform.start()
    wait_for(lambda: outbox.counts()["acked"] == 3, timeout=15.0)
    assert {row["id"] for row in platform.records()} == set(ids)


def test_platform_back_ends_a_long_backoff_within_an_interval(
    outbox: Outbox,
    platform_factory: Callable[..., PlatformProcess],
    make_worker: Callable[..., SyncWorker],
    recorder: Recorder,
) -> None:
    platform = platform_factory(start=False)
    txid = submit(outbox, platform)
    worker = make_worker(platform.url, backoff_base=600.0, backoff_cap=600.0, rng=random.Random(3))
    worker.start()
    worker.wake()
    wait_for(lambda: len(recorder.failures) >= 1)
    assert worker.health().retry_at is not None  # a long backoff: of the link, not the record
    platform.start()
    wait_for(lambda: outbox.get(txid).state == "acked", timeout=5.0)  # type: ignore[union-attr]
    assert len(recorder.failures) == 1  # the probe, not repeated uploads, found it back


def test_platform_restart_mid_run_keeps_draining(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    worker = make_worker(reference_platform.url)
    worker.start()
    first = submit(outbox, reference_platform)
    worker.wake()
    wait_for(lambda: outbox.get(first).state == "acked")  # type: ignore[union-attr]
    reference_platform.stop()
    second = submit(outbox, reference_platform)
    worker.wake()
    wait_for(lambda: worker.last_error is not None)
    reference_platform.start()
    wait_for(lambda: outbox.get(second).state == "acked", timeout=15.0)  # type: ignore[union-attr]
    assert len(reference_platform.records()) == 2


def test_conflict_is_quarantined_and_does_not_block_the_rest(
    outbox: Outbox,
    reference_platform: PlatformProcess,
    make_worker: Callable[..., SyncWorker],
    recorder: Recorder,
) -> None:
    clash = submit(outbox, reference_platform)
    other = seal(b"another", reference_platform.public_key, reference_platform.key_id, {})
    client = PlatformClient(reference_platform.url, "K9999")
    assert client.upload([(clash, other)])[clash].verdict == "accepted"
    after = submit(outbox, reference_platform)
    assert make_worker(reference_platform.url).drain() == 1
    parked = outbox.get(clash)
    assert parked is not None and parked.state == "quarantined" and parked.verdict == "conflict"
    assert outbox.get(after).state == "acked"  # type: ignore[union-attr]
    assert recorder.quarantined == [(clash, "same id, different payload")]


def test_envelope_for_another_key_is_rejected_and_quarantined(
    outbox: Outbox,
    platform_factory: Callable[..., PlatformProcess],
    make_worker: Callable[..., SyncWorker],
) -> None:
    platform, stranger = platform_factory(), platform_factory(start=False)
    wrong = submit(outbox, stranger)
    make_worker(platform.url).drain()
    record = outbox.get(wrong)
    assert record is not None and record.state == "quarantined" and record.verdict == "rejected"
    assert platform.records() == []


def test_oversize_record_is_quarantined_without_upload(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    big = submit(outbox, reference_platform, b"x" * 5000)
    small = submit(outbox, reference_platform)
    make_worker(reference_platform.url, max_item_bytes=2000).drain()
    assert outbox.get(big).verdict == "too_large"  # type: ignore[union-attr]
    assert [row["id"] for row in reference_platform.records()] == [small]


def test_server_errors_back_off_and_never_quarantine(
    outbox: Outbox,
    scripted_server: ScriptedHTTPServer,
    make_worker: Callable[..., SyncWorker],
    platform_factory: Callable[..., PlatformProcess],
    recorder: Recorder,
) -> None:
    scripted_server.script = lambda w: reply(w, 503, b"down", {"Retry-After": "0"})
    txid = submit(outbox, platform_factory(start=False))
    worker = make_worker(scripted_server.url)
    worker.start()
    worker.wake()
    wait_for(lambda: len(recorder.failures) >= 3)
    assert worker.stop(5.0)
    record = outbox.get(txid)
    assert record is not None and record.state == "pending" and record.attempts >= 3
    assert "503" in (record.last_error or "")
    assert worker.consecutive_failures >= 3
    assert all("503" in text for text in recorder.failures)


def test_worker_stops_promptly_while_idle(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    worker = make_worker(reference_platform.url, interval=60.0)
    worker.start()
    time.sleep(0.1)
    started = time.monotonic()
    assert worker.stop(2.0)
    assert time.monotonic() - started < 1.0
    assert not worker.running


def test_client_ping_reflects_platform_state(platform_factory: Callable[..., Any]) -> None:
    platform = platform_factory(start=False)
    client = PlatformClient(platform.url, "K0451")
    assert client.ping() is False
    platform.start()
    assert client.ping() is True


def test_client_raises_unavailable_when_nothing_listens() -> None:
    client = PlatformClient(f"http://127.0.0.1:{free_port()}", "K0451", timeout=1.0)
    with pytest.raises(PlatformUnavailable):
        client.upload([(str(uuid7()), b"{}")])


def test_client_gives_up_on_a_trickling_server_at_its_deadline(
    scripted_server: ScriptedHTTPServer,
) -> None:
    stop = threading.Event()

    def trickle(wfile: Any) -> None:
        wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        wfile.flush()
        while not stop.wait(0.1):  # one byte well inside every socket timeout
            wfile.write(b" ")
            wfile.flush()

    scripted_server.script = trickle
    client = PlatformClient(scripted_server.url, "K0451", timeout=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(PlatformUnavailable, match="deadline"):
            client.upload([(str(uuid7()), b"{}")])
    finally:
        stop.set()
    assert time.monotonic() - started < 2.5


def test_client_refuses_a_huge_response(scripted_server: ScriptedHTTPServer) -> None:
    scripted_server.script = lambda w: reply(w, 200, b"[" + b" " * (2 * 1024 * 1024) + b"]")
    with pytest.raises(PlatformProtocolError, match="too large"):
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])


def test_client_refuses_a_huge_chunked_response(scripted_server: ScriptedHTTPServer) -> None:
    def flood(wfile: Any) -> None:
        wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b" " * 65536
        for _ in range(40):
            wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        wfile.write(b"0\r\n\r\n")
        wfile.flush()

    scripted_server.script = flood
    with pytest.raises(PlatformProtocolError, match="too large"):
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"results": "x"}', b'{"results": [{"id": "a", "verdict": "maybe"}]}'],
)
def test_client_raises_protocol_error_on_nonsense(
    scripted_server: ScriptedHTTPServer, body: bytes
) -> None:
    scripted_server.script = lambda w: reply(w, 200, body)
    with pytest.raises(PlatformProtocolError):
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])


@pytest.mark.parametrize("name", ["Retry-After", "retry-after"])
def test_client_reports_retry_after_on_429(scripted_server: ScriptedHTTPServer, name: str) -> None:
    """Header names are case-insensitive: uvicorn and HTTP/2 proxies send them lower-case."""
    scripted_server.script = lambda w: reply(w, 429, b"", {name: "7"})
    with pytest.raises(PlatformUnavailable) as caught:
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])
    assert caught.value.retry_after == 7.0


def test_client_returns_only_verdicts_for_ids_it_sent(scripted_server: ScriptedHTTPServer) -> None:
    mine = str(uuid7())
    body = (
        b'{"results": [{"id": "%s", "verdict": "duplicate", "reason": null},'
        b' {"id": "stranger", "verdict": "accepted"}]}' % mine.encode()
    )
    scripted_server.script = lambda w: reply(w, 200, body)
    results = PlatformClient(scripted_server.url, "K0451").upload([(mine, b"{}")])
    assert results == {mine: ItemResult("duplicate", None)}


# -- worker policy with an injected clock and rng (no waiting) ------------------------------


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
    items = json.loads(body)["items"]
    return json.dumps({"results": [{"id": i["id"], "verdict": "accepted"} for i in items]}).encode()


@pytest.fixture
def routed() -> Iterator[Callable[..., RoutedServer]]:
    servers: list[RoutedServer] = []

    def make(handle: Handler, port: int = 0) -> RoutedServer:
        servers.append(RoutedServer(handle, port))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def timed(tmp_path: Path) -> Iterator[tuple[Outbox, FakeClock]]:
    clock = FakeClock()
    box = Outbox(tmp_path / "timed" / "outbox.db", clock=clock)
    yield box, clock
    box.close()


def enqueue_plain(outbox: Outbox, size: int = 200) -> str:
    txid = str(uuid7())
    outbox.enqueue(txid, "SS-001", os.urandom(size), RECEIPT, "20261121")
    return txid


def health_ok(method: str, path: str) -> tuple[int, dict[str, str], bytes] | None:
    if path.endswith("/health"):
        return 200, {}, b'{"status": "ok", "version": "1"}'
    return None


def test_retry_after_is_honoured_and_not_cut_short_by_the_health_probe(
    timed: tuple[Outbox, FakeClock], routed: Callable[[Handler], RoutedServer]
) -> None:
    outbox, clock = timed
    busy = {"on": True}

    def handle(method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if (ok := health_ok(method, path)) is not None:
            return ok
        if busy["on"]:
            return 429, {"Retry-After": "120"}, b""
        return 200, {}, accept_all(body)

    server = routed(handle)
    txid = enqueue_plain(outbox)
    client = PlatformClient(server.url, "K0451", timeout=2.0)
    worker = SyncWorker(outbox, client, backoff_base=1.0, backoff_cap=30.0, rng=FixedRandom(0.5))
    assert worker.drain() == 0
    record = outbox.get(txid)
    assert record is not None and record.state == "pending"
    assert worker.health().retry_at == clock.wall + timedelta(seconds=120)  # not the 0.5 s jitter
    assert worker.last_error_kind == "busy" and "429" in (worker.last_error or "")
    busy["on"] = False
    clock.advance(119)
    worker.probe()  # the platform answers its health check: still wait
    assert worker.drain() == 0 and server.uploads() == 1
    clock.advance(1)
    assert worker.drain() == 1 and server.uploads() == 2
    assert worker.last_error is None and worker.last_error_kind is None


def test_absurd_retry_after_is_bounded(
    timed: tuple[Outbox, FakeClock], routed: Callable[[Handler], RoutedServer]
) -> None:
    outbox, clock = timed
    server = routed(lambda m, p, b: (503, {"Retry-After": "9999999"}, b""))
    txid = enqueue_plain(outbox)
    client = PlatformClient(server.url, "K0451", timeout=2.0)
    worker = SyncWorker(outbox, client, max_retry_after=600.0, rng=FixedRandom(0.0))
    worker.drain()
    assert worker.health().retry_at == clock.wall + timedelta(seconds=600)
    assert outbox.get(txid).state == "pending"  # type: ignore[union-attr]


def test_backoff_grows_exponentially_with_injected_jitter_up_to_the_cap(
    timed: tuple[Outbox, FakeClock], routed: Callable[[Handler], RoutedServer]
) -> None:
    outbox, clock = timed
    server = routed(lambda m, p, b: (500, {}, b"oops"))
    txid = enqueue_plain(outbox)
    client = PlatformClient(server.url, "K0451", timeout=2.0)
    worker = SyncWorker(outbox, client, backoff_base=2.0, backoff_cap=20.0, rng=FixedRandom(0.5))
    delays = []
    for _ in range(6):
        worker.drain()
        due = worker.health().retry_at
        assert due is not None
        delays.append((due - clock.wall).total_seconds())
        clock.advance(delays[-1])
    assert delays == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]  # half of min(cap, base * 2**n)
    assert worker.last_error_kind == "server_error" and worker.consecutive_failures == 6
    assert outbox.counts()["quarantined"] == 0
    record = outbox.get(txid)  # the link backs off; the record carries no retry time of its own
    assert record is not None and record.state == "pending" and record.next_attempt_at is None


def test_refused_signature_or_clock_skew_backs_off_and_never_quarantines(
    timed: tuple[Outbox, FakeClock], routed: Callable[[Handler], RoutedServer]
) -> None:
    outbox, clock = timed
    refusal = json.dumps({"detail": "clock skew", "reason": "clock_skew"}).encode()
    server = routed(lambda m, p, b: (401, {"Content-Type": "application/json"}, refusal))
    ids = [enqueue_plain(outbox) for _ in range(3)]
    client = PlatformClient(server.url, "K0451", timeout=2.0)
    worker = SyncWorker(outbox, client, rng=FixedRandom(0.1))
    for _ in range(3):
        worker.drain()
        clock.advance(1.0)  # past the link's backoff (at most 0.4 s with this jitter)
    assert {outbox.get(t).state for t in ids} == {"pending"}  # type: ignore[union-attr]
    assert worker.last_error_kind == "auth:clock_skew"
    assert server.uploads() == 3


class _NewKindOfPlatformError(PlatformError):
    """Stands for an error type the client may add later."""


class _ClientWithNewError(PlatformClient):
    def upload(
        self, records: list[tuple[str, bytes]], query_codes: Mapping[str, str] | None = None
    ) -> dict[str, ItemResult]:
        raise _NewKindOfPlatformError("something new went wrong")


def test_any_future_platform_error_backs_off_and_never_quarantines(
    timed: tuple[Outbox, FakeClock],
) -> None:
    outbox, _ = timed
    txid = enqueue_plain(outbox)
    client = _ClientWithNewError(f"http://127.0.0.1:{free_port()}", "K0451")
    worker = SyncWorker(outbox, client, rng=FixedRandom(0.1))
    assert worker.drain() == 0
    record = outbox.get(txid)
    assert record is not None and record.state == "pending"
    assert worker.last_error == "something new went wrong" and worker.last_error_kind == "platform"


def test_batch_the_platform_finds_too_large_is_split_and_a_lone_giant_quarantined(
    timed: tuple[Outbox, FakeClock], routed: Callable[[Handler], RoutedServer]
) -> None:
    outbox, _ = timed

    def handle(method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if len(body) > 6000:
            return 413, {}, b'{"detail": "request body too large"}'
        return 200, {}, accept_all(body)

    server = routed(handle)
    small = [enqueue_plain(outbox, 1000) for _ in range(8)]
    giant = enqueue_plain(outbox, 7000)
    tail = [enqueue_plain(outbox, 1000) for _ in range(3)]
    recorder = Recorder()
    client = PlatformClient(server.url, "K0451", timeout=2.0)
    worker = SyncWorker(outbox, client, callbacks=recorder.callbacks, batch_items=50)
    worker.drain()
    assert {outbox.get(t).state for t in small + tail} == {"acked"}  # type: ignore[union-attr]
    parked = outbox.get(giant)
    assert parked is not None and parked.state == "quarantined" and parked.verdict == "too_large"
    assert recorder.quarantined == [(giant, "envelope too large for the platform")]
    assert outbox.counts()["pending"] == 0 and server.uploads() <= 16


def test_records_left_sending_by_a_crash_are_resent_and_come_back_duplicate(
    tmp_path: Path, reference_platform: PlatformProcess
) -> None:
    path = tmp_path / "outbox.db"
    box = Outbox(path)
    txid = submit(box, reference_platform)
    batch = box.next_batch(10, 10**6)  # claimed ...
    client = PlatformClient(reference_platform.url, "K0451")
    assert client.upload([(r.id, r.envelope or b"") for r in batch])[txid].verdict == "accepted"
    box.close()  # ... and the kiosk dies before marking it (its connection and lock go)
    with Outbox(path) as reopened:
        assert reopened.get(txid).state == "pending"  # type: ignore[union-attr]
        worker = SyncWorker(reopened, PlatformClient(reference_platform.url, "K0451"))
        assert worker.drain() == 1
        assert reopened.get(txid).verdict == "duplicate"  # type: ignore[union-attr]
    assert [row["id"] for row in reference_platform.records()] == [txid]


def test_worker_applies_the_retention_once_per_interval(tmp_path: Path) -> None:
    clock = FakeClock()
    with Outbox(tmp_path / "o.db", clock=clock, retention=Retention(60, 10_000)) as box:
        txid = enqueue_plain(box)
        box.next_batch(1, 10**6)
        box.mark_acked([txid])
        client = PlatformClient(f"http://127.0.0.1:{free_port()}", "K0451")
        worker = SyncWorker(box, client, purge_interval=300)
        worker.purge_if_due()
        assert box.get(txid).state == "acked"  # type: ignore[union-attr]
        clock.advance(100)
        worker.purge_if_due()  # within the purge interval: nothing done
        assert box.get(txid).state == "acked"  # type: ignore[union-attr]
        clock.advance(200)
        worker.purge_if_due()
        assert box.get(txid).state == "purged"  # type: ignore[union-attr]
