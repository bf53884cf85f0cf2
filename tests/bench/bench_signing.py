"""What request signatures and TLS cost per request, against unsigned plain HTTP.

The same one-record batch uploads go to the real platform process on loopback three ways:
unsigned over HTTP (the baseline; the platform runs with ``--allow-unsigned``), signed over
HTTP (Ed25519 sign + server verify, key lookup, nonce insert) and signed over HTTPS with
keep-alive (the production shape). Rounds alternate so drift hits all three alike.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from sync.platform.client import PlatformClient
from sync.sealing import seal
from sync.uuid7 import uuid7
from tests.support.platform import PlatformProcess
from tests.support.tls import TestCA

REQUESTS = 150
ROUNDS = 3


def _per_request(client: PlatformClient, platform: PlatformProcess) -> float:
    envelopes = [
        seal(os.urandom(400), platform.public_key, platform.key_id, {}) for _ in range(REQUESTS)
    ]
    start = time.perf_counter()
    for envelope in envelopes:
        txid = str(uuid7())
        if client.upload([(txid, envelope)])[txid].verdict != "accepted":
            raise RuntimeError("upload not accepted")
    return (time.perf_counter() - start) / REQUESTS * 1000


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        ca = TestCA(Path(tmp) / "ca")
        plain = PlatformProcess(Path(tmp) / "plain").start()
        tls = PlatformProcess(
            Path(tmp) / "tls", tls=ca.issue_server_cert(), ca_bundle=ca.cert_path
        ).start()
        try:
            signed_plain = plain.enrol("bench", Path(tmp) / "id-plain").client(timeout=10.0)
            signed_tls = tls.enrol("bench", Path(tmp) / "id-tls").client(timeout=10.0)
            unsigned = PlatformClient(plain.url, "bench-unsigned", timeout=10.0)
            base, signed, secure = [], [], []
            for _ in range(ROUNDS):
                base.append(_per_request(unsigned, plain))
                signed.append(_per_request(signed_plain, plain))
                secure.append(_per_request(signed_tls, tls))
            for client in (unsigned, signed_plain, signed_tls):
                client.close()
        finally:
            plain.stop()
            tls.stop()
    b, s, t = (statistics.median(x) for x in (base, signed, secure))
    return (
        f"signing: {s:.2f} ms/request signed over HTTP, {s / b:.2f}x unsigned ({b:.2f} ms); "
        f"signed over TLS with keep-alive {t:.2f} ms, {t / b:.2f}x "
        f"(median of {ROUNDS} rounds x {REQUESTS} one-record uploads on loopback)"
    )


if __name__ == "__main__":
    print(run())
