"""A receipt's QR code read back: the tracking number and query code it carries.

The receipt's QR code is the status link (:func:`kiosk.tracking.numbers.status_link`): the
platform's status URL with the tracking number in its path and the query code in a ``code``
parameter (or wherever ``[platform] status_url`` placed ``{code}``). Scanning it stands for
typing both on the 查询办理进度 screen; the lookup that follows is the same, wrong codes
counted the same (docs/tracking-lookup.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from kiosk.tracking.numbers import (
    QUERY_CODE_MAX_DIGITS,
    QUERY_CODE_MIN_DIGITS,
    is_valid_tracking_number,
)

_TRACKING = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z0-9]{1,15})-([0-9]{8})-([0-9]{4})-([0-9])"
                       r"(?![0-9])")
_CODE = re.compile(f"[0-9]{{{QUERY_CODE_MIN_DIGITS},{QUERY_CODE_MAX_DIGITS}}}")


@dataclass(frozen=True, repr=False)
class ReceiptCode:
    kiosk_code: str
    digits: str  # date, daily number and check digit, as typed on the keypad
    query_code: str

    def __repr__(self) -> str:
        return f"ReceiptCode({self.kiosk_code}-…)"


def receipt_code(text: str) -> ReceiptCode | None:
    """The receipt's number and code in a scanned text, or None when it carries no receipt."""
    if len(text) > 1024:
        return None
    found = _TRACKING.search(text)
    if found is None or not is_valid_tracking_number(found.group(0)):
        return None
    code = ""
    query = parse_qs(urlsplit(text).query).get("code", [])
    if query:
        code = query[0]
    else:  # ``{code}`` placed in the path: the digits after the tracking number
        rest = _CODE.search(text, found.end())
        code = rest.group(0) if rest else ""
    if _CODE.fullmatch(code) is None:
        return None
    kiosk_code, day, seq, check = found.groups()
    return ReceiptCode(kiosk_code, day + seq + check, code)
