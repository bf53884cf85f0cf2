"""Request signatures of protocol v1: every kiosk request is signed with the kiosk's Ed25519 key.

The signature covers a canonical string of seven lines (UTF-8, joined by ``\\n``)::

    CIVIC-KIOSK-SIG-V1
    POST                          (method, upper case)
    /v1/transactions/batch?a=b    (path and query exactly as sent)
    K0451                         (kiosk id)
    1763700000                    (timestamp, integer Unix seconds)
    q3Jv0Y2m6V1lHkYb0V8f6w        (nonce, base64url, 16 to 64 characters)
    9f86d0...                     (SHA-256 hex of the exact body bytes; of b"" when none)

and travels in four headers (:data:`HEADER_KIOSK`, :data:`HEADER_TIMESTAMP`,
:data:`HEADER_NONCE`, :data:`HEADER_SIGNATURE`, the last base64 of 64 bytes), and a fifth,
:data:`HEADER_SUITE`, naming the signature suite (``ed25519``; absent means ``ed25519``, as
kiosks sent before it existed). Each suite has its own first line of the canonical string
(:data:`SUITE_SCHEMES`), so the suite is signed too and a signature cannot be passed off under
another suite; a national-cryptography suite (SM2 with SM3) is added beside it without a
protocol break (docs/cryptography.md). The kiosk id is signed too, so a signature cannot be
re-attributed. The platform checks the key, the signature,
revocation, a clock skew of at most :data:`MAX_SKEW_SECONDS` and that the nonce is new; it keeps
nonces only as long as their timestamp is inside the window. Clock and randomness are injected
so skew and replay are tested without waiting.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sync.platform.protocol import is_valid_kiosk_id

SCHEME = "CIVIC-KIOSK-SIG-V1"
HEADER_KIOSK = "X-Kiosk-Id"
HEADER_TIMESTAMP = "X-Kiosk-Timestamp"
HEADER_NONCE = "X-Kiosk-Nonce"
HEADER_SIGNATURE = "X-Kiosk-Signature"
HEADER_SUITE = "X-Kiosk-Signature-Suite"
REQUIRED_SIGNATURE_HEADERS = (HEADER_KIOSK, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE)
SIGNATURE_HEADERS = (*REQUIRED_SIGNATURE_HEADERS, HEADER_SUITE)
SUITE_ED25519 = "ed25519"
# The suites this version signs and verifies, each with the first line of its canonical string.
SUITE_SCHEMES = {SUITE_ED25519: SCHEME}
MAX_SKEW_SECONDS = 300
NONCE_BYTES = 16

_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")

# Machine-readable reasons the platform gives when it refuses a request's authentication.
REASON_MISSING = "missing_signature"
REASON_BAD_SIGNATURE = "bad_signature"
REASON_UNKNOWN_KIOSK = "unknown_kiosk"
REASON_REVOKED = "revoked"
REASON_CLOCK_SKEW = "clock_skew"
REASON_REPLAYED = "replayed"
REASON_KIOSK_MISMATCH = "kiosk_mismatch"
REASON_UNSUPPORTED_SUITE = "unsupported_suite"


class SignatureError(ValueError):
    """A request's signature headers are malformed or do not verify; ``reason`` says which."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def body_digest(body: bytes | None) -> str:
    """SHA-256 hex of the exact body bytes (an absent body hashes as empty)."""
    return hashlib.sha256(body or b"").hexdigest()


def canonical_request(
    method: str, path: str, kiosk_id: str, timestamp: int, nonce: str, body: bytes | None,
    suite: str = SUITE_ED25519,
) -> bytes:
    """The bytes that are signed; both sides build them with this one function."""
    for part in (method, path, kiosk_id, nonce):
        if "\n" in part or "\r" in part:
            raise SignatureError(REASON_BAD_SIGNATURE, "line break in a signed field")
    scheme = _scheme_of(suite)
    lines = (scheme, method.upper(), path, kiosk_id, str(int(timestamp)), nonce, body_digest(body))
    return "\n".join(lines).encode("utf-8")


def _scheme_of(suite: str) -> str:
    try:
        return SUITE_SCHEMES[suite]
    except KeyError:
        raise SignatureError(
            REASON_UNSUPPORTED_SUITE, f"signature suite {suite[:32]!r} is not supported"
        ) from None


def ed25519_public_key_text(key: Ed25519PublicKey) -> str:
    """Base64 of the raw 32-byte Ed25519 public key (how it is shown, sent and pinned)."""
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def load_ed25519_public_key(text: str) -> Ed25519PublicKey:
    """Inverse of :func:`ed25519_public_key_text`; ValueError on anything but 32 raw bytes."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("public key is not base64") from exc
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def ed25519_key_id(key: Ed25519PublicKey) -> str:
    """Short stable id of a public key: first 16 hex digits of SHA-256 over the raw bytes."""
    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


class RequestSigner:
    """Signs requests as one kiosk. Thread-safe (it holds no mutable state).

    ``clock`` returns Unix seconds and ``random_bytes(n)`` the nonce's randomness; tests
    inject both to sign with a wrong clock or to repeat a nonce on purpose.
    """

    def __init__(
        self,
        kiosk_id: str,
        private_key: Ed25519PrivateKey,
        *,
        clock: Callable[[], float] = time.time,
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        if not is_valid_kiosk_id(kiosk_id):
            raise ValueError("kiosk id must be 1-64 characters of A-Z a-z 0-9 . _ -")
        self.kiosk_id = kiosk_id
        self._key = private_key
        self.clock = clock
        self._random_bytes = random_bytes

    def __repr__(self) -> str:
        key_id = ed25519_key_id(self._key.public_key())
        return f"RequestSigner(kiosk_id={self.kiosk_id!r}, key={key_id})"

    def new_nonce(self) -> str:
        return base64.urlsafe_b64encode(self._random_bytes(NONCE_BYTES)).decode("ascii").rstrip("=")

    def headers(self, method: str, path: str, body: bytes | None) -> dict[str, str]:
        """The signature headers for one request (a fresh timestamp and nonce each call)."""
        timestamp = int(self.clock())
        nonce = self.new_nonce()
        message = canonical_request(method, path, self.kiosk_id, timestamp, nonce, body)
        signature = base64.b64encode(self._key.sign(message)).decode("ascii")
        return {
            HEADER_KIOSK: self.kiosk_id,
            HEADER_TIMESTAMP: str(timestamp),
            HEADER_NONCE: nonce,
            HEADER_SIGNATURE: signature,
            HEADER_SUITE: SUITE_ED25519,
        }


@dataclass(frozen=True)
class SignedParts:
    """The signature headers of one request, checked for shape but not yet verified."""

    kiosk_id: str
    timestamp: int
    nonce: str
    signature: bytes
    suite: str = SUITE_ED25519


def parse_signature_headers(headers: Mapping[str, str]) -> SignedParts | None:
    """Read the signature headers (case-insensitive mapping). None if none is present.

    Raises SignatureError(missing_signature) when only some are present,
    SignatureError(bad_signature) when one is malformed and
    SignatureError(unsupported_suite) for a suite this version does not verify.
    """
    values = [headers.get(name) for name in REQUIRED_SIGNATURE_HEADERS]
    suite = headers.get(HEADER_SUITE)
    if all(v is None for v in values) and suite is None:
        return None
    if any(v is None or v == "" for v in values):
        raise SignatureError(REASON_MISSING, "incomplete signature headers")
    kiosk_id, timestamp, nonce, signature = (str(v) for v in values)
    if not is_valid_kiosk_id(kiosk_id):
        raise SignatureError(REASON_BAD_SIGNATURE, "malformed kiosk id")
    if not _TIMESTAMP.match(timestamp):
        raise SignatureError(REASON_BAD_SIGNATURE, "malformed timestamp")
    if not _NONCE.match(nonce):
        raise SignatureError(REASON_BAD_SIGNATURE, "malformed nonce")
    suite = SUITE_ED25519 if suite is None else str(suite)
    _scheme_of(suite)
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError(REASON_BAD_SIGNATURE, "signature is not base64") from exc
    if len(raw) != 64:
        raise SignatureError(REASON_BAD_SIGNATURE, "an Ed25519 signature is 64 bytes")
    return SignedParts(kiosk_id, int(timestamp), nonce, raw, suite)


def verify_request(
    public_key: Ed25519PublicKey, parts: SignedParts, method: str, path: str, body: bytes | None
) -> None:
    """Check the signature over the canonical string; SignatureError(bad_signature) if not."""
    message = canonical_request(method, path, parts.kiosk_id, parts.timestamp, parts.nonce, body,
                                parts.suite)
    try:
        public_key.verify(parts.signature, message)
    except InvalidSignature as exc:
        raise SignatureError(REASON_BAD_SIGNATURE, "signature does not verify") from exc


def check_skew(timestamp: int, now: float, max_skew: float = MAX_SKEW_SECONDS) -> None:
    """SignatureError(clock_skew) if the signed time is more than ``max_skew`` from ``now``."""
    if abs(now - timestamp) > max_skew:
        raise SignatureError(
            REASON_CLOCK_SKEW, f"request time is {timestamp - now:+.0f} s from the platform clock"
        )
