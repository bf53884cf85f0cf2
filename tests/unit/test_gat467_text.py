"""The GA/T 467 text block: resident ID card fields, refused card types, fuzzing, the photo."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.cards.base import CardKind, CardReaderError
from devices.cards.gat467.photo import NullPhotoDecoder, decode_photo
from devices.cards.gat467.text import (
    FIELDS,
    CardType,
    ResidentIdCardData,
    UnsupportedCardError,
    card_type_of,
    encode_text,
    parse_text,
)
from devices.sim.idreader.emulator import CardImage, load_holder
from kiosk.id_numbers import age_on, validate_id_number


def holder(**changes: str) -> dict[str, str]:
    fields = {k: v for k, v in load_holder().items() if not k.startswith("_")}
    fields.update(changes)
    return fields


def test_the_field_offsets_tile_the_256_bytes() -> None:
    end = 0
    for start, size in FIELDS.values():
        assert start == end
        end = start + size
    assert end == 256


def test_the_fixture_holder_decodes_to_every_field() -> None:
    card = parse_text(encode_text(holder()), photo_wlt=b"WLf...")
    assert isinstance(card, ResidentIdCardData)
    assert card.kind is CardKind.RESIDENT_ID
    assert card.name == "孙德明"
    assert card.gender == "男"
    assert card.nation == "回"
    assert card.birth_date == date(1948, 9, 15)
    assert card.address == "黑龙江省哈尔滨市南岗区示例街18号"
    assert card.id_number == "230103194809150237"
    assert card.issuing_authority == "哈尔滨市公安局南岗分局"
    assert card.valid_from == date(2015, 6, 1)
    assert card.valid_to is None  # 长期
    assert card.region == "230103"
    assert card.card_number == ""
    assert card.photo_wlt == b"WLf..." and card.photo_image is None


def test_the_fixture_holder_is_a_valid_elderly_citizen() -> None:
    number = load_holder()["id_number"]
    assert validate_id_number(number, today=date(2026, 11, 21)).ok
    assert age_on(number, date(2026, 1, 1)) >= 75


def test_a_card_with_an_expiry_date_keeps_it() -> None:
    card = parse_text(encode_text(holder(valid_from="20200101", valid_to="20400101")))
    assert card.valid_to == date(2040, 1, 1)


@pytest.mark.parametrize(
    ("code", "shown"), [("0", "未知"), ("1", "男"), ("2", "女"), ("9", "未知")]
)
def test_gender_codes(code: str, shown: str) -> None:
    assert parse_text(encode_text(holder(gender=code))).gender == shown


@pytest.mark.parametrize(("code", "shown"), [("01", "汉"), ("56", "基诺"), ("97", "其他")])
def test_nation_codes_use_the_table(code: str, shown: str) -> None:
    assert parse_text(encode_text(holder(nation=code))).nation == shown


def test_repr_shows_no_personal_data_nor_the_photo() -> None:
    card = parse_text(encode_text(holder()), photo_wlt=b"WLf-secret-photo")
    shown = repr(card) + str(card)
    for secret in ("孙", "德明", "230103194809150237", "示例街", "南岗分局", "secret-photo"):
        assert secret not in shown
    assert card.masked().name == "孙**"


@pytest.mark.parametrize(
    ("flag", "card_type", "words"),
    [
        ("J", CardType.HMT_RESIDENCE_PERMIT, "Hong Kong, Macao and Taiwan"),
        ("I", CardType.FOREIGNER_PERMANENT_2017, "permanent residence"),
        ("Y", CardType.FOREIGNER_PERMANENT_2023, "permanent residence"),
    ],
)
def test_permits_are_recognised_and_refused_never_parsed(flag, card_type, words) -> None:
    raw = encode_text(holder(), type_flag=flag)
    assert card_type_of(raw) is card_type
    with pytest.raises(UnsupportedCardError) as caught:
        parse_text(raw)
    assert caught.value.reason == "unsupported_card"
    assert caught.value.card_type is card_type
    assert words in caught.value.message


def test_a_foreigners_card_layout_is_refused_by_its_flag() -> None:
    english_name = "SMITH JOHN".ljust(60).encode("utf-16-le")  # 120 bytes, where a name is 30
    raw = bytearray(CardImage.from_holder(None, "foreigner").text)
    raw[0:120] = english_name
    with pytest.raises(UnsupportedCardError):
        parse_text(bytes(raw))


def test_an_unknown_flag_is_refused_as_unsupported() -> None:
    with pytest.raises(UnsupportedCardError) as caught:
        parse_text(encode_text(holder(), type_flag="Z"))
    assert caught.value.card_type is None


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": "19481315"},
        {"birth_date": "1948-9-1"},
        {"valid_from": ""},
        {"valid_to": "永久"},
        {"id_number": "23010319480915023"},
        {"id_number": "2301031948091502x7"},
        {"name": ""},
        {"gender": "5"},
        {"nation": "汉族"},
    ],
)
def test_malformed_fields_are_refused_not_guessed(changes: dict[str, str]) -> None:
    with pytest.raises(CardReaderError) as caught:
        parse_text(encode_text(holder(**changes)))
    assert caught.value.reason == "malformed"


def test_a_block_of_the_wrong_size_or_encoding_is_malformed() -> None:
    with pytest.raises(CardReaderError, match="255 bytes"):
        parse_text(bytes(255))
    raw = bytearray(encode_text(holder()))
    raw[0:2] = b"\x00\xd8"  # a lone UTF-16 surrogate
    with pytest.raises(CardReaderError) as caught:
        parse_text(bytes(raw))
    assert caught.value.reason == "malformed"


class ExplodingDecoder:
    name = "exploding"

    def decode(self, wlt: bytes) -> bytes | None:
        raise RuntimeError("vendor library crashed")


def test_a_failing_photo_decoder_costs_the_image_not_the_read() -> None:
    assert decode_photo(ExplodingDecoder(), b"WLf") is None
    assert decode_photo(NullPhotoDecoder(), b"WLf") is None


# --- fuzzing -----------------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.binary(min_size=0, max_size=300))
def test_fuzz_any_bytes_give_card_data_or_a_card_reader_error(raw: bytes) -> None:
    try:
        card = parse_text(raw)
    except CardReaderError:
        return
    assert len(card.id_number) == 18


text_field = st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(FIELDS)), text_field), st.text(max_size=2))
def test_fuzz_any_field_text_gives_card_data_or_a_card_reader_error(fields, flag) -> None:
    base = holder()
    base.update(fields)
    try:
        raw = encode_text(base, type_flag=flag or " ")
    except UnicodeEncodeError:  # lone surrogates cannot even be put on a card
        return
    try:
        card = parse_text(raw)
    except CardReaderError as exc:
        assert exc.reason in ("malformed", "unsupported_card")
        return
    assert card.kind is CardKind.RESIDENT_ID and card.birth_date is not None
