"""Submitting, then the receipt: printed, or shown on screen when the printer cannot."""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Step

from ..messages import printer_problem
from ..qt import QSize, QWidget, SpacedRow
from ..widgets import QrCode, button, label
from .base import Screen, UiContext


class SubmittingScreen(Screen):
    step = Step.SUBMITTING

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Submitting, please wait…"))
        self.layout_.addStretch(1)


class ReceiptScreen(Screen):
    step = Step.RECEIPT

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Your application has been accepted"))
        self.layout_.addWidget(label(self.tr("Tracking number")))
        self.tracking = label("", role="tracking", name="receipt-tracking")
        self.layout_.addWidget(self.tracking)
        self.status = label("", name="receipt-status")
        self.layout_.addWidget(self.status)
        self.qr = QrCode()
        self.qr.setObjectName("receipt-qr")
        self.qr.setMinimumSize(QSize(280, 280))  # about 70 mm: a phone reads it from arm's length
        self.qr.hide()
        # Shown only when the paper could not carry it (the citizen needs it for lookups),
        # beside the QR code so that the screen grows no taller.
        self.query_code = label("", name="receipt-query-code")
        self.query_code.hide()
        row = QWidget()
        beside = SpacedRow(row)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.addWidget(self.qr)
        beside.addWidget(self.query_code, 1)
        self.layout_.addWidget(row)
        self.layout_.addStretch(1)
        self.done = button(self.tr("Done"), "receipt-done", self.core.flow.finish_receipt,
                           primary=True)
        self.layout_.addWidget(self.done)

    def enter(self) -> None:
        self.tracking.setText(self.core.flow.session.tracking_number or "")
        self.status.setProperty("role", "")
        self.status.setText(self.tr("Printing your receipt…"))
        self.qr.hide()
        self.query_code.hide()

    def leave(self) -> None:
        self.tracking.clear()
        self.query_code.clear()
        self.query_code.hide()
        self.qr.set_payload("")

    def prompt(self) -> str:
        """The receipt's summary aloud, the same words as shown: accepted, the tracking number
        (not personal; the query code is never said), the receipt printing."""
        tracking = self.tracking.text()
        if not tracking:
            return self.tr("Your application has been accepted. Your receipt is printing.")
        return self.tr("Your application has been accepted. Tracking number: %1. Your "
                       "receipt is printing.").replace("%1", tracking)

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.ReceiptDidPrint):
            text = self.tr("Please take your receipt")
            self.status.setText(text)
            self.ctx.voice.say(text)
        elif isinstance(event, ev.ReceiptDidFail):
            text = printer_problem()
            self.status.setText(text)
            self.status.setProperty("role", "error")
            self.status.style().polish(self.status)
            status_url = self.core.config.platform.status_url
            self.qr.set_payload(
                event.qr_payload or status_url.format(tracking=event.tracking_number)
            )
            self.qr.show()
            if event.query_code:
                self.query_code.setText(
                    self.tr("Query code: %1 (write it down: you need it to check progress)")
                    .replace("%1", event.query_code)
                )
                self.query_code.show()
            self.ctx.voice.say(text)  # the words about the printer, never the code
