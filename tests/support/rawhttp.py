"""Raw HTTP/1.1 over loopback sockets: the misbehaving clients a server must survive.

``requests`` always sends a request whole and on time; these helpers send chunked bodies of
any size, trickle bytes, or say nothing at all, and read back what the server answers.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "RawResponse",
    "chunked",
    "connect",
    "peak_memory_bytes",
    "read_response",
    "request_head",
    "wait_closed",
]


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def connect(url: str, timeout: float = 10.0, ca_file: Path | None = None) -> socket.socket:
    """A connection to the server of ``url``; over TLS (trusting ``ca_file``) for https."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if parts.scheme != "https":
        return sock
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    return context.wrap_socket(sock, server_hostname=parts.hostname)


def request_head(method: str, path: str, headers: dict[str, str] | None = None) -> bytes:
    """Request line and headers, ending with the blank line."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunked(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The chunked transfer coding of ``pieces``, ending with the last-chunk."""
    for piece in pieces:
        if piece:
            yield f"{len(piece):x}\r\n".encode("ascii") + piece + b"\r\n"
    yield b"0\r\n\r\n"


def read_response(sock: socket.socket, timeout: float = 10.0) -> RawResponse:
    """One response with a Content-Length body (what the reference platform sends)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        if not more:
            raise ConnectionError(f"closed before a whole response head: {data[:200]!r}")
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        more = sock.recv(65536)
        if not more:
            break
        body += more
    return RawResponse(int(status_line.split(" ")[1]), headers, body[:length])


def wait_closed(
    sock: socket.socket, trickle: Iterator[bytes], interval: float, bound: float
) -> tuple[bool, bytes]:
    """Send ``trickle`` one piece every ``interval`` seconds until the server closes.

    Returns (closed within ``bound`` seconds, what the server sent meanwhile). A reset or a
    broken pipe counts as closed: the server let go of the connection.
    """
    received = b""
    give_up = time.monotonic() + bound
    sock.setblocking(False)
    try:
        while time.monotonic() < give_up:
            piece = next(trickle, b"")
            if piece:
                try:
                    sock.send(piece)
                except (BrokenPipeError, ConnectionResetError):
                    return True, received
            readable, _, _ = select.select([sock], [], [], interval)
            if readable:
                try:
                    more = sock.recv(65536)
                except (ssl.SSLWantReadError, BlockingIOError):
                    continue  # TLS bytes that were no application data yet
                except (ConnectionResetError, ssl.SSLError):
                    return True, received
                if not more:
                    return True, received
                received += more
        return False, received
    finally:
        with contextlib.suppress(OSError):
            sock.setblocking(True)


def peak_memory_bytes(pid: int) -> int:
    """Peak resident memory of a process so far (Linux ``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc status")
