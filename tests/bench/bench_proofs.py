"""A4 proof per page: PDF generation (Qt's writer, embedded CJK fonts, QR code) and spooling
through CUPS to the A4 simulator queue (state check, ``lp``, job watched to its end), against
a plain ``lp`` of a one-page PDF to the same queue of the same private cupsd in the same run.

Needs CUPS (.ci/system-deps) and root, like the integration tests' private cupsd.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from devices.printers.a4_settings import A4PrinterSettings
from devices.printers.cups_a4 import CupsA4Printer
from devices.sim.a4.cupsd import QUEUE, PrivateCupsd
from sync.platform.proofs import PROOF_KINDS, IssuedProof, new_code

ROUNDS = 10


def sample_proof(kind: str) -> IssuedProof:
    rows = tuple((f"2026-{m:02d}", "7,100.00", "1,704.00", "710.00", "已缴") for m in range(1, 13))
    return IssuedProof("bench", new_code(), kind, "社会保险参保缴费证明",
                       "示例市社会保险事业管理局", "2026-12-02", "赵建华", "2301**********015X",
                       (("参保单位", "哈尔滨示例机械有限公司"), ("缴费期间", "2026-01 至 2026-12")),
                       ("月份", "缴费基数(元)", "个人(元)", "单位(元)", "状态"), rows,
                       ("本证明由政务服务自助终端打印。",))


def _wait_printed(cupsd: PrivateCupsd, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(cupsd.printed()) < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the plain lp job did not come out")
        time.sleep(0.01)


def run() -> str:
    from PySide6.QtGui import QGuiApplication

    from ui.proof_pdf import render_proof_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        cupsd = PrivateCupsd(Path(tmp) / "cups").start()
        try:
            printer = CupsA4Printer(A4PrinterSettings(queue=QUEUE, server=cupsd.server,
                                                      poll_seconds=0.02))
            proofs = [sample_proof(PROOF_KINDS[i % 4]) for i in range(ROUNDS)]
            render, spool = [], []
            for proof in proofs:
                start = time.perf_counter()
                pdf = render_proof_pdf(proof, f"http://127.0.0.1:8710/v1/proofs/{proof.code}")
                render.append(time.perf_counter() - start)
                start = time.perf_counter()
                printer.print_pdf(pdf, "bench")
                spool.append(time.perf_counter() - start)
            one_page = pdf
            plain = []
            for i in range(ROUNDS):
                start = time.perf_counter()
                subprocess.run(["lp", "-h", cupsd.server, "-d", QUEUE, "-"], input=one_page,
                               capture_output=True, check=True, timeout=10)
                _wait_printed(cupsd, ROUNDS + i + 1)
                plain.append(time.perf_counter() - start)
        finally:
            cupsd.stop()
    del app
    r, s, p = (statistics.median(x) for x in (render, spool, plain))
    return (f"proofs (A4, one page, median of {ROUNDS}):\n"
            f"  PDF generation: {r * 1000:.1f} ms/page\n"
            f"  spooled and watched to completion: {s * 1000:.1f} ms/page, {s / p:.2f}x a plain "
            f"`lp` of the same one-page PDF until it came out ({p * 1000:.1f} ms)\n"
            f"  whole proof (generation + print): {(r + s) / p:.2f}x the plain lp")


if __name__ == "__main__":
    print(run())
