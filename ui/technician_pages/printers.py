"""The printers page: the receipt printer's and the A4 printer's state in words, the receipt
roll's counters since the last roll change (paper running out predicted, not only detected),
and a test page for each printer (the A4 one through its CUPS queue)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from kiosk.core import KioskCore
from kiosk.diagnostics.maintenance import PrinterFacts
from kiosk.submission import PrintOutcome

from ..operation import watch
from ..qt import QCoreApplication
from ..widgets import ReflowRow, button, label
from .base import Guarded, Page

translate = QCoreApplication.translate


def receipt_words(status: str, reports_status: bool) -> str:
    if status == "unknown" and not reports_status:
        return translate("TechnicianPrinters", "cannot report its status (file or spooler); "
                         "prints without checking")
    return {
        "ok": translate("TechnicianPrinters", "ready"),
        "paper_near_end": translate("TechnicianPrinters", "ready, but the paper roll is nearly "
                                    "used up"),
        "paper_out": translate("TechnicianPrinters", "OUT OF PAPER: fit a new roll"),
        "cover_open": translate("TechnicianPrinters", "the cover is open: close it"),
        "offline": translate("TechnicianPrinters", "offline"),
        "error": translate("TechnicianPrinters", "in error (cutter or mechanism)"),
        "unknown": translate("TechnicianPrinters", "does not answer (not connected or switched "
                             "off)"),
    }.get(status, status)


def a4_words(state: str) -> str:
    return {
        "ready": translate("TechnicianPrinters", "ready"),
        "printing": translate("TechnicianPrinters", "printing"),
        "paper_out": translate("TechnicianPrinters", "OUT OF PAPER: load A4 paper"),
        "jam": translate("TechnicianPrinters", "PAPER JAM: open the printer and take out the "
                         "sheet"),
        "cover_open": translate("TechnicianPrinters", "a cover or door is open"),
        "no_toner": translate("TechnicianPrinters", "out of toner or ink"),
        "offline": translate("TechnicianPrinters", "offline"),
        "not_configured": translate("TechnicianPrinters", "no such queue in CUPS"),
        "error": translate("TechnicianPrinters", "in error"),
    }.get(state, state)


class PrintersPage(Page):
    def __init__(self, core: KioskCore, guarded: Guarded, who: Callable[[], str]) -> None:
        super().__init__(core, translate("TechnicianPrinters", "Printers"), "technician-printers")
        self.who = who
        self.result = label("", name="technician-printers-result")
        self.column.addWidget(self.result)
        row = ReflowRow()  # side by side while the words fit (care mode, portrait: stacked)
        row.add(button(translate("TechnicianPrinters", "Receipt printer: test page"),
                       "technician-printers-test-receipt",
                       guarded("print_test_page", self._receipt_test)))
        row.add(button(translate("TechnicianPrinters", "A4 printer: test page"),
                       "technician-printers-test-a4",
                       guarded("print_a4_test_page", self._a4_test)))
        self.column.addWidget(row)

    def load(self) -> None:
        self._ask(self.core.technician.printer_facts(), "the printers' figures", self._show)

    def _show(self, facts: PrinterFacts) -> None:
        lines = [
            translate("TechnicianPrinters", "Receipt printer (%1): %2").replace(
                "%1", facts.receipt_where).replace(
                "%2", receipt_words(facts.receipt_status, facts.reports_status)),
        ]
        roll = facts.roll
        if roll is None:
            lines.append(translate("TechnicianPrinters", "The paper counters cannot be read: "
                                   "%1").replace("%1", facts.roll_error))
        elif not roll.known:
            lines.append(translate("TechnicianPrinters", "Printed: %1 receipt(s), %2 m of paper; "
                                   "no roll change recorded yet, so nothing is predicted "
                                   "(press “New paper roll fitted” on the overview when you "
                                   "fit one).").replace("%1", str(roll.jobs)).replace(
                "%2", f"{roll.fed_mm / 1000:.1f}"))
        else:
            lines.append(translate("TechnicianPrinters", "Since the roll was fitted (%1, by %2): "
                                   "%3 receipt(s), %4 m of paper.").replace(
                "%1", roll.fitted_at).replace("%2", roll.fitted_by).replace(
                "%3", str(roll.jobs)).replace("%4", f"{roll.fed_mm / 1000:.1f}"))
            lines.append(translate("TechnicianPrinters", "Left: about %1 receipt(s) (%2 m, %3% "
                                   "of the roll).").replace("%1", str(roll.receipts_left))
                         .replace("%2", f"{roll.left_mm / 1000:.1f}")
                         .replace("%3", f"{roll.fraction_left * 100:.0f}"))
            if roll.attention:
                lines.append("⚠ " + translate("TechnicianPrinters", "The roll is nearly used "
                                              "up: bring a new one."))
        a4 = facts.a4
        if a4 is None:
            lines.append(translate("TechnicianPrinters", "A4 printer: none configured "
                                   "([a4_printer] queue); official proofs cannot print."))
        else:
            lines.append(translate("TechnicianPrinters", "A4 printer (%1): %2").replace(
                "%1", str(a4.get("where", ""))).replace("%2", a4_words(str(a4.get("status", "")))))
            if a4.get("cups_says"):
                lines.append("  CUPS: " + str(a4["cups_says"]))
            lines += [f"⚠ {w}" for w in a4.get("warnings", [])]
        self.body.setText("\n".join(lines))

    def _receipt_test(self) -> None:
        self._job(self.core.print_test_page(), "a receipt test page")

    def _a4_test(self) -> None:
        self._job(self.core.technician.print_a4_test_page(self.who()), "an A4 test page")

    def _job(self, future: Future[PrintOutcome], what: str) -> None:
        self.result.setText(translate("TechnicianPrinters", "Printing…"))

        def done(outcome: PrintOutcome) -> None:
            self.result.setText(translate("TechnicianPrinters", "Printed.") if outcome.printed
                                else translate("TechnicianPrinters", "Not printed: %1")
                                .replace("%1", outcome.message))
            self.load()

        watch(future, what, self, success=done, failure=lambda e: self.result.setText(
            translate("TechnicianPrinters", "The print job failed: %1").replace(
                "%1", f"{type(e).__name__}: {e}")))

    def clear(self) -> None:
        super().clear()
        self.result.clear()
