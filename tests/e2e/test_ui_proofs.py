"""Printing an official proof through the proofs screen, with real parts behind it: the
reference platform over HTTP (signed requests), a private cupsd with the A4 simulator queue,
the PDF from Qt's writer. The printer's state in words on the screen, paper out mid-proof and
the same proof printed again, and nothing personal left in any widget, on disk or in the
CUPS spool once the citizen is done."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from devices.sim.a4.cupsd import QUEUE, PrivateCupsd
from kiosk.config import Config
from kiosk.platform_link.enrolment import identity_dir
from kiosk.proofs.desk import Citizen
from kiosk.proofs.entry import open_proof_desk
from sync.platform.proofs import PROOF_TITLES
from tests.support.a4 import assert_spool_keeps_nothing, pdf_qr_codes, pdf_text
from tests.support.kiosk import click
from tests.support.platform import PlatformProcess
from ui.launch import install_translator, remove_translator
from ui.proof_pdf import render_proof_pdf
from ui.qt import QApplication
from ui.screens.proofs import ProofsScreen

HOLDER = json.loads(Path("assets/sim/ssc_holder.json").read_text("utf-8"))


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """These tests read the screen's words in English, whatever an earlier test installed."""
    install_translator(qapp, "en")
    yield
    remove_translator(qapp)


def live_texts() -> str:
    texts = []
    for w in QApplication.allWidgets():
        for getter in ("text", "toolTip", "accessibleName"):
            value = getattr(w, getter, None)
            if callable(value) and isinstance(result := value(), str):
                texts.append(result)
    return " ".join(texts)


def test_a_proof_printed_from_the_screen_with_paper_out_on_the_way(
    qtbot: QtBot, tmp_path: Path, reference_platform: PlatformProcess,
    private_cupsd: PrivateCupsd,
) -> None:
    url = reference_platform.url
    config = (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock")
        .replace("platform", url=url, proof_url=url + "/v1/proofs/{code}")
        .replace("a4_printer", queue=QUEUE, server=private_cupsd.server, poll_seconds=0.05)
    )
    reference_platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    citizen = Citizen(HOLDER["id_number"], "card_pin")
    screen = ProofsScreen(lambda on_change: open_proof_desk(config, citizen, render_proof_pdf,
                                                            on_change))
    qtbot.addWidget(screen)
    screen.resize(1080, 1920)
    screen.show()
    assert not screen.again.isVisible()

    private_cupsd.set_fault("paper_out")
    click(qtbot, screen, "proof-medical_insurance")
    qtbot.waitUntil(screen.again.isVisible, timeout=20_000)
    assert "out of paper" in screen.status.text()
    assert screen.code.text()  # the code stays on screen with the stopped proof
    assert private_cupsd.printed() == [] and private_cupsd.spool_files() == []

    private_cupsd.set_fault("ok")
    click(qtbot, screen, "proof-again")
    qtbot.waitUntil(lambda: "has been printed" in screen.status.text(), timeout=20_000)
    (printed,) = private_cupsd.printed()
    text = pdf_text(printed)
    assert PROOF_TITLES["medical_insurance"] in text and HOLDER["name"] in text
    (qr,) = pdf_qr_codes(printed, tmp_path)
    code = qr.rsplit("/", 1)[1]
    assert code in screen.code.text() and code in text
    assert requests.get(qr, timeout=5).json()["authentic"] is True

    screen.close_desk()  # the citizen leaves
    texts = live_texts()
    for secret in (HOLDER["name"], HOLDER["id_number"], HOLDER["id_number"][-4:], code):
        assert secret not in texts
    assert_spool_keeps_nothing(private_cupsd, [HOLDER["name"], HOLDER["id_number"], code])
    kiosk_files = b"".join(p.read_bytes() for p in (tmp_path / "kiosk").rglob("*")
                           if p.is_file())
    assert HOLDER["name"].encode() not in kiosk_files
    assert HOLDER["id_number"].encode() not in kiosk_files
    printed.unlink()  # what the simulated printer put out is the citizen's paper


def test_the_platform_down_is_said_on_the_screen_and_nothing_printed(
    qtbot: QtBot, tmp_path: Path, platform_factory: Callable[..., PlatformProcess],
    private_cupsd: PrivateCupsd,
) -> None:
    platform = platform_factory(start=False, require_signatures=True)
    config = (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock")
        .replace("platform", url=platform.url, timeout_seconds=1.0)
        .replace("a4_printer", queue=QUEUE, server=private_cupsd.server, poll_seconds=0.05)
    )
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    citizen = Citizen(HOLDER["id_number"], "card_pin")
    screen = ProofsScreen(lambda on_change: open_proof_desk(config, citizen, render_proof_pdf,
                                                            on_change))
    qtbot.addWidget(screen)
    screen.show()
    click(qtbot, screen, "proof-housing_fund")
    qtbot.waitUntil(screen.back.isVisible, timeout=20_000)
    assert "cannot be reached" in screen.status.text()
    assert not screen.again.isVisible() and screen.code.text() == ""
    assert private_cupsd.printed() == []
    click(qtbot, screen, "proof-back")
    assert screen.status.text() == "" and not screen.back.isVisible()
    screen.close_desk()


def test_the_demo_stack_prints_a_proof_and_care_mode_enlarges_the_words(
    qtbot: QtBot, tmp_path: Path,
) -> None:
    from kiosk.demo import start_demo
    from tests.support.platform import free_port
    from ui.proofs_demo import apply_metrics, demo_citizen, proofs_window

    config = Config().replace("kiosk", data_dir=str(tmp_path), voice_engine="mock").replace(
        "demo", platform_port=free_port(), printer_port=free_port())
    stack = start_demo(config, use_pcsc=False)
    try:
        assert stack.a4 is not None and stack.config.a4_printer.queue == QUEUE
        screen = proofs_window(stack.config, demo_citizen())
        qtbot.addWidget(screen)
        screen.show()
        plain = screen.status.fontInfo().pixelSize()
        click(qtbot, screen, "proof-income_tax")
        qtbot.waitUntil(lambda: "has been printed" in screen.status.text(), timeout=20_000)
        assert PROOF_TITLES["income_tax"] in pdf_text(stack.a4.printed()[-1])
        apply_metrics(screen, care_mode=True)
        assert screen.status.fontInfo().pixelSize() > plain
        screen.close_desk()
    finally:
        stack.close()
