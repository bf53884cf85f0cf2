"""The virtual card's fault modes without pcscd: its answers in process, its socket against a
stand-in for vpcd on a loopback port, and the ``kiosk sim card`` options that switch them on."""

from __future__ import annotations

import io
import queue
import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from devices.cards.base import CardReaderError
from devices.cards.pcsc.ssse import SELECT_SSSE, read_social_security_card
from devices.sim.card import cli as vcard_cli
from devices.sim.card.faults import FAULTS, FaultSettings, corrupt_record, parse_sw
from devices.sim.card.vcard import VirtualCard, load_holder
from tests.support.pcsc import wait_until

SELECT_EF05 = b"\x00\xa4\x02\x00\x02\xef\x05"
READ_CARD_NUMBER = b"\x00\xb2\x07\x00\x0b"


def reason_of(card: VirtualCard) -> str:
    with pytest.raises(CardReaderError) as raised:
        read_social_security_card(card.process_apdu)
    return raised.value.reason


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"faults": ["wrong_sw"]}, "malformed"),  # a READ RECORD answered 6F00
        ({"faults": ["wrong_sw"], "fault_after": 0, "wrong_sw": b"\x6a\x82"}, "not_ssc"),
        ({"faults": ["wrong_sw"], "fault_after": 0, "wrong_sw": b"\x6e\x00"}, "not_ssc"),
        ({"faults": ["wrong_sw"], "fault_after": 0, "wrong_sw": b"\x6f\x00"}, "malformed"),
        ({"faults": ["wrong_sw"], "fault_after": 0, "wrong_sw": b"\x65\x81"}, "malformed"),
        ({"faults": ["wrong_sw"], "fault_after": 1, "wrong_sw": b"\x6a\x82"}, "malformed"),
        ({"faults": ["wrong_sw"], "fault_after": 5, "wrong_sw": b"\x6a\x83"}, "malformed"),
        ({"faults": ["bad_tlv_length"]}, "malformed"),
        ({"faults": ["bad_bcd"]}, "malformed"),
        ({"faults": ["truncated"]}, "malformed"),
        ({"faults": ["truncated", "bad_tlv_length"]}, "malformed"),
    ],
)
def test_answer_faults_give_the_reason_the_kiosk_shows(kwargs: dict, reason: str) -> None:
    assert reason_of(VirtualCard(**kwargs)) == reason


def test_a_card_in_an_application_without_its_file_is_damaged_not_foreign() -> None:
    card = VirtualCard()
    del card.files[b"\xef\x06"]
    assert reason_of(card) == "malformed"


def test_faults_switch_on_and_off_on_a_live_card() -> None:
    card = VirtualCard()
    assert read_social_security_card(card.process_apdu).region == "230102"
    card.set_fault("bad_bcd")
    assert card.faults == {"bad_bcd"} and reason_of(card) == "malformed"
    card.set_fault("bad_bcd", on=False)
    card.set_fault("truncated")
    assert reason_of(card) == "malformed"
    card.clear_faults()
    assert read_social_security_card(card.process_apdu).region == "230102"


def test_wrong_sw_strikes_after_the_counted_apdus_and_stays() -> None:
    card = VirtualCard(faults=["wrong_sw"], fault_after=2, wrong_sw=b"\x69\x82")
    assert card.process_apdu(SELECT_SSSE) == b"\x90\x00"
    assert card.process_apdu(SELECT_EF05) == b"\x90\x00"
    assert card.process_apdu(READ_CARD_NUMBER) == b"\x69\x82"
    assert card.process_apdu(SELECT_EF05) == b"\x69\x82"


def test_record_faults_change_exactly_what_they_name() -> None:
    record = b"\x06\x04\x20\x29\x06\x01"  # expiry 2029-06-01, BCD
    assert corrupt_record(record, set()) == record
    assert corrupt_record(record, {"bad_bcd"}) == b"\x06\x04\x2a\x29\x06\x01"
    assert corrupt_record(record, {"bad_tlv_length"}) == b"\x06\x07\x20\x29\x06\x01"
    assert corrupt_record(record, {"truncated"}) == b"\x06\x04\x20\x29"
    name = b"\x09\x03abc"
    assert corrupt_record(name, {"bad_bcd"}) == name  # text fields are not BCD


def test_the_slow_alias_reply_delay_is_the_slow_fault() -> None:
    card = VirtualCard(reply_delay=0.4)
    assert card.faults == {"slow"} and card.reply_delay == 0.4
    card.reply_delay = 0
    assert card.faults == frozenset() and card.reply_delay == 0.0
    assert "faults=none" in repr(card)
    card.set_fault("mute")
    assert "faults=mute" in repr(card)
    holder = load_holder()
    assert holder["name"] not in repr(card) and holder["id_number"] not in repr(card)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"faults": ["sticky"]},
        {"mute_seconds": 0},
        {"mute_seconds": float("inf")},
        {"wrong_sw": b"\x90\x00"},
        {"wrong_sw": b"\x61\x10"},
        {"wrong_sw": b"\x6f"},
        {"fault_after": -1},
    ],
)
def test_impossible_fault_settings_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        VirtualCard(**kwargs)


def test_unknown_fault_on_a_live_card_is_refused_and_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="remove_mid_read"):
        VirtualCard().set_fault("sticky")
    assert set(FAULTS) >= FaultSettings(active={"slow", "mute"}).active


# --- the card's socket against a stand-in for vpcd ------------------------------------------


class FakeVpcd:
    """The vpcd side of the socket protocol, on a loopback port of its own."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self) -> None:
        self.listener.settimeout(5.0)
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(5.0)

    def send(self, payload: bytes) -> None:
        assert self.conn is not None
        self.conn.sendall(struct.pack(">H", len(payload)) + payload)

    def receive(self) -> bytes | None:
        """One framed reply, or None when the card closed its socket."""
        assert self.conn is not None
        header = self._exact(2)
        return None if header is None else self._exact(struct.unpack(">H", header)[0])

    def _exact(self, size: int) -> bytes | None:
        assert self.conn is not None
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.listener.close()


@pytest.fixture
def vpcd() -> Iterator[FakeVpcd]:
    fake = FakeVpcd()
    yield fake
    fake.close()


def insert(vpcd: FakeVpcd, **kwargs: object) -> VirtualCard:
    card = VirtualCard(port=vpcd.port, **kwargs)  # type: ignore[arg-type]
    card.insert()
    vpcd.accept()
    return card


def test_mute_card_stays_silent_then_pulls_itself_out(vpcd: FakeVpcd) -> None:
    card = insert(vpcd, faults=["mute"], fault_after=1, mute_seconds=1.0)
    try:
        vpcd.send(b"\x04")
        assert vpcd.receive() == card.atr
        vpcd.send(SELECT_SSSE)
        assert vpcd.receive() == b"\x90\x00"
        vpcd.send(SELECT_EF05)
        assert vpcd.receive() is None  # no answer at all: the socket closed, the card is out
        assert card.pulled_by_fault.is_set()
        assert wait_until(lambda: not card.inserted, 2.0)
        assert card.apdu_log[-1] == SELECT_EF05
    finally:
        card.close()


def test_remove_mid_read_closes_the_socket_instead_of_answering(vpcd: FakeVpcd) -> None:
    card = insert(vpcd, faults=["remove_mid_read"], fault_after=0, mute_seconds=60.0)
    try:
        vpcd.send(SELECT_SSSE)
        assert vpcd.receive() is None  # at once: the 60 s of mute do not apply
        assert card.pulled_by_fault.is_set()
    finally:
        card.close()


def test_slow_card_still_answers_atr_polls_and_then_the_apdu(vpcd: FakeVpcd) -> None:
    card = insert(vpcd, reply_delay=0.2)
    try:
        vpcd.send(b"\x04")
        assert vpcd.receive() == card.atr
        vpcd.send(SELECT_SSSE)
        assert vpcd.receive() == b"\x90\x00"
        assert not card.pulled_by_fault.is_set()
    finally:
        card.close()


def test_removing_a_mute_card_ends_its_silence_at_once(vpcd: FakeVpcd) -> None:
    card = insert(vpcd, faults=["mute"], fault_after=0, mute_seconds=600.0)
    vpcd.send(SELECT_SSSE)
    assert wait_until(lambda: len(card.apdu_log) == 1, 2.0)
    card.remove(timeout=2.0)
    assert card.wait_removed(0.1) and vpcd.receive() is None
    assert not card.pulled_by_fault.is_set()  # taken out by hand, not by the fault


# --- kiosk sim card ---------------------------------------------------------------------------


def test_cli_refuses_unknown_fault_names_and_bad_settings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        vcard_cli.main(["--fault", "sticky"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit):
        vcard_cli.main(["--wrong-sw", "6F"])
    assert vcard_cli.main(["--mute-seconds", "0"], stdin=io.StringIO("")) == 2
    assert "mute_seconds" in capsys.readouterr().err
    assert parse_sw("6a 82") == b"\x6a\x82"


def test_cli_inserts_with_faults_and_takes_live_commands(
    vpcd: FakeVpcd, capsys: pytest.CaptureFixture[str]
) -> None:
    """The card CLI against the stand-in vpcd: --fault, then live fault/clear/quit on stdin."""
    lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
    stdin = iter(lines.get, None)
    done: list[int] = []
    args = ["--port", str(vpcd.port), "--fault", "wrong_sw", "--fault-after", "1",
            "--wrong-sw", "6581"]
    runner = threading.Thread(target=lambda: done.append(vcard_cli.main(args, stdin=stdin)))
    runner.start()
    try:
        vpcd.accept()
        vpcd.send(SELECT_SSSE)
        assert vpcd.receive() == b"\x90\x00"
        vpcd.send(SELECT_EF05)
        assert vpcd.receive() == b"\x65\x81"
        for line in ("fault bad_bcd", "fault -wrong_sw", "fault sticky", "clear"):
            lines.put(line)

        def answers_again() -> bool:
            vpcd.send(SELECT_EF05)
            return vpcd.receive() == b"\x90\x00"

        assert wait_until(answers_again, 5.0)  # the live card took the commands
    finally:
        lines.put("quit")
        lines.put(None)  # end of input: the command thread ends too
        runner.join(5.0)
    assert done == [0]
    out = capsys.readouterr().out
    assert "fault modes: wrong_sw" in out
    assert "fault modes: bad_bcd, wrong_sw" in out and "fault modes: bad_bcd\n" in out
    assert "unknown fault mode 'sticky'" in out and "fault modes: none" in out
    assert "2301**********015X" in out and load_holder()["id_number"] not in out
    assert out.rstrip().endswith("card removed")
