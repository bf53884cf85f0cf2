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

__all__ = ["QUEUE", "PrivateCupsd", "free_port"]

QUEUE = "kiosk-a4"
SYSTEM_SERVER_BIN = Path("/usr/lib/cups")
CUPSD = Path("/usr/sbin/cupsd")
_BORROWED = ("filter", "daemon", "cgi-bin", "notifier", "monitor", "driver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateCupsd:
    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root
        self.port = port or free_port()
        self.sim = root / "sim"
        self.spool = root / "spool"
        self._process: subprocess.Popen[bytes] | None = None

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

    def log_text(self) -> str:
        parts = []
        for name in ("cupsd.out", "error_log"):
            path = self.root / "log" / name
            if path.exists():
                parts.append(path.read_text("utf-8", "replace"))
        return "\n".join(parts)

    def _write_files(self) -> None:
        for sub in ("etc", "spool", "spool/tmp", "cache", "state", "log", "bin/backend", "sim"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        for path in (self.root, self.root / "etc"):
            os.chmod(path, 0o755)
        for name in _BORROWED:
            link = self.root / "bin" / name
            if not link.exists():
                link.symlink_to(SYSTEM_SERVER_BIN / name)
        backend = self.root / "bin" / "backend" / "kiosksim"
        text = Path(__file__).with_name("backend.py").read_text("utf-8")
        backend.write_text(f"#!{sys.executable}\n{text}", "utf-8")
        os.chmod(backend, 0o700)  # 0700: cupsd runs it as root
        etc = self.root / "etc"
        (etc / "cupsd.conf").write_text(_CUPSD_CONF.format(port=self.port), "utf-8")
        (etc / "cups-files.conf").write_text(_FILES_CONF.format(root=self.root), "utf-8")
        uri = f"kiosksim:{self.sim}"
        (etc / "printers.conf").write_text(_PRINTERS_CONF.format(queue=QUEUE, uri=uri), "utf-8")
        os.chmod(etc / "printers.conf", 0o600)
        self.set_fault("ok")


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
Info Kiosk A4 printer (simulated)
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
