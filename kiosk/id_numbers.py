"""Resident ID numbers (GB 11643): the one place that checks them, typed or read from a card."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
_SHAPE = re.compile(r"^[1-9]\d{5}\d{8}\d{3}[\dX]$")


@dataclass(frozen=True)
class IdCheck:
    """The verdict on an ID number: ``ok`` or a reason code with plain words."""

    ok: bool
    reason: str = ""
    message: str = ""


def check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def birth_date_of(id_number: str) -> date | None:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def validate_id_number(raw: str, today: date) -> IdCheck:
    """Check form, region code form, birth date and check character.

    ``today`` is the kiosk-local date from the kiosk's clock, never the machine's.
    """
    number = raw.strip().upper()
    if len(number) != 18:
        return IdCheck(False, "length", "An ID number has 18 characters.")
    if not _SHAPE.match(number):
        return IdCheck(False, "form", "An ID number is 17 digits followed by a digit or X.")
    if number[:2] not in PROVINCE_CODES:
        return IdCheck(False, "region", "The region code at the start is not a valid form.")
    born = birth_date_of(number)
    if born is None or born > today or born.year < 1880:
        return IdCheck(False, "birth_date", "The birth date inside the ID number is impossible.")
    if check_character(number[:17]) != number[17]:
        return IdCheck(
            False, "check_character", "The last character does not match: please check the number."
        )
    return IdCheck(True)


def age_on(id_number: str, day: date) -> int | None:
    born = birth_date_of(id_number)
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
