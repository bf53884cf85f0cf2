"""The sync worker: one background thread that drains the outbox to the platform.

It never blocks the kiosk: ``wake()`` just sets an event. Only the platform's per-item
verdicts decide a record's fate (accepted/duplicate -> acked, conflict/rejected ->
quarantined), plus one case the platform can never take: a record too large to send.
Anything else that goes wrong with a request (network, TLS, 5xx, 429, a refused signature
or a skewed clock, a reply that makes no sense, an error type added later) puts the batch
back with exponential backoff and full jitter, never quarantines, and is kept as
``last_error`` / ``last_error_kind`` for ``kiosk diagnose``.

While uploads back off because the platform could not be reached, a cheap health check
each interval ends the wait as soon as it answers; when the platform itself asked us to
wait (``Retry-After`` on 429/503) that wait is honoured instead.
"""

from __future__ import annotations

import logging
import random
import re
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
DEFAULT_MAX_RETRY_AFTER = 3600.0
DEFAULT_PURGE_INTERVAL = 3600.0
AUTH_PROBE_INTERVAL = 30.0  # seconds between signed identity checks while refused
TOO_LARGE_REASON = "envelope too large for the platform"
_HTTP_STATUS = re.compile(r"HTTP (\d{3})")


def _noop(*_args: object) -> None:
    return None


@dataclass
class SyncCallbacks:
    """Plain callbacks (called on the worker thread); the kiosk turns them into events."""

    sync_did_ack: Callable[[list[str]], None] = field(default=_noop)
    sync_did_fail: Callable[[str], None] = field(default=_noop)
    sync_did_quarantine: Callable[[str, str], None] = field(default=_noop)


def error_kind(exc: BaseException) -> str:
    """A short, stable word for what went wrong with a request (for diagnose and tests).

    ``unreachable``, ``timeout``, ``tls``, ``busy`` (429/503, maybe with Retry-After),
    ``server_error`` (other 5xx), ``too_large`` (413), ``protocol``, ``auth:<reason>``
    (``auth:clock_skew``, ``auth:revoked`` ...), ``platform`` (any other PlatformError),
    ``unexpected`` (a bug on our side).
    """
    if not isinstance(exc, PlatformError):
        return "unexpected"
    name = type(exc).__name__
    reason = getattr(exc, "reason", None)
    if "Auth" in name or "Enrol" in name:
        return f"auth:{reason}" if isinstance(reason, str) and reason else "auth"
    if "TLS" in name:
        return "tls"
    status = getattr(exc, "status", None)
    if not isinstance(status, int):
        match = _HTTP_STATUS.search(str(exc))
        status = int(match.group(1)) if match else None
    if status == 413:
        return "too_large"
    if isinstance(exc, PlatformUnavailable):
        if status in (429, 503) or exc.retry_after is not None:
            return "busy"
        if status is not None:
            return "server_error"
        return "timeout" if "deadline" in str(exc) else "unreachable"
    if status is not None or "Protocol" in name:
        return "protocol"
    return "platform"


class SyncWorker:
    """Background uploader. ``start()``, ``wake()`` after each enqueue, ``stop()`` at exit.

    Time comes from ``outbox.clock`` and jitter from ``rng``, so backoff is testable with
    ``drain()`` and a fake clock, without waiting.
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
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._last_auth_probe: datetime | None = None
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._items_now = batch_items  # shrinks while the platform says a batch is too large
        self._items_ceiling = batch_items  # below the smallest batch it refused as too large
        self._next_purge: float | None = None
        self.last_error: str | None = None
        self.last_error_kind: str | None = None
        self.last_error_at: datetime | None = None
        self.last_success_at: datetime | None = None

    @property
    def consecutive_failures(self) -> int:
        return self._failures

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

    def probe(self) -> None:
        """While uploads back off because the platform was unreachable, ask its health check.

        Backoff protects the platform from retries of whole batches; a GET /v1/health per
        interval is cheap, and lets the outbox drain within one interval of the platform
        coming back instead of after a long backoff delay. Not used when the platform
        answered (busy, failing, refusing our signature): there its own answer decides.
        """
        kind = self.last_error_kind or ""
        if self._failures == 0 or not (kind in ("unreachable", "tls") or kind.startswith("auth:")):
            return
        due = self.outbox.next_due_at()
        now = self.outbox.clock.now()
        if due is None or due <= now:
            return
        if kind.startswith("auth:"):
            # Refused signature (clock off, key revoked): once the technician has fixed the
            # clock or re-enrolled, a signed identity check passes and the queue goes at once
            # instead of waiting out a backoff computed with the wrong clock.
            if (self._last_auth_probe is not None
                    and (now - self._last_auth_probe).total_seconds() < AUTH_PROBE_INTERVAL):
                return
            self._last_auth_probe = now
            try:
                self.client.whoami()
            except PlatformError:
                return
            log.info("platform accepts this kiosk's signature again; retrying now")
        elif self.client.ping():
            log.info("platform reachable again; retrying now")
        else:
            return
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

        Returns how many records were acked. Public so tests, benchmarks and a maintenance
        command can run rounds synchronously (not while the thread runs).
        """
        acked_total = 0
        while not self._stopping.is_set():
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
        return acked_total

    def _quarantine(self, txid: str, reason: str, verdict: str) -> None:
        self.outbox.mark_quarantined(txid, reason, verdict=verdict)
        log.warning("record %s quarantined: %s", txid, reason)
        self._notify(self.callbacks.sync_did_quarantine, txid, reason)

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
            if error_kind(exc) == "too_large":
                return self._too_large(batch), True
            self._fail(ids, exc)
            return 0, False
        acked = {txid: res.verdict for txid, res in results.items() if res.is_success}
        if acked:
            self.outbox.mark_acked(list(acked), acked)
        for txid, res in results.items():
            if not res.is_success:
                self._quarantine(txid, res.reason or res.verdict, res.verdict)
        missing = [txid for txid in ids if txid not in results]
        if missing:
            self.outbox.mark_retry(
                missing, "platform gave no verdict", self._retry_time(self._failures + 1)
            )
        self._failures = 0
        self._items_now = min(self._items_ceiling, self._items_now * 2)
        self.last_error = None
        self.last_error_kind = None
        self.last_success_at = self.outbox.clock.now()
        if acked:
            self._notify(self.callbacks.sync_did_ack, list(acked))
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
        self.outbox.mark_retry([r.id for r in batch], "batch too large; split", self._now())
        return 0

    def _now(self) -> datetime:
        return self.outbox.clock.now()

    def _retry_time(self, attempt: int, retry_after: float | None = None) -> datetime:
        delay = backoff_delay(attempt, self.backoff_base, self.backoff_cap, self._rng.random())
        if retry_after is not None:  # the platform's own word; bounded against nonsense
            delay = max(delay, min(retry_after, self.max_retry_after))
        return self._now() + timedelta(seconds=delay)

    def _fail(self, ids: list[str], exc: Exception) -> None:
        self._failures += 1
        kind = error_kind(exc)
        if isinstance(exc, PlatformError):
            text = str(exc)
        else:
            log.exception("unexpected error during upload")
            text = f"upload failed: {type(exc).__name__}"
        retry_after = getattr(exc, "retry_after", None)
        if not isinstance(retry_after, int | float):
            retry_after = None
        self.outbox.mark_retry(ids, text, self._retry_time(self._failures, retry_after))
        self.last_error = text
        self.last_error_kind = kind
        self.last_error_at = self._now()
        log.warning("sync failed (%d in a row, %s): %s", self._failures, kind, text)
        self._notify(self.callbacks.sync_did_fail, text)

    @staticmethod
    def _notify(callback: Callable[..., None], *args: object) -> None:
        try:
            callback(*args)
        except Exception:
            log.exception("sync callback failed")
