"""Talking to systemd (issue 13, item 6): READY=1 once the home screen is painted, WATCHDOG=1
while the GUI thread lives, STOPPING=1 on the way out (docs/deployment.md).

No Qt here: ``ui.watchdog`` drives it from a QTimer on the GUI thread. Without
``NOTIFY_SOCKET`` (a kiosk started by hand, on Windows, or by a service manager that does not
listen) every call does nothing, and the library is never imported.

Under cage, cage is the unit's main process and the kiosk its child: systemd's
``WATCHDOG_PID`` names cage, so it is deliberately not checked here (the unit sets
``NotifyAccess=all`` so the child's messages count).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

Sender = Callable[[str], None]


def _cysystemd_sender() -> Sender | None:
    try:
        from cysystemd.daemon import Notification, notify
    except ImportError:
        log.warning("NOTIFY_SOCKET is set but cysystemd is not installed: systemd is not told")
        return None
    by_word = {"READY": Notification.READY, "WATCHDOG": Notification.WATCHDOG,
               "STOPPING": Notification.STOPPING}

    def send(message: str) -> None:
        word, _, value = message.partition("=")
        if word == "STATUS":
            notify(Notification.STATUS, value)
        else:
            notify(by_word[word])

    return send


class ServiceManager:
    """The kiosk's side of the sd_notify protocol; quiet when nobody listens."""

    def __init__(self, env: Mapping[str, str] | None = None,
                 sender: Sender | None = None) -> None:
        env = os.environ if env is None else env
        self.listening = bool(env.get("NOTIFY_SOCKET"))
        self.watchdog_interval_s = _half_interval(env.get("WATCHDOG_USEC"))
        self._send: Sender | None = None
        if self.listening:
            self._send = sender if sender is not None else _cysystemd_sender()

    def _tell(self, message: str) -> None:
        if self._send is None:
            return
        try:
            self._send(message)
        except OSError as exc:  # systemd gone or the socket full: the kiosk keeps serving
            log.warning("could not tell the service manager %s: %s", message, exc)

    def ready(self) -> None:
        self._tell("READY=1")

    def watchdog(self) -> None:
        self._tell("WATCHDOG=1")

    def stopping(self) -> None:
        self._tell("STOPPING=1")

    def status(self, text: str) -> None:
        self._tell(f"STATUS={text}")


def _half_interval(usec: str | None) -> float | None:
    """Ping at half the unit's WatchdogSec= (``WATCHDOG_USEC``), as sd_watchdog_enabled advises."""
    if not usec:
        return None
    try:
        value = int(usec)
    except ValueError:
        log.warning("WATCHDOG_USEC=%r is not a number of microseconds: no watchdog pings", usec)
        return None
    return value / 2_000_000 if value > 0 else None
