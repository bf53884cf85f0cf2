"""Electronic card codes on the reference platform: signed test codes, resolved once.

Why it looks like this (docs/identification.md):
- a code carries no personal data, only signed claims (a random code id, its kind, issue and
  expiry times), so a photo of a citizen's phone gives away nothing but a code that soon
  expires; the identity it stands for waits in ``ecodes`` and is dropped when it is resolved;
- the signature (Ed25519, the platform's code key, ``ecode_key.pem``) is checked before the
  database is asked, so a forged code costs one verification and no row;
- a code is good once: resolving is one ``UPDATE … WHERE resolved_at IS NULL`` inside the
  transaction that read the identity (SQLite's write lock by ``BEGIN IMMEDIATE``,
  PostgreSQL's row lock), so two kiosks racing with one code get one identity and one
  ``replayed`` between them, on either database;
- the expiry is short (60 s by default, as the real apps refresh their codes every minute)
  and decided by the platform's clock.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, delete, insert, select, update

from sync.platform.ecodes import (
    CODE_KINDS,
    CODE_PREFIX,
    ECODE_RESOLVE_PATH,
    MAX_CODE_LENGTH,
    REFUSAL_REASONS,
    b64url,
    b64url_decode,
    looks_like_ecode,
)
from sync.platform.protocol import KIOSK_ID_PATTERN
from sync.platform.signing import REASON_KIOSK_MISMATCH, REASON_MISSING
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.db import create_schema
from sync.server.schema_ecodes import ecodes, metadata

log = logging.getLogger(__name__)

DEFAULT_TTL = 60.0
MAX_TTL = 600.0
KEEP_USED_FOR = 24 * 3600.0  # a resolved or expired code's row, kept to tell a replay
IDENTITY_KEYS = ("name", "id_number", "gender", "nation", "birth_date", "card_number", "region")
NO_STORE = {"Cache-Control": "no-store"}


@dataclass(frozen=True)
class Resolution:
    """``identity`` (the keys of IDENTITY_KEYS and ``code_kind``) or ``reason``."""

    identity: dict[str, str] | None = None
    reason: str = ""


def fixture_identity() -> dict[str, str]:
    """The fictional holder of assets/sim/ssc_holder.json, as a code's identity."""
    text = (resources.files("assets") / "sim" / "ssc_holder.json").read_text(encoding="utf-8")
    holder = json.loads(text)
    born = str(holder["birth_date"])
    return {
        "name": holder["name"], "id_number": holder["id_number"],
        "gender": {"1": "男", "2": "女"}.get(str(holder["gender"]), "未知"),
        "nation": "汉" if str(holder["nation"]) == "01" else str(holder["nation"]),
        "birth_date": f"{born[:4]}-{born[4:6]}-{born[6:8]}",
        "card_number": holder["card_number"], "region": holder["region"],
    }


class EcodeDesk:
    """Issues and resolves codes over the platform database. Thread-safe."""

    def __init__(self, engine: Engine, key: Ed25519PrivateKey, *,
                 clock: Callable[[], float] = time.time) -> None:
        create_schema(engine, metadata)  # a database from before e-codes gains the table
        self.engine = engine
        self.key = key
        self.public_key = key.public_key()
        self.clock = clock

    def issue(self, identity: Mapping[str, str], *, code_kind: str = "social_security",
              ttl: float = DEFAULT_TTL, now: float | None = None) -> str:
        """A new code for ``identity``, good once until ``now + ttl``."""
        if code_kind not in CODE_KINDS:
            raise ValueError(f"unknown code kind {code_kind!r} ({', '.join(CODE_KINDS)})")
        if not 0 < ttl <= MAX_TTL:
            raise ValueError(f"a code lives between 0 and {MAX_TTL:g} seconds")
        missing = [k for k in ("name", "id_number") if not identity.get(k)]
        if missing:
            raise ValueError(f"the identity lacks {', '.join(missing)}")
        issued = float(self.clock() if now is None else now)
        code_id = secrets.token_hex(16)
        expires = int(issued + ttl)
        claims = {"v": 1, "cid": code_id, "kind": code_kind, "iat": int(issued), "exp": expires}
        body = CODE_PREFIX + b64url(json.dumps(claims, separators=(",", ":")).encode("ascii"))
        code = body + "." + b64url(self.key.sign(body.encode("ascii")))
        doc = {k: str(identity.get(k, "")) for k in IDENTITY_KEYS}
        with self.engine.begin() as conn:
            conn.execute(delete(ecodes).where(ecodes.c.expires_at < issued - KEEP_USED_FOR))
            # An expired code's identity is of no more use: only the row stays (a replay).
            conn.execute(update(ecodes).where(ecodes.c.expires_at < issued,
                                              ecodes.c.identity.is_not(None)).values(identity=None))
            conn.execute(insert(ecodes).values(
                code_id=code_id, code_kind=code_kind, identity=json.dumps(doc, ensure_ascii=False),
                issued_at=issued, expires_at=float(expires),
            ))
        return code

    def claims(self, code: str) -> dict[str, Any] | str:
        """The verified claims of ``code``, or the reason it is refused (malformed, forged)."""
        if not looks_like_ecode(code):
            return "malformed"
        body, _, signature = code.rpartition(".")
        try:
            self.public_key.verify(b64url_decode(signature), body.encode("ascii"))
        except (InvalidSignature, ValueError):
            return "forged"
        try:
            claims = json.loads(b64url_decode(body.removeprefix(CODE_PREFIX)))
        except ValueError:
            return "malformed"  # signed by us, yet unreadable: never issued by this version
        if not isinstance(claims, dict) or claims.get("v") != 1 \
                or not isinstance(claims.get("cid"), str) or not isinstance(claims.get("exp"), int):
            return "malformed"
        return claims

    def resolve(self, code: str, kiosk_id: str) -> Resolution:
        claims = self.claims(code)
        if isinstance(claims, str):
            return Resolution(reason=claims)
        now = float(self.clock())
        if claims["exp"] < now:
            return Resolution(reason="expired")
        with self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            row = conn.execute(select(ecodes).where(ecodes.c.code_id == claims["cid"])).first()
            if row is None:
                return Resolution(reason="unknown")
            if row.resolved_at is not None or row.identity is None:
                log.warning("e-code replayed by %s (first resolved by %s)", kiosk_id,
                            row.resolved_by)
                return Resolution(reason="replayed")
            taken = conn.execute(
                update(ecodes).where(ecodes.c.code_id == row.code_id,
                                     ecodes.c.resolved_at.is_(None))
                .values(resolved_at=now, resolved_by=kiosk_id, identity=None)
            ).rowcount
            if taken != 1:  # another server process resolved it meanwhile
                return Resolution(reason="replayed")
            identity = dict(json.loads(row.identity))
        identity["code_kind"] = row.code_kind
        return Resolution(identity=identity)


# -- the route ---------------------------------------------------------------------------------


class ResolveRequest(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN, description="Must equal the signing kiosk")
    code: str = Field(max_length=MAX_CODE_LENGTH,
                      description="The text of the QR code the citizen showed")


class ResolvedIdentityModel(BaseModel):
    code_kind: str = Field(description=" | ".join(CODE_KINDS))
    name: str
    id_number: str
    gender: str
    nation: str
    birth_date: str = Field(description="YYYY-MM-DD, or empty")
    card_number: str
    region: str


class ResolveAnswer(BaseModel):
    outcome: str = Field(description="resolved | refused")
    reason: str | None = Field(default=None, description=" | ".join(REFUSAL_REASONS))
    identity: ResolvedIdentityModel | None = None


def ecode_router(desk: EcodeDesk) -> APIRouter:
    router = APIRouter()

    @router.post(ECODE_RESOLVE_PATH, response_model=ResolveAnswer, responses=AUTH_RESPONSES)
    def resolve(body: ResolveRequest, kiosk: AuthenticatedKiosk) -> Any:
        """Whom an electronic card code belongs to; each code resolves once. Signed.

        Refused (still 200): ``forged`` (the signature does not verify), ``expired``,
        ``replayed`` (resolved before), ``unknown`` (never issued here), ``malformed``."""
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "electronic codes need a signed request")
        if body.kiosk_id != kiosk:
            raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "the request names another kiosk")
        found = desk.resolve(body.code, kiosk)
        if found.identity is None:
            answer = ResolveAnswer(outcome="refused", reason=found.reason)
        else:
            answer = ResolveAnswer(outcome="resolved",
                                   identity=ResolvedIdentityModel(**found.identity))
        return JSONResponse(answer.model_dump(), headers=NO_STORE)

    return router
