"""Sealed envelopes: HPKE (RFC 9180) to the platform's X25519 key, metadata bound as ``info``.

The envelope is canonical JSON (sorted keys, no spaces, UTF-8)::

    {"ct": base64(enc || ciphertext), "kid": ..., "meta": {...}, "suite": ..., "v": 1}

The HPKE ``info`` is the canonical JSON of the same object without ``"ct"``, so changing
any metadata (service code, kiosk id, key id, version) makes the payload undecryptable.
A payload is sealed once, at enqueue; the exact envelope bytes are what is stored, hashed
and sent on every retry. The kiosk keeps no way to open what it sealed.

The kiosk seals with :mod:`sync.hpke_sender`, which lets the KEM half of a seal be prepared
before the outbox transaction; the platform opens with ``cryptography``'s HPKE.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sync.hpke_sender import Encapsulation, encapsulate, seal_with

ENVELOPE_VERSION = 1
SUITE_NAME = "X25519-SHA256-ChaCha20Poly1305"
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
_HEADER_KEYS = frozenset({"v", "suite", "kid", "meta"})
_MIN_CT_LEN = 32 + 16  # X25519 encapsulated key + Poly1305 tag


class EnvelopeError(ValueError):
    """The envelope is malformed, uses an unknown suite, or does not decrypt."""


@dataclass(frozen=True)
class EnvelopeHeader:
    """The readable part of an envelope; the ciphertext stays opaque."""

    version: int
    suite: str
    kid: str
    meta: dict[str, str]
    ciphertext: bytes

    def __repr__(self) -> str:
        return f"EnvelopeHeader(v={self.version}, kid={self.kid!r}, ct={len(self.ciphertext)}B)"


# One encoder for every call: ``json.dumps`` with options builds a new one each time, which
# was a third of a prepared seal's time (docs/performance.md).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8 (no ASCII escaping)."""
    return _CANONICAL.encode(value).encode("utf-8")


def _check_meta(meta: Any) -> dict[str, str]:
    if not isinstance(meta, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in meta.items()
    ):
        raise EnvelopeError("meta must map strings to strings")
    return dict(meta)


def _header(key_id: str, meta: dict[str, str]) -> dict[str, Any]:
    return {"v": ENVELOPE_VERSION, "suite": SUITE_NAME, "kid": key_id, "meta": meta}


def seal(
    payload: bytes,
    public_key: X25519PublicKey,
    key_id: str,
    meta: dict[str, str],
    prepared: Encapsulation | None = None,
) -> bytes:
    """Encrypt ``payload`` to the platform key and return the canonical envelope bytes.

    ``prepared`` is an encapsulation made earlier for ``public_key`` (:func:`encapsulate`),
    used up here; without one, the seal makes its own.
    """
    if not isinstance(payload, bytes | bytearray):
        raise TypeError("payload must be bytes")
    if not key_id:
        raise ValueError("key_id must not be empty")
    info = canonical_json(_header(key_id, _check_meta(meta)))
    ciphertext = seal_with(prepared or encapsulate(public_key), public_key, bytes(payload), info)
    # The envelope is the header plus "ct", and "ct" sorts before every header key, so its
    # canonical JSON is the header's with "ct" put first (base64 needs no escaping): the
    # same bytes as canonical_json({**header, "ct": ...}) without encoding the header twice.
    return b'{"ct":"' + base64.b64encode(ciphertext) + b'",' + info[1:]


def prepare(public_key: X25519PublicKey) -> Encapsulation:
    """The costly half of the next :func:`seal` to ``public_key``, done ahead (one use)."""
    return encapsulate(public_key)


def parse_envelope(envelope: bytes) -> EnvelopeHeader:
    """Check an envelope's structure without decrypting (the platform's first gate)."""
    try:
        obj = json.loads(envelope.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EnvelopeError("envelope is not JSON") from exc
    if not isinstance(obj, dict) or set(obj) != _HEADER_KEYS | {"ct"}:
        raise EnvelopeError("envelope has the wrong fields")
    if obj["v"] != ENVELOPE_VERSION or isinstance(obj["v"], bool):
        raise EnvelopeError("unsupported envelope version")
    if obj["suite"] != SUITE_NAME:
        raise EnvelopeError("unsupported suite")
    if not isinstance(obj["kid"], str) or not obj["kid"]:
        raise EnvelopeError("missing key id")
    if not isinstance(obj["ct"], str):
        raise EnvelopeError("ciphertext must be base64 text")
    meta = _check_meta(obj["meta"])
    try:
        ciphertext = base64.b64decode(obj["ct"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EnvelopeError("ciphertext is not base64") from exc
    if len(ciphertext) < _MIN_CT_LEN:
        raise EnvelopeError("ciphertext too short")
    return EnvelopeHeader(ENVELOPE_VERSION, SUITE_NAME, obj["kid"], meta, ciphertext)


def open_envelope(envelope: bytes, private_key: X25519PrivateKey) -> tuple[dict[str, str], bytes]:
    """Platform side: verify and decrypt; returns ``(meta, payload)`` or raises EnvelopeError."""
    head = parse_envelope(envelope)
    info = canonical_json(_header(head.kid, head.meta))
    try:
        payload = _SUITE.decrypt(head.ciphertext, private_key, info=info)
    except (InvalidTag, ValueError) as exc:
        raise EnvelopeError("envelope does not decrypt with this key") from exc
    return head.meta, payload


def payload_hash(envelope: bytes) -> str:
    """SHA-256 hex of the exact envelope bytes: the idempotency fingerprint."""
    return hashlib.sha256(envelope).hexdigest()


def public_key_text(key: X25519PublicKey) -> str:
    """Base64 of the raw 32-byte public key (how the key is shown, pinned and configured)."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(text: str) -> X25519PublicKey:
    """Inverse of :func:`public_key_text`; raises ValueError on anything but 32 raw bytes."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("public key is not base64") from exc
    if len(raw) != 32:
        raise ValueError("an X25519 public key is 32 bytes")
    return X25519PublicKey.from_public_bytes(raw)


def key_id_of(public_key: X25519PublicKey) -> str:
    """Short stable id of a public key: first 16 hex digits of SHA-256 over the raw bytes."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]
