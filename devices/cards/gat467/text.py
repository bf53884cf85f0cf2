"""The 256-byte text block of a GA/T 467 read: resident ID cards, and the card types refused.

UCS-2LE, space padded. Resident ID card offsets (bytes): name 0 (30), gender 30 (2), nation 32
(4), birth date 36 (16), address 52 (70), ID number 122 (36), issuing authority 158 (30), valid
from 188 (16), valid to 204 (16, "长期" for no expiry), reserved 220 (36).

The card type flag is the UCS-2 character at offset 248, inside the reserved area: blank on a
resident ID card, "J" on a residence permit for Hong Kong, Macao and Taiwan residents, "I" on a
foreigner's permanent residence ID card (2017 layout) and "Y" on the 2023 one. These cards lay
their text out differently (an English name of 120 bytes first, a pass number at 220 ...), so
they are refused with reason ``unsupported_card``: CardData has no kind for them yet. Sources:
vendor SDK headers and samples in public repositories agree on the offset and the letters
(e.g. Johann356/readinfo PCSCGetData.h; "有效期为长期时存储“长期”" in a VB SDK declaration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from devices.cards.base import CardData, CardKind, CardReaderError, nation_name

TEXT_SIZE = 256
PHOTO_SIZE = 1024
TYPE_FLAG_OFFSET = 248
NO_EXPIRY = "长期"

FIELDS: dict[str, tuple[int, int]] = {
    "name": (0, 30),
    "gender": (30, 2),
    "nation": (32, 4),
    "birth_date": (36, 16),
    "address": (52, 70),
    "id_number": (122, 36),
    "issuing_authority": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "reserved": (220, 36),
}
GENDERS = {"0": "未知", "1": "男", "2": "女", "9": "未知"}
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_DATE_SHAPE = re.compile(r"^\d{8}$")


class CardType(StrEnum):
    RESIDENT_ID = " "
    HMT_RESIDENCE_PERMIT = "J"
    FOREIGNER_PERMANENT_2017 = "I"
    FOREIGNER_PERMANENT_2023 = "Y"


REFUSALS = {
    CardType.HMT_RESIDENCE_PERMIT: (
        "This is a residence permit for Hong Kong, Macao and Taiwan residents. This kiosk "
        "reads resident ID cards only: please ask the staff at the counter."
    ),
    CardType.FOREIGNER_PERMANENT_2017: (
        "This is a foreigner's permanent residence ID card. This kiosk reads resident ID "
        "cards only: please ask the staff at the counter."
    ),
    CardType.FOREIGNER_PERMANENT_2023: (
        "This is a foreigner's permanent residence ID card (2023). This kiosk reads resident "
        "ID cards only: please ask the staff at the counter."
    ),
}


class UnsupportedCardError(CardReaderError):
    """A card the reader can read but this kiosk does not accept; ``card_type`` says which."""

    def __init__(self, card_type: CardType | None, message: str) -> None:
        super().__init__("unsupported_card", message)
        self.card_type = card_type


@dataclass(frozen=True, repr=False)
class ResidentIdCardData(CardData):
    """CardData plus the photo: ``photo_wlt`` as the card holds it, ``photo_image`` decoded.

    ``photo_image`` is None unless a PhotoDecoder could decode the WLT data.
    """

    photo_wlt: bytes = b""
    photo_image: bytes | None = None


def _malformed(what: str) -> CardReaderError:
    return CardReaderError("malformed", f"The card's {what} could not be read; please try again.")


def _field(text: str, name: str) -> str:
    start, size = FIELDS[name]
    return text[start // 2 : (start + size) // 2].rstrip(" \x00")


def card_type_of(raw: bytes) -> CardType | None:
    """The type flag of a text block; None for a flag no known card uses."""
    flag = raw[TYPE_FLAG_OFFSET : TYPE_FLAG_OFFSET + 2]
    if flag in (b" \x00", b"\x00\x00"):
        return CardType.RESIDENT_ID
    try:
        return CardType(flag.decode("utf-16-le"))
    except ValueError:
        return None


def _date(value: str, what: str) -> date:
    if not _DATE_SHAPE.match(value):
        raise _malformed(what)
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise _malformed(what) from None


def parse_text(
    raw: bytes, photo_wlt: bytes = b"", photo_image: bytes | None = None
) -> ResidentIdCardData:
    """Decode a text block; raises CardReaderError (malformed / unsupported_card), nothing else.

    Only the form is checked here (dates, an 18-character ID number); kiosk.id_numbers judges
    the ID number's check character and birth date.
    """
    if len(raw) != TEXT_SIZE:
        raise CardReaderError(
            "malformed", f"The card's text block has {len(raw)} bytes instead of {TEXT_SIZE}."
        )
    card_type = card_type_of(raw)
    if card_type is None:
        raise UnsupportedCardError(
            None, "The reader recognised a card this kiosk does not know; please ask the staff."
        )
    if card_type is not CardType.RESIDENT_ID:
        raise UnsupportedCardError(card_type, REFUSALS[card_type])
    try:
        text = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        raise _malformed("text") from None
    if any(ord(c) < 0x20 and c != "\x00" for c in text):
        raise _malformed("text")
    name = _field(text, "name")
    id_number = _field(text, "id_number")
    if not name:
        raise _malformed("name")
    if not _ID_SHAPE.match(id_number):
        raise _malformed("ID number")
    gender = GENDERS.get(_field(text, "gender"))
    if gender is None:
        raise _malformed("gender")
    nation_code = _field(text, "nation")
    if nation_code and not (len(nation_code) == 2 and nation_code.isdigit()):
        raise _malformed("nation")
    valid_to_text = _field(text, "valid_to")
    valid_to = None if valid_to_text == NO_EXPIRY else _date(valid_to_text, "expiry date")
    return ResidentIdCardData(
        kind=CardKind.RESIDENT_ID,
        name=name,
        gender=gender,
        nation=nation_name(nation_code) if nation_code else "",
        birth_date=_date(_field(text, "birth_date"), "birth date"),
        address=_field(text, "address"),
        id_number=id_number,
        issuing_authority=_field(text, "issuing_authority"),
        valid_from=_date(_field(text, "valid_from"), "issue date"),
        valid_to=valid_to,
        card_number="",  # a resident ID card has no separate card number
        region=id_number[:6],
        photo_wlt=photo_wlt,
        photo_image=photo_image,
    )


def encode_text(fields: dict[str, str], type_flag: str = " ") -> bytes:
    """A text block from field strings (for the emulator and tests): UCS-2LE, space padded."""
    out = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    for name, value in fields.items():
        if name not in FIELDS:
            continue
        start, size = FIELDS[name]
        raw = value.encode("utf-16-le")[:size]
        out[start : start + len(raw)] = raw
    out[TYPE_FLAG_OFFSET : TYPE_FLAG_OFFSET + 2] = type_flag.encode("utf-16-le")[:2]
    return bytes(out)
