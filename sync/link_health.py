"""What the sync worker knows about its link to the platform: kinds of failure, the snapshot
diagnostics read (:meth:`sync.worker.SyncWorker.health`), and :class:`PlatformLink`, the
link's state both of the worker's queues share.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sync.backoff import LinkBackoff, backoff_delay
from sync.clock import Clock
from sync.platform.errors import ErrorKind, PlatformError, PlatformUnavailable

log = logging.getLogger(__name__)

#: failures a plain health check can clear: the platform answering it is all that was missing
NETWORK_KINDS = frozenset({ErrorKind.UNREACHABLE, ErrorKind.TIMEOUT, ErrorKind.TLS})


@dataclass(frozen=True)
class SyncHealth:
    """What the worker knows about its link to the platform, at one moment (for diagnostics).

    ``last_error``, ``last_error_kind`` (see :func:`error_kind`) and ``last_error_at`` describe
    the latest failed upload and are cleared by the next upload that goes through;
    ``last_success_at`` is when an upload last went through (None: not since this worker
    started); ``consecutive_failures`` counts failed uploads since; ``retry_at`` is when
    uploads resume while the link backs off (None: the worker may send now). Times are UTC
    instants of the outbox clock.
    """

    last_error: str | None
    last_error_kind: str | None
    last_error_at: datetime | None
    last_success_at: datetime | None
    consecutive_failures: int
    retry_at: datetime | None

    @property
    def ok(self) -> bool:
        """True unless the latest upload failed."""
        return self.last_error is None


def error_kind(exc: BaseException) -> str:
    """A short, stable word for what went wrong with a request (for diagnose and tests).

    The error's :class:`~sync.platform.errors.ErrorKind`: ``unreachable``, ``timeout``,
    ``tls``, ``busy`` (429/503, maybe with Retry-After), ``server_error`` (other 5xx),
    ``too_large`` (413), ``protocol``, ``platform`` (any other PlatformError); a refused
    signature is ``auth:<reason>`` (``auth:clock_skew``, ``auth:revoked`` ...); anything that
    is not a PlatformError is ``unexpected`` (a bug on our side).
    """
    if not isinstance(exc, PlatformError):
        return "unexpected"
    if exc.kind is ErrorKind.AUTH:
        reason = getattr(exc, "reason", None)
        return f"auth:{reason}" if isinstance(reason, str) and reason else "auth"
    return exc.kind.value


class PlatformLink:
    """The state of the link both of the worker's queues share, safe to read from any thread.

    The link's backoff (:class:`~sync.backoff.LinkBackoff`), the latest failure and its kind,
    and when an upload last went through. The worker owns one and hands it to its message
    queue (:class:`sync.worker_messages.MessageSender`): a request of either queue that gets
    no verdicts holds the link for both, and an answer to either releases it. Wall time and
    the monotonic reading come from ``clock`` (the outbox's), jitter from ``rng``.
    """

    def __init__(self, clock: Clock, backoff_base: float, backoff_cap: float,
                 max_retry_after: float, rng: random.Random) -> None:
        self.clock = clock
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._rng = rng
        self._state = threading.Lock()  # read (and released) from other threads
        self._backoff = LinkBackoff(backoff_base, backoff_cap, max_retry_after)
        self._last_error: str | None = None
        self._last_error_kind: str | None = None
        # the kind of the failure holding the link back (None: none, or not a platform error)
        self._failure: ErrorKind | None = None
        self._last_error_at: datetime | None = None
        self._last_success_at: datetime | None = None

    def health(self) -> SyncHealth:
        """A consistent snapshot: last error, last success, when uploads resume."""
        with self._state:
            mono = self.clock.monotonic()
            retry_at = None
            if not self._backoff.is_open(mono) and self._backoff.retry_at is not None:
                retry_at = self.clock.now() + timedelta(seconds=self._backoff.retry_at - mono)
            return SyncHealth(
                last_error=self._last_error,
                last_error_kind=self._last_error_kind,
                last_error_at=self._last_error_at,
                last_success_at=self._last_success_at,
                consecutive_failures=self._backoff.failures,
                retry_at=retry_at,
            )

    def is_open(self) -> bool:
        """May an upload be tried now?"""
        with self._state:
            return self._backoff.is_open(self.clock.monotonic())

    def retry_at(self) -> float | None:
        """The monotonic time uploads resume while the link is held (None: not held)."""
        with self._state:
            return self._backoff.retry_at

    def held_by(self) -> ErrorKind | None | bool:
        """False while the link is open, else the kind of failure holding it (None: no kind)."""
        with self._state:
            if self._backoff.is_open(self.clock.monotonic()):
                return False
            return self._failure

    def release(self, kinds: frozenset[ErrorKind] | None, why: str) -> bool:
        """Open a held link (only if held by one of ``kinds``, unless None); True if it was."""
        with self._state:
            if self._backoff.failures == 0 and self._backoff.retry_at is None:
                return False
            if kinds is not None and self._failure not in kinds:
                return False
            self._backoff.release()
        log.info("%s; sending the backlog now", why)
        return True

    def answered(self) -> None:
        """The platform gave verdicts: the link is fine, the rest of the backlog goes now."""
        with self._state:
            self._backoff.release()
            self._last_error = None
            self._last_error_kind = None
            self._failure = None
            self._last_success_at = self.clock.now()

    def failed(self, exc: Exception) -> str:
        """Back the link off after a request that got no verdicts; the error's words."""
        kind = error_kind(exc)
        if isinstance(exc, PlatformError):
            text = str(exc)
        else:
            log.exception("unexpected error during upload")
            text = f"upload failed: {type(exc).__name__}"
        retry_after = exc.retry_after if isinstance(exc, PlatformUnavailable) else None
        with self._state:
            mono = self.clock.monotonic()
            delay = self._backoff.failed(mono, self._rng.random(), retry_after)
            failures = self._backoff.failures
            self._last_error = text
            self._last_error_kind = kind
            self._failure = exc.kind if isinstance(exc, PlatformError) else None
            self._last_error_at = self.clock.now()
        log.warning(
            "sync failed (%d in a row, %s): %s; next upload in %.1f s", failures, kind, text, delay
        )
        return text

    def hold(self, attempts: int) -> datetime:
        """When an item the platform gave no verdict goes again: backoff by its own attempts."""
        delay = backoff_delay(max(1, attempts), self.backoff_base, self.backoff_cap,
                              self._rng.random())
        return self.clock.now() + timedelta(seconds=delay)


def notify(callback: Callable[..., None], *args: object) -> None:
    """Call one of the worker's callbacks; a callback that raises is logged, not propagated."""
    try:
        callback(*args)
    except Exception:
        log.exception("sync callback failed")
