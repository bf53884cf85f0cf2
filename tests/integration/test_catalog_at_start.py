"""A start paints from the downloaded catalogue the catalogue directory recorded, without the
signature check (no cryptography before the first paint); attaching the platform link checks
it against the pinned key and, if it no longer verifies, swaps in what does between citizens."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.printers.local import FileReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.assembly import assemble_kiosk, open_outbox
from kiosk.catalog import load_catalog
from kiosk.config import Config
from kiosk.core import KioskCore
from sync.platform.signing import ed25519_key_id, ed25519_public_key_text
from tests.support.downlink import enrolled_with_catalog
from tests.support.kiosk import test_config

KIOSK_ID = "start-kiosk"


def downloaded(tmp_path: Path) -> tuple[Path, str]:
    doc = json.loads((Path(__file__).parents[2] / "assets/catalog/services.json").read_text())
    doc["version"] = "downloaded-1"
    data_dir = tmp_path / "kiosk"
    enrolled_with_catalog(tmp_path / "platform", data_dir, KIOSK_ID,
                          json.dumps(doc, ensure_ascii=False).encode())
    return data_dir, "downloaded-1"


def start_half(config: Config, tmp_path: Path) -> KioskCore:
    """What ``kiosk run`` builds before its first paint."""
    return assemble_kiosk(config, readers=SimulatedCardReader(),
                          printer=FileReceiptPrinter(tmp_path / "spool"), with_outbox=False)


def test_the_recorded_copy_paints_first_and_stays_when_it_verifies(tmp_path: Path) -> None:
    data_dir, version = downloaded(tmp_path)
    config = test_config(data_dir).replace("kiosk", id=KIOSK_ID)
    core = start_half(config, tmp_path)
    assert core.catalog.version == version
    painted = core.catalog
    core.attach(open_outbox(core.config, core.clock))
    try:
        assert core.catalog is painted
    finally:
        core.stop()


def test_a_copy_that_no_longer_verifies_is_replaced_by_the_installed_one(tmp_path: Path) -> None:
    data_dir, version = downloaded(tmp_path)
    # The kiosk now pins another catalogue key (re-enrolled elsewhere): the copy on disk, though
    # recorded, is not signed by it.
    keys_file = data_dir / "identity" / "platform_keys.json"
    keys = json.loads(keys_file.read_text())
    other = Ed25519PrivateKey.generate().public_key()
    keys["catalogue_key"] = ed25519_public_key_text(other)
    keys["catalogue_key_id"] = ed25519_key_id(other)
    keys_file.write_text(json.dumps(keys))
    config = test_config(data_dir).replace("kiosk", id=KIOSK_ID)
    core = start_half(config, tmp_path)
    assert core.catalog.version == version  # painted from the recorded copy
    core.attach(open_outbox(core.config, core.clock))
    try:
        assert core.catalog.version == load_catalog().version  # the installed catalogue
    finally:
        core.stop()
