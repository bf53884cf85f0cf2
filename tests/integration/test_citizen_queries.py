"""My transactions and my records on the reference platform, over HTTP, on SQLite and
PostgreSQL: indexed at ingest by a keyed hash of the ID number, statuses with the reason of a
rejection, records only with a second factor the identification method accepts, signed only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from kiosk.tracking.numbers import make_tracking_number
from sync.platform.client import PlatformClient, RecordsRefusedError
from sync.platform.errors import PlatformProtocolError
from sync.platform.records import CITIZEN_RECORDS_PATH, CITIZEN_TRANSACTIONS_PATH, SecondFactor
from sync.sealing import seal
from sync.server.catalog_admin import StatusError, set_status
from sync.server.schema_records import citizen_transactions
from sync.server.staff_admin import add_person
from sync.server.store import make_engine
from sync.uuid7 import uuid7
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.postgres import (  # noqa: F401 - fixtures
    DatabasePlatform,
    postgres_server,
    postgres_url,
)

SSC_HOLDER = "23010219500312015X"  # assets/sim/ssc_holder.json (fictional)
ID_HOLDER = "230103194809150237"  # assets/sim/id_holder.json (fictional)
STRANGER = "110101199003074477"  # a valid number nobody in the fixtures has


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


def upload(kiosk: EnrolledKiosk, client: PlatformClient, id_number: str, day_seq: int,
           service: str = "pension-transfer") -> str:
    txid = str(uuid7())
    tracking = make_tracking_number("K0451", date(2026, 11, 21), day_seq)
    meta = {"txid": txid, "kiosk_id": kiosk.kiosk_id, "service_code": service,
            "tracking_number": tracking, "created_at": "2026-11-21T02:00:00+00:00"}
    payload = {**meta, "applicant": {"id_number": id_number, "name": "测试"}, "form": {}}
    platform = kiosk.platform
    envelope = seal(json.dumps(payload).encode(), platform.public_key, platform.key_id, meta)
    verdicts = client.upload([(txid, envelope)])
    assert verdicts[txid].verdict == "accepted", verdicts[txid]
    return txid


def engine_of(platform: PlatformProcess):  # type: ignore[no-untyped-def]
    return make_engine(platform.database_url)


def test_my_transactions_are_found_by_id_number_with_status_and_reason(
    kiosk: EnrolledKiosk, platform: PlatformProcess,
) -> None:
    client = kiosk.client()
    mine = [upload(kiosk, client, SSC_HOLDER, n) for n in (1, 2, 3)]
    upload(kiosk, client, ID_HOLDER, 4)
    engine = engine_of(platform)
    try:
        set_status(engine, mine[0], "processing")
        set_status(engine, mine[0], "rejected", reason="缺少户口簿  复印件")
        set_status(engine, mine[1], "processing")
        set_status(engine, mine[1], "approved")
        set_status(engine, mine[1], "ready_for_pickup")
        with pytest.raises(StatusError):
            set_status(engine, mine[2], "processing", reason=" ")
        with engine.connect() as conn:
            hashes = conn.execute(select(citizen_transactions.c.citizen_hash)).scalars().all()
    finally:
        engine.dispose()
    assert len(hashes) == 4 and all(SSC_HOLDER not in h and len(h) == 64 for h in hashes)
    found = {t.txid: t for t in client.my_transactions(SSC_HOLDER.lower(), "social_security_card")}
    assert set(found) == set(mine)
    assert (found[mine[0]].status, found[mine[0]].reason) == ("rejected", "缺少户口簿 复印件")
    assert (found[mine[1]].status, found[mine[1]].reason) == ("ready_for_pickup", None)
    assert found[mine[2]].status == "accepted" and found[mine[2]].updated_at is None
    assert found[mine[0]].service_code == "pension-transfer"
    assert found[mine[0]].tracking_number == make_tracking_number("K0451", date(2026, 11, 21), 1)
    assert client.my_transactions(STRANGER, "resident_id_card") == ()


def test_an_operator_sets_a_rejection_reason_from_the_command_line(
    kiosk: EnrolledKiosk, platform: PlatformProcess,
) -> None:
    client = kiosk.client()
    txid = upload(kiosk, client, ID_HOLDER, 7)
    done = platform.operator("set-status", txid, "rejected", "--force", "--reason", "照片不清晰")
    assert done.returncode == 0, done.stderr
    (answer,) = client.my_transactions(ID_HOLDER, "resident_id_card")
    assert (answer.status, answer.reason) == ("rejected", "照片不清晰")


def test_records_open_with_the_card_pin_or_with_known_staff_only(
    kiosk: EnrolledKiosk, platform: PlatformProcess,
) -> None:
    client = kiosk.client()
    records = client.my_records(SSC_HOLDER, "social_security_card", SecondFactor("card_pin"))
    assert records is not None and records.name == "赵建华" and len(records.contributions) == 96
    assert records.medical_balance_fen > 0 and records.fund_deposits
    with pytest.raises(RecordsRefusedError) as refused:  # an ID card has no PIN to prove
        client.my_records(ID_HOLDER, "resident_id_card", SecondFactor("card_pin"))
    assert refused.value.refusal == "second_factor"
    with pytest.raises(RecordsRefusedError) as unknown:
        client.my_records(ID_HOLDER, "resident_id_card", SecondFactor("staff", "1001"))
    assert unknown.value.refusal == "staff_unknown"
    engine = engine_of(platform)
    try:
        add_person(engine, platform.catalogue_key, "1001", "王丽", "staff", "482915")
        add_person(engine, platform.catalogue_key, "2002", "李工", "technician", "482915")
    finally:
        engine.dispose()
    with pytest.raises(RecordsRefusedError):  # a technician does not vouch for a citizen
        client.my_records(ID_HOLDER, "resident_id_card", SecondFactor("staff", "2002"))
    by_staff = client.my_records(ID_HOLDER, "resident_id_card", SecondFactor("staff", "1001"))
    assert by_staff is not None and by_staff.name == "孙德明"
    assert client.my_records(STRANGER, "resident_id_card", SecondFactor("staff", "1001")) is None


def test_questions_are_signed_post_bodies_and_never_cached(
    kiosk: EnrolledKiosk, platform: PlatformProcess,
) -> None:
    body = {"kiosk_id": kiosk.kiosk_id, "id_number": SSC_HOLDER,
            "identified_by": "social_security_card", "second_factor": {"kind": "card_pin"}}
    for path in (CITIZEN_TRANSACTIONS_PATH, CITIZEN_RECORDS_PATH):
        unsigned = requests.post(platform.url + path, json=body, timeout=5)
        assert unsigned.status_code == 401
    client = kiosk.client()
    status, headers, _ = client._request(  # noqa: SLF001 - the raw signed exchange
        "POST", CITIZEN_TRANSACTIONS_PATH, 5.0, json.dumps(body).encode())
    assert status == 200 and headers.get("Cache-Control") == "no-store"
    bad = dict(body, id_number="230102195003120151")  # wrong check character
    status, _, content = client._request(  # noqa: SLF001
        "POST", CITIZEN_RECORDS_PATH, 5.0, json.dumps(bad).encode())
    assert status == 422 and SSC_HOLDER not in content.decode()
    with pytest.raises(PlatformProtocolError):
        client.my_transactions("not a number", "social_security_card")
    other = dict(body, kiosk_id="K9999")
    status, _, _ = client._request(  # noqa: SLF001
        "POST", CITIZEN_TRANSACTIONS_PATH, 5.0, json.dumps(other).encode())
    assert status == 403
    assert SSC_HOLDER not in platform.log_path.read_text(encoding="utf-8", errors="replace")


def test_a_database_from_before_gains_the_index_and_the_reason(tmp_path: Path) -> None:
    """The platform's one migration rule: a new table, and a nullable column on an old one."""
    from sqlalchemy import inspect

    from sync.server.store import TransactionStore

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE status_changes (seq BIGINT PRIMARY KEY, txid VARCHAR(64) NOT NULL, "
            "kiosk_id VARCHAR(64) NOT NULL, status VARCHAR(32) NOT NULL, "
            "previous VARCHAR(32) NOT NULL, changed_at FLOAT NOT NULL)")
    engine.dispose()
    store = TransactionStore(url)
    try:
        found = inspect(store.engine)
        assert "reason" in {c["name"] for c in found.get_columns("status_changes")}
        assert found.has_table("citizen_transactions")
    finally:
        store.dispose()
