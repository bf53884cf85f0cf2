"""A form answer as the citizen reads it back (confirm screen, receipt) and as logs hide it.

One place per field kind decides both: what of the value may be shown (masked through
:mod:`devices.masking`, like every personal value) and which parts of it are personal, so that
log redaction hides them while the session holds them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from devices.masking import mask_address, mask_id_number, mask_phone

from .catalog import FormField, localized
from .catalog.model import RELATION_TITLES
from .catalog.regions import Regions, load_regions

YES_NO = {"yes": {"zh_CN": "是", "en": "yes"}, "no": {"zh_CN": "否", "en": "no"}}
_JOIN = {"zh_CN": "、", "en": ", "}
_YUAN = {"zh_CN": "元", "en": "yuan"}


def shown_value(f: FormField, value: str, locale: str, regions: Regions | None = None) -> str:
    """``value`` (as the flow holds it) in words, personal parts masked."""
    if not value:
        return ""
    kind = f.kind
    if kind == "choice":
        return _option(f, value, locale)
    if kind == "multi_choice":
        parts = [_option(f, v, locale) for v in value.split(",") if v]
        return localized(_JOIN, locale).join(parts)
    if kind == "yes_no":
        return localized(YES_NO.get(value, {"zh_CN": value}), locale)
    if kind == "phone":
        return mask_phone(value)
    if kind == "id_number":
        return mask_id_number(value)
    if kind == "relation":
        relation, _, number = value.partition("|")
        title = localized(RELATION_TITLES.get(relation, {"zh_CN": relation}), locale)
        return f"{title} {mask_id_number(number)}"
    if kind in ("region", "address"):
        code, _, detail = value.partition("|")
        place = _place(code, locale, regions)
        return place if kind == "region" else f"{place} {mask_address(detail)}"
    if kind in ("amount", "count"):
        unit = localized(f.unit, locale) if f.unit else ""
        if kind == "amount" and not unit:
            unit = localized(_YUAN, locale)
        return f"{_number(value)} {unit}".strip()
    return value  # date (YYYY-MM-DD reads the same in both languages), short text


def personal_parts(f: FormField, value: str) -> dict[str, str]:
    """The personal parts of ``value``, each with the mask log lines show instead."""
    kind = f.kind
    if not value or kind in ("choice", "multi_choice", "yes_no", "count", "region"):
        return {}
    if kind == "phone":
        return {value: mask_phone(value)}
    if kind == "id_number":
        return {value: mask_id_number(value)}
    if kind == "relation":
        number = value.partition("|")[2]
        return {value: "[" + f.key + "]", number: mask_id_number(number)} if number else {}
    if kind == "address":
        detail = value.partition("|")[2]
        return {value: "[" + f.key + "]", detail: mask_address(detail)} if detail else {}
    return {value: "[" + f.key + "]"}  # a date of birth, an amount, a short text


def _option(f: FormField, value: str, locale: str) -> str:
    return next((localized(o.label, locale) for o in f.options if o.value == value), value)


def _place(code: str, locale: str, regions: Regions | None) -> str:
    regions = regions or load_regions()
    path = regions.path(code)
    if not path:
        return code
    return "".join(localized(r.name, locale) for r in path) if locale == "zh_CN" else \
        ", ".join(localized(r.name, locale) for r in reversed(path))


def _number(value: str) -> str:
    try:
        return f"{Decimal(value):,}"
    except InvalidOperation:
        return value
