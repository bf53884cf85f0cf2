"""FastAPI application of the reference platform (protocol v1).

Kiosk requests are signed (:mod:`sync.server.auth`); ``require_signatures=False`` is the
transition setting that still accepts unsigned uploads (signed ones are verified all the same).
Each uploaded item is judged on its own: a malformed or mismatched envelope, one that does not
open with the platform's key, or one whose tracking number belongs to another kiosk is
``rejected`` (permanent), a known id with the same hash is a ``duplicate`` (success), a
known id with another hash is a ``conflict``. Whole-request problems (not JSON, wrong
shape, too big) are HTTP 4xx, which the kiosk treats as retryable, never as a verdict.

The citizen's status lookup needs the tracking number and the receipt's query code
(:mod:`sync.server.tracking_lookup`): ``GET /v1/track/{number}?code=…`` is what the receipt's
QR code opens, ``POST /v1/track`` takes both in a JSON body and keeps the code out of every
URL (what a program should use). The platform logs no request line or query string.

Run ``python -m sync.server.app`` to rewrite the committed ``openapi.json``.
"""

from __future__ import annotations

import json
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from fastapi import FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from sync.platform.protocol import ENROLL_PATH, KIOSK_ID_PATTERN, UUID_PATTERN, VerdictName
from sync.platform.signing import REASON_KIOSK_MISMATCH
from sync.sealing import (
    key_id_of,
)
from sync.server.audit import DEFAULT_GRACE_SECONDS, audit_router
from sync.server.auth import (
    AUTH_RESPONSES,
    AuthenticatedKiosk,
    AuthRefusedError,
    KioskAuthenticator,
    SealingKey,
    auth_refused_response,
    identity_router,
    sealing_key_model,
)
from sync.server.calls import calls_router
from sync.server.citizen_index import CitizenIndex, citizen_index_key
from sync.server.citizen_routes import citizen_router
from sync.server.downlink import downlink_router
from sync.server.ecodes import EcodeDesk, ecode_router
from sync.server.fleet_page import FLEET_PATHS, fleet_router
from sync.server.fleet_status import DEFAULT_OVERDUE_AFTER
from sync.server.judging import platform_judge
from sync.server.kiosk_codes import KIOSK_CODE_MISSING, KioskCodeMissingError
from sync.server.limits import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware
from sync.server.messages import messages_router
from sync.server.metrics import METRICS_PATH, metrics_router
from sync.server.payments import DEFAULT_WINDOW_SECONDS, PaymentDesk
from sync.server.payments_routes import payments_router
from sync.server.proofs import CHECKS_PER_MINUTE, ProofDesk, proofs_router
from sync.server.queue import QueueDesk, queue_router
from sync.server.registry import KioskRegistry
from sync.server.releases import releases_router
from sync.server.signature_gate import SignatureGate
from sync.server.staff_downlink import staff_router
from sync.server.store import TransactionStore
from sync.server.tracking_lookup import StatusLookup

API_VERSION = "1.0.0"
MAX_BODY_BYTES = DEFAULT_MAX_BODY_BYTES
MAX_ITEMS = 500
OPENAPI_PATH = Path(__file__).with_name("openapi.json")
TRACK_PATH = "/v1/track"
# One answer for an unknown number, a wrong code, a locked number and a record without a code.
TRACK_REFUSAL = "no application matches this tracking number and query code"
# A status answer is the citizen's alone: no cache keeps it, no link passes the URL on.
TRACK_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

class BatchItem(BaseModel):
    id: str = Field(pattern=UUID_PATTERN, description="Client-generated UUIDv7 transaction id")
    envelope: str = Field(description="Base64 of the sealed envelope bytes")
    payload_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 hex of the envelope")
    query_code: str | None = Field(
        default=None,
        description="The receipt's query code (6 to 16 digits); the platform keeps only a keyed "
        "hash of it. An item with a malformed code is rejected.",
    )


class BatchRequest(BaseModel):
    kiosk_id: str = Field(
        pattern=KIOSK_ID_PATTERN, description="Must equal the signing kiosk (X-Kiosk-Id)"
    )
    items: list[BatchItem] = Field(min_length=1, max_length=MAX_ITEMS)


class ItemVerdict(BaseModel):
    id: str
    verdict: VerdictName
    reason: str | None = None


class BatchResponse(BaseModel):
    results: list[ItemVerdict]


class TransactionStatus(BaseModel):
    id: str
    status: str
    received_at: str


class TrackingStatus(BaseModel):
    tracking_number: str
    status: str
    updated_on: str = Field(description="UTC date (YYYY-MM-DD) of the latest status")


class TrackingQuery(BaseModel):
    tracking_number: str = Field(max_length=64, description="As printed on the receipt")
    code: str = Field(max_length=64, description="The query code printed on the receipt")


class TrackingRefusal(BaseModel):
    detail: str = Field(description=TRACK_REFUSAL)


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    version: str


def create_app(
    database_url: str,
    private_key: X25519PrivateKey | None,
    *,
    catalogue_key: Ed25519PrivateKey | None = None,
    require_signatures: bool = True,
    clock: Callable[[], float] = time.time,
    verify_envelopes: bool = True,
    max_body_bytes: int = MAX_BODY_BYTES,
    lookup_key: bytes | None = None,
    payment_window_seconds: float = DEFAULT_WINDOW_SECONDS,
    ecode_key: Ed25519PrivateKey | None = None,
    proof_checks_per_minute: int = CHECKS_PER_MINUTE,
    metrics_token_file: Path | None = None,
    heartbeat_overdue_seconds: float = DEFAULT_OVERDUE_AFTER,
    audit_grace_seconds: float = DEFAULT_GRACE_SECONDS,
) -> FastAPI:
    """Build the platform app. With a private key it publishes the sealing key, rejects
    envelopes sealed to another key and opens each envelope, rejecting those that do not
    decrypt (plaintext is never stored); ``verify_envelopes=False`` skips the opening.
    ``clock`` (Unix seconds) drives signature skew, nonce expiry and token expiry.
    ``lookup_key`` is the query-code HMAC secret of the data directory (a random one when
    None, which suits only a database that lives no longer than this app); the citizen
    index's key is derived from it. ``ecode_key`` signs and verifies electronic card codes
    (likewise a random one when None). ``payment_window_seconds``: how long a payment
    order's code is good for (缴费). ``metrics_token_file`` holds the SHA-256 of the token
    ``/metrics`` answers (off without it); a kiosk silent for ``heartbeat_overdue_seconds``
    counts as overdue there. Uploaded audit entries may lag ``audit_grace_seconds`` behind
    the head a kiosk's heartbeats name before its chain is flagged as cut off.
    """
    store = TransactionStore(database_url)
    lookup_key = lookup_key or secrets.token_bytes(32)
    lookup = StatusLookup(store.engine, lookup_key, clock=clock)
    # My transactions: indexed at ingest by a keyed hash of the applicant's ID number.
    citizens = CitizenIndex(store.engine, citizen_index_key(lookup_key))
    registry = KioskRegistry(store.engine, clock=clock)
    auth = KioskAuthenticator(registry, require_signatures=require_signatures, clock=clock)
    kid = key_id_of(private_key.public_key()) if private_key else None
    app = FastAPI(
        title="Civic kiosk platform protocol",
        version=API_VERSION,
        description="Protocol v1 between self-service kiosks and the central platform. "
        "Kiosk requests carry an Ed25519 signature in the X-Kiosk-* headers over "
        "method, path, kiosk id, timestamp, nonce and body hash (sync/platform/signing.py).",
    )
    app.state.store = store
    app.state.registry = registry
    app.state.lookup = lookup
    # Outermost last: the cap counts every byte the signature gate reads, and the gate checks
    # signatures on raw bytes before any route parses JSON.
    # The status lookup is the citizen's, unsigned; its query code is its credential. The
    # metrics are the monitoring system's, behind their own token; the fleet page is the
    # operators', behind their login session and CSRF tokens.
    app.add_middleware(
        SignatureGate, auth=auth,
        exempt_paths=(ENROLL_PATH, TRACK_PATH, METRICS_PATH, *FLEET_PATHS),
    )
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=max_body_bytes)

    async def refused(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AuthRefusedError)
        return auth_refused_response(clock(), exc)

    app.add_exception_handler(AuthRefusedError, refused)

    app.state.auth = auth
    app.include_router(identity_router(auth, private_key, catalogue_key))
    app.include_router(downlink_router(store.engine, catalogue_key, clock=clock))
    app.include_router(staff_router(store.engine, catalogue_key))
    app.include_router(releases_router(store.engine, catalogue_key))  # updates, docs/updates.md
    app.include_router(messages_router(store.engine, clock=clock))
    app.include_router(calls_router(store.engine))
    app.include_router(audit_router(store.engine, audit_grace_seconds))  # the audit chains
    app.include_router(queue_router(QueueDesk(store.engine, clock=clock)))  # 取号
    app.include_router(citizen_router(citizens, clock=clock))  # 我的办件, my records
    app.include_router(payments_router(PaymentDesk(  # 缴费
        store.engine, clock=clock, window_seconds=payment_window_seconds)))
    app.state.ecodes = EcodeDesk(store.engine, ecode_key or Ed25519PrivateKey.generate(),
                                 clock=clock)
    app.include_router(ecode_router(app.state.ecodes))  # electronic card codes
    app.include_router(proofs_router(ProofDesk(  # 证明
        store.engine, clock=clock, checks_per_minute=proof_checks_per_minute)))
    app.include_router(metrics_router(store.engine, metrics_token_file, clock=clock,
                                      overdue_after=heartbeat_overdue_seconds))
    app.include_router(fleet_router(store.engine, clock=clock,  # operators' page
                                    overdue_after=heartbeat_overdue_seconds,
                                    audit_grace=audit_grace_seconds))

    judge = platform_judge(store, private_key, registry, lookup, lookup_key,
                           open_envelopes=verify_envelopes)

    @app.post("/v1/transactions/batch", response_model=BatchResponse, responses=AUTH_RESPONSES)
    def upload_batch(
        batch: BatchRequest, kiosk: AuthenticatedKiosk
    ) -> BatchResponse:
        """Ingest sealed envelopes; one verdict per item, in request order. Signed.

        A tracking number must carry the signing kiosk's code (rejected otherwise); a kiosk
        with no code on record gets 403 ``kiosk_code_missing`` for tracked items, and waits.
        """
        if kiosk is not None and batch.kiosk_id != kiosk:
            raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "batch names another kiosk")
        try:
            verdicts = judge.judge(batch.kiosk_id, batch.items, authenticated=kiosk is not None)
        except KioskCodeMissingError as exc:
            raise AuthRefusedError(403, KIOSK_CODE_MISSING, str(exc)) from exc
        return BatchResponse(
            results=[ItemVerdict(id=v.id, verdict=v.verdict, reason=v.reason) for v in verdicts]
        )

    @app.get(
        "/v1/transactions/{txid}",
        response_model=TransactionStatus,
        responses={404: {"description": "Unknown transaction"}},
    )
    def transaction_status(txid: str) -> TransactionStatus:
        """Status of one transaction, as the citizen-facing status page shows it."""
        found = store.get(txid)
        if found is None:
            raise HTTPException(status_code=404, detail="unknown transaction")
        return TransactionStatus(id=found.id, status=found.status, received_at=found.received_at)

    def track_answer(tracking_number: str, code: str | None) -> Any:
        found = lookup.look_up(tracking_number, code)
        if found is None:
            return JSONResponse({"detail": TRACK_REFUSAL}, status_code=404, headers=TRACK_HEADERS)
        answer = TrackingStatus(
            tracking_number=found.tracking_number, status=found.status, updated_on=found.updated_on
        )
        return JSONResponse(answer.model_dump(), headers=TRACK_HEADERS)

    track_responses: dict[int | str, dict[str, Any]] = {
        404: {"model": TrackingRefusal, "description": "Unknown number, wrong or missing code, "
              "or a number locked after too many wrong codes: one answer for all"}
    }

    @app.get(
        TRACK_PATH + "/{tracking_number}",
        response_model=TrackingStatus,
        responses=track_responses,
    )
    def track(
        tracking_number: str,
        code: str | None = Query(default=None, max_length=64, description="The query code"),
    ) -> Any:
        """Citizen-facing status: what the receipt's QR code opens (number and query code)."""
        return track_answer(tracking_number, code)

    @app.post(TRACK_PATH, response_model=TrackingStatus, responses=track_responses)
    def track_by_body(query: TrackingQuery) -> Any:
        """The same lookup with the code in the body, out of every URL and access log."""
        return track_answer(query.tracking_number, query.code)

    @app.get("/v1/health", response_model=Health, responses={503: {"model": Health}})
    def health() -> Any:
        """Liveness and database reachability."""
        if store.ping():
            return Health(status="ok", version=API_VERSION)
        return JSONResponse(
            Health(status="degraded", version=API_VERSION).model_dump(), status_code=503
        )

    @app.get(
        "/v1/keys/sealing",
        response_model=SealingKey,
        responses={404: {"description": "This deployment publishes no sealing key"}},
    )
    def sealing_key() -> SealingKey:
        """The public key kiosks seal payloads to (pinned at enrolment)."""
        if private_key is None or kid is None:
            raise HTTPException(status_code=404, detail="no sealing key")
        return sealing_key_model(private_key)

    return app


def openapi_document() -> dict[str, Any]:
    """The protocol document as the app generates it (independent of keys and database)."""
    app = create_app("sqlite://", None)
    try:
        return app.openapi()
    finally:
        app.state.store.dispose()


def openapi_text() -> str:
    """Stable text form of :func:`openapi_document`, as committed in ``openapi.json``."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OPENAPI_PATH.write_text(openapi_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {OPENAPI_PATH}\n")
