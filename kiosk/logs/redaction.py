"""Personal data out of log text: known shapes by pattern, the live session's values by value.

Patterns cannot recognise a name or an address, so the citizen session registers the values
its card and form hold (:data:`session_values`) while it lives and withdraws them when it is
cleared; :func:`redact` replaces those too. Masked forms (``2301**********001X``, ``张*``),
tracking numbers (``K0451-20261121-0042-7``) and UUIDs pass unchanged: technicians need them.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections.abc import Iterable, Mapping
from urllib.parse import quote, quote_plus

from devices.masking import (
    mask_address,
    mask_card_number,
    mask_id_number,
    mask_landline,
    mask_name,
    mask_phone,
)

# Long digit runs: 18-digit ID numbers (check character X), 15-digit first-generation ID
# numbers, bank-card numbers (15-19 digits) and anything longer. A UUID or a tracking number
# never holds more than 12 digits in a row, so only digits bound these.
_ID_18 = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_LONG_DIGITS = re.compile(r"(?<!\d)\d{15,}(?!\d)")
# The rest are shorter, so they must not start or end inside a word such as a UUID's group.
_EDGE_L = r"(?<![0-9A-Za-z])"
_EDGE_R = r"(?![0-9A-Za-z])"
# Bank cards written in groups of four: 6222 0212 3456 7890 (123).
_GROUPED_CARD = re.compile(_EDGE_L + r"(?<!-)\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?" + _EDGE_R)
# Mobile numbers: 13812345678, 138-1234-5678, 138 1234 5678, +86 138…, 0086…, (+86)…, 86…
_MOBILE = re.compile(
    _EDGE_L + r"(?:(?:\+|00)?86[ -]?|\(\+?86\)[ -]?)?"
    r"(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})" + _EDGE_R
)
# Landlines with their area code: 0451-86123456, (010) 12345678, 045186123456.
_LANDLINE = re.compile(_EDGE_L + r"\(?(0\d{2,3})\)?[ -]?(\d{7,8})" + _EDGE_R)
# Social-security card number (also the shape of a passport number): H23456789.
_CARD_NUMBER = re.compile(_EDGE_L + r"[A-Z]\d{8}" + _EDGE_R)
# Social-security card identification code: region, D156, then the card's own part.
_CARD_ID_CODE = re.compile(_EDGE_L + r"\d{6}D156[0-9A-Z]{4,22}" + _EDGE_R)


def _keep_ends(match: re.Match[str]) -> str:
    return mask_id_number(re.sub(r"[ -]", "", match.group(0)))


def _mobile(match: re.Match[str]) -> str:
    return mask_phone(match.group(1) + match.group(2) + match.group(3))


def _landline(match: re.Match[str]) -> str:
    return mask_landline(match.group(1), match.group(2))


def _card_number(match: re.Match[str]) -> str:
    return mask_card_number(match.group(0))


_PATTERNS = (
    (_CARD_ID_CODE, _keep_ends),
    (_ID_18, _keep_ends),
    (_LONG_DIGITS, _keep_ends),
    (_GROUPED_CARD, _keep_ends),
    (_MOBILE, _mobile),
    (_LANDLINE, _landline),
    (_CARD_NUMBER, _card_number),
)


class SessionValues:
    """The personal values of the sessions alive now, each with the mask that replaces it.

    Held in memory only, and only while the owning session holds the data: ``hold`` replaces
    an owner's values, ``release`` (or the owner being garbage-collected) drops them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_owner: dict[int, dict[str, str]] = {}
        # Replaced whole, never changed in place, so a reader needs no lock.
        self._compiled: tuple[re.Pattern[str], dict[str, str]] | None = None

    def hold(self, owner: object, values: Mapping[str, str]) -> None:
        """Redact ``values`` (value -> mask) until ``release(owner)``."""
        variants: dict[str, str] = {}
        for value, mask in values.items():
            if len(value.strip()) >= 2:
                for form in _encodings(value):
                    variants.setdefault(form, mask)
        key = id(owner)
        with self._lock:
            if key not in self._by_owner:
                weakref.finalize(owner, self._drop, key)
            self._by_owner[key] = variants
            self._rebuild()

    def release(self, owner: object) -> None:
        self._drop(id(owner))

    def _drop(self, key: int) -> None:
        with self._lock:
            if self._by_owner.pop(key, None) is not None:
                self._rebuild()

    def _rebuild(self) -> None:
        masks: dict[str, str] = {}
        for variants in self._by_owner.values():
            for value, mask in variants.items():
                masks.setdefault(value, mask)
        # Longest first, so an address is replaced whole before a name inside it.
        ordered = sorted(masks, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self._compiled = (pattern, masks) if pattern is not None else None

    def redact(self, text: str) -> str:
        compiled = self._compiled
        if compiled is None:
            return text
        pattern, masks = compiled
        return pattern.sub(lambda m: masks.get(m.group(0), "[redacted]"), text)

    def holding(self, owner: object) -> bool:
        """Whether ``owner`` has values registered now."""
        return id(owner) in self._by_owner


def _encodings(value: str) -> Iterable[str]:
    """The text itself and the forms a log line may carry it in: JSON escapes, URL quoting
    (urllib3 logs request paths), byte reprs and hex dumps."""
    yield value
    yield json.dumps(value)[1:-1]
    yield quote(value)
    yield quote_plus(value)
    for codec in ("utf-8", "utf-16-le", "gb18030"):
        try:
            raw = value.encode(codec)
        except UnicodeEncodeError:
            continue
        yield repr(raw)[2:-1]
        yield raw.hex()


#: the values of every live citizen session (see :class:`kiosk.session.CitizenSession`)
session_values = SessionValues()


def redact(text: str) -> str:
    """``text`` with the live sessions' values and every known personal-data shape masked."""
    text = session_values.redact(text)
    for pattern, replace in _PATTERNS:
        text = pattern.sub(replace, text)
    return text


def card_masks(name: str, address: str, id_number: str, card_number: str) -> dict[str, str]:
    """What a card's personal values are replaced with in a log line."""
    return {
        name: mask_name(name),
        address: mask_address(address),
        id_number: mask_id_number(id_number),
        card_number: mask_card_number(card_number),
    }
