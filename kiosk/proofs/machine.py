"""The proof flow as a state machine, pure: no Qt, no thread, no device, no platform.

    CHOOSING --choose--> ISSUING --issued--> PRINTING --printed--> PRINTED
                            |                  |  ^
                     issue_failed        print_failed  print_again (same proof, same code)
                            v                  v  |
                       ISSUE_FAILED        PRINT_FAILED
    choose (another kind, or the same again) from CHOOSING, PRINTED, ISSUE_FAILED, PRINT_FAILED;
    back from any of those returns to CHOOSING and drops the proof.

A tap while a proof is being issued or printed changes nothing (a double tap prints once).
Retrying a kind whose issue failed sends the same request id, so a platform that did issue it
before the answer was lost gives the same proof back, not a second code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from devices.printers.cups_a4 import A4State
from sync.platform.proofs import PROOF_KINDS, IssuedProof

__all__ = ["PROOF_KINDS", "A4State", "IssueProblem", "IssuedProof", "ProofMachine", "ProofStep",
           "ProofView"]


class ProofStep(StrEnum):
    CHOOSING = "choosing"
    ISSUING = "issuing"
    PRINTING = "printing"
    PRINTED = "printed"
    ISSUE_FAILED = "issue_failed"
    PRINT_FAILED = "print_failed"


class IssueProblem(StrEnum):
    OFFLINE = "offline"  # the platform cannot be reached: a proof needs it
    NO_RECORDS = "no_records"  # the platform holds no records for this citizen
    REFUSED = "refused"  # any other refusal (the technician finds it in the log)


SETTLED = frozenset({ProofStep.CHOOSING, ProofStep.PRINTED, ProofStep.ISSUE_FAILED,
                     ProofStep.PRINT_FAILED})


@dataclass(frozen=True)
class ProofView:
    """What the screen shows. Holds no personal data: the proof itself stays in the machine."""

    step: ProofStep = ProofStep.CHOOSING
    kind: str = ""
    printer: A4State | None = None  # the printer's state while printing, or what stopped it
    problem: IssueProblem | None = None
    code: str = ""  # the verification code, shown with the printed proof and after a failure


class ProofMachine:
    """One citizen's proofs. Used from one thread at a time (the desk serialises)."""

    def __init__(self, new_request_id: Callable[[], str]) -> None:
        self._new_request_id = new_request_id
        self.view = ProofView()
        self.proof: IssuedProof | None = None
        self.request_id = ""

    def choose(self, kind: str) -> bool:
        if kind not in PROOF_KINDS:
            raise ValueError(f"unknown proof kind {kind!r}")
        if self.view.step not in SETTLED:
            return False
        again = self.view.step is ProofStep.ISSUE_FAILED and self.view.kind == kind
        if not again:
            self.request_id = self._new_request_id()
        self.proof = None
        self.view = ProofView(ProofStep.ISSUING, kind)
        return True

    def issued(self, proof: IssuedProof) -> None:
        self._expect(ProofStep.ISSUING)
        if proof.kind != self.view.kind:
            raise ValueError("the proof issued is of another kind")
        self.proof = proof
        self.view = ProofView(ProofStep.PRINTING, proof.kind, code=proof.code)

    def issue_failed(self, problem: IssueProblem) -> None:
        self._expect(ProofStep.ISSUING)
        self.view = ProofView(ProofStep.ISSUE_FAILED, self.view.kind, problem=problem)

    def printer_changed(self, state: A4State) -> None:
        if self.view.step is ProofStep.PRINTING:
            self.view = replace(self.view, printer=state)

    def printed(self) -> None:
        self._expect(ProofStep.PRINTING)
        self.view = replace(self.view, step=ProofStep.PRINTED, printer=None)

    def print_failed(self, state: A4State) -> None:
        self._expect(ProofStep.PRINTING)
        self.view = replace(self.view, step=ProofStep.PRINT_FAILED, printer=state)

    def print_again(self) -> bool:
        """The same proof once more, after the printer stopped it."""
        if self.view.step is not ProofStep.PRINT_FAILED or self.proof is None:
            return False
        self.view = replace(self.view, step=ProofStep.PRINTING, printer=None)
        return True

    def back(self) -> bool:
        if self.view.step not in SETTLED:
            return False
        self.proof = None
        self.request_id = ""
        self.view = ProofView()
        return True

    def _expect(self, step: ProofStep) -> None:
        if self.view.step is not step:
            raise RuntimeError(f"proof flow: expected {step.value}, at {self.view.step.value}")
