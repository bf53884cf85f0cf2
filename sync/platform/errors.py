"""What the platform client raises, each error with a kind to branch on (never its words).

No HTTP library is imported here, so code that only catches these errors (the kiosk, the
downlink) does not load ``requests``. :mod:`sync.platform.client` raises them; the sync
worker decides from :attr:`PlatformError.kind` (and ``status``) whether to back off, split a
batch or check its signature, never from the message, which is for people. None of them
ever quarantines a record.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    """Why a request got no usable answer. The values are the words diagnostics show."""

    UNREACHABLE = "unreachable"  # no connection, or it broke before the reply was read
    TIMEOUT = "timeout"  # the whole exchange ran past its deadline
    TLS = "tls"  # the TLS handshake failed, or the CA bundle is unusable
    BUSY = "busy"  # 429/503, or any reply with Retry-After: the platform asked us to wait
    SERVER_ERROR = "server_error"  # another 5xx, or 408
    TOO_LARGE = "too_large"  # 413: the batch must be split
    AUTH = "auth"  # 401/403: the kiosk's signature was refused (``reason`` says why)
    PROTOCOL = "protocol"  # another 4xx, or a reply this client does not understand
    PLATFORM = "platform"  # anything else (an error type added later)


class PlatformError(Exception):
    """Base class: the request did not produce an answer the kiosk can use.

    ``kind`` says why (see :class:`ErrorKind`); ``status`` is the HTTP status, where the
    platform answered with one.
    """

    def __init__(
        self, message: str, *, kind: ErrorKind = ErrorKind.PLATFORM, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


class PlatformUnavailableError(PlatformError):
    """The platform cannot be reached or asked us to wait (network error, 5xx, 429)."""

    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        *,
        kind: ErrorKind = ErrorKind.UNREACHABLE,
        status: int | None = None,
    ) -> None:
        super().__init__(message, kind=kind, status=status)
        self.retry_after = retry_after


PlatformUnavailable = PlatformUnavailableError  # the name the rest of the kiosk uses


class PlatformTLSError(PlatformUnavailableError):
    """The TLS connection failed: untrusted or mismatched certificate, or a bad CA bundle."""

    def __init__(self, message: str) -> None:
        super().__init__(message, kind=ErrorKind.TLS)


class PlatformAuthError(PlatformError):
    """The platform refused this kiosk's signature (HTTP 401/403). Never a record's fault.

    ``reason`` is the platform's machine-readable reason (``clock_skew``, ``revoked``,
    ``unknown_kiosk`` (older platforms; the reference platform says ``bad_signature`` for
    an id it has no key for), ``bad_signature``, ``replayed``, ``missing_signature``,
    ``kiosk_mismatch``, ``kiosk_code_missing`` (the platform has no kiosk code on record for
    this kiosk, so it takes none of its tracking numbers yet); ``unauthorized``/``forbidden``
    if it gave none). With ``clock_skew``
    the platform sends its time: ``server_time`` (Unix seconds) and ``offset_seconds``
    (platform minus kiosk clock) say how far off the kiosk is.
    """

    status: int

    def __init__(
        self,
        message: str,
        reason: str,
        status: int,
        server_time: float | None = None,
        offset_seconds: float | None = None,
    ) -> None:
        super().__init__(message, kind=ErrorKind.AUTH, status=status)
        self.reason = reason
        self.server_time = server_time
        self.offset_seconds = offset_seconds


class EnrolmentError(PlatformAuthError):
    """Enrolment refused the token: ``token_invalid``, ``token_used``, ``token_expired`` or
    ``token_cancelled``."""


class PlatformProtocolError(PlatformError):
    """The platform refused the request (a 4xx other than 401/403) or answered something
    this client does not understand. A 413 is :attr:`ErrorKind.TOO_LARGE`."""

    def __init__(self, message: str, status: int | None = None) -> None:
        kind = ErrorKind.TOO_LARGE if status == 413 else ErrorKind.PROTOCOL
        super().__init__(message, kind=kind, status=status)


def error_for_reply(
    status: int,
    retry_after: str | None,
    content: bytes,
    what: str,
    wall_clock: Callable[[], float],
) -> PlatformError | None:
    """The error a reply with ``status`` stands for (None for 200): which status is which kind.

    ``retry_after`` is the reply's Retry-After header, ``content`` its body (a refused
    signature says why in it), ``what`` names the request in the message, and
    ``wall_clock`` (Unix seconds) gives the kiosk's side of a clock-skew refusal.
    """
    if status == 200:
        return None
    if status == 429 or status == 408 or status >= 500:
        wait = _retry_after(retry_after)
        busy = status in (429, 503) or wait is not None
        return PlatformUnavailableError(
            f"platform busy or failing (HTTP {status})",
            retry_after=wait,
            kind=ErrorKind.BUSY if busy else ErrorKind.SERVER_ERROR,
            status=status,
        )
    if status in (401, 403):
        return _auth_error(status, content, what, wall_clock)
    return PlatformProtocolError(f"platform refused {what} (HTTP {status})", status)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # HTTP-date form: ignore, the backoff policy still applies


def _auth_error(
    status: int, content: bytes, what: str, wall_clock: Callable[[], float]
) -> PlatformAuthError:
    doc: Any = None
    with contextlib.suppress(UnicodeDecodeError, ValueError):
        doc = json.loads(content.decode("utf-8"))
    doc = doc if isinstance(doc, dict) else {}
    reason = doc.get("reason")
    if not isinstance(reason, str) or not reason or len(reason) > 64:
        reason = "unauthorized" if status == 401 else "forbidden"
    server_time = doc.get("server_time")
    offset = None
    if isinstance(server_time, int | float) and not isinstance(server_time, bool):
        server_time = float(server_time)
        offset = server_time - wall_clock()
    else:
        server_time = None
    message = f"platform refused {what}: {reason} (HTTP {status})"
    if offset is not None and reason == "clock_skew":
        side = "behind" if offset > 0 else "ahead of"
        message += f"; the kiosk clock is {abs(offset):.0f} s {side} the platform's"
    kind = EnrolmentError if reason.startswith("token_") else PlatformAuthError
    return kind(message, reason, status, server_time, offset)
