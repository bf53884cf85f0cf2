"""A damaged outbox found at start: detect it, keep it, recover what can be read.

The records in an outbox may already have printed receipts, so a damaged file is never
dropped: it (with its ``-wal`` and ``-shm``) is renamed ``<name>.corrupt-<UTC time>`` and
kept, every readable record is copied into a fresh outbox with its id, sequence numbers and
state (acked stays acked; pending is re-sent, which the platform's idempotency makes safe),
and a report is written beside the kept file for technicians.

Which copy of a record wins: a file being rewritten holds stale copies of pages (in the WAL
and in free pages). Records only move forward (pending -> sending -> acked -> purged, or
quarantined), so the copy in the furthest state is the truth; among equals, the newest.
A WAL whose database file is missing or empty is damage too (SQLite would start an empty
outbox and drop it): it is kept and its frames read alone.

A record is only trusted if its envelope still hashes to its ``payload_hash``: an intact copy
always beats a damaged one, and one whose every copy is damaged is kept (its receipt names
the tracking number) but quarantined.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync.outbox.messages_recovery import MessageSalvage, salvage_messages
from sync.outbox.schema import COLUMN_LIST, STATE_RANK, STATES, V1_COLUMN_COUNT, iso
from sync.outbox.sqlite_salvage import Cell, salvage_cells
from sync.outbox.stale_wal import stale_wal
from sync.sealing import payload_hash

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
# When a counter's own row is lost, numbers continue this far past the highest one seen,
# so a tracking number already printed on a lost record's receipt is not handed out again.
COUNTER_MARGIN = 100
_WAL_HEADER = 32  # a WAL no longer than its header holds no frame
DAMAGED_REASON = "envelope damaged in a corrupt outbox file; the citizen must submit again"


@dataclass
class RecoveryReport:
    """What a recovery did, for technicians (ids and counts only: no personal data)."""

    detected_at: str
    problem: str
    kept_files: list[str]
    recovered: dict[str, int]  # records per state in the fresh outbox
    lost_ids: list[str]  # known to have existed (an index names them) but unreadable
    damaged_ids: list[str]  # readable, envelope damaged: kept quarantined
    counters_found: bool
    report_path: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def recovered_total(self) -> int:
        return sum(self.recovered.values())

    @property
    def lost_total(self) -> int:
        return len(self.lost_ids) + len(self.damaged_ids)

    def describe(self) -> str:
        return (
            f"outbox was damaged ({self.problem}); kept as {self.kept_files[0]}; "
            f"{self.recovered_total} records recovered, {len(self.lost_ids)} unreadable, "
            f"{len(self.damaged_ids)} with a damaged payload (quarantined)"
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RecoveryReport:
        return cls(**json.loads(text))


def _check(target: str, uri: bool) -> tuple[str | None, bool]:
    """(problem or None, whether SQLite could judge the file at all)."""
    try:
        conn = sqlite3.connect(target, uri=uri, timeout=5.0)
    except sqlite3.Error:
        return None, False
    # the check names damaged tables and indexes, whose names may be damaged bytes too
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # type: ignore[misc]
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        # integrity_check, not quick_check: it also matches every index entry to its row, so
        # a flipped byte in an indexed column is found (5000 records: 19 ms against 16)
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) in _CORRUPT_CODES:
            return str(exc), True
        return None, False
    except UnicodeDecodeError:  # SQLite's own message quoted damaged bytes
        return "malformed database schema (damaged text)", True
    finally:
        conn.close()
    if rows == ["ok"]:
        return None, True
    return "integrity check failed: " + "; ".join(str(r) for r in rows)[:300], True


def detect_damage(path: Path) -> str | None:
    """Why the file at ``path`` is damaged, or None if SQLite finds it sound (or it is absent).

    Read-only (a read-only connection neither checkpoints nor deletes the WAL), so the
    evidence is untouched. A sound file whose WAL would take it backwards is damaged too
    (:mod:`sync.outbox.stale_wal`). Where a read-only look is impossible (a WAL without its -shm
    after a power cut) a copy is checked instead. Errors that are not damage (permissions,
    a newer schema) are left for the normal open to report.
    """
    if not path.exists() or path.stat().st_size == 0:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > _WAL_HEADER:
            # SQLite would start an empty outbox and drop the log with the records it holds
            return "the database file is missing or empty, but its write-ahead log is not"
        return None
    target = f"file:{path.resolve()}?mode=ro"
    problem, judged = _check(target, uri=True)
    if judged:
        return problem or stale_wal(path, target)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".outbox-check-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        if Path(f"{path}-wal").exists():
            shutil.copyfile(f"{path}-wal", f"{copy}-wal")
        problem, _ = _check(str(copy), uri=False)
        return problem or stale_wal(copy, f"file:{copy.resolve()}")


def move_aside(path: Path, now: datetime) -> list[Path]:
    """Rename the file and its -wal/-shm to ``<name>.corrupt-<stamp>[-wal|-shm]``; keep them."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    moved = []
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            target = Path(f"{kept}{suffix}")
            source.rename(target)
            moved.append(target)
    return moved


def _as_row(values: tuple[Any, ...]) -> dict[str, Any] | None:
    """The cell as an outbox row, if it has the outbox's shape; else None."""
    if not V1_COLUMN_COUNT <= len(values) <= len(COLUMN_LIST):
        return None
    row = dict(zip(COLUMN_LIST, values, strict=False))
    row.setdefault("envelope_size", len(row["envelope"] or b""))
    row.setdefault("purged_at", None)
    row.setdefault("quarantined_at", None)
    for name in ("platform_status", "status_changed_at", "query_code"):
        row.setdefault(name, None)
    row.setdefault("lookup_failures", 0)
    text = ("daily_key", "service_code", "created_at", "payload_hash", "receipt")
    optional_text = (
        "next_attempt_at", "last_error", "acked_at", "verdict", "purged_at", "query_code"
    )
    try:
        if not (isinstance(row["id"], str) and _UUID.match(row["id"])):
            return None
        whole = ("seq", "daily_seq", "attempts", "lookup_failures")
        if not all(isinstance(row[k], int) for k in whole):
            return None
        if not all(isinstance(row[k], str) for k in text) or row["state"] not in STATES:
            return None
        if not all(row[k] is None or isinstance(row[k], str) for k in optional_text):
            return None
        if not isinstance(row["created_mono"], int | float):
            return None
        if row["envelope"] is not None and not isinstance(row["envelope"], bytes):
            return None
        datetime.fromisoformat(row["created_at"])
        if not isinstance(json.loads(row["receipt"]), dict):
            return None
    except (ValueError, TypeError):
        return None
    row["created_mono"] = float(row["created_mono"])
    return row


@dataclass
class Salvage:
    """Rows and counters read from a damaged file, ready for a fresh outbox."""

    problem: str
    detected_at: datetime
    kept: list[Path]
    rows: list[dict[str, Any]]
    counters: dict[str, int]
    lost_ids: list[str]
    damaged_ids: list[str]
    counters_found: bool
    notes: list[str]
    messages: MessageSalvage = field(default_factory=MessageSalvage)  # ratings and calls

    def finish(self, path: Path, restored: Iterable[str] | None = None) -> RecoveryReport:
        """Write the report beside the kept file and return it.

        ``restored`` are the ids the fresh outbox actually took (default: all rows).
        """
        taken = set(restored) if restored is not None else {r["id"] for r in self.rows}
        recovered = {state: 0 for state in STATES}
        for row in self.rows:
            if row["id"] in taken:
                recovered[row["state"]] += 1
        refused = sorted(r["id"] for r in self.rows if r["id"] not in taken)
        report = RecoveryReport(
            detected_at=iso(self.detected_at),
            problem=self.problem,
            kept_files=[str(p) for p in self.kept],
            recovered=recovered,
            lost_ids=sorted(set(self.lost_ids) | set(refused)),
            damaged_ids=sorted(self.damaged_ids),
            counters_found=self.counters_found,
            notes=list(self.notes),
        )
        target = Path(f"{self.kept[0]}.recovery.json") if self.kept else Path(f"{path}.recovery")
        report.report_path = str(target)
        target.write_text(report.to_json(), encoding="utf-8")
        return report


def _uuid(value: object) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def id_repair(cells: list[Cell]) -> dict[int, str]:
    """rowid -> the one id an index names for it that no table row holds: a row whose own
    copy of its id is damaged takes it (SQLite itself answers a lookup by id from the index)."""
    named: dict[int, set[str]] = {}
    held = {v for c in cells if c.kind == "table" for v in c.values[:2] if _uuid(v)}
    for cell in cells:
        if cell.kind == "index" and len(cell.values) == 2 and isinstance(cell.values[1], int):
            key, rowid = cell.values
            if _uuid(key) and key not in held:
                named.setdefault(rowid, set()).add(key)
    return {rowid: next(iter(ids)) for rowid, ids in named.items() if len(ids) == 1}


def _merge(cells: list[Cell]) -> tuple[dict[str, dict[str, Any]], set[str], set[str]]:
    """Best copy of each record; ids an index names; ids of rows that failed their hash."""
    best: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}
    indexed: set[str] = set()
    damaged: set[str] = set()
    repair = id_repair(cells)
    for cell in cells:
        if cell.kind == "index":
            key = cell.values[0] if len(cell.values) == 2 else None
            if _uuid(key):
                indexed.add(str(key))
            continue
        values = cell.values
        # only an id that is no id at all: a sound one whose index entry is lost stays, as the
        # rowid its index names may be another table's
        if values and not _uuid(values[0]) and cell.rowid in repair:
            values = (repair[cell.rowid], *values[1:])
        row = _as_row(values)
        if row is None:
            continue
        envelope = row["envelope"]
        intact = envelope is None or payload_hash(envelope) == row["payload_hash"]
        if not intact:
            damaged.add(row["id"])
        # An intact copy beats any damaged one: past a damaged envelope the row's other columns
        # (hash, receipt, verdict) may come from pages another record reused, and a further
        # state known only from such a copy is not worth them (an earlier state is safe: a
        # record sent again is answered "duplicate").
        rank = (int(intact), STATE_RANK[row["state"]], cell.order)
        if row["id"] not in best or rank > best[row["id"]][0]:
            best[row["id"]] = (rank, row)
    return {txid: row for txid, (_, row) in best.items()}, indexed, damaged


def _counters(cells: list[Cell], rows: Iterable[dict[str, Any]]) -> tuple[dict[str, int], bool]:
    found: dict[str, int] = {}
    for cell in cells:
        values = cell.values
        if cell.kind == "table" and len(values) == 2 and isinstance(values[0], str):
            name, value = values
            if isinstance(value, int) and (name == "seq" or name.startswith("daily:")):
                found[name] = max(found.get(name, 0), value)
    seen: dict[str, int] = {}
    for row in rows:
        seen["seq"] = max(seen.get("seq", 0), row["seq"])
        key = f"daily:{row['daily_key']}"
        seen[key] = max(seen.get(key, 0), row["daily_seq"])
    counters = dict(found)
    complete = "seq" in found
    for name, value in seen.items():
        if name in found:
            counters[name] = max(found[name], value)
        else:
            complete = False
            counters[name] = value + COUNTER_MARGIN
    return counters, complete


def recover_damaged(path: Path, problem: str, now: datetime) -> Salvage:
    """Move the damaged file aside and read every record it still holds (see module doc)."""
    kept = move_aside(path, now)
    db = next((p for p in kept if not p.name.endswith(("-wal", "-shm"))), None)
    wal = next((p for p in kept if p.name.endswith("-wal")), None)
    notes: list[str] = []
    cells: list[Cell] = []
    if db is not None or wal is not None:  # a WAL whose file is missing is read alone
        page_size, cells = salvage_cells(db or Path(str(wal)[: -len("-wal")]), wal)
        notes.append(f"read with page size {page_size}")
    rows_by_id, indexed, damaged = _merge(cells)
    # whose envelope each hash is: a damaged row's columns past its envelope (hash, receipt)
    # may be read from the overflow pages of another record, whose hash then gives it away
    owners = {row["payload_hash"]: txid for txid, row in rows_by_id.items()
              if row["envelope"] is not None
              and payload_hash(row["envelope"]) == row["payload_hash"]}
    damaged_kept, borrowed = [], 0
    for txid, row in rows_by_id.items():
        envelope = row["envelope"]
        if envelope is None or payload_hash(envelope) == row["payload_hash"]:
            continue
        damaged_kept.append(txid)
        row["envelope"] = None
        if owners.get(row["payload_hash"], txid) != txid:  # its tail is another record's
            row["payload_hash"], row["receipt"], borrowed = "", "{}", borrowed + 1
            row["query_code"] = row["platform_status"] = row["status_changed_at"] = None
        if row["state"] in ("acked", "purged"):
            row["state"] = "purged"  # the platform has it; the copy here was only a spare
        else:
            row["state"] = "quarantined"
            row["verdict"] = "damaged"
            row["last_error"] = DAMAGED_REASON
            row["quarantined_at"] = iso(now)
    for row in rows_by_id.values():
        if row["state"] == "sending":
            row["state"] = "pending"
    rows = sorted(rows_by_id.values(), key=lambda r: r["seq"])
    counters, counters_found = _counters(cells, rows)
    if not counters_found or not cells:
        # Lost records may have printed receipts: new numbers start past the margin for
        # two days, whatever the day key (the outbox does not know the kiosk's calendar).
        counters["floor"] = max(counters.get("floor", 0), COUNTER_MARGIN)
        counters["floor_until"] = int(now.timestamp()) + 2 * 86400
        notes.append(f"some counters were lost; numbering continues {COUNTER_MARGIN} further")
    if borrowed:
        notes.append(f"{borrowed} damaged record(s) held another record's receipt: left empty")
    messages = salvage_messages(cells, id_repair(cells))
    # the indexes of messages and calls name their ids too: those are not lost records
    others = {m["id"] for m in messages.messages} | {c["call_id"] for c in messages.calls}
    lost = sorted((indexed | damaged) - set(rows_by_id) - others)
    if messages.messages or messages.calls or messages.damaged:
        notes.append(messages.note())
    return Salvage(
        problem=problem,
        detected_at=now,
        kept=kept,
        rows=rows,
        counters=counters,
        lost_ids=lost,
        damaged_ids=[t for t in damaged_kept if rows_by_id[t]["state"] == "quarantined"],
        counters_found=counters_found,
        notes=notes,
        messages=messages,
    )


def recovery_reports(path: Path) -> list[RecoveryReport]:
    """Every recovery report kept beside the outbox at ``path``, oldest first."""
    reports = []
    for candidate in sorted(Path(path).parent.glob(f"{Path(path).name}.corrupt-*.recovery.json")):
        try:
            reports.append(RecoveryReport.from_json(candidate.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
    return reports
