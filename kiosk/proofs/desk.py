"""Printing an official proof for an identified citizen: the entry point other screens call.

``ProofDesk(citizen, …).print_proof(kind)`` asks the platform for the proof (a live, signed
question: nothing written to the kiosk's disk), renders its PDF (``renderer``, given by the UI:
Qt's PDF writer with embedded Chinese fonts, ui/proof_pdf.py), and prints it on the A4 printer
through CUPS, watching the job to its end; paper out, a jam or an offline printer stop it with
the state in :class:`ProofView` and the same proof is offered again (:meth:`print_again`).
Every step runs on the desk's own thread; ``on_change`` hears each new view there (the UI
passes it to its own thread). :meth:`close` drops the proof and stops the thread: the proof's
personal data lives only as long as the desk, which lives only as long as the citizen's visit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from devices.printers.cups_a4 import A4PrinterError, A4State, A4Status
from sync.platform.errors import PlatformError, PlatformUnavailable
from sync.platform.proofs import IssuedProof, ProofRequest
from sync.uuid7 import uuid7

from .machine import IssueProblem, ProofMachine, ProofView

__all__ = ["Citizen", "ProofClient", "ProofDesk", "ProofPrinter", "Renderer"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Citizen:
    """Who the proof is for, and how they proved it (the second factor)."""

    id_number: str
    second_factor: str  # "card_pin" or "staff"
    staff_id: str = ""

    def __repr__(self) -> str:
        return f"Citizen(second_factor={self.second_factor!r})"


class ProofClient(Protocol):
    def issue_proof(self, request: ProofRequest) -> IssuedProof: ...

    def close(self) -> None: ...


class ProofPrinter(Protocol):
    def print_pdf(self, pdf: bytes, title: str,
                  on_state: Callable[[A4Status], None] | None = None,
                  should_stop: Callable[[], bool] = ...) -> None: ...


Renderer = Callable[[IssuedProof, str], bytes]  # (proof, verification URL) -> PDF bytes


class ProofDesk:
    def __init__(
        self,
        citizen: Citizen,
        client_factory: Callable[[], ProofClient],
        printer: ProofPrinter,
        renderer: Renderer,
        verify_url: Callable[[str], str],
        on_change: Callable[[ProofView], None],
        *,
        new_request_id: Callable[[], str] = lambda: str(uuid7()),
    ) -> None:
        self._citizen: Citizen | None = citizen
        self._client_factory = client_factory
        self._printer = printer
        self._renderer = renderer
        self._verify_url = verify_url
        self._on_change = on_change
        self._machine = ProofMachine(new_request_id)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._jobs = ThreadPoolExecutor(1, thread_name_prefix="proofs")

    @property
    def view(self) -> ProofView:
        return self._machine.view

    def print_proof(self, kind: str) -> Future[None] | None:
        """Issue and print a proof of ``kind``; None when one is already under way."""
        with self._lock:
            if self._citizen is None or not self._machine.choose(kind):
                return None
            view = self._machine.view
        self._tell(view)
        return self._jobs.submit(self._issue_and_print)

    def print_again(self) -> Future[None] | None:
        """The same proof (same verification code) again, after the printer stopped it."""
        with self._lock:
            if not self._machine.print_again():
                return None
            view = self._machine.view
        self._tell(view)
        return self._jobs.submit(self._print)

    def back(self) -> bool:
        with self._lock:
            done = self._machine.back()
            view = self._machine.view
        if done:
            self._tell(view)
        return done

    def close(self) -> None:
        """Forget the citizen and the proof. A job printing well is waited for (the paper is
        theirs); one that is queued or stopped by the printer is cancelled."""
        self._closing.set()
        with self._lock:
            self._citizen = None
        self._jobs.shutdown(wait=True)
        with self._lock:
            self._machine.proof = None
            self._machine.request_id = ""

    # -- on the desk's thread ------------------------------------------------------------------

    def _issue_and_print(self) -> None:
        with self._lock:
            citizen = self._citizen
            request_id, kind = self._machine.request_id, self._machine.view.kind
        if citizen is None:
            return
        request = ProofRequest(request_id, citizen.id_number, kind, citizen.second_factor,
                               citizen.staff_id)
        proof, problem = self._ask(request)
        with self._lock:
            if proof is not None:
                self._machine.issued(proof)
            else:
                self._machine.issue_failed(problem or IssueProblem.REFUSED)
            view = self._machine.view
        self._tell(view)
        if proof is not None and not self._closing.is_set():
            self._print()

    def _ask(self, request: ProofRequest) -> tuple[IssuedProof | None, IssueProblem | None]:
        try:
            client = self._client_factory()
        except Exception as exc:  # a platform URL the client refuses
            log.warning("proof: no platform client (%s)", exc)
            return None, IssueProblem.OFFLINE
        try:
            for attempt in (1, 2):
                try:
                    return client.issue_proof(request), None
                except PlatformUnavailable as exc:
                    # The answer may be lost after the proof was issued: the same request id
                    # again reads that proof back.
                    log.info("proof, attempt %d: %s", attempt, exc)
                except PlatformError as exc:
                    log.warning("proof refused by the platform: %s (%s)", exc.kind, exc.status)
                    return None, (IssueProblem.NO_RECORDS if exc.status == 404
                                  else IssueProblem.REFUSED)
            return None, IssueProblem.OFFLINE
        finally:
            client.close()

    def _print(self) -> None:
        with self._lock:
            proof = self._machine.proof
        if proof is None:
            return
        try:
            pdf = self._renderer(proof, self._verify_url(proof.code))
            self._printer.print_pdf(pdf, f"proof-{proof.kind}", self._printer_state,
                                    self._closing.is_set)
        except A4PrinterError as exc:
            log.warning("proof not printed: %s (%s)", exc.status.state.value, exc.status.detail)
            self._finish(exc.status.state)
            return
        except Exception:
            log.exception("proof not printed: the PDF or the print job failed")
            self._finish(A4State.ERROR)
            return
        self._finish(None)

    def _printer_state(self, status: A4Status) -> None:
        with self._lock:
            before = self._machine.view
            self._machine.printer_changed(status.state)
            view = self._machine.view
        if view != before:
            self._tell(view)

    def _finish(self, failure: A4State | None) -> None:
        with self._lock:
            if failure is None:
                self._machine.printed()
            else:
                self._machine.print_failed(failure)
            view = self._machine.view
        self._tell(view)

    def _tell(self, view: ProofView) -> None:
        try:
            self._on_change(view)
        except Exception:
            log.exception("proof view listener failed")
