"""What the sync worker knows about its link to the platform: kinds of failure, and the
snapshot diagnostics read (:meth:`sync.worker.SyncWorker.health`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sync.platform.errors import ErrorKind, PlatformError

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
