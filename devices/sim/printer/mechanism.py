"""The virtual printer's state, shared by its transports (TCP, pseudo-terminal).

Faults, the status delay, the printed receipts and their files live here; a transport only
moves bytes between its peer and ``feed``. Transcripts and PNGs are written on a writer thread
so that rendering never delays a status answer on the serving thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from .parser import EscPosParser
from .printout import (
    COLUMNS,
    DOTS,
    FAULTS,
    NOT_PRINTING,
    PrintedLine,
    PrintedReceipt,
    status_byte,
    transcript,
)

log = logging.getLogger(__name__)


class EmulatedPrinter:
    """Faults, status answers and the receipts printed so far.

    Faults (``set_fault``): ``paper_near_end`` (still prints), ``paper_out``, ``cover_open``,
    ``offline``, ``cutter_error`` (each answers DLE EOT accordingly and drops what it is sent)
    and ``mute`` (prints, but never answers a status query). ``set_status_delay`` makes every
    answer late, like a printer busy with its mechanism or a congested link.

    With ``out_dir``, each receipt is written as ``receipt-NNNN.txt`` and ``receipt-NNNN.png``
    before it appears in ``receipts``.
    """

    def __init__(
        self,
        width_mm: int = 58,
        out_dir: Path | None = None,
        on_receipt: Callable[[PrintedReceipt], None] | None = None,
        render_png: bool = True,
    ) -> None:
        if width_mm not in COLUMNS:
            raise ValueError(f"unsupported paper width {width_mm} mm (use 58 or 80)")
        self.width_mm = width_mm
        self.columns = COLUMNS[width_mm]
        self.dots = DOTS[width_mm]
        self.out_dir = out_dir
        self.render_png = render_png
        self._on_receipt = on_receipt
        self._fault: str | None = None
        self._pending: tuple[str | None, int] | None = None  # (fault, bytes to go)
        self._status_delay = 0.0
        self._cond = threading.Condition()
        self._receipts: list[PrintedReceipt] = []
        self._numbered = 0
        self._job_bytes = 0
        self._writes: queue.Queue[PrintedReceipt | None] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._font_missing_logged = False

    # -- control -------------------------------------------------------------------------
    def _start_output(self) -> None:
        if self.out_dir is None or self._writer is not None:
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._writer = threading.Thread(target=self._write_loop, name="printer-output",
                                        daemon=True)
        self._writer.start()

    def _stop_output(self) -> None:
        if self._writer is not None:
            self._writes.put(None)
            self._writer.join(timeout=30)
            self._writer = None

    def set_fault(self, fault: str | None, *, after_bytes: int = 0) -> None:
        """Inject a fault (or clear it with None), optionally after ``after_bytes`` more
        received bytes -- to make paper run out in the middle of a job."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {', '.join(FAULTS)}")
        with self._cond:
            if after_bytes > 0:
                self._pending = (fault, after_bytes)
            else:
                self._pending = None
                self._fault = fault

    def set_status_delay(self, seconds: float) -> None:
        """Answer every status query ``seconds`` late (0: at once)."""
        if seconds < 0:
            raise ValueError("delay must not be negative")
        with self._cond:
            self._status_delay = seconds

    @property
    def status_delay(self) -> float:
        with self._cond:
            return self._status_delay

    @property
    def fault(self) -> str | None:
        return self._fault

    @property
    def receipts(self) -> list[PrintedReceipt]:
        with self._cond:
            return list(self._receipts)

    @property
    def job_bytes(self) -> int:
        """Bytes received other than real-time status queries: 0 means nothing was sent."""
        with self._cond:
            return self._job_bytes

    def wait_for_receipts(self, n: int, timeout: float) -> list[PrintedReceipt]:
        """Block until at least ``n`` receipts were printed; TimeoutError otherwise."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._receipts) >= n, timeout):
                raise TimeoutError(f"{len(self._receipts)} of {n} receipts within {timeout} s")
            return list(self._receipts)

    # -- for transports ------------------------------------------------------------------
    def new_parser(self) -> EscPosParser:
        return EscPosParser(self.columns, self._status, self._printing, self._printed)

    def feed(self, parser: EscPosParser, data: bytes) -> bytes:
        """Feed the parser; while a fault is scheduled, feed byte by byte so that it falls due
        exactly after the given number of job bytes (status queries do not count)."""
        reply = b""
        for i in range(len(data)):
            with self._cond:
                if self._pending is None:
                    break
            before = parser.job_bytes
            reply += parser.feed(data[i : i + 1])
            with self._cond:
                self._job_bytes += parser.job_bytes - before
                if self._pending is not None:
                    fault, left = self._pending
                    left -= parser.job_bytes - before
                    self._pending = (fault, left) if left > 0 else None
                    if left <= 0:
                        self._fault = fault
        else:
            return reply
        before = parser.job_bytes
        reply += parser.feed(data[i:])
        with self._cond:
            self._job_bytes += parser.job_bytes - before
        return reply

    # -- internals -----------------------------------------------------------------------
    def _status(self, n: int) -> int | None:
        return status_byte(self._fault, n)

    def _printing(self) -> bool:
        return self._fault not in NOT_PRINTING

    def _printed(self, lines: list[PrintedLine], qr: list[str], cut: bool) -> None:
        with self._cond:
            self._numbered += 1
            number = self._numbered
        receipt = PrintedReceipt(
            number, transcript(lines, self.columns), list(qr), tuple(lines), cut
        )
        if self._writer is not None:
            self._writes.put(receipt)
        else:
            self._publish(receipt)

    def _publish(self, receipt: PrintedReceipt) -> None:
        with self._cond:
            self._receipts.append(receipt)
            self._cond.notify_all()
        if self._on_receipt is not None:
            try:
                self._on_receipt(receipt)
            except Exception:
                log.exception("on_receipt callback failed")

    def _write_loop(self) -> None:
        while (receipt := self._writes.get()) is not None:
            try:
                self._write_files(receipt)
            except Exception:
                log.exception("could not write receipt %04d", receipt.number)
            self._publish(receipt)

    def _write_files(self, receipt: PrintedReceipt) -> None:
        assert self.out_dir is not None
        stem = self.out_dir / f"receipt-{receipt.number:04d}"
        stem.with_suffix(".txt").write_text(receipt.text + "\n", encoding="utf-8")
        if not self.render_png:
            return
        from .render import FontNotFoundError, write_png

        try:
            write_png(receipt.lines, self.dots, stem.with_suffix(".png"))
        except FontNotFoundError as exc:
            if not self._font_missing_logged:
                log.warning("receipts are not rendered as PNG: %s", exc)
                self._font_missing_logged = True
