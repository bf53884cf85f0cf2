"""A private cupsd for the A4 printer simulator: its own folders, its own port on loopback.

``PrivateCupsd(root).start()`` writes a ``cupsd.conf`` and ``cups-files.conf`` under ``root``
(server root, spool, cache, state, logs), a server-bin folder that borrows Debian's filters and
backends and adds ``kiosksim`` (:mod:`devices.sim.a4.backend`), and one raw queue, ``kiosk-a4``,
whose device is the simulator folder ``root/sim``: write ``ok``, ``paper_out``, ``jam`` or
``offline`` to ``root/sim/fault`` (:meth:`set_fault`), read printed documents from
``root/sim/out``. The spool keeps no copy (``PreserveJobFiles No``, ``PreserveJobHistory
No``), as docs/deployment.md asks of a kiosk's own cupsd. Runs as root (cupsd needs it to run
a backend as root, which the simulator's folder, private to root, requires).

``python -m devices.sim.a4.cupsd ROOT`` runs one in the foreground (``kiosk``'s demo uses it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["CUPS_PDF_BACKEND", "PDF_QUEUE", "QUEUE", "PrivateCupsd", "free_port"]

QUEUE = "kiosk-a4"
PDF_QUEUE = "kiosk-pdf"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
# cups-pdf reads its settings from a folder compiled in (Debian: /etc/cups); a device URI
# ``cups-pdf:/NAME`` makes it read ``cups-pdf-NAME.conf`` there instead of cups-pdf.conf.
CUPS_PDF_CONF_DIR = Path("/etc/cups")
SYSTEM_SERVER_BIN = Path("/usr/lib/cups")
CUPSD = Path("/usr/sbin/cupsd")
_BORROWED = ("daemon", "cgi-bin", "notifier", "monitor", "driver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateCupsd:
    def __init__(self, root: Path, port: int | None = None, cups_pdf: bool = False) -> None:
        self.root = root
        self.port = port or free_port()
        self.sim = root / "sim"
        self.spool = root / "spool"
        self._process: subprocess.Popen[bytes] | None = None
        self.cups_pdf = cups_pdf
        self._pdf_conf: Path | None = None

    @property
    def server(self) -> str:
        """What ``lp -h`` and ``CUPS_SERVER`` take."""
        return f"127.0.0.1:{self.port}"

    @property
    def out(self) -> Path:
        return self.sim / "out"

    def set_fault(self, fault: str) -> None:
        (self.sim / "fault").write_text(fault + "\n", "ascii")

    def printed(self) -> list[Path]:
        return sorted(self.out.glob("job-*.pdf")) if self.out.exists() else []

    @property
    def pdf_out(self) -> Path:
        """Where the cups-pdf queue (``PDF_QUEUE``, with ``cups_pdf=True``) writes its PDFs."""
        return self.root / "pdf-out"

    def pdf_printed(self) -> list[Path]:
        return sorted(self.pdf_out.rglob("*.pdf")) if self.pdf_out.exists() else []

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until no job is left on any queue: a printed file is complete only then
        (cups-pdf creates its output before Ghostscript has written it)."""
        deadline = time.monotonic() + timeout
        while True:
            jobs = subprocess.run(["lpstat", "-h", self.server, "-o"], capture_output=True,
                                  timeout=10, check=True).stdout.strip()
            if not jobs:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"jobs still queued: {jobs.decode('utf-8', 'replace')}")
            time.sleep(0.1)

    def spool_files(self) -> list[Path]:
        """Job files and control files left in the spool (there should be none)."""
        return sorted(p for p in self.spool.iterdir() if p.is_file() and p.name[:1] in "cd")

    def start(self, timeout: float = 10.0) -> PrivateCupsd:
        if not CUPSD.exists():
            raise RuntimeError("cupsd is not installed (Debian package cups)")
        self._write_files()
        log = (self.root / "log" / "cupsd.out").open("wb")
        self._process = subprocess.Popen(
            [str(CUPSD), "-f", "-c", str(self.root / "etc" / "cupsd.conf"),
             "-s", str(self.root / "etc" / "cups-files.conf")],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"cupsd exited: {self.log_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("cupsd did not listen in time")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(5)
        self._process = None
        if self._pdf_conf is not None:
            self._pdf_conf.unlink(missing_ok=True)
            self._pdf_conf = None

    def log_text(self) -> str:
        parts = []
        for name in ("cupsd.out", "error_log"):
            path = self.root / "log" / name
            if path.exists():
                parts.append(path.read_text("utf-8", "replace"))
        return "\n".join(parts)

    def _write_files(self) -> None:
        for sub in ("etc", "etc/ppd", "spool", "spool/tmp", "cache", "state", "log",
                    "bin/backend", "bin/filter", "sim"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        for path in (self.root, self.root / "etc"):
            os.chmod(path, 0o755)
        for name in _BORROWED:
            link = self.root / "bin" / name
            if not link.exists():
                link.symlink_to(SYSTEM_SERVER_BIN / name)
        for system_filter in (SYSTEM_SERVER_BIN / "filter").iterdir():
            link = self.root / "bin" / "filter" / system_filter.name
            if not link.exists():
                link.symlink_to(system_filter)
        backend = self.root / "bin" / "backend" / "kiosksim"
        text = Path(__file__).with_name("backend.py").read_text("utf-8")
        backend.write_text(f"#!{sys.executable}\n{text}", "utf-8")
        os.chmod(backend, 0o700)  # 0700: cupsd runs it as root
        etc = self.root / "etc"
        (etc / "cupsd.conf").write_text(_CUPSD_CONF.format(port=self.port), "utf-8")
        (etc / "cups-files.conf").write_text(_FILES_CONF.format(root=self.root), "utf-8")
        uri = f"kiosksim:{self.sim}"
        printers = _PRINTERS_CONF.format(queue=QUEUE, uri=uri, info="Kiosk A4 printer (simulated)")
        if self.cups_pdf:
            printers += self._cups_pdf_queue()
        (etc / "printers.conf").write_text(printers, "utf-8")
        os.chmod(etc / "printers.conf", 0o600)
        self.set_fault("ok")


    def _cups_pdf_queue(self) -> str:
        """Debian's cups-pdf as a raw queue: the kiosk's PDF goes to the backend as it is and
        Ghostscript's pdfwrite writes the printed PDF from it, keeping the fonts' ToUnicode
        maps (through a PostScript queue the CJK text would come out as glyphs without
        Unicode). Its settings file has a name unique to this cupsd and names folders under
        ``root`` only; :meth:`stop` removes it."""
        if not CUPS_PDF_BACKEND.exists():
            raise RuntimeError("cups-pdf is not installed (Debian package printer-driver-cups-pdf)")
        # cupsd runs the filter as lp: it must reach the filter and the spooled job.
        for folder in (self.root, *self.root.parents):
            if folder.exists() and not folder.stat().st_mode & 0o001:
                raise RuntimeError(f"the cups-pdf queue needs a root that user lp can reach; "
                                   f"{folder} is closed to others (use a folder under /tmp "
                                   f"made for it, not pytest's tmp_path)")
        name = f"kiosk{self.port}"
        for sub in ("pdf-out", "pdf-spool"):
            (self.root / sub).mkdir(exist_ok=True)
            os.chmod(self.root / sub, 0o700)
        link = self.root / "bin" / "backend" / "cups-pdf"
        if not link.exists():
            link.symlink_to(CUPS_PDF_BACKEND)
        wrapper = self.root / "bin" / "filter" / "kiosk-unicode-pdftops"
        text = Path(__file__).with_name("unicode_pdftops.py").read_text("utf-8")
        # run as lp, which may not reach the kiosk's venv: the system's python3 (stdlib only)
        wrapper.write_text(f"#!/usr/bin/env python3\n{text}", "utf-8")
        os.chmod(wrapper, 0o755)
        (self.root / "etc" / "ppd" / f"{PDF_QUEUE}.ppd").write_text(_CUPS_PDF_PPD, "utf-8")
        conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{name}.conf"
        conf.write_text(_CUPS_PDF_CONF.format(root=self.root, gs_call=_GS_CALL), "utf-8")
        self._pdf_conf = conf
        return _PRINTERS_CONF.format(queue=PDF_QUEUE, uri=f"cups-pdf:/{name}",
                                     info="Kiosk A4 printer (cups-pdf)")


_CUPS_PDF_PPD = """\
*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "KIOSKPDF.PPD"
*Manufacturer: "Kiosk"
*Product: "(Kiosk cups-pdf)"
*ModelName: "Kiosk cups-pdf"
*ShortNickName: "Kiosk cups-pdf"
*NickName: "Kiosk cups-pdf"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: True
*DefaultColorSpace: RGB
*FileSystem: False
*Throughput: "1"
*TTRasterizer: Type42
*cupsFilter: "application/pdf 0 kiosk-unicode-pdftops"
*OpenUI *PageSize/Page Size: PickOne
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultPageRegion: A4
*PageRegion A4/A4: "<</PageSize[595 842]>>setpagedevice"
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
"""

# gs 10.00's new PDF interpreter drops the CID fonts' ToUnicode maps on the way through
# pdfwrite; the PostScript-based one (NEWPDF=false) keeps them.
_CUPS_PDF_CONF = """\
# Written by the kiosk's test cupsd (devices/sim/a4/cupsd.py); removed when it stops.
Out {root}/pdf-out
AnonDirName {root}/pdf-out
Spool {root}/pdf-spool
Log {root}/log
LogType 1
Grp root
UserUMask 0077
Label 1
TitlePref 1
GSCall {gs_call}
"""
_GS_CALL = ('%s -q -dCompatibilityLevel=%s -dNOPAUSE -dBATCH -dSAFER -dNEWPDF=false'
            ' -sDEVICE=pdfwrite -sOutputFile="%s" -f %s')

_CUPSD_CONF = """\
LogLevel info
Listen 127.0.0.1:{port}
Browsing No
WebInterface No
DefaultAuthType None
PreserveJobFiles No
PreserveJobHistory No
MaxJobs 100
ErrorPolicy abort-job
JobKillDelay 5
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow from 127.0.0.1
  </Limit>
</Policy>
"""

_FILES_CONF = """\
ServerRoot {root}/etc
RequestRoot {root}/spool
TempDir {root}/spool/tmp
CacheDir {root}/cache
StateDir {root}/state
ServerBin {root}/bin
DataDir /usr/share/cups
DocumentRoot /usr/share/cups/doc-root
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
User lp
Group lp
SystemGroup root
FileDevice No
Printcap {root}/etc/printcap
"""

_PRINTERS_CONF = """\
<Printer {queue}>
Info {info}
MakeModel Kiosk A4 simulator
DeviceURI {uri}
State Idle
Accepting Yes
Shared No
</Printer>
"""


if __name__ == "__main__":
    cupsd = PrivateCupsd(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    cupsd.start()
    sys.stdout.write(f"cupsd on {cupsd.server}, queue {QUEUE}, faults in {cupsd.sim}/fault\n")
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        cupsd.stop()
