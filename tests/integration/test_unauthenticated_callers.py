"""What a caller without a kiosk's key can do to the platform (issue 8, item 14): it writes
nothing through enrolment without a valid token, and it cannot tell unknown, revoked and
active kiosk ids apart. Against the platform running as ``kiosk server``, signatures required.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.kiosk_keys import KioskIdentity
from sync.server.registry import KioskRegistry
from sync.server.store import make_engine
from tests.support.platform import PlatformProcess

ENROLL = "/v1/enroll"


@pytest.fixture
def platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    return platform_factory(require_signatures=True)


@pytest.fixture
def registry(platform: PlatformProcess) -> Iterator[KioskRegistry]:
    """The operator's view of the platform database (the server writes, this reads)."""
    engine = make_engine(platform.database_url)
    yield KioskRegistry(engine)
    engine.dispose()


def enrolment(
    platform: PlatformProcess, identity: KioskIdentity, kiosk_id: str, token: str
) -> tuple[bytes, dict[str, str]]:
    """An enrolment request signed with the key it presents, as ``kiosk enroll`` sends it."""
    body = json.dumps(
        {"kiosk_id": kiosk_id, "token": token, "public_key": identity.public_key_text}
    ).encode()
    headers = identity.signer(kiosk_id).headers("POST", ENROLL, body)
    return body, {**headers, "Content-Type": "application/json"}


def post(platform: PlatformProcess, path: str, body: bytes, headers: dict[str, str]) -> Any:
    return requests.post(platform.url + path, data=body, headers=headers, timeout=5)


def test_enrolment_without_a_valid_token_writes_no_nonce(
    platform: PlatformProcess, registry: KioskRegistry
) -> None:
    someone_elses = platform.issue_token("kiosk-0452")
    for n in range(20):
        token = "AAAAAA-BBBBBB-CCCCCC-DDDDDD" if n % 2 else someone_elses
        body, headers = enrolment(platform, KioskIdentity.generate(), f"kiosk-{n:04d}", token)
        refused = post(platform, ENROLL, body, headers)
        assert refused.status_code == 403 and refused.json()["reason"] == "token_invalid"
    assert registry.nonce_count() == 0

    identity = KioskIdentity.generate()
    body, headers = enrolment(platform, identity, "kiosk-0451", platform.issue_token("kiosk-0451"))
    assert post(platform, ENROLL, body, headers).status_code == 200
    assert registry.nonce_count() == 1  # a good enrolment still records its nonce
    replay = post(platform, ENROLL, body, headers)
    assert replay.status_code == 403 and replay.json()["reason"] == "token_used"
    assert registry.nonce_count() == 1
    assert registry.lookup("kiosk-0451") is not None
    assert registry.lookup("kiosk-0003") is None


def refusal_seen_by_a_stranger(platform: PlatformProcess, kiosk_id: str) -> list[Any]:
    """What a caller who signs with a key of its own gets back, on two signed routes."""
    stranger = KioskIdentity.generate().signer(kiosk_id)
    seen = []
    whoami = requests.get(
        platform.url + "/v1/whoami", headers=stranger.headers("GET", "/v1/whoami", None), timeout=5
    )
    body = json.dumps({"kiosk_id": kiosk_id, "items": []}).encode()
    batch = post(
        platform,
        "/v1/transactions/batch",
        body,
        {**stranger.headers("POST", "/v1/transactions/batch", body),
         "Content-Type": "application/json"},
    )
    for response in (whoami, batch):
        doc = response.json()
        doc.pop("server_time")
        seen.append((response.status_code, response.headers.get("WWW-Authenticate"), doc))
    return seen


def test_unknown_revoked_and_active_kiosk_ids_look_alike_without_the_key(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    platform.enrol("kiosk-0451", tmp_path / "active")
    platform.enrol("kiosk-0452", tmp_path / "revoked")
    assert platform.revoke("kiosk-0452")
    unknown = refusal_seen_by_a_stranger(platform, "kiosk-9999")
    assert unknown == refusal_seen_by_a_stranger(platform, "kiosk-0452")
    assert unknown == refusal_seen_by_a_stranger(platform, "kiosk-0451")
    assert unknown[0][0] == 401 and unknown[0][2]["reason"] == "bad_signature"
