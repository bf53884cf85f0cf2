"""The reference platform under hostile clients: capped bodies, a deadline to receive a request,
and signatures checked before a body is parsed. Real server processes, raw loopback sockets.

Bounds on how long a connection stays open are generous (the deadline plus many seconds):
they tell "closed by the deadline" from "kept open for ever", not fast from slow.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from sync.kiosk_keys import KioskIdentity
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.sealing import seal
from sync.server.cli import parse_args
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.rawhttp import (
    chunked,
    connect,
    peak_memory_bytes,
    read_response,
    request_head,
    wait_closed,
)
from tests.support.tls import TestCA, test_ca  # noqa: F401  (the session CA fixture)

BATCH = "/v1/transactions/batch"
HEARTBEAT = "/v1/heartbeat"
DEADLINE = 2.0  # --request-timeout of the platforms that test it
SLACK = 10.0  # generous: a loaded machine must not fail the test, a missing deadline must
MiB = 1024 * 1024

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads peak memory from /proc"
)


@pytest.fixture
def production(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    """A platform as deployed: signatures required, a short receipt deadline for the tests."""
    return platform_factory(
        require_signatures=True, server_args=("--request-timeout", str(DEADLINE))
    )


@pytest.fixture
def enrolled(production: PlatformProcess, tmp_path: Path) -> EnrolledKiosk:
    return production.enrol("K0451", tmp_path / "identity")


def trickle(data: bytes) -> Iterator[bytes]:
    """``data`` one byte at a time, then nothing more."""
    return (data[i : i + 1] for i in range(len(data)))


def send_in_background(sock: socket.socket, pieces: Iterator[bytes]) -> threading.Thread:
    """Keep sending while the test reads; a server that stops listening ends it early."""

    def run() -> None:
        try:
            for piece in pieces:
                sock.sendall(piece)
        except OSError:
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def oversize_upload(platform: PlatformProcess, headers: dict[str, str], size: int) -> int:
    """POST a chunked body of ``size`` bytes; the status the server answers with."""
    with connect(platform.url) as sock:
        head = {"Content-Type": "application/json", "Transfer-Encoding": "chunked", **headers}
        sock.sendall(request_head("POST", BATCH, head))
        body = chunked(itertools.repeat(b"x" * 65536, size // 65536))
        sender = send_in_background(sock, body)
        status = read_response(sock, timeout=60).status
        sock.shutdown(socket.SHUT_RDWR)
        sender.join(30)
        return status


# -- body cap ---------------------------------------------------------------------------------


@linux_only
@pytest.mark.parametrize("signed", [False, True], ids=["unsigned-transition", "signed"])
def test_chunked_body_over_the_cap_gets_413_and_memory_does_not_follow_the_body(
    platform_factory: Callable[..., PlatformProcess], signed: bool
) -> None:
    """GIVEN a platform with the default body cap (unsigned uploads allowed, or a signed one)
    WHEN a chunked body of 64 MiB arrives (no Content-Length to refuse it by)
    THEN it answers 413 and its peak memory grows by far less than the body."""
    platform = platform_factory(require_signatures=signed)
    headers = {}
    if signed:  # a signature the server cannot check before it has the (capped) body
        headers = KioskIdentity.generate().signer("K0451").headers("POST", BATCH, b"{}")
    warm = requests.post(platform.url + BATCH, data=b"{}", headers=headers, timeout=10)
    assert warm.status_code in (401, 422)  # the code paths are loaded before the baseline
    before = peak_memory_bytes(platform.pid)
    body_size = 64 * MiB
    assert oversize_upload(platform, headers, body_size) == 413
    assert peak_memory_bytes(platform.pid) - before < body_size // 4
    assert requests.get(platform.url + "/v1/health", timeout=10).status_code == 200


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_client_that_sends_all_before_reading_gets_the_413_and_keeps_its_connection(
    production: PlatformProcess, framing: str
) -> None:
    """What requests (the kiosk's client) does: the whole body first, then read. The server
    drops the rest of the body instead of hanging up on it, so the 413 is read, not lost in
    a reset, and the connection serves the next request."""
    size = 3 * MiB
    signed = KioskIdentity.generate().signer("K0451").headers("POST", BATCH, b"x" * size)
    with connect(production.url) as sock:
        if framing == "chunked":
            head = {"Transfer-Encoding": "chunked", **signed}
            sock.sendall(request_head("POST", BATCH, head))
            for piece in chunked(itertools.repeat(b"x" * 65536, size // 65536)):
                sock.sendall(piece)
        else:
            sock.sendall(request_head("POST", BATCH, {"Content-Length": str(size), **signed}))
            sock.sendall(b"x" * size)
        too_large = read_response(sock)
        sock.sendall(request_head("GET", "/v1/health"))
        after = read_response(sock)
    assert too_large.status == 413
    assert json.loads(too_large.body) == {"detail": "request body too large"}
    assert after.status == 200


def test_declared_oversize_body_gets_413_before_it_is_sent(
    production: PlatformProcess,
) -> None:
    with connect(production.url) as sock:
        head = {"Content-Type": "application/json", "Content-Length": str(64 * MiB)}
        sock.sendall(request_head("POST", BATCH, head))
        assert read_response(sock).status == 413


@pytest.mark.parametrize(
    "option", [["--max-body-bytes", "0"], ["--request-timeout", "0"], ["--request-timeout", "nan"]]
)
def test_limits_are_server_options_that_must_be_positive(
    option: list[str], tmp_path: Path
) -> None:
    given = parse_args(
        ["--data-dir", str(tmp_path), "--max-body-bytes", "65536", "--request-timeout", "2.5"]
    )
    assert (given.max_body_bytes, given.request_timeout) == (65536, 2.5)
    with pytest.raises(SystemExit):
        parse_args(["--data-dir", str(tmp_path), *option])


def test_kiosk_halves_its_batch_until_it_fits_a_configured_cap(
    platform_factory: Callable[..., PlatformProcess], tmp_path: Path
) -> None:
    """The operator's --max-body-bytes is what the kiosk's 413 handling meets: batches are
    split until they fit, a record that can never fit is quarantined, nothing is lost."""
    platform = platform_factory(require_signatures=True, server_args=("--max-body-bytes", "65536"))
    kiosk = platform.enrol("K0451", tmp_path / "identity")
    with Outbox(tmp_path / "kiosk" / "outbox.db") as box:
        small = []
        for n in range(10):  # ~16 KiB each once base64: 10 of them are ~160 KiB
            txid = str(uuid7())
            sealed = seal(os.urandom(12_000), platform.public_key, platform.key_id, {"n": str(n)})
            box.enqueue(txid, "SS-001", sealed, {}, "20261121")
            small.append(txid)
        giant = str(uuid7())
        sealed = seal(os.urandom(60_000), platform.public_key, platform.key_id, {})
        box.enqueue(giant, "SS-001", sealed, {}, "20261121")
        worker = SyncWorker(box, kiosk.client(timeout=10.0), batch_items=20)
        for _ in range(10):
            worker.drain()
        assert {box.get(t).state for t in small} == {"acked"}  # type: ignore[union-attr]
        parked = box.get(giant)
        assert parked is not None and parked.state == "quarantined"
        assert parked.verdict == "too_large"
    assert {r["id"] for r in platform.records()} == set(small)


# -- a deadline for receiving a whole request -------------------------------------------------


def test_headers_sent_one_byte_at_a_time_are_cut_off_at_the_deadline(
    production: PlatformProcess,
) -> None:
    endless = itertools.chain(
        trickle(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "), itertools.repeat(b"a")
    )
    with connect(production.url) as sock:
        closed, received = wait_closed(sock, endless, interval=0.1, bound=DEADLINE + SLACK)
    assert closed, "a client trickling headers kept its connection past the deadline"
    assert received.startswith(b"HTTP/1.1 408"), received[:200]


def test_body_sent_one_byte_at_a_time_is_cut_off_with_408(production: PlatformProcess) -> None:
    """A signed request's body is awaited (the signature covers it), but not for ever."""
    signature = KioskIdentity.generate().signer("K0451").headers("POST", BATCH, b"x" * 100000)
    head = request_head(
        "POST",
        BATCH,
        {"Content-Type": "application/json", "Content-Length": "100000", **signature},
    )
    with connect(production.url) as sock:
        sock.sendall(head)
        closed, received = wait_closed(
            sock, itertools.repeat(b"x"), interval=0.1, bound=DEADLINE + SLACK
        )
    assert closed, "a client trickling its body kept its connection past the deadline"
    assert received.startswith(b"HTTP/1.1 408"), received[:200]


def test_the_deadline_holds_over_tls(
    platform_factory: Callable[..., PlatformProcess],
    test_ca: TestCA,  # noqa: F811
) -> None:
    platform = platform_factory(
        require_signatures=True,
        tls=test_ca.issue_server_cert(),
        ca_bundle=test_ca.cert_path,
        server_args=("--request-timeout", str(DEADLINE)),
    )
    head = b"GET /v1/health HTTP/1.1\r\nX-Pad: "
    endless = itertools.chain(trickle(head), itertools.repeat(b"a"))
    with connect(platform.url, ca_file=test_ca.cert_path) as sock:
        closed, received = wait_closed(sock, endless, interval=0.1, bound=DEADLINE + SLACK)
    assert closed, "a client trickling headers over TLS kept its connection past the deadline"
    assert received.startswith(b"HTTP/1.1 408"), received[:200]


def test_a_connection_that_never_speaks_is_closed(production: PlatformProcess) -> None:
    with connect(production.url) as sock:
        closed, received = wait_closed(sock, iter(()), interval=0.1, bound=DEADLINE + SLACK)
    assert closed, "an idle new connection was kept open past the deadline"
    assert received == b""  # no request, so no answer a client could take for one


def test_normal_clients_are_served_while_slow_ones_dangle_and_slow_ones_are_let_go(
    production: PlatformProcess, enrolled: EnrolledKiosk
) -> None:
    """Slow clients do not lock out the rest (no limit_concurrency 503 for everyone), and the
    deadline frees every one of them."""
    slow = [connect(production.url) for _ in range(40)]
    try:
        for sock in slow:
            sock.sendall(b"POST /v1/transactions/batch HTTP/1.1\r\nHost: x\r\nX-Pad: ")
        assert requests.get(production.url + "/v1/health", timeout=10).status_code == 200
        client: PlatformClient = enrolled.client(timeout=10.0)
        assert client.whoami().kiosk_id == "K0451"
        txid = str(uuid7())
        envelope = seal(b"form", production.public_key, production.key_id, {})
        assert client.upload([(txid, envelope)])[txid].verdict == "accepted"
        client.close()
        for sock in slow:
            closed, _ = wait_closed(sock, iter(()), interval=0.1, bound=DEADLINE + SLACK)
            assert closed, "a dangling slow client was never let go"
    finally:
        for sock in slow:
            sock.close()


def test_a_keep_alive_connection_gets_a_fresh_deadline_for_each_request(
    production: PlatformProcess,
) -> None:
    """The deadline counts from a request's first byte, not from the connection's start: a
    kiosk that reuses its connection is not cut off after DEADLINE seconds of idle gaps
    (each gap stays well inside uvicorn's 5 s keep-alive)."""
    with connect(production.url) as sock:
        for _ in range(3):
            sock.sendall(request_head("GET", "/v1/health"))
            assert read_response(sock).status == 200
            time.sleep(DEADLINE * 0.75)
        sock.sendall(request_head("GET", "/v1/health"))
        assert read_response(sock).status == 200


# -- signature before JSON --------------------------------------------------------------------


@pytest.mark.parametrize("path", [BATCH, HEARTBEAT])
@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[" * 50_000 + b"]" * 50_000, b"\xff\xfe"],
    ids=["broken", "deep", "binary"],
)
def test_unsigned_garbage_is_refused_as_unauthenticated_not_parsed(
    production: PlatformProcess, path: str, body: bytes
) -> None:
    """Without a signature the answer is 401, not the 422/400 a JSON parser would give."""
    response = requests.post(
        production.url + path, data=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 401, response.text
    assert response.json()["reason"] == "missing_signature"


@pytest.mark.parametrize("path", [BATCH, HEARTBEAT])
def test_garbage_under_a_bad_signature_is_refused_before_parsing(
    production: PlatformProcess, enrolled: EnrolledKiosk, path: str
) -> None:
    garbage = b"{not json"
    stranger = KioskIdentity.generate().signer("K9999").headers("POST", path, garbage)
    swapped = enrolled.identity.signer("K0451").headers("POST", path, b"{}")
    # An unknown kiosk id is answered exactly like a wrong key (issue 8, item 14).
    for headers, reason in ((stranger, "bad_signature"), (swapped, "bad_signature")):
        response = requests.post(
            production.url + path,
            data=garbage,
            headers={"Content-Type": "application/json", **headers},
            timeout=10,
        )
        assert response.status_code == 401, response.text
        assert response.json()["reason"] == reason


def test_signed_garbage_is_parsed_only_after_the_signature_holds(
    production: PlatformProcess, enrolled: EnrolledKiosk
) -> None:
    garbage = b"{not json"
    headers = enrolled.identity.signer("K0451").headers("POST", BATCH, garbage)
    response = requests.post(
        production.url + BATCH,
        data=garbage,
        headers={"Content-Type": "application/json", **headers},
        timeout=10,
    )
    assert response.status_code == 422


def test_unsigned_upload_is_refused_before_its_body_is_read(production: PlatformProcess) -> None:
    """The server answers 401 to the head alone: it never waits for (or buffers) the body
    (were it waiting, the receipt deadline would answer 408 instead)."""
    with connect(production.url) as sock:
        head = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
        sock.sendall(request_head("POST", BATCH, head))
        response = read_response(sock, timeout=DEADLINE + SLACK)
    assert response.status == 401
