"""``POST /v1/messages/batch``: the kiosks' plain messages (ratings, staff calls), signed.

Not sealed, since they carry no personal data: each item's body is the exact JSON text the
kiosk stored, with its SHA-256. Each item is judged on its own, as for transactions: a body
that does not match its hash, is not a known kind, names another kiosk or breaks the shape of
its kind (:mod:`sync.platform.protocol`) is ``rejected``; a known id with the same hash is a
``duplicate`` (success), with another hash a ``conflict``; otherwise it is applied and
``accepted``. The items of a request are stored in one database transaction. Unlike uploads
of transactions, messages always need a signed request: nothing else says which kiosk sent
them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, select

from sync.audit_chain import audit_problem
from sync.platform.protocol import (
    KIOSK_ID_PATTERN,
    MAX_MESSAGE_BYTES,
    MESSAGES_PATH,
    UUID_PATTERN,
    VerdictName,
    call_problem,
    rating_problem,
)
from sync.platform.signing import REASON_KIOSK_MISMATCH, REASON_MISSING
from sync.server.audit import flag_rewritten, store_entry
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.calls import apply_call_event
from sync.server.db import create_schema
from sync.server.ratings import store_rating
from sync.server.schema_messages import message_log, metadata

MAX_MESSAGES = 500
CONFLICT_REASON = "same id, different body"
OTHER_KIOSK = "the message id belongs to another kiosk"


class MessageItem(BaseModel):
    id: str = Field(pattern=UUID_PATTERN, description="Message id (a rating's: the rated txid)")
    kind: str = Field(max_length=16, description="rating | call | audit")
    body: str = Field(max_length=MAX_MESSAGE_BYTES, description="The message as JSON text")
    body_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 hex of the body")


class MessagesRequest(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN, description="Must equal the signing kiosk")
    items: list[MessageItem] = Field(min_length=1, max_length=MAX_MESSAGES)


class MessageVerdict(BaseModel):
    id: str
    verdict: VerdictName
    reason: str | None = None


class MessagesResponse(BaseModel):
    results: list[MessageVerdict]


def _checked(kiosk_id: str, item: MessageItem) -> dict[str, Any] | str:
    """The message's document, or why it is rejected (checks that need no database)."""
    body = item.body.encode("utf-8")
    if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), item.body_hash):
        return "body hash mismatch"
    try:
        doc = json.loads(body)
    except ValueError:
        return "body is not JSON"
    if not isinstance(doc, dict) or doc.get("kind") != item.kind:
        return "body is not a message of its kind"
    if doc.get("kiosk_id") != kiosk_id:
        return "the message names another kiosk"
    if item.kind == "rating":
        problem = rating_problem(item.id, doc)
    elif item.kind == "call":
        problem = call_problem(doc)
    elif item.kind == "audit":
        problem = audit_problem(item.id, doc)
    else:
        problem = f"unknown message kind {item.kind!r}"
    return problem if problem is not None else doc


def _store(
    conn: Connection, kiosk_id: str, item: MessageItem, doc: dict[str, Any], now: float
) -> MessageVerdict:
    row = conn.execute(
        select(message_log.c.body_hash, message_log.c.kiosk_id).where(message_log.c.id == item.id)
    ).first()
    if row is not None:
        if row.kiosk_id != kiosk_id:
            return MessageVerdict(id=item.id, verdict="rejected", reason=OTHER_KIOSK)
        if row.body_hash == item.body_hash:
            return MessageVerdict(id=item.id, verdict="duplicate")
        if item.kind == "audit":
            flag_rewritten(conn, kiosk_id, doc, now)
        return MessageVerdict(id=item.id, verdict="conflict", reason=CONFLICT_REASON)
    if item.kind == "rating":
        refused = store_rating(conn, kiosk_id, doc, now)
    elif item.kind == "audit":
        store_entry(conn, kiosk_id, doc, now)
        refused = None
    else:
        refused = apply_call_event(conn, kiosk_id, doc, now)
    if refused is not None:
        return MessageVerdict(id=item.id, verdict="rejected", reason=refused)
    conn.execute(message_log.insert().values(
        id=item.id, kiosk_id=kiosk_id, kind=item.kind, body_hash=item.body_hash,
        received_at=now))
    return MessageVerdict(id=item.id, verdict="accepted")


def judge_messages(
    engine: Engine, kiosk_id: str, items: Sequence[MessageItem], now: float
) -> list[MessageVerdict]:
    """One verdict per item, in request order; the good ones stored in one transaction."""
    checked = [_checked(kiosk_id, item) for item in items]
    verdicts: list[MessageVerdict] = []
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock before anything is read
        for item, doc in zip(items, checked, strict=True):
            if isinstance(doc, str):
                verdicts.append(MessageVerdict(id=item.id, verdict="rejected", reason=doc))
            else:
                verdicts.append(_store(conn, kiosk_id, item, doc, now))
    return verdicts


def messages_router(engine: Engine, *, clock: Callable[[], float] = time.time) -> APIRouter:
    create_schema(engine, metadata)  # a database from before messages gains their tables
    router = APIRouter()

    @router.post(MESSAGES_PATH, response_model=MessagesResponse, responses=AUTH_RESPONSES)
    def upload_messages(batch: MessagesRequest, kiosk: AuthenticatedKiosk) -> MessagesResponse:
        """Ratings and staff call events; one verdict per item, in request order. Signed."""
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "messages need a signed request")
        if batch.kiosk_id != kiosk:
            raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "batch names another kiosk")
        return MessagesResponse(results=judge_messages(engine, kiosk, batch.items, clock()))

    return router
