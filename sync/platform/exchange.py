"""One bounded HTTP exchange with the platform: TLS policy, the request, a streamed read.

:func:`exchange` is the transport under :class:`sync.platform.client.PlatformClient`:
requests' ``timeout`` only bounds each socket wait, so the response is read streamed, in
whatever pieces arrive, against the exchange's deadline and a size cap
(:func:`sync.platform.read_deadline.set_read_timeout` shrinks the socket's wait to what is
left). Failures raise the errors of :mod:`sync.platform.errors` with their kind. ``requests``
is imported at the first exchange, so that a kiosk paints its home screen first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from sync.platform.errors import (
    ErrorKind,
    PlatformError,
    PlatformProtocolError,
    PlatformTLSError,
    PlatformUnavailable,
)
from sync.platform.read_deadline import set_read_timeout
from sync.platform.tls import TLSConfigError, describe_tls_failure, verify_option

if TYPE_CHECKING:
    import requests


def exchange(
    session: requests.Session,
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    *,
    deadline: float,
    deadline_s: float,
    ca_bundle: str | os.PathLike[str] | None,
    max_response_bytes: int,
    monotonic: Callable[[], float],
    sink: Callable[[bytes], object] | None = None,
) -> tuple[int, Mapping[str, str], bytes]:
    """Send one request and read its whole reply by ``deadline`` (a ``monotonic`` reading).

    With ``sink``, the body of a 200 reply goes to ``sink(chunk)`` as it arrives instead of
    into memory (a release artifact, :meth:`PlatformClient.download_release`); the returned
    body is then empty.

    ``deadline_s`` bounds connecting and each socket wait; a reply larger than
    ``max_response_bytes`` (declared or as read) is a protocol error. Returns the status, the
    headers (case-insensitive: uvicorn sends them in lower case) and the body.
    """
    try:
        verify = verify_option(ca_bundle)
    except TLSConfigError as exc:
        raise PlatformTLSError(str(exc)) from exc
    import requests
    from requests.structures import CaseInsensitiveDict

    try:
        response = session.request(
            method,
            url,
            data=body,
            headers=headers,
            timeout=(deadline_s, deadline_s),
            stream=True,
            allow_redirects=False,
            verify=verify,
        )
    except requests.exceptions.SSLError as exc:
        raise PlatformTLSError(describe_tls_failure(exc)) from exc
    except requests.RequestException as exc:
        raise PlatformUnavailable(f"platform unreachable: {type(exc).__name__}") from exc
    try:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_response_bytes:
            raise PlatformProtocolError("response too large", response.status_code)
        chunks: list[bytes] = []
        size = 0
        raw = response.raw
        while True:
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise PlatformUnavailable(
                    "platform response exceeded the deadline", kind=ErrorKind.TIMEOUT
                )
            set_read_timeout(response, remaining)
            chunk = raw.read1(64 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size > max_response_bytes:
                raise PlatformProtocolError("response too large", response.status_code)
            if sink is not None and response.status_code == 200:
                sink(chunk)
            else:
                chunks.append(chunk)
    except PlatformError:
        raise
    except Exception as exc:  # requests, urllib3 and socket errors alike
        if monotonic() >= deadline:
            raise PlatformUnavailable(
                "platform response exceeded the deadline", kind=ErrorKind.TIMEOUT
            ) from exc
        raise PlatformUnavailable(f"platform connection failed: {type(exc).__name__}") from exc
    finally:
        response.close()
    # Header names are case-insensitive (uvicorn sends them in lower case).
    return response.status_code, CaseInsensitiveDict(response.headers), b"".join(chunks)
