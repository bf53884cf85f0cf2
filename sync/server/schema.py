"""Tables of the reference platform (SQLAlchemy Core), one metadata for all of them.

``metadata.create_all`` adds missing tables to an existing database, so a platform data
directory from before enrolment existed gains the kiosk tables on its next start; a nullable
column added to an existing table is added by :func:`sync.server.db.create_schema` too.
Times in the kiosk tables are Unix seconds (float), compared against an injected clock.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

metadata = MetaData()

transactions = Table(
    "transactions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kiosk_id", String(64), nullable=False, index=True),
    Column("payload_hash", String(64), nullable=False),
    Column("envelope", LargeBinary, nullable=False),
    Column("received_at", String(40), nullable=False),
    Column("status", String(32), nullable=False, server_default="accepted"),
    # From the envelope's readable metadata, for the status page the receipt QR points at.
    Column("tracking_number", String(64), nullable=True, index=True),
    # HMAC-SHA256 (the platform's lookup key) of the receipt's query code, bound to the
    # tracking number; the code itself is never stored (sync/server/tracking_lookup.py).
    Column("query_code_hash", String(64), nullable=True),
    # From the envelope's metadata too: how the applicant was identified (a card kind,
    # ``electronic_code``, ``typed_number``) and the staff member who confirmed a typed number.
    Column("identified_by", String(32), nullable=True),
    Column("assisted_by", String(64), nullable=True),
)

# Query-code attempts per tracking number, known or not: counted in the database so that
# every server process sees the same count, and a number locks after the limit.
tracking_lookups = Table(
    "tracking_lookups",
    metadata,
    Column("tracking_number", String(64), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("last_attempt_at", Float, nullable=False),
)

# One row per enrolled kiosk: its current Ed25519 public key, and when it was revoked.
kiosks = Table(
    "kiosks",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("enrolled_at", Float, nullable=False),
    Column("revoked_at", Float, nullable=True),
)

# One-time enrolment tokens, stored as SHA-256 so a database copy discloses no live token.
enrolment_tokens = Table(
    "enrolment_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("kiosk_id", String(64), nullable=False, index=True),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("used_at", Float, nullable=True),
    # Set by ``kiosk server revoke`` and ``kiosk server tokens --cancel``: never usable again.
    Column("cancelled_at", Float, nullable=True),
)

# The kiosk code each kiosk id prints in its tracking numbers (``K0451`` in
# ``K0451-20261121-0042-7``), recorded by the operator: one code per kiosk id and one kiosk
# id per code, so ingest can refuse a tracking number from a kiosk it does not belong to.
kiosk_codes = Table(
    "kiosk_codes",
    metadata,
    Column("kiosk_code", String(16), primary_key=True),
    Column("kiosk_id", String(64), nullable=False, unique=True),
    Column("assigned_at", Float, nullable=False),
)

# Nonces seen inside the skew window; the primary key makes a replay lose the insert race
# even between several server processes.
nonces = Table(
    "request_nonces",
    metadata,
    Column("kiosk_id", String(64), nullable=False),
    Column("nonce", String(64), nullable=False),
    Column("timestamp", BigInteger, nullable=False, index=True),
    PrimaryKeyConstraint("kiosk_id", "nonce"),
)
