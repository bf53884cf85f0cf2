"""When the platform last answered this kiosk, kept across restarts, so that a kiosk that
starts offline can still say when it last synced (the offline banner, docs/home-screen.md).

The time is written to ``last_contact.json`` in the data directory (mode 0600, replaced
atomically) at most every ``every_seconds`` while the platform answers, and at once when it
stops answering; so after a crash it is at most that old. A damaged file counts as no contact.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime
from pathlib import Path

from sync import atomic_file
from sync.clock import Clock
from sync.file_modes import PRIVATE_FILE

log = logging.getLogger(__name__)

CONTACT_FILE = "last_contact.json"


class LastContact:
    """The last answer's time (UTC). ``seen`` and ``lost`` may run on any thread."""

    def __init__(self, path: Path, clock: Clock, every_seconds: float = 600.0) -> None:
        self.path = path
        self._clock = clock
        self._every = every_seconds
        self._lock = threading.Lock()
        self._written_at: float | None = None
        self.at: datetime | None = self._read()
        self._saved = self.at

    def _read(self) -> datetime | None:
        try:
            at = datetime.fromisoformat(json.loads(self.path.read_text("utf-8"))["at"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s unreadable (%s): no last contact known", self.path, exc)
            return None
        return at if at.tzinfo is not None else None

    def seen(self) -> None:
        """The platform answered now."""
        with self._lock:
            self.at = self._clock.now()
            due = (self._written_at is None
                   or self._clock.monotonic() - self._written_at >= self._every)
        if due:
            self._save()

    def lost(self) -> None:
        """The platform stopped answering: keep the last answer's time now."""
        self._save()

    def _save(self) -> None:
        with self._lock:
            at = self.at
            if at is None or at == self._saved:
                return
            self._saved = at
            self._written_at = self._clock.monotonic()
        text = json.dumps({"at": at.isoformat()}) + "\n"
        try:
            atomic_file.write_atomic(self.path, text.encode("utf-8"), PRIVATE_FILE)
        except OSError as exc:
            log.error("last contact not saved to %s: %s", self.path, exc)
