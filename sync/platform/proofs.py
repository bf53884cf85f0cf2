"""Protocol v1 of official proofs (证明), shared by the kiosk's client and the reference platform.

``POST /v1/proofs`` (signed) asks the platform to issue one proof for an identified citizen:
the kiosk names the citizen's ID number, the kind of proof and how the citizen proved it is
them (the second factor: the card's PIN, or a staff member's confirmation). The platform
composes the proof's content from its records, gives it a verification code and stores a
masked summary under that code. ``request_id`` is the kiosk's, one per citizen's tap: the same
id again reads the same proof back, never a second code.

``GET /v1/proofs/{code}`` (unsigned: anyone holding the paper may ask) answers whether a code
belongs to a proof the platform issued, with a masked summary; it is rate-limited per client
address.

A verification code is 100 random bits in Crockford's base32: 20 characters in four groups of
five (``7KQ2M-XD4RT-…``). Crockford's alphabet has no I, L, O or U, and reading it back
forgives case, spaces, hyphens and the letters people confuse with digits (I and L for 1, O
for 0), so a code typed from paper still matches.

No HTTP stack and no client errors here: the parser raises ValueError, which the client turns
into a protocol error (so the platform may import this module).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CODE_BITS",
    "PROOFS_PATH",
    "PROOF_KINDS",
    "PROOF_TITLES",
    "IssuedProof",
    "ProofRequest",
    "format_code",
    "new_code",
    "normalize_code",
    "parse_issued_proof",
    "proof_request_body",
]

PROOFS_PATH = "/v1/proofs"
CODE_BITS = 100
CODE_CHARS = CODE_BITS // 5  # 20
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
_CONFUSED = str.maketrans({"I": "1", "L": "1", "O": "0"})
CODE_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{5}(?:-[0-9A-HJKMNP-TV-Z]{5}){3}$"

PROOF_KINDS = ("social_insurance", "medical_insurance", "housing_fund", "income_tax")
PROOF_TITLES = {
    "social_insurance": "社会保险参保缴费证明",
    "medical_insurance": "医疗保险参保证明",
    "housing_fund": "住房公积金缴存证明",
    "income_tax": "个人所得税纳税记录",
}
SECOND_FACTORS = ("card_pin", "staff")


def new_code() -> str:
    """A fresh verification code: 100 bits from ``secrets``, grouped for reading."""
    import secrets  # the platform's alone: kept off the kiosk's start-up path

    value = secrets.randbits(CODE_BITS)
    chars = "".join(_ALPHABET[(value >> (5 * i)) & 31] for i in range(CODE_CHARS))
    return format_code(chars)


def format_code(chars: str) -> str:
    return "-".join(chars[i : i + 5] for i in range(0, len(chars), 5))


def normalize_code(text: str) -> str | None:
    """The canonical form of a typed or scanned code, or None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    chars = re.sub(r"[\s\-]", "", text).upper().translate(_CONFUSED)
    if len(chars) != CODE_CHARS or any(c not in _ALPHABET for c in chars):
        return None
    return format_code(chars)


@dataclass(frozen=True)
class ProofRequest:
    request_id: str  # UUID, one per citizen's tap: a retry sends the same one
    id_number: str
    kind: str  # one of PROOF_KINDS
    second_factor: str  # "card_pin" or "staff"
    staff_id: str = ""  # who confirmed, for "staff"

    def __repr__(self) -> str:  # the ID number stays out of logs
        return f"ProofRequest({self.request_id!r}, kind={self.kind!r})"


def proof_request_body(kiosk_id: str, request: ProofRequest) -> bytes:
    doc = {
        "kiosk_id": kiosk_id,
        "request_id": request.request_id,
        "id_number": request.id_number,
        "kind": request.kind,
        "second_factor": request.second_factor,
        "staff_id": request.staff_id,
    }
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class IssuedProof:
    """What the paper shows: the platform composed it, the kiosk only lays it out."""

    request_id: str
    code: str
    kind: str
    title: str
    issuer: str
    issued_on: str  # YYYY-MM-DD, the platform's day
    holder_name: str
    holder_id: str  # masked as on every paper the kiosk prints
    facts: tuple[tuple[str, str], ...]  # (label, value) lines above the table
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]

    def __repr__(self) -> str:  # personal data and the code stay out of logs
        return f"IssuedProof({self.request_id!r}, kind={self.kind!r}, rows={len(self.rows)})"


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"the proof reply's {what} is not a list of text")
    return tuple(value)


def parse_issued_proof(doc: Any, request: ProofRequest) -> IssuedProof:
    """Check the platform's reply against what was asked; ValueError when it does not fit."""
    if not isinstance(doc, dict):
        raise ValueError("the proof reply is not an object")
    if doc.get("request_id") != request.request_id or doc.get("kind") != request.kind:
        raise ValueError("the proof reply answers another request")
    code = normalize_code(str(doc.get("code", "")))
    if code is None or code != doc.get("code"):
        raise ValueError("the proof reply's verification code is malformed")
    texts = {}
    for name in ("title", "issuer", "issued_on", "holder_name", "holder_id"):
        value = doc.get(name)
        if not isinstance(value, str) or not value:
            raise ValueError(f"the proof reply lacks its {name}")
        texts[name] = value
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", texts["issued_on"]) is None:
        raise ValueError("the proof reply's issued_on is not a day")
    facts_doc = doc.get("facts")
    if not isinstance(facts_doc, list) or not all(
        isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f)
        for f in facts_doc
    ):
        raise ValueError("the proof reply's facts are not label and value pairs")
    columns = _strings(doc.get("columns"), "columns")
    rows_doc = doc.get("rows")
    if not isinstance(rows_doc, list):
        raise ValueError("the proof reply's rows are not a list")
    rows = tuple(_strings(row, "row") for row in rows_doc)
    if any(len(row) != len(columns) for row in rows):
        raise ValueError("a row of the proof reply does not fit its columns")
    return IssuedProof(
        request_id=request.request_id, code=code, kind=request.kind, title=texts["title"],
        issuer=texts["issuer"], issued_on=texts["issued_on"], holder_name=texts["holder_name"],
        holder_id=texts["holder_id"], facts=tuple((f[0], f[1]) for f in facts_doc),
        columns=columns, rows=rows, notes=_strings(doc.get("notes"), "notes"),
    )
