"""Tracking numbers are tied to their sender (issue 8, item 10): the platform takes a tracking
number only from the kiosk whose code it carries, against the real platform over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import requests

from kiosk.tracking.numbers import make_tracking_number
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformAuthError
from sync.sealing import seal
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.platform import EnrolledKiosk, PlatformProcess

DAY = date(2026, 11, 21)
RECEIPT = {"name": "张*", "id_number": "2301**********001X"}


@pytest.fixture
def platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    return platform_factory(require_signatures=True)


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "kiosk" / "outbox.db")
    yield box
    box.close()


def envelope(platform: PlatformProcess, tracking: str | None) -> bytes:
    meta = {"service_code": "SS-001"}
    if tracking is not None:
        meta["tracking_number"] = tracking
    return seal(b"form", platform.public_key, platform.key_id, meta)


def upload(
    kiosk: EnrolledKiosk, tracking: str | None, query_code: str = "24681357"
) -> tuple[str, str, str | None]:
    txid = str(uuid7())
    client = kiosk.client(timeout=5.0)
    try:
        sent = [(txid, envelope(kiosk.platform, tracking))]
        result = client.upload(sent, {txid: query_code})[txid]
    finally:
        client.close()
    return txid, result.verdict, result.reason


def track(platform: PlatformProcess, tracking: str, code: str = "24681357") -> requests.Response:
    return requests.get(f"{platform.url}/v1/track/{tracking}", params={"code": code}, timeout=5)


def test_another_kiosks_tracking_number_is_rejected_and_the_lookup_keeps_the_owners_status(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    owner = platform.enrol("kiosk-0451", tmp_path / "a", code="K0451")
    thief = platform.enrol("kiosk-0452", tmp_path / "b", code="K0452")
    number = make_tracking_number("K0451", DAY, 42)

    _, verdict, reason = upload(thief, number)  # before the owner's record arrived
    assert verdict == "rejected" and reason is not None
    assert "K0451" in reason and "K0452" in reason
    assert track(platform, number).status_code == 404

    txid, verdict, _ = upload(owner, number)
    assert verdict == "accepted"
    moved = platform.operator("set-status", txid, "processing")
    assert moved.returncode == 0, moved.stderr

    _, verdict, _ = upload(thief, number, "11112222")  # after it: the newest would have shown
    assert verdict == "rejected"
    assert track(platform, number, "11112222").status_code == 404
    shown = track(platform, number)
    assert shown.status_code == 200 and shown.json()["status"] == "processing"
    assert [row["id"] for row in platform.records()] == [txid]

    _, verdict, _ = upload(thief, make_tracking_number("K0452", DAY, 1))  # its own: taken
    assert verdict == "accepted"


def test_a_malformed_tracking_number_is_rejected(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    kiosk = platform.enrol("kiosk-0451", tmp_path / "a", code="K0451")
    for bad in ("K0451", "k0451-20261121-0042-7", "K0451-20261121-0042-7 ", "T1"):
        _, verdict, reason = upload(kiosk, bad)
        assert verdict == "rejected" and "form" in (reason or ""), bad
    assert platform.records() == []


def test_a_kiosk_without_a_code_on_record_waits_until_the_operator_records_it(
    platform: PlatformProcess, tmp_path: Path, outbox: Outbox
) -> None:
    kiosk = platform.enrol("kiosk-0451", tmp_path / "a")  # enrolled before codes existed
    _, verdict, _ = upload(kiosk, None)  # an untracked record (a rating) needs no code
    assert verdict == "accepted"

    txid = str(uuid7())
    tracked = envelope(platform, make_tracking_number("K0451", DAY, 7))
    outbox.enqueue(txid, "SS-001", tracked, RECEIPT, "20261121")
    worker = SyncWorker(
        outbox, kiosk.client(timeout=5.0), interval=0.2, backoff_base=0.01, backoff_cap=0.02
    )
    assert worker.drain() == 0
    record = outbox.get(txid)
    assert record is not None and record.state == "pending"  # waits, never quarantined
    assert "kiosk_code_missing" in (record.last_error or "")
    assert worker.last_error_kind == "auth:kiosk_code_missing"
    with pytest.raises(PlatformAuthError) as caught:
        upload(kiosk, make_tracking_number("K0452", DAY, 7))
    assert caught.value.status == 403 and caught.value.reason == "kiosk_code_missing"
    assert len(platform.records()) == 1

    assigned = platform.operator("assign-code", "--kiosk-id", "kiosk-0451", "--code", "K0451")
    assert assigned.returncode == 0 and "K0451" in assigned.stdout
    outbox.retry_now()
    assert worker.drain() == 1
    acked = outbox.get(txid)
    assert acked is not None and acked.state == "acked"


def test_codes_are_recorded_by_the_operator_one_kiosk_per_code(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    issued = platform.operator("token", "--kiosk-id", "kiosk-0451", "--code", "K0451")
    assert issued.returncode == 0, issued.stderr
    assert "warning" not in issued.stderr
    bare = platform.operator("token", "--kiosk-id", "kiosk-0452")
    assert bare.returncode == 0 and "no kiosk code on record" in bare.stderr
    taken = platform.operator("assign-code", "--kiosk-id", "kiosk-0452", "--code", "K0451")
    assert taken.returncode == 1 and "belongs to kiosk kiosk-0451" in taken.stderr
    token = platform.operator("token", "--kiosk-id", "kiosk-0452", "--code", "K0451")
    assert token.returncode == 1 and "belongs to kiosk kiosk-0451" in token.stderr
    other = platform.operator("assign-code", "--kiosk-id", "kiosk-0451", "--code", "K0499")
    assert other.returncode == 1 and "has kiosk code K0451" in other.stderr
    bad = platform.operator("assign-code", "--kiosk-id", "kiosk-0452", "--code", "0452")
    assert bad.returncode == 1 and "capital letter" in bad.stderr

    platform.enrol("kiosk-0451", tmp_path / "a")
    listed = platform.operator("kiosks")
    assert "kiosk-0451\tkey " in listed.stdout and "\tcode K0451\t" in listed.stdout

    moved = platform.operator(
        "assign-code", "--kiosk-id", "kiosk-0452", "--code", "K0451", "--replace"
    )
    assert moved.returncode == 0, moved.stderr
    kiosk = platform.enrol("kiosk-0452", tmp_path / "b")
    assert upload(kiosk, make_tracking_number("K0451", DAY, 3))[1] == "accepted"


def test_unsigned_transition_uploads_cannot_use_a_code_that_belongs_to_a_kiosk(
    platform_factory: Callable[..., PlatformProcess], tmp_path: Path
) -> None:
    platform = platform_factory()  # --allow-unsigned: the sender is only a claim
    platform.enrol("kiosk-0451", tmp_path / "a", code="K0451")

    def unsigned(kiosk_id: str, tracking: str) -> str:
        body = envelope(platform, tracking)
        client = PlatformClient(platform.url, kiosk_id, timeout=5.0)
        try:
            txid = str(uuid7())
            return client.upload([(txid, body)])[txid].verdict
        finally:
            client.close()

    assert unsigned("kiosk-0452", make_tracking_number("K0451", DAY, 9)) == "rejected"
    assert unsigned("kiosk-0451", make_tracking_number("K0452", DAY, 9)) == "rejected"
    assert unsigned("kiosk-0453", make_tracking_number("K0453", DAY, 9)) == "accepted"
