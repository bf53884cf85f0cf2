"""Plain words for the reason codes the core reports; shown and spoken alike."""

from __future__ import annotations

from .qt import QCoreApplication


def card_problem(reason: str) -> str:
    messages = {
        "not_ssc": QCoreApplication.translate(
            "Messages",
            "This is not a social-security card. Please insert your social-security card, "
            "or place your ID card on the pad.",
        ),
        "removed": QCoreApplication.translate(
            "Messages", "The card was taken out too early. Please insert it again and wait."
        ),
        "other_card": QCoreApplication.translate(
            "Messages", "A different card was put in, so the visit ended and its details were "
            "cleared. Please start again."
        ),
        "timeout": QCoreApplication.translate(
            "Messages", "The card did not answer. Please take it out and insert it again."
        ),
        "malformed": QCoreApplication.translate(
            "Messages", "This card could not be read. Please ask staff for help."
        ),
        "io": QCoreApplication.translate(
            "Messages", "The card reader had a problem. Please try again."
        ),
        "no_service": QCoreApplication.translate(
            "Messages", "The card reader is not working. Please ask staff for help."
        ),
        "check_character": QCoreApplication.translate(
            "Messages", "The ID number on this card is not valid. Please ask staff."
        ),
        "birth_date": QCoreApplication.translate(
            "Messages", "The ID number on this card is not valid. Please ask staff."
        ),
        "form": QCoreApplication.translate(
            "Messages", "The ID number on this card is not valid. Please ask staff."
        ),
        "length": QCoreApplication.translate(
            "Messages", "The ID number on this card is not valid. Please ask staff."
        ),
        "region": QCoreApplication.translate(
            "Messages", "The ID number on this card is not valid. Please ask staff."
        ),
        "unsupported_card": QCoreApplication.translate(
            "Messages",
            "This kiosk cannot accept this kind of card yet. Please ask staff for help.",
        ),
        "sam": QCoreApplication.translate(
            "Messages", "The ID card reader is not working. Please ask staff for help."
        ),
        "checksum": QCoreApplication.translate(
            "Messages", "The card could not be read cleanly. Please lift it and place it again."
        ),
        "auth": QCoreApplication.translate(
            "Messages", "This card could not be verified. Please ask staff for help."
        ),
        "mute": QCoreApplication.translate(
            "Messages", "The card does not answer. Please check it is inserted the right way."
        ),
        "expired": QCoreApplication.translate(
            "Messages", "This card has expired. Please use a valid card or ask staff."
        ),
        "own_card": QCoreApplication.translate(
            "Messages",
            "This is your own card. Please take it out and let your family member insert theirs, "
            "or type their ID number.",
        ),
        "age": QCoreApplication.translate(
            "Messages", "This service is for older residents; your card does not meet the age rule."
        ),
        "ecode_expired": QCoreApplication.translate(
            "Messages", "This electronic card code has expired. Please refresh the code on your "
            "phone and scan it again."
        ),
        "ecode_replayed": QCoreApplication.translate(
            "Messages", "This electronic card code has already been used. Please refresh the "
            "code on your phone and scan the new one."
        ),
        "ecode_forged": QCoreApplication.translate(
            "Messages", "This code could not be verified as an electronic card code. Please use "
            "your card, or ask staff for help."
        ),
        "ecode_unknown": QCoreApplication.translate(
            "Messages", "This code could not be verified as an electronic card code. Please use "
            "your card, or ask staff for help."
        ),
        "ecode_malformed": QCoreApplication.translate(
            "Messages", "This code could not be verified as an electronic card code. Please use "
            "your card, or ask staff for help."
        ),
        "ecode_offline": QCoreApplication.translate(
            "Messages", "Electronic card codes cannot be checked while the network is down. "
            "Please use your card, or ask staff to help type your ID number."
        ),
        "ecode_not_accepted": QCoreApplication.translate(
            "Messages", "This service does not accept an electronic card code. Please use your "
            "card, or ask staff to help type your ID number."
        ),
        "over_age": QCoreApplication.translate(
            "Messages", "This service is only for people up to a certain age, and your card is "
            "above it. Staff can tell you which service fits you."
        ),
    }
    return messages.get(
        reason,
        QCoreApplication.translate(
            "Messages", "The card could not be used. Please ask staff for help."
        ),
    )


def scan_problem(reason: str) -> str:
    """A scan that leads nowhere on this screen, or a scanner fault, in words."""
    messages = {
        "unknown_code": QCoreApplication.translate(
            "Messages", "This QR code is not one the kiosk can use here."
        ),
        "other_kiosk": QCoreApplication.translate(
            "Messages", "This receipt was issued at another kiosk. Please type its number "
            "there, or ask at the counter."
        ),
        "no_service": QCoreApplication.translate(
            "Messages", "The QR code scanner is not working. Please ask staff for help."
        ),
    }
    return messages.get(reason, QCoreApplication.translate(
        "Messages", "The code could not be read. Please hold it still under the scanner and "
        "try again."
    ))


def submit_problem(code: str = "") -> str:
    if code == "backlog_full":
        return QCoreApplication.translate(
            "Messages",
            "This kiosk cannot take more applications until its network connection is back. "
            "Nothing was submitted. Please ask staff, or use another kiosk.",
        )
    return QCoreApplication.translate(
        "Messages",
        "Your application could not be saved, so nothing was submitted. Please ask staff for help.",
    )


def submit_interrupted() -> str:
    """An unexpected fault while saving: the citizen is back on confirm and may try again."""
    return QCoreApplication.translate(
        "Messages",
        "Something went wrong while submitting your application. Please try again, "
        "or ask staff for help.",
    )


def printer_problem() -> str:
    return QCoreApplication.translate(
        "Messages",
        "The printer cannot print right now. Your application is saved: please note the "
        "tracking number below or scan the code with your phone.",
    )
