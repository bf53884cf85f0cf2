"""Signature checks of the reference platform, and the enrolment and identity endpoints.

A signed route declares ``Depends(authenticated_kiosk)``; the check runs before the body is
validated or anything is stored, in this order: headers well formed, signature valid for the
kiosk's enrolled key, key not revoked, clock within :data:`~sync.platform.signing.MAX_SKEW_SECONDS`,
nonce new. The signature is checked before revocation and skew so that only the key's holder
learns them, and an id with no enrolled key is refused exactly like a bad signature (same
reason, same detail, a verification all the same), so a caller without the key cannot tell
enrolled, revoked and unknown kiosk ids apart.
Refusals are JSON ``{"detail", "reason", "server_time"}`` with 401 (403 for ``revoked`` and
``kiosk_mismatch``), so a kiosk can tell a wrong clock from a revoked key and report its offset.

Enrolment proves possession of the new key the same way but writes nothing (not even the
nonce) until the registry has found its token good.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from sync.platform.protocol import KIOSK_ID_PATTERN
from sync.platform.signing import (
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_SUITE,
    HEADER_TIMESTAMP,
    REASON_BAD_SIGNATURE,
    REASON_KIOSK_MISMATCH,
    REASON_MISSING,
    REASON_REPLAYED,
    REASON_REVOKED,
    SignatureError,
    SignedParts,
    check_skew,
    ed25519_key_id,
    ed25519_public_key_text,
    load_ed25519_public_key,
    parse_signature_headers,
    verify_request,
)
from sync.sealing import key_id_of, public_key_text
from sync.server.registry import KioskRegistry, RegistryError


class AuthRefusedError(Exception):
    """A request's authentication failed; rendered by :func:`auth_refused_response`."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


class AuthFailure(BaseModel):
    detail: str
    reason: str = Field(
        description="clock_skew, revoked, bad_signature (also for a kiosk id with no "
        "enrolled key), replayed, missing_signature, kiosk_mismatch, kiosk_code_missing, "
        "token_invalid, token_used, token_expired, token_cancelled"
    )
    server_time: float = Field(description="The platform's clock, Unix seconds")


# ASGI scope key under which the signature gate leaves the kiosk id it verified (None:
# unsigned and allowed). Only the server sets scope keys, so a client cannot forge it.
PREVERIFIED_KIOSK = "civic_kiosk.verified_kiosk"

AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": AuthFailure, "description": "Signature missing, invalid, stale or replayed"},
    403: {
        "model": AuthFailure,
        "description": "Kiosk key revoked, kiosk id mismatch, or no kiosk code on record",
    },
}


@dataclass(frozen=True)
class SignedRequest:
    """What a signature covers, as the server received it."""

    method: str
    path: str
    body: bytes
    parts: SignedParts | None


# Stands in for the key of a kiosk id that has none, so that an unknown id costs the same
# verification and gets the same refusal as a wrong signature.
_NO_KEY = Ed25519PrivateKey.generate().public_key()
_NOT_VERIFIED = "signature does not verify with the key enrolled for this kiosk id"


def signed_path(scope: Mapping[str, Any]) -> str:
    """Path and query exactly as received (percent-encoding kept), as the kiosk signed it."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else str(scope.get("path", ""))
    query = scope.get("query_string") or b""
    return f"{path}?{query.decode('latin-1')}" if query else path


class KioskAuthenticator:
    """Verifies signed requests against the registry, with an injected clock."""

    def __init__(
        self,
        registry: KioskRegistry,
        *,
        require_signatures: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self.require_signatures = require_signatures
        self.clock = clock

    def _check_signature(self, request: SignedRequest, public_key: Ed25519PublicKey) -> None:
        parts = request.parts
        assert parts is not None
        try:
            verify_request(public_key, parts, request.method, request.path, request.body)
        except SignatureError as exc:
            raise AuthRefusedError(401, REASON_BAD_SIGNATURE, _NOT_VERIFIED) from exc

    def _check_time(self, parts: SignedParts) -> None:
        try:
            check_skew(parts.timestamp, self.clock(), self.registry.max_skew)
        except SignatureError as exc:
            raise AuthRefusedError(401, exc.reason, str(exc)) from exc

    def _check_time_and_nonce(self, parts: SignedParts) -> None:
        self._check_time(parts)
        if not self.registry.remember_nonce(parts.kiosk_id, parts.nonce, parts.timestamp):
            raise AuthRefusedError(401, REASON_REPLAYED, "nonce was already used")

    def verify(self, request: SignedRequest) -> str | None:
        """The authenticated kiosk id; None for an unsigned request where that is allowed."""
        parts = request.parts
        if parts is None:
            if self.require_signatures:
                raise AuthRefusedError(401, REASON_MISSING, "this endpoint needs a signed request")
            return None
        record = self.registry.lookup(parts.kiosk_id)
        if record is None:
            self._check_signature(request, _NO_KEY)  # refuses, as for a wrong key
            raise AuthRefusedError(401, REASON_BAD_SIGNATURE, _NOT_VERIFIED)
        self._check_signature(request, record.public_key)
        if record.revoked:
            raise AuthRefusedError(403, REASON_REVOKED, "kiosk key has been revoked")
        self._check_time_and_nonce(parts)
        return parts.kiosk_id

    def verify_possession(
        self, request: SignedRequest, public_key: Ed25519PublicKey
    ) -> SignedParts:
        """For enrolment: the request is signed by the key being enrolled, and fresh.

        The nonce is not recorded here: the registry records it with the token, once the
        token is known good (anyone can sign with a key they just made up).
        """
        parts = request.parts
        if parts is None:
            raise AuthRefusedError(401, REASON_MISSING, "enrolment must be signed with the new key")
        self._check_signature(request, public_key)
        self._check_time(parts)
        return parts


def auth_refused_response(server_time: float, exc: AuthRefusedError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'KioskSignature realm="platform"'} if exc.status == 401 else {}
    body = AuthFailure(detail=str(exc), reason=exc.reason, server_time=server_time)
    return JSONResponse(body.model_dump(), status_code=exc.status, headers=headers)


async def _raw_body(request: Request) -> bytes:
    return await request.body()  # cached by Starlette; the route's own parsing reuses it


def signed_request(
    request: Request,
    body: Annotated[bytes, Depends(_raw_body)],
    kiosk_id: Annotated[str | None, Header(alias=HEADER_KIOSK, description="Kiosk id")] = None,
    timestamp: Annotated[
        str | None, Header(alias=HEADER_TIMESTAMP, description="Unix seconds, integer")
    ] = None,
    nonce: Annotated[
        str | None, Header(alias=HEADER_NONCE, description="base64url, 16-64 characters")
    ] = None,
    signature: Annotated[
        str | None,
        Header(
            alias=HEADER_SIGNATURE, description="base64 Ed25519 signature (sync.platform.signing)"
        ),
    ] = None,
    suite: Annotated[
        str | None,
        Header(alias=HEADER_SUITE,
               description="signature suite: ed25519 (absent: ed25519); docs/cryptography.md"),
    ] = None,
) -> SignedRequest:
    """Collect what the signature covers (the header parameters document the scheme)."""
    try:
        parts = parse_signature_headers(request.headers)
    except SignatureError as exc:
        raise AuthRefusedError(401, exc.reason, str(exc)) from exc
    return SignedRequest(request.method, signed_path(request.scope), body, parts)


def authenticated_kiosk(
    request: Request, signed: Annotated[SignedRequest, Depends(signed_request)]
) -> str | None:
    """Dependency of signed routes: the verified kiosk id (None: unsigned, and allowed).

    A request with a body was verified before its JSON was parsed
    (:mod:`sync.server.signature_gate`); its verdict is taken, not checked again (the nonce
    is already spent)."""
    if PREVERIFIED_KIOSK in request.scope:
        verified: str | None = request.scope[PREVERIFIED_KIOSK]
        return verified
    auth: KioskAuthenticator = request.app.state.auth
    return auth.verify(signed)


AuthenticatedKiosk = Annotated[str | None, Depends(authenticated_kiosk)]


class SealingKey(BaseModel):
    kid: str
    public_key: str = Field(description="Base64 of the raw 32-byte X25519 public key")
    suite: str = "X25519-SHA256-ChaCha20Poly1305"


class CatalogueKey(BaseModel):
    kid: str
    public_key: str = Field(description="Base64 of the raw 32-byte Ed25519 public key")
    algorithm: str = "Ed25519"


class EnrolRequest(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN)
    token: str = Field(min_length=1, max_length=128, description="One-time enrolment token")
    public_key: str = Field(
        min_length=40, max_length=64, description="Base64 raw Ed25519 public key of the kiosk"
    )


class EnrolResponse(BaseModel):
    kiosk_id: str
    key_id: str = Field(description="Id of the kiosk key now registered")
    sealing_key: SealingKey
    catalogue_key: CatalogueKey
    server_time: float


class WhoAmIResponse(BaseModel):
    kiosk_id: str
    key_id: str
    server_time: float


def sealing_key_model(private_key: X25519PrivateKey) -> SealingKey:
    public = private_key.public_key()
    return SealingKey(kid=key_id_of(public), public_key=public_key_text(public))


def catalogue_key_model(private_key: Ed25519PrivateKey) -> CatalogueKey:
    public = private_key.public_key()
    return CatalogueKey(kid=ed25519_key_id(public), public_key=ed25519_public_key_text(public))


def identity_router(
    auth: KioskAuthenticator,
    sealing_key: X25519PrivateKey | None,
    catalogue_key: Ed25519PrivateKey | None,
) -> APIRouter:
    """Enrolment, the signed identity check and the catalogue key."""
    router = APIRouter()
    registry = auth.registry

    @router.post(
        "/v1/enroll",
        response_model=EnrolResponse,
        responses={
            **AUTH_RESPONSES,
            503: {"description": "This deployment has no sealing or catalogue key"},
        },
    )
    def enroll(
        enrolment: EnrolRequest, signed: Annotated[SignedRequest, Depends(signed_request)]
    ) -> Any:
        """Register a kiosk key with a one-time token; signed with that key (proof of
        possession). Returns the keys the kiosk pins: sealing and catalogue signing."""
        if sealing_key is None or catalogue_key is None:
            return JSONResponse({"detail": "platform keys not configured"}, status_code=503)
        try:
            public_key = load_ed25519_public_key(enrolment.public_key)
        except ValueError as exc:
            raise AuthRefusedError(401, "bad_signature", f"public key: {exc}") from exc
        parts = auth.verify_possession(signed, public_key)
        if parts.kiosk_id != enrolment.kiosk_id:
            raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "signed for another kiosk id")
        try:
            record = registry.enroll(
                enrolment.token,
                enrolment.kiosk_id,
                public_key,
                nonce=(parts.nonce, parts.timestamp),
            )
        except RegistryError as exc:
            status = 401 if exc.reason == REASON_REPLAYED else 403
            raise AuthRefusedError(status, exc.reason, str(exc)) from exc
        return EnrolResponse(
            kiosk_id=record.kiosk_id,
            key_id=record.key_id,
            sealing_key=sealing_key_model(sealing_key),
            catalogue_key=catalogue_key_model(catalogue_key),
            server_time=auth.clock(),
        )

    @router.get("/v1/whoami", response_model=WhoAmIResponse, responses=AUTH_RESPONSES)
    def whoami(kiosk: AuthenticatedKiosk) -> WhoAmIResponse:
        """Signed no-op: the kiosk learns that its key and clock are accepted."""
        record = registry.lookup(kiosk) if kiosk else None
        if record is None:
            raise AuthRefusedError(401, REASON_MISSING, "this endpoint needs a signed request")
        return WhoAmIResponse(
            kiosk_id=record.kiosk_id, key_id=record.key_id, server_time=auth.clock()
        )

    @router.get(
        "/v1/keys/catalogue",
        response_model=CatalogueKey,
        responses={404: {"description": "This deployment publishes no catalogue key"}},
    )
    def catalogue_key_endpoint() -> Any:
        """The Ed25519 key that signs catalogues (pinned at enrolment)."""
        if catalogue_key is None:
            return JSONResponse({"detail": "no catalogue key"}, status_code=404)
        return catalogue_key_model(catalogue_key)

    return router
