"""TLS: the platform serves HTTPS with a certificate from a test CA; the kiosk verifies it
always, refuses a certificate it does not trust with a clear error, and delivers over TLS."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.diagnostics.diagnose import check_platform
from kiosk.diagnostics.grading import part_status
from sync.kiosk_keys import KioskIdentity, enroll
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformTLSError, PlatformUnavailable
from sync.sealing import load_public_key, seal
from sync.server.cli import parse_args
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.kiosk import test_config
from tests.support.platform import PlatformProcess
from tests.support.tls import TestCA, test_ca  # noqa: F401  (the session CA fixture)

RECEIPT = {"name": "张*", "id_number": "2301**********001X"}


@pytest.fixture
def tls_platform(
    platform_factory: Callable[..., PlatformProcess],
    test_ca: TestCA,  # noqa: F811
) -> PlatformProcess:
    return platform_factory(
        require_signatures=True, tls=test_ca.issue_server_cert(), ca_bundle=test_ca.cert_path
    )


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("other-ca"), name="Someone else's CA")


def test_a_full_upload_goes_over_tls(tls_platform: PlatformProcess, tmp_path: Path) -> None:
    assert tls_platform.url.startswith("https://")
    kiosk = tls_platform.enrol("K0451", tmp_path / "identity")  # enrolment over TLS too
    outbox = Outbox(tmp_path / "outbox.db")
    try:
        key = load_public_key(kiosk.keys.sealing_key)
        ids = []
        for n in range(5):
            txid = str(uuid7())
            envelope = seal(f"form {n}".encode(), key, kiosk.keys.sealing_key_id, {})
            outbox.enqueue(txid, "SS-001", envelope, RECEIPT, "20261121")
            ids.append(txid)
        worker = SyncWorker(outbox, kiosk.client(timeout=3.0), batch_items=2)
        assert worker.drain() == 5
        assert outbox.counts()["acked"] == 5
    finally:
        outbox.close()
    assert sorted(row["id"] for row in tls_platform.records()) == sorted(ids)


def test_a_certificate_from_another_ca_is_refused_clearly(
    tls_platform: PlatformProcess, other_ca: TestCA, tmp_path: Path
) -> None:
    kiosk = tls_platform.enrol("K0451", tmp_path / "identity")
    client = PlatformClient(
        tls_platform.url,
        "K0451",
        signer=kiosk.identity.signer("K0451"),
        ca_bundle=other_ca.cert_path,
        timeout=3.0,
    )
    envelope = seal(b"form", load_public_key(kiosk.keys.sealing_key), kiosk.keys.sealing_key_id, {})
    with pytest.raises(PlatformTLSError, match="not trusted") as caught:
        client.upload([(str(uuid7()), envelope)])
    assert "unable to get local issuer certificate" in str(caught.value)
    assert "CA bundle" in str(caught.value)
    assert isinstance(caught.value, PlatformUnavailable)  # the worker backs off, never quarantines
    assert client.ping() is False
    with pytest.raises(PlatformTLSError):
        enroll(
            tls_platform.url,
            tls_platform.issue_token("K0452"),
            KioskIdentity.generate(),
            "K0452",
            ca_bundle=other_ca.cert_path,
        )
    assert tls_platform.records() == []


def test_the_system_store_does_not_trust_the_test_ca(tls_platform: PlatformProcess) -> None:
    with pytest.raises(PlatformTLSError, match="not trusted"):
        PlatformClient(tls_platform.url, "K0451", timeout=3.0).whoami()


def test_a_certificate_for_another_name_is_refused(
    platform_factory: Callable[..., PlatformProcess],
    test_ca: TestCA,  # noqa: F811
) -> None:
    cert = test_ca.issue_server_cert("elsewhere", ips=(), dns=("platform.example.gov.cn",))
    platform = platform_factory(tls=cert, ca_bundle=test_ca.cert_path, health_check=False)
    client = PlatformClient(platform.url, "K0451", ca_bundle=test_ca.cert_path, timeout=3.0)
    with pytest.raises(PlatformTLSError, match="does not match"):
        client.upload([(str(uuid7()), b"{}")])


def test_a_missing_ca_bundle_is_a_tls_error_at_request_time(
    tls_platform: PlatformProcess, tmp_path: Path
) -> None:
    client = PlatformClient(tls_platform.url, "K0451", ca_bundle=tmp_path / "nope.pem")
    with pytest.raises(PlatformTLSError, match="does not exist"):
        client.upload([(str(uuid7()), b"{}")])


def test_https_client_against_a_plain_http_server_fails_as_tls(
    reference_platform: PlatformProcess,
) -> None:
    url = reference_platform.url.replace("http://", "https://")
    with pytest.raises(PlatformTLSError):
        PlatformClient(url, "K0451", timeout=3.0).upload([(str(uuid7()), b"{}")])


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("http://127.0.0.1:8710", True),
        ("http://127.8.9.1:8710", True),
        ("http://[::1]:8710", True),
        ("http://localhost:8710", True),
        ("http://10.1.2.3:8710", False),
        ("http://platform.example.gov.cn", False),
        ("https://platform.example.gov.cn", True),
    ],
)
def test_plain_http_is_only_for_loopback(url: str, allowed: bool) -> None:
    if allowed:
        PlatformClient(url, "K0451").close()
    else:
        with pytest.raises(ValueError, match="loopback"):
            PlatformClient(url, "K0451")
        PlatformClient(url, "K0451", allow_plain_http=True).close()


def test_server_wants_both_tls_files(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--data-dir", str(tmp_path), "--tls-cert", str(tmp_path / "c.pem")])


def test_worker_keeps_a_record_queued_on_a_tls_failure(
    tls_platform: PlatformProcess, other_ca: TestCA, tmp_path: Path
) -> None:
    kiosk = tls_platform.enrol("K0451", tmp_path / "identity")
    signer = kiosk.identity.signer("K0451")
    client = PlatformClient(tls_platform.url, "K0451", signer=signer, ca_bundle=other_ca.cert_path)
    outbox = Outbox(tmp_path / "outbox.db")
    key = load_public_key(kiosk.keys.sealing_key)
    try:
        txid = str(uuid7())
        envelope = seal(b"x", key, kiosk.keys.sealing_key_id, {})
        outbox.enqueue(txid, "SS-001", envelope, RECEIPT, "20261121")
        worker = SyncWorker(outbox, client, rng=random.Random(1))
        assert worker.drain() == 0
        record = outbox.get(txid)
        assert record is not None and record.state == "pending"
        assert "TLS" in (record.last_error or "")
    finally:
        outbox.close()


@pytest.mark.parametrize(("valid_days", "warned"), [(1.0, True), (90.0, False)])
def test_diagnose_warns_a_month_before_the_platform_certificate_expires(
    platform_factory: Callable[..., PlatformProcess], test_ca: TestCA,  # noqa: F811
    tmp_path: Path, valid_days: float, warned: bool,
) -> None:
    platform = platform_factory(require_signatures=True, ca_bundle=test_ca.cert_path,
                                tls=test_ca.issue_server_cert(valid_days=valid_days))
    config = (test_config(tmp_path / "kiosk")
              .replace("platform", url=platform.url, ca_bundle=str(test_ca.cert_path)))
    report = check_platform(config)
    assert report["reachable"] is True and report["latency_ms"] >= 0
    assert abs(report["certificate_expires_in_days"] - valid_days) < 0.1
    warnings = [w for w in report["warnings"] if "certificate expires" in w]
    assert bool(warnings) is warned
    if warned:
        assert "renew" in warnings[0] and part_status(report) == "attention"


def test_diagnose_names_an_expired_platform_certificate_as_the_reason(
    platform_factory: Callable[..., PlatformProcess], test_ca: TestCA,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Ended half an hour ago: the kiosk cannot reach the platform, and says why."""
    platform = platform_factory(require_signatures=True, ca_bundle=test_ca.cert_path,
                                tls=test_ca.issue_server_cert(valid_days=-1 / 48),
                                health_check=False)
    config = (test_config(tmp_path / "kiosk")
              .replace("platform", url=platform.url, ca_bundle=str(test_ca.cert_path)))
    report = check_platform(config)
    assert report["reachable"] is False and part_status(report) == "failing"
    assert report["detail"].startswith("not reachable (submissions wait in the outbox): TLS: "
                                       "the platform's certificate is out of date (certificate "
                                       "has expired); ask the platform's operator to renew it")
    with pytest.raises(PlatformTLSError, match="out of date"):
        PlatformClient(platform.url, "K0451", ca_bundle=test_ca.cert_path, timeout=3.0).whoami()
