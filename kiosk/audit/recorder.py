"""What the running kiosk writes to its audit trail, and the hand-over to the outbox.

The audit file is opened on the first entry, so a kiosk start costs nothing more. Writing an
entry never stops the kiosk: a failure is logged (in words) and the kiosk goes on; the entry
that could not be written is said in the log, which technicians read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.audit.forward import forward
from kiosk.audit.store import AuditLog
from sync.clock import Clock
from sync.outbox.store import Outbox

log = logging.getLogger(__name__)


class AuditRecorder:
    def __init__(self, path: Path, clock: Clock, outbox: Outbox | None, kiosk_id: str) -> None:
        self.path = path
        self.clock = clock
        self.outbox = outbox
        self.kiosk_id = kiosk_id
        self._log: AuditLog | None = None
        self._lock = threading.Lock()

    def record(self, kind: str, actor: str, details: Mapping[str, Any] | None = None) -> None:
        """Append one entry and hand every waiting one to the outbox."""
        with self._lock:
            try:
                if self._log is None:
                    self._log = AuditLog(self.path, self.clock)
                self._log.append(kind, actor, details)
                if self.outbox is not None:
                    forward(self._log, self.outbox, self.kiosk_id)
            except Exception as exc:  # the audit trail never takes the kiosk down
                log.error("audit entry %s by %s could not be written: %s", kind, actor, exc)

    def close(self) -> None:
        with self._lock:
            if self._log is not None:
                self._log.close()
                self._log = None
