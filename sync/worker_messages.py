"""The sync worker's second queue: plain messages (ratings, staff calls) after the submissions.

A mixin of :class:`sync.worker.SyncWorker`, with the same rules: only the platform's per-item
verdicts decide a message's fate (``accepted``/``duplicate`` -> acked, ``conflict``/
``rejected`` -> quarantined); a request that fails for any other reason backs off the one
link both queues share, and the messages wait for it with no hold of their own; a message
the platform judged nothing about waits by its own attempts. Submissions go first in every
round, so a rating normally reaches the platform after the transaction it rates.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sync.outbox.messages_schema import OutboxMessage
from sync.platform.client import PlatformClient
from sync.platform.errors import ErrorKind, PlatformError

if TYPE_CHECKING:
    from sync.outbox.store import Outbox
    from sync.worker import SyncCallbacks

log = logging.getLogger(__name__)

TOO_LARGE_REASON = "message too large for the platform"
NO_VERDICT_REASON = "platform gave no verdict"


class MessageDrain:
    """``drain_messages`` for the worker; state and helpers are the worker's own."""

    outbox: Outbox
    client: PlatformClient
    callbacks: SyncCallbacks
    batch_items: int
    _message_items: int
    _stopping: threading.Event

    if TYPE_CHECKING:  # the worker's own, declared for the type checker only

        def _link_open(self) -> bool: ...

        def _answered(self) -> None: ...

        def _link_failed(self, exc: Exception) -> str: ...

        def _hold(self, attempts: int) -> datetime: ...

        def _now(self) -> datetime: ...

        @staticmethod
        def _notify(callback: Callable[..., None], *args: object) -> None: ...

    def drain_messages(self) -> int:
        """Upload due messages batch by batch while the link is open; how many were acked."""
        acked_total = 0
        while not self._stopping.is_set() and self._link_open():
            batch = self.outbox.next_messages(self._message_items, self._now())
            if not batch:
                break
            acked, ok = self._send_messages(batch)
            acked_total += acked
            if not ok:
                break
        return acked_total

    def _send_messages(self, batch: list[OutboxMessage]) -> tuple[int, bool]:
        ids = [m.id for m in batch]
        try:
            results = self.client.upload_messages([(m.id, m.kind, m.body) for m in batch])
        except Exception as exc:  # PlatformError or a bug: the batch must not stick
            if isinstance(exc, PlatformError) and exc.kind is ErrorKind.TOO_LARGE:
                return self._messages_too_large(batch), True
            text = self._link_failed(exc)
            self.outbox.mark_messages_unsent(ids, text)
            self._notify(self.callbacks.sync_did_fail, text)
            return 0, False
        # Refusals first: once a message of the batch reads acked, every refused one of the
        # same batch already reads quarantined (nothing is seen still "sending" after its reply).
        for message_id, res in results.items():
            if not res.is_success:
                self._quarantine_message(message_id, res.reason or res.verdict, res.verdict)
        acked = {i: res.verdict for i, res in results.items() if res.is_success}
        if acked:
            self.outbox.mark_messages_acked(list(acked), acked)
        missing = [m for m in batch if m.id not in results]
        for message in missing:
            self.outbox.mark_messages_retry([message.id], NO_VERDICT_REASON,
                                            self._hold(message.attempts))
        self._answered()
        self._message_items = min(self.batch_items, self._message_items * 2)
        if acked:
            self._notify(self.callbacks.messages_did_ack, list(acked))
        return len(acked), not missing

    def _quarantine_message(self, message_id: str, reason: str, verdict: str) -> None:
        self.outbox.mark_message_quarantined(message_id, reason, verdict)
        log.warning("message %s quarantined: %s", message_id, reason)
        self._notify(self.callbacks.message_did_quarantine, message_id, reason)

    def _messages_too_large(self, batch: list[OutboxMessage]) -> int:
        """HTTP 413: halve the batch; a single message the platform refuses is quarantined."""
        if len(batch) == 1:
            self._quarantine_message(batch[0].id, TOO_LARGE_REASON, "too_large")
            return 0
        self._message_items = max(1, len(batch) // 2)
        self.outbox.mark_messages_retry([m.id for m in batch], "batch too large; split",
                                        self._now())
        return 0
