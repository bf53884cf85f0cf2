"""The audit trail reaches the reference platform (issue 13, item 5): entries leave the kiosk
through the outbox as signed messages of kind ``audit``, the platform keeps them per kiosk and
flags a cut-off stretch, a rewritten entry and a broken link, over HTTP (SQLite) and on both
databases in process (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.audit.forward import forward
from kiosk.audit.store import AuditLog
from sync.audit_chain import audit_body, entry_hash, message_id
from sync.link_health import PlatformLink
from sync.outbox.messages_schema import canonical_body
from sync.outbox.store import Outbox
from sync.server.audit import every_kiosk
from sync.server.messages import MessageItem, judge_messages, messages_router
from sync.server.store import TransactionStore
from sync.worker_messages import MessageCallbacks, MessageSender
from tests.support.clock import FakeClock
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures

KIOSK = "kiosk-0451"


def _sender(outbox: Outbox, kiosk: EnrolledKiosk, clock: FakeClock) -> MessageSender:
    link = PlatformLink(clock, 1.0, 10.0, 60.0, random.Random(0))
    return MessageSender(outbox, kiosk.client(), link, MessageCallbacks(), batch_items=100,
                         stopping=threading.Event())


def _server_audit(platform: PlatformProcess) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.cli", "server", "audit",
                           "--data-dir", str(platform.data_dir)],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    return platform_factory(require_signatures=True)


def test_entries_reach_the_platform_and_a_cut_off_log_is_flagged_there(
        platform: PlatformProcess, tmp_path: Path) -> None:
    clock = FakeClock()
    kiosk = platform.enrol(KIOSK, tmp_path / "identity")
    log = AuditLog(tmp_path / "audit.sqlite", clock)
    outbox = Outbox(tmp_path / "outbox.sqlite", clock=clock)
    try:
        log.append("staff.sign_in", "T0042", {"role": "technician"})
        log.append("config.changed", "T0042", {"key": "[sync] interval_seconds"})
        log.append("call.raised", "kiosk", {"call": "c1"})
        assert forward(log, outbox, KIOSK) == 3
        assert sum(outbox.counts().values()) == 0  # no transaction: the counts stay as they were
        assert _sender(outbox, kiosk, clock).drain() == 3
        done = _server_audit(platform)
        assert done.returncode == 0, done.stderr
        assert f"{KIOSK}: intact, 3 entries (#1 to #3)" in done.stdout
        # the tail #4..#5 is cut off the kiosk's log before it left; #6 goes on from the head
        log.append("outbox.quarantined", "kiosk", {"id": "x"})
        log.append("device.fault", "kiosk", {"device": "printer"})
        conn = sqlite3.connect(log.path)
        with conn:
            conn.execute("DELETE FROM audit_entries WHERE seq >= 4")
        conn.close()
        log.append("staff.sign_out", "T0042")
        assert forward(log, outbox, KIOSK) == 1
        assert _sender(outbox, kiosk, clock).drain() == 1
        done = _server_audit(platform)
        assert done.returncode == 1, done.stdout
        assert f"{KIOSK}: BROKEN" in done.stdout
        assert "gap: 2 entries missing between #3 and #6" in done.stdout
    finally:
        outbox.close()
        log.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TransactionStore]:
    url = (f"sqlite:///{tmp_path / 'platform.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("postgres_url")))
    made = TransactionStore(url)
    messages_router(made.engine)
    yield made
    made.dispose()


def _item(entry: dict) -> MessageItem:  # type: ignore[type-arg]
    body = canonical_body(audit_body(KIOSK, entry))
    return MessageItem(id=message_id(KIOSK, entry["seq"]), kind="audit", body=body.decode(),
                       body_hash=hashlib.sha256(body).hexdigest())


def test_a_rewritten_and_a_reordered_log_are_flagged_per_kiosk(
        store: TransactionStore, tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite", FakeClock())
    for n in range(4):
        log.append("device.fault", "kiosk", {"n": n})
    entries = log.entries()
    verdicts = judge_messages(store.engine, KIOSK, [_item(e) for e in entries[:2]], 1.0)
    assert [v.verdict for v in verdicts] == ["accepted", "accepted"]
    assert [v.verdict for v in judge_messages(store.engine, KIOSK, [_item(entries[1])], 2.0)
            ] == ["duplicate"]
    (status,) = every_kiosk(store.engine)
    assert status.intact and status.entries == 2
    # #2 rewritten on the kiosk and rehashed: refused as a conflict and flagged for good
    forged = {**entries[1], "details": {"n": 99}}
    forged["hash"] = entry_hash(forged)
    assert judge_messages(store.engine, KIOSK, [_item(forged)], 3.0)[0].verdict == "conflict"
    # #3 and #4 rechained in another order: #4 arrives first claiming to follow #2
    swapped = {**entries[3], "seq": 3, "prev_hash": entries[1]["hash"]}
    swapped["hash"] = entry_hash(swapped)
    assert judge_messages(store.engine, KIOSK, [_item(swapped)], 4.0)[0].verdict == "accepted"
    assert judge_messages(store.engine, KIOSK, [_item(entries[3])], 5.0)[0].verdict == "accepted"
    (status,) = every_kiosk(store.engine)
    assert not status.intact
    kinds = [f.kind for f in status.flags]
    assert "rewritten" in kinds and "broken-link" in kinds
    assert any("entry #2 arrived again with another hash" in f.words for f in status.flags)
    # a message whose entry does not match its own hash is rejected, not stored
    bad = {**entries[2], "details": {"n": -1}}
    verdict = judge_messages(store.engine, KIOSK, [_item(bad)], 6.0)[0]
    assert verdict.verdict == "rejected" and "hash" in str(verdict.reason)
    assert json.loads(json.dumps(status.model_dump()))["kiosk_id"] == KIOSK
    log.close()
