"""Helpers for the downlink tests: a platform shared by one test module, operator actions."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.sealing import load_public_key, seal
from sync.server.catalog_admin import PublishedCatalog, publish_catalog, set_status
from sync.server.store import make_engine
from sync.uuid7 import uuid7
from tests.support.platform import EnrolledKiosk, PlatformProcess

ROOT = Path(__file__).resolve().parents[2]


def catalog_bytes(version: str, codes: tuple[str, ...] = ("svc-a",)) -> bytes:
    title = '{"zh_CN":"服务","en":"S"}'
    services = ",".join(f'{{"code":"{code}","title":{title}}}' for code in codes)
    return f'{{"version":"{version}","services":[{services}]}}'.encode()


def publish(platform: PlatformProcess, data: bytes) -> PublishedCatalog:
    """What ``kiosk server publish-catalog`` does, in process."""
    engine = make_engine(platform.database_url)
    try:
        return publish_catalog(engine, data, platform.catalogue_key)
    finally:
        engine.dispose()


def move(platform: PlatformProcess, txid: str, status: str, *, force: bool = False) -> int | None:
    """What ``kiosk server set-status`` does, in process; the change number."""
    engine = make_engine(platform.database_url)
    try:
        return set_status(engine, txid, status, force=force).seq
    finally:
        engine.dispose()


def operator(platform: PlatformProcess, *args: str) -> subprocess.CompletedProcess[str]:
    """``kiosk server <args> --data-dir DIR`` as an operator types it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "server", *args, "--data-dir", str(platform.data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def upload(kiosk: EnrolledKiosk, n: int) -> list[str]:
    """``n`` sealed transactions uploaded by ``kiosk`` (signed), as the sync worker sends them."""
    key = load_public_key(kiosk.keys.sealing_key)
    records = []
    for i in range(n):
        meta = {"service": "svc-a", "tracking_number": f"{kiosk.kiosk_id}-20261121-{i:04d}-0"}
        records.append((str(uuid7()), seal(b"form", key, kiosk.keys.sealing_key_id, meta)))
    client = kiosk.client()
    try:
        verdicts = client.upload(records)
    finally:
        client.close()
    assert all(v.verdict == "accepted" for v in verdicts.values()) and len(verdicts) == n
    return [txid for txid, _ in records]


@pytest.fixture(scope="module")
def module_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformProcess]:
    """One signed-only platform subprocess for a whole test module (starting one takes ~1 s)."""
    platform = PlatformProcess(tmp_path_factory.mktemp("platform"), require_signatures=True)
    platform.start()
    yield platform
    platform.stop()


def enrolled_with_catalog(platform_dir: Path, data_dir: Path, kiosk_id: str,
                          catalog: bytes) -> PlatformProcess:
    """A kiosk data directory as a hall has it: enrolled (its key, the platform's keys pinned)
    and holding ``catalog`` as the platform signed it, downloaded once by the kiosk's own
    catalogue sync. The platform is started for that and stopped again (returned stopped)."""
    from sync.downlink.catalog import CatalogSync

    platform = PlatformProcess(platform_dir).start()
    try:
        kiosk = platform.enrol(kiosk_id, data_dir / "identity")
        publish(platform, catalog)
        client = kiosk.client()
        outcome = CatalogSync(client, data_dir / "catalog", kiosk.keys.catalogue_key).sync()
        client.close()
        if outcome.outcome != "updated":
            raise RuntimeError(f"the catalogue did not download: {outcome}")
    finally:
        platform.stop()
    return platform
