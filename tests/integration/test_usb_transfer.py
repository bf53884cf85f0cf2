"""USB transfer that closes the loop (issue 13, item 2), end to end with the real kiosk core,
outbox file and the reference platform's database and CLI: a kiosk that cannot reach the
platform exports its waiting records to a "stick" (a directory: the technician mounts media,
never the kiosk), the platform imports them and writes a signed acknowledgement, the kiosk
reads it back and marks them acked. Every record arrives exactly once — also when the same
stick is imported twice, or the kiosk syncs the same records over the network later. A forged
bundle, a bundle changed on the stick and a revoked kiosk's export are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config import Config
from kiosk.platform_link.enrolment import identity_dir
from sync.outbox.store import Outbox
from sync.server.store import make_engine
from sync.transfer.bundle import TRANSFER_DIR, bundles_under
from tests.support.headless_kiosk import build_kiosk, drained, headless_config, submit
from tests.support.headless_kiosk import write_config as write_kiosk_config
from tests.support.platform import PlatformProcess
from tests.support.sync_worker import wait_for

ROOT = Path(__file__).resolve().parents[2]
PII = ("13800138000",)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def stored_ids(platform: PlatformProcess) -> list[str]:
    engine = make_engine(platform.database_url)
    try:
        with engine.connect() as conn:
            return sorted(r[0] for r in conn.exec_driver_sql("SELECT id FROM transactions"))
    finally:
        engine.dispose()


@pytest.fixture
def offline_kiosk(
    tmp_path: Path, platform_factory: Callable[..., PlatformProcess]
) -> tuple[Config, Path, PlatformProcess, list[str]]:
    """An enrolled kiosk with four records waiting; its platform is down."""
    platform = platform_factory(start=False, require_signatures=True)
    config = headless_config(tmp_path / "kiosk", platform.url, "K0451", code="K0451")
    platform.enrol(config.kiosk.id, identity_dir(config), code="K0451")
    core = build_kiosk(config)
    core.start()
    try:
        txids = [submit(core) for _ in range(4)]
    finally:
        core.stop()
    return config, write_kiosk_config(config, tmp_path / "kiosk.toml"), platform, txids


def export(config_file: Path, stick: Path) -> subprocess.CompletedProcess[str]:
    return cli("--config", str(config_file), "outbox", "export-usb", str(stick))


def import_stick(platform: PlatformProcess, stick: Path) -> subprocess.CompletedProcess[str]:
    return cli("server", "import", str(stick), "--data-dir", str(platform.data_dir),
               "--database-url", platform.database_url)


def states(config: Config) -> dict[str, str]:
    outbox = Outbox(config.outbox_path)
    try:
        return states_of_outbox(outbox)
    finally:
        outbox.close()


def test_the_stick_carries_every_record_once_and_brings_the_acknowledgement_back(
    offline_kiosk, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    config, config_file, platform, txids = offline_kiosk
    stick = tmp_path / "stick"
    stick.mkdir()
    done = export(config_file, stick)
    assert done.returncode == 0, done.stderr
    assert "exported 4 waiting record(s)" in done.stdout
    (bundle,) = bundles_under(stick)
    text = bundle.read_text("utf-8")
    head = json.loads(text)
    assert head["count"] == 4 and head["kiosk_id"] == "K0451"
    # Nothing readable of the records: no ids, no tracking numbers, no service codes, no PII.
    for secret in (*txids, "K0451-", "elderly", "service", *PII):
        assert secret not in text.replace('"kiosk_id": "K0451"', "")
    assert set(states(config).values()) == {"pending"}  # waiting until the platform's word

    first = import_stick(platform, stick)
    assert first.returncode == 0, first.stderr
    assert "4 accepted" in first.stdout
    assert stored_ids(platform) == sorted(txids)
    again = import_stick(platform, stick)  # the same stick twice: duplicates, nothing new
    assert again.returncode == 0 and "4 duplicate" in again.stdout
    assert stored_ids(platform) == sorted(txids)

    read = cli("--config", str(config_file), "outbox", "read-acks", str(stick))
    assert read.returncode == 0, read.stderr
    assert "acked 4 record(s)" in read.stdout
    assert set(states(config).values()) == {"acked"}
    reread = cli("--config", str(config_file), "outbox", "read-acks", str(stick))
    assert reread.returncode == 0 and "4 already settled" in reread.stdout

    platform.start()  # the network comes back: nothing is sent twice
    core = build_kiosk(config)
    core.start()
    try:
        wait_for(drained(core), 10)
    finally:
        core.stop()
    assert stored_ids(platform) == sorted(txids)


def test_records_synced_over_the_network_first_are_duplicates_on_the_stick(
    offline_kiosk, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    config, config_file, platform, txids = offline_kiosk
    stick = tmp_path / "stick"
    stick.mkdir()
    assert export(config_file, stick).returncode == 0
    platform.start()
    core = build_kiosk(config)
    core.start()
    try:
        wait_for(lambda: set(states_of(core).values()) == {"acked"}, 15)
    finally:
        core.stop()
    done = import_stick(platform, stick)
    assert done.returncode == 0 and "4 duplicate" in done.stdout
    assert stored_ids(platform) == sorted(txids)


def states_of(core) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return states_of_outbox(core.outbox)


def states_of_outbox(outbox: Outbox) -> dict[str, str]:
    found = {txid: outbox.get(txid) for txid in outbox.ids()}
    return {txid: r.state for txid, r in found.items() if r is not None}


def test_a_changed_or_forged_bundle_and_a_revoked_kiosk_s_export_are_refused(
    offline_kiosk, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    config, config_file, platform, txids = offline_kiosk
    stick = tmp_path / "stick"
    stick.mkdir()
    assert export(config_file, stick).returncode == 0
    (bundle,) = bundles_under(stick)
    original = bundle.read_bytes()

    doc = json.loads(original)
    doc["count"] = 3  # changed on the stick
    bundle.write_text(json.dumps(doc))
    changed = import_stick(platform, stick)
    assert changed.returncode == 1 and "not signed by kiosk K0451" in changed.stderr

    other = tmp_path / "other"  # another machine's key, claiming to be K0451
    forged_config = headless_config(other, platform.url, "K0451", code="K0451")
    from kiosk.platform_link.enrolment import init_keys
    from sync.kiosk_keys import load_platform_keys, save_platform_keys

    init_keys(forged_config)
    keys = load_platform_keys(identity_dir(config))
    assert keys is not None
    save_platform_keys(identity_dir(forged_config), keys)
    forged_file = write_kiosk_config(forged_config, tmp_path / "forged.toml")
    build_kiosk(forged_config).outbox.close()
    bundle.unlink()
    assert export(forged_file, stick).returncode == 0
    forged = import_stick(platform, stick)
    assert forged.returncode == 1 and "not signed by kiosk K0451" in forged.stderr

    for path in bundles_under(stick):
        path.unlink()
    bundle.write_bytes(original)
    revoked = platform.operator("revoke", "--kiosk-id", "K0451")
    assert revoked.returncode == 0, revoked.stderr
    refused = import_stick(platform, stick)
    assert refused.returncode == 1 and "revoked" in refused.stderr
    assert stored_ids(platform) == []
    assert not list((stick / TRANSFER_DIR).rglob("*.ack.json"))
    assert txids
