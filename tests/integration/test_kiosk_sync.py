"""The kiosk as it is wired (``KioskCore``: its signed clients, sync worker and connectivity
monitor) against the real reference platform, signatures required, the kiosk enrolled.

- A backlog of several batches leaves at full batch speed within a few sync intervals of the
  platform answering again, whichever way the kiosk noticed (its worker's own health check,
  or the platform poller), and after a kiosk restart: far below the 300 s backoff cap.
  Time to drain is measured with the real clock; the bound is a behaviour bound (ten
  intervals), not a speed benchmark.
- The sync worker's thread and the poller thread hammer the platform at once, each
  through its own client: ``requests.Session`` is not thread-safe.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk import events as ev
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.platform_link.enrolment import identity_dir
from tests.support.headless_kiosk import (
    build_kiosk,
    drained,
    headless_config,
    seconds_until,
    submit,
)
from tests.support.platform import PlatformProcess

INTERVAL = 0.2  # seconds between sync rounds (and connectivity checks where they matter)
BOUND = 10 * INTERVAL  # "within a few sync intervals"
BATCH = 10
BACKLOG = 50  # five batches


@pytest.fixture
def platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    return platform_factory(require_signatures=True)


def enrolled_config(tmp_path: Path, platform: PlatformProcess, **sync: Any) -> Config:
    options = {"interval_seconds": INTERVAL, "batch_max_items": BATCH, **sync}
    config = headless_config(tmp_path / "kiosk", platform.url, "K0451", **options)
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    return config


class Citizens:
    """A busy hall: one application every 50 ms from another thread, until stopped."""

    def __init__(self, core: KioskCore) -> None:
        self.core = core
        self.ids: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            txid = submit(self.core)
            with self._lock:
                self.ids.append(txid)

    def so_far(self) -> list[str]:
        with self._lock:
            return list(self.ids)

    def stop(self) -> list[str]:
        self._stop.set()
        self._thread.join(10)
        return self.so_far()


def all_acked(core: KioskCore, ids: list[str]) -> Callable[[], bool]:
    return lambda: all(core.outbox.get(t).state == "acked" for t in ids)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "noticed_by",
    [
        # The worker's own health check each round; the monitor checks once an hour.
        {"connectivity_seconds": 3600.0},
        # Only the platform poller can tell: the worker's own rounds are an hour apart
        # and its backoff ten minutes long, so without the monitor the backlog would wait.
        {"interval_seconds": 3600.0, "backoff_base_seconds": 600.0,
         "connectivity_seconds": INTERVAL},
    ],
    ids=["worker-health-check", "connectivity-monitor"],
)
def test_backlog_leaves_at_full_speed_once_the_platform_answers_again(
    tmp_path: Path, platform: PlatformProcess, noticed_by: dict[str, float]
) -> None:
    config = enrolled_config(tmp_path, platform, **noticed_by)
    platform.stop()
    core = build_kiosk(config)
    failures: list[ev.Event] = []
    core.events.subscribe(lambda e: failures.append(e) if isinstance(e, ev.SyncDidFail) else None)
    core.start()
    citizens: Citizens | None = None
    try:
        backlog = [submit(core) for _ in range(BACKLOG)]
        citizens = Citizens(core)  # and citizens keep coming, before and after it is back
        assert seconds_until(lambda: bool(failures), 10.0) <= 10.0
        time.sleep(3 * INTERVAL)  # the outage goes on; the link backs off
        assert core.worker.health().last_error_kind == "unreachable"
        assert core.outbox.counts()["pending"] >= BACKLOG - BATCH

        platform.start()
        backlog += citizens.so_far()
        waited = seconds_until(all_acked(core, backlog), 20 * BOUND)
        assert waited <= BOUND, f"{len(backlog)} records took {waited:.1f} s to leave"
        ids = backlog + citizens.stop()
        assert seconds_until(drained(core), 20 * BOUND) <= BOUND
        assert core.worker.health().ok
    finally:
        if citizens is not None:
            citizens.stop()
        core.stop()
    assert sorted(row["id"] for row in platform.records()) == sorted(set(ids))


def test_restarted_kiosk_sends_the_backlog_held_back_before_at_once(
    tmp_path: Path, platform: PlatformProcess
) -> None:
    config = enrolled_config(tmp_path, platform, connectivity_seconds=3600.0)
    platform.stop()
    before = build_kiosk(config)
    before.start()
    try:
        ids = [submit(before) for _ in range(BACKLOG)]
        assert seconds_until(lambda: before.worker.last_error is not None, 10.0) <= 10.0
        time.sleep(1.0)  # a longer outage: the link backs off further
    finally:
        before.stop()

    platform.start()
    after = build_kiosk(config)  # the kiosk restarted: a new worker over the same outbox file
    started = time.monotonic()
    after.start()
    try:
        waited = seconds_until(drained(after), 20 * BOUND)
        assert waited <= BOUND, f"the restarted kiosk took {waited:.1f} s to send {BACKLOG}"
        assert time.monotonic() - started <= BOUND + 1.0
    finally:
        after.stop()
    assert sorted(row["id"] for row in platform.records()) == sorted(ids)


class SessionUse:
    """Which threads used which ``requests.Session`` (a spy that passes every call through)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.threads: weakref.WeakKeyDictionary[requests.Session, set[str]] = (
            weakref.WeakKeyDictionary()
        )
        self.calls: dict[str, int] = {}

    def wrap(self, real: Callable[..., requests.Response]) -> Callable[..., requests.Response]:
        def request(session: requests.Session, *args: Any, **kwargs: Any) -> requests.Response:
            name = threading.current_thread().name
            with self._lock:
                self.threads.setdefault(session, set()).add(name)
                self.calls[name] = self.calls.get(name, 0) + 1
            return real(session, *args, **kwargs)

        return request

    def shared(self) -> list[set[str]]:
        with self._lock:
            return [names for names in self.threads.values() if len(names) > 1]


def test_worker_and_connectivity_threads_hammer_the_platform_each_with_its_own_client(
    tmp_path: Path,
    platform: PlatformProcess,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    use = SessionUse()
    monkeypatch.setattr(requests.Session, "request", use.wrap(requests.Session.request))
    config = enrolled_config(
        tmp_path, platform,
        interval_seconds=0.01, batch_max_items=1,  # one upload per record
        connectivity_seconds=0.0, heartbeat_seconds=0.01, status_seconds=0.0,
        catalog_seconds=0.0,  # ping, heartbeat, statuses and catalogue, round after round
    )
    core = build_kiosk(config)
    assert core.clients.uplink is not core.clients.downlink
    failures: list[ev.Event] = []
    core.events.subscribe(lambda e: failures.append(e) if isinstance(e, ev.SyncDidFail) else None)
    caplog.set_level(logging.WARNING)
    core.start()
    try:
        ids = [submit(core) for _ in range(120)]
        assert seconds_until(drained(core), 60.0) <= 60.0
        assert seconds_until(lambda: use.calls.get("platform-poller", 0) >= 200, 30.0) <= 30.0
        heartbeat = core.downlink.heartbeat if core.downlink is not None else None
        assert heartbeat is not None and heartbeat.last_ack is not None
        assert heartbeat.last_error is None
    finally:
        core.stop()
    assert use.calls.get("sync-worker", 0) >= 120 and use.calls["platform-poller"] >= 200
    assert use.shared() == []  # no session was ever used by two threads
    assert failures == []
    assert sorted(row["id"] for row in platform.records()) == sorted(ids)
    # The data directory made 0700 at start is logged too; what counts here is the traffic.
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
                and r.name != "sync.file_modes"]
    assert problems == []
