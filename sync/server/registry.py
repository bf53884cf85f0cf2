"""Kiosk registry of the reference platform: enrolment tokens, kiosk keys, revocation, nonces.

An operator issues a one-time token for a kiosk id (``kiosk server token``); the kiosk
presents it with its public key; the token is burned in the same transaction that registers
the key, by an ``UPDATE ... WHERE used_at IS NULL`` that only one request can win, even across
server processes. A token is only ever stored as its SHA-256. Enrolling again with a fresh
token replaces the key and lifts a revocation: issuing the token is the operator's decision.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync.server.schema import enrolment_tokens, kiosks, metadata, nonces
from sync.signing import (
    MAX_SKEW_SECONDS,
    ed25519_key_id,
    ed25519_public_key_text,
    is_valid_kiosk_id,
    load_ed25519_public_key,
)

DEFAULT_TOKEN_TTL_SECONDS = 24 * 3600
TOKEN_BYTES = 15  # 120 bits, 24 base32 characters
NONCE_PURGE_INTERVAL = 60.0

TOKEN_INVALID = "token_invalid"
TOKEN_USED = "token_used"
TOKEN_EXPIRED = "token_expired"


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


@lru_cache(maxsize=4096)
def _public_key(text: str) -> Ed25519PublicKey:
    return load_ed25519_public_key(text)


def normalise_token(token: str) -> str:
    """Tokens are typed by technicians: case, spaces and hyphens do not matter."""
    return "".join(ch for ch in token.upper() if ch not in " -\t\r\n")


def token_hash(token: str) -> str:
    return hashlib.sha256(normalise_token(token).encode("ascii", "replace")).hexdigest()


def format_token(raw: bytes) -> str:
    """Base32 in groups of six (``ABCDEF-GHIJKL-...``): readable aloud, no padding."""
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 6] for i in range(0, len(text), 6))


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
        metadata.create_all(engine)

    # -- operator actions ----------------------------------------------------------------------

    def issue_token(self, kiosk_id: str, ttl_seconds: float = DEFAULT_TOKEN_TTL_SECONDS) -> str:
        """A new one-time enrolment token for ``kiosk_id``; shown once, stored hashed."""
        if not is_valid_kiosk_id(kiosk_id):
            raise ValueError("kiosk id must be 1-64 characters of A-Z a-z 0-9 . _ -")
        if ttl_seconds <= 0:
            raise ValueError("token lifetime must be positive")
        token = format_token(self._random_bytes(TOKEN_BYTES))
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(
                insert(enrolment_tokens).values(
                    token_hash=token_hash(token),
                    kiosk_id=kiosk_id,
                    created_at=now,
                    expires_at=now + ttl_seconds,
                    used_at=None,
                )
            )
        return token

    def revoke(self, kiosk_id: str) -> bool:
        """Refuse this kiosk's key from now on; False if the kiosk is unknown."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(kiosks)
                .where(kiosks.c.kiosk_id == kiosk_id, kiosks.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
            if result.rowcount:
                return True
            known = conn.execute(
                select(kiosks.c.kiosk_id).where(kiosks.c.kiosk_id == kiosk_id)
            ).first()
        return known is not None

    def register(self, kiosk_id: str, public_key: Ed25519PublicKey) -> None:
        """Register (or replace) a kiosk key directly, without a token (operator provisioning)."""
        with self.engine.begin() as conn:
            self._upsert_kiosk(conn, kiosk_id, public_key)

    def kiosks(self) -> list[KioskRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(kiosks).order_by(kiosks.c.kiosk_id)).fetchall()
        return [self._record(row) for row in rows]

    # -- enrolment -----------------------------------------------------------------------------

    def enroll(self, token: str, kiosk_id: str, public_key: Ed25519PublicKey) -> KioskRecord:
        """Burn ``token`` and register the key, atomically; RegistryError(token_*) if refused."""
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
            if row.expires_at < now:
                raise RegistryError(TOKEN_EXPIRED, "enrolment token has expired")
            unused = enrolment_tokens.c.used_at.is_(None)
            burned = conn.execute(
                update(enrolment_tokens)
                .where(enrolment_tokens.c.token_hash == digest, unused)
                .values(used_at=now)
            )
            if burned.rowcount != 1:  # another request won the race for this token
                raise RegistryError(TOKEN_USED, "enrolment token was already used")
            self._upsert_kiosk(conn, kiosk_id, public_key)
        found = self.lookup(kiosk_id)
        assert found is not None
        return found

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
