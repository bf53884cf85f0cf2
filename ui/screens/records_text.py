"""The words of 我的办件: application rows, the records sheet, and why something failed.

Large plain labels (the theme sizes them, care mode included), one fact per line so a page
reads aloud well; the name is masked, amounts are in yuan (kiosk/records/display.py).
"""

from __future__ import annotations

from devices.masking import mask_name
from kiosk.records.display import insurance_months, yuan
from kiosk.records.visit import TransactionRow
from sync.platform.records import CitizenRecords

from ..qt import QObject, QWidget, SpacedColumn
from ..widgets import clear_layout, label

MEDICAL_USES_SHOWN = 6
MONTHS_SHOWN = 12


class RecordsText(QObject):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)

    # applications ------------------------------------------------------------------------
    def status(self, status: str) -> str:
        words = {
            "pending_upload": self.tr("on this kiosk, waiting to be sent"),
            "sent": self.tr("sent to the office"),
            "needs_staff": self.tr("not accepted by the platform; please ask staff"),
            "accepted": self.tr("accepted by the office"),
            "processing": self.tr("being processed"),
            "approved": self.tr("approved"),
            "rejected": self.tr("not approved"),
            "ready_for_pickup": self.tr("ready for pickup"),
        }
        return words.get(status, status)

    def fill_transactions(self, layout: SpacedColumn, rows: tuple[TransactionRow, ...]) -> None:
        clear_layout(layout)
        if not rows:
            layout.addWidget(label(self.tr("No applications found."), name="records-none"))
            return
        for row in rows:
            text = self.tr("%1 — %2 (submitted %3)").replace("%1", row.title).replace(
                "%2", self.status(row.status)).replace("%3", row.day)
            if row.tracking_number:
                text += "\n" + self.tr("Tracking number: %1").replace("%1", row.tracking_number)
            if row.reason:
                text += "\n" + self.tr("Reason: %1").replace("%1", row.reason)
            if row.source == "kiosk":
                text += "\n" + self.tr("(known to this kiosk only so far)")
            layout.addWidget(label(text, name="records-row"))

    # records -----------------------------------------------------------------------------
    def insurance(self, name: str) -> str:
        return {
            "pension": self.tr("pension"), "medical": self.tr("medical"),
            "unemployment": self.tr("unemployment"), "work_injury": self.tr("work injury"),
        }.get(name, name)

    def fill_records(self, layout: SpacedColumn, records: CitizenRecords) -> None:
        clear_layout(layout)

        def heading(text: str) -> None:
            layout.addWidget(label(text, role="heading", name="records-heading"))

        def line(text: str) -> None:
            layout.addWidget(label(text, name="records-line"))

        line(self.tr("%1, employer: %2").replace("%1", mask_name(records.name)).replace(
            "%2", records.employer))
        heading(self.tr("Social insurance contributions"))
        for month in insurance_months(records, MONTHS_SHOWN):
            parts = ", ".join(f"{self.insurance(i)} {yuan(f)}"
                              for i, f in month.totals_fen.items())
            paid = self.tr("paid") if month.paid else self.tr("not yet paid")
            line(self.tr("%1: base %2 yuan, you paid %3 yuan (%4); %5").replace(
                "%1", month.month).replace("%2", yuan(month.base_fen)).replace(
                "%3", yuan(month.personal_fen)).replace("%4", parts).replace("%5", paid))
        heading(self.tr("Medical insurance account"))
        line(self.tr("Balance: %1 yuan").replace("%1", yuan(records.medical_balance_fen)))
        for use in records.medical_uses[:MEDICAL_USES_SHOWN]:
            line(self.tr("%1 %2: %3 yuan").replace("%1", use.day).replace(
                "%2", use.place).replace("%3", yuan(use.amount_fen)))
        heading(self.tr("Housing fund"))
        line(self.tr("Balance: %1 yuan").replace("%1", yuan(records.fund_balance_fen)))
        for deposit in sorted(records.fund_deposits, key=lambda d: d.month,
                              reverse=True)[:MONTHS_SHOWN]:
            line(self.tr("%1: deposited %2 yuan").replace("%1", deposit.month).replace(
                "%2", yuan(deposit.amount_fen)))
        heading(self.tr("Individual income tax"))
        for tax in sorted(records.tax, key=lambda t: t.month, reverse=True)[:MONTHS_SHOWN]:
            line(self.tr("%1: income %2 yuan, tax %3 yuan").replace("%1", tax.month).replace(
                "%2", yuan(tax.income_fen)).replace("%3", yuan(tax.tax_fen)))
        layout.addStretch(1)

    # problems ----------------------------------------------------------------------------
    def problem(self, reason: str) -> str:
        words = {
            "blocked": self.tr("The card's PIN is blocked after three wrong tries. Your records "
                               "stay closed; staff at the social-security counter can unblock "
                               "it."),
            "offline": self.tr("The platform cannot be reached now, so your records cannot be "
                               "shown. Please try again later or ask at the counter."),
            "refused": self.tr("The platform did not open your records. Please ask staff."),
            "none": self.tr("The platform holds no records for you."),
            "error": self.tr("Something went wrong while asking the platform. Please try again "
                             "or ask staff."),
            "removed": self.tr("The card was taken out. Please insert it again to check the "
                               "PIN."),
            "no_pin": self.tr("This kiosk cannot check a card PIN. Please ask staff."),
            "pin_form": self.tr("The PIN has 6 digits. Please type it again."),
            "wrong_pin": self.tr("Wrong PIN."),
        }
        return words.get(reason, self.tr("Something went wrong. Please ask staff."))
