"""The sync worker's second queue: plain messages (ratings, staff calls) after the submissions.

:class:`MessageSender` is owned by :class:`sync.worker.SyncWorker` and shares its link
(:class:`sync.link_health.PlatformLink`), with the same rules: only the platform's per-item
verdicts decide a message's fate (``accepted``/``duplicate`` -> acked, ``conflict``/
``rejected`` -> quarantined); a request that fails for any other reason backs off the one
link both queues share, and the messages wait for it with no hold of their own; a message
the platform judged nothing about waits by its own attempts. The worker drains submissions
first in every round, so a rating normally reaches the platform after the transaction it rates.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sync.link_health import PlatformLink, notify
from sync.outbox.messages_schema import OutboxMessage
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.platform.errors import ErrorKind, PlatformError

log = logging.getLogger(__name__)

TOO_LARGE_REASON = "message too large for the platform"
NO_VERDICT_REASON = "platform gave no verdict"


def _noop(*_args: object) -> None:
    return None


@dataclass
class MessageCallbacks:
    """What the message queue reports (on the worker thread): acks, quarantines, failures."""

    acked: Callable[[list[str]], None] = _noop
    quarantined: Callable[[str, str], None] = _noop
    failed: Callable[[str], None] = _noop


class MessageSender:
    """Drains the outbox's messages over the worker's link; ``drain()`` once per round.

    ``stopping`` is the worker's stop event (a drain ends between batches once it is set);
    ``batch_items`` the largest batch, halved while the platform says a batch is too large.
    """

    def __init__(self, outbox: Outbox, client: PlatformClient, link: PlatformLink,
                 callbacks: MessageCallbacks, *, batch_items: int,
                 stopping: threading.Event) -> None:
        self.outbox = outbox
        self.client = client
        self.link = link
        self.callbacks = callbacks
        self.batch_items = batch_items
        self._items_now = batch_items
        self._stopping = stopping

    def drain(self) -> int:
        """Upload due messages batch by batch while the link is open; how many were acked."""
        acked_total = 0
        while not self._stopping.is_set() and self.link.is_open():
            batch = self.outbox.messages.claim(self._items_now, self.link.clock.now())
            if not batch:
                break
            acked, ok = self._send(batch)
            acked_total += acked
            if not ok:
                break
        return acked_total

    def _send(self, batch: list[OutboxMessage]) -> tuple[int, bool]:
        ids = [m.id for m in batch]
        try:
            results = self.client.upload_messages([(m.id, m.kind, m.body) for m in batch])
        except Exception as exc:  # PlatformError or a bug: the batch must not stick
            if isinstance(exc, PlatformError) and exc.kind is ErrorKind.TOO_LARGE:
                return self._too_large(batch), True
            text = self.link.failed(exc)
            self.outbox.messages.mark_unsent(ids, text)
            notify(self.callbacks.failed, text)
            return 0, False
        # Refusals first: once a message of the batch reads acked, every refused one of the
        # same batch already reads quarantined (nothing is seen still "sending" after its reply).
        for message_id, res in results.items():
            if not res.is_success:
                self._quarantine(message_id, res.reason or res.verdict, res.verdict)
        acked = {i: res.verdict for i, res in results.items() if res.is_success}
        if acked:
            self.outbox.messages.mark_acked(list(acked), acked)
        missing = [m for m in batch if m.id not in results]
        for message in missing:
            self.outbox.messages.mark_retry([message.id], NO_VERDICT_REASON,
                                            self.link.hold(message.attempts))
        self.link.answered()
        self._items_now = min(self.batch_items, self._items_now * 2)
        if acked:
            notify(self.callbacks.acked, list(acked))
        return len(acked), not missing

    def _quarantine(self, message_id: str, reason: str, verdict: str) -> None:
        self.outbox.messages.mark_quarantined(message_id, reason, verdict)
        log.warning("message %s quarantined: %s", message_id, reason)
        notify(self.callbacks.quarantined, message_id, reason)

    def _too_large(self, batch: list[OutboxMessage]) -> int:
        """HTTP 413: halve the batch; a single message the platform refuses is quarantined."""
        if len(batch) == 1:
            self._quarantine(batch[0].id, TOO_LARGE_REASON, "too_large")
            return 0
        self._items_now = max(1, len(batch) // 2)
        self.outbox.messages.mark_retry([m.id for m in batch], "batch too large; split",
                                        self.link.clock.now())
        return 0
