"""The link to the platform backs off, not the records: when the platform answers again the
whole backlog goes at once, however the worker found out (a successful upload, its own health
or identity check, the platform poller, or a new worker after a restart). Records the
platform itself held back keep their own wait.

Policy tests: a hand-moved clock, pinned jitter and loopback servers the test scripts; the
kiosk-level behaviour against the real platform is in ``tests/integration/test_kiosk_sync.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sync.backoff import LinkBackoff
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.worker import SyncWorker
from tests.support.clock import FakeClock
from tests.support.platform import ScriptedHTTPServer, free_port, reply
from tests.support.sync_worker import (
    FixedRandom,
    RoutedServer,
    accept_all,
    enqueue_plain,
    health_ok,
)

BASE = 100.0  # a long backoff, so that a record left waiting shows
FIRST_WAIT = 50.0  # the first delay with the jitter pinned at one half


class Platform:
    """A scripted platform: failing with 500 until ``failing`` is cleared, then accepting."""

    def __init__(self, failing: bool = True) -> None:
        self.failing = failing
        self.fail_with: tuple[int, dict[str, str], bytes] = (500, {}, b"oops")

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if (ok := health_ok(method, path)) is not None:
            return ok
        if self.failing:
            return self.fail_with
        return 200, {}, accept_all(body)


@pytest.fixture
def clocked(tmp_path: Path) -> Iterator[tuple[Outbox, FakeClock]]:
    clock = FakeClock()
    box = Outbox(tmp_path / "outbox.db", clock=clock)
    yield box, clock
    box.close()


@pytest.fixture
def serve() -> Iterator[Callable[..., RoutedServer]]:
    servers: list[RoutedServer] = []

    def make(handle: Callable[[str, str, bytes], Any], port: int = 0) -> RoutedServer:
        servers.append(RoutedServer(handle, port))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def worker_for(outbox: Outbox, url: str, **options: Any) -> SyncWorker:
    settings: dict[str, Any] = {
        "interval": 1.0, "batch_items": 5, "backoff_base": BASE, "backoff_cap": 300.0,
        "rng": FixedRandom(0.5), **options,
    }
    return SyncWorker(outbox, PlatformClient(url, "K0451", timeout=2.0), **settings)


def test_first_upload_that_goes_through_sends_the_whole_backlog(
    clocked: tuple[Outbox, FakeClock], serve: Callable[..., RoutedServer]
) -> None:
    outbox, clock = clocked
    platform = Platform()
    server = serve(platform.handle)
    ids = [enqueue_plain(outbox) for _ in range(10)]
    worker = worker_for(outbox, server.url)
    assert worker.drain() == 0  # the first batch fails: the link waits
    assert worker.drain() == 0  # and while it waits nothing is tried, not even other records
    assert server.uploads() == 1
    assert {outbox.get(t).next_attempt_at for t in ids} == {None}  # type: ignore[union-attr]

    platform.failing = False
    ids.append(enqueue_plain(outbox))  # a citizen submits meanwhile
    clock.advance(FIRST_WAIT)
    assert worker.drain() == 11  # the first batch through releases the rest: all go now
    assert server.uploads() == 1 + 3  # at full batch speed
    assert worker.health().ok and worker.consecutive_failures == 0


def test_a_new_worker_sends_what_the_last_one_held_back(
    clocked: tuple[Outbox, FakeClock], serve: Callable[..., RoutedServer]
) -> None:
    """A restarted kiosk: a new worker over the same outbox, the platform answering again."""
    outbox, _ = clocked
    platform = Platform()
    server = serve(platform.handle)
    for _ in range(10):
        enqueue_plain(outbox)
    before = worker_for(outbox, server.url)
    before.drain()
    before.drain()
    platform.failing = False
    assert worker_for(outbox, server.url).drain() == 10  # no clock moved: nothing waits
    assert outbox.counts()["acked"] == 10


def test_health_check_ends_the_wait_even_when_a_new_record_is_due(
    clocked: tuple[Outbox, FakeClock], serve: Callable[..., RoutedServer]
) -> None:
    outbox, _ = clocked
    port = free_port()
    for _ in range(10):
        enqueue_plain(outbox)
    worker = worker_for(outbox, f"http://127.0.0.1:{port}")
    assert worker.drain() == 0 and worker.last_error_kind == "unreachable"
    serve(Platform(failing=False).handle, port)  # the platform is back on its port
    enqueue_plain(outbox)  # due at once: the health check must not give up on seeing it
    assert worker.probe() is True
    assert worker.drain() == 11


def test_connectivity_check_releases_a_network_wait(
    clocked: tuple[Outbox, FakeClock], serve: Callable[..., RoutedServer]
) -> None:
    outbox, _ = clocked
    port = free_port()
    for _ in range(7):
        enqueue_plain(outbox)
    worker = worker_for(outbox, f"http://127.0.0.1:{port}")
    assert worker.drain() == 0 and worker.health().retry_at is not None
    serve(Platform(failing=False).handle, port)
    worker.platform_answered()  # the poller thread's ping passed (no clock moved)
    assert worker.health().retry_at is None
    assert worker.drain() == 7


@pytest.mark.parametrize(
    "answer",
    [
        (429, {"Retry-After": "120"}, b""),
        (503, {}, b"down"),
        (401, {"Content-Type": "application/json"},
         json.dumps({"detail": "clock skew", "reason": "clock_skew"}).encode()),
    ],
    ids=["busy", "failing", "refused"],
)
def test_connectivity_check_leaves_a_wait_the_platform_itself_decided(
    clocked: tuple[Outbox, FakeClock],
    serve: Callable[..., RoutedServer],
    answer: tuple[int, dict[str, str], bytes],
) -> None:
    """A passing health check says nothing about a busy platform or a refused signature."""
    outbox, clock = clocked
    platform = Platform()
    platform.fail_with = answer
    server = serve(platform.handle)
    enqueue_plain(outbox)
    worker = worker_for(outbox, server.url)
    worker.drain()
    wait = worker.health().retry_at
    assert wait is not None and wait > clock.wall
    platform.failing = False
    worker.platform_answered()
    assert worker.health().retry_at == wait
    assert worker.drain() == 0 and server.uploads() == 1
    clock.advance((wait - clock.wall).total_seconds())
    assert worker.drain() == 1


def test_health_check_at_most_once_a_round_while_offline(
    clocked: tuple[Outbox, FakeClock], scripted_server: ScriptedHTTPServer
) -> None:
    """Every enqueue wakes the worker; while offline that must not become a ping storm."""
    outbox, clock = clocked

    def script(wfile: Any) -> None:
        request = scripted_server.last_request
        if request is not None and request.target.endswith("/health"):
            reply(wfile, 503, b"starting")
        # uploads: the connection closes without an answer (the network dropped it)

    scripted_server.script = script
    enqueue_plain(outbox)
    worker = worker_for(outbox, scripted_server.url, interval=2.0)
    worker.drain()
    assert worker.last_error_kind == "unreachable"
    for _ in range(5):  # five wakes in the same instant
        assert worker.probe() is False
    clock.advance(2.0)
    assert worker.probe() is False
    assert scripted_server.requests == 1 + 2  # one upload, one health check per round


def test_a_clock_set_back_does_not_stretch_the_wait(
    clocked: tuple[Outbox, FakeClock], serve: Callable[..., RoutedServer]
) -> None:
    """The link's wait runs on monotonic time: NTP correcting the wall clock leaves it alone."""
    outbox, clock = clocked
    platform = Platform()
    server = serve(platform.handle)
    enqueue_plain(outbox)
    worker = worker_for(outbox, server.url)
    worker.drain()
    platform.failing = False
    clock.wall -= timedelta(hours=1)  # the kiosk clock ran an hour fast; NTP set it right
    clock.mono += FIRST_WAIT
    assert worker.drain() == 1


def test_a_record_the_platform_gave_no_verdict_keeps_its_own_wait(
    clocked: tuple[Outbox, FakeClock], serve: Callable[..., RoutedServer]
) -> None:
    outbox, clock = clocked
    first = enqueue_plain(outbox)
    others = [enqueue_plain(outbox) for _ in range(2)]
    answered: list[bool] = []

    def handle(method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if (ok := health_ok(method, path)) is not None:
            return ok
        results = json.loads(accept_all(body))["results"]
        if not answered:  # the first time, say nothing about the first record
            answered.append(True)
            results = [r for r in results if r["id"] != first]
        return 200, {}, json.dumps({"results": results}).encode()

    server = serve(handle)
    worker = worker_for(outbox, server.url)
    assert worker.drain() == 2
    held = outbox.get(first)
    assert held is not None and held.state == "pending" and held.last_error
    assert held.next_attempt_at == clock.wall + timedelta(seconds=FIRST_WAIT)
    worker.platform_answered()
    assert worker.drain() == 0  # the platform's word on that record, not the link's
    assert worker_for(outbox, server.url).drain() == 0  # a restart does not lift it either
    clock.advance(FIRST_WAIT)
    assert worker.drain() == 1
    assert {outbox.get(t).state for t in [first, *others]} == {"acked"}  # type: ignore[union-attr]


def test_health_says_what_went_wrong_and_when_uploads_resume(
    clocked: tuple[Outbox, FakeClock], serve: Callable[..., RoutedServer]
) -> None:
    outbox, clock = clocked
    port = free_port()
    enqueue_plain(outbox)
    worker = worker_for(outbox, f"http://127.0.0.1:{port}")
    assert worker.health().ok and worker.health().last_success_at is None
    worker.drain()
    failed_at = clock.wall
    health = worker.health()
    assert not health.ok and health.last_error_kind == "unreachable"
    assert "unreachable" in (health.last_error or "")
    assert health.last_error_at == failed_at and health.last_success_at is None
    assert health.consecutive_failures == 1
    assert health.retry_at == failed_at + timedelta(seconds=FIRST_WAIT)

    clock.advance(10)
    serve(Platform(failing=False).handle, port)
    assert worker.probe() is True and worker.drain() == 1
    health = worker.health()
    assert health.ok and health.last_error is None and health.last_error_kind is None
    assert health.last_success_at == clock.wall and health.retry_at is None
    assert health.consecutive_failures == 0


def test_link_backoff_waits_doubles_honours_retry_after_and_releases() -> None:
    link = LinkBackoff(base=2.0, cap=10.0, max_retry_after=60.0)
    assert link.is_open(0.0)
    assert link.failed(100.0, 0.5) == 1.0 and not link.is_open(100.5) and link.is_open(101.0)
    assert link.failed(101.0, 0.5) == 2.0
    assert link.failed(103.0, 0.5, retry_after=30.0) == 30.0  # the platform's word wins
    assert link.failed(133.0, 0.0, retry_after=1e9) == 60.0  # but bounded against nonsense
    assert link.failures == 4
    link.release()
    assert link.failures == 0 and link.is_open(133.0)
    with pytest.raises(ValueError):
        LinkBackoff(base=0.0, cap=1.0, max_retry_after=1.0)


def test_unsent_records_go_back_to_the_queue_with_their_error_and_no_time_of_their_own(
    clocked: tuple[Outbox, FakeClock],
) -> None:
    outbox, _ = clocked
    txid = enqueue_plain(outbox)
    (claimed,) = outbox.next_batch(10, 10**6)
    outbox.mark_unsent([claimed.id], "platform unreachable: ConnectionError")
    record = outbox.get(txid)
    assert record is not None and record.state == "pending" and record.attempts == 1
    assert record.last_error == "platform unreachable: ConnectionError"
    assert record.next_attempt_at is None and outbox.next_due_at() is not None
