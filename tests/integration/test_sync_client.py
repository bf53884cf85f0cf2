"""The platform client on its own: ping, nothing listening, a trickling server cut off at its
deadline, huge or nonsense answers refused, Retry-After read, verdicts only for ids it sent."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformProtocolError, PlatformUnavailable
from sync.platform.protocol import ItemResult
from sync.uuid7 import uuid7
from tests.support.platform import ScriptedHTTPServer, free_port, reply


def test_client_ping_reflects_platform_state(platform_factory: Callable[..., Any]) -> None:
    platform = platform_factory(start=False)
    client = PlatformClient(platform.url, "K0451")
    assert client.ping() is False
    platform.start()
    assert client.ping() is True


def test_client_raises_unavailable_when_nothing_listens() -> None:
    client = PlatformClient(f"http://127.0.0.1:{free_port()}", "K0451", timeout=1.0)
    with pytest.raises(PlatformUnavailable):
        client.upload([(str(uuid7()), b"{}")])


def test_client_gives_up_on_a_trickling_server_at_its_deadline(
    scripted_server: ScriptedHTTPServer,
) -> None:
    stop = threading.Event()

    def trickle(wfile: Any) -> None:
        wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        wfile.flush()
        while not stop.wait(0.1):  # one byte well inside every socket timeout
            wfile.write(b" ")
            wfile.flush()

    scripted_server.script = trickle
    client = PlatformClient(scripted_server.url, "K0451", timeout=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(PlatformUnavailable, match="deadline"):
            client.upload([(str(uuid7()), b"{}")])
    finally:
        stop.set()
    assert time.monotonic() - started < 2.5


def test_client_refuses_a_huge_response(scripted_server: ScriptedHTTPServer) -> None:
    scripted_server.script = lambda w: reply(w, 200, b"[" + b" " * (2 * 1024 * 1024) + b"]")
    with pytest.raises(PlatformProtocolError, match="too large"):
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])


def test_client_refuses_a_huge_chunked_response(scripted_server: ScriptedHTTPServer) -> None:
    def flood(wfile: Any) -> None:
        wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b" " * 65536
        for _ in range(40):
            wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        wfile.write(b"0\r\n\r\n")
        wfile.flush()

    scripted_server.script = flood
    with pytest.raises(PlatformProtocolError, match="too large"):
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"results": "x"}', b'{"results": [{"id": "a", "verdict": "maybe"}]}'],
)
def test_client_raises_protocol_error_on_nonsense(
    scripted_server: ScriptedHTTPServer, body: bytes
) -> None:
    scripted_server.script = lambda w: reply(w, 200, body)
    with pytest.raises(PlatformProtocolError):
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])


@pytest.mark.parametrize("name", ["Retry-After", "retry-after"])
def test_client_reports_retry_after_on_429(scripted_server: ScriptedHTTPServer, name: str) -> None:
    """Header names are case-insensitive: uvicorn and HTTP/2 proxies send them lower-case."""
    scripted_server.script = lambda w: reply(w, 429, b"", {name: "7"})
    with pytest.raises(PlatformUnavailable) as caught:
        PlatformClient(scripted_server.url, "K0451").upload([(str(uuid7()), b"{}")])
    assert caught.value.retry_after == 7.0


def test_client_returns_only_verdicts_for_ids_it_sent(scripted_server: ScriptedHTTPServer) -> None:
    mine = str(uuid7())
    body = (
        b'{"results": [{"id": "%s", "verdict": "duplicate", "reason": null},'
        b' {"id": "stranger", "verdict": "accepted"}]}' % mine.encode()
    )
    scripted_server.script = lambda w: reply(w, 200, body)
    results = PlatformClient(scripted_server.url, "K0451").upload([(mine, b"{}")])
    assert results == {mine: ItemResult("duplicate", None)}


# -- worker policy with an injected clock and rng (no waiting) ------------------------------
