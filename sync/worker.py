"""The sync worker: one background thread that drains the outbox to the platform.

It never blocks the kiosk: ``wake()`` just sets an event. Per-item verdicts decide a
record's fate (accepted/duplicate -> acked, conflict/rejected -> quarantined); anything
transient (network, 5xx, 429, a reply that makes no sense) puts the batch back with
exponential backoff and full jitter, and the worker keeps going later.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sync.backoff import backoff_delay
from sync.client import PlatformClient, PlatformError, PlatformUnavailable
from sync.outbox import Outbox, OutboxError, OutboxRecord

log = logging.getLogger(__name__)

DEFAULT_BATCH_ITEMS = 50
DEFAULT_BATCH_BYTES = 512 * 1024
DEFAULT_MAX_ITEM_BYTES = 256 * 1024


def _noop(*_args: object) -> None:
    return None


@dataclass
class SyncCallbacks:
    """Plain callbacks (called on the worker thread); the kiosk turns them into events."""

    sync_did_ack: Callable[[list[str]], None] = field(default=_noop)
    sync_did_fail: Callable[[str], None] = field(default=_noop)
    sync_did_quarantine: Callable[[str, str], None] = field(default=_noop)


class SyncWorker:
    """Background uploader. ``start()``, ``wake()`` after each enqueue, ``stop()`` at exit."""

    def __init__(
        self,
        outbox: Outbox,
        client: PlatformClient,
        interval: float = 2.0,
        callbacks: SyncCallbacks | None = None,
        *,
        batch_items: int = DEFAULT_BATCH_ITEMS,
        batch_bytes: int = DEFAULT_BATCH_BYTES,
        max_item_bytes: int = DEFAULT_MAX_ITEM_BYTES,
        backoff_base: float = 1.0,
        backoff_cap: float = 300.0,
        rng: random.Random | None = None,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self.interval = interval
        self.callbacks = callbacks or SyncCallbacks()
        self.batch_items = batch_items
        self.batch_bytes = batch_bytes
        self.max_item_bytes = max_item_bytes
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self.last_error: str | None = None
        self.last_success_at: datetime | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is not None:
            raise RuntimeError("sync worker already started")
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Sync now (non-blocking; safe from any thread)."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> bool:
        """Ask the thread to finish and wait at most ``timeout`` (default: one upload deadline).

        Returns True if it ended. A batch still in flight when we give up stays ``sending``
        and goes back to ``pending`` when the outbox is next opened.
        """
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is None:
            return True
        thread.join(self.client.timeout + 1.0 if timeout is None else timeout)
        return not thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- loop ----------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self._probe_if_backing_off()
                self.drain()
            except Exception:  # never let the thread die; the next round retries
                log.exception("sync round failed")
            if self._stopping.is_set():
                break
            self._wake.wait(self._sleep_time())

    def _probe_if_backing_off(self) -> None:
        """While uploads back off, a cheap health check each round ends the wait early.

        Backoff protects the platform from retries of whole batches; a GET /v1/health per
        interval is cheap, and lets the outbox drain within one interval of the platform
        coming back instead of after a long backoff delay.
        """
        if self._failures == 0:
            return
        due = self.outbox.next_due_at()
        if due is None or due <= self.outbox.clock.now():
            return
        if self.client.ping():
            log.info("platform reachable again; retrying now")
            self._failures = 0
            self.outbox.retry_now()

    def _sleep_time(self) -> float:
        try:
            due = self.outbox.next_due_at()
        except OutboxError:
            return self.interval
        if due is None:
            return self.interval
        wait = (due - self.outbox.clock.now()).total_seconds()
        return min(self.interval, max(0.0, wait))

    def drain(self) -> int:
        """Upload due records batch by batch until none is due or an upload fails.

        Returns how many records were acked. Public so tests and a maintenance command
        can run one round synchronously (not while the thread runs).
        """
        acked_total = 0
        while not self._stopping.is_set():
            now = self.outbox.clock.now()
            batch = self.outbox.next_batch(self.batch_items, self.batch_bytes, now)
            if not batch:
                break
            sendable = [r for r in batch if not self._quarantine_oversize(r)]
            if not sendable:
                continue
            acked, ok = self._send(sendable)
            acked_total += acked
            if not ok:
                break
        return acked_total

    def _quarantine_oversize(self, record: OutboxRecord) -> bool:
        if record.envelope is not None and len(record.envelope) <= self.max_item_bytes:
            return False
        reason = "envelope too large for the platform" if record.envelope else "envelope missing"
        self.outbox.mark_quarantined(record.id, reason, verdict="too_large")
        self._notify(self.callbacks.sync_did_quarantine, record.id, reason)
        return True

    def _send(self, batch: list[OutboxRecord]) -> tuple[int, bool]:
        ids = [r.id for r in batch]
        try:
            results = self.client.upload([(r.id, r.envelope or b"") for r in batch])
        except Exception as exc:  # PlatformError, or a bug: either way the batch must not stick
            self._fail(ids, exc)
            return 0, False
        acked = {txid: res.verdict for txid, res in results.items() if res.is_success}
        if acked:
            self.outbox.mark_acked(list(acked), acked)
        for txid, res in results.items():
            if not res.is_success:
                reason = res.reason or res.verdict
                self.outbox.mark_quarantined(txid, reason, verdict=res.verdict)
                self._notify(self.callbacks.sync_did_quarantine, txid, reason)
        missing = [txid for txid in ids if txid not in results]
        if missing:
            self.outbox.mark_retry(
                missing, "platform gave no verdict", self._retry_time(self._failures + 1)
            )
        self._failures = 0
        self.last_error = None
        self.last_success_at = self.outbox.clock.now()
        if acked:
            self._notify(self.callbacks.sync_did_ack, list(acked))
        return len(acked), not missing

    def _retry_time(self, attempt: int, retry_after: float | None = None) -> datetime:
        delay = backoff_delay(attempt, self.backoff_base, self.backoff_cap, self._rng.random())
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff_cap))
        return self.outbox.clock.now() + timedelta(seconds=delay)

    def _fail(self, ids: list[str], exc: Exception) -> None:
        self._failures += 1
        if isinstance(exc, PlatformError):
            text = str(exc)
        else:
            log.exception("unexpected error during upload")
            text = f"upload failed: {type(exc).__name__}"
        retry_after = exc.retry_after if isinstance(exc, PlatformUnavailable) else None
        self.outbox.mark_retry(ids, text, self._retry_time(self._failures, retry_after))
        self.last_error = text
        log.warning("sync failed (%d in a row): %s", self._failures, text)
        self._notify(self.callbacks.sync_did_fail, text)

    @staticmethod
    def _notify(callback: Callable[..., None], *args: object) -> None:
        try:
            callback(*args)
        except Exception:
            log.exception("sync callback failed")
