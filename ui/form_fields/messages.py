"""A refused answer in words a citizen understands, from the FormError's reason code."""

from __future__ import annotations

from datetime import date

from kiosk.catalog import FormError, FormField
from kiosk.id_numbers import validate_id_number

from ..qt import QCoreApplication


def _id_problem(value: str, today: date) -> str:
    number = value.rpartition("|")[2]
    reason = validate_id_number(number, today).reason if number else "length"
    if reason == "length":
        return QCoreApplication.translate(
            "FormMessages", "An ID number has 18 characters. Please check it."
        )
    if reason == "form":
        return QCoreApplication.translate(
            "FormMessages", "An ID number is 17 digits and then a digit or X. Please check it."
        )
    return QCoreApplication.translate(
        "FormMessages", "This ID number is not right. Please check each digit."
    )


def form_problem(
    error: FormError, field: FormField | None, value: str = "", today: date = date.max
) -> str:
    """What to say about ``error`` on ``field`` (whose answer was ``value``, checked on the
    kiosk's ``today``)."""
    reason = error.reason
    if reason == "required":
        if field is not None and field.kind == "relation" and value:
            return QCoreApplication.translate(
                "FormMessages", "Please have their card read, or type their ID number."
            )
        if field is not None and field.kind in (
            "choice",
            "multi_choice",
            "yes_no",
            "relation",
            "region",
            "address",
            "date",
        ):
            return QCoreApplication.translate("FormMessages", "Please choose an answer here.")
        return QCoreApplication.translate("FormMessages", "Please fill this in.")
    if reason == "id_number":
        return _id_problem(value, today)
    low = field.minimum if field is not None else None
    high = field.maximum if field is not None else None
    words = {
        "not_an_option": QCoreApplication.translate(
            "FormMessages", "Please choose one of the answers shown."
        ),
        "too_few": QCoreApplication.translate("FormMessages", "Please choose at least %1.").replace(
            "%1", str(field.min_selected if field else "")
        ),
        "too_many": QCoreApplication.translate(
            "FormMessages", "Please choose no more than %1."
        ).replace("%1", str(field.max_selected if field else "")),
        "phone": QCoreApplication.translate(
            "FormMessages",
            "Please type an 11-digit mobile number, or a landline with its area code.",
        ),
        "date": QCoreApplication.translate("FormMessages", "Please choose a date."),
        "too_early": QCoreApplication.translate(
            "FormMessages", "That date is too early. Please choose a later one."
        ),
        "too_late": QCoreApplication.translate(
            "FormMessages", "That date is too late. Please choose an earlier one."
        ),
        "amount": QCoreApplication.translate(
            "FormMessages",
            "Please type an amount in yuan, with at most two digits after the point.",
        ),
        "count": QCoreApplication.translate("FormMessages", "Please choose a whole number."),
        "too_small": QCoreApplication.translate(
            "FormMessages", "That is too small. The smallest allowed is %1."
        ).replace("%1", str(low)),
        "too_large": QCoreApplication.translate(
            "FormMessages", "That is too large. The largest allowed is %1."
        ).replace("%1", str(high)),
        "region": QCoreApplication.translate(
            "FormMessages", "Please choose the place from the list."
        ),
        "address_detail": QCoreApplication.translate(
            "FormMessages", "Please add the building and room number."
        ),
        "too_long": QCoreApplication.translate(
            "FormMessages", "That is too long. Please shorten it."
        ),
        "relation": QCoreApplication.translate(
            "FormMessages", "Please choose how you are related."
        ),
    }
    return words.get(
        reason,
        QCoreApplication.translate(
            "FormMessages", "This answer cannot be used. Please check it, or ask staff."
        ),
    )
