"""Prometheus metrics of the reference platform (issue 13, item 4), over HTTP, on SQLite and
PostgreSQL: ``/metrics`` is off until an operator makes a token, answers only that token, and
counts what the fleet is doing — kiosks seen and overdue, backlog, transactions accepted, open
staff calls — parsed with prometheus_client's own parser."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from sync.downlink.heartbeat import build_heartbeat
from sync.outbox.messages_schema import canonical_body
from sync.platform.protocol import call_body
from sync.uuid7 import uuid7
from tests.support.downlink import upload
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.postgres import (  # noqa: F401 - fixtures
    platform_on_each_database,
    postgres_server,
    postgres_url,
)

ROOT = Path(__file__).resolve().parents[2]


def metrics_token(platform: PlatformProcess, *more: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "server", "metrics-token",
         "--data-dir", str(platform.data_dir), *more],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def scrape(platform: PlatformProcess, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.get(platform.url + "/metrics", headers=headers, timeout=10)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def beat(kiosk: EnrolledKiosk, tmp_path: Path, pending: int, quarantined: int = 0) -> None:
    doc = build_heartbeat(
        kiosk.kiosk_id, version="1.4.0", uptime_seconds=60.0, devices={},
        outbox_counts={"pending": pending, "sending": 1, "acked": 9, "quarantined": quarantined},
        oldest_pending_age_seconds=600.0, clock=time.time(), disk_path=tmp_path)
    client = kiosk.client()
    try:
        client.send_heartbeat(doc)
    finally:
        client.close()


def raise_call(kiosk: EnrolledKiosk) -> None:
    now = datetime.now(UTC)
    doc = call_body(str(uuid7()), "raised", kiosk.kiosk_id, now, now, step="guide")
    client = kiosk.client()
    try:
        results = client.upload_messages([(str(uuid7()), "call", canonical_body(doc))])
    finally:
        client.close()
    assert [r.verdict for r in results.values()] == ["accepted"]


@pytest.mark.parametrize("platform", ["sqlite", "postgresql"], indirect=True)
def test_metrics_answer_their_token_only_and_count_the_fleet(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    off = scrape(platform, None)
    assert off.status_code == 404 and "kiosk server metrics-token" in off.text

    made = metrics_token(platform)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    kept = (platform.data_dir / "metrics-token.sha256").read_text()
    assert len(token) >= 40 and token not in kept  # only its hash is kept
    for wrong in (None, "", token[:-1], token + "x"):
        refused = scrape(platform, wrong)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert "kiosk_platform" not in refused.text
    assert scrape(platform, token).status_code == 200

    hall = platform.enrol("K0451", tmp_path / "hall", code="K0451")
    silent = platform.enrol("K0452", tmp_path / "silent", code="K0452")
    beat(hall, tmp_path, pending=4, quarantined=2)
    upload(hall, 3)
    raise_call(hall)

    answer = scrape(platform, token)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    got = samples(answer.text)
    assert got[("kiosk_platform_kiosks", (("state", "active"),))] == 2
    assert got[("kiosk_platform_kiosks", (("state", "revoked"),))] == 0
    assert got[("kiosk_platform_kiosks_seen", ())] == 1
    assert got[("kiosk_platform_kiosks_overdue", ())] == 1  # the one that never sent a heartbeat
    assert got[("kiosk_platform_backlog_records", ())] == 5  # pending 4 + sending 1
    assert got[("kiosk_platform_kiosk_quarantined_records", (("kiosk_id", "K0451"),))] == 2
    assert got[("kiosk_platform_kiosk_oldest_pending_seconds", (("kiosk_id", "K0451"),))] == 600
    assert got[("kiosk_platform_transactions_received_total", ())] == 3
    assert got[("kiosk_platform_staff_calls_open", ())] == 1
    age = got[("kiosk_platform_kiosk_last_heartbeat_age_seconds", (("kiosk_id", "K0451"),))]
    assert 0 <= age < 60
    assert ("kiosk_platform_kiosk_last_heartbeat_age_seconds",
            (("kiosk_id", silent.kiosk_id),)) not in got

    renewed = metrics_token(platform)
    assert renewed.returncode == 0
    assert scrape(platform, token).status_code == 401  # the old token stops at once
    assert scrape(platform, renewed.stdout.strip()).status_code == 200
    assert metrics_token(platform, "--disable").returncode == 0
    assert scrape(platform, renewed.stdout.strip()).status_code == 404


def test_a_kiosk_that_stops_sending_heartbeats_becomes_overdue(
    platform_factory, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    platform = platform_factory(require_signatures=True,
                                server_args=("--heartbeat-overdue-seconds", "1.5"))
    token = metrics_token(platform).stdout.strip()
    kiosk = platform.enrol("K0451", tmp_path / "hall", code="K0451")
    beat(kiosk, tmp_path, pending=0)
    assert samples(scrape(platform, token).text)[("kiosk_platform_kiosks_overdue", ())] == 0
    deadline = time.monotonic() + 10
    while samples(scrape(platform, token).text)[("kiosk_platform_kiosks_overdue", ())] == 0:
        assert time.monotonic() < deadline, "the silent kiosk never became overdue"
        time.sleep(0.2)
    beat(kiosk, tmp_path, pending=0)  # heard again: no longer overdue
    assert samples(scrape(platform, token).text)[("kiosk_platform_kiosks_overdue", ())] == 0
