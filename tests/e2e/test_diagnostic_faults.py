"""Each diagnostic check with its fault injected through the real parts (issue 13, Tests 1): the
right words and exit code from ``kiosk diagnose --json`` (the command, as a subprocess), and the
right words on the technician panel's live pages (in-process, offscreen).

The faults go in through the parts themselves: pcscd with the vpcd driver listing no reader of
the configured name (what pcscd shows once a USB reader is unplugged), the pty QR code scanner
emulator stopped (its port gone), the virtual ESC/POS printer answering paper out, the private
cupsd's A4 queue holding a jammed job, the reference platform stopped, its clock moved, served
over TLS with a certificate that ends in five days, the data directory on a small tmpfs filled
up (as root; elsewhere a configured minimum over the real free space, and the case says so),
and a record the platform refused for good. The table of what each shows is in
docs/diagnostics.md ("Faults and what they show").

One reference platform (in this process, with a clock the test moves) and one virtual printer
serve every case; a case that needs its own platform (stopped, or over TLS) starts one. Each
case's kiosk has its own id, enrolled afresh.

On a machine with the vpcd driver installed, every report's reader part warns of it (a demo
driver on a would-be production machine), so "all well" is exit 1 there: ``FLOOR``.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pytestqt.qtbot import QtBot

from devices.cards.pcsc.host import VPCD_CONFIG
from devices.printers.cups_a4 import A4State
from devices.sim.a4.cupsd import QUEUE
from devices.sim.printer.tcp_server import VirtualPrinter
from devices.sim.scanner.emulator import VirtualScanner
from kiosk.assembly import build_printer, build_readers
from kiosk.config import Config, load_config
from kiosk.core import KioskCore
from kiosk.diagnostics.diagnose import REPORT_PARTS
from kiosk.diagnostics.disk import size_words
from kiosk.diagnostics.grading import EXIT_CODES, report_schema
from kiosk.platform_link.enrolment import enrol, identity_dir, platform_client
from sync.outbox.store import Outbox
from sync.sealing import seal
from sync.server.cli import start_server_thread
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.integration.test_diagnose_a4 import hold_a_job_with
from tests.support.clocked_platform import ClockedPlatform
from tests.support.kiosk import kiosk_window
from tests.support.platform import PlatformProcess
from tests.support.staff import sign_in, with_local_technician
from tests.support.tls import TestCA
from ui.main_window import MainWindow
from ui.qt import QCoreApplication, QLabel, QPushButton, Qt

SCHEMA = json.loads(report_schema())
FLOOR = EXIT_CODES["attention"] if VPCD_CONFIG.exists() else EXIT_CODES["ok"]
VPCD_WORDS = "the vpcd virtual reader driver is installed"
KIOSK_ID = "kiosk-faults"
KIOSK_NUMBERS = itertools.count(1)
ABSENT_READER = "ACS ACR39U ICC Reader"  # not vpcd's: the configured reader, unplugged
MIB = 1024 * 1024
translate = QCoreApplication.translate


# -- the shared parts ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClockedPlatform]:
    server = ClockedPlatform(tmp_path_factory.mktemp("platform"), require_signatures=True)
    server.start()
    yield server
    server.stop()


def enrol_with(platform: PlatformProcess, config: Config) -> None:
    enrol(config, platform.issue_token(config.kiosk.id))


@dataclass(frozen=True)
class Enrolment:
    url: str
    kiosk_id: str
    identity: Path


@pytest.fixture(scope="module")
def stopped_platform(tmp_path_factory: pytest.TempPathFactory) -> Enrolment:
    """A platform a kiosk enrolled with, stopped since. Started and stopped here, before any
    test: in this process (cheaper than a child), its threads never appear inside a Qt test."""
    root = tmp_path_factory.mktemp("stopped-platform")
    server = start_server_thread(data_dir=root / "platform", require_signatures=True,
                                 shutdown_timeout=0.5)
    try:
        config = (Config().replace("kiosk", id=f"{KIOSK_ID}-down", data_dir=str(root / "kiosk"))
                  .replace("platform", url=server.url))
        enrol(config, server.registry.issue_token(config.kiosk.id))
    finally:
        server.stop()
    return Enrolment(server.url, config.kiosk.id, identity_dir(config))


@pytest.fixture(scope="module")
def expiring_platform(tmp_path_factory: pytest.TempPathFactory,
                      ca: TestCA) -> Iterator[PlatformProcess]:
    """The reference platform over TLS with a certificate that ends in five days."""
    server = PlatformProcess(tmp_path_factory.mktemp("expiring-platform"),
                             require_signatures=True, ca_bundle=ca.cert_path,
                             tls=ca.issue_server_cert("expiring", valid_days=5.0))
    yield server.start()
    server.stop()


@pytest.fixture(scope="module")
def printer() -> Iterator[VirtualPrinter]:
    vp = VirtualPrinter().start()
    yield vp
    vp.stop()


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("ca"))


# -- one case's kiosk ---------------------------------------------------------------------------

def _toml(sections: dict[str, dict[str, Any]]) -> str:
    lines: list[str] = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        for key, value in values.items():
            text = (str(value).lower() if isinstance(value, bool) else
                    json.dumps(value) if isinstance(value, str | list) else str(value))
            lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


@dataclass
class Kiosk:
    path: Path  # its kiosk.toml
    config: Config


class Lab:
    """What a case injects its fault with; everything it starts is stopped at the end."""

    def __init__(self, request: pytest.FixtureRequest, tmp_path: Path, platform: ClockedPlatform,
                 printer: VirtualPrinter, ca: TestCA, stopped_platform: Enrolment) -> None:
        self.request = request
        self.stopped_platform = stopped_platform
        self.tmp = tmp_path
        self.platform = platform
        self.printer = printer
        self.ca = ca
        self.cleanups: list[Callable[[], None]] = []
        self.how = ""  # how a fault was injected, when it could be done more than one way

    def kiosk(self, data_dir: Path | None = None, enrolled_with: PlatformProcess | None = None,
              enrolment: Enrolment | None = None, **sections: dict[str, Any]) -> Kiosk:
        """A kiosk with nothing wrong: a technician's credential, private modes, enrolled with
        ``enrolled_with`` (the shared platform by default) under a kiosk id of its own (the
        platform checks each kiosk's audit chain), or with a copy of ``enrolment``; the
        shared printer, the simulated reader; ``sections`` change or add settings."""
        data = data_dir or self.tmp / "data"
        data.mkdir(mode=0o700, parents=True, exist_ok=True)
        data.chmod(0o700)
        chosen = enrolled_with or self.platform
        base: dict[str, dict[str, Any]] = {
            "kiosk": {"id": enrolment.kiosk_id if enrolment else
                      f"{KIOSK_ID}-{next(KIOSK_NUMBERS)}", "data_dir": str(data),
                      "voice_engine": "mock", "idle_seconds_by_screen": []},
            "platform": {"url": enrolment.url if enrolment else chosen.url},
            "reader": {"backend": "simulated"},
            "printer": {"port": self.printer.port, "timeout_seconds": 3.0,
                        "status_timeout_seconds": 3.0},  # a loaded machine answers late
            "sync": {"interval_seconds": 0.2},
        }
        for name, values in sections.items():
            base[name] = {**base.get(name, {}), **values}
        path = self.tmp / "kiosk.toml"
        path.write_text(_toml(base), "utf-8")
        config = load_config(path)
        if enrolment is not None:
            shutil.copytree(enrolment.identity, identity_dir(config))
        else:
            enrol_with(chosen, config)
        with_local_technician(config)
        return Kiosk(path, config)

    def small_disk(self) -> tuple[Path, bool]:
        """A 16 MiB tmpfs for the data directory (as root, where mounting works): (path, True);
        else a folder on the real disk: (path, False)."""
        where = self.tmp / "small-disk"
        where.mkdir()
        if os.geteuid() == 0 and shutil.which("mount"):
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs",
                                   str(where)], capture_output=True, timeout=10)
            if done.returncode == 0:
                self.cleanups.append(lambda: subprocess.run(
                    ["umount", "-l", str(where)], capture_output=True, timeout=10, check=False))
                return where, True
        return where, False

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            cleanup()
        self.platform.shift = 0.0
        self.printer.set_fault(None)


@pytest.fixture
def lab(request: pytest.FixtureRequest, tmp_path: Path, platform: ClockedPlatform,
        printer: VirtualPrinter, ca: TestCA, stopped_platform: Enrolment) -> Iterator[Lab]:
    made = Lab(request, tmp_path, platform, printer, ca, stopped_platform)
    yield made
    made.close()


# -- the faults ---------------------------------------------------------------------------------

@dataclass
class Panel:
    """Where the panel shows the fault and the words it shows there."""

    page: str  # overview | network | outbox
    words: tuple[str, ...]


class Fault:
    """``prepare`` makes the kiosk (and what must exist before it starts); ``inject`` breaks
    the part; ``live`` faults are injected while the panel's kiosk runs, the others before."""

    part = ""
    health = "failing"
    panel_parts: tuple[str, ...] = ()  # more parts the overview shows the same fault in
    words: tuple[str, ...] = ()
    panel: Panel | None = None
    live = False

    def prepare(self, lab: Lab) -> Kiosk:
        return lab.kiosk()

    def inject(self, lab: Lab, kiosk: Kiosk) -> None:
        pass

    def ready(self, core: KioskCore) -> bool:
        """The running kiosk has seen the part working (only for ``live`` faults)."""
        return True

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        """More about the part than its words."""

    def panel_words(self, lab: Lab) -> tuple[str, ...]:
        return self.panel.words if self.panel else ()


class AllWell(Fault):
    health = "ok"


class ReaderGone(Fault):
    part = "reader"
    words = (f"reader '{ABSENT_READER}' not found among",)
    panel = Panel("overview", (f"[FAIL] reader: No reader named '{ABSENT_READER}'*",
                               "readers seen: Virtual PCD 00 00"))

    def prepare(self, lab: Lab) -> Kiosk:
        lab.request.getfixturevalue("pcscd")  # the machine-wide lock and a pcscd with vpcd
        return lab.kiosk(reader={"backend": "pcsc", "pcsc_reader": ABSENT_READER})

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        assert any(name.startswith("Virtual PCD 00 00") for name in part["readers"])


class ScannerSilent(Fault):
    part = "scanner"
    live = True
    panel = Panel("overview", ())  # the words name the emulator's port: panel_words

    def prepare(self, lab: Lab) -> Kiosk:
        self.emulator = VirtualScanner(link=lab.tmp / "ttyQR0").start()
        lab.cleanups.append(self.emulator.stop)
        self.words = (f"QR code scanner on {self.emulator.path} at 9600 baud: port cannot be "
                      "opened",)
        return lab.kiosk(scanner={"port": self.emulator.path})

    def ready(self, core: KioskCore) -> bool:
        return all(s.status().present for s in core.scanners)

    def inject(self, lab: Lab, kiosk: Kiosk) -> None:
        self.emulator.stop()  # the pty closes and its name goes: nothing answers any more

    def panel_words(self, lab: Lab) -> tuple[str, ...]:
        # The running kiosk saw the port go, then fails to open it again each second.
        return (f"[FAIL] scanner: QR code scanner on {self.emulator.path} at 9600 baud: ",
                "retrying every 1 s")


class PrinterOutOfPaper(Fault):
    part = "printer"
    words = ("out of paper",)
    panel = Panel("overview", ("[FAIL] printer: out of paper",))

    def inject(self, lab: Lab, kiosk: Kiosk) -> None:
        lab.printer.set_fault("paper_out")

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        assert part["status"] == "paper_out"


class A4Jammed(Fault):
    part = "a4_printer"
    words = ("paper jam: open the printer and take out the sheet",)

    def prepare(self, lab: Lab) -> Kiosk:
        self.cupsd = lab.request.getfixturevalue("private_cupsd")
        return lab.kiosk(a4_printer={"queue": QUEUE, "server": self.cupsd.server})

    def inject(self, lab: Lab, kiosk: Kiosk) -> None:
        hold_a_job_with(self.cupsd, "jam", A4State.JAM)

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        assert part["status"] == "jam" and "media-jam-error" in part["reasons"]


class PlatformDown(Fault):
    part = "platform"
    panel_parts = ("sync",)  # the sync worker's last upload failed too
    words = ("not reachable (submissions wait in the outbox)",)
    panel = Panel("overview", ("[FAIL] platform: not reachable",))

    def prepare(self, lab: Lab) -> Kiosk:  # enrolled with it while it ran; stopped since
        return lab.kiosk(enrolment=lab.stopped_platform)

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        assert part["reachable"] is False


class ClockSkewed(Fault):
    """The platform's clock an hour ahead: past the 5 minutes the platform allows."""

    part = "platform"
    words = ("clock problem: this kiosk's clock is", "s behind the platform; records stay "
             "queued until the clock is set right")
    panel = Panel("network", ("clock problem: this kiosk's clock is", "与平台的时钟差：+"))

    def inject(self, lab: Lab, kiosk: Kiosk) -> None:
        lab.platform.shift = 3600.0

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        assert part["auth_problem"] == "clock_skew"
        assert abs(part["clock_offset_seconds"] - 3600) < 60


class ClockDrifting(Fault):
    """150 s off: still signed in, on its way to being refused."""

    part = "platform"
    health = "attention"
    words = ("s behind the platform; at 300 s the platform refuses its records: set the clock",)

    def inject(self, lab: Lab, kiosk: Kiosk) -> None:
        lab.platform.shift = 150.0

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        assert part["ok"] is True and abs(part["clock_offset_seconds"] - 150) < 30


class CertificateExpiring(Fault):
    part = "platform"
    health = "attention"
    words = ("the platform's TLS certificate expires in 5 day(s)", "renew it")
    panel = Panel("network", ("TLS 证书还有 5 天到期",
                              "⚠ the platform's TLS certificate expires in 5 day(s)"))

    def prepare(self, lab: Lab) -> Kiosk:
        server = lab.request.getfixturevalue("expiring_platform")
        return lab.kiosk(enrolled_with=server, platform={"ca_bundle": str(lab.ca.cert_path)})

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        assert abs(part["certificate_expires_in_days"] - 5) < 0.1


class DiskNearlyFull(Fault):
    """The data directory's filesystem with less free room than ``[kiosk] disk_min_free_mb``
    (failing); ``DiskLow``: less than the warning (attention)."""

    part = "disk"
    left_mb = 3.0  # on the 16 MiB tmpfs: under the minimum of 4 MiB
    panel = Panel("overview", ("[FAIL] disk: nearly full: ",))

    def prepare(self, lab: Lab) -> Kiosk:
        where, self.small = lab.small_disk()
        if self.small:
            lab.how = "a 16 MiB tmpfs, filled"
            limits = {"disk_min_free_mb": 4, "disk_warn_free_mb": 8}
        else:  # no filesystem of our own here: limits set over what this disk has free
            lab.how = "a configured minimum over the real free space"
            free_mb = shutil.disk_usage(where).free // MIB
            limits = ({"disk_min_free_mb": free_mb + 2048, "disk_warn_free_mb": free_mb + 4096}
                      if self.health == "failing" else
                      {"disk_min_free_mb": 0, "disk_warn_free_mb": free_mb + 2048})
        self.words = self._words(limits)
        return lab.kiosk(data_dir=where / "data", kiosk=limits)

    def _words(self, limits: dict[str, int]) -> tuple[str, ...]:
        minimum = size_words(limits["disk_min_free_mb"] * MIB)
        return ("nearly full: ", f"under the minimum of {minimum} ([kiosk] disk_min_free_mb)")

    def inject(self, lab: Lab, kiosk: Kiosk) -> None:
        if not self.small:
            return
        data = kiosk.config.data_dir
        room = shutil.disk_usage(data).free - int(self.left_mb * MIB)
        block = b"\xa5" * MIB
        with open(data.parent / "filler", "wb") as filler:
            while room > 0:
                room -= filler.write(block[: min(room, MIB)])
        assert shutil.disk_usage(data).free < (self.left_mb + 0.5) * MIB

    def check(self, lab: Lab, part: dict[str, Any]) -> None:
        assert part["free_bytes"] < part["total_bytes"], lab.how


class DiskLow(DiskNearlyFull):
    health = "attention"
    left_mb = 6.0  # on the 16 MiB tmpfs: over the minimum of 4 MiB, under the warning of 8
    panel = None

    def _words(self, limits: dict[str, int]) -> tuple[str, ...]:
        return (f"free on the data directory's disk, under the warning of "
                f"{size_words(limits['disk_warn_free_mb'] * MIB)} ([kiosk] disk_warn_free_mb)",)


class Quarantined(Fault):
    """A record sealed to a key the platform does not hold: it refuses it for good."""

    part = "outbox"
    health = "attention"
    words = ("1 record(s) quarantined: see kiosk outbox list", "1 quarantined")

    def inject(self, lab: Lab, kiosk: Kiosk) -> None:
        envelope = seal(b"form", X25519PrivateKey.generate().public_key(), lab.platform.key_id,
                        {"service_code": "SS-001"})
        outbox = Outbox(kiosk.config.outbox_path)
        try:
            txid = str(uuid7())
            outbox.enqueue(txid, "SS-001", envelope, {"name": "张*"}, "20261203")
            client = platform_client(kiosk.config)
            try:
                SyncWorker(outbox, client).drain()
            finally:
                client.close()
            record = outbox.get(txid)
            assert record is not None and record.state == "quarantined", record
            self.reason = record.last_error or record.verdict or ""
            self.txid = txid
        finally:
            outbox.close()

    def panel_words(self, lab: Lab) -> tuple[str, ...]:
        return ("已隔离：1", "已隔离（最新的在前）：", self.txid[:13], self.reason)

    panel = Panel("outbox", ())


FAULTS: dict[str, Callable[[], Fault]] = {
    "all-well": AllWell,
    "reader-gone": ReaderGone,
    "scanner-silent": ScannerSilent,
    "printer-out-of-paper": PrinterOutOfPaper,
    "a4-printer-jammed": A4Jammed,
    "platform-down": PlatformDown,
    "clock-skewed": ClockSkewed,
    "clock-drifting": ClockDrifting,
    "certificate-expiring": CertificateExpiring,
    "disk-nearly-full": DiskNearlyFull,
    "disk-low": DiskLow,
    "quarantined-record": Quarantined,
}
PCSC = {"reader-gone"}


def cases(names: list[str]) -> list[Any]:
    return [pytest.param(name, id=name, marks=[pytest.mark.pcsc] if name in PCSC else [])
            for name in names]


# -- kiosk diagnose -----------------------------------------------------------------------------

def diagnose(kiosk: Kiosk) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--config", str(kiosk.path), "diagnose", "--json"],
        capture_output=True, text=True, timeout=60)
    assert done.stdout, done.stderr
    report = json.loads(done.stdout)
    jsonschema.validate(report, SCHEMA)
    return done.returncode, report


def the_rest_is_well(report: dict[str, Any], fault: str) -> None:
    """Every part but the faulted one is ok; only the vpcd warning may remain (``FLOOR``)."""
    assert report["kiosk"]["warnings"] == []
    for key in REPORT_PARTS:
        part = report.get(key)
        if key == fault or part is None:
            continue
        if key == "reader" and part["health"] == "attention":
            assert FLOOR and all(VPCD_WORDS in w for w in part["warnings"]), part
            continue
        assert part["health"] == "ok", (key, part)


@pytest.mark.parametrize("name", cases(list(FAULTS)))
def test_kiosk_diagnose_names_the_fault_and_exits_with_its_code(lab: Lab, name: str) -> None:
    fault = FAULTS[name]()
    kiosk = fault.prepare(lab)
    fault.inject(lab, kiosk)
    code, report = diagnose(kiosk)
    assert report["source"] == "probed"
    the_rest_is_well(report, fault.part)
    assert code == max(EXIT_CODES[fault.health], FLOOR), (code, report)
    assert report["health"] == ("attention" if code == 1 else "failing" if code == 2 else "ok")
    if not fault.part:
        return
    part = report[fault.part]
    assert part["health"] == fault.health, (lab.how, part)
    said = "\n".join([part["detail"], *part.get("warnings", [])])
    for words in fault.words:
        assert words in said, (lab.how, said)
    fault.check(lab, part)


# -- the technician panel -----------------------------------------------------------------------

def _page_text(w: MainWindow, page: str) -> str:
    name = "technician-report" if page == "overview" else f"technician-{page}-text"
    return str(w.findChild(QLabel, name).text())


def _shows(qtbot: QtBot, w: MainWindow, page: str, words: tuple[str, ...]) -> str:
    """Open the page (again and again, as a technician presses it) until it shows ``words``."""
    button = "technician-refresh" if page == "overview" else f"technician-tab-{page}"
    checking = {"", translate("TechnicianPanel", "Checking…"),
                translate("TechnicianPages", "Checking…")}
    deadline = time.monotonic() + 20
    while True:
        qtbot.mouseClick(w.findChild(QPushButton, button), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _page_text(w, page) not in checking, timeout=15_000)
        text = _page_text(w, page)
        if all(words_ in text for words_ in words) or time.monotonic() > deadline:
            return text
        qtbot.wait(200)


PANEL = [name for name, make in FAULTS.items() if make().panel is not None]


@pytest.mark.parametrize("name", cases(PANEL))
def test_the_technician_panel_shows_the_fault_in_words(
    lab: Lab, qtbot: QtBot, name: str
) -> None:
    fault = FAULTS[name]()
    assert fault.panel is not None
    kiosk = fault.prepare(lab)
    if not fault.live:
        fault.inject(lab, kiosk)
    config = kiosk.config
    with kiosk_window(qtbot, config, build_readers(config), build_printer(config)) as (core, w):
        if fault.live:
            qtbot.waitUntil(lambda: fault.ready(core), timeout=10_000)
            fault.inject(lab, kiosk)
        w.technician.open_panel()
        sign_in(qtbot, w)
        words = fault.panel_words(lab)
        text = _shows(qtbot, w, fault.panel.page, words)
        for expected in words:
            assert expected in text, (lab.how, text)
        if fault.panel.page != "overview":
            return
        overview = text.splitlines()
        faulted = [line for line in overview if line.startswith("[FAIL]")
                   or line.startswith("[WARN]")]
        parts = (fault.part, *fault.panel_parts)
        assert all(any(f"] {p}:" in line for p in parts) for line in faulted), overview
