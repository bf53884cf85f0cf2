"""Request signatures and kiosk identity: the signed string, key files, and the server's checks
(replay, tampering, unknown kiosk, skew against its own injected clock, nonce expiry)."""

from __future__ import annotations

import base64
import json
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.kiosk_keys import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    IdentityError,
    KioskIdentity,
    PlatformKeys,
    load_identity,
    load_or_create_identity,
    load_platform_keys,
    save_platform_keys,
)
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
from sync.sealing import load_public_key, payload_hash, seal
from sync.server.cli import ServerHandle, start_server_thread
from sync.uuid7 import uuid7
from tests.support.platform import ScriptedHTTPServer, reply

BATCH = "/v1/transactions/batch"
NOW = 1_795_000_000.0


class FakeClock:
    """Unix seconds that only move when a test says so."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def fixed_bytes(value: int = 7) -> Callable[[int], bytes]:
    return lambda n: bytes([value]) * n


# -- the signed string ----------------------------------------------------------------------------


def sign(
    identity: KioskIdentity, method: str, path: str, body: bytes, **kw: Any
) -> tuple[dict[str, str], SignedParts]:
    signer = identity.signer("K0451", clock=FakeClock(), **kw)
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


# -- identity on disk -----------------------------------------------------------------------------


def test_identity_is_created_once_with_a_private_file(tmp_path: Path) -> None:
    first = load_or_create_identity(tmp_path / "id")
    assert stat.S_IMODE((tmp_path / "id" / PRIVATE_KEY_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "id").stat().st_mode) == 0o700
    second = load_or_create_identity(tmp_path / "id")
    assert second.public_key_text == first.public_key_text
    assert (tmp_path / "id" / PUBLIC_KEY_FILE).read_text().strip() == first.public_key_text


def test_loose_key_file_mode_is_tightened(tmp_path: Path) -> None:
    load_or_create_identity(tmp_path)
    (tmp_path / PRIVATE_KEY_FILE).chmod(0o644)
    load_identity(tmp_path)
    assert stat.S_IMODE((tmp_path / PRIVATE_KEY_FILE).stat().st_mode) == 0o600


def test_unreadable_key_is_an_error_and_never_replaced(tmp_path: Path) -> None:
    with pytest.raises(IdentityError, match="keys init"):
        load_identity(tmp_path)
    (tmp_path / PRIVATE_KEY_FILE).write_bytes(b"garbage")
    with pytest.raises(IdentityError, match="unreadable"):
        load_or_create_identity(tmp_path)
    assert (tmp_path / PRIVATE_KEY_FILE).read_bytes() == b"garbage"


def test_identity_repr_shows_no_key_material(tmp_path: Path) -> None:
    identity = load_or_create_identity(tmp_path)
    pem = (tmp_path / PRIVATE_KEY_FILE).read_text()
    text = repr(identity) + repr(identity.signer("K0451"))
    assert identity.key_id in text
    assert identity.public_key_text not in text
    assert all(line not in text for line in pem.splitlines()[1:-1])


def test_pinned_platform_keys_round_trip_and_refuse_a_wrong_key_id(
    tmp_path: Path, server: ServerHandle
) -> None:
    keys = PlatformKeys(
        kiosk_id="K0451",
        sealing_key=server.public_key_text,
        sealing_key_id=server.kid,
        catalogue_key=server.catalogue_key_text,
        catalogue_key_id=server.catalogue_kid,
        server_time=NOW,
    )
    assert load_platform_keys(tmp_path) is None
    save_platform_keys(tmp_path, keys)
    assert load_platform_keys(tmp_path) == keys
    doc = json.loads(keys.to_json())
    doc["sealing_key_id"] = "0" * 16
    with pytest.raises(IdentityError, match="sealing key id"):
        PlatformKeys.from_json(json.dumps(doc))


# -- the server's checks (in-process platform on a loopback socket, injected clock) --------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(tmp_path: Path, clock: FakeClock) -> Iterator[ServerHandle]:
    handle = start_server_thread(
        "127.0.0.1", 0, tmp_path / "platform", require_signatures=True, clock=clock
    )
    yield handle
    handle.stop()


@pytest.fixture
def kiosk(server: ServerHandle) -> KioskIdentity:
    identity = KioskIdentity.generate()
    server.registry.register("K0451", identity.public_key)
    return identity


def batch_body(server: ServerHandle, kiosk_id: str = "K0451") -> bytes:
    envelope = seal(b"form", load_public_key(server.public_key_text), server.kid, {})
    item = {
        "id": str(uuid7()),
        "envelope": base64.b64encode(envelope).decode(),
        "payload_hash": payload_hash(envelope),
    }
    return json.dumps({"kiosk_id": kiosk_id, "items": [item]}).encode()


def post(server: ServerHandle, body: bytes, headers: dict[str, str]) -> requests.Response:
    return requests.post(
        server.url + BATCH,
        data=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=5,
    )


def test_replayed_request_is_refused(
    server: ServerHandle, kiosk: KioskIdentity, clock: FakeClock
) -> None:
    body = batch_body(server)
    headers = kiosk.signer("K0451", clock=clock).headers("POST", BATCH, body)
    assert post(server, body, headers).status_code == 200
    again = post(server, body, headers)
    assert again.status_code == 401
    assert again.json()["reason"] == "replayed"


def test_a_repeated_nonce_is_refused_even_in_a_new_request(
    server: ServerHandle, kiosk: KioskIdentity, clock: FakeClock
) -> None:
    client = PlatformClient(
        server.url, "K0451", signer=kiosk.signer("K0451", clock=clock, random_bytes=fixed_bytes())
    )
    assert client.whoami().kiosk_id == "K0451"
    clock.now += 1
    with pytest.raises(PlatformAuthError) as caught:
        client.whoami()
    assert caught.value.reason == "replayed"


def test_body_swapped_under_a_signature_is_refused(
    server: ServerHandle, kiosk: KioskIdentity, clock: FakeClock
) -> None:
    signed_body, other_body = batch_body(server), batch_body(server)
    headers = kiosk.signer("K0451", clock=clock).headers("POST", BATCH, signed_body)
    response = post(server, other_body, headers)
    assert response.status_code == 401 and response.json()["reason"] == "bad_signature"
    assert server.registry.lookup("K0451") is not None


def test_unknown_kiosk_and_wrong_key_are_refused(
    server: ServerHandle, kiosk: KioskIdentity, clock: FakeClock
) -> None:
    stranger = KioskIdentity.generate()
    with pytest.raises(PlatformAuthError) as caught:
        PlatformClient(server.url, "K9999", signer=stranger.signer("K9999", clock=clock)).whoami()
    # Issue 8 (14): an id without an enrolled key is refused like a wrong signature.
    assert caught.value.reason == "bad_signature" and caught.value.status == 401
    with pytest.raises(PlatformAuthError) as caught:
        PlatformClient(server.url, "K0451", signer=stranger.signer("K0451", clock=clock)).whoami()
    assert caught.value.reason == "bad_signature"


def test_batch_naming_another_kiosk_is_refused(
    server: ServerHandle, kiosk: KioskIdentity, clock: FakeClock
) -> None:
    body = batch_body(server, kiosk_id="K0452")
    response = post(server, body, kiosk.signer("K0451", clock=clock).headers("POST", BATCH, body))
    assert response.status_code == 403 and response.json()["reason"] == "kiosk_mismatch"


def test_unsigned_upload_is_refused_when_signatures_are_required(server: ServerHandle) -> None:
    response = post(server, batch_body(server), {})
    assert response.status_code == 401
    assert response.json()["reason"] == "missing_signature"
    assert response.headers["WWW-Authenticate"].startswith("KioskSignature")


def test_transition_mode_takes_unsigned_but_still_checks_signed_requests(
    tmp_path: Path, clock: FakeClock
) -> None:
    handle = start_server_thread("127.0.0.1", 0, tmp_path / "p", clock=clock)
    try:
        assert post(handle, batch_body(handle), {}).json()["results"][0]["verdict"] == "accepted"
        stranger = KioskIdentity.generate()
        body = batch_body(handle)
        forged_headers = stranger.signer("K0451", clock=clock).headers("POST", BATCH, body)
        forged = post(handle, body, forged_headers)
        assert forged.status_code == 401 and forged.json()["reason"] == "bad_signature"
    finally:
        handle.stop()


def test_skew_is_judged_by_the_servers_clock_which_it_reports(
    server: ServerHandle, kiosk: KioskIdentity, clock: FakeClock
) -> None:
    kiosk_clock = FakeClock(NOW)
    client = PlatformClient(server.url, "K0451", signer=kiosk.signer("K0451", clock=kiosk_clock))
    clock.now = NOW + MAX_SKEW_SECONDS + 5  # the platform's clock moved, the kiosk's did not
    with pytest.raises(PlatformAuthError) as caught:
        client.whoami()
    assert caught.value.reason == "clock_skew"
    assert caught.value.server_time == clock.now
    assert caught.value.offset_seconds == pytest.approx(MAX_SKEW_SECONDS + 5)
    kiosk_clock.now = clock.now
    assert client.whoami().offset_seconds == pytest.approx(0.0)


def test_nonces_are_forgotten_once_outside_the_window_and_replays_stay_refused(
    server: ServerHandle, kiosk: KioskIdentity, clock: FakeClock
) -> None:
    signer = kiosk.signer("K0451", clock=clock)
    client = PlatformClient(server.url, "K0451", signer=signer)
    old = signer.headers("GET", "/v1/whoami", None)
    assert requests.get(server.url + "/v1/whoami", headers=old, timeout=5).status_code == 200
    for _ in range(4):
        client.whoami()
    assert server.registry.nonce_count() == 5
    clock.now += 2 * MAX_SKEW_SECONDS
    client.whoami()  # the first request after the window purges the old nonces
    assert server.registry.nonce_count() == 1
    replay = requests.get(server.url + "/v1/whoami", headers=old, timeout=5)
    assert replay.status_code == 401 and replay.json()["reason"] == "clock_skew"


# -- signed requests and refusals (client side) --------------------------------------------------


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
