"""Core events arrive on any thread; the bridge re-emits them on the GUI thread."""

from __future__ import annotations

from kiosk.events import Event, EventBus

from .qt import QObject, Signal


class EventBridge(QObject):
    arrived = Signal(object)  # not "event": that is QObject.event(), which it would hide

    def __init__(self, bus: EventBus) -> None:
        super().__init__()
        # A signal emitted from a worker thread to this GUI-thread object is queued.
        self._unsubscribe = bus.subscribe(self._forward)

    def _forward(self, event: Event) -> None:
        self.arrived.emit(event)

    def close(self) -> None:
        self._unsubscribe()
