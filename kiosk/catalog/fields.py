"""Form values checked against their field's kind, in words a citizen understands.

Every value is a string, as the flow and the outbox hold them:

- ``choice``: an option's value; ``multi_choice``: option values joined by ``,``;
- ``yes_no``: ``yes`` or ``no``; ``phone``: a mobile or landline number;
- ``id_number``: 18 characters, checked by :mod:`kiosk.id_numbers` (the one place that does);
- ``date``: ``YYYY-MM-DD`` within the field's bounds (absolute, or relative to today:
  ``today``, ``today+30d``, ``today-12m``, ``today-18y``);
- ``amount``: yuan with at most two decimals; ``count``: a whole number;
- ``region``: a code of the region list at the field's level; ``address``: ``CODE|detail``;
- ``relation``: ``RELATION|ID-NUMBER`` (the family member is identified by card or number,
  never by a typed name); ``text``: at most ``max_length`` characters.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from kiosk.id_numbers import validate_id_number

if TYPE_CHECKING:
    from .model import FormField
    from .regions import Regions

PHONE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}\d{7,8}$")
_RELATIVE = re.compile(r"^today(?:([+-])(\d{1,4})([dmy]))?$")
_AMOUNT = re.compile(r"^\d{1,9}(?:\.\d{1,2})?$")
_COUNT = re.compile(r"^\d{1,6}$")


class FormError(ValueError):
    """A form value the schema refuses; ``field`` names it, the message says why in words;
    ``reason`` is a code the screens turn into their own (spoken) words."""

    def __init__(self, field: str, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


def date_bound(bound: str, today: date) -> date:
    """An absolute ``YYYY-MM-DD`` or a bound relative to ``today`` (``today-18y``)."""
    relative = _RELATIVE.match(bound)
    if relative is None:
        return date.fromisoformat(bound)
    sign, number, unit = relative.groups()
    if sign is None:
        return today
    n = int(number) * (1 if sign == "+" else -1)
    if unit == "d":
        return date.fromordinal(today.toordinal() + n)
    months = today.year * 12 + today.month - 1 + (n if unit == "m" else 12 * n)
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def validate_form(
    form: Iterable[FormField], values: dict[str, str], today: date, regions: Regions | None
) -> dict[str, str]:
    """The cleaned values of the fields shown; hidden fields are dropped, whatever they hold."""
    clean: dict[str, str] = {}
    for f in form:
        if not f.shown(clean):
            continue
        value = values.get(f.key, "").strip()
        if not value:
            if f.required:
                raise FormError(f.key, "This field is required.", "required")
            continue
        clean[f.key] = check_value(f, value, today, regions)
    return clean


def check_value(f: FormField, value: str, today: date, regions: Regions | None) -> str:
    """The value in its stored form, or FormError."""
    kind = f.kind
    if kind == "choice":
        if value not in {o.value for o in f.options}:
            raise FormError(f.key, "Please choose one of the options.", "not_an_option")
        return value
    if kind == "multi_choice":
        return _multi_choice(f, value)
    if kind == "yes_no":
        if value not in ("yes", "no"):
            raise FormError(f.key, "Please answer yes or no.", "not_an_option")
        return value
    if kind == "phone":
        if not PHONE.match(value):
            raise FormError(f.key, "Please enter an 11-digit mobile or a landline number.", "phone")
        return value
    if kind == "id_number":
        return _id_number(f.key, value, today)
    if kind == "date":
        return _date(f, value, today)
    if kind in ("amount", "count"):
        return _number(f, value)
    if kind in ("region", "address"):
        return _place(f, value, regions)
    if kind == "relation":
        return _relation(f, value, today)
    if kind == "text":
        if f.max_length is not None and len(value) > f.max_length:
            raise FormError(f.key, f"Please keep it to {f.max_length} characters.", "too_long")
        return value
    raise FormError(f.key, "This kind of answer is not known to the kiosk.", "unknown_kind")


def _multi_choice(f: FormField, value: str) -> str:
    chosen = [v for v in value.split(",") if v]
    allowed = [o.value for o in f.options]
    if len(set(chosen)) != len(chosen) or any(v not in allowed for v in chosen):
        raise FormError(f.key, "Please choose from the options.", "not_an_option")
    if f.min_selected is not None and len(chosen) < f.min_selected:
        raise FormError(f.key, f"Please choose at least {f.min_selected}.", "too_few")
    if f.max_selected is not None and len(chosen) > f.max_selected:
        raise FormError(f.key, f"Please choose at most {f.max_selected}.", "too_many")
    return ",".join(v for v in allowed if v in chosen)  # the options' order, whatever the taps'


def _id_number(key: str, value: str, today: date) -> str:
    verdict = validate_id_number(value, today)
    if not verdict.ok:
        raise FormError(key, verdict.message, "id_number")
    return value.upper()


def _date(f: FormField, value: str, today: date) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FormError(f.key, "Please choose a date.", "date") from None
    if isinstance(f.minimum, str) and day < date_bound(f.minimum, today):
        raise FormError(f.key, "That date is too early for this service.", "too_early")
    if isinstance(f.maximum, str) and day > date_bound(f.maximum, today):
        raise FormError(f.key, "That date is too late for this service.", "too_late")
    return day.isoformat()


def _number(f: FormField, value: str) -> str:
    pattern = _AMOUNT if f.kind == "amount" else _COUNT
    if not pattern.match(value):
        words = "an amount in yuan" if f.kind == "amount" else "a whole number"
        raise FormError(f.key, f"Please enter {words}.", f.kind)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise FormError(f.key, "Please enter a number.", f.kind) from None
    low, high = f.minimum, f.maximum
    if low is not None and not isinstance(low, str) and number < Decimal(str(low)):
        raise FormError(f.key, f"The smallest allowed is {low}.", "too_small")
    if high is not None and not isinstance(high, str) and number > Decimal(str(high)):
        raise FormError(f.key, f"The largest allowed is {high}.", "too_large")
    return str(number) if f.kind == "amount" else str(int(number))


def _place(f: FormField, value: str, regions: Regions | None) -> str:
    code, _, detail = value.partition("|")
    if regions is None:
        from .regions import load_regions

        regions = load_regions()
    node = regions.get(code)
    if node is None or node.level != (f.level or "community"):
        raise FormError(f.key, "Please choose the place from the list.", "region")
    if f.kind == "region":
        return code
    detail = detail.strip()
    if not detail:
        raise FormError(f.key, "Please add the building and room number.", "address_detail")
    if f.detail_max_length is not None and len(detail) > f.detail_max_length:
        raise FormError(f.key, f"Please keep the address to {f.detail_max_length} characters.",
                        "too_long")
    return f"{code}|{detail}"


def _relation(f: FormField, value: str, today: date) -> str:
    relation, _, number = value.partition("|")
    if relation not in f.relations:
        raise FormError(f.key, "Please choose how you are related.", "relation")
    if not number:
        raise FormError(f.key, "Please read their card or enter their ID number.", "required")
    return f"{relation}|{_id_number(f.key, number, today)}"
