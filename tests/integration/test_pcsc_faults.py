"""PcscCardReader under faults, against the real pcscd, the vpcd driver and the virtual card.

Every case ends the same way: the same reader object reads a good card again within
``RECOVERY`` seconds, with no restart of the reader. pcscd itself is killed with SIGKILL (no
clean-up, stale socket left) while idle and during a read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devices.cards.base import CardReaderError
from devices.cards.pcsc.reader import PcscCardReader
from devices.sim.card.vcard import VirtualCard
from tests.support.pcsc import (  # noqa: F401  (fixtures)
    EventRecorder,
    PcscDaemon,
    wait_reader_empty,
    wait_until,
)

pytestmark = pytest.mark.pcsc
SECONDS = 5.0  # generous wait for a single event (pcscd polls vpcd about every 400 ms)
RECOVERY = 5.0  # the bound: working again within 5 s, without a restart


@pytest.fixture
def make_card(pcscd: PcscDaemon) -> Iterator[Callable[..., VirtualCard]]:
    """VirtualCards on vpcd port 35963; all pulled out and the reader left empty at the end."""
    made: list[VirtualCard] = []

    def make(**kwargs: Any) -> VirtualCard:
        card = VirtualCard(**kwargs)
        made.append(card)
        return card

    wait_reader_empty()
    yield make
    for card in made:
        card.close()
    pcscd.ensure_running()  # a failed kill test must not leave later tests without pcscd
    wait_reader_empty()


def reads_a_good_card_again(events: EventRecorder, card: VirtualCard) -> None:
    """Pull the card, take the faults off, insert it: read within the recovery bound."""
    card.remove()
    card.clear_faults()
    reads = len(events.of("card_did_read"))
    events.wait_for("card_did_remove", SECONDS, count=len(events.of("card_did_insert")))
    card.insert()
    assert events.wait_for("card_did_read", RECOVERY, count=reads + 1).region == "230102"


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        pytest.param({"faults": ["wrong_sw"]}, "malformed", id="wrong_sw-on-read-record"),
        pytest.param(
            {"faults": ["wrong_sw"], "fault_after": 0, "wrong_sw": b"\x6a\x82"},
            "not_ssc",
            id="no-ssse-application",
        ),
        pytest.param(
            {"faults": ["wrong_sw"], "fault_after": 0, "wrong_sw": b"\x65\x81"},
            "malformed",
            id="memory-failure-on-select",
        ),
        pytest.param({"faults": ["bad_tlv_length"]}, "malformed", id="bad_tlv_length"),
        pytest.param({"faults": ["bad_bcd"]}, "malformed", id="bad_bcd"),
        pytest.param({"faults": ["truncated"]}, "malformed", id="truncated"),
        pytest.param({"faults": ["remove_mid_read"], "fault_after": 3}, "removed",
                     id="remove_mid_read"),
        pytest.param({"faults": ["remove_mid_read"], "fault_after": 0}, "removed",
                     id="remove_at_first_apdu"),
    ],
)
def test_each_fault_mode_is_reported_with_its_reason_and_the_reader_works_again(
    reader: PcscCardReader,
    events: EventRecorder,
    make_card: Callable[..., VirtualCard],
    fault: dict[str, Any],
    reason: str,
) -> None:
    card = make_card(**fault)
    card.insert()
    error = events.wait_for("reader_did_fail", SECONDS)
    assert isinstance(error, CardReaderError)
    assert error.reason == reason, error.message
    assert "card_did_read" not in events.names()
    if reason == "removed":
        assert card.pulled_by_fault.is_set()
        assert events.names()[-2:] in (
            ["card_did_insert", "reader_did_fail"],
            ["reader_did_fail", "card_did_remove"],
        )
    reads_a_good_card_again(events, card)
    assert events.names().count("reader_did_fail") == 1


def test_card_pulled_out_while_answering_reports_removed_and_delivers_no_card_data(
    reader: PcscCardReader, events: EventRecorder, make_card: Callable[..., VirtualCard]
) -> None:
    card = make_card(reply_delay=0.3)  # slow, well inside the 1 s exchange deadline
    card.insert()
    assert wait_until(lambda: len(card.apdu_log) >= 4, SECONDS)  # reading EF05 now
    card.remove()  # the socket closes while vpcd waits for the answer
    error = events.wait_for("reader_did_fail", SECONDS)
    assert error.reason == "removed"
    events.wait_for("card_did_remove", SECONDS)
    assert "card_did_read" not in events.names()
    assert events.names() == ["reader_did_add", "card_did_insert", "reader_did_fail",
                              "card_did_remove"]
    card.reply_delay = 0
    card.insert()
    assert events.wait_for("card_did_read", RECOVERY).region == "230102"


def test_card_that_stops_answering_then_is_pulled_out_reports_timeout_and_recovers(
    reader: PcscCardReader, events: EventRecorder, make_card: Callable[..., VirtualCard]
) -> None:
    card = make_card(faults=["mute"], fault_after=3, mute_seconds=3.0)
    card.insert()
    error = events.wait_for("reader_did_fail", SECONDS)
    assert error.reason == "timeout"  # the exchange deadline (1 s) ended the wait, not vpcd
    assert card.inserted  # still silent: vpcd is holding the reader
    assert events.wait_for("card_did_remove", SECONDS) == reader.status().name
    assert card.pulled_by_fault.is_set() and not card.inserted
    card.clear_faults()
    card.insert()
    assert events.wait_for("card_did_read", RECOVERY).region == "230102"
    assert events.of("reader_did_fail") == [error]


def test_slow_card_within_the_exchange_deadline_still_reads(
    reader: PcscCardReader, events: EventRecorder, make_card: Callable[..., VirtualCard]
) -> None:
    card = make_card(reply_delay=0.05)
    card.insert()
    assert events.wait_for("card_did_read", SECONDS).region == "230102"
    assert "reader_did_fail" not in events.names()


def _owned(pcscd: PcscDaemon) -> None:
    if not pcscd.owned:
        pytest.skip("pcscd was already running (not started by the tests): not killing it")


def test_pcscd_killed_while_idle_is_reported_once_and_the_reader_reads_after_its_restart(
    reader: PcscCardReader,
    events: EventRecorder,
    pcscd: PcscDaemon,
    make_card: Callable[..., VirtualCard],
) -> None:
    _owned(pcscd)
    pcscd.kill()
    assert events.wait_for("reader_did_fail", RECOVERY).reason == "no_service"
    events.wait_for("reader_did_remove", SECONDS)
    assert not reader.status().present and reader.is_running()
    pcscd.ensure_running()  # a new pcscd over the stale socket of the killed one
    events.wait_for("reader_did_add", RECOVERY, count=2)
    card = make_card()
    card.insert()
    assert events.wait_for("card_did_read", RECOVERY).region == "230102"
    assert events.names() == [
        "reader_did_add",
        "reader_did_remove",
        "reader_did_fail",
        "reader_did_add",
        "card_did_insert",
        "card_did_read",
    ]


def test_pcscd_killed_during_a_read_reports_no_service_once_and_no_card_data(
    reader: PcscCardReader,
    events: EventRecorder,
    pcscd: PcscDaemon,
    make_card: Callable[..., VirtualCard],
) -> None:
    _owned(pcscd)
    card = make_card(reply_delay=0.3)
    card.insert()
    assert wait_until(lambda: len(card.apdu_log) >= 2, SECONDS)  # mid-read
    pcscd.kill()
    error = events.wait_for("reader_did_fail", RECOVERY)
    assert error.reason == "no_service"
    assert card.wait_removed(SECONDS)  # vpcd died with pcscd and dropped the card
    events.wait_for("reader_did_remove", SECONDS)
    assert "card_did_read" not in events.names()
    pcscd.ensure_running()
    events.wait_for("reader_did_add", RECOVERY, count=2)
    card.reply_delay = 0
    card.insert()
    assert events.wait_for("card_did_read", RECOVERY).region == "230102"
    assert events.names().count("reader_did_fail") == 1  # one outage, one report
    assert events.names()[:5] == [  # the monitor's service check reports, after the removals
        "reader_did_add",
        "card_did_insert",
        "card_did_remove",
        "reader_did_remove",
        "reader_did_fail",
    ]
