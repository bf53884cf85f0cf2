"""The virtual ESC/POS printer on a TCP port (the network driver's peer) and its command.

One selector thread serves every connection, so a status query is answered at once even while
another connection is in the middle of a job -- unless a status delay is set, in which case the
answers are held back without holding up anything else.
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
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .mechanism import EmulatedPrinter
from .parser import EscPosParser
from .printout import FAULTS, PrintedReceipt

log = logging.getLogger(__name__)


class _Connection:
    """One client socket, its parser, and answers waiting for their time."""

    def __init__(self, sock: socket.socket, parser: EscPosParser) -> None:
        self.sock = sock
        self.parser = parser
        self.late: list[tuple[float, bytes]] = []


class VirtualPrinter(EmulatedPrinter):
    """An ESC/POS printer emulator listening on TCP (loopback by default)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        width_mm: int = 58,
        out_dir: Path | None = None,
        on_receipt: Callable[[PrintedReceipt], None] | None = None,
        render_png: bool = True,
    ) -> None:
        super().__init__(width_mm, out_dir, on_receipt, render_png)
        self.host = host
        self._requested_port = port
        self._connections = 0
        self._accepted = 0
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._stopping = False
        self.port = 0

    def start(self) -> VirtualPrinter:
        """Listen, start serving, and return once clients can connect."""
        self._start_output()
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
        """Stop serving, close every socket and finish writing files; safe to call twice."""
        self._stopping = True
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._stop_output()
        self._wake_r.close()
        self._wake_w.close()

    def __enter__(self) -> VirtualPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def connection_count(self) -> int:
        """Client connections open right now (drivers must not hold one between jobs)."""
        with self._cond:
            return self._connections

    @property
    def accepted_total(self) -> int:
        """Client connections accepted since start (who opened the printer, and how often)."""
        with self._cond:
            return self._accepted

    # -- serving -------------------------------------------------------------------------
    def _serve(self) -> None:
        assert self._listener is not None
        sel = selectors.DefaultSelector()
        sel.register(self._listener, selectors.EVENT_READ, None)
        sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        conns: list[_Connection] = []
        try:
            while not self._stopping:
                due = [t for c in conns for t, _ in c.late]
                timeout = max(min(due) - time.monotonic(), 0) if due else None
                for key, _ in sel.select(timeout):
                    if key.data == "wake":
                        self._wake_r.recv(64)
                    elif key.data is None:
                        self._accept(sel, conns)
                    else:
                        self._service(sel, conns, key.data)
                for conn in [c for c in conns if c.late]:
                    self._send_due(sel, conns, conn)
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
        conn = _Connection(sock, self.new_parser())
        conns.append(conn)
        sel.register(sock, selectors.EVENT_READ, conn)
        with self._cond:
            self._connections = len(conns)
            self._accepted += 1

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
                reply = self.feed(conn.parser, data)
                delay = self.status_delay
                if reply and (delay > 0 or conn.late):
                    conn.late.append((time.monotonic() + delay, reply))
                elif reply:
                    conn.sock.sendall(reply)
                return
            except OSError:
                pass  # peer gone or not reading its answers: drop the connection
        self._drop(sel, conns, conn)

    def _send_due(
        self, sel: selectors.BaseSelector, conns: list[_Connection], conn: _Connection
    ) -> None:
        now = time.monotonic()
        while conn.late and conn.late[0][0] <= now:
            _, reply = conn.late.pop(0)
            try:
                conn.sock.sendall(reply)
            except OSError:
                self._drop(sel, conns, conn)
                return

    def _drop(
        self, sel: selectors.BaseSelector, conns: list[_Connection], conn: _Connection
    ) -> None:
        conn.parser.finish()
        sel.unregister(conn.sock)
        conn.sock.close()
        conns.remove(conn)
        with self._cond:
            self._connections = len(conns)


def main(argv: Sequence[str] | None = None) -> int:
    """``kiosk sim printer``: run a virtual printer until Ctrl-C (or SIGTERM)."""
    ap = argparse.ArgumentParser(
        prog="kiosk sim printer", description="Virtual ESC/POS receipt printer on TCP."
    )
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on")
    ap.add_argument("--port", type=int, default=9100, help="TCP port (0: any free port)")
    ap.add_argument("--width", type=int, choices=(58, 80), default=58, help="paper width, mm")
    ap.add_argument("--out", type=Path, default=None,
                    help="directory for receipt transcripts and PNG renderings")
    ap.add_argument("--fault", choices=FAULTS, default=None, help="start with this fault")
    ap.add_argument("--status-delay", type=float, default=0.0,
                    help="answer status queries this many seconds late")
    args = ap.parse_args(argv)

    def report(r: PrintedReceipt) -> None:
        where = f" -> {args.out / f'receipt-{r.number:04d}.txt'}" if args.out else ""
        state = "" if r.cut else ", not cut"
        print(f"receipt {r.number:04d}: {len(r.lines)} lines, {len(r.qr_payloads)} QR"
              f"{state}{where}", flush=True)

    printer = VirtualPrinter(args.host, args.port, args.width, args.out, on_receipt=report)
    printer.set_fault(args.fault)
    printer.set_status_delay(args.status_delay)
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
