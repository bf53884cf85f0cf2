"""Enrolment tokens as text and as rows: formatting, hashing, the short id operators see,
listing and cancelling (``kiosk server tokens``). The registry issues and burns them.

A token is only ever stored as the SHA-256 of its normalised text; its first
:data:`TOKEN_ID_CHARS` hex digits name it in listings and on the command line, so an
operator can cancel a token without it ever being shown again.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select, update

from sync.server.schema import enrolment_tokens

TOKEN_ID_CHARS = 12
_TOKEN_ID = re.compile(rf"^[0-9a-f]{{{TOKEN_ID_CHARS}}}$")
_TOKEN_TEXT = re.compile(r"^[A-Z2-7]{24}$")


@dataclass(frozen=True)
class TokenRecord:
    """An enrolment token as operators see it: its short id, never the token itself."""

    token_id: str
    kiosk_id: str
    created_at: float
    expires_at: float
    used_at: float | None
    cancelled_at: float | None

    def state(self, now: float) -> str:
        """``used``, ``cancelled``, ``expired`` or ``unused``."""
        if self.used_at is not None:
            return "used"
        if self.cancelled_at is not None:
            return "cancelled"
        return "expired" if self.expires_at < now else "unused"


def normalise_token(token: str) -> str:
    """Tokens are typed by technicians: case, spaces and hyphens do not matter."""
    return "".join(ch for ch in token.upper() if ch not in " -\t\r\n")


def token_hash(token: str) -> str:
    return hashlib.sha256(normalise_token(token).encode("ascii", "replace")).hexdigest()


def format_token(raw: bytes) -> str:
    """Base32 in groups of six (``ABCDEF-GHIJKL-...``): readable aloud, no padding."""
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 6] for i in range(0, len(text), 6))


def token_id_of(text: str) -> str | None:
    """The short id of a token given as its id or as the token itself; None if neither."""
    lowered = text.strip().lower()
    if _TOKEN_ID.match(lowered):
        return lowered
    if _TOKEN_TEXT.match(normalise_token(text)):
        return token_hash(text)[:TOKEN_ID_CHARS]
    return None


def list_tokens(conn: Connection, kiosk_id: str | None = None) -> list[TokenRecord]:
    """Every enrolment token (of one kiosk), newest first."""
    query = select(enrolment_tokens).order_by(
        enrolment_tokens.c.created_at.desc(), enrolment_tokens.c.token_hash
    )
    if kiosk_id is not None:
        query = query.where(enrolment_tokens.c.kiosk_id == kiosk_id)
    return [
        TokenRecord(
            token_id=row.token_hash[:TOKEN_ID_CHARS],
            kiosk_id=row.kiosk_id,
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
            cancelled_at=row.cancelled_at,
        )
        for row in conn.execute(query)
    ]


def cancel_unused(
    conn: Connection,
    now: float,
    *,
    token_ids: list[str] | None = None,
    kiosk_id: str | None = None,
) -> int:
    """Cancel the unused tokens with these short ids and/or of this kiosk; how many were."""
    conditions = []
    if token_ids is not None:
        bad = [token_id for token_id in token_ids if not _TOKEN_ID.match(token_id)]
        if bad:
            raise ValueError(f"not a token id: {bad[0]!r}")
        if not token_ids:
            return 0
        conditions.append(or_(*(enrolment_tokens.c.token_hash.startswith(t) for t in token_ids)))
    if kiosk_id is not None:
        conditions.append(enrolment_tokens.c.kiosk_id == kiosk_id)
    if not conditions:
        raise ValueError("say which tokens to cancel")
    result = conn.execute(
        update(enrolment_tokens)
        .where(
            *conditions,
            enrolment_tokens.c.used_at.is_(None),
            enrolment_tokens.c.cancelled_at.is_(None),
        )
        .values(cancelled_at=now)
    )
    return int(result.rowcount)
