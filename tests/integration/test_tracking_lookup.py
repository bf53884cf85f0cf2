"""The status lookup is no oracle (issue 8, item 9).

Tracking numbers are enumerable, so a lookup needs the receipt's query code as well; the
platform keeps only a keyed hash of it, counts wrong codes per number in its database (five
lock the number, whichever server process answers), gives one answer for every kind of miss,
answers coarsely, and never logs a code. The kiosk's own lookup holds to the same rules.
Against the platform running as ``kiosk server``, signatures required.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import stat
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk import events as ev
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from kiosk.tracking.lookup import MAX_FAILURES, look_up
from kiosk.tracking.numbers import make_tracking_number
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.sealing import seal
from sync.server.keys import LOOKUP_KEY_FILE
from sync.server.schema import tracking_lookups
from sync.server.store import make_engine
from sync.uuid7 import uuid7
from tests.support.platform import EnrolledKiosk, PlatformProcess, free_port
from tests.support.postgres import (  # noqa: F401 - fixtures
    DatabasePlatform,
    postgres_server,
    postgres_url,
)

DAY = date(2026, 11, 21)
CODE = "40718263"
WRONG = "40718264"
REFUSAL = {"detail": "no application matches this tracking number and query code"}


@pytest.fixture
def platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    # Debug logging: whatever the server would ever log about a request is in server.log.
    return platform_factory(require_signatures=True, server_args=("--log-level", "debug"))


@pytest.fixture
def kiosk(platform: PlatformProcess, tmp_path: Path) -> EnrolledKiosk:
    return platform.enrol("kiosk-0451", tmp_path / "identity", code="K0451")


def upload(kiosk: EnrolledKiosk, tracking: str, code: str | None) -> str:
    """One record with this tracking number, its query code beside the envelope."""
    txid = str(uuid7())
    envelope = seal(b"form", kiosk.platform.public_key, kiosk.platform.key_id,
                    {"tracking_number": tracking})
    with_client(kiosk, lambda c: c.upload([(txid, envelope)], {txid: code} if code else None))
    return txid


def with_client(kiosk: EnrolledKiosk, use: Callable[[PlatformClient], Any]) -> Any:
    client = kiosk.client(timeout=5.0)
    try:
        return use(client)
    finally:
        client.close()


def track(url: str, tracking: str, code: str | None) -> requests.Response:
    params = {"code": code} if code is not None else None
    return requests.get(f"{url}/v1/track/{tracking}", params=params, timeout=5)


def answer(response: requests.Response) -> tuple[int, Any, str | None, str | None]:
    return (response.status_code, response.json(), response.headers.get("content-length"),
            response.headers.get("cache-control"))


def test_the_number_alone_tells_nothing_and_the_code_opens_a_coarse_answer(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    number = make_tracking_number("K0451", DAY, 1)
    upload(kiosk, number, CODE)

    assert answer(track(platform.url, number, None))[:2] == (404, REFUSAL)
    assert answer(track(platform.url, number, WRONG))[:2] == (404, REFUSAL)
    shown = track(platform.url, number, CODE)
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert set(body) == {"tracking_number", "status", "updated_on"}  # no timestamp
    assert body["tracking_number"] == number and body["status"] == "accepted"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", body["updated_on"])
    assert shown.headers["cache-control"] == "no-store"

    # The same question in a JSON body, unsigned: the code is the citizen's credential.
    posted = requests.post(f"{platform.url}/v1/track",
                           json={"tracking_number": number, "code": CODE}, timeout=5)
    assert (posted.status_code, posted.json()) == (200, body)
    wrong = requests.post(f"{platform.url}/v1/track",
                          json={"tracking_number": number, "code": WRONG}, timeout=5)
    assert (wrong.status_code, wrong.json()) == (404, REFUSAL)


def test_unknown_wrong_locked_and_codeless_numbers_get_one_answer(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    known, codeless, locked = (make_tracking_number("K0451", DAY, n) for n in (1, 2, 3))
    upload(kiosk, known, CODE)
    upload(kiosk, codeless, None)  # from a kiosk version before query codes: still taken
    upload(kiosk, locked, CODE)
    for _ in range(MAX_FAILURES):
        track(platform.url, locked, WRONG)
    unknown = make_tracking_number("K0451", DAY, 9)

    answers = {
        "unknown number": answer(track(platform.url, unknown, CODE)),
        "wrong code": answer(track(platform.url, known, WRONG)),
        "no code on record": answer(track(platform.url, codeless, CODE)),
        "locked, right code": answer(track(platform.url, locked, CODE)),
        "no code given": answer(track(platform.url, known, None)),
        "not a tracking number": answer(track(platform.url, "K0451-1", CODE)),
    }
    first = answers["unknown number"]
    assert first[:2] == (404, REFUSAL) and first[3] == "no-store"
    assert {name: a for name, a in answers.items() if a != first} == {}
    assert track(platform.url, known, CODE).status_code == 200


@pytest.fixture(params=["sqlite", "postgresql"])
def two_servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[DatabasePlatform]]:
    """Two platform processes on one data directory (one lookup key) and one database."""
    data_dir = tmp_path_factory.mktemp("pair")
    url = (f"sqlite:///{data_dir / 'platform.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("postgres_url")))
    servers = [DatabasePlatform(data_dir, url, port=free_port(), require_signatures=True)
               for _ in range(2)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_five_wrong_codes_lock_a_number_whichever_server_process_answers(
    two_servers: list[DatabasePlatform], tmp_path: Path
) -> None:
    first, second = two_servers
    kiosk = first.enrol("kiosk-0451", tmp_path / "identity", code="K0451")
    number, other = make_tracking_number("K0451", DAY, 7), make_tracking_number("K0451", DAY, 8)
    upload(kiosk, number, CODE)
    upload(kiosk, other, CODE)

    for n in range(MAX_FAILURES - 1):
        assert track(two_servers[n % 2].url, number, f"{n:08d}").status_code == 404
    assert track(second.url, number, CODE).status_code == 200  # four wrong: still open
    assert track(first.url, number, WRONG).status_code == 404  # the fifth wrong code
    assert track(first.url, number, CODE).status_code == 404
    assert track(second.url, number, CODE).status_code == 404
    assert track(second.url, other, CODE).status_code == 200  # only that number locks

    engine = make_engine(first.database_url)
    try:
        with engine.connect() as conn:
            counted = conn.execute(select(tracking_lookups.c.attempts).where(
                tracking_lookups.c.tracking_number == number)).scalar_one()
    finally:
        engine.dispose()
    assert counted >= MAX_FAILURES


def test_the_platform_keeps_only_a_keyed_hash_and_logs_no_code(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    number = make_tracking_number("K0451", DAY, 1)
    upload(kiosk, number, CODE)
    assert track(platform.url, number, CODE).status_code == 200
    assert track(platform.url, number, WRONG).status_code == 404
    requests.post(f"{platform.url}/v1/track", json={"tracking_number": number, "code": CODE},
                  timeout=5)

    secret = platform.data_dir / LOOKUP_KEY_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    key = bytes.fromhex(secret.read_text().strip())
    [row] = platform.records()
    assert row["query_code_hash"] == hmac.new(
        key, f"{number}\n{CODE}".encode(), hashlib.sha256).hexdigest()
    assert row["query_code_hash"] != hashlib.sha256(CODE.encode()).hexdigest()
    stored = b"".join(p.read_bytes() for p in platform.data_dir.glob("platform.db*"))
    assert CODE.encode() not in stored

    log = platform.log_path.read_text()
    assert "uvicorn" in log  # the web server's own records do reach this file
    assert CODE not in log and WRONG not in log


def test_an_item_with_a_malformed_query_code_is_rejected_alone(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    good, bad = str(uuid7()), str(uuid7())
    sealed = [
        (txid, seal(b"form", platform.public_key, platform.key_id,
                    {"tracking_number": make_tracking_number("K0451", DAY, n)}))
        for n, txid in ((1, good), (2, bad))
    ]
    results = with_client(kiosk, lambda c: c.upload(sealed, {good: CODE, bad: "12ab"}))
    assert results[good].verdict == "accepted"
    assert results[bad].verdict == "rejected" and "query code" in (results[bad].reason or "")
    assert [r["id"] for r in platform.records()] == [good]


# -- from the kiosk's receipt to the platform's answer ---------------------------------------


def submit_at(core: KioskCore, reader: SimulatedCardReader) -> str:
    """Apply for the elderly card without any UI; returns the transaction id."""
    form_open = threading.Event()
    core.events.subscribe(lambda e: form_open.set() if isinstance(e, ev.FlowDidChangeStep)
                          and e.step == Step.FORM.value else None)
    core.flow.choose_service("elderly-card-apply")
    core.flow.accept_guide()
    core.flow.accept_privacy()
    reader.insert("ssc")
    assert form_open.wait(10)
    core.flow.submit_form({"delivery": "pickup", "phone": "13912345678"})
    txid = core.flow.session.txid
    future = core.submit()
    assert future is not None and txid is not None
    future.result(timeout=10)
    return txid


def test_the_receipt_prints_its_code_and_its_qr_code_opens_the_status(
    platform: PlatformProcess, tmp_path: Path, virtual_printer: VirtualPrinter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    config = (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock")
        .replace("platform", url=platform.url, status_url=platform.url + "/v1/track/{tracking}")
        .replace("printer", host="127.0.0.1", port=virtual_printer.port)
        .replace("sync", interval_seconds=0.2)
    )
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", virtual_printer.port, width_mm=58)
    core = assemble_kiosk(config, readers=reader, printer=printer)
    core.start()
    try:
        txid = submit_at(core, reader)
        record = core.outbox.get(txid)
        assert record is not None and record.query_code is not None
        code, tracking = record.query_code, record.receipt["tracking_number"]
        assert re.fullmatch(r"\d{8}", code)
        [paper] = virtual_printer.wait_for_receipts(1, timeout=10)
        assert f"查询码：{code}" in paper.text
        assert paper.qr_payloads == [f"{platform.url}/v1/track/{tracking}?code={code}"]
        deadline = time.monotonic() + 15
        while core.outbox.get(txid).state != "acked":  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the record never reached the platform"
            time.sleep(0.05)
    finally:
        core.stop()
    assert code not in caplog.text  # the kiosk logged its upload, never the code

    opened = requests.get(paper.qr_payloads[0], timeout=5)  # what a phone does with the QR
    assert opened.status_code == 200 and opened.json()["status"] == "accepted"
    assert track(platform.url, tracking, None).status_code == 404
    assert code not in platform.log_path.read_text()


# -- the kiosk's own lookup ------------------------------------------------------------------


def kiosk_record(box: Outbox, daily_seq: int, code: str | None) -> tuple[str, str]:
    txid = str(uuid7())
    number = make_tracking_number("K0451", DAY, daily_seq)
    receipt: dict[str, Any] = {"title": "社保卡临时挂失", "tracking_number": number,
                               "printed_at": "2026-11-21T09:30:00+08:00"}
    if code is not None:
        receipt["query_code"] = code
    box.enqueue(txid, "SS-001", b"sealed", receipt, "20261121", query_code=code)
    return txid, "".join(c for c in number.split("-", 1)[1] if c.isdigit())


def test_the_kiosk_answers_only_with_the_receipts_code_and_locks_after_five_wrong(
    tmp_path: Path,
) -> None:
    path = tmp_path / "outbox.db"
    with Outbox(path) as box:
        _, digits = kiosk_record(box, 1, CODE)
        _, other = kiosk_record(box, 2, CODE)
        _, codeless = kiosk_record(box, 3, None)  # made before query codes
        found = look_up(box, "K0451", digits, CODE)
        assert (found.outcome, found.status, found.submitted_on) == ("found", "queued",
                                                                     "2026-11-21")
        refused = look_up(box, "K0451", digits, WRONG)
        assert refused.outcome == "refused" and refused.title == refused.status == ""
        unknown_digits = "".join(
            c for c in make_tracking_number("K0451", DAY, 9).split("-", 1)[1] if c.isdigit())
        unknown = look_up(box, "K0451", unknown_digits, CODE)
        assert (unknown.outcome, unknown.title) == ("refused", "")
        assert look_up(box, "K0451", codeless, CODE).outcome == "refused"
        assert look_up(box, "K0451", digits, "4071").outcome == "code_incomplete"  # not counted
        for _ in range(MAX_FAILURES - 1):
            look_up(box, "K0451", digits, WRONG)
        assert look_up(box, "K0451", digits, CODE).outcome == "refused"  # five wrong: locked
    with Outbox(path) as box:  # the count is in the outbox: a restart does not reset it
        assert look_up(box, "K0451", digits, CODE).outcome == "refused"
        assert look_up(box, "K0451", other, CODE).outcome == "found"


def test_an_operator_unlocks_a_locked_number_and_it_locks_again_after_five_more(
    platform: PlatformProcess, kiosk: EnrolledKiosk
) -> None:
    number = make_tracking_number("K0451", DAY, 1)
    upload(kiosk, number, CODE)
    for _ in range(MAX_FAILURES):
        track(platform.url, number, WRONG)
    assert track(platform.url, number, CODE).status_code == 404

    done = platform.operator("unlock-tracking", number)
    assert done.returncode == 0 and "unlocked" in done.stdout, done.stderr
    assert track(platform.url, number, CODE).status_code == 200
    for _ in range(MAX_FAILURES):
        track(platform.url, number, WRONG)
    assert track(platform.url, number, CODE).status_code == 404
    never = platform.operator("unlock-tracking", make_tracking_number("K0451", DAY, 2))
    assert never.returncode == 1 and "no wrong codes" in never.stderr
