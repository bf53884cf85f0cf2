"""The GA/T 467 emulator on its own: state machine, answers to bad frames, pacing."""

from __future__ import annotations

import os
import select
import time

import pytest

from devices.cards.gat467 import frame as f
from devices.sim.idreader.emulator import VirtualIdReader


def reply_to(emulator: VirtualIdReader, command: tuple[int, int]) -> f.Reply:
    wire, _delay = emulator.answer(bytes(command))
    decoder = f.FrameDecoder()
    decoder.feed(wire)
    payload = decoder.next_frame()
    assert payload is not None
    return f.Reply.parse(payload)


def test_find_select_read_in_order_and_lift() -> None:
    emu = VirtualIdReader()
    assert reply_to(emu, f.FIND_CARD).sw3 == f.SW_FIND_FAILED
    emu.place()
    assert reply_to(emu, f.SELECT_CARD).sw3 == f.SW_SELECT_FAILED  # not found yet
    assert reply_to(emu, f.READ_TEXT_PHOTO).sw3 == f.SW_READ_FAILED
    assert reply_to(emu, f.FIND_CARD).sw3 == f.SW_CARD_FOUND
    assert reply_to(emu, f.SELECT_CARD).sw3 == f.SW_OK
    read = reply_to(emu, f.READ_TEXT_PHOTO)
    assert read.sw3 == f.SW_OK and len(read.data) == 4 + 256 + 1024
    emu.lift()
    assert reply_to(emu, f.FIND_CARD).sw3 == f.SW_FIND_FAILED


def test_a_halted_card_is_not_found_until_placed_again() -> None:
    emu = VirtualIdReader(halt_after_read=True)
    emu.place()
    for command in (f.FIND_CARD, f.SELECT_CARD, f.READ_TEXT_PHOTO):
        assert reply_to(emu, command).ok
    assert reply_to(emu, f.FIND_CARD).sw3 == f.SW_FIND_FAILED
    assert reply_to(emu, f.RESET_SAM).ok  # the field goes off and on: the card wakes up
    assert reply_to(emu, f.FIND_CARD).sw3 == f.SW_CARD_FOUND


def test_no_sam_answers_self_test_failure_to_everything() -> None:
    emu = VirtualIdReader(faults=["no_sam"])
    emu.place()
    for command in (f.SAM_STATUS, f.SAM_ID, f.FIND_CARD, f.READ_TEXT_PHOTO):
        assert reply_to(emu, command).sw3 == f.SW_SAM_SELF_TEST


def test_unknown_commands_and_faults_are_refused() -> None:
    emu = VirtualIdReader()
    assert reply_to(emu, (0x99, 0x01)).sw3 == f.SW_BAD_COMMAND
    with pytest.raises(ValueError):
        VirtualIdReader(faults=["smoke"])
    with pytest.raises(ValueError):
        emu.set_fault("smoke")


def exchange_on_pty(emu: VirtualIdReader, wire: bytes, expect: int) -> tuple[bytes, float]:
    fd = os.open(emu.tty_path, os.O_RDWR | os.O_NOCTTY)
    try:
        start = time.monotonic()
        os.write(fd, wire)
        got = b""
        while len(got) < expect:
            ready, _, _ = select.select([fd], [], [], 5.0)
            assert ready, f"only {len(got)} of {expect} bytes came"
            got += os.read(fd, 4096)
        return got, time.monotonic() - start
    finally:
        os.close(fd)


def test_a_bad_command_checksum_is_answered_with_sw_10() -> None:
    emu = VirtualIdReader().start()
    try:
        bad = bytearray(f.encode_command(f.FIND_CARD))
        bad[-1] ^= 0xFF
        got, _ = exchange_on_pty(emu, bytes(bad), 11)
        assert got == f.encode_reply(f.SW_CHECKSUM)
    finally:
        emu.stop()


def test_output_is_paced_at_the_baud_rate() -> None:
    """A lower bound only: the 1,295-byte answer cannot arrive before its wire time."""
    baud = 38400
    emu = VirtualIdReader(baudrate=baud).start()
    try:
        emu.place()
        commands = b"".join(
            f.encode_command(c) for c in (f.FIND_CARD, f.SELECT_CARD, f.READ_TEXT_PHOTO)
        )
        got, elapsed = exchange_on_pty(emu, commands, 15 + 19 + 1295)
        assert len(got) == 15 + 19 + 1295
        assert elapsed >= (15 + 19 + 1295) * 10 / baud
    finally:
        emu.stop()
