"""Kiosk registry of the reference platform: enrolment tokens, kiosk keys, revocation, nonces.

An operator issues a one-time token for a kiosk id (``kiosk server token``); the kiosk
presents it with its public key; the token is burned in the same transaction that registers
the key, by an ``UPDATE ... WHERE used_at IS NULL`` that only one request can win, even across
server processes. A token is only ever stored as its SHA-256. Enrolling again with a fresh
token replaces the key.

Revocation is final until the operator says otherwise: ``revoke`` cancels the kiosk's unused
tokens in the same transaction (a token issued before the theft would otherwise let the
thief's key take over the kiosk id and lift the revocation), a token issued before the
revocation never enrols, and a token for a revoked kiosk is only issued with ``reinstate``
(``kiosk server token --reinstate``). An enrolment request records its nonce only once its
token has been found good, so requests without a valid token write nothing.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from sync.platform.protocol import is_valid_kiosk_id
from sync.platform.signing import (
    MAX_SKEW_SECONDS,
    REASON_REPLAYED,
    ed25519_key_id,
    ed25519_public_key_text,
    load_ed25519_public_key,
)
from sync.server.db import create_schema
from sync.server.kiosk_codes import RACED, KioskCodeError, KioskCodes
from sync.server.schema import enrolment_tokens, kiosks, metadata, nonces
from sync.server.tokens import (
    TOKEN_ID_CHARS,
    TokenRecord,
    cancel_unused,
    format_token,
    list_tokens,
    normalise_token,
    token_hash,
    token_id_of,
)

__all__ = [
    "TOKEN_ID_CHARS",
    "KioskRecord",
    "KioskRegistry",
    "RegistryError",
    "Revocation",
    "TokenRecord",
    "format_token",
    "normalise_token",
    "token_hash",
    "token_id_of",
]

DEFAULT_TOKEN_TTL_SECONDS = 24 * 3600
TOKEN_BYTES = 15  # 120 bits, 24 base32 characters
NONCE_PURGE_INTERVAL = 60.0

TOKEN_INVALID = "token_invalid"
TOKEN_USED = "token_used"
TOKEN_EXPIRED = "token_expired"
TOKEN_CANCELLED = "token_cancelled"
KIOSK_REVOKED = "kiosk_revoked"


class RegistryError(Exception):
    """An enrolment or registry operation was refused; ``reason`` is machine-readable."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class KioskRecord:
    kiosk_id: str
    public_key: Ed25519PublicKey
    key_id: str
    enrolled_at: float
    revoked_at: float | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True)
class Revocation:
    known: bool  # False: no kiosk with that id is enrolled
    tokens_cancelled: int


@lru_cache(maxsize=4096)
def _public_key(text: str) -> Ed25519PublicKey:
    return load_ed25519_public_key(text)


class KioskRegistry:
    """Kiosk keys and tokens in the platform database. Safe to share between threads."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], float] = time.time,
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
        max_skew: float = MAX_SKEW_SECONDS,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self._random_bytes = random_bytes
        self.max_skew = max_skew
        self._purge_lock = threading.Lock()
        self._last_purge = float("-inf")
        self.codes = KioskCodes(engine, clock=clock)
        self._sqlite = engine.dialect.name == "sqlite"
        create_schema(engine, metadata)  # tables and columns, under the cross-process lock

    # -- operator actions ----------------------------------------------------------------------

    def issue_token(
        self,
        kiosk_id: str,
        ttl_seconds: float = DEFAULT_TOKEN_TTL_SECONDS,
        *,
        kiosk_code: str | None = None,
        reinstate: bool = False,
    ) -> str:
        """A new one-time enrolment token for ``kiosk_id``; shown once, stored hashed.

        ``kiosk_code`` is bound to the kiosk id in the same transaction. A revoked kiosk gets
        a token only with ``reinstate`` (RegistryError ``kiosk_revoked`` otherwise): enrolling
        with it registers a new key and lifts the revocation.
        """
        if not is_valid_kiosk_id(kiosk_id):
            raise ValueError("kiosk id must be 1-64 characters of A-Z a-z 0-9 . _ -")
        if ttl_seconds <= 0:
            raise ValueError("token lifetime must be positive")
        token = format_token(self._random_bytes(TOKEN_BYTES))
        now = self.clock()
        try:
            with self.engine.begin() as conn:
                revoked = conn.execute(
                    select(kiosks.c.revoked_at).where(kiosks.c.kiosk_id == kiosk_id)
                ).scalar_one_or_none()
                if revoked is not None and not reinstate:
                    raise RegistryError(
                        KIOSK_REVOKED,
                        f"kiosk {kiosk_id} is revoked; a token would let a new key take over "
                        "its id. If the kiosk is back in safe hands, issue one with --reinstate",
                    )
                if kiosk_code is not None:
                    self.codes.assign_in(conn, kiosk_id, kiosk_code)
                conn.execute(
                    insert(enrolment_tokens).values(
                        token_hash=token_hash(token),
                        kiosk_id=kiosk_id,
                        created_at=now,
                        expires_at=now + ttl_seconds,
                        used_at=None,
                        cancelled_at=None,
                    )
                )
        except IntegrityError as exc:
            raise KioskCodeError(RACED) from exc
        return token

    def revoke(self, kiosk_id: str) -> bool:
        """Refuse this kiosk's key from now on; False if the kiosk is unknown."""
        return self.revoke_kiosk(kiosk_id).known

    def revoke_kiosk(self, kiosk_id: str) -> Revocation:
        """Revoke the key and cancel every unused token of the kiosk, in one transaction.

        Tokens are cancelled even when no kiosk of that id is enrolled yet.
        """
        now = self.clock()
        with self.engine.begin() as conn:
            result = conn.execute(
                update(kiosks)
                .where(kiosks.c.kiosk_id == kiosk_id, kiosks.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            known = bool(result.rowcount) or conn.execute(
                select(kiosks.c.kiosk_id).where(kiosks.c.kiosk_id == kiosk_id)
            ).first() is not None
            cancelled = cancel_unused(conn, now, kiosk_id=kiosk_id)
        return Revocation(known, cancelled)

    def register(
        self, kiosk_id: str, public_key: Ed25519PublicKey, *, reinstate: bool = False
    ) -> None:
        """Register (or replace) a kiosk key directly, without a token (operator provisioning).

        A revoked kiosk is registered again only with ``reinstate``.
        """
        with self.engine.begin() as conn:
            revoked = conn.execute(
                select(kiosks.c.revoked_at).where(kiosks.c.kiosk_id == kiosk_id)
            ).scalar_one_or_none()
            if revoked is not None and not reinstate:
                raise RegistryError(KIOSK_REVOKED, f"kiosk {kiosk_id} is revoked")
            self._upsert_kiosk(conn, kiosk_id, public_key)

    # -- enrolment tokens ----------------------------------------------------------------------

    def tokens(self, kiosk_id: str | None = None) -> list[TokenRecord]:
        """Every enrolment token (of one kiosk), newest first."""
        with self.engine.connect() as conn:
            return list_tokens(conn, kiosk_id)

    def cancel_tokens(
        self, *, token_ids: list[str] | None = None, kiosk_id: str | None = None
    ) -> int:
        """Cancel the unused tokens with these short ids, or all unused ones of ``kiosk_id``;
        returns how many were cancelled."""
        with self.engine.begin() as conn:
            return cancel_unused(conn, self.clock(), token_ids=token_ids, kiosk_id=kiosk_id)

    def kiosks(self) -> list[KioskRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(kiosks).order_by(kiosks.c.kiosk_id)).fetchall()
        return [self._record(row) for row in rows]

    # -- enrolment -----------------------------------------------------------------------------

    def enroll(
        self,
        token: str,
        kiosk_id: str,
        public_key: Ed25519PublicKey,
        *,
        nonce: tuple[str, int] | None = None,
    ) -> KioskRecord:
        """Burn ``token`` and register the key, atomically; RegistryError(token_*) if refused.

        ``nonce`` (nonce, timestamp) of the enrolment request is recorded in the same
        transaction, after the token checks: RegistryError(replayed) if it was used before.
        """
        digest = token_hash(token)
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(enrolment_tokens).where(enrolment_tokens.c.token_hash == digest)
            ).first()
            if row is None or row.kiosk_id != kiosk_id:
                raise RegistryError(TOKEN_INVALID, "unknown enrolment token for this kiosk")
            if row.used_at is not None:
                raise RegistryError(TOKEN_USED, "enrolment token was already used")
            if row.cancelled_at is not None or self._issued_before_revocation(conn, row):
                raise RegistryError(TOKEN_CANCELLED, "enrolment token was cancelled")
            if row.expires_at < now:
                raise RegistryError(TOKEN_EXPIRED, "enrolment token has expired")
            if nonce is not None and not self._insert_nonce(conn, kiosk_id, *nonce):
                raise RegistryError(REASON_REPLAYED, "nonce was already used")
            usable = (
                enrolment_tokens.c.used_at.is_(None),
                enrolment_tokens.c.cancelled_at.is_(None),
            )
            burned = conn.execute(
                update(enrolment_tokens)
                .where(enrolment_tokens.c.token_hash == digest, *usable)
                .values(used_at=now)
            )
            if burned.rowcount != 1:  # another request won the race, or a revocation did
                raise RegistryError(TOKEN_USED, "enrolment token was already used or cancelled")
            self._upsert_kiosk(conn, kiosk_id, public_key)
        found = self.lookup(kiosk_id)
        assert found is not None
        return found

    @staticmethod
    def _issued_before_revocation(conn: Connection, token: Row[Any]) -> bool:
        """Revocation cancels tokens; this also stops one a revoke could not see (a token
        committed while the revocation ran, or by a platform version that did not cancel)."""
        revoked_at = conn.execute(
            select(kiosks.c.revoked_at).where(kiosks.c.kiosk_id == token.kiosk_id)
        ).scalar_one_or_none()
        return revoked_at is not None and token.created_at < revoked_at

    def _upsert_kiosk(
        self, conn: Connection, kiosk_id: str, public_key: Ed25519PublicKey
    ) -> None:
        values = {
            "public_key": ed25519_public_key_text(public_key),
            "key_id": ed25519_key_id(public_key),
            "enrolled_at": self.clock(),
            "revoked_at": None,
        }
        changed = conn.execute(update(kiosks).where(kiosks.c.kiosk_id == kiosk_id).values(**values))
        if not changed.rowcount:
            conn.execute(insert(kiosks).values(kiosk_id=kiosk_id, **values))

    # -- request checks ------------------------------------------------------------------------

    def lookup(self, kiosk_id: str) -> KioskRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(kiosks).where(kiosks.c.kiosk_id == kiosk_id)).first()
        return None if row is None else self._record(row)

    @staticmethod
    def _record(row: Row[Any]) -> KioskRecord:
        return KioskRecord(
            kiosk_id=row.kiosk_id,
            public_key=_public_key(row.public_key),
            key_id=row.key_id,
            enrolled_at=row.enrolled_at,
            revoked_at=row.revoked_at,
        )

    def remember_nonce(self, kiosk_id: str, nonce: str, timestamp: int) -> bool:
        """Record a nonce; False if this kiosk used it before (a replay)."""
        self._purge_if_due()
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(nonces).values(kiosk_id=kiosk_id, nonce=nonce, timestamp=timestamp)
                )
        except IntegrityError:
            return False
        return True

    def _insert_nonce(self, conn: Connection, kiosk_id: str, nonce: str, timestamp: int) -> bool:
        """Record a nonce inside the caller's transaction; False if it was used before."""
        dialect_insert = sqlite.insert if self._sqlite else postgresql.insert
        statement = dialect_insert(nonces).on_conflict_do_nothing(
            index_elements=[nonces.c.kiosk_id, nonces.c.nonce]
        )
        result = conn.execute(
            statement.values(kiosk_id=kiosk_id, nonce=nonce, timestamp=timestamp)
        )
        return bool(result.rowcount)

    def _purge_if_due(self) -> None:
        """Forget nonces whose timestamp is outside the skew window (they fail that check)."""
        now = self.clock()
        with self._purge_lock:
            if now - self._last_purge < NONCE_PURGE_INTERVAL:
                return
            self._last_purge = now
        cutoff = int(now - self.max_skew) - 1
        with self.engine.begin() as conn:
            conn.execute(delete(nonces).where(nonces.c.timestamp < cutoff))

    def nonce_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(nonces)).scalar_one())
