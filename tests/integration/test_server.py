"""Reference platform: idempotent ingest, per-item verdicts, 4xx on garbage, keys, OpenAPI."""

from __future__ import annotations

import base64
import json
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.platform.signing import SIGNATURE_HEADERS, ed25519_key_id, ed25519_public_key_text
from sync.sealing import canonical_json, key_id_of, load_public_key, payload_hash, seal
from sync.server.app import OPENAPI_PATH, openapi_text
from sync.server.cli import ServerHandle, start_server_thread
from sync.server.keys import (
    CATALOGUE_PRIVATE_KEY_FILE,
    PRIVATE_KEY_FILE,
    load_or_create_catalogue_key,
    load_or_create_keys,
)
from sync.uuid7 import uuid7
from tests.support.platform import PlatformProcess

BATCH = "/v1/transactions/batch"
META = {"service": "SS-001", "kiosk": "K0451"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    handle = start_server_thread("127.0.0.1", 0, tmp_path / "platform", open_envelopes=True)
    yield handle
    handle.stop()


def sealed_for(handle: ServerHandle, payload: bytes = b"payload") -> bytes:
    return seal(payload, load_public_key(handle.public_key_text), handle.kid, META)


def item(txid: str, envelope: bytes, digest: str | None = None) -> dict[str, str]:
    return {
        "id": txid,
        "envelope": base64.b64encode(envelope).decode(),
        "payload_hash": digest or payload_hash(envelope),
    }


def upload(handle: ServerHandle, *items: dict[str, str]) -> list[dict[str, object]]:
    response = requests.post(
        handle.url + BATCH, json={"kiosk_id": "K0451", "items": list(items)}, timeout=5
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]


def test_new_id_is_accepted_and_resend_is_duplicate(server: ServerHandle) -> None:
    txid, envelope = str(uuid7()), sealed_for(server)
    assert upload(server, item(txid, envelope)) == [
        {"id": txid, "verdict": "accepted", "reason": None}
    ]
    assert upload(server, item(txid, envelope))[0]["verdict"] == "duplicate"
    status = requests.get(f"{server.url}/v1/transactions/{txid}", timeout=5).json()
    assert status["id"] == txid and status["status"] == "accepted" and status["received_at"]


def test_same_id_with_different_hash_is_conflict(server: ServerHandle) -> None:
    txid = str(uuid7())
    upload(server, item(txid, sealed_for(server, b"one")))
    result = upload(server, item(txid, sealed_for(server, b"two")))[0]
    assert result["verdict"] == "conflict" and result["reason"]


def test_bad_items_are_rejected_one_by_one(server: ServerHandle) -> None:
    good = sealed_for(server)
    tampered = json.loads(sealed_for(server))
    tampered["meta"]["service"] = "SS-999"
    other_key = X25519PrivateKey.generate().public_key()
    ids = [str(uuid7()) for _ in range(5)]
    results = upload(
        server,
        item(ids[0], good, digest="0" * 64),
        item(ids[1], b"not an envelope"),
        item(ids[2], canonical_json(tampered)),
        item(ids[3], seal(b"x", other_key, key_id_of(other_key), META)),
        item(ids[4], good),
    )
    assert [r["id"] for r in results] == ids
    assert [r["verdict"] for r in results] == ["rejected"] * 4 + ["accepted"]
    assert all(r["reason"] for r in results[:4])
    assert requests.get(f"{server.url}/v1/transactions/{ids[1]}", timeout=5).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        b"garbage",
        b"{}",
        b'{"kiosk_id":"K","items":[]}',
        b'{"kiosk_id":"K","items":[{"id":1}]}',
        b"\xff\xfe",
    ],
)
def test_garbage_batch_body_gets_4xx(server: ServerHandle, body: bytes) -> None:
    response = requests.post(
        server.url + BATCH, data=body, headers={"Content-Type": "application/json"}, timeout=5
    )
    assert 400 <= response.status_code < 500


def test_oversized_body_is_refused_with_413(server: ServerHandle) -> None:
    response = requests.post(
        server.url + BATCH,
        data=b"x" * (9 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 413


def test_concurrent_uploads_of_one_id_store_it_once(server: ServerHandle) -> None:
    txid, envelope = str(uuid7()), sealed_for(server)
    verdicts: list[str] = []
    start = threading.Barrier(6)

    def send() -> None:
        start.wait()
        verdicts.append(str(upload(server, item(txid, envelope))[0]["verdict"]))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(verdicts) == ["accepted"] + ["duplicate"] * 5


def test_unknown_transaction_is_404(server: ServerHandle) -> None:
    assert requests.get(f"{server.url}/v1/transactions/{uuid7()}", timeout=5).status_code == 404


def test_health_and_sealing_key_endpoints(server: ServerHandle, tmp_path: Path) -> None:
    assert requests.get(server.url + "/v1/health", timeout=5).json()["status"] == "ok"
    key = requests.get(server.url + "/v1/keys/sealing", timeout=5).json()
    on_disk = load_or_create_keys(tmp_path / "platform").public_key()
    assert key["public_key"] == server.public_key_text
    assert key["kid"] == server.kid == key_id_of(on_disk)


def test_catalogue_key_is_published_and_kept_private(
    server: ServerHandle, tmp_path: Path
) -> None:
    published = requests.get(server.url + "/v1/keys/catalogue", timeout=5).json()
    on_disk = load_or_create_catalogue_key(tmp_path / "platform").public_key()
    assert published == {
        "kid": ed25519_key_id(on_disk),
        "public_key": ed25519_public_key_text(on_disk),
        "algorithm": "Ed25519",
    }
    assert published["kid"] == server.catalogue_kid
    mode = stat.S_IMODE((tmp_path / "platform" / CATALOGUE_PRIVATE_KEY_FILE).stat().st_mode)
    assert mode == 0o600


def test_private_key_is_mode_0600_and_reused(tmp_path: Path) -> None:
    first = load_or_create_keys(tmp_path / "keys")
    mode = stat.S_IMODE((tmp_path / "keys" / PRIVATE_KEY_FILE).stat().st_mode)
    assert mode == 0o600
    second = load_or_create_keys(tmp_path / "keys")
    assert key_id_of(first.public_key()) == key_id_of(second.public_key())


def test_committed_openapi_matches_the_app() -> None:
    assert OPENAPI_PATH.read_text(encoding="utf-8") == openapi_text(), (
        "regenerate with: .venv/bin/python -m sync.server.app"
    )


def test_server_serves_its_openapi(server: ServerHandle) -> None:
    served = requests.get(server.url + "/openapi.json", timeout=5).json()
    assert set(served["paths"]) >= {
        BATCH,
        "/v1/transactions/{txid}",
        "/v1/health",
        "/v1/keys/sealing",
        "/v1/keys/catalogue",
        "/v1/enroll",
        "/v1/whoami",
    }
    batch_headers = {p["name"] for p in served["paths"][BATCH]["post"]["parameters"]}
    assert batch_headers == set(SIGNATURE_HEADERS)


def test_cli_subprocess_serves_the_key_it_made(reference_platform: PlatformProcess) -> None:
    key = requests.get(reference_platform.url + "/v1/keys/sealing", timeout=5).json()
    assert key["kid"] == reference_platform.key_id
    assert load_public_key(key["public_key"]).public_bytes_raw() == (
        reference_platform.public_key.public_bytes_raw()
    )
    assert "listening on" in reference_platform.log_path.read_text()


def test_tracking_number_from_meta_shows_status(server: ServerHandle) -> None:
    tracking = "K0451-20261121-0042-7"
    envelope = seal(
        b"form", load_public_key(server.public_key_text), server.kid, {"tracking_number": tracking}
    )
    code = {"code": "52630184"}  # the receipt's query code, uploaded beside the envelope
    url = f"{server.url}/v1/track/{tracking}"
    assert requests.get(url, params=code, timeout=5).status_code == 404
    upload(server, {**item(str(uuid7()), envelope), "query_code": code["code"]})
    status = requests.get(url, params=code, timeout=5).json()
    assert status["tracking_number"] == tracking and status["status"] == "accepted"
