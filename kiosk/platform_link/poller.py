"""The platform poller: the kiosk's one thread that asks the platform things on its own."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class PlatformPoller:
    """Every ``interval`` seconds: is the platform reachable, and if so, the downlink's round.

    Reachability lets the home screen say which services need the network and are unavailable
    now (ACCESSIBILITY.md 16). When the platform answers, ``when_online`` runs on the same
    thread: the kiosk tells the sync worker (so a backlog held back by a network failure goes at
    once) and runs the downlink's chores (heartbeat, statuses, catalogue, staff list, calls).
    The ping uses the poller thread's own client.
    """

    def __init__(
        self,
        ping: Callable[[], bool],
        on_change: Callable[[bool], None],
        interval: float = 30.0,
        when_online: Callable[[], None] | None = None,
    ) -> None:
        self._ping = ping
        self._when_online = when_online
        self._on_change = on_change
        self.interval = interval
        self.online: bool | None = None  # unknown until the first answer
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="platform-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def check_now(self) -> bool:
        online = bool(self._ping())
        if online != self.online:
            self.online = online
            log.info("platform is %s", "reachable" if online else "not reachable")
            self._on_change(online)
        return online

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.check_now() and self._when_online is not None:
                    self._when_online()  # heartbeat, statuses, catalog: only when reachable
            except Exception:
                log.exception("platform poller round failed")
            self._stop.wait(self.interval)
