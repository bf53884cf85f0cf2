"""Fixtures for the real PC/SC stack: pcscd with the vpcd driver, and a virtual card.

pcscd is one per machine and vpcd's ports are fixed, so every test that uses these shares one
session-wide daemon and must never run in parallel with another such test.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.cards.base import CardReaderCallbacks
from devices.cards.pcsc.reader import PcscCardReader
from devices.sim.card.vcard import DEFAULT_PORT, VirtualCard

__all__ = [
    "PcscDaemon",
    "PcscUnavailableError",
    "machine_pcscd",
    "EventRecorder",
    "pcscd",
    "virtual_card",
    "wait_until",
    "wait_reader_empty",
    "VPCD_READER",
]

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_READER = "Virtual PCD 00 00"
READY_TIMEOUT = 15.0
LOCK_PATH = Path("/tmp/kiosk-tests-pcscd.lock")
EVENT_SECONDS = 5.0  # one event's wait: pcscd polls vpcd about every 400 ms
LOCK_WAIT = 300.0  # a whole other test session may hold it (the suite takes ~4 min)
# libpcsclite waits for pcscd's answer without a deadline, in C, where neither Ctrl-C nor the
# test timeout reaches: a pcscd that accepts a connection and never answers would hang the run.
# The helpers below ask in a thread and give up after this long.
ANSWER_SECONDS = 10.0
START_ATTEMPTS = 2
_daemon: PcscDaemon | None = None  # one per test session, however many modules import pcscd


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    """Poll a condition in a test helper; True as soon as it holds, False at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def socket_answers(path: Path = PCSCD_SOCKET) -> bool:
    """Whether a pcscd is listening on its control socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        try:
            s.connect(str(path))
        except OSError:
            return False
    return True


class PcscUnavailableError(RuntimeError):
    """pcscd could not be started or locked for this run."""


def bounded(call: Callable[[], Any], what: str, timeout: float = ANSWER_SECONDS) -> Any:
    """``call()`` in a daemon thread; PcscUnavailableError if pcscd has not answered in time.

    A call left waiting returns (with an error) once its pcscd is stopped."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append((False, exc))

    worker = threading.Thread(target=run, name=f"pcsc-{what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise PcscUnavailableError(f"pcscd did not answer {what} within {timeout:g} s")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def list_readers() -> list[str]:
    return bounded(_list_readers, "SCardListReaders")  # type: ignore[no-any-return]


def card_present(reader: str = VPCD_READER) -> bool:
    return bounded(lambda: _card_present(reader), "SCardGetStatusChange")  # type: ignore[no-any-return]


def _list_readers() -> list[str]:
    from smartcard import scard as sc

    hr, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    if hr != sc.SCARD_S_SUCCESS:
        return []
    try:
        hr, readers = sc.SCardListReaders(ctx, [])
        return list(readers) if hr == sc.SCARD_S_SUCCESS else []
    finally:
        sc.SCardReleaseContext(ctx)


def _card_present(reader: str) -> bool:
    from smartcard import scard as sc

    hr, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    if hr != sc.SCARD_S_SUCCESS:
        return False
    try:
        hr, states = sc.SCardGetStatusChange(ctx, 0, [(reader, sc.SCARD_STATE_UNAWARE)])
        return hr == sc.SCARD_S_SUCCESS and bool(states[0][1] & sc.SCARD_STATE_PRESENT)
    finally:
        sc.SCardReleaseContext(ctx)


class PcscDaemon:
    """The machine's pcscd: reused if one answers, else started (and owned) by the tests."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.owned = False

    def ensure_running(self) -> None:
        """Start pcscd unless one answers; a pcscd that starts but never answers is killed and
        started once more (the run goes on, with the first one's log in the second's)."""
        if socket_answers():
            return
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                self._start()
                return
            except PcscUnavailableError as exc:
                if attempt == START_ATTEMPTS or "did not answer" not in str(exc):
                    raise
                with open(self.log_path, "a") as log:
                    log.write(f"\n--- attempt {attempt} failed: {exc}; starting pcscd again ---\n")

    def _start(self) -> None:
        self.owned = True
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child process
        self.process = subprocess.Popen(
            ["pcscd", "-f"], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        log.close()
        try:
            listed = wait_until(
                lambda: self._exited() or VPCD_READER in list_readers(), READY_TIMEOUT
            )
        except PcscUnavailableError:
            self.kill()  # SIGKILL: the thread still waiting in libpcsclite returns
            raise
        if not listed:
            self.stop()
            raise PcscUnavailableError(
                f"pcscd did not list {VPCD_READER!r} in {READY_TIMEOUT:g} s" + self.tail()
            )
        if self._exited():
            raise PcscUnavailableError("pcscd exited at start" + self.tail())

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the pcscd this fixture started (never one it found running)."""
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)

    def kill(self, timeout: float = 10.0) -> None:
        """SIGKILL the pcscd this fixture started: no clean-up, stale socket and pid file left."""
        process, self.process = self.process, None
        if process is None:
            raise PcscUnavailableError("this pcscd was not started by the tests: not killing it")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout)

    def restart(self) -> None:
        self.stop()
        self.ensure_running()

    def _exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def tail(self) -> str:
        try:
            return "\n--- pcscd log ---\n" + self.log_path.read_text(errors="replace")[-2000:]
        except OSError:
            return ""


def _lock_machine_wide(deadline: float) -> int:
    """Hold a lock file so two pytest sessions on one machine never share pcscd and vpcd."""
    fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o666)
    ok = wait_until(lambda: _try_flock(fd), deadline, interval=0.2)
    if not ok:
        os.close(fd)
        raise PcscUnavailableError(
            f"another session held {LOCK_PATH} (pcscd in use) for {deadline:g} s"
        )
    return fd


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def machine_pcscd(log_path: Path, lock_wait: float = LOCK_WAIT) -> Iterator[PcscDaemon]:
    """Hold the machine-wide lock and a running pcscd listing vpcd; for tests and benchmarks."""
    if shutil.which("pcscd") is None:
        raise PcscUnavailableError(
            "pcscd is not installed (Debian: apt install pcscd vsmartcard-vpcd)"
        )
    lock = _lock_machine_wide(lock_wait)
    daemon = PcscDaemon(log_path)
    try:
        daemon.ensure_running()
        if VPCD_READER not in list_readers():
            raise PcscUnavailableError(
                f"pcscd runs but lists no {VPCD_READER!r}: is vsmartcard-vpcd installed?"
            )
        yield daemon
    finally:
        daemon.stop()
        os.close(lock)  # releases the flock


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscDaemon]:
    """A running pcscd that lists the vpcd reader 'Virtual PCD 00 00'."""
    if shutil.which("pcscd") is None:
        pytest.skip("pcscd is not installed (Debian: apt install pcscd vsmartcard-vpcd)")
    global _daemon
    if _daemon is not None:  # the fixture was imported into several modules: one daemon
        yield _daemon
        return
    log_path = tmp_path_factory.mktemp("pcscd") / "pcscd.log"
    with contextlib.ExitStack() as stack:
        try:
            _daemon = stack.enter_context(machine_pcscd(log_path))
        except PcscUnavailableError as exc:
            pytest.fail(str(exc))
        try:
            yield _daemon
        finally:
            _daemon = None


@pytest.fixture
def virtual_card(pcscd: PcscDaemon) -> Iterator[VirtualCard]:
    """A social-security VirtualCard on vpcd port 35963, not inserted yet."""
    wait_reader_empty()  # a card closed by the previous test may still look present
    card = VirtualCard(port=DEFAULT_PORT)
    try:
        yield card
    finally:
        card.close()
        wait_reader_empty()  # leave the reader empty for the next test


def wait_reader_empty(timeout: float = 3.0) -> bool:
    """Wait until pcscd has noticed that the last virtual card left (it polls ~every 400 ms)."""
    return not socket_answers() or wait_until(lambda: not card_present(), timeout)


class EventRecorder:
    """Records every card-reader callback with the thread it ran on; waits for one by name."""

    NAMES = (
        "reader_did_add",
        "reader_did_remove",
        "card_did_insert",
        "card_did_remove",
        "card_did_read",
        "reader_did_fail",
    )

    def __init__(self) -> None:
        self.events: list[tuple[str, Any, str]] = []
        self._cond = threading.Condition()

    def callbacks(self) -> CardReaderCallbacks:
        return CardReaderCallbacks(**{name: self._recorder(name) for name in self.NAMES})

    def _recorder(self, name: str) -> Callable[[Any], None]:
        def record(arg: Any) -> None:
            with self._cond:
                self.events.append((name, arg, threading.current_thread().name))
                self._cond.notify_all()

        return record

    def names(self) -> list[str]:
        with self._cond:
            return [name for name, _arg, _thread in self.events]

    def of(self, name: str) -> list[Any]:
        with self._cond:
            return [arg for n, arg, _thread in self.events if n == name]

    def wait_for(self, name: str, timeout: float, count: int = 1) -> Any:
        """The ``count``-th argument of event ``name``; fails the test at the deadline."""
        with self._cond:  # an RLock: of() and names() may take it again
            if not self._cond.wait_for(lambda: len(self.of(name)) >= count, timeout):
                pytest.fail(f"no {name} #{count} within {timeout:g} s; saw {self.names()}")
            return self.of(name)[count - 1]


@pytest.fixture
def events() -> EventRecorder:
    return EventRecorder()


@pytest.fixture
def reader(pcscd: PcscDaemon, events: EventRecorder) -> Iterator[PcscCardReader]:
    """A started PcscCardReader on the vpcd reader, its events recorded; stopped afterwards."""
    reader = PcscCardReader(exchange_timeout=1.0, poll_interval=0.2)
    reader.subscribe(events.callbacks())
    reader.start()
    events.wait_for("reader_did_add", EVENT_SECONDS)
    try:
        yield reader
    finally:
        reader.stop()
    assert not reader.is_running()
