"""The GA/T 467 backend end to end against the emulator on a real pseudo-terminal."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from devices.cards.base import CardReaderError, CardReadTimeout
from devices.cards.gat467 import frame as f
from devices.cards.gat467.reader import Gat467CardReader, format_sam_id
from devices.cards.gat467.text import CardType, ResidentIdCardData, UnsupportedCardError
from devices.sim.idreader.emulator import SAM_ID, CardImage, VirtualIdReader, load_holder
from tests.support.idreader import EmulatorProcess
from tests.support.pcsc import EventRecorder, wait_until

WAIT = 5.0  # every recovery must happen within 5 s


def make_reader(path: str, **options) -> Gat467CardReader:
    options = {"exchange_timeout": 0.5, "poll_interval": 0.05, "retry_interval": 0.2, **options}
    return Gat467CardReader(path, **options)


@pytest.fixture
def events() -> EventRecorder:
    return EventRecorder()


@pytest.fixture
def backend(
    virtual_id_reader: VirtualIdReader, events: EventRecorder
) -> Iterator[Gat467CardReader]:
    reader = make_reader(virtual_id_reader.path)
    reader.subscribe(events.callbacks())
    reader.start()
    events.wait_for("reader_did_add", WAIT)
    try:
        yield reader
    finally:
        reader.stop()
    assert not reader.is_running()


def polls(emulator: VirtualIdReader) -> int:
    return emulator.count(f.FIND_CARD)


def wait_polls(emulator: VirtualIdReader, n: int) -> None:
    """Let the backend poll ``n`` more times (counted by the emulator, not by the clock)."""
    target = polls(emulator) + n
    assert wait_until(lambda: polls(emulator) >= target, WAIT), "the backend stopped polling"


def test_a_placed_card_is_read_with_the_fixture_data(virtual_id_reader, backend, events) -> None:
    virtual_id_reader.place()
    card = events.wait_for("card_did_read", WAIT)
    assert isinstance(card, ResidentIdCardData)
    expected = load_holder()
    assert card.name == expected["name"]
    assert card.id_number == expected["id_number"]
    assert card.address == expected["address"]
    assert card.issuing_authority == expected["issuing_authority"]
    assert (card.gender, card.nation, card.birth_date) == ("男", "回", date(1948, 9, 15))
    assert (card.valid_from, card.valid_to) == (date(2015, 6, 1), None)
    assert card.photo_wlt == virtual_id_reader.card.photo and card.photo_image is None
    assert events.names() == ["reader_did_add", "card_did_insert", "card_did_read"]
    assert {thread for _n, _a, thread in events.events} == {"gat467-reader"}
    status = backend.status()
    assert status.present and status.card_present and status.backend == "gat467"
    assert format_sam_id(SAM_ID) in status.detail and backend.sam_id == format_sam_id(SAM_ID)


def test_a_card_lying_still_is_read_once_and_lifting_it_only_reports_removal(
    virtual_id_reader, backend, events
) -> None:
    virtual_id_reader.place()
    events.wait_for("card_did_read", WAIT)
    wait_polls(virtual_id_reader, 5)
    assert virtual_id_reader.count(f.READ_TEXT_PHOTO) == 1
    assert "card_did_remove" not in events.names()
    virtual_id_reader.lift()
    assert events.wait_for("card_did_remove", WAIT) == virtual_id_reader.path
    assert events.names()[-1] == "card_did_remove"
    assert "reader_did_fail" not in events.names()
    assert not backend.status().card_present


def test_a_reader_that_halts_a_read_card_reports_removal_then_reads_it_again(
    virtual_id_reader, backend, events
) -> None:
    virtual_id_reader.halt_after_read = True
    virtual_id_reader.place()
    events.wait_for("card_did_read", WAIT)
    events.wait_for("card_did_remove", WAIT)  # halted: "find card" no longer sees it
    virtual_id_reader.lift()
    virtual_id_reader.place()
    events.wait_for("card_did_read", WAIT, count=2)
    assert events.names().count("reader_did_fail") == 0


def test_request_read_reads_a_card_still_on_the_pad(virtual_id_reader, backend, events) -> None:
    virtual_id_reader.place()
    events.wait_for("card_did_read", WAIT)
    assert backend.read(WAIT).id_number == load_holder()["id_number"]
    assert virtual_id_reader.count(f.READ_TEXT_PHOTO) == 2


def test_split_writes_still_give_the_whole_card(virtual_id_reader, backend, events) -> None:
    virtual_id_reader.set_fault("split_writes")
    virtual_id_reader.place()
    assert events.wait_for("card_did_read", WAIT).id_number == load_holder()["id_number"]


def test_a_bad_checksum_is_retried_once_then_reported(virtual_id_reader, backend, events) -> None:
    virtual_id_reader.set_fault("bad_checksum")
    virtual_id_reader.place()
    error = events.wait_for("reader_did_fail", WAIT)
    assert error.reason == "checksum"
    assert virtual_id_reader.count(f.READ_TEXT_PHOTO) == 2
    assert "card_did_read" not in events.names()


def test_a_slow_read_times_out_and_the_late_answer_is_not_taken_for_the_next(
    virtual_id_reader, backend, events
) -> None:
    virtual_id_reader.set_fault("slow_reads")  # answers 1.5 s late; the deadline is ~0.5 s
    virtual_id_reader.place()
    error = events.wait_for("reader_did_fail", WAIT)
    assert isinstance(error, CardReadTimeout) and error.reason == "timeout"
    virtual_id_reader.set_fault("slow_reads", False)
    virtual_id_reader.lift()
    events.wait_for("card_did_remove", WAIT)
    virtual_id_reader.place()
    card = events.wait_for("card_did_read", WAIT)
    assert card.id_number == load_holder()["id_number"]
    assert "reader_did_remove" not in events.names()  # one slow answer is not a lost reader


def test_a_card_gone_before_the_read_is_reported_as_removed(
    virtual_id_reader, backend, events
) -> None:
    virtual_id_reader.set_fault("no_card")
    virtual_id_reader.place()
    error = events.wait_for("reader_did_fail", WAIT)
    assert error.reason == "removed"
    assert events.names()[-2:] == ["card_did_insert", "reader_did_fail"]


@pytest.mark.parametrize("kind", ["hmt", "foreigner", "foreigner2023"])
def test_permits_are_refused_with_a_clear_reason(virtual_id_reader, backend, events, kind) -> None:
    virtual_id_reader.place(CardImage.from_holder(None, kind))
    error = events.wait_for("reader_did_fail", WAIT)
    assert isinstance(error, UnsupportedCardError) and error.reason == "unsupported_card"
    assert error.card_type is not CardType.RESIDENT_ID
    assert "card_did_read" not in events.names()


def test_a_failed_sam_is_reported_and_recovers(virtual_id_reader, events) -> None:
    virtual_id_reader.set_fault("no_sam")
    reader = make_reader(virtual_id_reader.path)
    reader.subscribe(events.callbacks())
    reader.start()
    try:
        error = events.wait_for("reader_did_fail", WAIT)
        assert error.reason == "sam"
        status = reader.status()
        assert status.present and "security module" in status.detail
        virtual_id_reader.place()
        assert wait_until(lambda: virtual_id_reader.count(f.SAM_STATUS) >= 3, WAIT)
        assert "card_did_insert" not in events.names()
        virtual_id_reader.set_fault("no_sam", False)
        assert events.wait_for("card_did_read", WAIT).name == load_holder()["name"]
        assert "ready" in reader.status().detail
        assert events.names().count("reader_did_fail") == 1
    finally:
        reader.stop()


def test_the_port_vanishing_is_reported_and_a_new_reader_at_the_name_works(
    virtual_id_reader, backend, events, tmp_path
) -> None:
    virtual_id_reader.place()
    events.wait_for("card_did_read", WAIT)
    virtual_id_reader.stop()
    assert events.wait_for("reader_did_remove", WAIT) == virtual_id_reader.path
    error = events.wait_for("reader_did_fail", WAIT)
    assert error.reason == "no_service"
    assert events.names()[-3:] == ["card_did_remove", "reader_did_remove", "reader_did_fail"]
    assert not backend.status().present and "retrying" in backend.status().detail
    again = VirtualIdReader(link=virtual_id_reader.path).start()
    try:
        events.wait_for("reader_did_add", WAIT, count=2)
        again.place()
        assert events.wait_for("card_did_read", WAIT, count=2).name == load_holder()["name"]
        assert events.names().count("reader_did_fail") == 1  # one report per outage
    finally:
        again.stop()


def test_a_killed_emulator_process_is_reported_and_its_successor_works(tmp_path, events) -> None:
    link = tmp_path / "ttyGAT0"
    first = EmulatorProcess(link, "--placed").start()
    reader = make_reader(str(link))
    reader.subscribe(events.callbacks())
    reader.start()
    second = EmulatorProcess(link)
    try:
        events.wait_for("card_did_read", WAIT)
        first.kill()
        events.wait_for("reader_did_remove", WAIT)
        assert events.wait_for("reader_did_fail", WAIT).reason == "no_service"
        second.start()
        events.wait_for("reader_did_add", WAIT, count=2)
        assert second.command("place").startswith("ok")
        assert events.wait_for("card_did_read", WAIT, count=2).name == load_holder()["name"]
    finally:
        reader.stop()
        first.stop()
        assert second.stop() == 0


def test_a_port_that_never_existed_is_reported_once_and_read_waits(tmp_path, events) -> None:
    reader = make_reader(str(tmp_path / "no-such-tty"))
    reader.subscribe(events.callbacks())
    reader.start()
    try:
        error = events.wait_for("reader_did_fail", WAIT)
        assert error.reason == "no_service" and "no-such-tty" in error.message
        assert "cannot be opened" in reader.status().detail
        with pytest.raises(CardReadTimeout):
            reader.read(0.3)
        assert events.names() == ["reader_did_fail"]
    finally:
        reader.stop()


def test_a_silent_device_on_the_port_is_not_taken_for_a_reader(tmp_path, events) -> None:
    import os
    import tty

    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        reader = make_reader(os.ttyname(slave), exchange_timeout=0.2)
        reader.subscribe(events.callbacks())
        reader.start()
        error = events.wait_for("reader_did_fail", WAIT)
        assert error.reason == "no_service" and "does not answer" in error.message
        assert not reader.status().present
        reader.stop()
        assert "reader_did_add" not in events.names()
    finally:
        os.close(master)
        os.close(slave)


class PngDecoder:
    name = "test"

    def decode(self, wlt: bytes) -> bytes | None:
        return b"\x89PNG" + wlt[:3]


def test_a_photo_decoder_plugs_in(virtual_id_reader, events) -> None:
    reader = make_reader(virtual_id_reader.path, photo_decoder=PngDecoder())
    reader.subscribe(events.callbacks())
    reader.start()
    try:
        events.wait_for("reader_did_add", WAIT)
        virtual_id_reader.place()
        assert events.wait_for("card_did_read", WAIT).photo_image == b"\x89PNGWLf"
    finally:
        reader.stop()


def test_no_personal_data_reaches_the_logs(virtual_id_reader, backend, events, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    virtual_id_reader.place()
    events.wait_for("card_did_read", WAIT)
    virtual_id_reader.lift()
    events.wait_for("card_did_remove", WAIT)
    virtual_id_reader.place(CardImage.from_holder(None, "hmt"))
    events.wait_for("reader_did_fail", WAIT)
    holder = load_holder()
    text = caplog.text + "".join(repr(arg) for _n, arg, _t in events.events)
    for secret in (holder["name"], holder["id_number"], holder["address"], "示例街"):
        assert secret not in text


def test_errors_carry_plain_words(virtual_id_reader, backend, events) -> None:
    virtual_id_reader.set_fault("no_card")
    virtual_id_reader.place()
    error: CardReaderError = events.wait_for("reader_did_fail", WAIT)
    assert "place it again" in error.message


def test_the_emulator_main_prints_its_tty_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = EmulatorProcess(tmp_path / "ttyGAT0", "--card", "hmt").start()
    assert process.tty_path.startswith("/dev/pts/")
    assert (tmp_path / "ttyGAT0").resolve() == Path(process.tty_path).resolve()
    assert "Ctrl-C" in process.lines[0] and "230103194809150237" not in process.lines[0]
    assert process.command("fault bogus").startswith("error")
    assert process.stop() == 0
    assert not (tmp_path / "ttyGAT0").exists()
