"""Sealing: HPKE envelopes bound to their metadata; uuid7 layout; backoff policy."""

from __future__ import annotations

import base64
import json
import os
import uuid

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.backoff import backoff_ceiling, backoff_delay
from sync.sealing import (
    SUITE_NAME,
    EnvelopeError,
    canonical_json,
    key_id_of,
    load_public_key,
    open_envelope,
    parse_envelope,
    payload_hash,
    prepare,
    public_key_text,
    seal,
)
from sync.uuid7 import uuid7, uuid7_time_ms

META = {"kiosk": "K0451", "service": "SS-001", "label": "社保卡补办"}


@pytest.fixture
def key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def test_seal_then_open_returns_meta_and_payload(key: X25519PrivateKey) -> None:
    payload = "姓名=张三;id=230103199001011234".encode()
    envelope = seal(payload, key.public_key(), key_id_of(key.public_key()), META)
    assert open_envelope(envelope, key) == (META, payload)


def test_envelope_is_canonical_json_without_plaintext(key: X25519PrivateKey) -> None:
    payload = b"230103199001011234"
    envelope = seal(payload, key.public_key(), "kid1", META)
    doc = json.loads(envelope)
    assert set(doc) == {"v", "suite", "kid", "meta", "ct"}
    assert doc["v"] == 1 and doc["suite"] == SUITE_NAME and doc["kid"] == "kid1"
    assert canonical_json(doc) == envelope
    assert payload not in envelope


@pytest.mark.parametrize(
    ("kid", "meta"),
    [
        ("k", {}),
        ('k"\\1', {"a": 'quote " backslash \\ newline \n tab \t', "": "empty key"}),
        ("kid", {"ct": "a meta key named ct", "zz": "\u0000\u2028", "社保": "卡"}),
    ],
)
def test_envelope_is_canonical_for_any_header(
    key: X25519PrivateKey, kid: str, meta: dict[str, str]
) -> None:
    """seal() puts "ct" in front of the header's JSON instead of encoding it twice."""
    envelope = seal(b"x", key.public_key(), kid, meta)
    doc = json.loads(envelope)
    assert canonical_json(doc) == envelope
    assert (doc["kid"], doc["meta"]) == (kid, meta)
    assert open_envelope(envelope, key) == (meta, b"x")


def test_changed_meta_makes_envelope_undecryptable(key: X25519PrivateKey) -> None:
    envelope = seal(b"secret", key.public_key(), "kid1", META)
    doc = json.loads(envelope)
    doc["meta"]["service"] = "SS-002"
    with pytest.raises(EnvelopeError):
        open_envelope(canonical_json(doc), key)


def test_changed_kid_makes_envelope_undecryptable(key: X25519PrivateKey) -> None:
    doc = json.loads(seal(b"secret", key.public_key(), "kid1", META))
    doc["kid"] = "kid2"
    with pytest.raises(EnvelopeError):
        open_envelope(canonical_json(doc), key)


def test_flipped_ciphertext_bit_is_detected(key: X25519PrivateKey) -> None:
    head = parse_envelope(seal(b"secret", key.public_key(), "kid1", META))
    ct = bytearray(head.ciphertext)
    ct[-1] ^= 1
    doc = {
        "v": 1,
        "suite": SUITE_NAME,
        "kid": "kid1",
        "meta": META,
        "ct": base64.b64encode(bytes(ct)).decode(),
    }
    with pytest.raises(EnvelopeError):
        open_envelope(canonical_json(doc), key)


def test_other_private_key_cannot_open(key: X25519PrivateKey) -> None:
    envelope = seal(b"secret", key.public_key(), "kid1", META)
    with pytest.raises(EnvelopeError):
        open_envelope(envelope, X25519PrivateKey.generate())


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not json",
        b"[]",
        b'{"v":1}',
        b'{"ct":"!!","kid":"k","meta":{},"suite":"' + SUITE_NAME.encode() + b'","v":1}',
        b'{"ct":"","kid":"k","meta":{"a":1},"suite":"x","v":2}',
    ],
)
def test_malformed_envelope_raises_envelope_error(garbage: bytes) -> None:
    with pytest.raises(EnvelopeError):
        parse_envelope(garbage)


def test_meta_must_be_strings(key: X25519PrivateKey) -> None:
    with pytest.raises(EnvelopeError):
        seal(b"x", key.public_key(), "kid1", {"n": 1})  # type: ignore[dict-item]


def test_sealing_twice_gives_different_bytes_and_hashes(key: X25519PrivateKey) -> None:
    first = seal(b"same", key.public_key(), "kid1", META)
    second = seal(b"same", key.public_key(), "kid1", META)
    assert first != second
    assert payload_hash(first) != payload_hash(second)
    assert len(payload_hash(first)) == 64


def test_public_key_text_round_trips_and_key_id_is_stable(key: X25519PrivateKey) -> None:
    text = public_key_text(key.public_key())
    loaded = load_public_key(text)
    assert public_key_text(loaded) == text
    assert key_id_of(loaded) == key_id_of(key.public_key())
    assert key_id_of(X25519PrivateKey.generate().public_key()) != key_id_of(loaded)


@pytest.mark.parametrize("bad", ["", "not base64!", "AAAA"])
def test_load_public_key_refuses_bad_text(bad: str) -> None:
    with pytest.raises(ValueError):
        load_public_key(bad)


def test_uuid7_has_rfc9562_layout_and_carries_time() -> None:
    value = uuid7(now_ms=0x0190_1234_5678, rand=bytes(range(10)))
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert uuid7_time_ms(value) == 0x0190_1234_5678
    assert str(value).startswith("01901234-5678-7")


def test_uuid7_sorts_by_time() -> None:
    earlier = uuid7(now_ms=1_000, rand=b"\xff" * 10)
    later = uuid7(now_ms=1_001, rand=b"\x00" * 10)
    assert str(earlier) < str(later)
    assert uuid7() != uuid7()


def test_uuid7_refuses_bad_inputs() -> None:
    with pytest.raises(ValueError):
        uuid7(now_ms=-1)
    with pytest.raises(ValueError):
        uuid7(rand=b"short")


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    assert [backoff_ceiling(n, 1.0, 60.0) for n in (1, 2, 3, 4, 7, 8, 1000)] == [
        1.0,
        2.0,
        4.0,
        8.0,
        60.0,
        60.0,
        60.0,
    ]


def test_backoff_delay_is_full_jitter_of_the_ceiling() -> None:
    assert backoff_delay(3, 1.0, 60.0, 0.0) == 0.0
    assert backoff_delay(3, 1.0, 60.0, 0.5) == 2.0
    assert backoff_delay(3, 1.0, 60.0, 0.999) < 4.0
    with pytest.raises(ValueError):
        backoff_delay(0, 1.0, 60.0, 0.5)
    with pytest.raises(ValueError):
        backoff_delay(1, 1.0, 60.0, 1.0)


def test_a_prepared_seal_opens_with_the_platforms_hpke_library() -> None:
    """The kiosk's own HPKE sender against ``cryptography``'s independent receiver."""
    from cryptography.hazmat.primitives import hpke

    from sync.hpke_sender import encapsulate, seal_with

    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
    sk = X25519PrivateKey.generate()
    for size in (0, 1, 999, 70_000):
        message, info = os.urandom(size), os.urandom(size % 300)
        sealed = seal_with(encapsulate(sk.public_key()), sk.public_key(), message, info)
        assert suite.decrypt(sealed, sk, info=info) == message
        with pytest.raises(InvalidTag):
            suite.decrypt(sealed, sk, info=info + b"x")
    # And the other way round: what the library seals, the platform's opening path accepts.
    envelope = seal(b"form", sk.public_key(), "k1", {"a": "b"}, prepared=prepare(sk.public_key()))
    assert open_envelope(envelope, sk) == ({"a": "b"}, b"form")


def test_an_encapsulation_is_used_once_and_only_for_its_key() -> None:
    sk, other = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    ready = prepare(sk.public_key())
    with pytest.raises(ValueError, match="another recipient"):
        seal(b"form", other.public_key(), "k1", {}, prepared=ready)
    seal(b"form", sk.public_key(), "k1", {}, prepared=ready)
    with pytest.raises(RuntimeError, match="already used"):
        seal(b"form", sk.public_key(), "k1", {}, prepared=ready)


def test_two_seals_of_one_message_share_no_ephemeral_key() -> None:
    sk = X25519PrivateKey.generate()
    first = parse_envelope(seal(b"form", sk.public_key(), "k1", {}))
    ready = prepare(sk.public_key())
    second = parse_envelope(seal(b"form", sk.public_key(), "k1", {}, prepared=ready))
    assert first.ciphertext[:32] != second.ciphertext[:32]


def test_the_hpke_sender_gives_rfc_9180_known_answers() -> None:
    """RFC 9180 appendix A.2.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305)."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    from sync.hpke_sender import encapsulate, key_schedule

    h = bytes.fromhex
    sk_e = X25519PrivateKey.from_private_bytes(
        h("f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600"))
    sk_r = X25519PrivateKey.from_private_bytes(
        h("8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb"))
    ready = encapsulate(sk_r.public_key(), ephemeral=sk_e)
    assert ready.enc == h("1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a")
    secret = ready.take()
    assert secret == h("0bbe78490412b4bbea4812666f7916932b828bba79942424abb65244930d69a7")
    key, nonce = key_schedule(secret, h("4f6465206f6e2061204772656369616e2055726e"))
    assert key == h("ad2744de8e17f4ebba575b3f5f5a8fa1f69c2a07f6e7500bc60ca6e3e3ec1c91")
    assert nonce == h("5c4d98150661b848853b547f")
    sealed = ChaCha20Poly1305(key).encrypt(
        nonce, h("4265617574792069732074727574682c20747275746820626561757479"), h("436f756e742d30"))
    assert sealed == h("1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b"
                       "60b4db21993c62ce81883d2dd1b51a28")
