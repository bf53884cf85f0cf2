"""Request signatures: the signed string (method, path and query, body, the signed headers),
header parsing, the five-minute skew window and the suite a signature names; and the
client that signs exactly what it sends, never the health check, and turns 401 and 403
into auth errors with the platform's reason."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from sync.kiosk_keys import KioskIdentity
from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformAuthError
from sync.platform.signing import (
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_SUITE,
    HEADER_TIMESTAMP,
    MAX_SKEW_SECONDS,
    SUITE_ED25519,
    SignatureError,
    SignedParts,
    canonical_request,
    check_skew,
    parse_signature_headers,
    verify_request,
)
from sync.uuid7 import uuid7
from tests.support.platform import ScriptedHTTPServer, reply
from tests.support.signing import BATCH, NOW, EpochClock, fixed_bytes


def sign(
    identity: KioskIdentity, method: str, path: str, body: bytes, **kw: Any
) -> tuple[dict[str, str], SignedParts]:
    signer = identity.signer("K0451", clock=EpochClock(), **kw)
    headers = signer.headers(method, path, body)
    parts = parse_signature_headers(headers)
    assert parts is not None
    return headers, parts


def test_signature_verifies_over_method_path_body_and_headers() -> None:
    identity = KioskIdentity.generate()
    headers, parts = sign(identity, "POST", BATCH, b'{"a":1}')
    verify_request(identity.public_key, parts, "POST", BATCH, b'{"a":1}')
    assert headers[HEADER_KIOSK] == "K0451" and headers[HEADER_TIMESTAMP] == str(int(NOW))


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("PUT", BATCH, b'{"a":1}'),
        ("POST", "/v1/transactions/other", b'{"a":1}'),
        ("POST", BATCH + "?x=1", b'{"a":1}'),
        ("POST", BATCH, b'{"a":2}'),
        ("POST", BATCH, b""),
    ],
)
def test_changing_method_path_query_or_body_breaks_the_signature(
    method: str, path: str, body: bytes
) -> None:
    identity = KioskIdentity.generate()
    _, parts = sign(identity, "POST", BATCH, b'{"a":1}')
    with pytest.raises(SignatureError) as caught:
        verify_request(identity.public_key, parts, method, path, body)
    assert caught.value.reason == "bad_signature"


@pytest.mark.parametrize("field", [HEADER_KIOSK, HEADER_TIMESTAMP, HEADER_NONCE])
def test_changing_a_signed_header_breaks_the_signature(field: str) -> None:
    identity = KioskIdentity.generate()
    headers, _ = sign(identity, "GET", "/v1/whoami", b"")
    headers[field] = {"X-Kiosk-Id": "K0452", "X-Kiosk-Timestamp": str(int(NOW) + 1)}.get(
        field, "A" * 22
    )
    parts = parse_signature_headers(headers)
    assert parts is not None
    with pytest.raises(SignatureError):
        verify_request(identity.public_key, parts, "GET", "/v1/whoami", b"")


def test_another_kiosks_key_does_not_verify() -> None:
    _, parts = sign(KioskIdentity.generate(), "GET", "/v1/whoami", b"")
    with pytest.raises(SignatureError):
        verify_request(KioskIdentity.generate().public_key, parts, "GET", "/v1/whoami", b"")


def test_signer_takes_time_and_nonce_from_what_is_injected() -> None:
    identity = KioskIdentity.generate()
    first, _ = sign(identity, "GET", "/", b"", random_bytes=fixed_bytes(1))
    second, _ = sign(identity, "GET", "/", b"", random_bytes=fixed_bytes(1))
    third, _ = sign(identity, "GET", "/", b"", random_bytes=fixed_bytes(2))
    assert first[HEADER_NONCE] == second[HEADER_NONCE] != third[HEADER_NONCE]
    assert first[HEADER_TIMESTAMP] == str(int(NOW))


def test_header_parsing_tells_missing_from_malformed() -> None:
    assert parse_signature_headers({}) is None
    good, _ = sign(KioskIdentity.generate(), "GET", "/", b"")
    partial = {k: v for k, v in good.items() if k != HEADER_NONCE}
    with pytest.raises(SignatureError) as caught:
        parse_signature_headers(partial)
    assert caught.value.reason == "missing_signature"
    for name, bad in [
        (HEADER_TIMESTAMP, "-5"),
        (HEADER_TIMESTAMP, "1.5"),
        (HEADER_NONCE, "short"),
        (HEADER_KIOSK, "K 1"),
        (HEADER_SIGNATURE, "not base64!"),
        (HEADER_SIGNATURE, base64.b64encode(b"x" * 10).decode()),
    ]:
        with pytest.raises(SignatureError) as caught:
            parse_signature_headers({**good, name: bad})
        assert caught.value.reason == "bad_signature", (name, bad)


def test_skew_window_is_five_minutes_either_way() -> None:
    check_skew(int(NOW) + MAX_SKEW_SECONDS, NOW)
    check_skew(int(NOW) - MAX_SKEW_SECONDS, NOW)
    for off in (MAX_SKEW_SECONDS + 1, -MAX_SKEW_SECONDS - 1, 3600):
        with pytest.raises(SignatureError) as caught:
            check_skew(int(NOW) + off, NOW)
        assert caught.value.reason == "clock_skew"


def test_the_suite_is_named_signed_and_an_unknown_one_refused() -> None:
    identity = KioskIdentity.generate()
    body = b"{}"
    headers, parts = sign(identity, "POST", "/v1/x", body)
    assert headers[HEADER_SUITE] == SUITE_ED25519 and parts.suite == SUITE_ED25519
    verify_request(identity.public_key, parts, "POST", "/v1/x", body)
    # A kiosk from before the suite header: the same signature without it is still ed25519.
    old_parts = parse_signature_headers({k: v for k, v in headers.items() if k != HEADER_SUITE})
    assert old_parts is not None and old_parts.suite == SUITE_ED25519
    verify_request(identity.public_key, old_parts, "POST", "/v1/x", body)
    # A suite this version does not know is refused by name, never tried as Ed25519.
    with pytest.raises(SignatureError) as caught:
        parse_signature_headers({**headers, HEADER_SUITE: "sm2-sm3"})
    assert caught.value.reason == "unsupported_suite"
    # Each suite signs under its own first line, so the suite itself is covered.
    with pytest.raises(SignatureError) as caught:
        canonical_request("POST", "/v1/x", "K0451", 1, "n" * 16, body, suite="sm2-sm3")
    assert caught.value.reason == "unsupported_suite"


def test_client_signs_the_exact_path_and_body_it_sends(
    scripted_server: ScriptedHTTPServer,
) -> None:
    identity = KioskIdentity.generate()
    body = b'{"results": []}'
    scripted_server.script = lambda w: reply(w, 200, body)
    client = PlatformClient(
        scripted_server.url + "/platform/", "K0451", signer=identity.signer("K0451")
    )
    txid = str(uuid7())
    assert client.upload([(txid, b"{}")]) == {}
    seen = scripted_server.last_request
    assert seen is not None and seen.target == "/platform/v1/transactions/batch"
    parts = parse_signature_headers(seen.headers)
    assert parts is not None and parts.kiosk_id == "K0451"
    verify_request(identity.public_key, parts, seen.method, seen.target, seen.body)
    assert txid.encode() in seen.body


def test_client_never_signs_the_health_check(scripted_server: ScriptedHTTPServer) -> None:
    scripted_server.script = lambda w: reply(w, 200, b'{"status": "ok"}')
    signer = KioskIdentity.generate().signer("K0451")
    assert PlatformClient(scripted_server.url, "K0451", signer=signer).ping() is True
    seen = scripted_server.last_request
    assert seen is not None and not any(h.lower().startswith("x-kiosk") for h in seen.headers)


@pytest.mark.parametrize(
    "status, body, reason",
    [
        (401, b'{"reason": "clock_skew", "server_time": 1795000000.5}', "clock_skew"),
        (403, b'{"reason": "revoked", "server_time": 1795000000, "detail": "x"}', "revoked"),
        (401, b'{"reason": "unknown_kiosk"}', "unknown_kiosk"),
        (401, b"<html>proxy says no</html>", "unauthorized"),
        (403, b"", "forbidden"),
    ],
)
def test_client_turns_401_and_403_into_auth_errors_with_the_reason(
    scripted_server: ScriptedHTTPServer, status: int, body: bytes, reason: str
) -> None:
    scripted_server.script = lambda w: reply(w, status, body)
    with pytest.raises(PlatformAuthError) as caught:
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])
    assert caught.value.reason == reason and caught.value.status == status
    if reason in ("clock_skew", "revoked"):
        assert caught.value.server_time is not None
        assert caught.value.offset_seconds == pytest.approx(
            caught.value.server_time - time.time(), abs=5
        )
    else:
        assert caught.value.server_time is None and caught.value.offset_seconds is None


def test_client_refuses_a_signer_of_another_kiosk() -> None:
    with pytest.raises(ValueError, match="another kiosk"):
        PlatformClient(
            "http://127.0.0.1:1", "K0451", signer=KioskIdentity.generate().signer("K0452")
        )
