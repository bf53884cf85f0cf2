"""Masked forms of personal data: the one place that decides what of a value may be shown.

The card's ``masked()``, the confirm screen, the printed receipt and log redaction all mask
through these functions, so a value looks the same wherever it appears (``张*``,
``2301**********001X``, ``139****5678``). Kept at the bottom of ``devices`` so that every room
that shows personal data may import it; it imports nothing of the project.
"""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keep the first character, one ``*`` for each of the rest: 张三 -> 张*."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_id_number(s: str) -> str:
    """Keep the first 4 and last 4 characters; a string too short to mask that way is all stars."""
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def mask_card_number(s: str) -> str:
    """Keep the first character and the last two."""
    if len(s) <= 3:
        return "*" * len(s)
    return s[:1] + "*" * (len(s) - 3) + s[-2:]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits (139****5678); a short value is four stars."""
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) > 7 else "*" * 4


def mask_landline(area_code: str, number: str) -> str:
    """The area code, then the number with all but its last two digits hidden: 0451-******56."""
    return area_code + "-" + "*" * (len(number) - 2) + number[-2:]


def mask_address(address: str) -> str:
    """No part of an address is safe to show: a placeholder stands in for all of it."""
    return "[address]"
