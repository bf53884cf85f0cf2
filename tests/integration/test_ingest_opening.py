"""The platform opens every envelope at ingest by default (issue 8, item 14): one it cannot
read is ``rejected``, so the kiosk quarantines it instead of purging a record nobody can read.
Against ``kiosk server`` with its default options, through the kiosk's outbox and worker."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.outbox.store import Outbox
from sync.sealing import seal
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.platform import PlatformProcess

RECEIPT = {"name": "张*", "id_number": "2301**********001X"}
META = {"service_code": "SS-001"}


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "kiosk" / "outbox.db")
    yield box
    box.close()


def test_envelopes_the_platform_cannot_open_are_rejected_and_stay_on_the_kiosk(
    platform_factory: Callable[..., PlatformProcess], tmp_path: Path, outbox: Outbox
) -> None:
    platform = platform_factory(require_signatures=True)
    kiosk = platform.enrol("kiosk-0451", tmp_path / "identity")
    good = seal(b"form", platform.public_key, platform.key_id, META)
    # Right key id, wrong key: passes every header check, opens with nothing the platform has.
    wrong_key = seal(b"form", X25519PrivateKey.generate().public_key(), platform.key_id, META)
    altered = json.loads(good)
    altered["meta"]["service_code"] = "SS-999"  # metadata changed after sealing
    unreadable = {"wrong_key": wrong_key, "altered": json.dumps(altered).encode()}

    ids = {}
    for name, envelope in {"good": good, **unreadable}.items():
        ids[name] = str(uuid7())
        outbox.enqueue(ids[name], "SS-001", envelope, RECEIPT, "20261121")
    worker = SyncWorker(outbox, kiosk.client(timeout=5.0), interval=0.2)
    assert worker.drain() == 1

    assert [row["id"] for row in platform.records()] == [ids["good"]]
    for name in unreadable:
        record = outbox.get(ids[name])
        assert record is not None and record.state == "quarantined", name
        assert record.envelope == unreadable[name]  # kept, visible to technicians
        assert record.last_error, name
