"""Property-based fuzzing of the social-security card's TLV and record parsing.

Whatever the card answers, ``read_social_security_card`` raises only ``CardReaderError`` or
returns a complete ``CardData``; it never asks the card more than a fixed number of times, so a
card cannot keep it busy (nothing hangs).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.cards.base import CardData, CardReaderError
from devices.cards.pcsc.ssse import EF05_TAGS, EF06_TAGS, parse_records, read_social_security_card
from devices.sim.card.faults import FAULTS
from devices.sim.card.vcard import VirtualCard

# SELECT SSSE + 2 x (SELECT file + records), each answer at most followed by 8 GET RESPONSEs
# and one Le retry: a generous ceiling on what a well-behaved reader may ever send.
MAX_APDUS = (1 + 2 + len(EF05_TAGS) + len(EF06_TAGS)) * 10
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class RunawayReaderError(BaseException):
    """Raised by a fuzzed card asked too often; BaseException so no handler can swallow it."""


def assert_complete(data: CardData) -> None:
    """A CardData that escaped the parser is whole: never a half-filled identity."""
    assert data.name and data.id_number.isalnum() and data.id_number.isascii()
    assert len(data.region) == 6 and data.region.isdigit()


def read_or_refuse(transmit: Any) -> CardData | None:
    try:
        data = read_social_security_card(transmit)
    except CardReaderError as error:
        assert error.reason in {"malformed", "not_ssc", "io"}, error.reason
        assert error.message
        return None
    assert_complete(data)
    return data


tlv_values = st.binary(max_size=40)


@FUZZ
@given(
    st.dictionaries(st.sampled_from(sorted(EF05_TAGS)), tlv_values),
    st.dictionaries(st.sampled_from(sorted(EF06_TAGS)), tlv_values),
)
def test_fuzz_record_values_only_raise_card_reader_errors(
    ef05: dict[int, bytes], ef06: dict[int, bytes]
) -> None:
    try:
        data = parse_records(ef05, ef06)
    except CardReaderError:
        return
    assert_complete(data)


@FUZZ
@given(st.data())
def test_fuzz_any_answer_to_any_apdu_only_raises_card_reader_errors(data: st.DataObject) -> None:
    """The card answers every APDU with bytes hypothesis chooses, status words included."""
    calls = 0
    status = st.sampled_from([b"\x90\x00", b"\x61\x05", b"\x6c\x12", b"\x6a\x83", b"\x6f\x00"])
    answer = st.one_of(st.binary(max_size=60), st.tuples(st.binary(max_size=40), status).map(
        lambda parts: parts[0] + parts[1]))

    def transmit(apdu: bytes) -> bytes:
        nonlocal calls
        calls += 1
        if calls > MAX_APDUS:
            raise RunawayReaderError(f"{calls} APDUs")
        return bytes(data.draw(answer))

    read_or_refuse(transmit)


@FUZZ
@given(
    st.dictionaries(st.sampled_from(sorted(EF05_TAGS)), tlv_values),
    st.dictionaries(st.sampled_from(sorted(EF06_TAGS)), tlv_values),
    st.sets(st.sampled_from([f for f in FAULTS if f not in ("slow", "mute", "remove_mid_read")])),
    st.integers(0, 20),
)
def test_fuzz_a_virtual_card_with_random_records_and_faults(
    ef05: dict[int, bytes], ef06: dict[int, bytes], faults: set[str], fault_after: int
) -> None:
    """Real card logic with random record contents, lengths and fault modes."""
    card = VirtualCard(faults=sorted(faults), fault_after=fault_after)
    card.files[b"\xef\x05"].update(ef05)
    card.files[b"\xef\x06"].update(ef06)
    read_or_refuse(card.process_apdu)
    assert len(card.apdu_log) <= MAX_APDUS


@FUZZ
@given(st.data())
def test_fuzz_one_mangled_answer_in_a_good_read(data: st.DataObject) -> None:
    """A good card with one answer cut, extended, or with a byte changed."""
    card = VirtualCard()
    target = data.draw(st.integers(0, 14))
    seen = 0

    def transmit(apdu: bytes) -> bytes:
        nonlocal seen
        reply = card.process_apdu(apdu)
        seen += 1
        if seen > MAX_APDUS:
            raise RunawayReaderError(f"{seen} APDUs")
        if seen - 1 != target:
            return reply
        how = data.draw(st.sampled_from(["cut", "extend", "flip"]))
        if how == "cut":
            return reply[: data.draw(st.integers(0, max(0, len(reply) - 1)))]
        if how == "extend":
            return reply[:-2] + data.draw(st.binary(min_size=1, max_size=8)) + reply[-2:]
        at = data.draw(st.integers(0, len(reply) - 1))
        flipped = reply[at] ^ data.draw(st.integers(1, 255))
        return reply[:at] + bytes([flipped]) + reply[at + 1 :]

    read_or_refuse(transmit)  # a changed data byte may read as other, well-formed data


@FUZZ
@given(st.binary(max_size=20), st.integers(0x00, 0xFF), st.sampled_from([0x61, 0x6C, 0x90]))
def test_fuzz_a_card_that_repeats_one_answer_forever_is_asked_a_bounded_number_of_times(
    data: bytes, sw2: int, sw1: int
) -> None:
    """61xx (more data) or 6Cxx (wrong length) for ever must not keep the reader asking."""
    calls = 0

    def transmit(apdu: bytes) -> bytes:
        nonlocal calls
        calls += 1
        if calls > MAX_APDUS:
            raise RunawayReaderError(f"{calls} APDUs")
        return data + bytes([sw1, sw2])

    read_or_refuse(transmit)
