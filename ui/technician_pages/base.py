"""What every technician page shares: a heading, a scrolling body of text, buttons below;
``load`` asks the core again (off the GUI thread), ``clear`` forgets what was shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.core import KioskCore

from ..operation import watch
from ..qt import QCoreApplication, QFrame, QLayout, QWidget, SpacedColumn
from ..scroll_panel import ScrollPanel
from ..widgets import label

# The panel's gate: ``guarded(action, do)`` runs ``do`` only for a signed-in technician, and
# logs and audits the action with their staff number (ui/technician.py).
Guarded = Callable[[str, Callable[[], Any]], Callable[[], None]]

translate = QCoreApplication.translate


def mib(value: int | None) -> str:
    return "?" if value is None else f"{value / 1024 / 1024:,.0f} MiB"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, _ = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return (f"{days} d " if days else "") + f"{hours} h {minutes:02d} min"


class Page(QFrame):
    """A heading, a body of text, and buttons; ``load`` asks the core again."""

    def __init__(self, core: KioskCore, heading: str, name: str) -> None:
        super().__init__()
        self.core = core
        self.setObjectName(name)
        self.column = SpacedColumn(self)
        self.column.addWidget(label(heading, role="heading"))
        # The text scrolls: a long settings list or log clipped in care mode on the portrait
        # screen (tests/qt/test_measured_more_screens.py).
        self.text_panel = ScrollPanel(name)
        self.body = label("", name=f"{name}-text")
        self.text_panel.body.addWidget(self.body)
        self.text_panel.body.addStretch(1)
        self.column.addWidget(self.text_panel, 1)

    def add_scrolling(self, item: QWidget | QLayout) -> None:
        """Under the text, inside the scrolling part: at 1280x1024 a page's controls below a
        scrolling text overlapped (tests/qt/test_measured_more_screens.py)."""
        at = self.text_panel.body.count() - 1  # before the closing stretch
        if isinstance(item, QLayout):
            self.text_panel.body.insertLayout(at, item)
        else:
            self.text_panel.body.insertWidget(at, item)

    def load(self) -> None:
        raise NotImplementedError

    def _ask(self, future: Any, what: str, show: Callable[[Any], None]) -> None:
        self.body.setText(translate("TechnicianPages", "Checking…"))
        watch(
            future,
            what,
            self,
            success=show,
            failure=lambda e: self.body.setText(
                translate("TechnicianPages", "The check failed: %1").replace(
                    "%1", f"{type(e).__name__}: {e}"
                )
            ),
        )

    def clear(self) -> None:
        self.body.clear()
