"""Fuzzing the outbox salvage: damaged files never lose a readable record, never raise oddly.

A real outbox (sealed envelopes from the real enqueue path, ratings, records in every state)
is built once, deterministically, and three images of it are kept: ``old`` (a crash image with
an unmerged WAL, early on), ``crash`` (a later crash image with its WAL) and ``closed`` (the
file after a clean close). Hypothesis then damages copies of them the ways disks, power cuts
and careless copying do: truncated at or inside a page, bytes flipped in the header, in
interior b-tree pages, in freelist pages or anywhere, pages zeroed or overwritten, the WAL
taken from an older or another state, flipped or cut, the -shm stale or garbage, a WAL whose
database file is missing or empty. Each copy is opened the way the kiosk opens it at start
(``Outbox(path, clock)``, what ``kiosk.assembly.open_outbox`` does) and:

- either it opens, holds no record it never had, and holds every record that SQLite itself
  can still read from the damaged copy (the oracle below), with its bytes unchanged and its
  state no earlier than the one SQLite reads; if it recovered, the damaged files are kept
  byte for byte as ``<name>.corrupt-*``;
- or it raises :class:`OutboxError` (the documented family, sync/outbox/errors.py; a newer
  schema, say) and SQLite still reads every record it read before from the files left in
  place or kept aside.

Deterministic in CI (derandomized, no example database). To fuzz longer locally (random
examples, new ones each run)::

    OUTBOX_FUZZ_EXAMPLES=5000 .venv/bin/pytest --timeout=0 tests/unit/test_outbox_salvage_fuzz.py

(``--timeout=0``: the suite's per-test timeout would stop a long run; shrinking is off, so a
failure prints the damage hypothesis generated.)
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings

from sync.outbox.errors import OutboxError
from sync.outbox.schema import STATE_RANK
from sync.outbox.store import Outbox
from sync.sealing import payload_hash
from tests.support.clock import FakeClock
from tests.support.outbox_damage import (
    NAME,
    SUFFIXES,
    Damage,
    Sample,
    build_sample,
    damages,
    write_private,
)

EXAMPLES = int(os.environ.get("OUTBOX_FUZZ_EXAMPLES", "400"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # the same examples on every CI run; a longer local run explores new ones each time
    derandomize="OUTBOX_FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # no shrinking: each example costs a real open, and a failure prints its damage as is
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
# Columns a record never changes after enqueue: a recovered record must match them exactly.
FIXED = ("id", "seq", "daily_key", "daily_seq", "service_code", "created_at", "created_mono",
         "payload_hash", "receipt")
MAX_ROWID = 80  # more than the rows build_sample ever inserts


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """One outbox and its three images, built once for the module (it takes a second)."""
    return build_sample(tmp_path_factory.mktemp("salvage-sample"))


# -- the oracle ------------------------------------------------------------------------------


def _rows(conn: sqlite3.Connection, table: str, key: str, ids: list[str]) -> Iterator[dict]:
    """Every row SQLite will hand over, one lookup at a time (a damaged page spoils only its
    own lookups): by rowid through the table's b-tree, by id through its index, and a scan."""
    lookups: list[tuple[str, tuple[Any, ...]]] = [
        (f"SELECT * FROM {table} WHERE rowid = ?", (n,)) for n in range(1, MAX_ROWID)
    ]
    lookups += [(f"SELECT * FROM {table} WHERE {key} = ?", (i,)) for i in ids]
    lookups.append((f"SELECT * FROM {table} NOT INDEXED", ()))
    for sql, args in lookups:
        try:
            cursor = conn.execute(sql, args)
            while (row := cursor.fetchone()) is not None:
                yield dict(row)
        except (sqlite3.Error, UnicodeDecodeError, OverflowError):
            continue


def readable(sample: Sample, files: dict[str, bytes], scratch: Path, wal: bool
             ) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """What SQLite itself still reads from (a scratch copy of) the damaged files.

    The oracle: SQLite's own reader, independent of the salvage's page decoder. Only rows that
    are, column for column, a version the record really had count (SQLite hands over damaged
    rows too: a flipped byte in an envelope reads fine). With ``wal`` False the database file
    is read alone, as SQLite would after losing its WAL: those records are readable in the
    copy as well. Returns the furthest-along readable version of each record, and the ids of
    readable messages.
    """
    if not files.get("") and not (wal and files.get("-wal")):
        return {}, set()
    scratch.mkdir()
    db = scratch / NAME
    write_private(db, files.get("", b""))  # SQLite reads a WAL over an empty (or missing) file too
    for suffix, data in files.items():
        if suffix and wal:
            write_private(Path(f"{db}{suffix}"), data)
    records: dict[str, dict[str, Any]] = {}
    messages: set[str] = set()
    try:
        conn = sqlite3.connect(db, timeout=0.1)
    except sqlite3.Error:
        return {}, set()
    try:
        conn.row_factory = sqlite3.Row
        for row in _rows(conn, "outbox", "id", list(sample.history)):
            if sample.known("outbox", row):
                best = records.get(row["id"])
                if best is None or STATE_RANK[row["state"]] > STATE_RANK[best["state"]]:
                    records[row["id"]] = row
        for row in _rows(conn, "messages", "id", list(sample.messages)):
            if sample.known("messages", row):
                messages.add(row["id"])
    finally:
        conn.close()
    return records, messages


def _rank(state: str) -> int:
    """A record left ``sending`` comes back ``pending`` from every open (re-sent: idempotent)."""
    return STATE_RANK["pending" if state == "sending" else state]


# -- the property ------------------------------------------------------------------------------


def _stored(path: Path) -> dict[str, dict[str, Any]]:
    """The opened outbox's rows, read beside it (text that is not UTF-8, content damage
    SQLite's checks cannot see, reads with replacement characters instead of raising)."""
    conn = sqlite3.connect(path)
    try:
        conn.row_factory = sqlite3.Row
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # type: ignore[misc]
        return {row["id"]: dict(row) for row in conn.execute("SELECT * FROM outbox")}
    finally:
        conn.close()


def _check_opened(box: Outbox, sample: Sample, files: dict[str, bytes],
                  views: list[tuple[dict[str, dict[str, Any]], set[str]]]) -> None:
    got = _stored(box.path)
    recovered = box.recovery is not None
    if not files.get("") and len(files.get("-wal", b"")) > 32:  # committed frames, no file
        assert recovered, "a WAL without its database file was dropped, not kept"
    seen_intact = set().union(*(records for records, _ in views))
    # Nothing invented, nothing taken from another record, by the salvage. Without one the
    # rows are SQLite's own, damaged contents too where its checks cannot see the damage (a
    # flipped byte in a row, a last overflow page overwritten): the platform cannot open such
    # an envelope and refuses it, and the record is quarantined then.
    for txid, row in got.items() if recovered else ():
        assert txid in sample.history, f"record {txid} never existed"
        original = sample.history[txid][0]
        envelopes = {v["envelope"] for v in sample.history[txid]} - {None}
        assert row["envelope"] is None or row["envelope"] in envelopes, f"{txid}: envelope"
        assert row["envelope"] is None or payload_hash(row["envelope"]) == row["payload_hash"]
        if row["envelope"] is None and row["payload_hash"] == "":
            # a damaged copy whose tail (hash, receipt) was another record's: left empty
            assert (row["receipt"], row["state"]) in (("{}", "quarantined"), ("{}", "purged"))
            row = {**row, "payload_hash": original["payload_hash"],
                   "receipt": original["receipt"], "query_code": None}
        if txid in seen_intact:  # SQLite reads it intact: so must the outbox
            assert {k: row[k] for k in FIXED} == {k: original[k] for k in FIXED}
            assert row["query_code"] in (None, original["query_code"])  # a purge drops it
        else:
            # Only the envelope is sealed and hashed: a flipped byte in another column reads
            # as it is, in SQLite as in the salvage. But no column may be another record's.
            for name in ("payload_hash", "receipt", "query_code"):
                assert row[name] is None or row[name] == original[name] or row[name] not in (
                    sample.values(name) - {original[name]}), f"{txid}: another record's {name}"
    bodies = {m.id: m.body for m in box.messages.select()}
    for message_id, body in bodies.items() if recovered else ():
        assert sample.messages.get(message_id) == body, f"message {message_id} altered"
    for n, (records, messages) in enumerate(views):
        for txid, seen in records.items():
            assert txid in got, f"readable record {txid} ({seen['state']}) lost"
            row = got[txid]
            if recovered or n == 0:  # unrecovered: the database alone may be older than its WAL
                assert _rank(row["state"]) >= _rank(seen["state"]), (txid, seen["state"])
            if not recovered and n == 0:
                assert row["state"] == ("pending" if seen["state"] == "sending" else
                                        seen["state"]), txid
            if seen["envelope"] is not None and row["state"] != "purged":
                assert row["envelope"] == seen["envelope"], f"envelope of {txid} lost"
        assert messages <= set(bodies), f"readable messages lost: {messages - set(bodies)}"
    if recovered:
        assert box.recovery is not None
        # a lost id is a record's (the indexes of messages and calls name their ids too)
        assert not set(box.recovery.lost_ids) & set(bodies), "a recovered message called lost"
        kept = {next((s for s in SUFFIXES[1:] if p.endswith(s)), ""): Path(p).read_bytes()
                for p in box.recovery.kept_files}
        for suffix in ("", "-wal"):
            if suffix in files:
                assert kept.get(suffix) == files[suffix], f"{NAME}{suffix} not kept as it was"


def _check_refused(sample: Sample, path: Path, views: list[tuple[dict[str, Any], set[str]]],
                   scratch: Path) -> None:
    """A refused open (a newer schema, say) loses nothing: what SQLite read before, it reads
    after, from the files left in place or kept aside (a refused open may checkpoint its WAL
    into the file, as any open does, so the bytes need not stay the same)."""
    kept = sorted(path.parent.glob(f"{NAME}.corrupt-*"))
    base = next((p for p in kept if not p.name.endswith(("-wal", "-shm", ".json"))), path)
    left = {suffix: Path(f"{base}{suffix}").read_bytes() for suffix in SUFFIXES
            if Path(f"{base}{suffix}").exists()}
    after = [readable(sample, left, scratch / "after-as-is", wal=True),
             readable(sample, left, scratch / "after-db-alone", wal=False)]
    before_ids = set().union(*(set(records) | messages for records, messages in views))
    after_ids = set().union(*(set(records) | messages for records, messages in after))
    assert before_ids <= after_ids, f"a refused open lost {sorted(before_ids - after_ids)}"


def open_damaged(sample: Sample, damage: Damage) -> None:
    files = damage.apply(sample)
    with tempfile.TemporaryDirectory(prefix="salvage-fuzz-") as tmp:
        scratch = Path(tmp)
        views = [readable(sample, files, scratch / "as-is", wal=True),
                 readable(sample, files, scratch / "db-alone", wal=False)]
        path = scratch / "kiosk" / NAME
        path.parent.mkdir()
        for suffix, data in files.items():
            write_private(Path(f"{path}{suffix}"), data)
        try:
            box = Outbox(path, clock=FakeClock())
        except OutboxError:
            _check_refused(sample, path, views, scratch)
            return
        try:
            _check_opened(box, sample, files, views)
        finally:
            box.close()


@FUZZ
@given(damage=damages)
# Found by this test, each a record lost or mislabelled before the salvage was fixed:
# a WAL older than its file, which SQLite applies without a word (sync/outbox/stale_wal.py);
@example(Damage("closed", "present", (), "old", (), "own"))
# a WAL from a later state, whose pages the file's rows followed as their overflow chains
# (intact copies now win, and the file's pages are also read against the file alone);
@example(Damage("old", "present", (), "crash", (), "own"))
# a row whose only copy ends in another record's overflow pages: it took that receipt;
@example(Damage("old", "present", (("zero", "freelist", 14, 0),), "crash", (), "own"))
# a WAL whose database file is missing: SQLite started an empty outbox and dropped the log;
@example(Damage("crash", "missing", (), "own", (), "none"))
# a damaged reserved-bytes field (header byte 20) in the file, sound in the WAL's page 1;
@example(Damage("old", "present", (("truncate", 3, 1), ("flip", "header", 106, 120, 206)),
                "own", (), "own"))
# an integrity check naming a table by damaged bytes: the open raised UnicodeDecodeError;
@example(Damage("old", "present", (("flip", "any", 0, 2297, 226), ("garbage", "leaf", 53, 307),
                                   ("garbage", "leaf", 7, 124)),
                "own", (("truncate", 510511), ("truncate", 15018)), "garbage"))
# a file cut one byte short of a page: the salvage skipped the whole page, SQLite reads it,
@example(Damage("old", "present", (("truncate", 41, 4095), ("flip", "freelist", 92, 555, 157),
                                   ("flip", "header", 2, 0, 2)), "own", (), "own"))
# and the cell that cut took a byte from, read zero-filled: a query code with a NUL in it.
@example(Damage("closed", "present", (("zero", "leaf", 182, 25697), ("truncate", 24, 4095),
                                      ("flip", "header", 107, 814, 65)), "none", (), "own"))
# (a refused open, a newer schema in a flipped header, checkpoints like any open: not a loss)
@example(Damage("old", "present", (("flip", "header", 85, 1663, 46),), "own",
                (("flip", 197799, 48), ("truncate", 900)), "own"))
# a flipped byte in a record's id, which SQLite still finds through the index: now so does
# the salvage (a row's id that no index names takes the one the index gives its rowid);
@example(Damage("closed", "present", (("flip", "leaf", 16, 193, 122), ("flip", "leaf", 17, 0, 56)),
                "own", (), "none"))
# a flipped serial type (a text id read as a blob), which only a full integrity check sees;
@example(Damage("closed", "present", (("zero", "freelist", 56, 65535),
                                      ("flip", "leaf", 56, 220, 1)), "own", (), "old"))
# an id flipped into bytes that are not UTF-8: the whole cell was dropped, now its index helps;
@example(Damage("crash", "present", (("flip", "leaf", 188, 876, 201),
                                     ("flip", "leaf", 197, 1545, 245),
                                     ("flip", "leaf", 78, 200, 200)),
                "old", (("truncate", 900), ("flip", 44535, 44)), "none"))
# a rating's id with a flipped byte: messages now take their index's id too;
@example(Damage("closed", "present", (("flip", "any", 82, 2386, 90),), "own",
                (("flip", 625, 202), ("truncate", 14985)), "crash"))
# (a payload hash that is not UTF-8, no salvage: the test's own read of the rows raised)
@example(Damage("old", "present", (("flip", "leaf", 197, 2524, 228),), "own",
                (("truncate", 3379), ("flip", 82444, 39)), "garbage"))
def test_damaged_outbox_keeps_every_readable_record(sample: Sample, damage: Damage) -> None:
    open_damaged(sample, damage)


def test_undamaged_images_open_with_every_record(sample: Sample) -> None:
    """The oracle sees the records in each intact image, and the open keeps them all."""
    for image in ("closed", "crash", "old"):
        damage = Damage(image, "present", (), "own", (), "own")
        with tempfile.TemporaryDirectory() as tmp:
            records, messages = readable(sample, damage.apply(sample), Path(tmp) / "v", True)
        assert len(records) >= 20 and len(messages) == 6, image
        open_damaged(sample, damage)
