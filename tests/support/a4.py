"""The private cupsd with the A4 simulator queue (devices/sim/a4), one per test."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.printers.a4_settings import A4PrinterSettings
from devices.sim.a4.cupsd import CUPSD, QUEUE, PrivateCupsd


@pytest.fixture
def private_cupsd(tmp_path: Path) -> Iterator[PrivateCupsd]:
    if not CUPSD.exists() or shutil.which("lp") is None:
        pytest.skip("CUPS is not installed (.ci/system-deps: cups, cups-client, cups-bsd)")
    if os.geteuid() != 0:
        pytest.skip("the private cupsd runs its simulator backend as root")
    cupsd = PrivateCupsd(tmp_path / "cups").start()
    yield cupsd
    cupsd.stop()


def a4_settings(cupsd: PrivateCupsd) -> A4PrinterSettings:
    return A4PrinterSettings(queue=QUEUE, server=cupsd.server, timeout_seconds=20.0,
                             poll_seconds=0.05)


def pdf_text(pdf: Path) -> str:
    """The PDF's text (poppler's pdftotext), NFKC-normalised (ui/proof_pdf.py says why)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         check=True, timeout=30).stdout.decode("utf-8")
    return unicodedata.normalize("NFKC", out)


def pdf_qr_codes(pdf: Path, work: Path) -> list[str]:
    """What the QR codes on the PDF's first page say (poppler renders, zbar reads)."""
    image = work / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(image)],
                   check=True, timeout=30)
    done = subprocess.run(["zbarimg", "-q", "--raw", str(image) + ".png"], capture_output=True,
                          timeout=30)
    (work / "page.png").unlink()
    return done.stdout.decode("utf-8").split()


def assert_spool_keeps_nothing(cupsd: PrivateCupsd, secrets: list[str]) -> None:
    """The personal-data check of CUPS's spool: no job or control file, no secret in any file
    left there (PreserveJobFiles No, PreserveJobHistory No)."""
    assert cupsd.spool_files() == []
    spooled = b"".join(p.read_bytes() for p in cupsd.spool.rglob("*") if p.is_file())
    for secret in secrets:
        for encoding in ("utf-8", "utf-16-be"):
            assert secret.encode(encoding) not in spooled, secret
