"""The demo stack: emulators and a reference platform on loopback, wired into the config.

Used by ``kiosk run --demo``. The card reader is the real pcscd with the vpcd driver where
that can run (root, Linux, packages installed); elsewhere an in-process simulated reader,
and the kiosk says so on screen and in ``kiosk diagnose``.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devices.cards.base import CardReader
from devices.cards.pcsc.host import pcsc_unavailable_reason, pcscd_answers
from devices.sim.a4.cupsd import CUPSD, QUEUE, PrivateCupsd
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.card.vcard import VirtualCard
from devices.sim.idreader.emulator import VirtualIdReader
from devices.sim.printer.tcp_server import VirtualPrinter
from devices.sim.scanner.emulator import VirtualScanner
from kiosk.config import Config
from kiosk.platform_link.enrolment import enrol
from sync.file_modes import private_directory

log = logging.getLogger(__name__)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def ensure_pcscd(timeout: float = 15.0) -> subprocess.Popen[bytes] | None:
    """Use a running pcscd, or start one in the foreground mode; None if one was running."""
    if pcscd_answers():
        return None
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    proc = subprocess.Popen(
        [binary, "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pcscd_answers():
            return proc
        if proc.poll() is not None:
            raise RuntimeError(f"pcscd exited at start with code {proc.returncode}")
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"pcscd did not start within {timeout:.0f} s")


_demo_actions = threading.Lock()


def _in_background(action: Callable[[], None]) -> None:
    """One demo card action at a time, never on the caller's thread."""

    def run() -> None:
        with _demo_actions:
            try:
                action()
            except Exception:
                log.exception("demo card action failed")

    threading.Thread(target=run, name="demo-card", daemon=True).start()


@dataclass
class DemoStack:
    """The running emulators and platform, and the config that points the kiosk at them.

    The kiosk's devices are built from ``config`` by :mod:`kiosk.assembly` like any kiosk's:
    the PC/SC reader talks to pcscd (with the virtual card behind vpcd), the GA/T 467 reader
    to the emulator's pseudo-terminal, the printer to the virtual printer's TCP port. Only
    where pcscd cannot run is the card reader the in-process simulated one, which
    :meth:`attach` finds among the built readers so that the demo button can insert a card.
    """

    config: Config
    reader_note: str
    card: VirtualCard | None = None
    simulated: SimulatedCardReader | None = None
    printer: VirtualPrinter | None = None
    id_reader: VirtualIdReader | None = None
    scanner: VirtualScanner | None = None
    issue_ecode: Callable[[], str] | None = None  # a fresh test code from the demo platform
    a4: PrivateCupsd | None = None  # the A4 printer for proofs, where a private cupsd can run
    _stack: ExitStack = field(default_factory=ExitStack)

    def place_id_card(self) -> None:
        """The demo's stand-in for a citizen laying their ID card on the pad (returns at once:
        the demo button is pressed on the GUI thread)."""
        _in_background(self._place_id_card)

    def insert_card(self) -> None:
        """The demo's stand-in for a citizen inserting their card (returns at once)."""
        _in_background(self._insert_card)

    def _place_id_card(self) -> None:
        if self.id_reader is not None:
            self.id_reader.lift()
            time.sleep(0.3)  # long enough for the reader to see the pad empty
            self.id_reader.place()

    def scan(self, what: str) -> None:
        """The demo's stand-in for a citizen holding a QR code under the scanner: ``ecode``
        (a fresh electronic card code of the test holder) or ``receipt`` (the last one
        printed). Returns at once."""
        _in_background(lambda: self._scan(what))

    def _scan(self, what: str) -> None:
        if self.scanner is None:
            return
        if what == "ecode" and self.issue_ecode is not None:
            self.scanner.scan(self.issue_ecode())
        elif what == "receipt" and self.printer is not None and self.printer.receipts:
            payloads = self.printer.receipts[-1].qr_payloads
            if payloads:
                self.scanner.scan(payloads[0])

    def _insert_card(self) -> None:
        if self.card is not None:
            if self.card.inserted:
                self.card.remove()
                time.sleep(0.5)  # pcscd polls vpcd about every 400 ms
            self.card.insert()
        elif self.simulated is not None:
            self.simulated.remove()
            self.simulated.insert("ssc")

    def attach(self, readers: list[CardReader]) -> None:
        """The readers the kiosk built from :attr:`config`: the demo drives the simulated one."""
        self.simulated = next((r for r in readers if isinstance(r, SimulatedCardReader)), None)

    def close(self) -> None:
        self._stack.close()


def start_demo(config: Config, use_pcsc: bool | None = None) -> DemoStack:
    stack = ExitStack()
    try:
        return _start(config, stack, use_pcsc)
    except BaseException:
        stack.close()
        raise


def _start(config: Config, stack: ExitStack, use_pcsc: bool | None) -> DemoStack:
    # The reference platform is an extra (``pip install .[server]``): only the demo loads it.
    from sync.server.cli import start_server_thread

    data = config.data_dir
    private_directory(data)
    platform_port = config.demo.platform_port
    if not port_is_free(platform_port):
        platform_port = 0
    server = start_server_thread(
        "127.0.0.1", platform_port, data / "demo-platform", require_signatures=True,
        host_logging=True,
    )
    stack.callback(server.stop)
    # 缴费: the demo's phone is the operator's command (docs/payments.md)
    log.info("demo payments: pay an order shown on screen with `kiosk server pay paid ZF… "
             "--data-dir %s` (or failed, expired, late)", data / "demo-platform")

    printer_port = config.demo.printer_port if port_is_free(config.demo.printer_port) else 0
    printer = VirtualPrinter(
        port=printer_port, width_mm=config.printer.width_mm, out_dir=data / "demo-printer"
    )
    printer.start()
    stack.callback(printer.stop)

    config = config.replace(
        "platform", url=server.url, status_url=server.url + "/v1/track/{tracking}",
        proof_url=server.url + "/v1/proofs/{code}",
    ).replace("printer", backend="network", host="127.0.0.1", port=printer.port)
    a4 = _start_a4(data, stack)
    if a4 is not None:
        config = config.replace("a4_printer", queue=QUEUE, server=a4.server)
    # Enrol the way a real kiosk does: a one-time token from the operator, who also records
    # the kiosk code of its tracking numbers; the platform's keys pinned; every upload signed.
    enrol(config, server.registry.issue_token(config.kiosk.id, kiosk_code=config.kiosk.code))

    # The resident ID card reader: GA/T 467 over a pseudo-terminal, on any POSIX machine.
    id_reader = VirtualIdReader().start()
    stack.callback(id_reader.stop)
    config = config.replace("reader", gat467_port=id_reader.path)
    # The QR code scanner: a serial scanner on a pseudo-terminal; test codes from the platform.
    scanner = VirtualScanner().start()
    stack.callback(scanner.stop)
    config = config.replace("scanner", port=scanner.path)
    from sync.server.ecodes import fixture_identity

    desk = server.ecodes
    devices: dict[str, Any] = {"id_reader": id_reader, "scanner": scanner,
                               "issue_ecode": lambda: desk.issue(fixture_identity())}

    reason = "" if use_pcsc is not False else "the simulated reader was asked for"
    if not reason:
        reason = pcsc_unavailable_reason()
    if not reason:
        try:
            proc = ensure_pcscd()
        except RuntimeError as exc:
            reason = str(exc)
        else:
            if proc is not None:
                stack.callback(_stop_process, proc)
    if reason:
        note = f"Simulated card reader (not real hardware): {reason}."
        log.warning(note)
        return DemoStack(config.replace("reader", backend="simulated"), note, printer=printer,
                         a4=a4, _stack=stack, **devices)
    card = VirtualCard(port=config.demo.vpcd_port)
    stack.callback(card.close)
    return DemoStack(config.replace("reader", backend="pcsc"), "", card=card, printer=printer,
                     a4=a4, _stack=stack, **devices)


def _start_a4(data: Path, stack: ExitStack) -> PrivateCupsd | None:
    """The A4 printer of the demo: a private cupsd with the simulator queue (docs/proofs.md);
    None where it cannot run (no CUPS, not root): proofs then say there is no A4 printer."""
    if not CUPSD.exists() or os.geteuid() != 0:
        log.warning("no A4 printer in the demo: a private cupsd needs CUPS and root")
        return None
    try:
        cupsd = PrivateCupsd(data / "demo-a4").start()
    except RuntimeError as exc:
        log.warning("no A4 printer in the demo: %s", exc)
        return None
    stack.callback(cupsd.stop)
    return cupsd


def _stop_process(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
