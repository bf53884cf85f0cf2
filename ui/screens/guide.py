"""The service's guide, then the privacy notice before any card is read."""

from __future__ import annotations

from kiosk.flow import Step

from ..qt import QFrame, SpacedColumn
from ..widgets import button, clear_layout, label
from .base import Screen, UiContext


class GuideScreen(Screen):
    step = Step.GUIDE

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        panel = QFrame()
        panel.setProperty("role", "panel")
        self.lines = SpacedColumn(panel)
        self.layout_.addWidget(panel)
        self.layout_.addStretch(1)
        self.layout_.addWidget(
            button(self.tr("Start"), "guide-start", self.core.flow.accept_guide, primary=True)
        )

    def enter(self) -> None:
        service = self.core.flow.session.service
        if service is None:
            return
        self.title.setText(service.text(self.ctx.locale))
        clear_layout(self.lines)
        guide = service.guide.get(self.ctx.locale) or service.guide["zh_CN"]
        for line in guide:
            self.lines.addWidget(label(line))

    def prompt(self) -> str:
        service = self.core.flow.session.service
        guide = service.guide.get(self.ctx.locale, ()) if service else ()
        return " ".join([self.title.text(), *guide])


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
