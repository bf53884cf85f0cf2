"""Outbox: opening the file. One writer (a second process is refused, the lock goes with
close), a closed outbox refuses work, a newer schema is refused, older ones are migrated
keeping their records, and a file that is not a database is kept aside and replaced."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sync.outbox.errors import OutboxError, OutboxLockedError
from sync.outbox.schema import MIGRATIONS, SCHEMA_VERSION
from sync.outbox.store import Outbox
from tests.support.outbox import (  # noqa: F401 (clock_fixture, outbox_fixture: fixtures)
    RECEIPT,
    add,
    clock_fixture,
    outbox_fixture,
    run_python,
    tid,
)


def test_second_process_cannot_open_the_same_outbox(outbox: Outbox) -> None:
    result = run_python(f"""
        from pathlib import Path
        from sync.outbox.store import Outbox
        from sync.outbox.errors import OutboxLockedError
        try:
            Outbox(Path({str(outbox.path)!r}))
        except OutboxLockedError as exc:
            print("locked:", exc)
        else:
            print("opened")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("locked:")


def test_lock_is_released_on_close(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    box = Outbox(path)
    with pytest.raises(OutboxLockedError):
        Outbox(path)
    box.close()
    box.close()
    Outbox(path).close()


def test_closed_outbox_refuses_writes(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    box.close()
    with pytest.raises(OutboxError):
        add(box)
    with pytest.raises(OutboxError):
        box.counts()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    Outbox(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(OutboxError, match="newer"):
        Outbox(path)
    with pytest.raises(OutboxError, match="newer"):  # not "locked": the failed open let go
        Outbox(path)


def test_file_that_is_not_a_database_is_kept_aside_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    path.write_bytes(b"this is not a database" * 100)
    with Outbox(path) as box:
        assert box.recovery is not None
        assert box.recovery.recovered_total == 0
        kept = Path(box.recovery.kept_files[0])
        assert add(box).seq >= 1
    assert kept.read_bytes().startswith(b"this is not a database")
    assert kept.name.startswith("o.db.corrupt-")


def test_version_1_file_is_migrated_keeping_its_records(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "o.db"
    conn = sqlite3.connect(path)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute(
        "INSERT INTO outbox (id, seq, daily_key, daily_seq, service_code, created_at,"
        " created_mono, state, envelope, payload_hash, receipt)"
        " VALUES ('0190a000-0000-7000-8000-000000000001', 1, '20261121', 1, 'SS-001',"
        " '2026-11-21T08:30:00.000000+00:00', 1.0, 'pending', x'0102030405', ?, '{}')",
        ["0" * 64],
    )
    conn.execute("INSERT INTO counters VALUES ('seq', 1), ('daily:20261121', 1)")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    with Outbox(path) as box:
        assert box.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        # v5: ratings and calls
        assert box.messages.select() == [] and box.messages.open_calls() == []
        record = box.get("0190a000-0000-7000-8000-000000000001")
        assert record is not None and record.envelope_size == 5 and record.state == "pending"
        assert record.platform_status is None  # v3 column, empty until the feed says
        assert (record.query_code, record.lookup_failures) == (None, 0)  # v4: no code then
        assert box.recovery is None
        assert (add(box).seq, box.backlog_status().bytes) == (2, 105)


def test_version_3_file_gains_query_codes_and_keeps_its_records(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "o.db"
    conn = sqlite3.connect(path)
    for migrate in MIGRATIONS[:3]:
        migrate(sqlite_utils.Database(conn))
    old = "0190a000-0000-7000-8000-000000000002"
    conn.execute(
        "INSERT INTO outbox (id, seq, daily_key, daily_seq, service_code, created_at,"
        " created_mono, state, envelope, payload_hash, receipt, envelope_size)"
        " VALUES (?, 1, '20261121', 1, 'SS-001', '2026-11-21T08:30:00.000000+00:00', 1.0,"
        " 'pending', x'0102030405', ?, '{\"tracking_number\": \"K0451-20261121-0001-5\"}', 5)",
        [old, "0" * 64],
    )
    conn.execute("INSERT INTO counters VALUES ('seq', 1), ('daily:20261121', 1)")
    conn.execute("PRAGMA user_version=3")
    conn.commit()
    conn.close()
    with Outbox(path) as box:
        assert box.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        record = box.find_by_tracking("K0451-20261121-0001-5")
        assert record is not None and record.id == old
        assert (record.query_code, record.lookup_failures) == (None, 0)
        assert box.note_lookup_failure(old) == 1
        new = box.enqueue(tid(), "SS-001", b"e" * 10, RECEIPT, "20261121", query_code="12345678")
        assert new.daily_seq == 2
        [first, second] = box.next_batch(10, 10_000)
        assert (first.id, first.query_code) == (old, None)  # sent without one
        assert (second.id, second.query_code) == (new.id, "12345678")
    with Outbox(path) as box:
        assert box.get(old).lookup_failures == 1  # type: ignore[union-attr]
