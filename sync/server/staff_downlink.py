"""``GET /v1/staff``: the newest staff credential document, signed, for enrolled kiosks only.

The exact bytes issued by :mod:`sync.server.staff_admin`, with a strong ETag (SHA-256 of the
bytes), the Ed25519 signature in ``X-Staff-Signature`` (over the signing context and the
bytes, see :mod:`sync.staff_credentials`) and 304 for a matching ``If-None-Match``. Unlike the
catalogue it always needs a signed request, even on a platform that accepts unsigned uploads:
the hashes are salted and memory-hard, but still worth nothing to anyone but a kiosk.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Header, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, select

from sync.platform.protocol import HEADER_STAFF_KEY_ID, HEADER_STAFF_SIGNATURE, STAFF_PATH
from sync.platform.signing import REASON_MISSING, ed25519_key_id
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.downlink import etag_matches
from sync.server.schema_staff import metadata, staff_documents
from sync.staff_credentials import sign_document

log = logging.getLogger(__name__)

_HEADERS = {
    "ETag": {"description": "Strong ETag: quoted SHA-256 hex of the body", "schema": {}},
    HEADER_STAFF_SIGNATURE: {
        "description": "Base64 Ed25519 signature by the downlink key over the staff signing "
        "context followed by the exact body bytes",
        "schema": {"type": "string"},
    },
    HEADER_STAFF_KEY_ID: {"description": "Id of the signing key", "schema": {"type": "string"}},
}


def staff_router(engine: Engine, signing_key: Ed25519PrivateKey | None) -> APIRouter:
    """The staff credential endpoint over the platform database."""
    metadata.create_all(engine)
    router = APIRouter()
    serving_kid = ed25519_key_id(signing_key.public_key()) if signing_key else None
    resigned: dict[int, str] = {}  # serial -> signature by the serving key

    def signature_of(row: Any) -> tuple[str, str]:
        if signing_key is None or row.key_id == serving_kid:
            return row.signature, row.key_id
        if row.serial not in resigned:  # issued under a key rotated since: kiosks pin this one
            log.warning("staff list %s was signed by key %s; re-signing", row.serial, row.key_id)
            resigned[row.serial] = sign_document(row.body, signing_key)
        assert serving_kid is not None
        return resigned[row.serial], serving_kid

    @router.get(
        STAFF_PATH,
        responses={
            **AUTH_RESPONSES,
            200: {
                "description": "The staff credential document (civic-kiosk/staff-credentials)",
                "content": {"application/json": {"schema": {"type": "object"}}},
                "headers": _HEADERS,
            },
            304: {"description": "Not modified: If-None-Match named the current ETag"},
            404: {"description": "No staff credentials issued yet"},
        },
    )
    def staff(
        kiosk: AuthenticatedKiosk,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        """Staff numbers, names, roles and Argon2id PIN hashes for kiosks. Signed request."""
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "this endpoint needs a signed request")
        with engine.connect() as conn:
            row = conn.execute(
                select(staff_documents).order_by(staff_documents.c.serial.desc()).limit(1)
            ).first()
        if row is None:
            return JSONResponse({"detail": "no staff credentials issued"}, status_code=404)
        etag = f'"{row.sha256}"'
        signature, key_id = signature_of(row)
        headers = {
            "ETag": etag,
            "Cache-Control": "no-store",
            HEADER_STAFF_SIGNATURE: signature,
            HEADER_STAFF_KEY_ID: key_id,
        }
        if etag_matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        return Response(content=row.body, media_type="application/json", headers=headers)

    return router
