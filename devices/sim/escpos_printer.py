"""A virtual ESC/POS receipt printer on a TCP port: the network driver's peer.

It parses the byte stream incrementally, consuming each command by its length, answers
``DLE EOT`` at once (also mid-job and while out of paper), decodes text as GB18030 in Chinese
mode and code page 437 otherwise, wraps at the paper's column count like a real printer, and
splits receipts at cuts. Faults can be injected for demos, training and tests.

Each receipt is kept as a transcript (``receipt-NNNN.txt`` with ``out_dir``). PNG rendering
of receipts is a later issue and is deliberately not implemented here.

Simplifications: font B and user-defined characters (``ESC &``) are not modelled; automatic
status back (``GS a``) is accepted and ignored: poll with ``DLE EOT``.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import selectors
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

Fault = Literal["paper_near_end", "paper_out", "cover_open", "offline", "cutter_error", "mute"]
FAULTS: tuple[str, ...] = (
    "paper_near_end", "paper_out", "cover_open", "offline", "cutter_error", "mute",
)
# Faults during which the printer prints nothing (the data is received and dropped).
_NOT_PRINTING = frozenset({"paper_out", "cover_open", "offline", "cutter_error"})
COLUMNS: dict[int, int] = {58: 32, 80: 48}
MAX_BUFFERED = 70_000  # longest buffered command: GS ( k with a 16-bit length


@dataclass(frozen=True)
class PrintedLine:
    """One printed line with the style it was printed in."""

    text: str
    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1
    columns_used: int = 0


@dataclass(frozen=True)
class PrintedReceipt:
    """A receipt as it came out of the printer (``cut`` is False if the job ended uncut)."""

    number: int
    text: str
    qr_payloads: list[str] = field(default_factory=list)
    lines: tuple[PrintedLine, ...] = ()
    cut: bool = True


def status_byte(fault: str | None, n: int) -> int | None:
    """Answer to ``DLE EOT n`` (idle 0x12 plus fault bits); None when the printer is mute."""
    if fault == "mute":
        return None
    b = 0x12
    if n == 1 and fault in _NOT_PRINTING:
        b |= 0x08  # offline
    elif n == 2:
        b |= {"cover_open": 0x04, "paper_out": 0x20, "cutter_error": 0x40}.get(fault or "", 0)
    elif n == 3 and fault == "cutter_error":
        b |= 0x08
    elif n == 4:
        b |= {"paper_near_end": 0x0C, "paper_out": 0x6C}.get(fault or "", 0)
    return b


# Fixed parameter counts after ESC x / GS x / FS x. Anything unknown consumes two bytes.
_ESC_ARGS = {
    b"@": 0, b"E": 1, b"a": 1, b"!": 1, b"d": 1, b"J": 1, b"K": 1, b"2": 0, b"3": 1, b"-": 1,
    b"M": 1, b"t": 1, b"R": 1, b"G": 1, b"{": 1, b"V": 1, b" ": 1, b"$": 2, b"\\": 2,
    b"p": 3, b"=": 1, b"r": 1, b"U": 1, b"T": 1, b"W": 8, b"L": 0, b"S": 0, b"e": 1,
    b"i": 0, b"m": 0, b"u": 1, b"v": 0, b"%": 1, b"?": 1, b"f": 2, b"c": 2, b"&": 3,
}
_GS_ARGS = {
    b"!": 1, b"B": 1, b"H": 1, b"h": 1, b"w": 1, b"f": 1, b"L": 2, b"W": 2, b"a": 1,
    b"b": 1, b"r": 1, b"I": 1, b"P": 2, b"$": 2, b"\\": 2, b"T": 1, b"/": 1, b"E": 1,
    b":": 0, b"^": 3, b"j": 1,
}
_FS_ARGS = {b"&": 0, b".": 0, b"!": 1, b"W": 1, b"-": 1, b"C": 1, b"S": 2, b"?": 2, b"p": 2}
_ALIGN = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}


class EscPosParser:
    """Incremental ESC/POS parser for one connection.

    ``feed`` consumes what it can and returns the bytes to answer; a partial command waits
    in a bounded buffer, and bulk data of declared length is skipped without buffering.
    """

    def __init__(
        self,
        columns: int,
        status: Callable[[int], int | None],
        printing: Callable[[], bool],
        on_receipt: Callable[[list[PrintedLine], list[str], bool], None],
    ) -> None:
        self.columns = columns
        self._status = status
        self._printing = printing
        self._on_receipt = on_receipt
        self._buf = bytearray()
        self._skip = 0
        self.job_bytes = 0  # everything except real-time status commands
        self._reset_modes()
        self._lines: list[PrintedLine] = []
        self._qr: list[str] = []
        self._chars: list[str] = []
        self._cols_used = 0
        self._qr_stored = b""

    def _reset_modes(self) -> None:
        self.chinese = False
        self.bold = False
        self.align = "left"
        self.wmul = 1
        self.hmul = 1

    # -- output --------------------------------------------------------------------------
    def _put_char(self, ch: str, cols: int) -> None:
        cols *= self.wmul
        if self._chars and self._cols_used + cols > self.columns:
            self._commit_line()  # the printer wraps by itself
        self._chars.append(ch)
        self._cols_used += cols

    def _commit_line(self, force: bool = True) -> None:
        if not self._chars and not force:
            return
        if self._printing():
            self._lines.append(
                PrintedLine(
                    "".join(self._chars), self.align, self.bold, self.wmul, self.hmul,
                    self._cols_used,
                )
            )
        self._chars = []
        self._cols_used = 0

    def _finish_receipt(self, cut: bool) -> None:
        self._commit_line(force=False)
        while self._lines and not self._lines[-1].text:
            self._lines.pop()
        if self._lines or self._qr:  # a cut while not printing did not happen
            self._on_receipt(self._lines, self._qr, cut and self._printing())
        self._lines, self._qr = [], []

    def finish(self) -> None:
        """The connection closed: whatever was printed but not cut is still a receipt."""
        self._finish_receipt(cut=False)

    # -- parsing ---------------------------------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        self._buf += data
        reply = bytearray()
        buf, i = self._buf, 0
        while i < len(buf):
            if self._skip:
                k = min(self._skip, len(buf) - i)
                self._skip -= k
                self.job_bytes += k
                i += k
                continue
            n = self._step(buf, i, reply)
            if n == 0:
                if len(buf) - i > MAX_BUFFERED:  # cannot be a valid command: drop a byte
                    n = 1
                else:
                    break
            i += n
        del buf[:i]
        return bytes(reply)

    def _step(self, buf: bytearray, i: int, reply: bytearray) -> int:
        """Consume one command or character at ``i``; 0 means 'need more bytes'."""
        b = buf[i]
        avail = len(buf) - i
        if b == 0x10:
            return self._dle(buf, i, avail, reply)
        self.job_bytes += 1  # the rest of the command is counted below
        is_command = b in (0x1B, 0x1D, 0x1C)
        n = self._command(buf, i, avail) if is_command else self._text(buf, i, avail)
        self.job_bytes += max(n - 1, 0) if n else -1
        return n

    def _dle(self, buf: bytearray, i: int, avail: int, reply: bytearray) -> int:
        if avail < 2:
            return 0
        cmd = buf[i + 1]
        if cmd not in (0x04, 0x05, 0x14):  # a lone DLE is an ordinary control byte
            self.job_bytes += 1
            return 1
        if avail < 3:
            return 0
        n = buf[i + 2]
        if cmd == 0x04:
            if n in (7, 8):
                return 4 if avail >= 4 else 0
            answer = self._status(n) if 1 <= n <= 4 else None
            if answer is not None:
                reply.append(answer)
            return 3
        if cmd == 0x05:
            return 3
        length = {1: 5, 2: 5, 3: 5, 7: 4, 8: 10}.get(n, 3)
        return length if avail >= length else 0

    def _command(self, buf: bytearray, i: int, avail: int) -> int:
        if avail < 2:
            return 0
        lead, cmd = buf[i], bytes(buf[i + 1 : i + 2])
        table = {0x1B: _ESC_ARGS, 0x1D: _GS_ARGS, 0x1C: _FS_ARGS}[lead]
        if cmd in table:
            length = 2 + table[cmd]
            if avail < length:
                return 0
            self._apply(lead, cmd, bytes(buf[i + 2 : i + length]))
            return length
        if cmd == b"(" and lead in (0x1D, 0x1C):  # GS ( x / FS ( x: pL pH + data
            if avail < 5:
                return 0
            length = 5 + buf[i + 3] + 256 * buf[i + 4]
            if avail < length:
                return 0
            if lead == 0x1D and buf[i + 2] == ord("k"):
                self._qr_command(bytes(buf[i + 5 : i + length]))
            return length
        if lead == 0x1D:
            return self._gs_variable(buf, i, avail, cmd)
        if lead == 0x1B:
            return self._esc_variable(buf, i, avail, cmd)
        if cmd == b"2":  # FS 2 c1 c2 + 72 bytes of a user-defined Kanji
            return 76 if avail >= 76 else 0
        return 2

    def _esc_variable(self, buf: bytearray, i: int, avail: int, cmd: bytes) -> int:
        if cmd == b"D":  # tab positions, NUL-terminated, at most 32
            end = buf.find(0, i + 2, i + 35)
            if end >= 0:
                return end - i + 1
            return 0 if avail < 35 else 35
        if cmd == b"*":  # bit image: m nL nH + k or 3k bytes
            if avail < 5:
                return 0
            k = buf[i + 3] + 256 * buf[i + 4]
            return self._skip_after(5, k * (3 if buf[i + 2] in (32, 33) else 1))
        return 2

    def _gs_variable(self, buf: bytearray, i: int, avail: int, cmd: bytes) -> int:
        if cmd == b"V":  # cut: GS V m, or GS V m n for the feed-and-cut forms
            if avail < 3:
                return 0
            length = 4 if buf[i + 2] in (65, 66, 97, 98, 103, 104) else 3
            if avail < length:
                return 0
            self._finish_receipt(cut=True)
            return length
        if cmd == b"v":  # GS v 0 m xL xH yL yH + x*y bytes of raster
            if avail < 8:
                return 0
            x, y = buf[i + 4] + 256 * buf[i + 5], buf[i + 6] + 256 * buf[i + 7]
            return self._skip_after(8, x * y)
        if cmd == b"8":  # GS 8 L p1..p4 + data
            if avail < 7:
                return 0
            return self._skip_after(7, int.from_bytes(buf[i + 3 : i + 7], "little"))
        if cmd == b"*":  # GS * x y + x*y*8 bytes
            if avail < 4:
                return 0
            return self._skip_after(4, buf[i + 2] * buf[i + 3] * 8)
        if cmd == b"k":  # barcode: NUL-terminated (m <= 6) or length-prefixed
            if avail < 3:
                return 0
            m = buf[i + 2]
            if m <= 6:
                end = buf.find(0, i + 3, i + 259)
                if end >= 0:
                    return end - i + 1
                return 0 if avail < 259 else 259
            if 65 <= m <= 79:
                if avail < 4:
                    return 0
                length = 4 + buf[i + 3]
                return length if avail >= length else 0
            return 3
        return 2

    def _skip_after(self, header: int, data: int) -> int:
        """Consume a header now and skip ``data`` bytes as they arrive, without buffering."""
        self._skip = data
        return header

    def _apply(self, lead: int, cmd: bytes, args: bytes) -> None:
        key = (lead, cmd)
        if key == (0x1B, b"@"):
            self._reset_modes()
            self._chars, self._cols_used = [], 0
        elif key == (0x1B, b"E"):
            self.bold = bool(args[0] & 1)
        elif key == (0x1B, b"a"):
            self.align = _ALIGN.get(args[0], self.align)
        elif key == (0x1B, b"!"):
            self.bold = bool(args[0] & 0x08)
            self.hmul = 2 if args[0] & 0x10 else 1
            self.wmul = 2 if args[0] & 0x20 else 1
        elif key == (0x1D, b"!"):
            self.wmul = ((args[0] >> 4) & 7) + 1
            self.hmul = (args[0] & 7) + 1
        elif key in ((0x1B, b"d"), (0x1B, b"J")):
            self._commit_line(force=key[1] == b"d")
            for _ in range(args[0] - 1 if key[1] == b"d" else 0):
                self._commit_line()
        elif key == (0x1C, b"&"):
            self.chinese = True
        elif key == (0x1C, b"."):
            self.chinese = False

    def _qr_command(self, body: bytes) -> None:
        """GS ( k for QR (cn 49): fn 80 stores the payload, fn 81 prints it."""
        if len(body) < 2 or body[0] != 49:
            return
        if body[1] == 80:
            self._qr_stored = body[3:]
        elif body[1] == 81:
            self._commit_line(force=False)
            payload = self._qr_stored.decode("utf-8", errors="replace")
            if self._printing():
                self._qr.append(payload)
                self._lines.append(PrintedLine(f"[QR] {payload}", self.align))

    def _text(self, buf: bytearray, i: int, avail: int) -> int:
        b = buf[i]
        if b == 0x0A:
            self._commit_line()
        elif b == 0x09:
            for _ in range(8 - self._cols_used // self.wmul % 8):
                self._put_char(" ", 1)
        elif b == 0x0C:
            self._commit_line(force=False)
        elif b < 0x20 or b == 0x7F:
            pass  # CR and other controls print nothing
        elif b < 0x80:
            self._put_char(chr(b), 1)
        elif not self.chinese:
            self._put_char(bytes([b]).decode("cp437"), 1)
        elif 0x81 <= b <= 0xFE:
            if avail < 2:
                return 0
            size = 4 if 0x30 <= buf[i + 1] <= 0x39 else 2
            if avail < size:
                return 0
            try:
                ch = bytes(buf[i : i + size]).decode("gb18030")
            except UnicodeDecodeError:
                ch, size = "\ufffd", 1
            self._put_char(ch, 2)
            return size
        else:
            self._put_char("\ufffd", 1)
        return 1


def transcript(lines: Sequence[PrintedLine], columns: int) -> str:
    """Lines as printed: centred and right-aligned lines padded like on paper."""
    out = []
    for line in lines:
        if line.text.startswith("[QR] "):
            out.append(line.text)
            continue
        room = columns - line.columns_used
        pad = {"center": room // 2, "right": room}.get(line.align, 0)
        out.append((" " * max(pad, 0) + line.text).rstrip())
    return "\n".join(out)


class _Connection:
    """One client socket and its parser."""

    def __init__(self, sock: socket.socket, parser: EscPosParser) -> None:
        self.sock = sock
        self.parser = parser


class VirtualPrinter:
    """An ESC/POS printer emulator listening on TCP (loopback by default).

    One selector thread serves every connection, so a status query is answered at once even
    while another connection is in the middle of a job.

    Faults (``set_fault``): ``paper_near_end`` (still prints), ``paper_out``, ``cover_open``,
    ``offline``, ``cutter_error`` (each answers DLE EOT accordingly and drops what it is sent)
    and ``mute`` (prints, but never answers a status query, like a printer whose status
    channel is broken).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        width_mm: int = 58,
        out_dir: Path | None = None,
        on_receipt: Callable[[PrintedReceipt], None] | None = None,
    ) -> None:
        if width_mm not in COLUMNS:
            raise ValueError(f"unsupported paper width {width_mm} mm (use 58 or 80)")
        self.host = host
        self.width_mm = width_mm
        self.columns = COLUMNS[width_mm]
        self.out_dir = out_dir
        self._requested_port = port
        self._on_receipt = on_receipt
        self._fault: str | None = None
        self._pending: tuple[str | None, int] | None = None  # (fault, bytes to go)
        self._cond = threading.Condition()
        self._receipts: list[PrintedReceipt] = []
        self._job_bytes = 0
        self._connections = 0
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._stopping = False
        self.port = 0

    # -- control -------------------------------------------------------------------------
    def start(self) -> VirtualPrinter:
        """Listen, start serving, and return once clients can connect."""
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        listener = socket.create_server((self.host, self._requested_port), backlog=16)
        listener.setblocking(False)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._thread = threading.Thread(
            target=self._serve, name=f"virtual-printer:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every socket; safe to call twice."""
        self._stopping = True
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._wake_r.close()
        self._wake_w.close()

    def __enter__(self) -> VirtualPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

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

    @property
    def connection_count(self) -> int:
        """Client connections open right now (drivers must not hold one between jobs)."""
        with self._cond:
            return self._connections

    def wait_for_receipts(self, n: int, timeout: float) -> list[PrintedReceipt]:
        """Block until at least ``n`` receipts were printed; TimeoutError otherwise."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._receipts) >= n, timeout):
                raise TimeoutError(f"{len(self._receipts)} of {n} receipts within {timeout} s")
            return list(self._receipts)

    # -- serving -------------------------------------------------------------------------
    def _serve(self) -> None:
        assert self._listener is not None
        sel = selectors.DefaultSelector()
        sel.register(self._listener, selectors.EVENT_READ, None)
        sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        conns: list[_Connection] = []
        try:
            while not self._stopping:
                for key, _ in sel.select():
                    if key.data == "wake":
                        self._wake_r.recv(64)
                    elif key.data is None:
                        self._accept(sel, conns)
                    else:
                        self._service(sel, conns, key.data)
        except Exception:
            log.exception("virtual printer stopped on an unexpected error")
        finally:
            for conn in conns:
                conn.sock.close()
            self._listener.close()
            sel.close()

    def _accept(self, sel: selectors.BaseSelector, conns: list[_Connection]) -> None:
        try:
            sock, _ = self._listener.accept()  # type: ignore[union-attr]
        except OSError:
            return
        sock.setblocking(False)
        conn = _Connection(
            sock, EscPosParser(self.columns, self._status, self._printing, self._printed)
        )
        conns.append(conn)
        sel.register(sock, selectors.EVENT_READ, conn)
        with self._cond:
            self._connections = len(conns)

    def _service(
        self, sel: selectors.BaseSelector, conns: list[_Connection], conn: _Connection
    ) -> None:
        try:
            data = conn.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data:
            try:
                reply = self._feed(conn.parser, data)
                if reply:
                    conn.sock.sendall(reply)
                return
            except OSError:
                pass  # peer gone or not reading its answers: drop the connection
        conn.parser.finish()
        sel.unregister(conn.sock)
        conn.sock.close()
        conns.remove(conn)
        with self._cond:
            self._connections = len(conns)

    def _feed(self, parser: EscPosParser, data: bytes) -> bytes:
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

    def _status(self, n: int) -> int | None:
        return status_byte(self._fault, n)

    def _printing(self) -> bool:
        return self._fault not in _NOT_PRINTING

    def _printed(self, lines: list[PrintedLine], qr: list[str], cut: bool) -> None:
        with self._cond:
            number = len(self._receipts) + 1
            receipt = PrintedReceipt(
                number, transcript(lines, self.columns), list(qr), tuple(lines), cut
            )
            self._receipts.append(receipt)
            self._cond.notify_all()
        if self.out_dir is not None:
            path = self.out_dir / f"receipt-{number:04d}.txt"
            path.write_text(receipt.text + "\n", encoding="utf-8")
        if self._on_receipt is not None:
            try:
                self._on_receipt(receipt)
            except Exception:
                log.exception("on_receipt callback failed")


def main(argv: Sequence[str] | None = None) -> int:
    """``kiosk sim printer``: run a virtual printer until Ctrl-C (or SIGTERM)."""
    ap = argparse.ArgumentParser(
        prog="kiosk sim printer", description="Virtual ESC/POS receipt printer on TCP."
    )
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on")
    ap.add_argument("--port", type=int, default=9100, help="TCP port (0: any free port)")
    ap.add_argument("--width", type=int, choices=(58, 80), default=58, help="paper width, mm")
    ap.add_argument("--out", type=Path, default=None, help="directory for receipt transcripts")
    args = ap.parse_args(argv)

    def report(r: PrintedReceipt) -> None:
        where = f" -> {args.out / f'receipt-{r.number:04d}.txt'}" if args.out else ""
        state = "" if r.cut else ", not cut"
        print(f"receipt {r.number:04d}: {len(r.lines)} lines, {len(r.qr_payloads)} QR"
              f"{state}{where}", flush=True)

    printer = VirtualPrinter(args.host, args.port, args.width, args.out, on_receipt=report)
    try:
        printer.start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"virtual printer ({args.width} mm) listening on {args.host}:{printer.port}",
          flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
