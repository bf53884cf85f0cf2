"""Tables of the reference platform for official proofs, on the one shared metadata.

- ``proofs``: one row per issued proof, keyed by its verification code (100 random bits, so
  the code is a lookup key, not a password: it opens only the masked summary below). The
  kiosk's ``request_id`` is unique: the same id again reads the same proof back. What is kept
  is what the verification answer says (masked name and ID number, kind, day, one summary
  line) and a SHA-256 of the ID number, to refuse a request id replayed for someone else;
  never the records themselves.
- ``proof_checks``: verification attempts per client address and minute, the rate limit that
  every server process of one database shares.

Platform times are Unix seconds (float, the injected clock).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, PrimaryKeyConstraint, String, Table

from sync.server.schema import metadata

__all__ = ["metadata", "proof_checks", "proofs"]

proofs = Table(
    "proofs",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("request_id", String(64), nullable=False, unique=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("id_hash", String(64), nullable=False),
    Column("issued_on", String(10), nullable=False),  # YYYY-MM-DD, the platform's day
    Column("issued_at", Float, nullable=False),
    Column("holder_masked", String(64), nullable=False),
    Column("id_masked", String(32), nullable=False),
    Column("summary", String(200), nullable=False),
    Column("second_factor", String(16), nullable=False),  # card_pin | staff
    Column("staff_id", String(64), nullable=False, server_default=""),
)

proof_checks = Table(
    "proof_checks",
    metadata,
    Column("address", String(64), nullable=False),
    Column("minute", Integer, nullable=False),  # Unix seconds // 60
    Column("attempts", Integer, nullable=False),
    PrimaryKeyConstraint("address", "minute"),
)
