"""PcscCardReader against the real pcscd, the vpcd driver and the virtual card on its TCP port."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from devices.cards.base import CardReaderError, CardReadTimeout
from devices.cards.pcsc.reader import PcscCardReader
from devices.sim.card.vcard import VirtualCard, load_holder
from tests.support.pcsc import (  # noqa: F401  (fixtures)
    VPCD_READER,
    EventRecorder,
    PcscDaemon,
    wait_reader_empty,
)

# fixtures pcscd and virtual_card come from tests/support/pcsc.py through tests/conftest.py

pytestmark = pytest.mark.pcsc
SECONDS = 5.0  # pcscd polls vpcd about every 400 ms


def test_inserted_card_is_read_with_the_fixture_data_on_the_worker_thread(
    reader: PcscCardReader, events: EventRecorder, virtual_card: VirtualCard
) -> None:
    holder = load_holder()
    started = time.monotonic()
    virtual_card.insert()
    data = events.wait_for("card_did_read", SECONDS)
    assert time.monotonic() - started < SECONDS
    assert (data.name, data.id_number, data.card_number) == (
        holder["name"],
        holder["id_number"],
        holder["card_number"],
    )
    assert data.region == "230102" and data.gender == "男"
    assert events.names() == ["reader_did_add", "card_did_insert", "card_did_read"]
    assert events.of("card_did_insert") == [VPCD_READER]
    assert {thread for _n, _a, thread in events.events} == {"pcsc-reader"}


def test_bank_card_fails_with_not_ssc(
    reader: PcscCardReader, events: EventRecorder, pcscd: PcscDaemon
) -> None:
    card = VirtualCard(profile="bank")
    card.insert()
    try:
        error = events.wait_for("reader_did_fail", SECONDS)
    finally:
        card.close()
        wait_reader_empty()
    assert isinstance(error, CardReaderError) and error.reason == "not_ssc"
    assert "social-security card" in error.message
    assert "card_did_read" not in events.names()
    events.wait_for("card_did_remove", SECONDS)


def test_removing_the_card_fires_card_did_remove_and_status_follows(
    reader: PcscCardReader, events: EventRecorder, virtual_card: VirtualCard
) -> None:
    virtual_card.insert()
    events.wait_for("card_did_read", SECONDS)
    assert reader.status().card_present
    virtual_card.remove()
    assert events.wait_for("card_did_remove", SECONDS) == VPCD_READER
    status = reader.status()
    assert status.present and not status.card_present
    assert status.backend == "pcsc" and status.name == VPCD_READER
    assert "never on a production kiosk" in status.detail  # vpcd found: warn the technician


def test_reprs_and_logs_of_a_real_read_show_no_personal_data(
    reader: PcscCardReader,
    events: EventRecorder,
    virtual_card: VirtualCard,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    holder = load_holder()
    virtual_card.insert()
    data = events.wait_for("card_did_read", SECONDS)
    virtual_card.remove()
    events.wait_for("card_did_remove", SECONDS)
    shown = " ".join(
        [repr(data), str(data), repr(events.events), repr(reader.status()), caplog.text]
    )
    assert "2301**********015X" in repr(data)
    for secret in (holder["name"], holder["id_number"], holder["card_number"]):
        assert secret not in shown


def test_read_blocks_until_a_card_is_inserted(
    reader: PcscCardReader, virtual_card: VirtualCard
) -> None:
    timer = threading.Timer(0.5, virtual_card.insert)
    timer.start()
    try:
        data = reader.read(timeout=SECONDS)
    finally:
        timer.join()
    assert data.id_number == load_holder()["id_number"]
    assert reader.read(timeout=SECONDS).region == "230102"  # card still there: read it again


def test_read_without_a_card_times_out(reader: PcscCardReader) -> None:
    started = time.monotonic()
    with pytest.raises(CardReadTimeout) as raised:
        reader.read(timeout=0.5)
    assert raised.value.reason == "timeout"
    assert time.monotonic() - started < 2.0


def test_card_that_never_answers_is_abandoned_and_the_next_card_reads(
    reader: PcscCardReader, events: EventRecorder, pcscd: PcscDaemon
) -> None:
    slow = VirtualCard(reply_delay=3.0)
    slow.insert()
    try:
        started = time.monotonic()
        error = events.wait_for("reader_did_fail", SECONDS)
        assert error.reason == "timeout"
        assert time.monotonic() - started < 1.0 + SECONDS  # exchange deadline is 1 s
    finally:
        slow.close()
    events.wait_for("card_did_remove", SECONDS)
    good = VirtualCard()
    good.insert()
    try:
        assert events.wait_for("card_did_read", SECONDS).region == "230102"
    finally:
        good.close()
        wait_reader_empty()


def test_reader_prefix_that_matches_nothing_reports_the_reader_absent(
    pcscd: PcscDaemon,
) -> None:
    reader = PcscCardReader(reader_prefix="No Such Reader")
    reader.start()
    try:
        with pytest.raises(CardReadTimeout):
            reader.read(timeout=0.5)
        status = reader.status()
    finally:
        reader.stop()
    assert not status.present and not status.card_present
    assert VPCD_READER in status.detail  # tells the technician which readers exist


def test_pcscd_loss_reports_no_service_once_and_the_reader_recovers(
    reader: PcscCardReader, events: EventRecorder, pcscd: PcscDaemon
) -> None:
    if not pcscd.owned:
        pytest.skip("pcscd was already running (not started by the tests): not stopping it")
    card = VirtualCard()
    card.insert()
    try:
        events.wait_for("card_did_read", SECONDS)
        pcscd.stop()
        error = events.wait_for("reader_did_fail", SECONDS)
        assert error.reason == "no_service"
        events.wait_for("reader_did_remove", SECONDS)
        assert card.wait_removed(SECONDS)  # vpcd went with pcscd
        time.sleep(2.5)  # several retry rounds while pcscd is gone
        assert events.names().count("reader_did_fail") == 1
        status = reader.status()
        assert not status.present and "not running" in status.detail
        pcscd.ensure_running()
        events.wait_for("reader_did_add", SECONDS, count=2)
        card.insert()
        events.wait_for("card_did_read", SECONDS, count=2)
    finally:
        card.close()
        pcscd.ensure_running()
        wait_reader_empty()
    assert events.names() == [
        "reader_did_add",
        "card_did_insert",
        "card_did_read",
        "card_did_remove",
        "reader_did_remove",
        "reader_did_fail",
        "reader_did_add",
        "card_did_insert",
        "card_did_read",
        "card_did_remove",
    ][: len(events.names())]  # the last removal may or may not have arrived yet
    assert len(events.names()) >= 9
