"""From 我的办件 to an official proof on A4, as a citizen goes: card in, the card's PIN, the
records, "print an official proof", a kind, the paper. Real parts throughout: pcscd with the
virtual card (its PIN checked by the card), the reference platform over HTTP, a private cupsd
with the A4 simulator; the printed proof's code verified through the platform."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from devices.cards.pcsc.reader import PcscCardReader
from devices.printers.network import NetworkReceiptPrinter
from devices.sim.a4.cupsd import QUEUE, PrivateCupsd
from devices.sim.card.vcard import DEFAULT_PIN, VirtualCard
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from kiosk.records.visit import RecordsStage
from sync.platform.proofs import PROOF_TITLES
from tests.e2e.test_e2e_walking_skeleton import every_live_text, kiosk_config
from tests.e2e.test_ui_records import open_my_records, shown, type_pin
from tests.support.a4 import assert_spool_keeps_nothing, pdf_qr_codes, pdf_text
from tests.support.kiosk import click
from ui.launch import build_window
from ui.qt import QLabel

pytestmark = pytest.mark.pcsc
HOLDER = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))
WAIT = 20_000


def test_a_proof_printed_from_my_records_after_the_cards_pin(
    qtbot: QtBot, tmp_path: Path, pcscd: object, virtual_card: VirtualCard,
    virtual_printer: VirtualPrinter, private_cupsd: PrivateCupsd,
    platform_factory,  # type: ignore[no-untyped-def]
) -> None:
    platform = platform_factory(require_signatures=True)
    config = (
        kiosk_config(tmp_path, platform, virtual_printer)
        .replace("platform", proof_url=platform.url + "/v1/proofs/{code}")
        .replace("a4_printer", queue=QUEUE, server=private_cupsd.server, poll_seconds=0.05)
    )
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    core = assemble_kiosk(
        config, readers=PcscCardReader(config.reader.pcsc_reader),
        printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port, width_mm=58))
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    try:
        window.resize(1920, 1080)
        window.show()
        qtbot.waitExposed(window)
        virtual_card.insert()
        open_my_records(qtbot, core, window)
        click(qtbot, window, "records-show")
        qtbot.waitUntil(lambda: shown(core, window, RecordsStage.PIN), timeout=WAIT)
        type_pin(qtbot, window, DEFAULT_PIN)
        qtbot.waitUntil(lambda: shown(core, window, RecordsStage.RECORDS), timeout=WAIT)

        click(qtbot, window, "records-print-proof")
        click(qtbot, window, "proof-social_insurance")
        status = window.findChild(QLabel, "proof-status")
        assert status is not None
        qtbot.waitUntil(lambda: bool(private_cupsd.printed()), timeout=WAIT)
        (printed,) = private_cupsd.printed()
        text = pdf_text(printed)
        assert PROOF_TITLES["social_insurance"] in text and HOLDER["name"] in text
        (qr,) = pdf_qr_codes(printed, tmp_path)
        assert requests.get(qr, timeout=5).json()["authentic"] is True
        code = qr.rsplit("/", 1)[1]

        click(qtbot, window, "records-proofs-back")
        qtbot.waitUntil(lambda: shown(core, window, RecordsStage.RECORDS), timeout=WAIT)
        click(qtbot, window, "nav-home")
        assert core.flow.step is Step.HOME
        qtbot.wait(50)
        everything = " ".join(every_live_text(window))
        for secret in (HOLDER["name"], HOLDER["id_number"], code):
            assert secret not in everything, secret
        assert_spool_keeps_nothing(private_cupsd, [HOLDER["name"], HOLDER["id_number"], code])
        printed.unlink()  # the citizen's paper
    finally:
        window.close()
        core.stop()
