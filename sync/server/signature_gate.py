"""Kiosk signatures checked on the raw body, before the app parses any JSON.

FastAPI reads and parses a route's JSON body before it runs the route's dependencies, so the
signature check in :func:`sync.server.auth.authenticated_kiosk` alone would let anyone make the
platform parse whatever they send. The signature covers the SHA-256 of the exact body bytes
(:mod:`sync.platform.signing`), so it can be checked first: this gate does, for every request that
carries a body, and hands the verdict to the route's dependency (which then does not check,
and so does not spend the nonce, a second time).

An unsigned request is refused (when signatures are required) from its head alone, before its
body is read. Enrolment is the exception the protocol forces: it is signed by the key that its
body carries, so only the route can check it (its body is small and capped all the same).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.platform.signing import SignatureError, parse_signature_headers
from sync.server.auth import (
    PREVERIFIED_KIOSK,
    AuthRefusedError,
    KioskAuthenticator,
    SignedRequest,
    auth_refused_response,
    signed_path,
)

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _DisconnectedError(Exception):
    """The client left, or the body cap answered for us, while the body was being read."""


class SignatureGate:
    """Verify body-carrying kiosk requests before the app sees them (see the module text)."""

    def __init__(
        self, app: ASGIApp, auth: KioskAuthenticator, exempt_paths: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.auth = auth
        self.exempt_paths = frozenset(exempt_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in BODY_METHODS
            or _route_path(scope) in self.exempt_paths
        ):
            await self.app(scope, receive, send)
            return
        try:
            parts = parse_signature_headers(Headers(scope=scope))
            if parts is None:  # refused or allowed on the head alone; the body is not read
                kiosk = self.auth.verify(SignedRequest(scope["method"], "", b"", None))
                scope[PREVERIFIED_KIOSK] = kiosk
                await self.app(scope, receive, send)
                return
            body = await _read_body(receive)
            signed = SignedRequest(scope["method"], signed_path(scope), body, parts)
            kiosk = await run_in_threadpool(self.auth.verify, signed)  # registry and nonces
        except _DisconnectedError:
            return
        except SignatureError as exc:
            await self._refuse(scope, receive, send, AuthRefusedError(401, exc.reason, str(exc)))
            return
        except AuthRefusedError as exc:
            await self._refuse(scope, receive, send, exc)
            return
        scope[PREVERIFIED_KIOSK] = kiosk
        await self.app(scope, _replay(body, receive), send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, exc: AuthRefusedError
    ) -> None:
        await auth_refused_response(self.auth.clock(), exc)(scope, receive, send)


def _route_path(scope: Scope) -> str:
    path = str(scope.get("path", ""))
    root = str(scope.get("root_path", ""))
    return path[len(root) :] if root and path.startswith(root) else path


async def _read_body(receive: Receive) -> bytes:
    """The whole body; its size is bounded by the body cap that wraps this gate."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _DisconnectedError
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive() that gives the app the body already read, then defers to the server."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
