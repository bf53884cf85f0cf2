"""Enrolment with one-time tokens, revocation and a wrong kiosk clock, against the platform
running as a subprocess (``kiosk server``) with signatures required, and its operator CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from sync.kiosk_keys import KioskIdentity, enroll, load_or_create_identity, load_platform_keys
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.platform.errors import EnrolmentError, PlatformAuthError
from sync.platform.signing import MAX_SKEW_SECONDS
from sync.sealing import load_public_key, seal
from sync.server.cli import start_server_thread
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.platform import EnrolledKiosk, PlatformProcess

ROOT = Path(__file__).resolve().parents[2]
RECEIPT = {"name": "张*", "id_number": "2301**********001X"}


class KioskClock:
    """The kiosk's one clock (outbox and signer), set ``offset`` seconds off real time."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset)

    def monotonic(self) -> float:
        return time.monotonic()

    def epoch(self) -> float:
        return time.time() + self.offset


def operator(platform: PlatformProcess, *args: str) -> subprocess.CompletedProcess[str]:
    """``kiosk server <args> --data-dir DIR``, as an operator types it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "server", *args, "--data-dir", str(platform.data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    return platform_factory(require_signatures=True)


@pytest.fixture
def outboxes(tmp_path: Path) -> Iterator[Callable[..., Outbox]]:
    made: list[Outbox] = []

    def make(clock: KioskClock | None = None) -> Outbox:
        box = Outbox(tmp_path / "kiosk" / "outbox.db", clock=clock)
        made.append(box)
        return box

    yield make
    for box in made:
        box.close()


def submit(outbox: Outbox, kiosk: EnrolledKiosk, n: int = 1) -> list[str]:
    """Seal to the pinned key, as the kiosk does, and enqueue."""
    key = load_public_key(kiosk.keys.sealing_key)
    ids = []
    for _ in range(n):
        txid = str(uuid7())
        envelope = seal(b"form", key, kiosk.keys.sealing_key_id, {"service": "SS-001"})
        outbox.enqueue(txid, "SS-001", envelope, RECEIPT, "20261121")
        ids.append(txid)
    return ids


def worker_for(outbox: Outbox, client: PlatformClient) -> SyncWorker:
    return SyncWorker(outbox, client, interval=0.2, backoff_base=0.01, backoff_cap=0.02)


def test_cli_token_enrols_a_kiosk_that_pins_the_platform_keys(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    issued = operator(platform, "token", "--kiosk-id", "K0451")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert len(token.replace("-", "")) == 24 and "valid until" in issued.stderr
    identity = load_or_create_identity(tmp_path / "identity")
    keys = enroll(platform.url, token, identity, "K0451")
    expected = platform.platform_keys
    assert (keys.sealing_key, keys.sealing_key_id) == (
        expected["sealing_key"],
        expected["sealing_key_id"],
    )
    assert (keys.catalogue_key, keys.catalogue_key_id) == (
        expected["catalogue_key"],
        expected["catalogue_key_id"],
    )
    assert abs(keys.server_time - time.time()) < 60
    client = PlatformClient(platform.url, "K0451", signer=identity.signer("K0451"))
    assert client.whoami().kiosk_id == "K0451"
    listed = operator(platform, "kiosks")
    assert listed.returncode == 0
    assert f"K0451\tkey {identity.key_id}" in listed.stdout and "active" in listed.stdout


def test_a_token_works_once(platform: PlatformProcess, tmp_path: Path) -> None:
    token = platform.issue_token("K0451")
    first = load_or_create_identity(tmp_path / "first")
    enroll(platform.url, token, first, "K0451")
    for identity in (first, KioskIdentity.generate()):  # neither the same kiosk nor a thief
        with pytest.raises(EnrolmentError) as caught:
            enroll(platform.url, token, identity, "K0451")
        assert caught.value.reason == "token_used" and caught.value.status == 403
    client = PlatformClient(platform.url, "K0451", signer=first.signer("K0451"))
    assert client.whoami().kiosk_id == "K0451"  # the first key is still the registered one


def test_racing_enrolments_with_one_token_register_one_key(platform: PlatformProcess) -> None:
    token = platform.issue_token("K0451")
    identities = [KioskIdentity.generate() for _ in range(4)]
    outcomes: list[str] = []
    start = threading.Barrier(len(identities))

    def attempt(identity: KioskIdentity) -> None:
        start.wait()
        try:
            enroll(platform.url, token, identity, "K0451")
            outcomes.append("ok")
        except EnrolmentError as exc:
            outcomes.append(exc.reason)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in identities]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(outcomes) == ["ok"] + ["token_used"] * 3


def test_token_for_another_kiosk_or_unknown_token_is_refused(platform: PlatformProcess) -> None:
    token = platform.issue_token("K0452")
    identity = KioskIdentity.generate()
    for attempt in (token, "AAAAAA-BBBBBB-CCCCCC-DDDDDD"):
        with pytest.raises(EnrolmentError) as caught:
            enroll(platform.url, attempt, identity, "K0451")
        assert caught.value.reason == "token_invalid"
    enroll(platform.url, token.lower().replace("-", " "), identity, "K0452")  # typed loosely


def test_enrolment_must_be_signed_by_the_key_it_registers(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    token = platform.issue_token("K0451")
    claimed, holder = KioskIdentity.generate(), KioskIdentity.generate()
    client = PlatformClient(platform.url, "K0451", signer=holder.signer("K0451"))
    with pytest.raises(PlatformAuthError) as caught:
        client.post_enrolment(token, claimed.public_key_text)
    assert caught.value.reason == "bad_signature"
    enroll(platform.url, token, claimed, "K0451")  # the token was not burned by the forgery


def test_expired_token_is_refused(tmp_path: Path) -> None:
    clock = [time.time()]
    handle = start_server_thread(
        "127.0.0.1", 0, tmp_path / "p", require_signatures=True, clock=lambda: clock[0]
    )
    try:
        token = handle.registry.issue_token("K0451", ttl_seconds=3600)
        clock[0] += 3601
        identity = KioskIdentity.generate()
        with pytest.raises(EnrolmentError) as caught:
            enroll(handle.url, token, identity, "K0451", clock=lambda: clock[0])
        assert caught.value.reason == "token_expired"
    finally:
        handle.stop()


def test_revoked_key_is_refused_and_nothing_is_lost(
    platform: PlatformProcess, tmp_path: Path, outboxes: Callable[..., Outbox]
) -> None:
    kiosk = platform.enrol("K0451", tmp_path / "identity")
    outbox = outboxes()
    worker = worker_for(outbox, kiosk.client(timeout=3.0))
    delivered = submit(outbox, kiosk)
    assert worker.drain() == 1

    revoked = operator(platform, "revoke", "--kiosk-id", "K0451")
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    waiting = submit(outbox, kiosk, 3)
    assert worker.drain() == 0
    assert outbox.counts()["quarantined"] == 0
    for txid in waiting:
        record = outbox.get(txid)
        assert record is not None and record.state == "pending"
        assert "revoked" in (record.last_error or "")
    assert "revoked" in (worker.last_error or "")
    with pytest.raises(PlatformAuthError) as caught:  # what `kiosk diagnose` asks
        kiosk.client().whoami()
    assert caught.value.reason == "revoked" and caught.value.status == 403
    assert [row["id"] for row in platform.records()] == delivered

    # The operator reinstates the kiosk explicitly (issue 8, item 11) with a new token.
    platform.enrol("K0451", tmp_path / "identity", reinstate=True)
    worker.probe()  # a signed identity check passes again: the backlog goes at once
    assert worker.drain() == 3
    assert sorted(row["id"] for row in platform.records()) == sorted(delivered + waiting)
    assert operator(platform, "revoke", "--kiosk-id", "K9999").returncode == 1


@pytest.mark.parametrize("offset", [-3600.0, 3600.0], ids=["behind", "ahead"])
def test_kiosk_clock_an_hour_off_is_refused_and_records_wait(
    platform: PlatformProcess,
    tmp_path: Path,
    outboxes: Callable[..., Outbox],
    offset: float,
) -> None:
    kiosk = platform.enrol("K0451", tmp_path / "identity")
    clock = KioskClock(offset)
    outbox = outboxes(clock)
    worker = worker_for(outbox, kiosk.client(clock=clock.epoch, timeout=3.0))
    ids = submit(outbox, kiosk, 3)
    assert worker.drain() == 0
    for txid in ids:
        record = outbox.get(txid)
        assert record is not None and record.state == "pending"
        assert "clock_skew" in (record.last_error or "")
    assert outbox.counts()["quarantined"] == 0 and platform.records() == []

    with pytest.raises(PlatformAuthError) as caught:  # what `kiosk diagnose` reports
        kiosk.client(clock=clock.epoch).whoami()
    error = caught.value
    assert error.reason == "clock_skew" and error.status == 401
    assert error.server_time is not None and abs(error.server_time - time.time()) < 60
    assert error.offset_seconds == pytest.approx(-offset, abs=5)
    assert ("behind" if offset < 0 else "ahead of") in str(error)

    clock.offset = 0.0  # NTP fixed the clock
    worker.probe()  # a signed identity check passes again: retries are re-armed at once
    assert worker.drain() == 3
    assert sorted(row["id"] for row in platform.records()) == sorted(ids)


def test_skew_inside_the_window_is_accepted(platform: PlatformProcess, tmp_path: Path) -> None:
    kiosk = platform.enrol("K0451", tmp_path / "identity")
    near = kiosk.client(clock=lambda: time.time() + MAX_SKEW_SECONDS - 30).whoami()
    assert near.offset_seconds == pytest.approx(-(MAX_SKEW_SECONDS - 30), abs=5)


def test_enrolment_before_the_platform_starts_registers_directly(
    platform_factory: Callable[..., PlatformProcess], tmp_path: Path
) -> None:
    platform = platform_factory(start=False, require_signatures=True)
    kiosk = platform.enrol("K0451", tmp_path / "identity")
    assert load_platform_keys(tmp_path / "identity") == kiosk.keys
    platform.start()
    assert kiosk.client().whoami().kiosk_id == "K0451"
    unsigned = requests.get(platform.url + "/v1/whoami", timeout=5)
    assert unsigned.status_code == 401 and unsigned.json()["reason"] == "missing_signature"
