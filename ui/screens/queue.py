"""取号: the queue number, very large, the window to go to, and how many wait ahead (or, for a
kiosk's local number given while the platform cannot be reached, that staff will fit it in).

The service's name is on the ticket, not here: in care mode on a 1280x1024 screen every line
counts. The number is shown whether or not the ticket printed: when the printer cannot, the screen
says so and the number stays up until Done. The voice reads the number one character at a
time (kiosk.queue_numbers.spoken_ticket). Nothing personal is asked or shown.
"""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Step
from kiosk.queue_numbers import spoken_ticket

from ..qt import (
    QEvent,
    QFrame,
    QLabel,
    QResizeEvent,
    Qt,
    QTimer,
    QWidget,
    SpacedColumn,
    SpacedRow,
)
from ..scroll_panel import ScrollPanel
from ..widgets import button, label
from .base import Screen, UiContext


class QueueScreen(Screen):
    step = Step.QUEUE

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.number = label("", role="ticket", name="queue-number", wrap=False)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.where = label("", role="note", name="queue-where")
        self.ahead = label("", name="queue-ahead")
        self.printing = label("", name="queue-print")
        # The number on a panel of its own; the words beside it on a wide screen, under it on
        # a tall one (see _arrange).
        body = QWidget()
        self.columns = SpacedRow(body)
        self.columns.setContentsMargins(0, 0, 0, 0)
        panel = QFrame()
        panel.setProperty("role", "panel")
        left = SpacedColumn(panel)
        left.addStretch(1)
        left.addWidget(self.number)
        left.addStretch(1)
        # Paged when a small screen in care mode has not the room for all of them.
        words = self.words = ScrollPanel("queue")
        for widget in (self.printing, self.where, self.ahead):
            words.body.addWidget(widget)
        words.body.addStretch(1)
        self.columns.addWidget(panel, 1)
        self.columns.addWidget(words, 1)
        self.layout_.addWidget(body, 1)
        self.done = button(self.tr("Done"), "queue-done", self.core.flow.reset, primary=True)
        self.layout_.addWidget(self.done)
        self._spoken = ""
        self._labels = (self.number, self.where, self.ahead, self.printing)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:  # care mode: other fonts, other widths
            QTimer.singleShot(0, self, self._arrange)  # after the labels took their fonts

    def _arrange(self) -> None:
        """The words beside the number only where they keep a column as wide as the number's
        panel (1920x1080); under it elsewhere (1280x1024, portrait screens, care mode)."""
        text = self.number.text() or "K0451-000"
        needed = self.number.fontMetrics().horizontalAdvance(text) + 4 * self.columns.spacing()
        wide = self.width() >= 2 * needed
        direction = SpacedRow.Direction.LeftToRight if wide else SpacedRow.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)
            self.columns.setStretch(0, 1 if wide else 0)  # stacked: the words take the room

    def enter(self) -> None:
        self.title.setText(self.tr("Taking a queue number, please wait…"))
        for widget in self._labels:
            widget.clear()
        self._set_role(self.printing, "")
        self.done.hide()
        self.words.to_top()
        self._spoken = self.title.text()

    def leave(self) -> None:
        for widget in self._labels:
            widget.clear()

    def prompt(self) -> str:
        return self._spoken

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.QueueNumberDidIssue):
            self._show_number(event)
        elif isinstance(event, ev.QueueTicketDidPrint):
            self._show_print(event.printed)
        elif isinstance(event, ev.QueueNumberDidFail):
            self.title.setText(self.tr("No queue number could be given"))
            text = self.tr("Sorry, the kiosk could not give you a number. Please ask the staff "
                           "at the service desk, or tap Call staff.")
            self.ahead.setText(text)
            self.done.show()
            self._say(f"{self.title.text()} {text}")

    def _show_number(self, event: ev.QueueNumberDidIssue) -> None:
        locale = self.ctx.locale
        number = self.core.flow.session.queue_number
        self.title.setText(self.tr("Your queue number"))
        self.number.setText(event.ticket)
        self.number.setAccessibleName(spoken_ticket(event.ticket, locale))
        if number is not None:
            place = self.core.site.describe(f"window:{number.window_key}", locale)
            self.where.setText(self.tr("Please go to %1 and wait to be called.")
                               .replace("%1", place))
        if event.local:
            self.ahead.setText(self.tr(
                "The network is not available, so this is a local number from this kiosk. "
                "Show it at the window: the staff will fit you in."))
        else:
            self.ahead.setText(self.tr("%n person(s) waiting before you.", "",
                                       event.waiting_ahead or 0))
        self.printing.setText(self.tr("Printing your ticket…"))
        self.done.show()
        self._arrange()
        self._say(" ".join([
            self.tr("Your queue number is %1.").replace("%1", spoken_ticket(event.ticket, locale)),
            self.where.text(), self.ahead.text(),
        ]))

    def _show_print(self, printed: bool) -> None:
        if printed:
            text = self.tr("Please take your ticket.")
            self._set_role(self.printing, "ok")
        else:
            text = self.tr("The ticket could not be printed. Please remember the number on "
                           "the screen, or write it down.")
            self._set_role(self.printing, "error")
        self.printing.setText(text)
        self._say(text)

    def _say(self, text: str) -> None:
        self._spoken = text
        self.ctx.voice.say(text)

    @staticmethod
    def _set_role(widget: QLabel, role: str) -> None:
        widget.setProperty("role", role)
        widget.style().polish(widget)
