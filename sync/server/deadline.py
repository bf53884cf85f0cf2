"""A deadline for receiving a whole request, which uvicorn does not have.

uvicorn's ``timeout_keep_alive`` only runs between requests and ``limit_concurrency`` answers
503 to everyone once slow clients fill it, so a client that sends its headers (or its body)
one byte at a time, or opens a connection and says nothing, holds it for ever. This is
uvicorn's own h11 protocol with one timer: armed when a connection opens and at the first byte
of each later request, stopped once the request (head and body) is in. When it fires the
connection is closed, after a 408 if the client had started a request and no answer was
started; time the app spends answering is not counted.

Why wrap uvicorn rather than change servers: uvicorn is what the platform already runs with
its TLS set-up, graceful shutdown and test fixtures, and this wrapper is one timer over h11's
public connection states (``their_state``, ``trailing_data``), not a fork. The usual option
elsewhere, a timeout per read, does not help: a client that sends one byte just before each
read never times out. The h11 protocol is chosen explicitly (not httptools, even where
it is installed) so the timer always sees those states. Production puts a reverse proxy in
front as well (docs/deployment.md).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

DEFAULT_REQUEST_TIMEOUT = 30.0  # seconds for a whole request; ~48 KB/s carries a 1.4 MiB batch
ABORT_GRACE = 1.0  # a client that does not even read the 408 is reset after this

TIMEOUT_BODY = b"request not received in time\n"
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: " + str(len(TIMEOUT_BODY)).encode("ascii") + b"\r\n"
    b"connection: close\r\n\r\n" + TIMEOUT_BODY
)


class ReceiptDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, with :attr:`request_timeout` for receiving each request."""

    request_timeout: float = DEFAULT_REQUEST_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._receipt_timer: asyncio.TimerHandle | None = None
        self._lost = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # the first request counts from the connection, silence included

    def data_received(self, data: bytes) -> None:
        if self._receipt_timer is None and self._receiving_or_starting(bool(data)):
            self._arm()
        super().data_received(data)
        self._update()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._update()  # a pipelined request may have started with the next cycle

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = True
        self._disarm()
        super().connection_lost(exc)

    def _receiving_or_starting(self, new_bytes: bool) -> bool:
        """True while a request is partly in: its head unfinished or its body coming."""
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            return True
        return state is h11.IDLE and (new_bytes or bool(self.conn.trailing_data[0]))

    def _update(self) -> None:
        if self._receiving_or_starting(False):
            if self._receipt_timer is None:
                self._arm()
        else:
            self._disarm()

    def _arm(self) -> None:
        self._disarm()
        self._receipt_timer = self.loop.call_later(self.request_timeout, self._timed_out)

    def _disarm(self) -> None:
        if self._receipt_timer is not None:
            self._receipt_timer.cancel()
            self._receipt_timer = None

    def _timed_out(self) -> None:
        self._receipt_timer = None
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        log.info(
            "closing a connection from %s: request not received within %.0f s",
            self.client,
            self.request_timeout,
        )
        started = self.conn.their_state is not h11.IDLE or bool(self.conn.trailing_data[0])
        answered = self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE)
        if started and not answered:  # a silent connection just goes, as after keep-alive
            transport.write(TIMEOUT_RESPONSE)
        transport.close()
        self.loop.call_later(ABORT_GRACE, self._abort_if_open, transport)

    def _abort_if_open(self, transport: asyncio.Transport) -> None:
        """close() waits for the write buffer to drain; a client that never reads is reset."""
        if not self._lost:
            transport.abort()


def receipt_deadline_protocol(request_timeout: float) -> type[ReceiptDeadlineProtocol]:
    """The protocol class to hand uvicorn (``Config(http=...)``) with this deadline."""
    if request_timeout <= 0:
        raise ValueError("the request timeout must be positive")
    return type(
        "ReceiptDeadlineProtocol",
        (ReceiptDeadlineProtocol,),
        {"request_timeout": float(request_timeout)},
    )
