"""The sending half of HPKE (RFC 9180, base mode), split so the costly part can go first.

Suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305 — the suite
:mod:`sync.sealing` names. The output is ``enc || ciphertext``, exactly what
``cryptography``'s single-shot ``hpke.Suite.encrypt`` produces, and the platform opens it with
that library (``Suite.decrypt``): the tests seal here and open there.

Why not call ``Suite.encrypt`` directly: nine tenths of its time is the KEM — a fresh X25519
key pair and one exchange with the platform's key — and none of that depends on the message
or on its ``info``. :func:`encapsulate` does that part; :func:`seal_with` does the rest (the
key schedule over ``info``, four HMACs, and one AEAD encryption). The kiosk encapsulates when
the confirm screen opens, so the part left inside the outbox's write transaction, where the
tracking number is sealed into the payload, is small (docs/performance.md).

Each :class:`Encapsulation` is used once: :func:`seal_with` consumes it, and a second use
raises. It holds a shared secret, so it lives in memory only, for one citizen's confirmation.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_KEM_ID, _KDF_ID, _AEAD_ID = 0x0020, 0x0001, 0x0003
_KEM_SUITE = b"KEM" + _KEM_ID.to_bytes(2, "big")
_HPKE_SUITE = (
    b"HPKE" + _KEM_ID.to_bytes(2, "big") + _KDF_ID.to_bytes(2, "big") + _AEAD_ID.to_bytes(2, "big")
)
_MODE_BASE = b"\x00"
_NK, _NN, _NH = 32, 12, 32  # ChaCha20-Poly1305 key and nonce, SHA-256 output


def _extract(salt: bytes, ikm: bytes) -> bytes:
    return hmac.digest(salt, ikm, "sha256")  # an empty salt is HMAC's all-zero key


def _expand(prk: bytes, info: bytes, length: int) -> bytes:
    assert length <= _NH  # one HKDF block is all this suite ever asks for
    return hmac.digest(prk, info + b"\x01", "sha256")[:length]


def _labeled_extract(suite: bytes, salt: bytes, label: bytes, ikm: bytes) -> bytes:
    return _extract(salt, b"HPKE-v1" + suite + label + ikm)


def _labeled_expand(suite: bytes, prk: bytes, label: bytes, info: bytes, length: int) -> bytes:
    return _expand(prk, length.to_bytes(2, "big") + b"HPKE-v1" + suite + label + info, length)


_PSK_ID_HASH = _labeled_extract(_HPKE_SUITE, b"", b"psk_id_hash", b"")  # base mode: no PSK


def _raw(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass
class Encapsulation:
    """A fresh ephemeral key's exchange with one recipient key, waiting for its message."""

    recipient: bytes  # the recipient's raw public key: a seal to another key is refused
    enc: bytes  # the ephemeral public key, sent in front of the ciphertext
    shared_secret: bytes = field(repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _used: bool = field(default=False, repr=False)

    def take(self) -> bytes:
        """The shared secret, once; a second call raises (never reuse an HPKE context)."""
        with self._lock:
            if self._used:
                raise RuntimeError("this HPKE encapsulation was already used")
            self._used = True
            secret, self.shared_secret = self.shared_secret, b""
            return secret


def encapsulate(recipient: X25519PublicKey, ephemeral: X25519PrivateKey | None = None
                ) -> Encapsulation:
    """DHKEM(X25519) Encap: the KEM half of a seal (``ephemeral`` only for test vectors)."""
    sk = ephemeral or X25519PrivateKey.generate()
    dh = sk.exchange(recipient)
    enc = _raw(sk.public_key())
    recipient_raw = _raw(recipient)
    prk = _labeled_extract(_KEM_SUITE, b"", b"eae_prk", dh)
    secret = _labeled_expand(_KEM_SUITE, prk, b"shared_secret", enc + recipient_raw, _NH)
    return Encapsulation(recipient_raw, enc, secret)


def seal_with(encapsulation: Encapsulation, recipient: X25519PublicKey, plaintext: bytes,
              info: bytes) -> bytes:
    """Key schedule and AEAD over a prepared encapsulation: ``enc || ciphertext``."""
    if encapsulation.recipient != _raw(recipient):
        raise ValueError("the encapsulation was made for another recipient key")
    key, nonce = key_schedule(encapsulation.take(), info)
    return encapsulation.enc + ChaCha20Poly1305(key).encrypt(nonce, plaintext, None)


def key_schedule(shared_secret: bytes, info: bytes) -> tuple[bytes, bytes]:
    """KeySchedule in base mode: the AEAD key and base nonce (sequence 0, the only one used)."""
    info_hash = _labeled_extract(_HPKE_SUITE, b"", b"info_hash", info)
    context = _MODE_BASE + _PSK_ID_HASH + info_hash
    secret = _labeled_extract(_HPKE_SUITE, shared_secret, b"secret", b"")
    key = _labeled_expand(_HPKE_SUITE, secret, b"key", context, _NK)
    nonce = _labeled_expand(_HPKE_SUITE, secret, b"base_nonce", context, _NN)
    return key, nonce
