"""Catalogue sync against the platform subprocess (signatures required): ETag and 304,
the platform's signature checked against the pinned key, tampered or broken downloads
refused with the last good copy kept, and a swap that a kill -9 cannot leave half done."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.downlink.catalog import CATALOG_FILE, PREVIOUS_FILE, CatalogSync
from sync.platform.client import PlatformClient
from sync.platform.signing import ed25519_public_key_text
from tests.support.downlink import ROOT, catalog_bytes, module_platform, operator, publish
from tests.support.platform import EnrolledKiosk, PlatformProcess, ScriptedHTTPServer, reply

__all__ = ["module_platform"]


@pytest.fixture(scope="module")
def kiosk(
    module_platform: PlatformProcess, tmp_path_factory: pytest.TempPathFactory
) -> EnrolledKiosk:
    return module_platform.enrol("K0451", tmp_path_factory.mktemp("identity"))


def catalog_sync(kiosk: EnrolledKiosk, directory: Path, **options: object) -> CatalogSync:
    return CatalogSync(kiosk.client(), directory, kiosk.keys.catalogue_key, **options)  # type: ignore[arg-type]


def test_catalog_is_fetched_verified_and_then_answered_304(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    sync = catalog_sync(kiosk, tmp_path)
    v1 = catalog_bytes("2026-11-21.1")
    publish(module_platform, v1)
    first = sync.sync()
    assert (first.outcome, first.version) == ("updated", "2026-11-21.1")
    assert sync.current_path() == tmp_path / CATALOG_FILE
    assert (tmp_path / CATALOG_FILE).read_bytes() == v1  # the exact bytes that were signed
    download = kiosk.client().fetch_catalog()
    assert download is not None and download.etag == f'"{hashlib.sha256(v1).hexdigest()}"'
    not_modified = kiosk.client().fetch_catalog(download.etag)
    assert not_modified is not None and not_modified.not_modified
    second = sync.sync()
    assert (second.outcome, second.version) == ("unchanged", "2026-11-21.1")
    assert not (tmp_path / PREVIOUS_FILE).exists()


def test_nothing_published_yet_is_no_error(
    platform_factory: Callable[..., PlatformProcess], tmp_path: Path
) -> None:
    platform = platform_factory(require_signatures=True)
    kiosk = platform.enrol("K0452", tmp_path / "identity")
    sync = catalog_sync(kiosk, tmp_path / "catalog")
    result = sync.sync()
    assert (result.outcome, result.ok) == ("none_published", True)
    assert sync.current_path() is None


def test_a_new_catalog_is_swapped_in_and_the_previous_one_kept(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    v1, v2 = catalog_bytes("swap.1"), catalog_bytes("swap.2", ("svc-a", "svc-b"))
    publish(module_platform, v1)
    sync = catalog_sync(kiosk, tmp_path)
    assert sync.sync().outcome == "updated"
    publish(module_platform, v2)
    result = sync.sync()
    assert (result.outcome, result.version) == ("updated", "swap.2")
    assert (tmp_path / CATALOG_FILE).read_bytes() == v2
    assert (tmp_path / PREVIOUS_FILE).read_bytes() == v1
    assert sync.current_version() == "swap.2"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_catalog_tampered_on_the_platform_is_refused_and_the_good_copy_kept(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    good = catalog_bytes("tamper.1")
    publish(module_platform, good)
    refusals: list[str] = []
    sync = catalog_sync(kiosk, tmp_path, on_refused=refusals.append)
    assert sync.sync().outcome == "updated"
    publish(module_platform, catalog_bytes("tamper.2"))
    forged = catalog_bytes("tamper.2", ("svc-a", "svc-evil"))
    conn = sqlite3.connect(module_platform.db_path, timeout=10)
    with conn:  # someone with database access swaps the bytes but cannot re-sign them
        conn.execute(
            "UPDATE catalogs SET body = ?, sha256 = ? WHERE id = (SELECT max(id) FROM catalogs)",
            (forged, hashlib.sha256(forged).hexdigest()),
        )
    conn.close()
    result = sync.sync()
    assert (result.outcome, result.reason) == ("refused", "catalogue signature does not verify")
    assert refusals == ["catalogue signature does not verify"]
    assert sync.current_path() == tmp_path / CATALOG_FILE
    assert (tmp_path / CATALOG_FILE).read_bytes() == good
    assert sync.sync().outcome == "refused"  # and again next time: no ETag was taken from it


def test_a_catalog_signed_by_a_key_other_than_the_pinned_one_is_refused(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    publish(module_platform, catalog_bytes("pinned.1"))
    stranger = ed25519_public_key_text(Ed25519PrivateKey.generate().public_key())
    sync = CatalogSync(kiosk.client(), tmp_path, stranger)
    assert sync.sync().outcome == "refused"
    assert sync.current_path() is None and not (tmp_path / CATALOG_FILE).exists()


def test_the_kiosks_own_validator_can_refuse_a_catalog(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    publish(module_platform, catalog_bytes("validated.1"))

    def unusable(data: bytes) -> None:
        raise KeyError("guide")

    result = catalog_sync(kiosk, tmp_path, validator=unusable).sync()
    assert (result.outcome, result.reason) == ("refused", "catalogue not usable: KeyError")
    assert not (tmp_path / CATALOG_FILE).exists()


def test_unsigned_catalog_requests_are_refused(module_platform: PlatformProcess) -> None:
    answer = requests.get(module_platform.url + "/v1/catalog", timeout=5)
    assert answer.status_code == 401 and answer.json()["reason"] == "missing_signature"


def _signed_headers(key: Ed25519PrivateKey, body: bytes) -> dict[str, str]:
    return {
        "ETag": '"x"',
        "X-Catalog-Signature": base64.b64encode(key.sign(body)).decode(),
        "Content-Type": "application/json",
    }


def test_broken_downloads_never_replace_the_good_copy(
    scripted_server: ScriptedHTTPServer, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    pinned = ed25519_public_key_text(key.public_key())
    sync = CatalogSync(PlatformClient(scripted_server.url, "K0451", timeout=2), tmp_path, pinned)
    good = catalog_bytes("broken.1")
    scripted_server.script = lambda w: reply(w, 200, good, _signed_headers(key, good))
    assert sync.sync().outcome == "updated"
    v2 = catalog_bytes("broken.2")

    def truncated(wfile: object) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(v2)}\r\nConnection: close\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in _signed_headers(key, v2).items())
        wfile.write((head + "\r\n").encode() + v2[: len(v2) // 2])  # type: ignore[attr-defined]

    garbage = b"\x00\xffnot json"
    scripts = {
        "500": lambda w: reply(w, 500, b"oops"),
        "truncated": truncated,
        "garbage unsigned": lambda w: reply(w, 200, garbage, {"ETag": '"g"'}),
        "garbage signed": lambda w: reply(w, 200, garbage, _signed_headers(key, garbage)),
        "bad signature": lambda w: reply(w, 200, v2, {**_signed_headers(key, good)}),
        "not a catalog": lambda w: reply(w, 200, b"[1]", _signed_headers(key, b"[1]")),
    }
    outcomes = {}
    for name, script in scripts.items():
        scripted_server.script = script
        outcomes[name] = sync.sync().outcome
        assert (tmp_path / CATALOG_FILE).read_bytes() == good, name
        assert sync.current_path() == tmp_path / CATALOG_FILE, name
    assert outcomes == {
        "500": "failed",
        "truncated": "failed",
        "garbage unsigned": "refused",
        "garbage signed": "refused",
        "bad signature": "refused",
        "not a catalog": "refused",
    }


def test_a_corrupted_current_copy_falls_back_to_the_previous_one(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    v1, v2 = catalog_bytes("rot.1"), catalog_bytes("rot.2")
    sync = catalog_sync(kiosk, tmp_path)
    publish(module_platform, v1)
    sync.sync()
    publish(module_platform, v2)
    sync.sync()
    (tmp_path / CATALOG_FILE).write_bytes(v2[:-3])  # disk rot, or someone editing it
    assert sync.current_path() == tmp_path / PREVIOUS_FILE
    assert sync.current_version() == "rot.1"
    assert sync.sync().outcome == "updated"  # no ETag sent for a copy that does not verify
    assert sync.current_path() == tmp_path / CATALOG_FILE


CRASH_CHILD = """
import os, signal, sys
from pathlib import Path
from sync import atomic_file
from sync.downlink.catalog import CatalogSync
from sync.platform.client import PlatformClient
from sync.kiosk_keys import load_identity, load_platform_keys

url, kiosk_id, identity_dir, directory, crash_at = sys.argv[1:6]
identity = load_identity(Path(identity_dir))
keys = load_platform_keys(Path(identity_dir))
real_replace = atomic_file.replace

def replace(src, dst):
    if Path(dst).name == crash_at:
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)

atomic_file.replace = replace
client = PlatformClient(url, kiosk_id, signer=identity.signer(kiosk_id))
CatalogSync(client, Path(directory), keys.catalogue_key).sync()
sys.exit(3)  # not reached: the crash point is on the way
"""


@pytest.mark.parametrize("crash_at", ["catalog.state.json", "catalog.prev.json", "catalog.json"])
def test_kill_9_during_the_swap_leaves_a_complete_verified_catalog(
    kiosk: EnrolledKiosk, module_platform: PlatformProcess, tmp_path: Path, crash_at: str
) -> None:
    v1, v2 = catalog_bytes(f"crash.{crash_at}.1"), catalog_bytes(f"crash.{crash_at}.2")
    publish(module_platform, v1)
    assert catalog_sync(kiosk, tmp_path).sync().outcome == "updated"
    publish(module_platform, v2)
    child = subprocess.run(
        [sys.executable, "-c", CRASH_CHILD, module_platform.url, kiosk.kiosk_id,
         str(kiosk.identity_dir), str(tmp_path), crash_at],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
    assert (tmp_path / CATALOG_FILE).read_bytes() == v1  # never a partial or missing file
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # the unfinished write
    restarted = catalog_sync(kiosk, tmp_path)
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    assert restarted.current_path() == tmp_path / CATALOG_FILE
    assert restarted.current_version() == f"crash.{crash_at}.1"
    assert restarted.sync().outcome == "updated"
    assert (tmp_path / CATALOG_FILE).read_bytes() == v2
    assert (tmp_path / PREVIOUS_FILE).read_bytes() == v1
    state = json.loads((tmp_path / "catalog.state.json").read_text())
    assert len(state["entries"]) == 2


def test_operator_publishes_with_the_cli_and_bad_files_are_refused(
    module_platform: PlatformProcess, kiosk: EnrolledKiosk, tmp_path: Path
) -> None:
    path = tmp_path / "services.json"
    path.write_bytes((ROOT / "assets" / "catalog" / "services.json").read_bytes())
    done = operator(module_platform, "publish-catalog", str(path))
    assert done.returncode == 0 and "published" in done.stdout, done.stderr
    again = operator(module_platform, "publish-catalog", str(path))
    assert again.returncode == 0 and "already current" in again.stdout
    download = kiosk.client().fetch_catalog()
    assert download is not None and download.body == path.read_bytes()
    path.write_text(json.dumps({"services": []}))
    refused = operator(module_platform, "publish-catalog", str(path))
    assert refused.returncode == 1 and '"version"' in refused.stderr
