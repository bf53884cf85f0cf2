"""A long press: how staff reach their panels without a button a citizen would tap."""

from __future__ import annotations

from typing import Any

from .qt import QEvent, QObject, QTimer

LONG_PRESS_MS = 3000


class LongPress(QObject):
    """Calls ``action`` when the watched widget is held down for LONG_PRESS_MS."""

    def __init__(self, watched: QObject, action: Any) -> None:
        super().__init__(watched)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LONG_PRESS_MS)
        self._timer.timeout.connect(action)
        watched.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._timer.start()
        elif event.type() in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd):
            self._timer.stop()
        return False
