"""The social-security card logic against the virtual card's APDU logic (no pcscd needed)."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

from devices.cards.base import CardData, CardKind, CardReaderError
from devices.cards.pcsc.ssse import SELECT_SSSE, read_social_security_card
from devices.masking import mask_card_number, mask_id_number, mask_name
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.card.vcard import VirtualCard, load_holder
from tests.support.pcsc import EventRecorder

EF05, EF06 = b"\xef\x05", b"\xef\x06"


@pytest.fixture
def holder() -> dict[str, str]:
    return load_holder()


def test_fixture_holder_is_consistent_fictional_person(holder: dict[str, str]) -> None:
    from kiosk.id_numbers import validate_id_number

    assert validate_id_number(holder["id_number"], today=date(2026, 11, 21)).ok
    assert holder["id_number"][:6] == holder["region"] == "230102"
    assert holder["id_number"][6:14] == holder["birth_date"]
    assert holder["card_id_code"].startswith(holder["region"]) and len(holder["card_id_code"]) == 16
    assert len(holder["card_number"]) == 9
    assert int(holder["id_number"][16]) % 2 == (1 if holder["gender"] == "1" else 0)


def test_fixture_file_is_packaged_data_read_through_importlib_resources() -> None:
    raw = (resources.files("assets") / "sim" / "ssc_holder.json").read_text(encoding="utf-8")
    assert json.loads(raw)["name"] == load_holder()["name"]


def test_reading_the_virtual_ssc_returns_every_holder_field(holder: dict[str, str]) -> None:
    data = read_social_security_card(VirtualCard().process_apdu)
    assert data.kind is CardKind.SOCIAL_SECURITY
    assert data.name == holder["name"]
    assert data.gender == "男"
    assert data.nation == "汉"
    assert data.birth_date == date.fromisoformat(holder["birth_date"])
    assert data.id_number == holder["id_number"]
    assert data.card_number == holder["card_number"]
    assert data.region == "230102"
    assert data.valid_from == date(2019, 6, 1)
    assert data.valid_to == date(2029, 6, 1)
    assert data.address == "" and data.issuing_authority == ""


def test_select_answered_with_61xx_is_followed_by_get_response() -> None:
    card = VirtualCard(fci_via_get_response=True)
    assert card.process_apdu(SELECT_SSSE)[0] == 0x61
    card = VirtualCard(fci_via_get_response=True)
    data = read_social_security_card(card.process_apdu)
    assert data.region == "230102"
    assert card.apdu_log[1][:4] == b"\x00\xc0\x00\x00"


def test_wrong_le_is_reissued_with_the_length_the_card_names(holder: dict[str, str]) -> None:
    card = VirtualCard()
    sent: list[bytes] = []

    def transmit(apdu: bytes) -> bytes:
        if apdu[1] == 0xB2 and not any(a[1] == 0xB2 for a in sent):  # spoil the first Le
            apdu = apdu[:4] + b"\x05"
        sent.append(apdu)
        return card.process_apdu(apdu)

    data = read_social_security_card(transmit)
    assert data.region == holder["region"]
    reads = [a for a in sent if a[1] == 0xB2]
    assert reads[0] == b"\x00\xb2\x01\x00\x05"
    assert reads[1] == b"\x00\xb2\x01\x00\x12"  # 16 bytes + tag + length, as the card said


def test_bank_card_is_refused_as_not_a_social_security_card() -> None:
    with pytest.raises(CardReaderError) as raised:
        read_social_security_card(VirtualCard(profile="bank").process_apdu)
    assert raised.value.reason == "not_ssc"
    assert "not a social-security card" in str(raised.value)
    assert "ID card" in raised.value.message


def test_missing_required_record_is_reported_malformed() -> None:
    card = VirtualCard()
    del card.files[EF06][0x09]
    with pytest.raises(CardReaderError) as raised:
        read_social_security_card(card.process_apdu)
    assert raised.value.reason == "malformed"


def test_missing_optional_records_are_left_empty_and_zero_expiry_means_none() -> None:
    card = VirtualCard()
    del card.files[EF06][0x0B]
    del card.files[EF05][0x03]
    card.files[EF05][0x06] = b"\x00\x00\x00\x00"
    data = read_social_security_card(card.process_apdu)
    assert data.nation == "" and data.valid_to is None and data.name


def test_non_bcd_date_is_reported_malformed() -> None:
    card = VirtualCard()
    card.files[EF05][0x06] = b"\x20\x2a\x01\x01"
    with pytest.raises(CardReaderError) as raised:
        read_social_security_card(card.process_apdu)
    assert raised.value.reason == "malformed"


def test_tlv_with_wrong_tag_is_reported_malformed() -> None:
    card = VirtualCard()

    def transmit(apdu: bytes) -> bytes:
        reply = card.process_apdu(apdu)
        return (b"\x42" + reply[1:]) if apdu[1] == 0xB2 else reply

    with pytest.raises(CardReaderError) as raised:
        read_social_security_card(transmit)
    assert raised.value.reason == "malformed"


def test_response_without_status_word_is_reported_malformed() -> None:
    with pytest.raises(CardReaderError) as raised:
        read_social_security_card(lambda apdu: b"\x90")
    assert raised.value.reason == "malformed"


def test_foreign_transport_exception_becomes_card_reader_error_io() -> None:
    def transmit(apdu: bytes) -> bytes:
        raise ConnectionResetError("gone")

    with pytest.raises(CardReaderError) as raised:
        read_social_security_card(transmit)
    assert raised.value.reason == "io"


def test_name_padding_is_stripped_and_gbk_decoded() -> None:
    card = VirtualCard()
    raw = card.files[EF06][0x09]
    assert len(raw) == 30 and raw.endswith(b"\x00")
    assert read_social_security_card(card.process_apdu).name == load_holder()["name"]


@pytest.mark.parametrize(
    ("apdu", "expected_tail"),
    [
        (b"\x00\xb2\x08\x04\x14", b"\x90\x00"),  # by record number in the current EF
        (b"\x00\xb2\x08\x00\x14", b"\x90\x00"),  # by tag
        (b"\x00\xb2\x08\x34\x14", b"\x90\x00"),  # by SFI 6: (6 << 3) | 4
        (b"\x00\xb2\x08\x3c\x14", b"\x6a\x82"),  # SFI 7: unknown file
        (b"\x00\xb2\x0e\x00\x05", b"\x6a\x83"),  # no record 0E
        (b"\x00\xb2\x08\x00\x05", b"\x6c\x14"),  # wrong Le: 18 bytes + tag + length
    ],
)
def test_virtual_card_answers_read_record_forms(apdu: bytes, expected_tail: bytes) -> None:
    card = VirtualCard()
    assert card.process_apdu(SELECT_SSSE) == b"\x90\x00"
    assert card.process_apdu(b"\x00\xa4\x00\x00\x02\xef\x06") == b"\x90\x00"  # P1=00 variant
    reply = card.process_apdu(apdu)
    assert reply[-2:] == expected_tail
    if expected_tail == b"\x90\x00":
        assert reply[:2] == b"\x08\x12" and reply[2:20] == load_holder()["id_number"].encode()


def test_virtual_card_refuses_unknown_file_and_reads_before_select() -> None:
    card = VirtualCard()
    assert card.process_apdu(b"\x00\xb2\x08\x00\x14") == b"\x6a\x82"
    card.process_apdu(SELECT_SSSE)
    assert card.process_apdu(b"\x00\xa4\x02\x00\x02\xef\x07") == b"\x6a\x82"


def test_card_data_repr_shows_kind_and_masked_id_only(holder: dict[str, str]) -> None:
    data = read_social_security_card(VirtualCard().process_apdu)
    for text in (repr(data), str(data), f"{data}", repr([data])):
        assert holder["name"] not in text
        assert holder["id_number"] not in text
        assert holder["card_number"] not in text
        assert "2301**********015X" in text and "social_security" in text


def test_masked_identity_keeps_only_the_allowed_characters() -> None:
    data = read_social_security_card(VirtualCard().process_apdu)
    masked = data.masked()
    assert masked.name == "赵**"
    assert masked.id_number == "2301**********015X"
    assert masked.card_number == "H******89"
    assert masked.kind is CardKind.SOCIAL_SECURITY


def test_mask_helpers_never_reveal_short_values() -> None:
    assert mask_name("张三") == "张*" and mask_name("") == ""
    assert mask_id_number("12345678") == "********"
    assert mask_id_number("23010219850312015X") == "2301**********015X"
    assert mask_card_number("AB1") == "***"


def test_card_data_is_frozen() -> None:
    data = read_social_security_card(VirtualCard().process_apdu)
    with pytest.raises(AttributeError):
        data.name = "x"  # type: ignore[misc]
    assert isinstance(data, CardData)


def test_simulated_reader_fires_insert_read_fail_and_remove_on_its_worker() -> None:
    reader = SimulatedCardReader()
    events = EventRecorder()
    reader.subscribe(events.callbacks())
    reader.start()
    try:
        reader.insert()
        data = events.wait_for("card_did_read", 2.0)
        assert data.id_number == load_holder()["id_number"]
        assert reader.status().card_present
        reader.insert(profile="bank")
        error = events.wait_for("reader_did_fail", 2.0)
        assert error.reason == "not_ssc"
        reader.remove()
        events.wait_for("card_did_remove", 2.0, count=2)  # the swap removed the first card
        assert events.names() == [
            "reader_did_add",
            "card_did_insert",
            "card_did_read",
            "card_did_remove",
            "card_did_insert",
            "reader_did_fail",
            "card_did_remove",
        ]
        assert {thread for _n, _a, thread in events.events} == {"sim-card-reader"}
        status = reader.status()
        assert status.backend == "simulated" and "not real hardware" in status.detail
    finally:
        reader.stop()
    assert not reader.is_running()


def test_simulated_reader_read_returns_present_card_and_times_out_without_one() -> None:
    reader = SimulatedCardReader()
    reader.start()
    try:
        with pytest.raises(CardReaderError) as raised:
            reader.read(0.2)
        assert raised.value.reason == "timeout"
        reader.insert()
        assert reader.read(2.0).region == "230102"
    finally:
        reader.stop()


def test_read_on_a_stopped_reader_raises_not_started() -> None:
    with pytest.raises(CardReaderError) as raised:
        SimulatedCardReader().read(0.1)
    assert raised.value.reason == "not_started"


@pytest.mark.parametrize("forms", [("number",), ("sfi",), ("tag",)])
def test_reader_adapts_to_the_read_record_form_the_card_takes(forms: tuple[str, ...]) -> None:
    card = VirtualCard(read_forms=forms)
    data = read_social_security_card(card.process_apdu)
    assert data.id_number == load_holder()["id_number"]
