"""The platform's signature checks, in-process on a loopback socket with an injected clock:
replays and repeated nonces, a body swapped under a signature, an unknown kiosk or a wrong
key, a batch naming another kiosk, unsigned uploads, the transition mode, skew judged by the
platform's own clock, and nonces forgotten once outside the window."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import requests

from sync.kiosk_keys import KioskIdentity
from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformAuthError
from sync.platform.signing import MAX_SKEW_SECONDS
from sync.sealing import load_public_key, payload_hash, seal
from sync.server.cli import ServerHandle, start_server_thread
from sync.uuid7 import uuid7
from tests.support.signing import (  # noqa: F401 (clock_fixture, server_fixture: fixtures)
    BATCH,
    NOW,
    EpochClock,
    clock_fixture,
    fixed_bytes,
    server_fixture,
)


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
    server: ServerHandle, kiosk: KioskIdentity, clock: EpochClock
) -> None:
    body = batch_body(server)
    headers = kiosk.signer("K0451", clock=clock).headers("POST", BATCH, body)
    assert post(server, body, headers).status_code == 200
    again = post(server, body, headers)
    assert again.status_code == 401
    assert again.json()["reason"] == "replayed"


def test_a_repeated_nonce_is_refused_even_in_a_new_request(
    server: ServerHandle, kiosk: KioskIdentity, clock: EpochClock
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
    server: ServerHandle, kiosk: KioskIdentity, clock: EpochClock
) -> None:
    signed_body, other_body = batch_body(server), batch_body(server)
    headers = kiosk.signer("K0451", clock=clock).headers("POST", BATCH, signed_body)
    response = post(server, other_body, headers)
    assert response.status_code == 401 and response.json()["reason"] == "bad_signature"
    assert server.registry.lookup("K0451") is not None


def test_unknown_kiosk_and_wrong_key_are_refused(
    server: ServerHandle, kiosk: KioskIdentity, clock: EpochClock
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
    server: ServerHandle, kiosk: KioskIdentity, clock: EpochClock
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
    tmp_path: Path, clock: EpochClock
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
    server: ServerHandle, kiosk: KioskIdentity, clock: EpochClock
) -> None:
    kiosk_clock = EpochClock(NOW)
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
    server: ServerHandle, kiosk: KioskIdentity, clock: EpochClock
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
