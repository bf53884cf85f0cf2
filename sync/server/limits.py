"""A cap on request bodies, counted while they stream in.

A Content-Length over the cap is refused before a byte of the body is read; a chunked body
(no length declared) is counted as ``receive()`` delivers it and refused the moment it passes
the cap, so the platform never holds more than the cap of any one request. The answer is 413,
which the kiosk takes as "split the batch" (``sync.worker``).

Plain ASGI, not Starlette's ``BaseHTTPMiddleware``: that one cannot see the body as it streams.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

# The kiosk's largest batch is sync.batch_max_bytes (1 MiB by default) of envelope bytes, sent
# as base64 (4/3) in JSON with about 150 bytes per item: about 1.4 MiB. 2 MiB leaves room for
# that and bounds what one request can make the platform hold.
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
TOO_LARGE_BODY = json.dumps({"detail": "request body too large"}).encode("utf-8")


async def send_too_large(send: Send) -> None:
    """413 with the JSON body the kiosk expects; the connection stays usable (uvicorn reads
    and drops the rest of the body, within the receipt deadline, so a client that sends
    its whole body before reading still gets this answer)."""
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(TOO_LARGE_BODY)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": TOO_LARGE_BODY, "more_body": False})


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_body_bytes`` with 413, with or without Content-Length."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        if max_body_bytes < 1:
            raise ValueError("the body cap must be at least one byte")
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await send_too_large(send)
            return
        await _CappedExchange(self.app, self.max_body_bytes, receive, send).run(scope)


class _CappedExchange:
    """One request: counts body bytes; past the cap, answers 413 and tells the app the
    client left, so it stops reading and its own reply is dropped."""

    def __init__(self, app: ASGIApp, cap: int, receive: Receive, send: Send) -> None:
        self.app = app
        self.cap = cap
        self._receive = receive
        self._send = send
        self.received = 0
        self.refused = False
        self.response_started = False

    async def run(self, scope: Scope) -> None:
        await self.app(scope, self.receive, self.send)

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.cap:
                self.refused = True
                log.info("request body passed the %d byte cap: refused with 413", self.cap)
                if not self.response_started:
                    await send_too_large(self._send)
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.refused:
            return  # the app's answer to a body it never got whole
        if message["type"] == "http.response.start":
            self.response_started = True
        await self._send(message)


def _content_length(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            return bytes(value).decode("latin-1").strip()
    return None
