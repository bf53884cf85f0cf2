"""The sync worker: one background thread that drains the outbox to the platform.

It never blocks the kiosk: ``wake()`` just sets an event. Only the platform's per-item
verdicts decide a record's fate (accepted/duplicate -> acked, conflict/rejected ->
quarantined), plus one case the platform can never take: a record too large to send.

Anything else that goes wrong with a request (network, TLS, 5xx, 429, a refused signature
or a skewed clock, a reply that makes no sense, an error type added later) is a failure of
the link, not of the records: the batch goes back to the queue with the error text and no
retry time of its own, never quarantined, and the *link* backs off (exponential, full
jitter: :class:`sync.backoff.LinkBackoff`). As soon as the platform answers again the link
is released and the whole backlog goes at full batch speed: an upload goes through, the
worker's own health check (or, after a refused signature, a signed identity check) passes,
or the kiosk's platform poller calls :meth:`SyncWorker.platform_answered`. A new worker (a
restarted kiosk) starts with an open link. When the platform itself asked us to wait
(``Retry-After`` on 429/503) that wait is honoured instead.

:meth:`SyncWorker.health` is what diagnostics show: the last error, when an upload last went
through, and when the next one will go.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sync.link_health import NETWORK_KINDS, PlatformLink, SyncHealth, error_kind, notify
from sync.outbox.errors import OutboxError
from sync.outbox.schema import OutboxRecord
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.platform.errors import ErrorKind, PlatformError
from sync.worker_messages import MessageCallbacks, MessageSender

__all__ = ["NETWORK_KINDS", "SyncCallbacks", "SyncHealth", "SyncWorker", "error_kind"]

log = logging.getLogger(__name__)

DEFAULT_BATCH_ITEMS = 50
DEFAULT_BATCH_BYTES = 512 * 1024
DEFAULT_MAX_ITEM_BYTES = 256 * 1024
DEFAULT_MAX_RETRY_AFTER = 3600.0
DEFAULT_PURGE_INTERVAL = 3600.0
AUTH_PROBE_INTERVAL = 30.0  # seconds between signed identity checks while refused
TOO_LARGE_REASON = "envelope too large for the platform"
NO_VERDICT_REASON = "platform gave no verdict"


def _noop(*_args: object) -> None:
    return None


@dataclass
class SyncCallbacks:
    """Plain callbacks (called on the worker thread); the kiosk turns them into events."""

    sync_did_ack: Callable[[list[str]], None] = field(default=_noop)
    sync_did_fail: Callable[[str], None] = field(default=_noop)
    sync_did_quarantine: Callable[[str, str], None] = field(default=_noop)
    messages_did_ack: Callable[[list[str]], None] = field(default=_noop)
    message_did_quarantine: Callable[[str, str], None] = field(default=_noop)


class SyncWorker:
    """Background uploader. ``start()``, ``wake()`` after each enqueue, ``stop()`` at exit.

    Time comes from ``outbox.clock`` (the link's backoff from its monotonic reading) and
    jitter from ``rng``, so backoff is testable with ``drain()`` and a fake clock, without
    waiting. ``health()`` and ``platform_answered()`` are safe from any thread. The link's
    state is a :class:`~sync.link_health.PlatformLink` the worker shares with its message
    queue (:class:`~sync.worker_messages.MessageSender`).
    """

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
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        purge_interval: float = DEFAULT_PURGE_INTERVAL,
        rng: random.Random | None = None,
    ) -> None:
        if batch_items < 1 or batch_bytes < 1 or max_item_bytes < 1:
            raise ValueError("batch limits must be positive")
        self.outbox = outbox
        self.client = client
        self.interval = interval
        self.callbacks = callbacks or SyncCallbacks()
        self.batch_items = batch_items
        self.batch_bytes = batch_bytes
        self.max_item_bytes = max_item_bytes
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self.purge_interval = purge_interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.link = PlatformLink(outbox.clock, backoff_base, backoff_cap, max_retry_after,
                                 rng or random.Random())
        # (identity check?, monotonic time): when the worker's own check may ask again
        self._next_probe: tuple[bool, float] | None = None
        self._items_now = batch_items  # shrinks while the platform says a batch is too large
        self._items_ceiling = batch_items  # below the smallest batch it refused as too large
        self._next_purge: float | None = None
        # read self.callbacks at each call: a caller may replace them after construction
        self.messages = MessageSender(
            outbox, client, self.link,
            MessageCallbacks(
                acked=lambda ids: self.callbacks.messages_did_ack(ids),
                quarantined=lambda i, why: self.callbacks.message_did_quarantine(i, why),
                failed=lambda text: self.callbacks.sync_did_fail(text),
            ),
            batch_items=batch_items, stopping=self._stopping,
        )

    # -- what diagnostics read -----------------------------------------------------------------

    def health(self) -> SyncHealth:
        """A consistent snapshot of the link: last error, last success, when uploads resume."""
        return self.link.health()

    @property
    def last_error(self) -> str | None:
        return self.health().last_error

    @property
    def last_error_kind(self) -> str | None:
        return self.health().last_error_kind

    @property
    def last_error_at(self) -> datetime | None:
        return self.health().last_error_at

    @property
    def last_success_at(self) -> datetime | None:
        return self.health().last_success_at

    @property
    def consecutive_failures(self) -> int:
        return self.health().consecutive_failures

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
                self.purge_if_due()
                self.probe()
                self.drain()
                self.outbox.checkpoint()  # here, so that no citizen's enqueue waits for it
            except Exception:  # never let the thread die; the next round retries
                log.exception("sync round failed")
            if self._stopping.is_set():
                break
            self._wake.wait(self._sleep_time())

    def purge_if_due(self) -> None:
        """Apply the outbox retention at most once per ``purge_interval`` (monotonic time)."""
        mono = self.outbox.clock.monotonic()
        if self._next_purge is not None and mono < self._next_purge:
            return
        self._next_purge = mono + self.purge_interval
        result = self.outbox.purge_expired()
        if result.purged or result.deleted:
            log.info(
                "retention: %d payloads dropped, %d rows removed", result.purged, result.deleted
            )
        gone = self.outbox.messages.purge()
        if gone:
            log.info("retention: %d delivered messages and closed calls removed", gone)

    def probe(self) -> bool:
        """While the link backs off after a network failure or a refused signature, ask again.

        Backoff protects the platform from retries of whole batches; a GET /v1/health once a
        round is cheap, and lets the backlog go within one interval of the platform coming
        back instead of after a long backoff. After a refused signature (clock off, key
        revoked) it is a signed identity check instead, at most every AUTH_PROBE_INTERVAL: once
        the technician fixed the clock or re-enrolled it passes and the queue goes at once.
        Not used when the platform answered (busy, failing, talking nonsense): there its own
        answer decides. Returns True when the link was released.
        """
        mono = self.outbox.clock.monotonic()
        failure = self.link.held_by()
        auth = failure is ErrorKind.AUTH
        if failure is False or not (auth or failure in NETWORK_KINDS):
            return False
        asked = self._next_probe
        if asked is not None and asked[0] == auth and mono < asked[1]:
            return False  # wakes from enqueues while offline must not become a ping storm
        # A little under one interval, so that a round that slept one interval always asks.
        self._next_probe = (auth, mono + (AUTH_PROBE_INTERVAL if auth else 0.9 * self.interval))
        if auth:
            try:
                self.client.whoami()
            except PlatformError:
                return False
            return self.link.release(None, "platform accepts this kiosk's signature again")
        if not self.client.ping():
            return False
        return self.link.release(None, "platform reachable again")

    def platform_answered(self) -> None:
        """Another thread heard the platform answer its health check (the platform poller).

        Releases a link held back by a network-type failure (unreachable, timeout, TLS) and
        wakes the worker, so the backlog goes now rather than when the backoff runs out. A
        wait the platform asked for, a failing platform or a refused signature are left to
        the worker's own checks: a health check says nothing about them. Safe from any thread.
        """
        if self.link.release(NETWORK_KINDS, "platform reachable again (connectivity check)"):
            self.wake()

    def _sleep_time(self) -> float:
        mono = self.outbox.clock.monotonic()
        retry_at = self.link.retry_at()
        if retry_at is not None and mono < retry_at:
            return min(self.interval, retry_at - mono)  # a round each interval: probe, purge
        try:
            dues = [d for d in (self.outbox.next_due_at(), self.outbox.messages.due_at()) if d]
        except OutboxError:
            return self.interval
        if not dues:
            return self.interval
        due = min(dues)
        wait = (due - self.outbox.clock.now()).total_seconds()
        return min(self.interval, max(0.0, wait))

    def drain(self) -> int:
        """Upload due records batch by batch until none is due or an upload fails.

        Nothing goes while the link backs off. Returns how many records were acked. Public so
        tests, benchmarks and a maintenance command can run rounds synchronously (not while
        the thread runs).
        """
        acked_total = 0
        while not self._stopping.is_set() and self.link.is_open():
            now = self.outbox.clock.now()
            batch = self.outbox.next_batch(self._items_now, self.batch_bytes, now)
            if not batch:
                break
            sendable = [r for r in batch if not self._quarantine_oversize(r)]
            if not sendable:
                continue
            acked, ok = self._send(sendable)
            acked_total += acked
            if not ok:
                break
        self.messages.drain()  # after the submissions: a rating follows what it rates
        return acked_total

    def _quarantine(self, txid: str, reason: str, verdict: str) -> None:
        self.outbox.mark_quarantined(txid, reason, verdict=verdict)
        log.warning("record %s quarantined: %s", txid, reason)
        notify(self.callbacks.sync_did_quarantine, txid, reason)

    def _quarantine_oversize(self, record: OutboxRecord) -> bool:
        if record.envelope is not None and len(record.envelope) <= self.max_item_bytes:
            return False
        reason = TOO_LARGE_REASON if record.envelope else "envelope missing"
        self._quarantine(record.id, reason, "too_large" if record.envelope else "missing")
        return True

    def _send(self, batch: list[OutboxRecord]) -> tuple[int, bool]:
        ids = [r.id for r in batch]
        try:
            codes = {r.id: r.query_code for r in batch if r.query_code}
            results = self.client.upload([(r.id, r.envelope or b"") for r in batch], codes)
        except Exception as exc:  # PlatformError, or a bug: either way the batch must not stick
            if isinstance(exc, PlatformError) and exc.kind is ErrorKind.TOO_LARGE:
                return self._too_large(batch), True
            self._fail(ids, exc)
            return 0, False
        acked = {txid: res.verdict for txid, res in results.items() if res.is_success}
        if acked:
            self.outbox.mark_acked(list(acked), acked)
        for txid, res in results.items():
            if not res.is_success:
                self._quarantine(txid, res.reason or res.verdict, res.verdict)
        missing = [r for r in batch if r.id not in results]
        for record in missing:  # the platform's word on these records: each waits on its own
            self.outbox.mark_retry([record.id], NO_VERDICT_REASON, self.link.hold(record.attempts))
        self.link.answered()
        self._items_now = min(self._items_ceiling, self._items_now * 2)
        if acked:
            notify(self.callbacks.sync_did_ack, list(acked))
        return len(acked), not missing

    def _too_large(self, batch: list[OutboxRecord]) -> int:
        """HTTP 413: split the batch; a single record the platform refuses is quarantined."""
        if len(batch) == 1:
            self._quarantine(batch[0].id, TOO_LARGE_REASON, "too_large")
            return 0
        self._items_ceiling = max(1, min(self._items_ceiling, len(batch) - 1))
        self._items_now = max(1, len(batch) // 2)
        log.info(
            "platform refused a batch of %d as too large; trying %d", len(batch), self._items_now
        )
        self.outbox.mark_retry([r.id for r in batch], "batch too large; split",
                               self.outbox.clock.now())
        return 0

    def _fail(self, ids: list[str], exc: Exception) -> None:
        text = self.link.failed(exc)
        self.outbox.mark_unsent(ids, text)
        notify(self.callbacks.sync_did_fail, text)
