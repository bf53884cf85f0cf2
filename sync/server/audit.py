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

Each heartbeat also carries the kiosk's **head** (its last sequence number and that entry's
hash, :func:`record_head`). The platform keeps every head it was told of until the entry
arrives, and flags:

- a **cut-off tail**: the uploaded entries stop short of a head the kiosk named, and a
  heartbeat came more than the grace period (``grace_seconds``, platform clock) after the
  first one that named it: the entries were deleted before they were sent, or the kiosk's
  outbox does not deliver them. Judged on heartbeat times, so a kiosk that went offline
  right after a heartbeat is not flagged until it talks to the platform again;
- a **rewritten head**: the entry uploaded under a head's number has another hash than the
  head named, or a heartbeat names a number it named before with another hash.
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
    delete,
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

# The heads the kiosk named in its heartbeats and the platform does not hold yet (or holds
# with another hash), with when the first heartbeat naming each arrived (platform clock).
audit_heads = Table(
    "audit_heads",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("first_told_at", Float, nullable=False),
)

# The last head each kiosk named, and when (platform clock).
audit_told = Table(
    "audit_told",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("told_at", Float, nullable=False),
)

DEFAULT_GRACE_SECONDS = 3600.0  # an hour: the outbox drains in seconds when the link is up

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
    _settle_heads(conn, kiosk_id)


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


def record_head(conn: Connection, kiosk_id: str, seq: int, hash_: str, now: float) -> None:
    """A heartbeat named the kiosk's head: keep it until the entry it names is held."""
    told = conn.execute(select(audit_told.c.seq).where(audit_told.c.kiosk_id == kiosk_id)).first()
    values = {"seq": seq, "hash": hash_, "told_at": now}
    if told is None:
        conn.execute(audit_told.insert().values(kiosk_id=kiosk_id, **values))
    else:
        conn.execute(audit_told.update().where(audit_told.c.kiosk_id == kiosk_id).values(**values))
    if seq < 1:
        return
    held = conn.execute(select(audit_entries.c.hash).where(
        (audit_entries.c.kiosk_id == kiosk_id) & (audit_entries.c.seq == seq))).scalar()
    before = conn.execute(select(audit_heads.c.hash).where(
        (audit_heads.c.kiosk_id == kiosk_id) & (audit_heads.c.seq == seq))).scalar()
    if before is not None and before != hash_:
        conn.execute(audit_flags.insert().values(
            kiosk_id=kiosk_id, seq=seq, kind="rewritten",
            words=f"a heartbeat named entry #{seq} with hash {hash_[:12]}… where an earlier "
                  f"one named {before[:12]}…: the kiosk's log was rewritten", flagged_at=now))
    elif before is None and held != hash_:  # held with that hash: nothing left to check
        conn.execute(audit_heads.insert().values(kiosk_id=kiosk_id, seq=seq, hash=hash_,
                                                 first_told_at=now))


def _settle_heads(conn: Connection, kiosk_id: str) -> None:
    """Heads whose entry arrived with the hash they named are checked: forget them."""
    matched = select(audit_entries.c.seq).where(
        (audit_entries.c.kiosk_id == kiosk_id) & (audit_entries.c.seq == audit_heads.c.seq)
        & (audit_entries.c.hash == audit_heads.c.hash))
    conn.execute(delete(audit_heads).where(
        (audit_heads.c.kiosk_id == kiosk_id) & matched.exists()))


class AuditFlag(BaseModel):
    seq: int
    kind: str  # gap | broken-link | rewritten | cut-off-tail
    words: str


class AuditStatus(BaseModel):
    kiosk_id: str
    entries: int
    first_seq: int | None
    last_seq: int | None
    intact: bool
    flags: list[AuditFlag]
    head_seq: int | None = None  # the head the kiosk's last heartbeat named
    head_told_at: float | None = None  # platform clock of that heartbeat


def _head_flags(conn: Connection, kiosk_id: str, held: dict[int, str], anchor: Anchor,
                told_at: float | None, grace: float) -> list[AuditFlag]:
    flags: list[AuditFlag] = []
    last = max(held, default=anchor.seq)
    waiting: list[Any] = []
    for row in conn.execute(select(audit_heads).where(audit_heads.c.kiosk_id == kiosk_id)
                            .order_by(audit_heads.c.seq)):
        if row.seq in held and held[row.seq] != row.hash:
            flags.append(AuditFlag(seq=row.seq, kind="rewritten", words=(
                f"entry #{row.seq} arrived with hash {held[row.seq][:12]}… but a heartbeat had "
                f"named it {row.hash[:12]}…: the kiosk's log was rewritten")))
        elif row.seq > last:
            waiting.append(row)
    if waiting and told_at is not None:
        first = min(waiting, key=lambda r: r.first_told_at)
        top = max(r.seq for r in waiting)
        late = told_at - first.first_told_at
        if late > grace:
            flags.append(AuditFlag(seq=last + 1, kind="cut-off-tail", words=(
                f"the kiosk named entry #{first.seq} as its head {late / 60:.0f} min before "
                f"its last heartbeat, but the platform holds entries only up to #{last}: "
                f"{top - last} entr{'y' if top - last == 1 else 'ies'} cut off before they "
                "were sent, or the kiosk's outbox does not deliver them")))
    return flags


def kiosk_status(conn: Connection, kiosk_id: str,
                 grace: float = DEFAULT_GRACE_SECONDS) -> AuditStatus:
    """What the platform holds of one kiosk's chain, and every break in it (``grace``: how
    long, in seconds between heartbeats, uploads may lag behind a head the kiosk named)."""
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
    told = conn.execute(select(audit_told.c.seq, audit_told.c.told_at).where(
        audit_told.c.kiosk_id == kiosk_id)).first()
    flags += _head_flags(conn, kiosk_id, {e["seq"]: e["hash"] for e in entries}, anchor,
                         told.told_at if told else None, grace)
    return AuditStatus(kiosk_id=kiosk_id, entries=len(entries),
                       first_seq=entries[0]["seq"] if entries else None,
                       last_seq=entries[-1]["seq"] if entries else None,
                       intact=not flags, flags=flags,
                       head_seq=told.seq if told else None,
                       head_told_at=told.told_at if told else None)


def every_kiosk(engine: Engine, grace: float = DEFAULT_GRACE_SECONDS) -> list[AuditStatus]:
    create_schema(engine, metadata)
    with engine.connect() as conn:
        ids = {r[0] for r in conn.execute(select(audit_entries.c.kiosk_id).distinct())}
        ids |= {r[0] for r in conn.execute(select(audit_flags.c.kiosk_id).distinct())}
        ids |= {r[0] for r in conn.execute(select(audit_told.c.kiosk_id))}
        return [kiosk_status(conn, k, grace) for k in sorted(ids)]


def entry_count(engine: Engine, kiosk_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_entries).where(
            audit_entries.c.kiosk_id == kiosk_id)).scalar() or 0)


def audit_router(engine: Engine, grace: float = DEFAULT_GRACE_SECONDS) -> APIRouter:
    create_schema(engine, metadata)
    router = APIRouter()

    @router.get(AUDIT_STATUS_PATH, response_model=AuditStatus, responses=AUTH_RESPONSES)
    def audit_status(kiosk: AuthenticatedKiosk) -> AuditStatus:
        """What the platform holds of this kiosk's audit chain, and every break in it. Signed."""
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "this endpoint needs a signed request")
        with engine.connect() as conn:
            return kiosk_status(conn, kiosk, grace)

    return router


__all__ = ["DEFAULT_GRACE_SECONDS", "audit_router", "every_kiosk", "flag_rewritten",
           "kiosk_status", "record_head", "store_entry"]
