"""The systemd watchdog fed from the GUI thread (issue 13, item 6; docs/deployment.md).

A QTimer on the GUI thread sends WATCHDOG=1 at half ``WATCHDOG_USEC``: when the event loop
hangs the pings stop and systemd restarts the kiosk. READY=1 goes out once, after the first
paint.

``KIOSK_TEST_BLOCK_GUI="<after_s>:<for_s>"`` blocks the GUI thread on purpose, for the test
that sees the pings stop (tests/deploy). Only whoever starts the process can set it; nothing
on the screen reaches it.
"""

from __future__ import annotations

import logging
import os
import time

from kiosk.service_manager import ServiceManager

from .qt import QObject, QTimer

log = logging.getLogger(__name__)

TEST_BLOCK_ENV = "KIOSK_TEST_BLOCK_GUI"


class Watchdog(QObject):
    """Tells systemd the kiosk is ready, then keeps telling it the GUI thread is alive."""

    def __init__(self, manager: ServiceManager | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.manager = manager if manager is not None else ServiceManager()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.manager.watchdog)

    def started(self) -> None:
        """Call on the GUI thread once the home screen is painted."""
        self.manager.ready()
        interval = self.manager.watchdog_interval_s
        if self.manager.listening and interval is not None:
            self.manager.watchdog()
            self._timer.start(max(1, int(interval * 1000)))
        self._arm_test_block(os.environ.get(TEST_BLOCK_ENV, ""))

    def stop(self) -> None:
        self._timer.stop()
        self.manager.stopping()

    def _arm_test_block(self, spec: str) -> None:
        if not spec:
            return
        try:
            after_s, for_s = (float(part) for part in spec.split(":"))
        except ValueError:
            log.warning("%s=%r is not <after_s>:<for_s>; ignored", TEST_BLOCK_ENV, spec)
            return

        def block() -> None:
            self.manager.status("test: GUI thread blocked")
            time.sleep(for_s)  # on purpose: the GUI thread does nothing, the pings stop
            self.manager.status("test: GUI thread free")

        QTimer.singleShot(int(after_s * 1000), block)
