"""Print every receipt kind to the virtual printer and keep the PNGs it renders.

``python -m devices.sim.printer.render_samples docs/receipts`` writes ``<kind>-<width>mm.png``: the
pictures are what the emulator drew from the bytes the real driver sent over TCP.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.printer.receipt_samples import layouts
from devices.sim.printer.tcp_server import VirtualPrinter

DEFAULT = {58: ("submission-receipt", "queue-ticket", "test-page"),
           80: ("submission-receipt", "query-result", "test-page")}


def render(out: Path, plan: Mapping[int, Sequence[str]] = DEFAULT) -> list[Path]:
    """Print the planned kinds per width; return the PNGs written to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for width, kinds in plan.items():
        with tempfile.TemporaryDirectory() as tmp, \
                VirtualPrinter(width_mm=width, out_dir=Path(tmp)) as vp:
            driver = NetworkReceiptPrinter("127.0.0.1", vp.port, width_mm=width)  # type: ignore[arg-type]
            samples = layouts(width)  # type: ignore[arg-type]
            for n, kind in enumerate(kinds, start=1):
                driver.print_layout(samples[kind], kind)
                vp.wait_for_receipts(n, timeout=30)
                target = out / f"{kind}-{width}mm.png"
                shutil.copyfile(Path(tmp) / f"receipt-{n:04d}.png", target)
                written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Render sample receipts through the emulator.")
    ap.add_argument("out", type=Path, help="directory for the PNGs")
    args = ap.parse_args(argv)
    for path in render(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
