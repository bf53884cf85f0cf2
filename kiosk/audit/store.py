"""The audit log's file: ``audit.sqlite`` beside the outbox (not in it, so the outbox's counts,
schema and uploads stay as they are).

Entries are appended in one transaction each (``synchronous=FULL``); nothing updates or
deletes an entry but :meth:`AuditLog.prune`, which keeps the chain verifiable by storing the
last pruned entry's sequence number and hash as the anchor, and the head (highest sequence
number written) so that a cut-off tail shows. Every string in ``details`` goes through the
log redaction (:func:`kiosk.logs.redaction.redact`) before it is stored: the trail holds staff
ids, never a citizen's data (docs/audit.md).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.logs.redaction import redact
from sync.audit_chain import GENESIS, KINDS, Anchor, Problem, entry_hash, verify
from sync.clock import Clock, SystemClock

ENTRIES = "audit_entries"
META = "audit_meta"
SCHEMA_VERSION = 1
# ``uploaded``: 0 not handed over yet, 1 in the outbox, 2 acknowledged by the platform.
HANDED_OVER, ACKNOWLEDGED = 1, 2
MIN_RETENTION_DAYS = 183  # six months: Cybersecurity Law art. 21


class AuditError(Exception):
    """The audit log cannot be written or read (said in words)."""


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(str(value))


class AuditLog:
    """One kiosk's audit trail in ``path`` (created on first use)."""

    def __init__(self, path: Path, clock: Clock | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or SystemClock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # used from several kiosk threads, one at a time (AuditRecorder holds a lock)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        self.db = sqlite_utils.Database(conn)
        self._migrate()

    def _migrate(self) -> None:
        if META not in self.db.table_names():
            with self.db.conn:
                self.db.table(META).create({"key": str, "value": str}, pk="key")
                self.db.table(ENTRIES).create(
                    {"seq": int, "at": str, "kind": str, "actor": str, "details": str,
                     "prev_hash": str, "hash": str, "uploaded": int},
                    pk="seq", not_null={"at", "kind", "actor", "details", "prev_hash", "hash"},
                    defaults={"uploaded": 0})
                self.db.table(ENTRIES).create_index(["uploaded"])
                for key, value in (("schema_version", str(SCHEMA_VERSION)),
                                   ("anchor_seq", "0"), ("anchor_hash", GENESIS),
                                   ("head_seq", "0"), ("head_hash", GENESIS)):
                    self.db.table(META).insert({"key": key, "value": value})
        version = int(self._meta("schema_version"))
        if version > SCHEMA_VERSION:
            raise AuditError(f"{self.path} is audit schema {version}, newer than this kiosk "
                             f"knows ({SCHEMA_VERSION}): update the kiosk")

    def _meta(self, key: str) -> str:
        row = self.db.execute(f"SELECT value FROM {META} WHERE key = ?", [key]).fetchone()
        if row is None:
            raise AuditError(f"{self.path}: the audit log's {key} is missing")
        return str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(f"UPDATE {META} SET value = ? WHERE key = ?", [value, key])

    @property
    def anchor(self) -> Anchor:
        return Anchor(int(self._meta("anchor_seq")), self._meta("anchor_hash"))

    @property
    def head_seq(self) -> int:
        return int(self._meta("head_seq"))

    @property
    def head(self) -> tuple[int, str]:
        """The last entry written: its number and hash (what the heartbeat tells the platform)."""
        return int(self._meta("head_seq")), self._meta("head_hash")

    def meta(self, key: str) -> str | None:
        """A value the kiosk keeps beside the chain (not in it), e.g. the configuration digest."""
        row = self.db.execute(f"SELECT value FROM {META} WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        if key in ("schema_version", "anchor_seq", "anchor_hash", "head_seq", "head_hash"):
            raise AuditError(f"{key} belongs to the chain and is not set from outside")
        with self.db.conn:
            self.db.execute(f"INSERT INTO {META} (key, value) VALUES (?, ?) ON CONFLICT(key) "
                            "DO UPDATE SET value = excluded.value", [key, value])

    def append(self, kind: str, actor: str, details: Mapping[str, Any] | None = None
               ) -> dict[str, Any]:
        """Add one entry at the chain's head; returns it as stored."""
        if kind not in KINDS:
            raise AuditError(f"unknown audit entry kind {kind!r} (known: {', '.join(KINDS)})")
        clean = _clean(dict(details or {}))
        with self.db.conn:
            self.db.execute("BEGIN IMMEDIATE")
            seq = int(self._meta("head_seq")) + 1
            entry: dict[str, Any] = {
                "seq": seq,
                "at": self.clock.now().isoformat(),
                "kind": kind,
                "actor": redact(str(actor)),
                "details": clean,
                "prev_hash": self._meta("head_hash"),
            }
            entry["hash"] = entry_hash(entry)
            self.db.execute(
                f"INSERT INTO {ENTRIES} (seq, at, kind, actor, details, prev_hash, hash, uploaded)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                [seq, entry["at"], kind, entry["actor"],
                 json.dumps(clean, ensure_ascii=False, sort_keys=True), entry["prev_hash"],
                 entry["hash"]])
            self._set_meta("head_seq", str(seq))
            self._set_meta("head_hash", entry["hash"])
        return entry

    def entries(self) -> list[dict[str, Any]]:
        """Every kept entry in stored order (rowid order, so a reordering shows)."""
        out = []
        for row in self.db.execute(
                f"SELECT seq, at, kind, actor, details, prev_hash, hash FROM {ENTRIES} "
                "ORDER BY rowid"):
            seq, at, kind, actor, details, prev_hash, hash_ = row
            try:
                parsed = json.loads(details)
            except (TypeError, ValueError):
                parsed = details
            out.append({"seq": seq, "at": at, "kind": kind, "actor": actor, "details": parsed,
                        "prev_hash": prev_hash, "hash": hash_})
        return out

    def verify(self) -> list[Problem]:
        """Every break in the kept chain, from the anchor to the recorded head."""
        return verify(self.entries(), self.anchor, expected_last=self.head_seq)

    def pending_upload(self, limit: int = 100) -> list[dict[str, Any]]:
        """Entries the platform has not acknowledged yet, oldest first."""
        rows = {e["seq"]: e for e in self.entries()}
        seqs = [r[0] for r in self.db.execute(
            f"SELECT seq FROM {ENTRIES} WHERE uploaded = 0 ORDER BY seq LIMIT ?", [limit])]
        return [rows[s] for s in seqs]

    def mark_uploaded(self, up_to_seq: int) -> None:
        with self.db.conn:
            self.db.execute(f"UPDATE {ENTRIES} SET uploaded = 1 WHERE seq <= ? AND uploaded = 0",
                            [up_to_seq])

    def handed_over(self, limit: int = 1000) -> list[int]:
        """Numbers of entries in the outbox whose acknowledgement is not known yet."""
        return [int(r[0]) for r in self.db.execute(
            f"SELECT seq FROM {ENTRIES} WHERE uploaded = ? ORDER BY seq LIMIT ?",
            [HANDED_OVER, limit])]

    def mark_acknowledged(self, seqs: list[int]) -> None:
        """The platform acknowledged these entries (their outbox messages are acked)."""
        with self.db.conn:
            self.db.conn.executemany(f"UPDATE {ENTRIES} SET uploaded = ? WHERE seq = ?",
                                     [(ACKNOWLEDGED, s) for s in seqs])

    def prune(self, retention_days: float, acknowledged_only: bool = False) -> int:
        """Drop uploaded entries older than ``retention_days``; returns how many went.

        Never below six months, never an entry not handed over (with ``acknowledged_only``:
        not acknowledged by the platform, see :mod:`kiosk.audit.retention`); the last pruned
        entry becomes the anchor, so the kept chain still verifies.
        """
        if retention_days < MIN_RETENTION_DAYS:
            raise AuditError(f"audit entries are kept at least {MIN_RETENTION_DAYS} days "
                             f"(six months), not {retention_days:g}")
        cutoff = (self.clock.now() - timedelta(days=retention_days)).isoformat()
        with self.db.conn:
            self.db.execute("BEGIN IMMEDIATE")
            last = None
            for seq, at, uploaded, hash_ in self.db.execute(
                    f"SELECT seq, at, uploaded, hash FROM {ENTRIES} ORDER BY seq"):
                if at >= cutoff or uploaded < (ACKNOWLEDGED if acknowledged_only else 1):
                    break
                last = (seq, hash_)
            if last is None:
                return 0
            cur = self.db.execute(f"DELETE FROM {ENTRIES} WHERE seq <= ?", [last[0]])
            self._set_meta("anchor_seq", str(last[0]))
            self._set_meta("anchor_hash", last[1])
            return int(cur.rowcount)

    def close(self) -> None:
        self.db.conn.close()
