"""Staff credentials from the platform to the kiosk: created by the operator, delivered signed,
used to sign in, withdrawn again. Real platform subprocess with signatures required."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.config import Config
from kiosk.platform_link.enrolment import identity_dir
from kiosk.staff.sign_in import authorize, staff_gate
from kiosk.staff.store import staff_dir, staff_sync
from sync.downlink.staff import StaffSync
from sync.kiosk_keys import PlatformKeys, save_platform_keys
from sync.platform.client import PlatformClient
from sync.server.catalog_admin import sign_catalog
from sync.server.staff_admin import add_person, remove_person
from sync.server.store import make_engine
from sync.staff_credentials import sign_document
from tests.support.clock import FakeClock
from tests.support.kiosk import kiosk_window, test_config
from tests.support.platform import PlatformProcess, ScriptedHTTPServer, reply
from tests.support.staff import sign_in, with_local_technician
from ui.qt import QLabel

ROOT = Path(__file__).resolve().parents[2]
TECH, TECH_PIN = "4711", "482913"
HELPER, HELPER_PIN = "1001", "730196"


def staff_cli(
    platform: PlatformProcess, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``kiosk server staff ... --data-dir DIR`` as the operator types it."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "server", "staff", *args,
         "--data-dir", str(platform.data_dir)],
        input=stdin, capture_output=True, text=True, timeout=60, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def kiosk_config(tmp_path: Path, platform: PlatformProcess) -> Config:
    return (
        test_config(tmp_path / "kiosk")
        .replace("platform", url=platform.url, sealing_key="", sealing_key_id="")
        .replace("kiosk", id="kiosk-0451")
    )


def test_people_added_on_the_platform_sign_in_at_the_kiosk_and_removed_ones_cannot(
    tmp_path: Path, platform_factory: Callable[..., PlatformProcess]
) -> None:
    platform = platform_factory(require_signatures=True)
    added = staff_cli(platform, "add", "--id", TECH, "--name", "Wang Fang", "--role",
                      "technician", stdin=f"{TECH_PIN}\n{TECH_PIN}\n")
    assert added.returncode == 0, added.stderr
    assert staff_cli(platform, "add", "--id", HELPER, "--name", "Zhao Min", "--role", "staff",
                     stdin=f"{HELPER_PIN}\n{HELPER_PIN}\n").returncode == 0
    weak = staff_cli(platform, "add", "--id", "2002", "--name", "X", "--role", "staff",
                     stdin="123456\n123456\n")
    assert weak.returncode == 2 and "PIN refused" in weak.stderr
    listed = staff_cli(platform, "list").stdout
    assert TECH in listed and HELPER in listed and "Wang Fang" in listed
    assert "argon2" not in listed and "2002" not in listed
    database = platform.db_path.read_bytes()
    assert TECH_PIN.encode() not in database and HELPER_PIN.encode() not in database

    config = kiosk_config(tmp_path, platform)
    with_local_technician(config, "9001", "615283")  # set before the kiosk was ever online
    clock = FakeClock()
    gate = staff_gate(config, clock)
    assert gate.sign_in("9001", "615283").ok
    kiosk = platform.enrol(config.kiosk.id, identity_dir(config))
    client = kiosk.client()
    try:
        sync = staff_sync(config, client)
        assert sync is not None
        result = sync.sync()
        assert result.outcome == "updated" and result.serial == 2, result
        held = sync.path
        assert stat.S_IMODE(held.stat().st_mode) == 0o600
        assert TECH_PIN not in held.read_text() and HELPER_PIN not in held.read_text()

        tech = gate.sign_in(TECH, TECH_PIN)
        helper = gate.sign_in(HELPER, HELPER_PIN)
        assert tech.ok and tech.person is not None and tech.person.name == "Wang Fang"
        assert helper.ok and helper.person is not None and helper.person.role == "staff"
        assert authorize(tech.person, "open_panel") and not authorize(helper.person, "open_panel")
        assert authorize(helper.person, "clear_call")
        assert gate.sign_in("9001", "615283").reason == "refused"  # the platform list decides

        assert staff_cli(platform, "remove", "--id", TECH).returncode == 0
        assert sync.sync().serial == 3
        assert gate.sign_in(TECH, TECH_PIN).reason == "refused"
        assert sync.sync().outcome == "unchanged"  # 304: the kiosk already has serial 3
    finally:
        client.close()


@pytest.fixture
def issued(tmp_path: Path) -> tuple[PlatformProcess, list[tuple[bytes, str]]]:
    """A platform (not running) that issued three lists: bytes and signature of each."""
    platform = PlatformProcess(tmp_path / "platform")
    engine = make_engine(platform.database_url)
    clock = iter(range(1_800_000_000, 1_800_000_100)).__next__
    try:
        add_person(engine, platform.catalogue_key, TECH, "Wang Fang", "technician", TECH_PIN,
                   clock=clock)
        add_person(engine, platform.catalogue_key, HELPER, "Zhao Min", "staff", HELPER_PIN,
                   clock=clock)
        remove_person(engine, platform.catalogue_key, TECH, clock=clock)
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT body, signature FROM staff_documents ORDER BY serial").fetchall()
    finally:
        engine.dispose()
    return platform, [(bytes(r[0]), r[1]) for r in rows]


def serve(server: ScriptedHTTPServer, body: bytes, signature: str) -> None:
    import hashlib

    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    server.script = lambda wfile: reply(wfile, 200, body, {
        "Content-Type": "application/json", "ETag": etag, "X-Staff-Signature": signature})


def test_replayed_forged_or_catalogue_signed_lists_are_refused_and_the_copy_kept(
    tmp_path: Path, issued: tuple[PlatformProcess, list[tuple[bytes, str]]],
    scripted_server: ScriptedHTTPServer,
) -> None:
    platform, documents = issued
    config = test_config(tmp_path / "kiosk")
    identity_dir(config).mkdir(parents=True)
    save_platform_keys(identity_dir(config), PlatformKeys(
        kiosk_id=config.kiosk.id, server_time=0.0, **platform.platform_keys))
    client = PlatformClient(scripted_server.url, config.kiosk.id)
    sync = staff_sync(config, client)
    assert isinstance(sync, StaffSync)
    try:
        serve(scripted_server, *documents[1])
        assert sync.sync().outcome == "updated"  # serial 2: both people
        newest_body, newest_signature = documents[2]
        tampered = newest_body.replace(b"Zhao Min", b"Zhao Mim")
        other_key = Ed25519PrivateKey.generate()
        for body, signature, why in [
            (*documents[0], "older"),  # a replay of serial 1
            (tampered, newest_signature, "does not verify"),
            (newest_body, sign_catalog(newest_body, platform.catalogue_key), "does not verify"),
            (newest_body, sign_document(newest_body, other_key), "does not verify"),
        ]:
            serve(scripted_server, body, signature)
            result = sync.sync()
            assert result.outcome == "refused" and why in (result.reason or ""), result
            held = sync.current()
            assert held is not None and held.serial == 2 and held.find(TECH) is not None
        serve(scripted_server, *documents[2])
        assert sync.sync().serial == 3
    finally:
        client.close()
    gate = staff_gate(config, FakeClock())
    assert gate.sign_in(HELPER, HELPER_PIN).ok
    # A copy edited on disk (the hall helper promoted to technician) is worth nothing: the
    # signature is checked again on every read, and with no valid list nobody signs in.
    held_file = staff_dir(config) / "platform.json"
    doc = json.loads(held_file.read_text())
    body = base64.b64decode(doc["body"])
    promoted = body.replace(b'"role":"staff"', b'"role":"technician"')
    assert promoted != body
    held_file.write_text(json.dumps({**doc, "body": base64.b64encode(promoted).decode()}))
    assert gate.sign_in(HELPER, HELPER_PIN).reason == "no_credentials"


def test_the_staff_list_needs_a_signed_request(
    platform_factory: Callable[..., PlatformProcess],
) -> None:
    platform = platform_factory()  # even a platform that still accepts unsigned uploads
    client = PlatformClient(platform.url, "kiosk-0451")
    try:
        from sync.platform.errors import PlatformAuthError

        with pytest.raises(PlatformAuthError):
            client.fetch_staff()
    finally:
        client.close()


def test_a_staff_member_signs_in_on_the_kiosk_but_only_a_technician_opens_the_panel(
    qtbot: QtBot, tmp_path: Path, platform_factory: Callable[..., PlatformProcess],
    virtual_printer: VirtualPrinter,
) -> None:
    platform = platform_factory(require_signatures=True)
    for person_id, name, role, pin in ((TECH, "Wang Fang", "technician", TECH_PIN),
                                       (HELPER, "Zhao Min", "staff", HELPER_PIN)):
        assert staff_cli(platform, "add", "--id", person_id, "--name", name, "--role", role,
                         stdin=f"{pin}\n{pin}\n").returncode == 0
    config = (
        kiosk_config(tmp_path, platform)
        .replace("reader", backend="simulated")
        .replace("printer", port=virtual_printer.port)
        .replace("sync", connectivity_seconds=0.2, staff_seconds=0.2)
    )
    platform.enrol(config.kiosk.id, identity_dir(config))
    printer = NetworkReceiptPrinter("127.0.0.1", virtual_printer.port)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (core, w):
        assert core.downlink is not None and core.downlink.staff is not None
        qtbot.waitUntil(lambda: core.downlink.staff.current() is not None, timeout=15_000)
        w.technician.open_panel()
        sign_in(qtbot, w, HELPER, HELPER_PIN)
        assert w.technician.pages.currentIndex() == 0 and w.technician.person is None
        assert "Zhao Min" in w.findChild(QLabel, "technician-pin-status").text()
        sign_in(qtbot, w, TECH, TECH_PIN)
        assert w.technician.pages.currentIndex() == 1
        assert w.technician.person is not None and w.technician.person.person_id == TECH
