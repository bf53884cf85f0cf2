"""The one place the client reaches below requests' public API: a streamed response's socket.

requests' ``timeout`` bounds each socket wait, not the whole response, so the client reads a
response in pieces against its own deadline and, before each piece, shrinks the socket's
timeout to what is left of it. Neither requests nor urllib3 2 can change the read timeout of
a response already under way, and the one public route to the socket (urllib3's
``HTTPResponse.connection.sock``) is empty for every response that closes its connection
(http.client hands such a socket over to the response). So the socket is taken from the
response's own file object: urllib3's ``_fp`` (the http.client response), its ``fp`` (the
buffered reader), ``raw`` (the socket's ``SocketIO``) and ``_sock``; for HTTPS that is the TLS
socket, whose ``settimeout`` bounds the reads underneath. ``test_sync_read_deadline`` fails
on real responses (plain and TLS, kept alive and closing) if an upgrade moves any of it.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import requests


def response_socket(response: requests.Response) -> socket.socket | None:
    """The socket a streamed response is read from, or None (released, or not found)."""
    reader = getattr(getattr(response.raw, "_fp", None), "fp", None)
    sock = getattr(getattr(reader, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def set_read_timeout(response: requests.Response, remaining: float) -> bool:
    """Shrink the socket timeout to what is left of the deadline; False if no socket is found.

    Best effort by design: the client checks its deadline before every read as well, so a
    response whose socket cannot be found still ends at the deadline, at most one socket
    wait late.
    """
    sock = response_socket(response)
    if sock is None:
        return False
    sock.settimeout(max(0.001, remaining))
    return True
