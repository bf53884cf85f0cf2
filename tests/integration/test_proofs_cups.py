"""Official proofs printed through a real CUPS: a private cupsd whose queue's backend is the
A4 simulator (devices/sim/a4), the reference platform over HTTP, the PDF from Qt's writer.

What came out of the printer is read back: its text with poppler's pdftotext, its QR code with
zbar, and the code verified through the platform. Paper out and a jam mid-proof stop the job
with the state in words-ready form and the same proof printed again once cleared; an offline
printer refuses the job before it starts; the CUPS spool keeps nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from devices.printers.a4_settings import A4PrinterSettings
from devices.printers.cups_a4 import A4PrinterError, A4State, CupsA4Printer
from devices.sim.a4.cupsd import PrivateCupsd
from kiosk.proofs.desk import Citizen, ProofDesk
from kiosk.proofs.machine import ProofStep, ProofView
from sync.platform.proofs import PROOF_KINDS, PROOF_TITLES
from tests.support.a4 import a4_settings, assert_spool_keeps_nothing, pdf_qr_codes, pdf_text
from tests.support.platform import EnrolledKiosk, PlatformProcess
from ui.proof_pdf import render_proof_pdf

HOLDER = json.loads(Path("assets/sim/ssc_holder.json").read_text("utf-8"))


@pytest.fixture
def kiosk(reference_platform: PlatformProcess, tmp_path: Path) -> EnrolledKiosk:
    return reference_platform.enrol("K0451", tmp_path / "identity", code="K0451")


class Views:
    def __init__(self) -> None:
        self.seen: list[ProofView] = []
        self.settled = threading.Event()

    def __call__(self, view: ProofView) -> None:
        self.seen.append(view)
        if view.step in (ProofStep.PRINTED, ProofStep.PRINT_FAILED, ProofStep.ISSUE_FAILED):
            self.settled.set()

    def wait(self) -> ProofView:
        assert self.settled.wait(30), self.seen
        self.settled.clear()
        return self.seen[-1]


@pytest.fixture
def desk(qapp: object, kiosk: EnrolledKiosk, private_cupsd: PrivateCupsd
         ) -> Iterator[tuple[ProofDesk, Views]]:
    views = Views()
    url = kiosk.platform.url
    made = ProofDesk(Citizen(HOLDER["id_number"], "card_pin"), kiosk.client,
                     CupsA4Printer(a4_settings(private_cupsd)), render_proof_pdf,
                     lambda code: f"{url}/v1/proofs/{code}", views)
    yield made, views
    made.close()


def verify(platform: PlatformProcess, url: str) -> dict[str, object]:
    assert url.startswith(platform.url + "/v1/proofs/")
    reply = requests.get(url, timeout=5)
    assert reply.status_code == 200
    answer: dict[str, object] = reply.json()
    return answer


def test_each_kind_prints_with_its_content_and_a_code_that_verifies(
    desk: tuple[ProofDesk, Views], private_cupsd: PrivateCupsd, reference_platform: PlatformProcess,
    tmp_path: Path,
) -> None:
    proofs, views = desk
    for count, kind in enumerate(PROOF_KINDS, start=1):
        assert proofs.print_proof(kind) is not None
        assert proofs.print_proof(kind) is None  # the double tap prints once
        view = views.wait()
        assert view.step is ProofStep.PRINTED, view
        printed = private_cupsd.printed()
        assert len(printed) == count
        text = pdf_text(printed[-1])
        assert PROOF_TITLES[kind] in text
        assert HOLDER["name"] in text and HOLDER["id_number"] not in text
        assert HOLDER["id_number"][:4] + "*" * 10 + HOLDER["id_number"][-4:] in text
        assert view.code in text and "验证码" in text
        qr = pdf_qr_codes(printed[-1], tmp_path)
        assert qr == [f"{reference_platform.url}/v1/proofs/{view.code}"]
        answer = verify(reference_platform, qr[0])
        assert answer["authentic"] is True and answer["kind"] == kind
        assert proofs.back()
    assert_spool_keeps_nothing(private_cupsd, [HOLDER["name"], HOLDER["id_number"]])


@pytest.mark.parametrize(("fault", "state"), [("paper_out", A4State.PAPER_OUT),
                                              ("jam", A4State.JAM)])
def test_a_fault_mid_proof_is_reported_and_the_same_proof_offered_again(
    desk: tuple[ProofDesk, Views], private_cupsd: PrivateCupsd, fault: str, state: A4State,
) -> None:
    proofs, views = desk
    private_cupsd.set_fault(fault)
    proofs.print_proof("social_insurance")
    view = views.wait()
    assert view.step is ProofStep.PRINT_FAILED and view.printer is state
    assert any(v.step is ProofStep.PRINTING for v in views.seen)
    assert private_cupsd.printed() == [] and private_cupsd.spool_files() == []
    code = view.code
    private_cupsd.set_fault("ok")  # staff loaded paper / cleared the jam
    assert proofs.print_again() is not None
    again = views.wait()
    assert again.step is ProofStep.PRINTED and again.code == code
    assert code in pdf_text(private_cupsd.printed()[-1])
    assert private_cupsd.spool_files() == []


def test_an_offline_printer_refuses_before_the_job(
    desk: tuple[ProofDesk, Views], private_cupsd: PrivateCupsd,
) -> None:
    proofs, views = desk
    private_cupsd.stop()
    proofs.print_proof("income_tax")
    view = views.wait()
    assert view.step is ProofStep.PRINT_FAILED and view.printer is A4State.OFFLINE


def test_printer_state_words_come_from_the_queue(private_cupsd: PrivateCupsd) -> None:
    printer = CupsA4Printer(a4_settings(private_cupsd))
    assert printer.status().state is A4State.READY
    unknown = CupsA4Printer(A4PrinterSettings(queue="no-such-queue", server=private_cupsd.server))
    assert unknown.status().state is A4State.NOT_CONFIGURED
    with pytest.raises(A4PrinterError) as refused:
        unknown.print_pdf(b"%PDF-1.4\n", "x")
    assert refused.value.status.state is A4State.NOT_CONFIGURED
    assert CupsA4Printer(A4PrinterSettings()).status().state is A4State.NOT_CONFIGURED


def test_a_platform_that_is_down_is_said_and_nothing_printed(
    qtbot: QtBot, kiosk: EnrolledKiosk, private_cupsd: PrivateCupsd,
    reference_platform: PlatformProcess,
) -> None:
    reference_platform.stop()
    views = Views()
    proofs = ProofDesk(Citizen(HOLDER["id_number"], "card_pin"), kiosk.client,
                       CupsA4Printer(a4_settings(private_cupsd)), render_proof_pdf,
                       lambda code: code, views)
    try:
        proofs.print_proof("housing_fund")
        view = views.wait()
        assert view.step is ProofStep.ISSUE_FAILED and view.problem == "offline"
        assert private_cupsd.printed() == []
    finally:
        proofs.close()


def test_a_citizen_leaving_cancels_a_job_that_is_not_printing(
    desk: tuple[ProofDesk, Views], private_cupsd: PrivateCupsd,
) -> None:
    proofs, views = desk
    private_cupsd.set_fault("paper_out")
    proofs.print_proof("medical_insurance")
    assert views.wait().step is ProofStep.PRINT_FAILED
    assert proofs.print_again() is not None  # still no paper: the printer will say so again
    time.sleep(0.3)
    started = time.monotonic()
    proofs.close()  # the citizen walks away
    assert time.monotonic() - started < 2.5  # cancelled, not waited out
    assert private_cupsd.printed() == []
    assert_spool_keeps_nothing(private_cupsd, [HOLDER["name"], HOLDER["id_number"]])
    private_cupsd.set_fault("ok")
    time.sleep(0.5)
    assert private_cupsd.printed() == []  # nothing comes out later for the next citizen
