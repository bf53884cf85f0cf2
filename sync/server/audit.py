"""The kiosks' audit trails on the reference platform: stored per kiosk, chain checked.

Each entry arrives as an outbox message of kind ``audit`` (:mod:`sync.audit_chain`), signed
like the other messages, and is kept under ``(kiosk_id, seq)``. Continuity is judged over
what the platform holds, from the kiosk's first anchor (the genesis, or the last entry the
kiosk pruned before its first upload):

- a **gap**: entries missing between two held ones (a cut-off or deleted stretch of the log);
- a **broken link**: an entry whose ``prev_hash`` is not the hash of the entry held before it
  (the log was rewritten or reordered and rehashed on the kiosk);
- a **rewritten** entry: a number the platform already holds arrives with another hash (the
  message is refused as a conflict, and the attempt is recorded for good).

Gaps and broken links are computed from the held entries on every read (a late entry can fill
a gap); rewrites are kept in ``audit_flags``. ``GET /v1/audit/status`` gives a kiosk its own
state; ``kiosk server audit --data-dir DIR`` lists every kiosk's.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    String,
    Table,
    Text,
    func,
    select,
)

from sync.audit_chain import GENESIS, Anchor, verify
from sync.platform.signing import REASON_MISSING
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.db import create_schema
from sync.server.schema import metadata

AUDIT_STATUS_PATH = "/v1/audit/status"

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("received_at", Float, nullable=False),
)

audit_anchors = Table(
    "audit_anchors",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_flags = Table(
    "audit_flags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kiosk_id", String(64), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("words", Text, nullable=False),
    Column("flagged_at", Float, nullable=False),
)

_WORDS = {"deleted": "gap", "inserted": "broken-link", "reordered": "broken-link",
          "changed": "broken-link", "malformed": "broken-link"}


def store_entry(conn: Connection, kiosk_id: str, doc: dict[str, Any], now: float) -> None:
    """Keep one checked entry (its message id is new, so its number is too)."""
    entry = doc["entry"]
    has_anchor = conn.execute(select(audit_anchors.c.seq).where(
        audit_anchors.c.kiosk_id == kiosk_id)).first()
    if has_anchor is None:
        anchor = doc.get("anchor") or {"seq": 0, "hash": GENESIS}
        conn.execute(audit_anchors.insert().values(
            kiosk_id=kiosk_id, seq=int(anchor["seq"]), hash=str(anchor["hash"])))
    conn.execute(audit_entries.insert().values(
        kiosk_id=kiosk_id, seq=entry["seq"], at=entry["at"], kind=entry["kind"],
        actor=entry["actor"], details=json.dumps(entry["details"], ensure_ascii=False,
                                                 sort_keys=True),
        prev_hash=entry["prev_hash"], hash=entry["hash"], received_at=now))


def flag_rewritten(conn: Connection, kiosk_id: str, doc: dict[str, Any], now: float) -> None:
    """A number already held arrived with another hash: the kiosk's log was rewritten."""
    entry = doc.get("entry") or {}
    seq = int(entry.get("seq") or 0)
    held = conn.execute(select(audit_entries.c.hash).where(
        (audit_entries.c.kiosk_id == kiosk_id) & (audit_entries.c.seq == seq))).scalar()
    conn.execute(audit_flags.insert().values(
        kiosk_id=kiosk_id, seq=seq, kind="rewritten",
        words=f"entry #{seq} arrived again with another hash ({str(entry.get('hash'))[:12]}… "
              f"instead of the {str(held)[:12]}… held): the kiosk's log was rewritten",
        flagged_at=now))


class AuditFlag(BaseModel):
    seq: int
    kind: str  # gap | broken-link | rewritten
    words: str


class AuditStatus(BaseModel):
    kiosk_id: str
    entries: int
    first_seq: int | None
    last_seq: int | None
    intact: bool
    flags: list[AuditFlag]


def kiosk_status(conn: Connection, kiosk_id: str) -> AuditStatus:
    """What the platform holds of one kiosk's chain, and every break in it."""
    anchor_row = conn.execute(select(audit_anchors.c.seq, audit_anchors.c.hash).where(
        audit_anchors.c.kiosk_id == kiosk_id)).first()
    anchor = Anchor(anchor_row.seq, anchor_row.hash) if anchor_row else Anchor()
    rows = conn.execute(select(audit_entries).where(audit_entries.c.kiosk_id == kiosk_id)
                        .order_by(audit_entries.c.seq)).all()
    entries = [{"seq": r.seq, "at": r.at, "kind": r.kind, "actor": r.actor,
                "details": json.loads(r.details), "prev_hash": r.prev_hash, "hash": r.hash}
               for r in rows]
    flags = [AuditFlag(seq=p.seq, kind=_WORDS.get(p.kind, p.kind), words=p.words)
             for p in verify(entries, anchor)]
    flags += [AuditFlag(seq=r.seq, kind=r.kind, words=r.words) for r in conn.execute(
        select(audit_flags).where(audit_flags.c.kiosk_id == kiosk_id)
        .order_by(audit_flags.c.id))]
    return AuditStatus(kiosk_id=kiosk_id, entries=len(entries),
                       first_seq=entries[0]["seq"] if entries else None,
                       last_seq=entries[-1]["seq"] if entries else None,
                       intact=not flags, flags=flags)


def every_kiosk(engine: Engine) -> list[AuditStatus]:
    create_schema(engine, metadata)
    with engine.connect() as conn:
        ids = {r[0] for r in conn.execute(select(audit_entries.c.kiosk_id).distinct())}
        ids |= {r[0] for r in conn.execute(select(audit_flags.c.kiosk_id).distinct())}
        return [kiosk_status(conn, k) for k in sorted(ids)]


def entry_count(engine: Engine, kiosk_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_entries).where(
            audit_entries.c.kiosk_id == kiosk_id)).scalar() or 0)


def audit_router(engine: Engine) -> APIRouter:
    create_schema(engine, metadata)
    router = APIRouter()

    @router.get(AUDIT_STATUS_PATH, response_model=AuditStatus, responses=AUTH_RESPONSES)
    def audit_status(kiosk: AuthenticatedKiosk) -> AuditStatus:
        """What the platform holds of this kiosk's audit chain, and every break in it. Signed."""
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "this endpoint needs a signed request")
        with engine.connect() as conn:
            return kiosk_status(conn, kiosk)

    return router


__all__ = ["audit_router", "every_kiosk", "flag_rewritten", "kiosk_status",
           "store_entry"]
