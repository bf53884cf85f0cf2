"""Electronic card codes for tests: issued straight in a platform's database with its code key,
as ``kiosk server ecode issue`` does (``now`` in the past makes a code that has expired)."""

from __future__ import annotations

from collections.abc import Mapping

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.platform.ecodes import CODE_PREFIX, b64url
from sync.server.ecodes import EcodeDesk, fixture_identity
from sync.server.keys import load_or_create_ecode_key
from sync.server.store import make_engine
from tests.support.platform import PlatformProcess

__all__ = ["forged_code", "issue_ecode"]


def issue_ecode(platform: PlatformProcess, identity: Mapping[str, str] | None = None, *,
                ttl: float = 60.0, now: float | None = None,
                code_kind: str = "social_security") -> str:
    engine = make_engine(platform.database_url)
    try:
        desk = EcodeDesk(engine, load_or_create_ecode_key(platform.data_dir))
        return desk.issue(identity or fixture_identity(), code_kind=code_kind, ttl=ttl, now=now)
    finally:
        engine.dispose()


def forged_code(genuine: str) -> str:
    """The same claims signed with a key that is not the platform's: what a forger can make."""
    body = genuine.rpartition(".")[0]
    assert body.startswith(CODE_PREFIX)
    return body + "." + b64url(Ed25519PrivateKey.generate().sign(body.encode("ascii")))
