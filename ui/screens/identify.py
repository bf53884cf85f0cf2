"""Identify: insert a card, with an animation, a spoken prompt and a visible countdown.

The alternatives without a card (ACCESSIBILITY.md 13, docs/identification.md): an electronic
card code shown on the citizen's phone, held under the QR code scanner (offered when the kiosk
has a scanner and the service accepts such codes), and an ID number typed with a staff
member's confirmation (:mod:`ui.assisted_identify`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk import events as ev
from kiosk.flow import Step

from ..animation import InsertCardAnimation
from ..messages import card_problem, scan_problem
from ..qt import QTimer, SpacedColumn, SpacedRow
from ..tile import Tile
from ..widgets import button, label
from .base import Screen, UiContext

if TYPE_CHECKING:
    from ..assisted_identify import AssistedIdentifyPanel

COUNTDOWN_SECONDS = 30


class IdentifyScreen(Screen):
    step = Step.IDENTIFY

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(
            self.tr("Please insert your social-security card or place your ID card on the pad")
        )
        self.animation = InsertCardAnimation()
        self.animation.setObjectName("identify-animation")
        self.countdown = label("", role="heading", name="identify-countdown")
        self.status = label("", role="error", name="identify-status")
        self.identity = label("", role="ok", name="identify-identity")
        # The ways without a card sit beside the animation: no extra row in care mode.
        top = SpacedRow()
        top.addStretch(1)
        top.addWidget(self.animation)
        alternatives = SpacedColumn()
        # Tiles: their words wrap where an English label or care mode's type is too long for
        # one line (1280x1024, the portrait screen).
        self.scan_button = Tile(self.tr("Scan an electronic card code"),
                                "identify-scan-ecode", self._explain_scan, primary=False)
        self.assist_button = Tile(self.tr("No card? Ask staff to help type your ID number"),
                                  "identify-staff-help", self._open_assist, primary=False)
        alternatives.addStretch(1)
        alternatives.addWidget(self.scan_button)
        alternatives.addWidget(self.assist_button)
        alternatives.addStretch(1)
        top.addLayout(alternatives, 3)
        top.addStretch(1)
        self.layout_.addLayout(top)
        for w in (self.countdown, self.status, self.identity):
            self.layout_.addWidget(w)
        self.layout_.addStretch(1)
        demo_row = SpacedRow()
        if ctx.demo_insert_card is not None:
            demo_row.addWidget(
                button(self.tr("Demo: insert the test card"), "demo-insert-card",
                       ctx.demo_insert_card)
            )
        if ctx.demo_place_id_card is not None:
            demo_row.addWidget(
                button(self.tr("Demo: place the test ID card"), "demo-place-id-card",
                       ctx.demo_place_id_card)
            )
        if ctx.demo_scan is not None:
            scan = ctx.demo_scan
            self.demo_scan = button(self.tr("Demo: scan a test electronic card code"),
                                    "demo-scan-ecode", lambda: scan("ecode"))
            demo_row.addWidget(self.demo_scan)
        self.layout_.addLayout(demo_row)
        self._assist: AssistedIdentifyPanel | None = None
        self._remaining = COUNTDOWN_SECONDS
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    def enter(self) -> None:
        self.status.clear()
        self.identity.clear()
        service = self.core.flow.session.service
        self.scan_button.setVisible(bool(self.core.scanners) and service is not None
                                    and "e_code" in service.identification)
        self._remaining = COUNTDOWN_SECONDS
        self._show_countdown()
        self._timer.start()
        self.animation.start()
        self.core.start_identify()

    def leave(self) -> None:
        if self._assist is not None:
            self._assist.close_panel()
        self._timer.stop()
        self.animation.stop()
        self.identity.clear()
        self.status.clear()

    def _explain_scan(self) -> None:
        text = self.tr("Open the electronic social-security card or medical-insurance code on "
                       "your phone and hold the QR code under the scanner.")
        self.status.clear()
        self.identity.setText(text)
        self.ctx.voice.say(text)

    def _open_assist(self) -> None:
        if self._assist is None:
            from ..assisted_identify import AssistedIdentifyPanel

            # Over the whole window: the staff member's keypad needs the room in care mode.
            self._assist = AssistedIdentifyPanel(self.core, self.window(), self.ctx.voice,
                                                 closed=self._assist_closed)
        self._timer.stop()  # staff take their time: the panel closes itself when left idle
        self._assist.open_panel()

    def _assist_closed(self) -> None:
        if self.core.flow.step is Step.IDENTIFY:
            self.extend()

    def _tick(self) -> None:
        self._remaining = max(self._remaining - 1, 0)
        self._show_countdown()
        if self._remaining == 0:
            self._timer.stop()
            window = self.window()
            if hasattr(window, "show_idle_warning"):
                window.show_idle_warning()

    def extend(self) -> None:
        """The citizen asked for more time."""
        self._remaining = COUNTDOWN_SECONDS
        self._show_countdown()
        self._timer.start()

    def _show_countdown(self) -> None:
        self.countdown.setText(self.tr("Time left: %n second(s)", "", self._remaining))

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.CardDidFail):
            text = card_problem(event.reason)
            self.identity.clear()
            self.status.setText(text)
            self.ctx.voice.say(text)
        elif isinstance(event, ev.CardDidRead):
            self.status.clear()
            self.identity.setText(
                self.tr("Card read: %1, %2").replace("%1", event.masked_name).replace(
                    "%2", event.masked_id
                )
            )
        elif isinstance(event, ev.EcodeDidScan):
            self.status.clear()
            self.identity.setText(self.tr("Checking your electronic card code…"))
            self.ctx.voice.say(self.identity.text())
        elif isinstance(event, ev.ScanDidFail):
            text = scan_problem(event.reason)
            self.identity.clear()
            self.status.setText(text)
            self.ctx.voice.say(text)
        elif isinstance(event, ev.CardDidInsert):
            self.status.clear()
            self.identity.setText(self.tr("Reading your card, please do not remove it…"))
            self.ctx.voice.say(self.identity.text())  # "Card read: …" is personal: not said
