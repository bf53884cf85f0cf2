"""Receipt layout + ESC/POS encoding per kind against python-escpos ``Dummy.text()`` of the
same lines (its automatic encoding, no layout), and printing to the virtual printer on
loopback (status before, job, status after; with and without PNG rendering)."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from escpos.printer import Dummy

from devices.printers.encoding import encode_job
from devices.printers.network import NetworkReceiptPrinter
from devices.printers.receipt import layout_receipt
from devices.printers.receipt_kinds import (
    layout_query_result,
    layout_queue_ticket,
    layout_test_page,
)
from devices.sim.printer.receipt_samples import (
    layouts,
    query_result,
    queue_ticket,
    submission_receipt,
    test_page,
)
from devices.sim.printer.tcp_server import VirtualPrinter

ROUNDS = 200
PRINTS = 30
BUILDERS: dict[str, Callable[[], list]] = {
    "submission-receipt": lambda: layout_receipt(submission_receipt(), 58),
    "queue-ticket": lambda: layout_queue_ticket(queue_ticket(), 58),
    "query-result": lambda: layout_query_result(query_result(), 58),
    "test-page": lambda: layout_test_page(test_page(), 58),
}


def _per_call(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def _baseline(texts: list[str]) -> None:
    dummy = Dummy()
    for t in texts:
        dummy.text(t + "\n")
    dummy.cut()


def _print_time(out_dir: Path | None) -> float:
    with VirtualPrinter(out_dir=out_dir) as vp:
        printer = NetworkReceiptPrinter("127.0.0.1", vp.port)
        start = time.perf_counter()
        for _ in range(PRINTS):
            printer.print_receipt(submission_receipt())
        vp.wait_for_receipts(PRINTS, timeout=120)
        return (time.perf_counter() - start) / PRINTS


def run() -> str:
    rows = []
    for kind, build in BUILDERS.items():
        texts = [ln.text for ln in layouts(58)[kind] if ln.kind == "text"]
        ours = _per_call(lambda build=build: encode_job(build(), 58), ROUNDS)
        base = _per_call(lambda texts=texts: _baseline(texts), ROUNDS)
        rows.append(
            f"  {kind}: {ours * 1000:.2f} ms layout+encode, {ours / base:.2f}x "
            f"python-escpos Dummy.text() of the same lines ({base * 1000:.2f} ms)"
        )
    plain = statistics.median(_print_time(None) for _ in range(3))
    with tempfile.TemporaryDirectory() as tmp:
        rendered = _print_time(Path(tmp))
    return "\n".join(
        [
            f"receipt (58 mm, {ROUNDS} rounds each):",
            *rows,
            f"  print to virtual printer on loopback: {plain * 1000:.2f} ms/receipt "
            f"(status+job+status, median of 3 x {PRINTS}); with transcript+PNG written: "
            f"{rendered * 1000:.2f} ms/receipt ({rendered / plain:.2f}x)",
        ]
    )


if __name__ == "__main__":
    print(run())
