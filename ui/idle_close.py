"""Staff panels close themselves after two minutes without a touch, a click or a key."""

from __future__ import annotations

from collections.abc import Callable

from .qt import QEvent, QObject, QTimer, application

IDLE_CLOSE_MS = 120_000
_ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress)


class IdleClose(QObject):
    """While armed, any activity anywhere in the window restarts ``timer``; when it runs out,
    ``on_idle`` is called. Arm it when a panel opens, disarm it when it closes."""

    def __init__(self, parent: QObject, on_idle: Callable[[], None]) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(IDLE_CLOSE_MS)
        self.timer.timeout.connect(on_idle)

    def arm(self) -> None:
        self.timer.start()
        application().installEventFilter(self)

    def disarm(self) -> None:
        self.timer.stop()
        application().removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in _ACTIVITY:
            self.timer.start()
        return False
