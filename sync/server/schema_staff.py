"""Staff credential tables of the reference platform, on the same metadata as the others.

- ``staff_people``: one row per person who may sign in at kiosks: staff number, display name,
  role, and the Argon2id hash of their PIN (the PIN itself is never stored).
- ``staff_documents``: every credential document issued, numbered by ``serial`` (the primary
  key, so two operators adding at once cannot issue the same number); the highest is served.
  Each is the exact bytes kiosks receive and the signature over them.

Times are Unix seconds (float).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, LargeBinary, String, Table

from sync.server.schema import metadata

__all__ = ["metadata", "staff_documents", "staff_people"]

staff_people = Table(
    "staff_people",
    metadata,
    Column("person_id", String(12), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("pin_hash", String(256), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

staff_documents = Table(
    "staff_documents",
    metadata,
    Column("serial", BigInteger, primary_key=True, autoincrement=False),
    Column("sha256", String(64), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("signature", String(128), nullable=False),  # base64 Ed25519, see staff_credentials
    Column("key_id", String(16), nullable=False),
    Column("issued_at", Float, nullable=False),
)
