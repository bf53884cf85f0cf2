"""The kiosk and the platform talking downstream: a new signed catalog taken between
citizens, an application's status pulled into the outbox, heartbeats stored. Real platform
subprocess with signatures required; the kiosk enrolled with a one-time token."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk import events as ev
from kiosk.assembly import assemble_kiosk
from kiosk.catalog import load_catalog
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from tests.support.kiosk import test_config
from tests.support.platform import PlatformProcess
from tests.unit.test_flow import make_flow


def operator(platform: PlatformProcess, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "server", *args[:1], "--data-dir",
         str(platform.data_dir), *args[1:]],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout


def test_catalog_status_and_heartbeat_flow_between_kiosk_and_platform(
    qtbot: QtBot, tmp_path: Path, platform_factory, virtual_printer: VirtualPrinter  # type: ignore[no-untyped-def]
) -> None:
    platform: PlatformProcess = platform_factory(require_signatures=True)
    catalog = json.loads(
        (resources.files("assets") / "catalog" / "services.json").read_text("utf-8"))
    catalog["version"] = "2026-11-22.1"
    catalog["services"].append(dict(catalog["services"][1], code="household-proof",
                                    title={"zh_CN": "户籍证明开具", "en": "Household proof"}))
    published = tmp_path / "catalog.json"
    published.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    operator(platform, "publish-catalog", str(published))

    config = (
        test_config(tmp_path / "kiosk")
        .replace("platform", url=platform.url, sealing_key="", sealing_key_id="")
        .replace("sync", connectivity_seconds=0.2, heartbeat_seconds=0.5, status_seconds=0.2,
                 catalog_seconds=0.5)
    )
    enrolled = platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    reader = SimulatedCardReader()
    core = assemble_kiosk(
        config, readers=reader, printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port)
    )
    seen: list[ev.Event] = []
    core.events.subscribe(seen.append)
    assert core.catalog.version != "2026-11-22.1"  # the installed catalog, until the sync
    core.start()
    try:
        qtbot.waitUntil(lambda: core.catalog.version == "2026-11-22.1", timeout=10_000)
        assert core.catalog.get("household-proof").text("zh_CN") == "户籍证明开具"

        core.flow.choose_service("social-security-card-loss")
        core.flow.accept_guide()
        core.flow.accept_privacy()
        reader.insert("ssc")
        qtbot.waitUntil(lambda: core.flow.step is Step.FORM, timeout=5000)
        core.flow.submit_form({"phone": "13912345678"})
        core.submit().result(timeout=10)
        txid = core.flow.session.txid
        qtbot.waitUntil(lambda: core.outbox.get(txid).state == "acked", timeout=10_000)

        operator(platform, "set-status", txid, "processing")
        operator(platform, "set-status", txid, "ready_for_pickup")
        qtbot.waitUntil(
            lambda: core.outbox.get(txid).platform_status == "ready_for_pickup", timeout=10_000)
        assert any(isinstance(e, ev.ApplicationDidChangeStatus) and e.txid == txid
                   and e.status == "ready_for_pickup" for e in seen)
        assert config.kiosk.id in operator(platform, "heartbeats")
        # the audit chain's head travels in the heartbeats; its entries (the configuration's
        # baseline at the first health round) through the outbox: the platform sees them meet
        client = enrolled.client()
        audit: dict[str, Any] = {}

        def head_met() -> None:
            audit.update(client.audit_status())
            assert audit["head_seq"] is not None and audit["head_seq"] == audit["last_seq"]

        try:
            qtbot.waitUntil(head_met, timeout=10_000)
        finally:
            client.close()
        assert audit["intact"] and audit["head_seq"] >= 1
    finally:
        core.stop()


def test_a_new_catalog_waits_until_the_citizen_has_finished() -> None:
    flow, _ = make_flow()
    flow.choose_service("elderly-card-apply")
    newer = load_catalog()
    assert flow.replace_catalog(newer) is False  # someone is being served
    flow.reset()
    assert flow.replace_catalog(newer) is True
