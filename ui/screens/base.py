"""What every screen shares: access to the core, the locale, the voice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.core import KioskCore
from kiosk.events import Event
from kiosk.flow import Step

from ..qt import QWidget, SpacedColumn
from ..voice import Voice
from ..widgets import label


@dataclass
class UiContext:
    core: KioskCore
    voice: Voice
    locale: str
    demo_insert_card: Callable[[], None] | None = None
    demo_place_id_card: Callable[[], None] | None = None
    demo_scan: Callable[[str], None] | None = None  # "ecode" or "receipt", held to the scanner
    call_staff: Callable[[], None] | None = None  # the window's 呼叫工作人员 (banner, chime)
    switch_language: Callable[[], None] | None = None  # home's 中文 / English (the window's)
    audio_active: Callable[[], bool] | None = None  # audio mode on (speech in the headset)?


class Screen(QWidget):
    step: Step = Step.HOME

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(f"screen-{self.step.value}")
        self.layout_ = SpacedColumn(self)
        self.layout_.setSpacing(16)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.title = label(role="heading", name=f"{self.step.value}-title")
        self.layout_.addWidget(self.title)

    @property
    def core(self) -> KioskCore:
        return self.ctx.core

    def enter(self) -> None:
        """Called each time the step is shown: refresh from the session."""

    def leave(self) -> None:
        """Called when another step is shown: drop anything personal from the widgets."""

    def audio_mode_changed(self) -> None:
        """Audio mode came on or went off while this screen is shown."""

    def extend(self) -> None:
        """The citizen asked for more time (a screen with a countdown of its own restarts it)."""

    def expects_card_swap(self) -> bool:
        """True while the screen asks for another card in the reader (a relation field
        waiting for a family member's): taking the citizen's own card out is then expected."""
        return False

    def holds_idle(self) -> bool:
        """True while the idle guard must wait (a payment the citizen may be making on their
        phone, until its deadline): the session is not ended under them."""
        return False

    def prompt(self) -> str:
        return self.title.text()

    def on_event(self, event: Event) -> None:
        """Core events, already on the GUI thread."""
