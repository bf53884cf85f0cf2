"""QR code scanners on a serial port (RS-232, or USB scanners in USB-COM / CDC-ACM mode).

One worker thread owns the port (pyserial, 8N1, opened by name and exclusively). It opens it
again on every retry, so a re-plugged scanner or a restarted emulator is found without a
restart. Bytes are cut into codes by :class:`devices.scanners.frames.FrameSplitter`; each read
waits at most ``read_timeout`` so that a stop is seen at once, and a code that stops arriving
half-way is dropped after ``gap`` seconds of quiet (reported, reason ``incomplete``).

Scanners in presentation (auto-sense) mode read a code again and again while it is held under
them: the same text within ``repeat_window`` seconds is reported once.

Failure reasons (ScannerError.reason): no_service (port missing or gone; retried every
``retry_interval``), too_long, incomplete, undecodable.
"""

from __future__ import annotations

import logging
import termios
import threading
import time
from collections.abc import Callable

import serial

from devices.scanners.base import CodeScanner, ScannedCode, ScannerError, ScannerStatus
from devices.scanners.frames import DEFAULT_MAX_LENGTH, Frame, FrameSplitter

log = logging.getLogger(__name__)

DEFAULT_BAUD = 9600  # most scanners' factory setting
_PROBLEMS = {
    "too_long": "A code longer than {limit} bytes was dropped.",
    "incomplete": "A code stopped arriving before its end and was dropped.",
    "undecodable": "The scanner sent something that is not text in {encoding}.",
}


class SerialCodeScanner(CodeScanner):
    """A scanner on ``port`` at ``baudrate`` (8N1); ``terminator`` is the suffix it sends."""

    def __init__(
        self,
        port: str,
        baudrate: int = DEFAULT_BAUD,
        *,
        terminator: str = "cr",
        encoding: str = "utf-8",
        max_length: int = DEFAULT_MAX_LENGTH,
        gap: float = 0.3,
        repeat_window: float = 2.0,
        read_timeout: float = 0.05,
        retry_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.port = port
        self.baudrate = baudrate
        self.gap = gap
        self.repeat_window = repeat_window
        self.read_timeout = read_timeout
        self.retry_interval = retry_interval
        self._splitter = FrameSplitter(terminator, max_length=max_length, encoding=encoding)
        self._clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._serial: serial.Serial | None = None
        self._present = False
        self._problem = ""
        self._absence_reported = False
        self._codes_read = 0
        self._last: tuple[str, float] | None = None

    def __repr__(self) -> str:
        return f"SerialCodeScanner({self.port!r}, {self.baudrate})"

    # --- public API ---------------------------------------------------------------------------

    def start(self) -> None:
        if self.is_running():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="code-scanner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.read_timeout + self.retry_interval + 2.0)
        self._thread = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def status(self) -> ScannerStatus:
        with self._lock:
            present, problem, count = self._present, self._problem, self._codes_read
        where = f"QR code scanner on {self.port} at {self.baudrate} baud"
        if not self.is_running():
            detail = f"{where}: not started."
        elif not present:
            detail = f"{where}: {problem or 'opening'}; retrying every {self.retry_interval:g} s."
        else:
            detail = f"{where} ready; {count} code(s) read since start."
        return ScannerStatus("serial", self.port, present, detail, count)

    # --- worker -------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if self._serial is None and not self._open():
                    self._stop.wait(self.retry_interval)
                    continue
                try:
                    self._read_once()
                except (serial.SerialException, OSError, termios.error) as exc:
                    self._close()
                    self._absent(f"the port went away ({_plain(exc)})")
                except MemoryError:
                    raise
                except Exception as exc:  # the worker must outlive any surprise: start over
                    log.exception("scanner worker failed; reopening the port")
                    self._close()
                    self._absent(f"unexpected error ({type(exc).__name__})")
                    self._stop.wait(self.retry_interval)
        finally:
            self._close()
            with self._lock:
                self._present = False

    def _open(self) -> bool:
        try:
            self._serial = serial.Serial(
                port=self.port, baudrate=self.baudrate, bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE, stopbits=serial.STOPBITS_ONE,
                timeout=self.read_timeout, exclusive=True,
            )
            self._serial.reset_input_buffer()  # what lay in the buffer belongs to nobody
        except (serial.SerialException, OSError, ValueError, termios.error) as exc:
            self._serial = None
            self._absent(f"port cannot be opened ({_plain(exc)})")
            return False
        with self._lock:
            self._present, self._problem, self._absence_reported = True, "", False
        log.info("QR code scanner on %s is open", self.port)
        self._emit("scanner_did_add", self.port)
        return True

    def _close(self) -> None:
        port, self._serial = self._serial, None
        self._splitter.idle()  # a half code from before is nobody's
        if port is not None:
            try:
                port.close()
            except Exception:
                log.debug("closing %s failed", self.port, exc_info=True)

    def _absent(self, why: str) -> None:
        with self._lock:
            was_present, self._present, self._problem = self._present, False, why
            first = not self._absence_reported
            self._absence_reported = True
        if was_present:
            self._emit("scanner_did_remove", self.port)
        if first or was_present:
            log.warning("QR code scanner on %s: %s", self.port, why)
            self._emit("scanner_did_fail",
                       ScannerError("no_service", f"The QR code scanner is not available: {why}."))

    def _read_once(self) -> None:
        port = self._serial
        assert port is not None
        last_byte = self._clock()
        while not self._stop.is_set():
            chunk = port.read(max(1, port.in_waiting))
            now = self._clock()
            if chunk:
                last_byte = now
                self._report(self._splitter.feed(chunk))
            elif self._splitter.pending and now - last_byte >= self.gap:
                self._report(self._splitter.idle())

    def _report(self, frames: list[Frame]) -> None:
        for frame in frames:
            if frame.problem:
                words = _PROBLEMS[frame.problem].format(limit=self._splitter.max_length,
                                                        encoding=self._splitter.encoding)
                log.warning("QR code scanner on %s: %s", self.port, words)
                self._emit("scanner_did_fail", ScannerError(frame.problem, words))
                continue
            now = self._clock()
            last, self._last = self._last, (frame.text, now)
            if last is not None and last[0] == frame.text and now - last[1] < self.repeat_window:
                continue  # the same code still held under the scanner
            with self._lock:
                self._codes_read += 1
            self._emit("code_did_scan", ScannedCode(frame.text, self.port))


def _plain(exc: BaseException) -> str:
    if isinstance(exc, termios.error) and len(exc.args) == 2:
        return str(exc.args[1])
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
