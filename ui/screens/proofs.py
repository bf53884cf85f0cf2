"""Official proofs (证明): the four kinds to choose from, then what the A4 printer is doing.

Opened for a citizen already identified with a second factor (a records screen, or the
lead's flow, gives the desk): ``ProofsScreen(open_desk)`` where ``open_desk(on_change)``
returns a :class:`kiosk.proofs.desk.ProofDesk`. Every state of the printer is said in words
(paper out, jam, cover open, toner, offline, no A4 printer), and after a stop the same proof
is offered again. The text sizes come from the theme's roles, so care mode enlarges them like
every screen. :meth:`close_desk` drops the proof (the window calls it when the citizen leaves).
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.proofs.desk import ProofDesk
from kiosk.proofs.machine import PROOF_KINDS, A4State, IssueProblem, ProofStep, ProofView

from ..qt import QObject, QPushButton, QWidget, Signal, SpacedColumn
from ..widgets import button, label

__all__ = ["ProofsScreen"]


class _Relay(QObject):
    """Carries the desk's views from its thread to the GUI thread."""

    changed = Signal(object)


class ProofsScreen(QWidget):
    def __init__(self, open_desk: Callable[[Callable[[ProofView], None]], ProofDesk],
                 say: Callable[[str], None] = lambda _text: None) -> None:
        """``say``: the voice (the records screen's); each new state's words are said, the
        same as shown (they hold no personal data: the code is shown, not said)."""
        super().__init__()
        self.setObjectName("screen-proofs")
        self._say = say
        self._relay = _Relay(self)
        self._relay.changed.connect(self._show)
        self.desk: ProofDesk | None = open_desk(self._relay.changed.emit)
        layout = SpacedColumn(self)
        self.title = label(self.tr("Print an official proof"), role="heading",
                           name="proofs-title")
        layout.addWidget(self.title)
        self.hint = label(self.tr("Choose the proof you need. It is printed on A4 paper with a "
                                  "verification code that anyone can check."), name="proofs-hint")
        layout.addWidget(self.hint)
        self.kinds: dict[str, QPushButton] = {}
        for kind in PROOF_KINDS:
            b = button(self.kind_name(kind), f"proof-{kind}",
                       lambda k=kind: self._choose(k))  # type: ignore[misc]
            self.kinds[kind] = b
            layout.addWidget(b)
        self.status = label("", name="proof-status")
        self.code = label("", role="note", name="proof-code")
        layout.addWidget(self.status)
        layout.addWidget(self.code)
        self.again = button(self.tr("Print it again"), "proof-again", self._again, primary=True)
        self.back = button(self.tr("Back to the list"), "proof-back", self._back)
        layout.addWidget(self.again)
        layout.addWidget(self.back)
        layout.addStretch(1)
        self._show(ProofView())

    def kind_name(self, kind: str) -> str:
        names = {
            "social_insurance": self.tr("Social insurance contributions (社保参保缴费证明)"),
            "medical_insurance": self.tr("Medical insurance enrolment (医保参保证明)"),
            "housing_fund": self.tr("Housing fund deposits (公积金缴存证明)"),
            "income_tax": self.tr("Individual income tax paid (个人所得税纳税记录)"),
        }
        return names[kind]

    def printer_words(self, state: A4State | None) -> str:
        words = {
            None: self.tr("Printing your proof on the A4 printer, please wait…"),
            A4State.READY: self.tr("Printing your proof on the A4 printer, please wait…"),
            A4State.PRINTING: self.tr("Printing your proof on the A4 printer, please wait…"),
            A4State.PAPER_OUT: self.tr("The A4 printer is out of paper. Please ask the staff "
                                       "to load paper, then print the proof again."),
            A4State.JAM: self.tr("Paper is jammed in the A4 printer. Please ask the staff to "
                                 "clear it, then print the proof again."),
            A4State.COVER_OPEN: self.tr("A cover of the A4 printer is open. Please ask the "
                                        "staff to close it, then print the proof again."),
            A4State.NO_TONER: self.tr("The A4 printer has run out of toner. Please ask the "
                                      "staff for help."),
            A4State.OFFLINE: self.tr("The A4 printer is not answering (offline). Please ask "
                                     "the staff to check it, then print the proof again."),
            A4State.NOT_CONFIGURED: self.tr("This kiosk has no A4 printer. Proofs can be "
                                            "printed at a service window."),
            A4State.ERROR: self.tr("The proof could not be printed. Please try again or ask "
                                   "the staff."),
        }
        return words[state]

    def problem_words(self, problem: IssueProblem | None) -> str:
        if problem is IssueProblem.OFFLINE:
            return self.tr("The platform cannot be reached now, so no proof can be issued. "
                           "Please try again later or ask at a service window.")
        if problem is IssueProblem.NO_RECORDS:
            return self.tr("No records were found for you, so no proof can be issued. Please "
                           "ask at a service window.")
        return self.tr("The platform did not issue the proof. Please ask the staff.")

    def _show(self, view: ProofView) -> None:
        if self.desk is None:  # a view still on its way after the citizen left
            return
        step = view.step
        busy = step in (ProofStep.ISSUING, ProofStep.PRINTING)
        for b in self.kinds.values():
            b.setEnabled(not busy)
        self.again.setVisible(step is ProofStep.PRINT_FAILED)
        self.back.setVisible(step in (ProofStep.PRINTED, ProofStep.PRINT_FAILED,
                                      ProofStep.ISSUE_FAILED))
        name = self.kind_name(view.kind) if view.kind else ""
        if step is ProofStep.CHOOSING:
            text = ""
        elif step is ProofStep.ISSUING:
            text = self.tr("Asking the platform for your proof: %1").replace("%1", name)
        elif step is ProofStep.PRINTING:
            text = self.printer_words(view.printer)
        elif step is ProofStep.PRINTED:
            text = self.tr("Your proof has been printed. Please take it from the A4 printer.")
        elif step is ProofStep.ISSUE_FAILED:
            text = self.problem_words(view.problem)
        else:
            text = self.printer_words(view.printer)
        if text and text != self.status.text():
            self._say(text)
        self.status.setText(text)
        shown = step in (ProofStep.PRINTED, ProofStep.PRINT_FAILED, ProofStep.PRINTING)
        self.code.setText(self.tr("Verification code: %1").replace("%1", view.code)
                          if shown and view.code else "")

    def _choose(self, kind: str) -> None:
        if self.desk is not None:
            self.desk.print_proof(kind)

    def _again(self) -> None:
        if self.desk is not None:
            self.desk.print_again()

    def _back(self) -> None:
        if self.desk is not None:
            self.desk.back()

    def close_desk(self) -> None:
        """Drop the citizen's proof and stop the desk's thread (waits for a job under way)."""
        desk, self.desk = self.desk, None
        if desk is not None:
            desk.close()
        self.status.setText("")
        self.code.setText("")

    def closeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        self.close_desk()
        super().closeEvent(event)  # type: ignore[arg-type]
