"""The worker's policy with an injected clock and rng (no waiting), against loopback servers
the test scripts: Retry-After honoured and bounded, exponential backoff with pinned jitter,
refused signatures and unknown errors back off and never quarantine, a batch the platform
finds too large split down to the lone giant."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path

import pytest

from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformError
from sync.platform.protocol import ItemResult
from sync.worker import SyncWorker
from tests.support.clock import FakeClock
from tests.support.platform import free_port
from tests.support.sync_worker import (
    FixedRandom,
    Handler,
    Recorder,
    RoutedServer,
    accept_all,
    enqueue_plain,
    health_ok,
)


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
