"""Official proofs on the reference platform over HTTP, on SQLite and PostgreSQL: issued to a
signed kiosk from the citizen's records, verified by code with a masked summary, and the
verification rate-limited per client address."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from sync.platform.errors import PlatformAuthError, PlatformProtocolError
from sync.platform.proofs import PROOF_KINDS, PROOFS_PATH, ProofRequest, normalize_code
from sync.server.proofs import CHECKS_PER_MINUTE
from sync.uuid7 import uuid7
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.postgres import (  # noqa: F401 - fixtures
    DatabasePlatform,
    postgres_server,
    postgres_url,
)

HOLDER = json.loads(Path("assets/sim/ssc_holder.json").read_text("utf-8"))
OTHER = json.loads(Path("assets/sim/id_holder.json").read_text("utf-8"))


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(
    request: pytest.FixtureRequest, platform_factory: Callable[..., PlatformProcess],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PlatformProcess]:
    if request.param == "sqlite":
        yield platform_factory(require_signatures=True)
        return
    url = str(request.getfixturevalue("postgres_url"))
    made = DatabasePlatform(tmp_path_factory.mktemp("pg-platform"), url,
                            require_signatures=True)
    made.start()
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
def kiosk(platform: PlatformProcess, tmp_path: Path) -> EnrolledKiosk:
    return platform.enrol("K0451", tmp_path / "k1", code="K0451")


def ask(kind: str, id_number: str = HOLDER["id_number"], request_id: str | None = None
        ) -> ProofRequest:
    return ProofRequest(request_id or str(uuid7()), id_number, kind, "card_pin")


def check(url: str, code: str, source: str = "127.0.0.1") -> tuple[int, dict[str, object]]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5, source_address=(source, 0))
    try:
        conn.request("GET", f"{PROOFS_PATH}/{code}")
        reply = conn.getresponse()
        return reply.status, json.loads(reply.read() or b"{}")
    finally:
        conn.close()


def test_each_kind_is_issued_from_the_records_and_verifies_masked(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    client = kiosk.client()
    codes = set()
    for kind in PROOF_KINDS:
        proof = client.issue_proof(ask(kind))
        assert normalize_code(proof.code) == proof.code and len(proof.code) == 23
        codes.add(proof.code)
        assert proof.holder_name == HOLDER["name"]
        assert HOLDER["id_number"] not in proof.holder_id
        assert proof.holder_id.endswith(HOLDER["id_number"][-4:])
        assert len(proof.rows) == 12 and all(len(r) == len(proof.columns) for r in proof.rows)
        status, answer = check(platform.url, proof.code.lower().replace("-", "%20"))
        assert status == 200 and answer["authentic"] is True
        assert answer["kind"] == kind and answer["title"] == proof.title
        assert answer["holder"] == HOLDER["name"][0] + "*" * (len(HOLDER["name"]) - 1)
        assert HOLDER["id_number"] not in json.dumps(answer, ensure_ascii=False)
    assert len(codes) == 4  # a fresh code for each proof
    client.close()


def test_same_request_id_gives_the_same_proof_and_not_another_citizens(
    kiosk: EnrolledKiosk,
) -> None:
    client = kiosk.client()
    first = ask("housing_fund")
    assert client.issue_proof(first).code == client.issue_proof(first).code
    with pytest.raises(PlatformProtocolError) as refused:
        client.issue_proof(ask("housing_fund", OTHER["id_number"], first.request_id))
    assert refused.value.status == 409
    with pytest.raises(PlatformProtocolError) as unknown:
        client.issue_proof(ask("income_tax", "110101199003070011"))
    assert unknown.value.status == 404
    client.close()


def test_issuing_needs_a_signed_request(platform: PlatformProcess, kiosk: EnrolledKiosk) -> None:
    body = {"kiosk_id": "K0451", "request_id": str(uuid7()), "id_number": HOLDER["id_number"],
            "kind": "income_tax", "second_factor": "card_pin", "staff_id": ""}
    reply = requests.post(platform.url + PROOFS_PATH, json=body, timeout=5)
    assert reply.status_code == 401
    other = platform.enrol("K0452", kiosk.identity_dir.parent / "k2", code="K0452")
    with pytest.raises(PlatformAuthError):  # a kiosk cannot ask in another kiosk's name
        client = other.client()
        try:
            client._json_reply("POST", PROOFS_PATH, json.dumps(body).encode(), "the proof")
        finally:
            client.close()


def test_unknown_and_malformed_codes_get_one_answer(platform: PlatformProcess) -> None:
    for code in ("00000-00000-00000-00000", "not a code", "UUUUU-UUUUU-UUUUU-UUUUU"):
        status, answer = check(platform.url, code.replace(" ", "%20"))
        assert status == 404 and answer["authentic"] is False


def test_checks_are_limited_per_client_address(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    client = kiosk.client()
    code = client.issue_proof(ask("medical_insurance")).code
    client.close()
    if time.time() % 60 > 50:  # the count is per minute: start in a fresh one
        time.sleep(61 - time.time() % 60)
    statuses = [check(platform.url, code)[0] for _ in range(CHECKS_PER_MINUTE + 3)]
    assert statuses[:CHECKS_PER_MINUTE] == [200] * CHECKS_PER_MINUTE
    assert statuses[CHECKS_PER_MINUTE:] == [429] * 3
    # Another address has its own count.
    assert check(platform.url, code, source="127.0.0.2")[0] == 200
