"""Fixtures for the GA/T 467 reader emulator on a pseudo-terminal.

``virtual_id_reader`` runs the emulator in this process (a thread behind a real pty) and
yields it: ``.path`` is the stable link the backend opens, ``.tty_path`` the pty itself.
``EmulatorProcess`` runs it as its own process (``python -m devices.sim.idreader.emulator``) for
tests that kill it. Neither needs pcscd, so these tests run in parallel with anything.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.sim.idreader.emulator import VirtualIdReader

__all__ = ["EmulatorProcess", "virtual_id_reader", "id_reader_tty"]

START_TIMEOUT = 10.0


@pytest.fixture
def virtual_id_reader(tmp_path: Path) -> Iterator[VirtualIdReader]:
    """A started emulator, no card on the pad, reachable at ``tmp_path/ttyGAT0``."""
    reader = VirtualIdReader(link=tmp_path / "ttyGAT0", slow_delay=1.5, seed=467).start()
    try:
        yield reader
    finally:
        reader.stop()


@pytest.fixture
def id_reader_tty(virtual_id_reader: VirtualIdReader) -> str:
    """The tty path of a started emulator (the pty slave itself, not the link)."""
    return virtual_id_reader.tty_path


class EmulatorProcess:
    """``python -m devices.sim.idreader.emulator`` as a child process, driven through stdin."""

    def __init__(self, link: Path, *extra: str) -> None:
        self.link = link
        self.args = [sys.executable, "-m", "devices.sim.idreader.emulator", "--link", str(link),
                     *extra]
        self.process: subprocess.Popen[str] | None = None
        self.tty_path = ""
        self.lines: list[str] = []

    def start(self) -> EmulatorProcess:
        self.process = subprocess.Popen(
            self.args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        first = self._readline(START_TIMEOUT)
        if " on /dev/" not in first:
            self.kill()
            pytest.fail(f"emulator did not start: {first!r}")
        self.tty_path = first.split(" on ", 1)[1].split()[0]
        return self

    def command(self, line: str) -> str:
        """Send one stdin command and return the emulator's answer line."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._readline(START_TIMEOUT)

    def _readline(self, timeout: float) -> str:
        assert self.process is not None and self.process.stdout is not None
        out: list[str] = []
        stdout = self.process.stdout
        reader = threading.Thread(target=lambda: out.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        line = out[0].strip() if out else ""
        self.lines.append(line)
        return line

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, the link is left dangling as after a crash."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> int | None:
        """Ctrl-C, as a technician would stop it; returns the exit code."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        return process.returncode
