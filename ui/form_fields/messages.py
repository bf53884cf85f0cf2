"""A refused answer in words a citizen understands, from the FormError's reason code."""

from __future__ import annotations

from kiosk.catalog import FormError, FormField
from kiosk.id_numbers import validate_id_number

from ..qt import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("FormMessages", text)


def _id_problem(value: str) -> str:
    number = value.rpartition("|")[2]
    reason = validate_id_number(number).reason if number else "length"
    if reason == "length":
        return _t("An ID number has 18 characters. Please check it.")
    if reason == "form":
        return _t("An ID number is 17 digits and then a digit or X. Please check it.")
    return _t("This ID number is not right. Please check each digit.")


def form_problem(error: FormError, field: FormField | None, value: str = "") -> str:
    """What to say about ``error`` on ``field`` (whose answer was ``value``)."""
    reason = error.reason
    if reason == "required":
        if field is not None and field.kind == "relation" and value:
            return _t("Please have their card read, or type their ID number.")
        if field is not None and field.kind in ("choice", "multi_choice", "yes_no", "relation",
                                                  "region", "address", "date"):
            return _t("Please choose an answer here.")
        return _t("Please fill this in.")
    if reason == "id_number":
        return _id_problem(value)
    low = field.minimum if field is not None else None
    high = field.maximum if field is not None else None
    words = {
        "not_an_option": _t("Please choose one of the answers shown."),
        "too_few": _t("Please choose at least %1.").replace(
            "%1", str(field.min_selected if field else "")),
        "too_many": _t("Please choose no more than %1.").replace(
            "%1", str(field.max_selected if field else "")),
        "phone": _t("Please type an 11-digit mobile number, or a landline with its area code."),
        "date": _t("Please choose a date."),
        "too_early": _t("That date is too early. Please choose a later one."),
        "too_late": _t("That date is too late. Please choose an earlier one."),
        "amount": _t("Please type an amount in yuan, with at most two digits after the point."),
        "count": _t("Please choose a whole number."),
        "too_small": _t("That is too small. The smallest allowed is %1.").replace("%1", str(low)),
        "too_large": _t("That is too large. The largest allowed is %1.").replace("%1", str(high)),
        "region": _t("Please choose the place from the list."),
        "address_detail": _t("Please add the building and room number."),
        "too_long": _t("That is too long. Please shorten it."),
        "relation": _t("Please choose how you are related."),
    }
    return words.get(reason, _t("This answer cannot be used. Please check it, or ask staff."))
