"""The platform checks the kiosk's audit chain against the head its heartbeats name (issue 13,
item 5), over HTTP with the reference platform (in a thread, so its clock is the test's) and a
real kiosk-side chain (audit.sqlite, the outbox, the message sender): a tail cut off the
kiosk's log before it was sent is flagged once a heartbeat comes more than the grace after
the one that named it, and not before; a rewritten entry is flagged at the next heartbeat."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.audit.forward import forward
from kiosk.audit.store import AuditLog
from sync.audit_chain import entry_hash
from sync.downlink.heartbeat import build_heartbeat
from sync.link_health import PlatformLink
from sync.outbox.store import Outbox
from sync.server.cli import start_server_thread
from sync.worker_messages import MessageCallbacks, MessageSender
from tests.support.clock import FakeClock
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures

KIOSK = "kiosk-0451"
GRACE = 600.0


class PlatformTime:
    """The platform's clock (Unix seconds), moved by the test; the kiosk signs with it too."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


class Kiosk:
    """One kiosk's audit log and outbox, its signed client, its heartbeats and uploads."""

    def __init__(self, enrolled: EnrolledKiosk, where: Path, ptime: PlatformTime) -> None:
        self.clock = FakeClock()
        self.where = where
        self.ptime = ptime
        self.log = AuditLog(where / "audit.sqlite", self.clock)
        self.outbox = Outbox(where / "outbox.sqlite", clock=self.clock)
        self.client = enrolled.client(clock=ptime)

    def upload(self) -> int:
        forward(self.log, self.outbox, KIOSK)
        link = PlatformLink(self.clock, 1.0, 10.0, 60.0, random.Random(0))
        return MessageSender(self.outbox, self.client, link, MessageCallbacks(),
                             batch_items=100, stopping=threading.Event()).drain()

    def beat(self) -> None:
        self.client.send_heartbeat(build_heartbeat(
            KIOSK, version="1.4.0", uptime_seconds=10.0, devices={},
            outbox_counts=self.outbox.counts(), oldest_pending_age_seconds=None,
            clock=self.ptime(), disk_path=self.where, audit_head=self.log.head))

    def status(self) -> dict[str, Any]:
        return self.client.audit_status()

    def sql(self, statement: str, *params: object) -> None:
        conn = sqlite3.connect(self.log.path)
        with conn:
            conn.execute(statement, params)
        conn.close()

    def close(self) -> None:
        self.client.close()
        self.outbox.close()
        self.log.close()


@pytest.fixture
def kiosk(platform_factory: Callable[..., PlatformProcess], tmp_path: Path
          ) -> Iterator[tuple[Kiosk, PlatformProcess]]:
    platform = platform_factory(start=False, require_signatures=True)
    enrolled = platform.enrol(KIOSK, tmp_path / "identity")
    ptime = PlatformTime()
    server = start_server_thread(port=platform.port, data_dir=platform.data_dir,
                                 require_signatures=True, clock=ptime,
                                 audit_grace_seconds=GRACE, shutdown_timeout=0.5)
    made = Kiosk(enrolled, tmp_path, ptime)
    try:
        yield made, platform
    finally:
        made.close()
        server.stop()


def _kinds(status: dict[str, Any]) -> list[str]:
    return [flag["kind"] for flag in status["flags"]]


def test_a_tail_cut_off_before_upload_is_flagged_after_the_grace(
        kiosk: tuple[Kiosk, PlatformProcess]) -> None:
    k, platform = kiosk
    for n in range(3):
        k.log.append("staff.action", "T0042", {"action": "diagnose", "n": n})
    assert k.upload() == 3
    k.beat()
    status = k.status()
    assert status["intact"] and status["head_seq"] == 3 and status["last_seq"] == 3
    # two more entries; a heartbeat names #5 as the head before they leave ...
    k.log.append("staff.action", "T0042", {"action": "reprint"})
    k.log.append("staff.action", "T0042", {"action": "quit"})
    k.beat()
    # ... then they are deleted from the kiosk's log, head and all, before they are sent
    k.sql("DELETE FROM audit_entries WHERE seq > 3")
    k.sql("UPDATE audit_meta SET value = '3' WHERE key = 'head_seq'")
    k.sql("UPDATE audit_meta SET value = (SELECT hash FROM audit_entries WHERE seq = 3) "
          "WHERE key = 'head_hash'")
    assert k.log.verify() == []  # locally a careful deletion does not show
    assert k.upload() == 0
    k.ptime.now += GRACE - 1  # within the grace the outbox may still be on its way
    k.beat()
    assert k.status()["intact"]
    k.ptime.now += 2  # past the grace: the kiosk talks to the platform, the entries never came
    k.beat()
    status = k.status()
    assert not status["intact"] and _kinds(status) == ["cut-off-tail"]
    assert "holds entries only up to #3" in status["flags"][0]["words"]
    assert "2 entries cut off" in status["flags"][0]["words"]
    done = subprocess.run([sys.executable, "-m", "kiosk.cli", "server", "audit",
                           "--data-dir", str(platform.data_dir),
                           "--grace-seconds", f"{GRACE:g}"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{KIOSK}: BROKEN, 3 entries (#1 to #3); its last heartbeat named #3" in done.stdout
    assert "cut-off-tail: the kiosk named entry #5 as its head" in done.stdout


def test_a_late_outbox_within_the_grace_is_not_flagged(
        kiosk: tuple[Kiosk, PlatformProcess]) -> None:
    k, _ = kiosk
    k.log.append("call.raised", "kiosk", {"call": "c1"})
    k.beat()  # the head goes ahead of its entry
    k.ptime.now += GRACE / 2
    k.beat()
    assert k.status()["intact"]
    assert k.upload() == 1  # the entry arrives: the head is settled
    k.ptime.now += 2 * GRACE
    k.beat()
    status = k.status()
    assert status["intact"] and status["entries"] == 1 and status["head_seq"] == 1


def test_an_entry_rewritten_on_the_kiosk_is_flagged_at_the_next_heartbeat(
        kiosk: tuple[Kiosk, PlatformProcess]) -> None:
    k, _ = kiosk
    for n in range(3):
        k.log.append("config.changed", "T0042", {"changed": [f"sync.key{n}"]})
    assert k.upload() == 3
    k.beat()
    assert k.status()["intact"]
    # #3 rewritten and rehashed, head and all: the local chain verifies again
    forged = {**k.log.entries()[2], "details": {"changed": ["nothing"]}}
    forged["hash"] = entry_hash(forged)
    k.sql("UPDATE audit_entries SET details = ?, hash = ? WHERE seq = 3",
          '{"changed": ["nothing"]}', forged["hash"])
    k.sql("UPDATE audit_meta SET value = ? WHERE key = 'head_hash'", forged["hash"])
    assert k.log.verify() == []
    k.beat()
    status = k.status()
    assert not status["intact"] and _kinds(status) == ["rewritten"]
    assert "entry #3 arrived with hash" in status["flags"][0]["words"]


def test_an_entry_rewritten_after_its_head_was_named_is_flagged_when_it_arrives(
        kiosk: tuple[Kiosk, PlatformProcess]) -> None:
    k, _ = kiosk
    k.log.append("staff.sign_in", "T0042", {"role": "technician"})
    k.beat()  # names #1 with its true hash
    forged = {**k.log.entries()[0], "actor": "T0001"}
    forged["hash"] = entry_hash(forged)
    k.sql("UPDATE audit_entries SET actor = 'T0001', hash = ? WHERE seq = 1", forged["hash"])
    k.sql("UPDATE audit_meta SET value = ? WHERE key = 'head_hash'", forged["hash"])
    assert k.upload() == 1  # accepted: the platform had no entry #1 yet
    status = k.status()
    assert not status["intact"] and _kinds(status) == ["rewritten"]
    k.beat()  # and the head named now differs from the one named before
    assert _kinds(k.status()) == ["rewritten", "rewritten"]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    from sync.server.messages import messages_router
    from sync.server.store import TransactionStore

    url = (f"sqlite:///{tmp_path / 'platform.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("postgres_url")))
    made = TransactionStore(url)
    messages_router(made.engine)
    yield made.engine
    made.dispose()


def test_heads_are_kept_settled_and_judged_on_both_databases(engine: Any, tmp_path: Path
                                                             ) -> None:
    from sync.server.audit import audit_heads, every_kiosk, record_head
    from sync.server.messages import judge_messages
    from tests.integration.test_audit_upload import _item

    log = AuditLog(tmp_path / "audit.sqlite", FakeClock())
    for n in range(3):
        log.append("device.fault", "kiosk", {"n": n})
    entries = log.entries()
    with engine.begin() as conn:
        record_head(conn, KIOSK, 3, entries[2]["hash"], 100.0)
    judge_messages(engine, KIOSK, [_item(e) for e in entries[:2]], 101.0)
    with engine.begin() as conn:
        record_head(conn, KIOSK, 3, entries[2]["hash"], 100.0 + GRACE + 1)
    (status,) = every_kiosk(engine, GRACE)
    assert [f.kind for f in status.flags] == ["cut-off-tail"]
    assert every_kiosk(engine, 2 * GRACE)[0].intact  # a longer grace: not yet
    judge_messages(engine, KIOSK, [_item(entries[2])], 102.0)
    (status,) = every_kiosk(engine, GRACE)
    assert status.intact and status.head_seq == 3
    with engine.connect() as conn:  # the head arrived with its hash: nothing left to keep
        assert conn.execute(audit_heads.select()).all() == []
    log.close()
