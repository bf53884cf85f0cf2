"""The social-security card (社会保障卡) application, independent of any transport.

``transmit`` sends one command APDU and returns response data + SW1 SW2; the PC/SC reader,
the in-process simulator and the tests all drive the same logic through it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from devices.cards.base import CardData, CardKind, CardReaderError, PinVerdict, nation_name

Transmit = Callable[[bytes], bytes]

# "sx1.sh." + 社会保障 in GBK
SSSE_AID = b"sx1.sh." + "社会保障".encode("gbk")
SELECT_SSSE = bytes([0x00, 0xA4, 0x04, 0x00, len(SSSE_AID)]) + SSSE_AID
EF05 = b"\xef\x05"
EF06 = b"\xef\x06"

# tag -> value length (bytes), per the card specification
EF05_TAGS = {0x01: 16, 0x03: 4, 0x05: 4, 0x06: 4, 0x07: 9}
EF06_TAGS = {0x08: 18, 0x09: 30, 0x0A: 1, 0x0B: 1, 0x0C: 3, 0x0D: 4}
REQUIRED_TAGS = frozenset({0x01, 0x07, 0x08, 0x09})

NOT_SSC_MESSAGE = (
    "This is not a social-security card. Please insert your social-security card "
    "or put your ID card on the pad."
)
_MAX_GET_RESPONSE = 8


def select_file_apdu(fid: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x02, 0x00, len(fid)]) + fid


# READ RECORD P2: by tag (00), by record number in the current file (04), by SFI (sfi<<3 | 4);
# the records of EF05/EF06 are numbered like their tags and their SFIs are 5 and 6. A card
# that does not take a form answers 6A86/6B00/6D00/6A81, and the next form is tried.
_FORM_REFUSED = {0x6A86, 0x6B00, 0x6D00, 0x6A81}


def _sw(response: bytes) -> tuple[bytes, int]:
    if len(response) < 2:
        raise CardReaderError("malformed", "The card sent a response without a status word.")
    return response[:-2], (response[-2] << 8) | response[-1]


def _exchange(transmit: Transmit, apdu: bytes) -> tuple[bytes, int]:
    """Send one APDU; follow 61xx with GET RESPONSE. Foreign exceptions become CardReaderError."""
    try:
        data, sw = _sw(transmit(apdu))
        for _ in range(_MAX_GET_RESPONSE):
            if sw >> 8 != 0x61:
                break
            more, sw = _sw(transmit(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF])))
            data += more
        return data, sw
    except CardReaderError:
        raise
    except Exception as exc:  # a transport that broke its contract: still one error type
        raise CardReaderError("io", f"Card exchange failed: {type(exc).__name__}") from exc


def _card_failure(sw: int) -> bool:
    """64xx / 65xx (memory, execution) and 6Fxx (no diagnosis): the card is broken, not foreign."""
    return sw >> 8 in (0x64, 0x65, 0x6F)


def _select_application(transmit: Transmit) -> None:
    _data, sw = _exchange(transmit, SELECT_SSSE)
    if sw == 0x9000:
        return
    if _card_failure(sw):
        raise CardReaderError("malformed", f"The card failed to open its application ({sw:04X}).")
    raise CardReaderError("not_ssc", NOT_SSC_MESSAGE)


def _select_file(transmit: Transmit, fid: bytes) -> None:
    """The application is there, so a missing file is a damaged card, not a foreign one."""
    _data, sw = _exchange(transmit, select_file_apdu(fid))
    if sw != 0x9000:
        raise CardReaderError("malformed", f"The card refused file {fid.hex().upper()} ({sw:04X}).")


def _read_tag(transmit: Transmit, sfi: int, tag: int, length: int) -> bytes | None:
    """READ RECORD in the first form the card takes (cards differ); None when absent (6A83)."""
    for p2 in (0x00, 0x04, (sfi << 3) | 0x04):
        apdu = bytes([0x00, 0xB2, tag, p2, (length + 2) & 0xFF])
        data, sw = _exchange(transmit, apdu)
        if sw >> 8 == 0x6C:  # wrong Le: the card tells the right one
            data, sw = _exchange(transmit, apdu[:4] + bytes([sw & 0xFF]))
        if sw not in _FORM_REFUSED:
            break
    if sw == 0x6A83:
        return None
    if sw != 0x9000:
        raise CardReaderError("malformed", f"The card refused record {tag:02X} (status {sw:04X}).")
    if len(data) < 2 or data[0] != tag or data[1] != len(data) - 2:
        raise CardReaderError("malformed", f"Record {tag:02X} is not a well-formed TLV.")
    return data[2:]


def _read_file(transmit: Transmit, fid: bytes, tags: dict[int, int]) -> dict[int, bytes]:
    _select_file(transmit, fid)
    values: dict[int, bytes] = {}
    for tag, length in tags.items():
        value = _read_tag(transmit, fid[-1], tag, length)
        if value is None:
            if tag in REQUIRED_TAGS:
                raise CardReaderError("malformed", f"The card has no record {tag:02X}.")
            continue
        values[tag] = value
    return values


def bcd_digits(value: bytes) -> str:
    """Packed BCD to digits; trailing F nibbles are padding, any other non-digit is malformed."""
    nibbles = "".join(f"{b:02X}" for b in value)
    digits = nibbles.rstrip("F")
    if not digits.isdigit() and digits:
        raise CardReaderError("malformed", "A numeric field on the card is not BCD.")
    return digits


def _bcd_date(value: bytes | None) -> date | None:
    if value is None:
        return None
    digits = bcd_digits(value)
    if digits == "" or set(digits) == {"0"}:
        return None
    if len(digits) != 8:
        raise CardReaderError("malformed", "A date on the card is not YYYYMMDD.")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError as exc:
        raise CardReaderError("malformed", "A date on the card is impossible.") from exc


def _text(value: bytes | None, encoding: str) -> str:
    if value is None:
        return ""
    try:
        return value.rstrip(b"\x00\xff ").decode(encoding).strip()
    except UnicodeDecodeError as exc:
        raise CardReaderError("malformed", "A text field on the card cannot be decoded.") from exc


_GENDERS = {"1": "男", "2": "女"}


def parse_records(ef05: dict[int, bytes], ef06: dict[int, bytes]) -> CardData:
    """Build CardData from the raw values of EF05 and EF06, checking their form."""
    card_code = _text(ef05.get(0x01), "ascii")
    region = card_code[:6]
    if len(region) != 6 or not region.isdigit():
        raise CardReaderError("malformed", "The card identification code has no region.")
    id_number = _text(ef06.get(0x08), "ascii").upper()
    if not id_number or not id_number.isalnum():
        raise CardReaderError("malformed", "The social-security number on the card is unreadable.")
    name = _text(ef06.get(0x09), "gbk")
    if not name:
        raise CardReaderError("malformed", "The name on the card is empty.")
    nation = bcd_digits(ef06[0x0B]) if 0x0B in ef06 else ""
    return CardData(
        kind=CardKind.SOCIAL_SECURITY,
        name=name,
        gender=_GENDERS.get(_text(ef06.get(0x0A), "ascii"), "未知"),
        nation=nation_name(nation) if nation else "",
        birth_date=_bcd_date(ef06.get(0x0D)),
        address="",  # the social-security card carries no address
        id_number=id_number,
        issuing_authority="",
        valid_from=_bcd_date(ef05.get(0x05)),
        valid_to=_bcd_date(ef05.get(0x06)),
        card_number=_text(ef05.get(0x07), "ascii"),
        region=region,
    )


def read_social_security_card(transmit: Transmit) -> CardData:
    """Read the holder's data; raises only CardReaderError (not_ssc, malformed, io, ...)."""
    _select_application(transmit)
    ef05 = _read_file(transmit, EF05, EF05_TAGS)
    ef06 = _read_file(transmit, EF06, EF06_TAGS)
    return parse_records(ef05, ef06)


# -- the card holder's PIN (VERIFY, ISO/IEC 7816-4 INS 20) ---------------------------------------

PIN_LENGTHS = (6,)  # the social-security card's PIN: six digits
SW_PIN_BLOCKED = 0x6983  # authentication method blocked
_SW_PIN_WRONG = 0x63C0  # 63Cx: wrong, x tries left


def verify_pin_apdu(pin: str) -> bytes:
    """VERIFY with the PIN as packed BCD, F-padded (six digits: three bytes)."""
    if not pin.isascii() or not pin.isdigit() or len(pin) not in PIN_LENGTHS:
        raise ValueError("a card PIN is six digits")
    data = bytes.fromhex(pin + "F" * (len(pin) % 2))
    return bytes([0x00, 0x20, 0x00, 0x00, len(data)]) + data


def verify_pin(transmit: Transmit, pin: str) -> PinVerdict:
    """Select the application and have the card check ``pin`` (it counts wrong ones itself).

    Raises CardReaderError for a card that is no social-security card or answers otherwise;
    the PIN itself never appears in an error or a log line.
    """
    apdu = verify_pin_apdu(pin)
    _select_application(transmit)
    _data, sw = _exchange(transmit, apdu)
    if sw == 0x9000:
        return PinVerdict(True)
    if sw == SW_PIN_BLOCKED:
        return PinVerdict(False, 0, blocked=True)
    if sw & 0xFFF0 == _SW_PIN_WRONG:
        left = sw & 0x0F
        return PinVerdict(False, left, blocked=left == 0)
    raise CardReaderError("pin", f"The card did not check the PIN (status {sw:04X}).")
