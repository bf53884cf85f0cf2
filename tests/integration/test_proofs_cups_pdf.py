"""A proof printed through Debian's cups-pdf queue of the private cupsd (devices/sim/a4):
the PDF that comes out keeps its Chinese text (pdftotext) and its QR code (zbarimg); the
cups-pdf settings file, its output and CUPS's spool are gone afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from devices.sim.a4.cupsd import CUPS_PDF_BACKEND, CUPS_PDF_CONF_DIR, PDF_QUEUE, PrivateCupsd
from sync.platform.proofs import IssuedProof
from tests.support.a4 import assert_spool_keeps_nothing, pdf_qr_codes, pdf_text
from ui.proof_pdf import render_proof_pdf

CODE = "ABCD-EFGH-JKMN-PQRS-TV"
PROOF = IssuedProof("r1", CODE, "social_insurance", "社保参保缴费证明", "某市社会保险事业管理中心",
                    "2026-01-02", "张三", "1101**********1234", (("参保状态", "正常"),),
                    ("月份", "金额"), (("2026-01", "100.00"),), ("说明",))


def test_a_proof_printed_through_cups_pdf_keeps_its_text_and_qr(qapp: object,
                                                                  tmp_path: Path) -> None:
    if not CUPS_PDF_BACKEND.exists() or shutil.which("gs") is None or os.geteuid() != 0:
        pytest.skip("needs root, printer-driver-cups-pdf and ghostscript (.ci/system-deps)")
    cupsd = PrivateCupsd(tmp_path / "cups", cups_pdf=True).start()
    try:
        url = f"http://127.0.0.1/v1/proofs/{CODE}"
        pdf = tmp_path / "proof.pdf"
        pdf.write_bytes(render_proof_pdf(PROOF, url))
        subprocess.run(["lp", "-h", cupsd.server, "-d", PDF_QUEUE, str(pdf)], check=True,
                       timeout=30, capture_output=True)
        pdf.unlink()
        for _ in range(300):
            if cupsd.pdf_printed():
                break
            time.sleep(0.1)
        [printed] = cupsd.pdf_printed()
        text = pdf_text(printed)
        for words in ("社保参保缴费证明", "某市社会保险事业管理中心", "1101**********1234", CODE):
            assert words in text, words
        assert pdf_qr_codes(printed, tmp_path) == [url]
        printed.unlink()
        assert cupsd.pdf_printed() == []
        assert_spool_keeps_nothing(cupsd, ["张三"])
    finally:
        cupsd.stop()
    assert not list(CUPS_PDF_CONF_DIR.glob(f"cups-pdf-kiosk{cupsd.port}.conf"))
