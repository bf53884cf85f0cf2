"""A proof of each kind printed through Debian's cups-pdf queue of the private cupsd
(devices/sim/a4): the PDF that comes out keeps its Chinese text (pdftotext) and its QR code
(pdftoppm, then zbarimg); the cups-pdf settings file, its output and CUPS's spool are gone
afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from devices.sim.a4.cupsd import CUPS_PDF_BACKEND, CUPS_PDF_CONF_DIR, PDF_QUEUE, PrivateCupsd
from sync.platform.proofs import PROOF_KINDS, PROOF_TITLES, IssuedProof, format_code
from tests.support.a4 import assert_spool_keeps_nothing, pdf_qr_codes, pdf_text
from ui.proof_pdf import render_proof_pdf

ISSUERS = {
    "social_insurance": "某市社会保险事业管理中心",
    "medical_insurance": "某市医疗保障局",
    "housing_fund": "某市住房公积金管理中心",
    "income_tax": "国家税务总局某市税务局",
}


def _proof(kind: str, number: int) -> IssuedProof:
    code = format_code(f"ABCDEFGHJKMNPQRSTV{number}W")
    return IssuedProof(f"r{number}", code, kind, PROOF_TITLES[kind], ISSUERS[kind],
                       "2026-01-02", "张三", "1101**********1234", (("状态", "正常"),),
                       ("月份", "金额"), (("2026-01", "100.00"),), ("说明",))


@pytest.mark.parametrize("kind", PROOF_KINDS)
def test_a_proof_printed_through_cups_pdf_keeps_its_text_and_qr(qapp: object, tmp_path: Path,
                                                                  kind: str) -> None:
    if not CUPS_PDF_BACKEND.exists() or shutil.which("gs") is None or os.geteuid() != 0:
        pytest.skip("needs root, printer-driver-cups-pdf and ghostscript (.ci/system-deps)")
    proof = _proof(kind, PROOF_KINDS.index(kind) + 2)
    # cupsd runs the queue's filter as lp, which cannot enter pytest's tmp_path (0700)
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-pdf-"))
    os.chmod(root, 0o755)
    cupsd = PrivateCupsd(root, cups_pdf=True).start()
    conf = CUPS_PDF_CONF_DIR / f"cups-pdf-kiosk{cupsd.port}.conf"
    try:
        assert conf.exists()
        url = f"http://127.0.0.1/v1/proofs/{proof.code}"
        pdf = tmp_path / "proof.pdf"
        pdf.write_bytes(render_proof_pdf(proof, url))
        subprocess.run(["lp", "-h", cupsd.server, "-d", PDF_QUEUE, "-t", "proof", str(pdf)],
                       check=True, timeout=30, capture_output=True)
        pdf.unlink()
        cupsd.wait_idle()
        [printed] = cupsd.pdf_printed()
        text = pdf_text(printed)
        for words in (PROOF_TITLES[kind], ISSUERS[kind], "1101**********1234", proof.code):
            assert words in text, words
        assert "张三" in text
        assert pdf_qr_codes(printed, tmp_path) == [url]
        printed.unlink()
        assert cupsd.pdf_printed() == []
        assert list((cupsd.root / "pdf-spool").iterdir()) == []
        assert_spool_keeps_nothing(cupsd, ["张三"])
    finally:
        cupsd.stop()
        shutil.rmtree(root)
    assert not conf.exists()


def test_the_cups_pdf_queue_refuses_a_root_user_lp_cannot_reach(tmp_path: Path) -> None:
    if not CUPS_PDF_BACKEND.exists() or os.geteuid() != 0:
        pytest.skip("needs root and printer-driver-cups-pdf (.ci/system-deps)")
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    cupsd = PrivateCupsd(closed / "cups", port=1, cups_pdf=True)
    conf = CUPS_PDF_CONF_DIR / "cups-pdf-kiosk1.conf"
    try:
        with pytest.raises(RuntimeError, match="user lp can reach"):
            cupsd.start()
        assert not conf.exists()
    finally:  # should the check ever let it start
        cupsd.stop()
        conf.unlink(missing_ok=True)
