"""缴费: what the payment screen says in each state, in the kiosk's language (Qt tr()).

Every ending is said in words: paid, failed, expired, cancelled, the platform unreachable, a
late payment credited or refunded, and an outcome the kiosk could not learn (the 待确认 slip).
"""

from __future__ import annotations

from kiosk.catalog import Service
from kiosk.catalog.site import Site
from kiosk.payments.machine import PaymentMachine, PayState

from ..qt import QObject


class PaymentWords(QObject):
    """The words, as a QObject so that tr() has one context (lupdate reads it)."""

    def __init__(self, site: Site, locale: str) -> None:
        super().__init__()
        self.site = site
        self.locale = locale

    def account_label(self, service: Service) -> str:
        assert service.payment is not None
        if service.payment.top_up:
            return self.tr("transit card number")
        return {
            "water": self.tr("water account number"),
            "electricity": self.tr("electricity account number"),
            "gas": self.tr("gas account number"),
            "heating": self.tr("heating account number"),
        }[service.payment.biller]


    def pay_otherwise(self, service: Service) -> str:
        """Where in the hall (or nearby) a citizen without a smartphone can pay instead."""
        places = [self.site.describe(ref, self.locale) for ref in service.where
                  if ref.startswith(("window:", "place:"))]
        if not places:
            places = [self.site.describe("hotline", self.locale)]
        text = self.tr("No smartphone? You can pay at %1.")
        return text.replace("%1", self.tr("; or ").join(places))

    def problem_text(self, machine: PaymentMachine, service: Service) -> str:
        problem = machine.problem
        if problem is None:
            return ""
        if problem.code == "account_length":
            assert service.payment is not None
            text = self.tr("The number has %1 digits. Please check it and type it again.")
            return text.replace("%1", str(service.payment.account_digits))
        if problem.code == "unknown_account":
            return self.tr("No account with this number was found. Please check the number "
                           "on your bill or card and type it again.")
        if problem.code == "nothing_due":
            return self.tr("This account owes nothing at the moment. There is nothing to "
                           "pay.")
        if problem.code == "unavailable":
            return " ".join([self.tr("The payment service cannot be reached right now, so "
                                     "payment is unavailable here. Nothing was paid."),
                             self.pay_otherwise(service)])
        return self.tr("The payment could not be started: the bill changed. Nothing was "
                       "paid. Please look it up again.")

    def outcome_title(self, state: PayState) -> str:
        return {
            PayState.LOOKING_UP: self.tr("Looking up the account, please wait…"),
            PayState.CREATING: self.tr("Preparing the payment code, please wait…"),
            PayState.WAITING: self.tr("Scan the code with your phone to pay"),
            PayState.CANCELLING: self.tr("Cancelling the payment, please wait…"),
            PayState.START_FAILED: self.tr("The payment could not be started"),
            PayState.PAID: self.tr("Payment received"),
            PayState.FAILED: self.tr("The payment did not go through"),
            PayState.EXPIRED: self.tr("The time to pay is over"),
            PayState.CANCELLED: self.tr("Payment cancelled"),
            PayState.CREDITED: self.tr("Your late payment was credited"),
            PayState.REFUNDED: self.tr("Your late payment will be refunded"),
            PayState.UNKNOWN: self.tr("The payment result is not confirmed yet"),
        }.get(state, "")

    def outcome_text(self, machine: PaymentMachine, service: Service) -> str:
        state = machine.state
        if state is PayState.START_FAILED:
            if machine.problem is not None and machine.problem.code == "unavailable":
                return " ".join([self.tr("The payment service cannot be reached right now. "
                                         "Nothing was paid."), self.pay_otherwise(service)])
            return self.problem_text(machine, service)
        number = machine.order.order_no if machine.order else ""
        words = {
            PayState.PAID: self.tr("Thank you. The platform has confirmed your payment."),
            PayState.FAILED: self.tr("Your bank or wallet declined the payment. No money was "
                                     "taken. You may try again, or pay at a window."),
            PayState.EXPIRED: self.tr("No payment arrived in time, and no money was taken. If "
                                      "your phone shows that you paid, the platform will "
                                      "credit or refund it automatically."),
            PayState.CANCELLED: self.tr("The payment was cancelled. No money was taken."),
            PayState.CREDITED: self.tr("Your payment arrived after the time limit; the "
                                       "platform has credited it to the account."),
            PayState.REFUNDED: self.tr("Your payment arrived after the order had ended; the "
                                       "platform will pay it back to where it came from. "
                                       "There is nothing more to do."),
            PayState.UNKNOWN: self.tr("The kiosk could not reach the payment platform to "
                                      "confirm your payment. Please do not pay again. Take "
                                      "the slip: it has the order number %1 and how to check "
                                      "it; money taken is credited or refunded "
                                      "automatically."),
        }
        return words.get(state, "").replace("%1", number)

    def print_text(self, machine: PaymentMachine) -> tuple[str, str]:
        """(text, role) for the printer's part, once it has printed or failed."""
        if machine.printed is None:
            return self.tr("Printing…"), ""
        if machine.printed:
            return self.tr("Please take your slip."), "ok"
        number = machine.order.order_no if machine.order else ""
        text = self.tr("The slip could not be printed. Please write down the order number: %1")
        return text.replace("%1", number), "error"
