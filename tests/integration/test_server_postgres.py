"""Platform ingest on SQLite and PostgreSQL: batches in one transaction, idempotent by id,
races between processes settled by the unique key, several server processes on one database.
"""

from __future__ import annotations

import base64
import multiprocessing
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Column, Float, MetaData, String, Table, inspect, text
from sqlalchemy.exc import IntegrityError

from sync.platform.client import PlatformClient
from sync.sealing import key_id_of, payload_hash, seal
from sync.server.db import add_missing_columns, backend_of, make_engine, normalise_url
from sync.server.ingest import BatchJudge, Verdict
from sync.server.registry import (
    KioskRegistry,
    RegistryError,
    Revocation,
    format_token,
    token_hash,
)
from sync.server.schema import metadata
from sync.server.store import IngestItem, TransactionStore
from sync.uuid7 import uuid7
from tests.support.platform import EnrolledKiosk, PlatformProcess, free_port
from tests.support.postgres import (  # noqa: F401 - fixtures
    DatabasePlatform,
    postgres_server,
    postgres_url,
)

BACKENDS = ["sqlite", "postgresql"]
RACERS = 4


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'platform.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(database_url: str) -> Iterator[TransactionStore]:
    made = TransactionStore(database_url)
    yield made
    made.dispose()


def envelope_item(txid: str | None = None, body: bytes | None = None) -> IngestItem:
    envelope = b'{"ct":"' + (body or uuid7().bytes.hex().encode()) + b'"}'
    return IngestItem(txid or str(uuid7()), payload_hash(envelope), envelope)


# -- one store ---------------------------------------------------------------------------------


def test_a_batch_gets_one_verdict_per_item_in_order(store: TransactionStore) -> None:
    known, clashing = envelope_item(), envelope_item()
    store.ingest_many("K1", [known, clashing])
    fresh = envelope_item()
    changed = envelope_item(clashing.txid, b"other")
    verdicts = store.ingest_many("K1", [fresh, known, changed, fresh, envelope_item(fresh.txid)])
    assert verdicts == ["accepted", "duplicate", "conflict", "duplicate", "conflict"]
    assert store.stored_hashes([clashing.txid, fresh.txid]) == {
        clashing.txid: clashing.digest,
        fresh.txid: fresh.digest,
    }
    assert store.count() == 3


def test_single_item_ingest_keeps_its_contract(store: TransactionStore) -> None:
    item = envelope_item()
    assert store.ingest(item.txid, "K1", item.digest, item.envelope, "K1-1") == "accepted"
    assert store.ingest(item.txid, "K1", item.digest, item.envelope) == "duplicate"
    assert store.ingest(item.txid, "K1", "0" * 64, item.envelope) == "conflict"
    found = store.find_by_tracking("K1-1")
    assert found is not None and found.id == item.txid and found.status == "accepted"


def test_a_failing_batch_stores_none_of_its_items(store: TransactionStore) -> None:
    good = envelope_item()
    broken = IngestItem(str(uuid7()), "0" * 64, None)  # type: ignore[arg-type]  # NOT NULL
    with pytest.raises(IntegrityError):
        store.ingest_many("K1", [good, broken])
    assert store.count() == 0
    assert store.ingest_many("K1", [good]) == ["accepted"]  # and the store still works


def test_received_at_comes_from_the_injected_clock(database_url: str) -> None:
    store = TransactionStore(database_url, clock=lambda: 1_795_000_000.0)
    try:
        item = envelope_item()
        store.ingest_many("K1", [item])
        found = store.get(item.txid)
        assert found is not None and found.received_at.startswith("2026-11-18T")
    finally:
        store.dispose()


def test_judge_rejects_bad_items_and_stores_the_rest_together(store: TransactionStore) -> None:
    key = X25519PrivateKey.generate()
    good = seal(b"form", key.public_key(), key_id_of(key.public_key()), {"tracking_number": "T1"})
    tampered = good.replace(b'"T1"', b'"T2"')
    judge = BatchJudge(store, key, open_envelopes=True)
    cheap = BatchJudge(store, key, open_envelopes=False)

    def uploaded(envelope: bytes, digest: str | None = None) -> Any:
        class Item:
            id = str(uuid7())
            payload_hash = digest or payload_hash(envelope)

        Item.envelope = base64.b64encode(envelope).decode()  # type: ignore[attr-defined]
        return Item()

    items = [uploaded(good), uploaded(tampered), uploaded(good, "0" * 64), uploaded(b"{}")]
    verdicts = judge.judge("K1", items)
    assert [v.verdict for v in verdicts] == ["accepted", "rejected", "rejected", "rejected"]
    assert [v.id for v in verdicts] == [i.id for i in items]
    # Without opening, the tampered metadata is not detectable; the header checks still are.
    assert [v.verdict for v in cheap.judge("K1", items[1:])] == ["accepted", "rejected", "rejected"]
    assert store.find_by_tracking("T2") is not None
    assert verdicts[0] == Verdict(items[0].id, "accepted")


def _schema_before_issue_8() -> MetaData:
    """The kiosk tables as platforms created them before tokens could be cancelled."""
    old = MetaData()
    Table(
        "enrolment_tokens",
        old,
        Column("token_hash", String(64), primary_key=True),
        Column("kiosk_id", String(64), nullable=False, index=True),
        Column("created_at", Float, nullable=False),
        Column("expires_at", Float, nullable=False),
        Column("used_at", Float, nullable=True),
    )
    Table(
        "kiosks",
        old,
        Column("kiosk_id", String(64), primary_key=True),
        Column("public_key", String(64), nullable=False),
        Column("key_id", String(16), nullable=False),
        Column("enrolled_at", Float, nullable=False),
        Column("revoked_at", Float, nullable=True),
    )
    return old


def test_an_existing_database_gains_the_new_column_and_table(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        _schema_before_issue_8().create_all(engine)
        kept, stolen = (format_token(bytes([n]) * 15) for n in (1, 2))
        with engine.begin() as conn:
            for token in (kept, stolen):
                conn.execute(
                    text(
                        "INSERT INTO enrolment_tokens (token_hash, kiosk_id, created_at, "
                        "expires_at) VALUES (:h, 'kiosk-0451', :now, :later)"
                    ),
                    {"h": token_hash(token), "now": time.time() - 10, "later": time.time() + 3600},
                )
        registry = KioskRegistry(engine)
        schema = inspect(engine)
        assert "cancelled_at" in {c["name"] for c in schema.get_columns("enrolment_tokens")}
        assert schema.has_table("kiosk_codes")
        registry.enroll(kept, "kiosk-0451", Ed25519PrivateKey.generate().public_key())
        assert registry.revoke_kiosk("kiosk-0451") == Revocation(known=True, tokens_cancelled=1)
        with pytest.raises(RegistryError) as caught:
            registry.enroll(stolen, "kiosk-0451", Ed25519PrivateKey.generate().public_key())
        assert caught.value.reason == "token_cancelled"
        with engine.begin() as conn:
            assert add_missing_columns(conn, metadata) == []  # a second start adds nothing
        KioskRegistry(engine)
    finally:
        engine.dispose()


def test_database_urls_pick_the_backend_and_driver() -> None:
    assert backend_of("sqlite:///x.db") == "sqlite"
    assert backend_of("postgresql://u@h/db") == "postgresql"
    assert normalise_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("postgres://u@h/db").startswith("postgresql+psycopg://")
    with pytest.raises(ValueError, match="unsupported"):
        make_engine("mysql://u@h/db")


# -- several processes on one database ---------------------------------------------------------


def _race(
    url: str, kiosk: str, items: list[IngestItem], batch: int, barrier: Any, out: Any
) -> None:
    """Child process: create the schema together with the others, then ingest in batches."""
    barrier.wait(120)
    store = TransactionStore(url)  # a fresh database: every racer runs the DDL at once
    try:
        barrier.wait(120)
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            verdicts = store.ingest_many(kiosk, chunk)
            out.put([(item.txid, item.digest, v) for item, v in zip(chunk, verdicts, strict=True)])
        out.put(None)
    finally:
        store.dispose()


def _run_racers(url: str, plans: list[list[IngestItem]], batch: int) -> list[tuple[str, str, str]]:
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(len(plans)), ctx.Queue()
    procs = [
        ctx.Process(target=_race, args=(url, f"K{n}", plan, batch, barrier, out))
        for n, plan in enumerate(plans)
    ]
    for proc in procs:
        proc.start()
    results: list[tuple[str, str, str]] = []
    finished = 0
    try:
        while finished < len(plans):
            got = out.get(timeout=60)
            if got is None:
                finished += 1
            else:
                results.extend(got)
    finally:
        for proc in procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()
    assert all(proc.exitcode == 0 for proc in procs)
    return results


def test_processes_racing_on_the_same_ids_store_each_once(database_url: str) -> None:
    items = [envelope_item() for _ in range(120)]
    plans = [random.Random(n).sample(items, len(items)) for n in range(RACERS)]
    results = _run_racers(database_url, plans, batch=40)
    accepted = Counter(txid for txid, _, verdict in results if verdict == "accepted")
    assert accepted == Counter({item.txid: 1 for item in items})
    assert Counter(v for _, _, v in results) == {
        "accepted": len(items),
        "duplicate": len(items) * (RACERS - 1),
    }
    store = TransactionStore(database_url)
    try:
        assert store.count() == len(items)
    finally:
        store.dispose()


def test_processes_racing_with_different_payloads_get_one_accept_and_conflicts(
    database_url: str,
) -> None:
    ids = [str(uuid7()) for _ in range(60)]
    plans = [
        [envelope_item(txid, f"racer-{n}".encode()) for txid in random.Random(n).sample(ids, 60)]
        for n in range(RACERS)
    ]
    results = _run_racers(database_url, plans, batch=25)
    store = TransactionStore(database_url)
    try:
        stored = store.stored_hashes(ids)
    finally:
        store.dispose()
    assert set(stored) == set(ids)
    for txid in ids:
        mine = [(digest, v) for t, digest, v in results if t == txid]
        assert sorted(v for _, v in mine) == ["accepted"] + ["conflict"] * (RACERS - 1)
        assert [digest for digest, v in mine if v == "accepted"] == [stored[txid]]


# -- several server processes on one database --------------------------------------------------


@pytest.fixture
def server_farm(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[PlatformProcess]]:
    """Several signed-only platform processes started at once on one fresh database
    (2 on SQLite, 3 on PostgreSQL)."""
    data_dir = tmp_path_factory.mktemp("farm")
    count = 2 if backend_of(database_url) == "sqlite" else 3
    servers = [
        DatabasePlatform(data_dir, database_url, port=free_port(), require_signatures=True)
        for _ in range(count)
    ]
    # No schema yet: the processes start together and must not trip over each other's DDL.
    errors: list[BaseException] = []

    def start(server: PlatformProcess) -> None:
        try:
            server.start()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        if errors:
            raise errors[0]
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_server_processes_share_one_database_and_store_each_id_once(
    server_farm: list[PlatformProcess], tmp_path: Path
) -> None:
    first = server_farm[0]
    kiosks: list[EnrolledKiosk] = [
        first.enrol(f"K{n}", tmp_path / f"kiosk-{n}") for n in range(len(server_farm))
    ]
    envelopes = [
        seal(f"form {n}".encode(), first.public_key, first.key_id, {"n": str(n)}) for n in range(30)
    ]
    records = [(str(uuid7()), envelope) for envelope in envelopes]
    verdicts: list[str] = []
    barrier = threading.Barrier(len(server_farm))
    lock = threading.Lock()

    def upload(n: int) -> None:
        # Kiosk n talks to server n: the same ids reach every process at once.
        kiosk = kiosks[n]
        signer = kiosk.identity.signer(kiosk.kiosk_id)
        client = PlatformClient(server_farm[n].url, kiosk.kiosk_id, timeout=30.0, signer=signer)
        try:
            barrier.wait(120)
            answer = client.upload(random.Random(n).sample(records, len(records)))
        finally:
            client.close()
        with lock:
            verdicts.extend(result.verdict for result in answer.values())

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(len(server_farm))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert Counter(verdicts) == {
        "accepted": len(records),
        "duplicate": len(records) * (len(server_farm) - 1),
    }
    stored = [row["id"] for row in first.records()]
    assert sorted(stored) == sorted(txid for txid, _ in records)
