"""Heartbeats against the platform subprocess (signatures required): the latest per kiosk is
stored and shown to operators, the platform's clock comes back so skew shows, the schedule
retries sooner after a failure; and one Downlink tick drives heartbeat, status and catalogue."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from sync.downlink.catalog import CatalogSync
from sync.downlink.heartbeat import Heartbeat, build_heartbeat, send_heartbeat
from sync.downlink.schedule import Downlink
from sync.downlink.status_feed import StatusFeed
from sync.platform.client import PlatformClient
from sync.platform.downlink_replies import StatusChange
from sync.platform.errors import PlatformAuthError
from sync.server.catalog_admin import latest_heartbeats
from sync.server.store import make_engine
from tests.support.downlink import catalog_bytes, module_platform, move, operator, publish, upload
from tests.support.platform import EnrolledKiosk, PlatformProcess, free_port

__all__ = ["module_platform"]


@pytest.fixture(scope="module")
def kiosk(
    module_platform: PlatformProcess, tmp_path_factory: pytest.TempPathFactory
) -> EnrolledKiosk:
    return module_platform.enrol("K0451", tmp_path_factory.mktemp("identity"), code="K0451")


def heartbeat_doc(kiosk_id: str, tmp_path: Path, clock: float, pending: int = 3) -> dict:
    return build_heartbeat(
        kiosk_id,
        version="1.4.0",
        uptime_seconds=3600.5,
        devices={"printer": "paper_near_end", "ssc_reader": {"status": "ok", "detail": "vpcd"}},
        outbox_counts={"pending": pending, "acked": 40, "quarantined": 0},
        oldest_pending_age_seconds=125.0,
        clock=clock,
        disk_path=tmp_path,
    )


def stored(platform: PlatformProcess) -> dict[str, dict]:
    engine = make_engine(platform.database_url)
    try:
        return {beat["kiosk_id"]: beat for beat in latest_heartbeats(engine)}
    finally:
        engine.dispose()


def test_the_latest_heartbeat_is_stored_and_the_platform_clock_comes_back(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    ahead = 120.0  # the kiosk clock runs two minutes fast: inside the signature window
    client = kiosk.client(clock=lambda: time.time() + ahead)
    first = send_heartbeat(client, heartbeat_doc(kiosk.kiosk_id, tmp_path, time.time() + ahead))
    assert -ahead - 30 < first.offset_seconds < -ahead + 30
    send_heartbeat(client, heartbeat_doc(kiosk.kiosk_id, tmp_path, time.time() + ahead, 7))
    beat = stored(module_platform)[kiosk.kiosk_id]
    assert beat["version"] == "1.4.0" and beat["uptime_seconds"] == 3600.5
    assert beat["outbox"] == {
        "counts": {"pending": 7, "acked": 40, "quarantined": 0},
        "oldest_pending_age_seconds": 125.0,
    }
    assert beat["devices"]["printer"] == {"status": "paper_near_end", "detail": None}
    assert beat["devices"]["ssc_reader"] == {"status": "ok", "detail": "vpcd"}
    assert beat["disk_free_bytes"] > 0 and beat["disk_total_bytes"] >= beat["disk_free_bytes"]
    assert list(stored(module_platform)).count(kiosk.kiosk_id) == 1
    listed = operator(module_platform, "heartbeats")
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.splitlines() if x.startswith(kiosk.kiosk_id))
    assert "version 1.4.0" in line and "pending 7" in line and "oldest 125 s" in line
    assert "clock -1" in line  # about -120 s: the kiosk is ahead of the platform


def test_a_heartbeat_for_another_kiosk_or_unsigned_is_refused(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    with pytest.raises(PlatformAuthError) as caught:
        send_heartbeat(kiosk.client(), heartbeat_doc("K9999", tmp_path, time.time()))
    assert caught.value.reason == "kiosk_mismatch"
    unsigned = requests.post(
        module_platform.url + "/v1/heartbeat",
        json=heartbeat_doc(kiosk.kiosk_id, tmp_path, time.time()),
        timeout=5,
    )
    assert unsigned.status_code == 401
    assert "K9999" not in stored(module_platform)


def test_the_schedule_waits_an_interval_and_retries_sooner_after_a_failure(
    kiosk: EnrolledKiosk, tmp_path: Path
) -> None:
    schedule = Heartbeat(interval=60, retry_interval=10)
    assert schedule.due(0.0)
    build = lambda: heartbeat_doc(kiosk.kiosk_id, tmp_path, time.time())  # noqa: E731
    assert schedule.beat(kiosk.client(), build, 100.0) is not None
    assert not schedule.due(159.9) and schedule.due(160.0)
    assert schedule.beat(kiosk.client(), build, 120.0) is None  # not due: nothing sent
    down = PlatformClient(f"http://127.0.0.1:{free_port()}", kiosk.kiosk_id, timeout=1)
    assert schedule.beat(down, build, 160.0) is None
    assert schedule.last_error is not None and "unreachable" in schedule.last_error
    assert not schedule.due(169.9) and schedule.due(170.0)


def test_one_downlink_tick_sends_the_heartbeat_pulls_status_and_syncs_the_catalog(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    client = kiosk.client()
    changes: list[StatusChange] = []
    clock = [1000.0]
    downlink = Downlink(
        client,
        catalog=CatalogSync(client, tmp_path / "catalog", kiosk.keys.catalogue_key),
        status=StatusFeed(client, tmp_path, changes.append),
        heartbeat=Heartbeat(interval=30),
        heartbeat_doc=lambda: heartbeat_doc(kiosk.kiosk_id, tmp_path, time.time(), 11),
        catalog_interval=600,
        status_interval=60,
        monotonic=lambda: clock[0],
    )
    (txid,) = upload(kiosk, 1)
    move(module_platform, txid, "processing")
    publish(module_platform, catalog_bytes("tick.1"))
    report = downlink.tick()
    assert report.heartbeat is not None and report.status is not None and report.catalog
    assert report.catalog.outcome == "updated" and (txid, "processing") in [
        (c.txid, c.status) for c in changes
    ]
    assert stored(module_platform)[kiosk.kiosk_id]["outbox"]["counts"]["pending"] == 11
    clock[0] += 30
    quiet = downlink.tick()
    assert quiet.heartbeat is not None and quiet.status is None and quiet.catalog is None
    downlink.request_catalog()
    assert downlink.tick().catalog is not None
