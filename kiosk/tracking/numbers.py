"""Tracking numbers a citizen can read aloud: ``K0451-20261121-0042-7``.

Kiosk code, local date, daily sequence, and a Damm check digit, which catches every
single-character mistake and every swap of two neighbours. Such a number can be guessed, so
each receipt also carries a query code: random digits without which no status is told
(docs/tracking-lookup.md).
"""

from __future__ import annotations

import re
import secrets
from datetime import date

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_FORM = re.compile(r"^([A-Z]\d{4})-(\d{8})-(\d{4})-(\d)$")
_CODE = re.compile(r"^[A-Z]\d{4}$")
QUERY_CODE_DIGITS = 8
QUERY_CODE_MIN_DIGITS = 6  # what the lookups accept (the platform takes 6 to 16)
QUERY_CODE_MAX_DIGITS = 16


def _digits(text: str) -> str:
    """Letters become two digits (A=10 … Z=35) so that the check covers the kiosk code."""
    return "".join(str(int(c, 36)) if c.isalpha() else c for c in text if c.isalnum())


def damm_digit(digits: str) -> int:
    interim = 0
    for d in digits:
        interim = _DAMM[interim][int(d)]
    return interim


def make_tracking_number(kiosk_code: str, day: date, daily_seq: int) -> str:
    if not _CODE.match(kiosk_code):
        raise ValueError("kiosk code must be one capital letter and four digits, e.g. K0451")
    if not 1 <= daily_seq <= 9999:
        raise ValueError("daily sequence must be between 1 and 9999")
    body = f"{kiosk_code}-{day:%Y%m%d}-{daily_seq:04d}"
    return f"{body}-{damm_digit(_digits(body))}"


def is_valid_tracking_number(text: str) -> bool:
    match = _FORM.match(text.strip().upper())
    if not match:
        return False
    body = "-".join(match.groups()[:3])
    return damm_digit(_digits(body)) == int(match.group(4))


def new_query_code(digits: int = QUERY_CODE_DIGITS) -> str:
    """A receipt's query code: ``digits`` digits from the operating system's secure source."""
    if digits < QUERY_CODE_MIN_DIGITS:
        raise ValueError(f"a query code needs at least {QUERY_CODE_MIN_DIGITS} digits")
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def status_link(template: str, tracking_number: str, query_code: str) -> str:
    """The receipt's QR payload: the status URL with the tracking number and the query code.

    ``[platform] status_url`` names ``{tracking}`` and may place ``{code}``; without it the code
    goes in a ``code`` query parameter.
    """
    if "{code}" in template:
        return template.format(tracking=tracking_number, code=query_code)
    url = template.format(tracking=tracking_number)
    return f"{url}{'&' if '?' in url else '?'}code={query_code}"
