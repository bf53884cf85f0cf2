"""What the running kiosk writes to its audit trail, and the hand-over to the outbox.

The audit file is opened on the first entry, so a kiosk start costs nothing more. Writing an
entry never stops the kiosk: a failure is logged (in words) and the kiosk goes on; the entry
that could not be written is said in the log, which technicians read.

Beside single entries the recorder gives the heartbeat the log's head (:meth:`head`), records
a changed configuration at start (:meth:`check_configuration`) and prunes once a day
(:meth:`maintain_if_due`), all from the kiosk's background threads.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.audit.forward import forward
from kiosk.audit.store import AuditLog
from sync.clock import Clock
from sync.outbox.store import Outbox

if TYPE_CHECKING:
    from kiosk.config import Config

log = logging.getLogger(__name__)
MAINTENANCE_EVERY = timedelta(days=1)


class AuditRecorder:
    def __init__(self, path: Path, clock: Clock, outbox: Outbox | None, kiosk_id: str) -> None:
        self.path = path
        self.clock = clock
        self.outbox = outbox
        self.kiosk_id = kiosk_id
        self._log: AuditLog | None = None
        self._lock = threading.Lock()
        self._maintained_at: datetime | None = None

    def _open(self) -> AuditLog:
        if self._log is None:
            self._log = AuditLog(self.path, self.clock)
        return self._log

    def record(self, kind: str, actor: str, details: Mapping[str, Any] | None = None) -> None:
        """Append one entry and hand every waiting one to the outbox."""
        with self._lock:
            try:
                self._open().append(kind, actor, details)
                if self.outbox is not None:
                    forward(self._open(), self.outbox, self.kiosk_id)
            except Exception as exc:  # the audit trail never takes the kiosk down
                log.error("audit entry %s by %s could not be written: %s", kind, actor, exc)

    def head(self) -> tuple[int, str] | None:
        """The last entry's number and hash, for the heartbeat; None before the first entry."""
        with self._lock:
            try:
                if self._log is None and not self.path.exists():
                    return None
                seq, hash_ = self._open().head
            except Exception as exc:
                log.warning("the audit log's head could not be read: %s", exc)
                return None
        return (seq, hash_) if seq > 0 else None

    def check_configuration(self, config: Config) -> dict[str, Any] | None:
        """At start: a ``config.changed`` entry when the effective configuration differs from
        the one seen at the last start (the first time: a baseline entry); its details."""
        from kiosk.audit import config_digest as cd

        with self._lock:
            try:
                audit = self._open()
                salt = audit.meta(cd.SALT_KEY)
                if salt is None:
                    salt = cd.new_salt()
                    audit.set_meta(cd.SALT_KEY, salt)
                now = cd.fingerprint(cd.flatten(config), salt)
                before = cd.parse_fingerprint(audit.meta(cd.FINGERPRINT_KEY))
                if before is None:
                    details: dict[str, Any] | None = {"baseline": True, "keys": len(now["keys"])}
                else:
                    details = cd.changes(before, now)
                if details is not None:
                    audit.append("config.changed", "kiosk", details)
                    if self.outbox is not None:
                        forward(audit, self.outbox, self.kiosk_id)
                audit.set_meta(cd.FINGERPRINT_KEY, json.dumps(now, sort_keys=True))
                return details
            except Exception as exc:
                log.error("the configuration could not be compared with the last one: %s", exc)
                return None

    def setting_changed(self, actor: str, before: Config, after: Config) -> None:
        """A setting changed while the kiosk runs (by ``actor``, a staff id): the changed keys,
        and numbers and booleans from and to (docs/audit.md)."""
        from kiosk.audit.config_digest import setting_changes

        details = setting_changes(before, after)
        if details is not None:
            self.record("config.changed", actor, details)

    def maintain_if_due(self, retention_days: float) -> int | None:
        """Prune once a day (the first call after a start runs at once): entries older than
        ``retention_days`` that the platform acknowledged; then hand over what waits. How many
        went, or None when not due or it failed (said in the log)."""
        from kiosk.audit.retention import prune_acknowledged

        now = self.clock.now()
        last = self._maintained_at
        if last is not None and abs(now - last) < MAINTENANCE_EVERY:
            return None
        self._maintained_at = now
        with self._lock:
            try:
                if self._log is None and not self.path.exists():
                    return 0
                audit = self._open()
                gone = prune_acknowledged(audit, self._acked, self.kiosk_id, retention_days)
                if self.outbox is not None:
                    forward(audit, self.outbox, self.kiosk_id)
            except Exception as exc:
                log.error("the audit log could not be pruned: %s", exc)
                return None
        if gone:
            log.info("audit: %d entries older than %g days pruned", gone, retention_days)
        return gone

    def _acked(self, ids: list[str]) -> set[str]:
        if self.outbox is None:
            return set()
        found = set()
        for mid in ids:
            message = self.outbox.messages.get(mid)
            if message is not None and message.state == "acked":
                found.add(mid)
        return found

    def close(self) -> None:
        with self._lock:
            if self._log is not None:
                self._log.close()
                self._log = None
