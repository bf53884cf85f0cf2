"""Operator accounts and their browser sessions (the fleet page), on the same metadata.

- ``operators``: one row per operator: name, the Argon2id hash of the password (the password
  itself is never stored), consecutive failed logins and, after too many, until when the account
  is locked.
- ``operator_sessions``: server-side sessions of the fleet page. The cookie carries a random
  token; only its SHA-256 is kept here, so a copy of the database opens no session. ``operator``
  is NULL for the short anonymous session a login form is tied to (its CSRF token). Each row
  has its own CSRF (synchronizer) token and an expiry.

Times are Unix seconds (float), platform clock.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, String, Table

from sync.server.schema import metadata

__all__ = ["metadata", "operator_sessions", "operators"]

operators = Table(
    "operators",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", String(256), nullable=False),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", Float, nullable=True),
    Column("created_at", Float, nullable=False),
)

operator_sessions = Table(
    "operator_sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("operator", String(64), nullable=True, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
)
