"""Data directories 0700; databases, their -wal and -shm, and private keys 0600, whatever the
umask: created so, and corrected (and logged) at start when an older version left them open.

Every test runs under the permissive umask 022 that most service accounts have.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.platform_link.enrolment import identity_dir, init_keys
from sync.kiosk_keys import PRIVATE_KEY_FILE
from sync.outbox.store import Outbox
from sync.sealing import key_id_of, public_key_text
from sync.server.cli import start_server_thread
from sync.server.keys import CATALOGUE_PRIVATE_KEY_FILE
from sync.server.keys import PRIVATE_KEY_FILE as SEALING_KEY_FILE
from sync.server.store import TransactionStore
from tests.support.platform import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def companions(db: Path) -> list[Path]:
    return [db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def kiosk_config(data_dir: Path) -> Config:
    key = X25519PrivateKey.generate().public_key()
    return (
        Config()
        .replace("kiosk", data_dir=str(data_dir))
        .replace("platform", url=f"http://127.0.0.1:{free_port()}",
                 sealing_key=public_key_text(key), sealing_key_id=key_id_of(key))
    )


def start_core(config: Config) -> KioskCore:
    return assemble_kiosk(config, readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port()))


def crash_while_open(script: str, *args: str) -> None:
    """Run ``script`` in a child that dies with its database open: -wal and -shm stay behind."""
    subprocess.run(
        [sys.executable, "-c", script + "\nimport os\nos._exit(0)\n", *args],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True, timeout=60,
    )


def loosen(*paths: Path) -> None:
    for path in paths:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def test_kiosk_makes_its_data_dir_outbox_wal_shm_and_keys_owner_only(tmp_path: Path) -> None:
    config = kiosk_config(tmp_path / "data")
    init_keys(config)  # kiosk keys init
    core = start_core(config)
    try:
        wal, shm = companions(config.outbox_path)
        assert wal.exists() and shm.exists()  # the open outbox has both
        assert mode(config.data_dir) == 0o700
        assert mode(identity_dir(config)) == 0o700
        assert mode(identity_dir(config) / PRIVATE_KEY_FILE) == 0o600
        for path in (config.outbox_path, wal, shm):
            assert mode(path) == 0o600, path.name
    finally:
        core.stop()


def test_kiosk_start_corrects_what_an_older_version_left_open_and_logs_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = kiosk_config(tmp_path / "data")
    init_keys(config)
    crash_while_open(
        "import sys\nfrom sync.outbox.store import Outbox\nOutbox(sys.argv[1])",
        str(config.outbox_path),
    )
    wal, shm = companions(config.outbox_path)
    key = identity_dir(config) / PRIVATE_KEY_FILE
    loose = [config.data_dir, identity_dir(config), key, config.outbox_path, wal, shm]
    loosen(*loose)
    caplog.set_level(logging.WARNING)
    core = start_core(config)
    try:
        assert [mode(p) for p in loose] == [0o700, 0o700, 0o600, 0o600, 0o600, 0o600]
    finally:
        core.stop()
    for path in loose:
        assert f"{path} was mode 0{0o755 if path.is_dir() else 0o644:o}" in caplog.text


def test_an_outbox_opened_alone_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "outbox.sqlite"
    with Outbox(path):
        assert mode(path.parent) == 0o700
        for file in (path, *companions(path)):
            assert mode(file) == 0o600, file.name


def test_platform_database_and_keys_are_owner_only_in_a_directory_that_existed(
    tmp_path: Path,
) -> None:
    data = tmp_path / "platform"
    data.mkdir(mode=0o755)
    server = start_server_thread(data_dir=data)
    try:
        db = data / "platform.db"
        assert all(p.exists() for p in companions(db))
        assert mode(data) == 0o700
        for path in (db, *companions(db), data / SEALING_KEY_FILE,
                     data / CATALOGUE_PRIVATE_KEY_FILE):
            assert mode(path) == 0o600, path.name
    finally:
        server.stop()


def test_platform_corrects_a_database_an_older_version_left_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shared = tmp_path / "srv"  # a --database-url outside the data directory
    shared.mkdir(mode=0o755)
    db = shared / "platform.db"
    crash_while_open(
        "import sys\nfrom sync.server.store import TransactionStore\n"
        "TransactionStore('sqlite:///' + sys.argv[1])",
        str(db),
    )
    loosen(db, *companions(db))
    caplog.set_level(logging.WARNING)
    store = TransactionStore(f"sqlite:///{db}")
    try:
        assert [mode(p) for p in (db, *companions(db))] == [0o600, 0o600, 0o600]
    finally:
        store.dispose()
    for path in (db, *companions(db)):
        assert f"{path} was mode 0644" in caplog.text
