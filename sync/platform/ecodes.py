"""Protocol v1 of electronic card codes (电子社保卡 / 医保电子凭证), shared by kiosk and platform.

A citizen shows a QR code on their phone; the kiosk's scanner reads its text and the kiosk asks
the platform, in a signed ``POST /v1/ecodes/resolve``, who it belongs to. The code itself
carries no personal data: it is ``ECODE1.<claims>.<signature>``, the claims (base64url JSON:
version, a random code id, the card kind, issue and expiry times) signed with the platform's
Ed25519 code key. The platform refuses a code whose signature does not verify (``forged``),
one past its expiry (``expired``), one already resolved (``replayed``: a code is good once)
and one it never issued (``unknown``); the kiosk shows each in words. A resolved identity
lives in the kiosk's session only.

The answer is always 200 with an ``outcome`` (``resolved`` or ``refused``), so a refusal is
never mistaken for a transport failure. No HTTP stack here (the platform imports this module).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CODE_KINDS",
    "CODE_PREFIX",
    "ECODE_RESOLVE_PATH",
    "REFUSAL_REASONS",
    "EcodeAnswer",
    "ResolvedIdentity",
    "b64url",
    "b64url_decode",
    "looks_like_ecode",
    "parse_resolve_answer",
    "resolve_request_body",
]

ECODE_RESOLVE_PATH = "/v1/ecodes/resolve"
CODE_PREFIX = "ECODE1."
MAX_CODE_LENGTH = 512
CODE_KINDS = ("social_security", "medical_insurance")  # 电子社保卡, 医保电子凭证
REFUSAL_REASONS = ("expired", "forged", "replayed", "unknown", "malformed")
_CODE = re.compile(r"ECODE1\.[A-Za-z0-9_-]{8,400}\.[A-Za-z0-9_-]{40,100}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def looks_like_ecode(text: str) -> bool:
    """Has the form of an electronic card code (says nothing of whether it is genuine)."""
    return len(text) <= MAX_CODE_LENGTH and _CODE.fullmatch(text) is not None


def resolve_request_body(kiosk_id: str, code: str) -> bytes:
    doc = {"kiosk_id": kiosk_id, "code": code}
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")


@dataclass(frozen=True, repr=False)
class ResolvedIdentity:
    """Whom a code belongs to, as the platform says; held by the kiosk's session only."""

    code_kind: str  # one of CODE_KINDS
    name: str
    id_number: str
    gender: str  # "男" / "女" / "未知"
    nation: str
    birth_date: str  # YYYY-MM-DD or ""
    card_number: str  # the social-security card number behind the code, or ""
    region: str

    def __repr__(self) -> str:
        return f"ResolvedIdentity(code_kind={self.code_kind!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class EcodeAnswer:
    """``identity`` when resolved, else ``reason`` (one of REFUSAL_REASONS)."""

    identity: ResolvedIdentity | None = None
    reason: str = ""


def _text(doc: dict[str, Any], key: str, limit: int = 64) -> str:
    value = doc.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"the resolved identity's {key} is not text")
    return value


def parse_resolve_answer(doc: Any) -> EcodeAnswer:
    """The platform's reply; ValueError when it does not fit the protocol."""
    if not isinstance(doc, dict):
        raise ValueError("the code reply is not an object")
    outcome = doc.get("outcome")
    if outcome == "refused":
        reason = doc.get("reason")
        if reason not in REFUSAL_REASONS:
            raise ValueError("the code reply refuses without a known reason")
        return EcodeAnswer(reason=str(reason))
    if outcome != "resolved":
        raise ValueError("the code reply has no known outcome")
    who = doc.get("identity")
    if not isinstance(who, dict):
        raise ValueError("the code reply lacks the identity")
    kind = who.get("code_kind")
    if kind not in CODE_KINDS:
        raise ValueError("the code reply names no known code kind")
    birth = _text(who, "birth_date")
    if birth and _DATE.fullmatch(birth) is None:
        raise ValueError("the resolved identity's birth date is not a date")
    identity = ResolvedIdentity(
        code_kind=str(kind), name=_text(who, "name"), id_number=_text(who, "id_number", 18),
        gender=_text(who, "gender"), nation=_text(who, "nation"), birth_date=birth,
        card_number=_text(who, "card_number"), region=_text(who, "region", 6),
    )
    if not identity.id_number:
        raise ValueError("the resolved identity has no ID number")
    return EcodeAnswer(identity=identity)
