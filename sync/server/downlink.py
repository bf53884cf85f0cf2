"""Downlink endpoints of the reference platform: catalogue, status feed, heartbeat.

- ``GET /v1/catalog``: the newest published catalogue, its exact bytes, with a strong ETag
  (the SHA-256 of the bytes) and the platform's Ed25519 signature over those bytes in
  ``X-Catalog-Signature``; 304 when ``If-None-Match`` names the current ETag.
- ``GET /v1/status?cursor=N&limit=M``: the signing kiosk's status changes numbered above N,
  oldest first, and the cursor to ask with next. Other kiosks' changes are never returned.
- ``POST /v1/heartbeat``: the kiosk's health; the latest per kiosk is kept, and the reply
  carries the platform's clock so the kiosk (and the operator) see any skew. Its audit head
  (last sequence number and hash) goes to :func:`sync.server.audit.record_head`, which checks
  the uploaded chain against it.

All three go through the same signature checks as uploads (:mod:`sync.server.auth`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync.platform.protocol import (
    CATALOG_PATH,
    HEADER_CATALOG_KEY_ID,
    HEADER_CATALOG_SIGNATURE,
    HEADER_CATALOG_VERSION,
    HEARTBEAT_PATH,
    KIOSK_ID_PATTERN,
    STATUS_PATH,
    STATUSES,
)
from sync.platform.signing import REASON_KIOSK_MISMATCH, REASON_MISSING, ed25519_key_id
from sync.server.audit import record_head
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.catalog_admin import SEQUENCE_NAME, ensure_sequence, sign_catalog
from sync.server.schema import transactions
from sync.server.schema_downlink import catalogs, heartbeats, status_changes, status_sequence

log = logging.getLogger(__name__)

DEFAULT_STATUS_LIMIT = 100
MAX_STATUS_LIMIT = 500

_CATALOG_HEADERS = {
    "ETag": {"description": "Strong ETag: quoted SHA-256 hex of the body", "schema": {}},
    HEADER_CATALOG_SIGNATURE: {
        "description": "Base64 Ed25519 signature by the catalogue key over the exact body bytes",
        "schema": {"type": "string"},
    },
    HEADER_CATALOG_KEY_ID: {"description": "Id of the signing key", "schema": {"type": "string"}},
    HEADER_CATALOG_VERSION: {"description": "The catalogue's version", "schema": {}},
}


class StatusChange(BaseModel):
    seq: int = Field(description="Change number; strictly increasing")
    id: str = Field(description="Transaction id")
    status: str = Field(description=" | ".join(STATUSES))
    previous: str
    changed_at: float = Field(description="Platform clock, Unix seconds")
    tracking_number: str | None = None


class StatusPage(BaseModel):
    changes: list[StatusChange]
    cursor: int = Field(description="Ask with this cursor next (unchanged when nothing is new)")
    more: bool = Field(description="More changes wait beyond this page")
    head: int = Field(description="Highest change number on the platform, any kiosk")


class DeviceHealth(BaseModel):
    status: str = Field(max_length=32, description="ok, paper_near_end, offline ...")
    detail: str | None = Field(default=None, max_length=200)


class OutboxSummary(BaseModel):
    counts: dict[str, Annotated[int, Field(ge=0)]] = Field(max_length=16)
    oldest_pending_age_seconds: float | None = Field(default=None, ge=0)


class AuditHead(BaseModel):
    seq: int = Field(ge=0, description="The last audit entry's sequence number (0: none yet)")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="That entry's SHA-256")


class UpdateReport(BaseModel):
    """The kiosk's software updates (docs/updates.md)."""

    current: str = Field(max_length=64, description="The version running")
    staged: str | None = Field(default=None, max_length=32,
                               description="A newer release downloaded and verified")
    bad: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=16,
        description="Versions that did not paint their home screen and were rolled back")
    last_result: str | None = Field(default=None, max_length=32,
                                    description="prepared, updated, rolled_back, refused")
    last_version: str | None = Field(default=None, max_length=32)
    last_message: str | None = Field(default=None, max_length=200)
    refusal: str | None = Field(default=None, max_length=200,
                                description="Why the last offer was refused, in words")


class HeartbeatRequest(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN)
    version: str = Field(min_length=1, max_length=64, description="Kiosk software version")
    uptime_seconds: float = Field(ge=0)
    clock: float = Field(description="The kiosk's clock, Unix seconds")
    devices: dict[str, DeviceHealth] = Field(max_length=32)
    outbox: OutboxSummary
    disk_free_bytes: int = Field(ge=0)
    disk_total_bytes: int | None = Field(default=None, ge=0)
    audit: AuditHead | None = Field(
        default=None, description="The head of the kiosk's hash-chained audit log (docs/audit.md)")
    update: UpdateReport | None = None


class HeartbeatAck(BaseModel):
    server_time: float = Field(description="The platform's clock, Unix seconds")
    offset_seconds: float = Field(description="Platform clock minus the kiosk's reported clock")


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison against a list of tags, or ``*``."""
    if not if_none_match:
        return False
    bare = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == bare:
            return True
    return False


def _store_heartbeat(engine: Engine, kiosk_id: str, beat: HeartbeatRequest, now: float) -> None:
    values = {
        "received_at": now,
        "kiosk_clock": beat.clock,
        "version": beat.version,
        "document": json.dumps(beat.model_dump(exclude={"kiosk_id"}), sort_keys=True),
    }
    for _attempt in range(2):
        with engine.begin() as conn:
            changed = conn.execute(
                update(heartbeats).where(heartbeats.c.kiosk_id == kiosk_id).values(**values)
            )
            if changed.rowcount:
                return
        try:
            with engine.begin() as conn:
                conn.execute(insert(heartbeats).values(kiosk_id=kiosk_id, **values))
            return
        except IntegrityError:
            continue  # a concurrent first heartbeat inserted it: update instead


def downlink_router(
    engine: Engine,
    catalogue_key: Ed25519PrivateKey | None,
    *,
    clock: Callable[[], float] = time.time,
) -> APIRouter:
    """The catalogue, status feed and heartbeat endpoints over the platform database."""
    ensure_sequence(engine)
    router = APIRouter()
    serving_kid = ed25519_key_id(catalogue_key.public_key()) if catalogue_key else None
    resigned: dict[int, str] = {}  # catalogue id -> signature by the serving key

    def signature_of(row: Any) -> tuple[str, str]:
        if catalogue_key is None or row.key_id == serving_kid:
            return row.signature, row.key_id
        # Published under another key (rotated since): the kiosk pinned the serving one.
        if row.id not in resigned:
            log.warning("catalogue %s was signed by key %s; re-signing", row.id, row.key_id)
            with engine.connect() as conn:
                body = conn.execute(select(catalogs.c.body).where(catalogs.c.id == row.id))
                resigned[row.id] = sign_catalog(body.scalar_one(), catalogue_key)
        assert serving_kid is not None
        return resigned[row.id], serving_kid

    def require_kiosk(kiosk: str | None) -> str:
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "this endpoint needs a signed request")
        return kiosk

    @router.get(
        CATALOG_PATH,
        responses={
            **AUTH_RESPONSES,
            200: {
                "description": "The catalogue bytes (services.json format)",
                "content": {"application/json": {"schema": {"type": "object"}}},
                "headers": _CATALOG_HEADERS,
            },
            304: {"description": "Not modified: If-None-Match named the current ETag"},
            404: {"description": "No catalogue published yet"},
        },
    )
    def catalog(
        _kiosk: AuthenticatedKiosk,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        """The current service catalogue, signed by the platform (pinned key at enrolment)."""
        with engine.connect() as conn:
            row = conn.execute(
                select(
                    catalogs.c.id,
                    catalogs.c.version,
                    catalogs.c.sha256,
                    catalogs.c.signature,
                    catalogs.c.key_id,
                )
                .order_by(catalogs.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return JSONResponse({"detail": "no catalogue published"}, status_code=404)
        etag = f'"{row.sha256}"'
        signature, key_id = signature_of(row)
        headers = {
            "ETag": etag,
            "Cache-Control": "no-cache",
            HEADER_CATALOG_SIGNATURE: signature,
            HEADER_CATALOG_KEY_ID: key_id,
            HEADER_CATALOG_VERSION: row.version,
        }
        if etag_matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        with engine.connect() as conn:
            body = conn.execute(select(catalogs.c.body).where(catalogs.c.id == row.id))
            data = body.scalar_one()
        return Response(content=data, media_type="application/json", headers=headers)

    @router.get(STATUS_PATH, response_model=StatusPage, responses=AUTH_RESPONSES)
    def status_feed(
        kiosk: AuthenticatedKiosk,
        cursor: Annotated[int, Query(ge=0, description="Last change number seen")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_STATUS_LIMIT)] = DEFAULT_STATUS_LIMIT,
    ) -> StatusPage:
        """This kiosk's status changes after ``cursor``, oldest first. Signed."""
        kiosk_id = require_kiosk(kiosk)
        query = (
            select(
                status_changes.c.seq,
                status_changes.c.txid,
                status_changes.c.status,
                status_changes.c.previous,
                status_changes.c.changed_at,
                transactions.c.tracking_number,
            )
            .select_from(
                status_changes.outerjoin(transactions, transactions.c.id == status_changes.c.txid)
            )
            .where(status_changes.c.kiosk_id == kiosk_id, status_changes.c.seq > cursor)
            .order_by(status_changes.c.seq)
            .limit(limit + 1)
        )
        with engine.connect() as conn:
            head = conn.execute(
                select(status_sequence.c.value).where(status_sequence.c.name == SEQUENCE_NAME)
            ).scalar_one_or_none()
            rows = conn.execute(query).fetchall()
        changes = [
            StatusChange(
                seq=row.seq,
                id=row.txid,
                status=row.status,
                previous=row.previous,
                changed_at=row.changed_at,
                tracking_number=row.tracking_number,
            )
            for row in rows[:limit]
        ]
        return StatusPage(
            changes=changes,
            cursor=changes[-1].seq if changes else cursor,
            more=len(rows) > limit,
            head=int(head or 0),
        )

    @router.post(HEARTBEAT_PATH, response_model=HeartbeatAck, responses=AUTH_RESPONSES)
    def heartbeat(beat: HeartbeatRequest, kiosk: AuthenticatedKiosk) -> HeartbeatAck:
        """Store this kiosk's latest health report; answer with the platform clock. Signed."""
        kiosk_id = require_kiosk(kiosk)
        if beat.kiosk_id != kiosk_id:
            raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "heartbeat names another kiosk")
        now = clock()
        _store_heartbeat(engine, kiosk_id, beat, now)
        if beat.audit is not None:
            with engine.begin() as conn:
                record_head(conn, kiosk_id, beat.audit.seq, beat.audit.hash, now)
        return HeartbeatAck(server_time=now, offset_seconds=now - beat.clock)

    return router
