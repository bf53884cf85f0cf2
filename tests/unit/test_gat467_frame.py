"""GA/T 467 frame codec: the command frames of DEVICES.md, the incremental decoder, SW words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.cards.base import CardReaderError
from devices.cards.gat467 import frame as f

DEVICES_MD_FRAMES = {
    f.RESET_SAM: "AA AA AA 96 69 00 03 10 FF EC",
    f.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    f.SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    f.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    f.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    f.READ_TEXT_PHOTO: "AA AA AA 96 69 00 03 30 01 32",
}


def drain(decoder: f.FrameDecoder) -> tuple[list[bytes], list[str]]:
    """Every frame and error the decoder can give now; fails if it does not come to rest."""
    frames: list[bytes] = []
    errors: list[str] = []
    for _ in range(decoder.pending + 2):  # each call consumes bytes or ends the loop
        try:
            payload = decoder.next_frame()
        except f.FrameError as exc:
            errors.append(exc.reason)
            continue
        if payload is None:
            return frames, errors
        frames.append(payload)
    pytest.fail("the decoder did not come to rest")


@pytest.mark.parametrize(("command", "expected"), DEVICES_MD_FRAMES.items())
def test_commands_encode_to_the_frames_of_the_standard(command, expected) -> None:
    assert f.encode_command(command) == bytes.fromhex(expected)


def test_a_reply_arriving_one_byte_at_a_time_is_assembled() -> None:
    wire = f.encode_reply(f.SW_CARD_FOUND, bytes(4))
    assert wire == bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    decoder = f.FrameDecoder()
    seen = []
    for b in wire:
        decoder.feed(bytes([b]))
        seen.append(decoder.next_frame())
    assert seen[:-1] == [None] * (len(wire) - 1)
    reply = f.Reply.parse(seen[-1])
    assert (reply.sw1, reply.sw2, reply.sw3, reply.data, reply.ok) == (0, 0, 0x9F, bytes(4), True)


def test_a_full_read_reply_is_1295_bytes() -> None:
    data = (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + bytes(256 + 1024)
    assert len(f.encode_reply(f.SW_OK, data)) == 1295


def test_noise_before_a_frame_is_skipped_and_counted() -> None:
    decoder = f.FrameDecoder()
    decoder.feed(b"\x00\xaa\x13\xaa\xaa" + f.encode_reply(f.SW_OK))
    assert drain(decoder) == ([b"\x00\x00\x90"], [])
    assert decoder.skipped == 5


def test_a_preamble_split_across_feeds_is_kept() -> None:
    wire = f.encode_reply(f.SW_OK, b"xyz")
    decoder = f.FrameDecoder()
    decoder.feed(b"junk" + wire[:4])
    assert decoder.next_frame() is None
    decoder.feed(wire[4:])
    assert decoder.next_frame() == b"\x00\x00\x90xyz"


def test_a_bad_checksum_raises_once_and_the_next_frame_still_decodes() -> None:
    bad = bytearray(f.encode_reply(f.SW_OK, b"abc"))
    bad[-1] ^= 0x01
    decoder = f.FrameDecoder()
    decoder.feed(bytes(bad) + f.encode_reply(f.SW_FIND_FAILED))
    frames, errors = drain(decoder)
    assert errors == ["checksum"]
    assert frames == [b"\x00\x00\x80"]


@pytest.mark.parametrize("length", [0, 1, 2, f.MAX_LENGTH + 1, 0xFFFF])
def test_an_impossible_length_is_refused_without_waiting_for_its_bytes(length: int) -> None:
    decoder = f.FrameDecoder()
    decoder.feed(f.PREAMBLE + length.to_bytes(2, "big") + f.encode_reply(f.SW_OK))
    frames, errors = drain(decoder)
    assert errors == ["malformed"]
    assert frames == [b"\x00\x00\x90"]


def test_frame_errors_are_card_reader_errors() -> None:
    assert issubclass(f.FrameError, CardReaderError)


@pytest.mark.parametrize(
    ("sw3", "reason"),
    [
        (0x90, "ok"),
        (0x9F, "ok"),
        (0x80, "no_card"),
        (0x81, "removed"),
        (0x41, "removed"),
        (0x10, "checksum"),
        (0x11, "malformed"),
        (0x21, "io"),
        (0x31, "auth"),
        (0x32, "auth"),
        (0x33, "auth"),
        (0x60, "sam"),
        (0x77, "io"),
    ],
)
def test_status_words_map_to_plain_reasons(sw3: int, reason: str) -> None:
    got, words = f.describe_status(sw3)
    assert got == reason
    assert words and words[0].isupper()


def test_a_failed_find_during_a_read_means_the_card_left() -> None:
    error = f.reply_error(f.Reply(0, 0, f.SW_FIND_FAILED, b""), "reading")
    assert error.reason == "removed"


def test_unknown_sw1_sw2_is_an_io_error_naming_the_code() -> None:
    error = f.reply_error(f.Reply(0x6A, 0x82, 0x90, b""), "reading")
    assert error.reason == "io" and "6A8290" in error.message


def test_a_reply_repr_shows_no_data() -> None:
    reply = f.Reply(0, 0, 0x90, "孙德明".encode("utf-16-le"))
    assert "孙" not in repr(reply) and "5b59" not in repr(reply).lower()


def test_a_payload_too_long_to_frame_is_refused() -> None:
    with pytest.raises(ValueError):
        f.encode_frame(bytes(f.MAX_LENGTH))


# --- fuzzing -----------------------------------------------------------------------------------

chunks = st.lists(st.binary(max_size=64), max_size=40)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks)
def test_fuzz_any_bytes_in_any_pieces_only_raise_frame_errors(pieces: list[bytes]) -> None:
    decoder = f.FrameDecoder()
    for piece in pieces:
        decoder.feed(piece)
        frames, _errors = drain(decoder)
        for payload in frames:
            assert len(payload) >= 2


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks)
def test_fuzz_noise_after_preamble_and_length_only_raises_frame_errors(pieces) -> None:
    decoder = f.FrameDecoder()
    for piece in pieces:
        decoder.feed(f.PREAMBLE + piece)
        drain(decoder)


payloads = st.lists(st.binary(min_size=2, max_size=300), min_size=1, max_size=6)
noise = st.binary(max_size=20).filter(lambda b: b"\xaa" not in b)


@settings(max_examples=300, deadline=None)
@given(payloads, st.lists(noise, min_size=7, max_size=7), st.data())
def test_fuzz_framed_payloads_between_noise_come_back_in_order(items, gaps, data) -> None:
    wire = b"".join(gap + f.encode_frame(p) for gap, p in zip(gaps, items, strict=False))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(wire)), max_size=30)))
    decoder = f.FrameDecoder()
    got: list[bytes] = []
    for start, end in zip([0, *cuts], [*cuts, len(wire)], strict=True):
        decoder.feed(wire[start:end])
        frames, errors = drain(decoder)
        assert errors == []
        got += frames
    assert got == items
