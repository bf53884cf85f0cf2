"""The A4 printer for official proofs, printing through CUPS with its command-line tools.

``lp``, ``lpstat`` and ``cancel`` (Debian: cups-client, cups-bsd) rather than a binding: they
install with CUPS itself and speak IPP to any cupsd, local or on ``host:port``. Every call
has a deadline, runs with ``LANG=C`` (the answers are parsed) and never on the GUI thread.

- Before the job, the queue is checked: a queue CUPS does not know, a stopped (disabled)
  queue, one that refuses jobs or a cupsd that does not answer refuses the job before a byte
  is sent. Printer state reasons left from an earlier job are not trusted while the printer
  is idle: CUPS keeps what a backend last reported until its next job, so reasons already
  there before the job count only if the printer still reports them ``STALE_GRACE_S`` into it.
- The document goes to ``lp`` on its standard input: no copy on the kiosk's disk; CUPS spools
  it while the job runs and, with ``PreserveJobFiles No`` and ``PreserveJobHistory No``
  (docs/deployment.md), keeps nothing once it is done or cancelled.
- While the job is queued or printing it is watched: when the printer is printing it and
  reports paper out, a jam, an open cover, empty toner or offline, the job is cancelled and
  :class:`A4PrinterError` names the state, so the citizen can be offered the proof again; a
  job gone from the queue has completed; a job not done by the deadline is cancelled too.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from devices.printers.a4_settings import A4PrinterSettings

__all__ = ["NO_SCHEDULER", "A4PrinterError", "A4State", "A4Status", "CupsA4Printer",
           "state_of_reasons"]

log = logging.getLogger(__name__)


class A4State(StrEnum):
    READY = "ready"
    PRINTING = "printing"
    PAPER_OUT = "paper_out"
    JAM = "jam"
    COVER_OPEN = "cover_open"
    NO_TONER = "no_toner"
    OFFLINE = "offline"  # cupsd not answering, the queue stopped or the printer unreachable
    NOT_CONFIGURED = "not_configured"  # no queue configured, or one CUPS does not know
    ERROR = "error"  # anything else: a job that failed or took too long


FAULTS = frozenset({A4State.PAPER_OUT, A4State.JAM, A4State.COVER_OPEN, A4State.NO_TONER,
                    A4State.OFFLINE})
# IPP printer-state-reasons (RFC 8011 5.4.12, PWG 5100.9), without -error/-warning/-report.
_REASON_STATES = (
    ("media-empty", A4State.PAPER_OUT),
    ("media-needed", A4State.PAPER_OUT),
    ("input-tray-missing", A4State.PAPER_OUT),
    ("media-jam", A4State.JAM),
    ("cover-open", A4State.COVER_OPEN),
    ("door-open", A4State.COVER_OPEN),
    ("interlock-open", A4State.COVER_OPEN),
    ("toner-empty", A4State.NO_TONER),
    ("marker-supply-empty", A4State.NO_TONER),
    ("offline", A4State.OFFLINE),
    ("shutdown", A4State.OFFLINE),
    ("timed-out", A4State.OFFLINE),
)
STALE_GRACE_S = 3.0
NO_SCHEDULER = "cupsd is not answering"  # the detail of an OFFLINE status with no cupsd
_REQUEST_ID = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class A4Status:
    state: A4State
    reasons: tuple[str, ...] = ()
    printing_job: str = ""  # the job the printer is printing now, if any
    detail: str = ""  # for logs and the technician, in English


class A4PrinterError(Exception):
    """A proof that was not printed, and the printer's state that stopped it."""

    def __init__(self, status: A4Status, message: str) -> None:
        super().__init__(message)
        self.status = status


def state_of_reasons(reasons: Sequence[str]) -> A4State | None:
    """The fault named by printer-state-reasons, or None (warnings and reports are not)."""
    for reason in reasons:
        base = re.sub(r"-(error|warning|report)$", "", reason)
        for name, state in _REASON_STATES:
            if base == name and (reason.endswith("-error") or state is A4State.OFFLINE):
                return state
    return None


class CupsA4Printer:
    """One CUPS queue. Not thread-safe: the kiosk prints from its one device-job thread."""

    def __init__(
        self,
        settings: A4PrinterSettings,
        *,
        run: Callable[..., subprocess.CompletedProcess[bytes]] = subprocess.run,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._run = run
        self._sleep = sleep
        self._monotonic = monotonic

    def __repr__(self) -> str:
        return f"CupsA4Printer(queue={self.settings.queue!r}, server={self.settings.server!r})"

    # -- the queue's state -------------------------------------------------------------------

    def status(self) -> A4Status:
        queue = self.settings.queue
        if not queue:
            return A4Status(A4State.NOT_CONFIGURED, detail="no [a4_printer] queue configured")
        try:
            done = self._cups("lpstat", "-l", "-p", queue)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return A4Status(A4State.OFFLINE, detail=f"lpstat: {exc}")
        text = done.stdout.decode("utf-8", "replace")
        errors = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0 or not text.startswith("printer "):
            if not self._scheduler_running():
                return A4Status(A4State.OFFLINE, detail=NO_SCHEDULER)
            if "invalid destination" in errors.lower() or "unknown destination" in errors.lower():
                return A4Status(A4State.NOT_CONFIGURED, detail=errors)
            return A4Status(A4State.OFFLINE, detail=errors or "lpstat failed")
        return _parse_lpstat(queue, text)

    def _scheduler_running(self) -> bool:
        try:
            done = self._cups("lpstat", "-r")
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0 and b"is running" in done.stdout

    def check(self) -> A4Status:
        """The state before a job; raises A4PrinterError when a job could not print now."""
        status = self.status()
        if status.state in (A4State.NOT_CONFIGURED, A4State.OFFLINE):
            raise A4PrinterError(status, f"A4 printer not ready: {status.state.value}")
        return status

    # -- one job ------------------------------------------------------------------------------

    def print_pdf(
        self, pdf: bytes, title: str, on_state: Callable[[A4Status], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """Print one PDF and wait until CUPS has printed it; A4PrinterError otherwise.

        ``should_stop`` (asked at each look) says the citizen has left: a job that is printing
        well is still watched to its end (the paper is theirs), any other is cancelled, so it
        cannot come out later for the next citizen.
        """
        before = self.check()
        try:
            done = self._cups("lp", "-d", self.settings.queue, "-t", title, "-", stdin=pdf)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise A4PrinterError(A4Status(A4State.OFFLINE, detail=str(exc)),
                                 "the job could not be handed to CUPS") from exc
        found = _REQUEST_ID.search(done.stdout.decode("utf-8", "replace"))
        if done.returncode != 0 or found is None:
            detail = done.stderr.decode("utf-8", "replace").strip()
            raise A4PrinterError(A4Status(A4State.ERROR, detail=detail), "CUPS refused the job")
        self._watch(found.group(1), on_state, frozenset(before.reasons), should_stop)

    def _watch(self, job: str, on_state: Callable[[A4Status], None] | None,
               stale: frozenset[str], should_stop: Callable[[], bool]) -> None:
        start = self._monotonic()
        deadline = start + self.settings.timeout_seconds
        while True:
            if not self._job_pending(job):
                log.info("A4 job %s completed", job)
                return
            status = self.status()
            if on_state is not None:
                on_state(status)
            ours = status.printing_job == job
            # What the printer said before this job counts once its backend had the time to
            # say it again (a printer still out of paper does).
            old_news = set(status.reasons) <= stale and self._monotonic() - start < STALE_GRACE_S
            if status.state in FAULTS and (ours or status.state is A4State.OFFLINE) \
                    and not old_news:
                self._cancel(job)
                raise A4PrinterError(status, f"A4 job {job} stopped: {status.state.value}")
            if should_stop() and not (ours and status.state is A4State.PRINTING):
                self._cancel(job)
                raise A4PrinterError(status, f"A4 job {job} cancelled: the citizen left")
            if self._monotonic() > deadline:
                self._cancel(job)
                raise A4PrinterError(A4Status(A4State.ERROR, status.reasons,
                                              detail="the job took too long"),
                                     f"A4 job {job} not done in time")
            self._sleep(self.settings.poll_seconds)

    def _job_pending(self, job: str) -> bool:
        try:
            done = self._cups("lpstat", "-o", self.settings.queue)
        except (OSError, subprocess.TimeoutExpired):
            return True  # cannot tell: the printer's state says more
        return any(line.split()[:1] == [job]
                   for line in done.stdout.decode("utf-8", "replace").splitlines())

    def _cancel(self, job: str) -> None:
        try:
            self._cups("cancel", job)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.warning("A4 job %s could not be cancelled: %s", job, exc)

    def _cups(self, program: str, *args: str, stdin: bytes | None = None
              ) -> subprocess.CompletedProcess[bytes]:
        command = [program]
        if self.settings.server:
            command += ["-h", self.settings.server]
        command += list(args)
        env = {**os.environ, "LANG": "C", "LC_ALL": "C"}
        return self._run(command, input=stdin if stdin is not None else b"",
                         capture_output=True, timeout=self.settings.command_timeout_seconds,
                         env=env, check=False)


def _parse_lpstat(queue: str, text: str) -> A4Status:
    first = text.splitlines()[0]
    reasons: tuple[str, ...] = ()
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("Alerts:"):
            words = stripped.removeprefix("Alerts:").split()
            reasons = tuple(w for w in words if w != "none")
    printing = re.match(rf"printer {re.escape(queue)} now printing (\S+?)\.?\s", first + " ")
    if " disabled since" in first:
        return A4Status(A4State.OFFLINE, reasons, detail=first)
    if printing is not None:
        job = printing.group(1)
        fault = state_of_reasons(reasons)
        return A4Status(fault or A4State.PRINTING, reasons, printing_job=job, detail=first)
    return A4Status(A4State.READY, reasons, detail=first)
