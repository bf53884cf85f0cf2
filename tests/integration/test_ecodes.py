"""Electronic card codes on the reference platform, over HTTP, on SQLite and PostgreSQL: a
signed test code resolves once to its identity, and is refused when expired, forged, replayed
or never issued; the identity leaves the platform's database when it is resolved."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from sync.platform.ecodes import CODE_PREFIX, ECODE_RESOLVE_PATH, b64url, looks_like_ecode
from sync.server.ecodes import fixture_identity
from sync.server.schema_ecodes import ecodes
from sync.server.store import make_engine
from tests.support.ecodes import forged_code, issue_ecode
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.postgres import (  # noqa: F401 - fixtures
    DatabasePlatform,
    postgres_server,
    postgres_url,
)

HOLDER = fixture_identity()


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(
    request: pytest.FixtureRequest, platform_factory: Callable[..., PlatformProcess],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PlatformProcess]:
    if request.param == "sqlite":
        yield platform_factory(require_signatures=True)
        return
    url = str(request.getfixturevalue("postgres_url"))
    made = DatabasePlatform(tmp_path_factory.mktemp("pg-platform"), url, require_signatures=True)
    made.start()
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
def kiosk(platform: PlatformProcess, tmp_path: Path) -> EnrolledKiosk:
    return platform.enrol("K0451", tmp_path / "k1", code="K0451")


def rows(platform: PlatformProcess) -> list[dict[str, object]]:
    engine = make_engine(platform.database_url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(ecodes))]
    finally:
        engine.dispose()


def test_a_code_resolves_once_to_its_identity_and_the_platform_then_forgets_it(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    code = issue_ecode(platform)
    assert looks_like_ecode(code) and HOLDER["id_number"] not in code and "赵" not in code
    client = kiosk.client()
    try:
        answer = client.resolve_ecode(code)
        assert answer.identity is not None and answer.reason == ""
        who = answer.identity
        assert (who.name, who.id_number, who.gender, who.birth_date) == (
            HOLDER["name"], HOLDER["id_number"], "男", "1950-03-12")
        assert who.code_kind == "social_security" and who.card_number == HOLDER["card_number"]
        assert HOLDER["id_number"] not in repr(who)
        [row] = rows(platform)
        assert row["identity"] is None and row["resolved_by"] == "K0451"

        again = client.resolve_ecode(code)
        assert again.identity is None and again.reason == "replayed"
    finally:
        client.close()


def test_expired_forged_unknown_and_malformed_codes_are_refused_by_name(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    expired = issue_ecode(platform, now=time.time() - 120, ttl=60)
    genuine = issue_ecode(platform, code_kind="medical_insurance")
    claims = json.dumps({"v": 1, "cid": "0" * 32, "kind": "social_security",
                         "iat": int(time.time()), "exp": int(time.time()) + 60})
    client = kiosk.client()
    try:
        assert client.resolve_ecode(expired).reason == "expired"
        assert client.resolve_ecode(forged_code(genuine)).reason == "forged"
        # claims changed after signing (a longer life, another code id): the signature fails
        body, _, signature = genuine.rpartition(".")
        retimed = CODE_PREFIX + b64url(claims.encode()) + "." + signature
        assert client.resolve_ecode(retimed).reason == "forged"
        assert client.resolve_ecode("ECODE1.not-a-code").reason == "malformed"
        assert client.resolve_ecode(genuine).identity is not None  # untouched by the forgeries
        assert client.resolve_ecode(genuine).reason == "replayed"
    finally:
        client.close()
    untouched = [r for r in rows(platform) if r["resolved_at"] is None]
    assert len(untouched) == 1  # the expired one: its identity went when the next was issued
    assert all(r["identity"] is None for r in rows(platform))


def test_a_code_never_issued_here_is_unknown(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    code = issue_ecode(platform)
    engine = make_engine(platform.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(ecodes.delete())  # the row lost: signed, yet unknown to this database
    finally:
        engine.dispose()
    client = kiosk.client()
    try:
        assert client.resolve_ecode(code).reason == "unknown"
    finally:
        client.close()


def test_kiosks_racing_with_one_code_get_one_identity_between_them(
    platform: PlatformProcess, kiosk: EnrolledKiosk, tmp_path: Path
) -> None:
    other = platform.enrol("K0452", tmp_path / "k2", code="K0452")
    code = issue_ecode(platform)
    results: list[str] = []
    start = threading.Barrier(4)

    def run(enrolled: EnrolledKiosk) -> None:
        client = enrolled.client(timeout=30.0)
        try:
            start.wait()
            answer = client.resolve_ecode(code)
            results.append("resolved" if answer.identity else answer.reason)
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in (kiosk, other, kiosk, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["replayed", "replayed", "replayed", "resolved"]


def test_resolving_needs_a_signed_request_from_the_kiosk_it_names(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    code = issue_ecode(platform)
    body = json.dumps({"kiosk_id": "K0451", "code": code}).encode()
    unsigned = requests.post(platform.url + ECODE_RESOLVE_PATH, data=body, timeout=5,
                             headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    assert rows(platform)[0]["resolved_at"] is None  # nothing spent by a refused request


def test_the_operator_command_issues_a_code_the_kiosk_can_resolve(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    issued = platform.operator("ecode", "issue", "--id-number", "11010519491231002X",
                               "--name", "测试", "--kind", "medical_insurance", "--ttl", "30")
    assert issued.returncode == 0, issued.stderr
    code = issued.stdout.strip()
    client = kiosk.client()
    try:
        answer = client.resolve_ecode(code)
    finally:
        client.close()
    assert answer.identity is not None and answer.identity.id_number == "11010519491231002X"
    assert answer.identity.code_kind == "medical_insurance"
    listed = platform.operator("ecode", "list")
    assert "resolved by K0451" in listed.stdout and "11010519491231002X" not in listed.stdout
    refused = platform.operator("ecode", "issue", "--name", "x")
    assert refused.returncode == 1 and "id_number" in refused.stderr
