"""The platform client's errors carry a kind, decided in one place from the reply's status;
the sync worker's diagnostic word comes from that kind, never from the message text; and
catching them costs no HTTP stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sync.link_health import NETWORK_KINDS, error_kind
from sync.platform.errors import (
    EnrolmentError,
    ErrorKind,
    PlatformAuthError,
    PlatformError,
    PlatformProtocolError,
    PlatformTLSError,
    PlatformUnavailable,
    error_for_reply,
)

ROOT = Path(__file__).resolve().parents[2]


def reply_error(status: int, retry_after: str | None = None, body: object = None) -> PlatformError:
    content = b"" if body is None else json.dumps(body).encode()
    error = error_for_reply(status, retry_after, content, "the batch", lambda: 1000.0)
    assert error is not None
    return error


def test_a_200_reply_is_no_error() -> None:
    assert error_for_reply(200, None, b"", "the batch", lambda: 0.0) is None


@pytest.mark.parametrize(
    ("status", "retry_after", "kind"),
    [
        (429, None, ErrorKind.BUSY),
        (503, None, ErrorKind.BUSY),
        (502, "30", ErrorKind.BUSY),  # any status that says how long to wait
        (500, None, ErrorKind.SERVER_ERROR),
        (504, "Wed, 21 Oct 2026 07:28:00 GMT", ErrorKind.SERVER_ERROR),  # an HTTP date: ignored
        (408, None, ErrorKind.SERVER_ERROR),
    ],
)
def test_busy_and_failing_platforms_are_unavailable_with_their_status(
    status: int, retry_after: str | None, kind: ErrorKind
) -> None:
    error = reply_error(status, retry_after)
    assert isinstance(error, PlatformUnavailable)
    assert error.kind is kind and error.status == status
    assert error.retry_after == (30.0 if retry_after == "30" else None)
    assert error_kind(error) == kind.value


@pytest.mark.parametrize(
    ("status", "kind"),
    [(413, ErrorKind.TOO_LARGE), (400, ErrorKind.PROTOCOL), (404, ErrorKind.PROTOCOL),
     (204, ErrorKind.PROTOCOL)],
)
def test_other_refusals_are_protocol_errors_and_413_means_split(
    status: int, kind: ErrorKind
) -> None:
    error = reply_error(status)
    assert isinstance(error, PlatformProtocolError)
    assert error.kind is kind and error.status == status


def test_a_refused_signature_is_auth_with_the_platforms_reason_and_clock() -> None:
    error = reply_error(401, body={"reason": "clock_skew", "server_time": 1600.0})
    assert isinstance(error, PlatformAuthError) and not isinstance(error, EnrolmentError)
    assert error.kind is ErrorKind.AUTH and error.status == 401
    assert error.reason == "clock_skew" and error.offset_seconds == 600.0
    assert "600 s behind" in str(error)
    assert error_kind(error) == "auth:clock_skew"
    assert reply_error(403, body="not an object").reason == "forbidden"  # type: ignore[attr-defined]
    token = reply_error(403, body={"reason": "token_used"})
    assert isinstance(token, EnrolmentError) and error_kind(token) == "auth:token_used"


def test_the_word_comes_from_the_kind_not_from_the_message() -> None:
    misleading = PlatformUnavailable("HTTP 503 deadline Auth TLS", kind=ErrorKind.UNREACHABLE)
    assert error_kind(misleading) == "unreachable"
    assert error_kind(PlatformUnavailable("gone", kind=ErrorKind.TIMEOUT)) == "timeout"
    assert error_kind(PlatformTLSError("bad certificate")) == "tls"
    garbled = PlatformProtocolError("platform refused the batch (HTTP 500)", 200)
    assert error_kind(garbled) == "protocol"
    assert error_kind(PlatformError("something new")) == "platform"
    assert error_kind(RuntimeError("HTTP 500")) == "unexpected"
    assert {ErrorKind.UNREACHABLE, ErrorKind.TIMEOUT, ErrorKind.TLS} == NETWORK_KINDS


def test_catching_platform_errors_loads_no_http_stack() -> None:
    code = (
        "import sys\n"
        "import sync.platform.errors, sync.platform.protocol, sync.link_health\n"
        "import sync.outbox.store, sync.outbox.peek, sync.downlink.schedule\n"
        "print('requests' in sys.modules, 'urllib3' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
