"""The service's guide, then the privacy notice before any card is read.

The guide says what the citizen needs before they start: conditions, materials, fee and the
promised time limit; how the service is finished (here at the kiosk, submitted here and
processed later, information only, or at a window); and where to go when the kiosk cannot
finish it — from the hall's site file, marked 示例 on a demo site. Only a service the kiosk
can complete has a Start button. In English, a guide that exists only in Chinese is shown in
Chinese under a one-line note saying so.
"""

from __future__ import annotations

from kiosk.catalog.model import Guide, Service
from kiosk.flow import Step
from kiosk.queue_numbers import window_of

from ..qt import QFrame, QWidget, SpacedColumn, SpacedRow
from ..scroll_panel import ScrollPanel
from ..widgets import button, clear_layout, label
from .base import Screen, UiContext


class GuideScreen(Screen):
    step = Step.GUIDE

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.panel = ScrollPanel("guide")
        frame = QFrame()
        frame.setProperty("role", "panel")
        self.lines = SpacedColumn(frame)
        self.panel.body.addWidget(frame)
        self.panel.body.addStretch(1)
        self.layout_.addWidget(self.panel, 1)
        actions = QWidget()
        row = SpacedRow(actions)
        row.setContentsMargins(0, 0, 0, 0)
        # 问: the common questions about this service (docs/questions.md)
        self.questions = button(self.tr("Common questions"), "guide-questions",
                                self.core.flow.open_questions)
        row.addWidget(self.questions)
        self.start = button(self.tr("Start"), "guide-start", self.core.flow.accept_guide,
                            primary=True)
        row.addWidget(self.start)
        # 取号 for a service that needs one of this hall's windows
        self.take_number = button(self.tr("Take a queue number"), "guide-take-number",
                                  self._take_number, primary=True)
        row.addWidget(self.take_number)
        # 缴费 for a payment service (a bill, a card's top-up); offline, why not instead
        self.pay = button(self.tr("Pay here"), "guide-pay", self._pay, primary=True)
        row.addWidget(self.pay)
        self.pay_note = label("", role="error", name="guide-pay-unavailable")
        self.layout_.addWidget(self.pay_note)
        self.layout_.addWidget(actions)
        self._spoken: list[str] = []

    def enter(self) -> None:
        service = self.core.flow.session.service
        if service is None:
            return
        self.title.setText(service.text(self.ctx.locale))
        clear_layout(self.lines)
        self._spoken = []
        guide = service.guide_detail.get(self.ctx.locale)
        if guide is None:
            if self.ctx.locale != "zh_CN":
                self._add(self.tr("This guide is available in Chinese only."), "note",
                          "guide-chinese-only")
            guide = service.guide_detail.get("zh_CN")
        if guide is not None:
            self._add_guide(guide)
        else:  # a catalogue of the old shape: lines only
            for line in service.guide.get(self.ctx.locale) or service.guide.get("zh_CN", ()):
                self._add(line)
        self._add(self._channel_words(service), "heading", "guide-channel")
        self._add_where(service)
        self.start.setVisible(service.completable)
        self.take_number.setVisible(window_of(service, self.core.site) is not None)
        self.questions.setVisible(bool(self.core.questions.for_topic("service", service.code)))
        self._show_pay(service)
        self.panel.to_top()

    def _show_pay(self, service: Service) -> None:
        """Offline, a payment service says why it cannot be paid here, and not a button."""
        payment = service.payment is not None
        available = payment and self.core.service_available(service.code)
        self.pay.setVisible(available)
        note = "" if available or not payment else self.tr(
            "Payment is unavailable right now: the kiosk cannot reach the payment platform. "
            "Please pay at one of the places below, or try again later.")
        self.pay_note.setText(note)
        self.pay_note.setVisible(bool(note))
        if note:
            self._spoken.append(note)

    def _pay(self) -> None:
        self.core.begin_payment()  # a second tap, or one at another step, starts nothing

    def _take_number(self) -> None:
        self.core.take_queue_number()  # a second tap, or one at another step, takes nothing

    def _add_guide(self, guide: Guide) -> None:
        # Headings in the kiosk's language; the lines in the guide's (Chinese when no English).
        sections = (
            (self.tr("Who can apply"), guide.conditions),
            (self.tr("What to bring"), guide.materials),
            (self.tr("Fee"), (guide.fee,)),
            (self.tr("Time limit"), (guide.time_limit,)),
            (self.tr("Good to know"), guide.notes),
        )
        for heading, lines in sections:
            lines = tuple(line for line in lines if line)
            if not lines:
                continue
            self._add(heading, "heading")
            for line in lines:
                self._add(("• " if len(lines) > 1 else "") + line)

    def _channel_words(self, service: Service) -> str:
        return {
            "kiosk": self.tr("You can finish this here at the kiosk."),
            "submit": self.tr("You apply here; the office handles it and you can check its "
                              "progress with your receipt."),
            "info": self.tr("This is information only: there is nothing to apply for here."),
            "window": self.tr("This needs a visit to a service window: the kiosk cannot "
                              "finish it."),
            "payment": self.tr("You can pay here by scanning a code with your phone."),
        }.get(service.channel, "")

    def _add_where(self, service: Service) -> None:
        if not service.where:
            return
        site = self.core.site
        heading = self.tr("Where to go") if service.completable else self.tr("Where to go instead")
        if service.payment is not None:
            heading = self.tr("Other ways to pay")
        self._add(heading, "heading")
        for ref in service.where:
            self._add("• " + site.describe(ref, self.ctx.locale))
        if site.sample:
            notice = site.sample_notice or {"zh_CN": "示例"}
            self._add(notice.get(self.ctx.locale) or notice["zh_CN"], "note", "guide-sample")

    def _add(self, text: str, role: str = "", name: str = "") -> None:
        self.lines.addWidget(label(text, role=role, name=name))
        self._spoken.append(text)

    def prompt(self) -> str:
        return " ".join([self.title.text(), *self._spoken])


class PrivacyScreen(Screen):
    step = Step.PRIVACY

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Before we read your card"))
        self.body = label(
            self.tr(
                "The kiosk will read your name, gender, ethnicity, date of birth, ID number and "
                "card number from your card. They are used only for this application, sent to "
                "the government platform encrypted, and erased from this kiosk when you finish."
            ),
            name="privacy-text",
        )
        self.layout_.addWidget(self.body)
        self.layout_.addStretch(1)
        self.layout_.addWidget(
            button(
                self.tr("I agree, continue"),
                "privacy-accept",
                self.core.flow.accept_privacy,
                primary=True,
            )
        )

    def prompt(self) -> str:
        return f"{self.title.text()} {self.body.text()}"
