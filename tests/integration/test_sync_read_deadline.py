"""The client's read deadline reaches the socket of real responses, whatever urllib3 does next.

``sync/platform/read_deadline.py`` takes a streamed response's socket from attributes below
requests' public API (there is no public way to change the read timeout of a response under
way). These tests run real responses from a loopback server through requests, plain and TLS,
kept alive and closing, so a urllib3 or requests upgrade that moves those attributes fails
here instead of quietly letting a stalled platform hold the sync worker past its deadline.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from sync.platform.client import PlatformClient
from sync.platform.errors import ErrorKind, PlatformUnavailable
from sync.platform.read_deadline import response_socket, set_read_timeout
from sync.uuid7 import uuid7
from tests.support.tls import TestCA, test_ca  # noqa: F401  (the session CA fixture)

PARTIAL_BODY = b"0123456789"


@dataclass
class StallingServer:
    """Answers every request with its headers and part of the body, then says nothing more."""

    url: str
    release: threading.Event
    server: socketserver.ThreadingTCPServer

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def start_stalling_server(
    closing: bool, tls: ssl.SSLContext | None = None, header_delay: float = 0.0
) -> StallingServer:
    release = threading.Event()

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
                pass
            if release.wait(header_delay):
                return
            head = [b"HTTP/1.1 200 OK", b"Content-Length: 1000"]
            if closing:
                head.append(b"Connection: close")
            self.wfile.write(b"\r\n".join(head) + b"\r\n\r\n" + PARTIAL_BODY)
            self.wfile.flush()
            release.wait(30)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

        def get_request(self) -> tuple[socket.socket, object]:
            sock, address = super().get_request()
            return (tls.wrap_socket(sock, server_side=True) if tls else sock), address

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    scheme = "https" if tls else "http"
    return StallingServer(f"{scheme}://127.0.0.1:{server.server_address[1]}", release, server)


def server_context(ca: TestCA) -> ssl.SSLContext:
    cert = ca.issue_server_cert()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert.cert, cert.key)
    return context


@pytest.fixture(params=["plain", "tls"])
def transport(
    request: pytest.FixtureRequest,
    test_ca: TestCA,  # noqa: F811
) -> Iterator[tuple[ssl.SSLContext | None, str | bool]]:
    if request.param == "tls":
        yield server_context(test_ca), str(test_ca.cert_path)
    else:
        yield None, True


@pytest.mark.parametrize("closing", [False, True], ids=["kept-alive", "closing"])
def test_the_read_deadline_reaches_the_socket_a_streamed_response_is_read_from(
    transport: tuple[ssl.SSLContext | None, str | bool], closing: bool
) -> None:
    tls, verify = transport
    server = start_stalling_server(closing, tls)
    session = requests.Session()
    try:
        response = session.get(server.url, stream=True, timeout=(5.0, 5.0), verify=verify)
        sock = response_socket(response)
        assert sock is not None, "the response's socket is no longer where read_deadline looks"
        assert sock.fileno() == response.raw.fileno()  # the very socket carrying this response
        assert isinstance(sock, ssl.SSLSocket) == (tls is not None)
        assert response.raw.read1(64) == PARTIAL_BODY
        assert set_read_timeout(response, 0.3)
        assert sock.gettimeout() == pytest.approx(0.3)
        started = time.monotonic()
        with pytest.raises(Exception):  # noqa: B017  (urllib3 wraps the socket's timeout)
            response.raw.read1(64)
        assert time.monotonic() - started < 2.0  # the shrunk wait, not the 5 s one
        response.close()
    finally:
        session.close()
        server.close()


def test_a_released_response_has_no_socket_to_shrink() -> None:
    response = requests.Response()
    assert response_socket(response) is None
    assert set_read_timeout(response, 1.0) is False


def test_a_stall_after_slow_headers_ends_at_the_deadline_not_a_socket_wait_later(
    transport: tuple[ssl.SSLContext | None, str | bool],
) -> None:
    """Headers after 2 s of a 3 s deadline, then silence: without the shrink the body read
    would wait a whole socket timeout (3 s) more, ending at 5 s."""
    tls, verify = transport
    server = start_stalling_server(False, tls, header_delay=2.0)
    client = PlatformClient(
        server.url, "K0451", timeout=3.0,
        ca_bundle=verify if isinstance(verify, str) else None,
    )
    started = time.monotonic()
    try:
        with pytest.raises(PlatformUnavailable) as caught:
            client.upload([(str(uuid7()), b"{}")])
    finally:
        client.close()
        server.close()
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert time.monotonic() - started < 4.2
