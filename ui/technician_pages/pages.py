"""The technician panel's pages beside the overview: the outbox in detail, the machine, and
the log's last lines. Each page asks the core (off the GUI thread) when it is shown or its
button is pressed; nothing personal is shown (ids, services, states, redacted log lines)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.core import KioskCore
from kiosk.diagnostics.panel_facts import OutboxFacts, SystemFacts
from kiosk.diagnostics.usb_jobs import UsbOutcome

from ..operation import watch
from ..qt import QCoreApplication, QFontDatabase
from ..widgets import ReflowRow, button, label
from .base import Guarded, Page, duration, mib
from .usb import StickPicker

translate = QCoreApplication.translate

class OutboxPage(Page):
    def __init__(self, core: KioskCore, guarded: Guarded, who: Callable[[], str]) -> None:
        super().__init__(core, translate("TechnicianPages", "Outbox"), "technician-outbox")
        self.who = who
        self.result = label("", name="technician-outbox-result")
        self.column.addWidget(self.result)
        self.column.addWidget(
            button(
                translate("TechnicianPages", "Send the quarantined records again"),
                "technician-requeue",
                guarded("requeue", self._requeue),
            )
        )
        # A kiosk that cannot reach the platform: waiting records out on a stick, the
        # platform's acknowledgement back (docs/usb-transfer.md).
        self.picker = StickPicker("technician-outbox", core.technician.sticks)
        self.add_scrolling(self.picker)
        row = ReflowRow()  # side by side while the words fit
        row.add(button(translate("TechnicianPages", "Export waiting records to the stick"),
                       "technician-usb-export", guarded("usb_export", self._export)))
        row.add(button(translate("TechnicianPages", "Read the acknowledgement back"),
                       "technician-usb-read-acks", guarded("usb_read_acks", self._acks)))
        self.add_scrolling(row)

    def _export(self) -> None:
        desk = self.core.technician
        self.picker.job(lambda stick: desk.export_outbox(self.who(), stick),
                        "exporting the outbox to a USB stick", _exported)

    def _acks(self) -> None:
        desk = self.core.technician
        self.picker.job(lambda stick: desk.read_acks(self.who(), stick),
                        "reading acknowledgements from a USB stick", _acks_read, self.load)

    def load(self) -> None:
        self._ask(self.core.outbox_facts(), "the outbox's figures", self._show)

    def _show(self, facts: OutboxFacts) -> None:
        lines = [
            translate(
                "TechnicianPages", "Waiting: %1, being sent: %2, delivered: %3, quarantined: %4"
            )
            .replace("%1", str(facts.counts.get("pending", 0)))
            .replace("%2", str(facts.counts.get("sending", 0)))
            .replace("%3", str(facts.counts.get("acked", 0)))
            .replace("%4", str(facts.counts.get("quarantined", 0)))
        ]
        if facts.oldest_waiting_seconds is not None:
            lines.append(
                translate("TechnicianPages", "The oldest record has waited %1.").replace(
                    "%1", duration(facts.oldest_waiting_seconds)
                )
            )
        if facts.quarantined:
            lines.append(translate("TechnicianPages", "Quarantined (newest first):"))
            lines += [f"  {q.id[:13]}…  {q.service_code}  {q.reason}" for q in facts.quarantined]
        else:
            lines.append(translate("TechnicianPages", "Nothing is quarantined."))
        self.body.setText("\n".join(lines))

    def _requeue(self) -> None:
        watch(
            self.core.requeue_quarantined(),
            "sending quarantined records again",
            self,
            success=self._requeued,
            failure=lambda e: self.result.setText(
                translate("TechnicianPages", "Not done: %1").replace(
                    "%1", f"{type(e).__name__}: {e}"
                )
            ),
        )

    def _requeued(self, count: int) -> None:
        self.result.setText(
            translate("TechnicianPages", "%1 record(s) will be sent at the next sync.").replace(
                "%1", str(count)
            )
        )
        self.load()

    def clear(self) -> None:
        super().clear()
        self.result.clear()
        self.picker.clear()


def _exported(outcome: UsbOutcome) -> str:
    return translate("TechnicianPages", "%1 waiting record(s) written to the stick, signed "
                     "and sealed. The stick is unmounted: take it to the platform.").replace(
        "%1", str(outcome.figures.get("records", 0)))


def _acks_read(outcome: UsbOutcome) -> str:
    figures = outcome.figures
    text = (translate("TechnicianPages", "Acknowledged by the platform: %1 record(s); refused "
                      "(now quarantined): %2; already settled: %3. The stick is unmounted.")
            .replace("%1", str(figures.get("acked", 0)))
            .replace("%2", str(figures.get("quarantined", 0)))
            .replace("%3", str(figures.get("unknown", 0))))
    if figures.get("refused"):
        text += " " + translate("TechnicianPages", "%1 acknowledgement file(s) could not be "
                                "used (not signed by this kiosk's platform): see the log."
                                ).replace("%1", str(figures["refused"]))
    return text


class SystemPage(Page):
    def __init__(self, core: KioskCore, voice_state: Callable[[], str]) -> None:
        super().__init__(core, translate("TechnicianPages", "System"), "technician-system")
        self.voice_state = voice_state

    def load(self) -> None:
        self._ask(self.core.system_facts(), "the system's figures", self._show)

    def _show(self, facts: SystemFacts) -> None:
        cjk = _has_cjk_font()
        lines = [
            translate("TechnicianPages", "Kiosk software %1 (Python %2) on %3")
            .replace("%1", facts.version)
            .replace("%2", facts.python)
            .replace("%3", facts.machine),
            translate("TechnicianPages", "Running for %1; the machine for %2")
            .replace("%1", duration(facts.kiosk_uptime_seconds))
            .replace("%2", duration(facts.system_uptime_seconds)),
            translate("TechnicianPages", "Processor load (1, 5, 15 min): %1").replace(
                "%1", "?" if facts.load is None else ", ".join(f"{x:.2f}" for x in facts.load)
            ),
            translate("TechnicianPages", "Memory: %1 free of %2")
            .replace("%1", mib(facts.memory_available_bytes))
            .replace("%2", mib(facts.memory_total_bytes)),
            translate("TechnicianPages", "Disk (data directory): %1 free of %2")
            .replace("%1", mib(facts.disk_free_bytes))
            .replace("%2", mib(facts.disk_total_bytes)),
            translate("TechnicianPages", "Chinese font: %1").replace(
                "%1",
                translate("TechnicianPages", "present")
                if cjk
                else translate("TechnicianPages", "MISSING: install fonts-noto-cjk"),
            ),
            translate("TechnicianPages", "Voice: %1").replace("%1", self.voice_state()),
            translate("TechnicianPages", "Settings:"),
            *[f"  {key} = {value}" for key, value in facts.settings],
        ]
        self.body.setText("\n".join(lines))


class LogsPage(Page):
    def __init__(self, core: KioskCore, guarded: Guarded, who: Callable[[], str]) -> None:
        super().__init__(core, translate("TechnicianPages", "Log (last lines)"), "technician-logs")
        self.who = who
        self.picker = StickPicker("technician-logs", core.technician.sticks)
        self.add_scrolling(self.picker)
        self.add_scrolling(button(
            translate("TechnicianPages", "Export the log and the diagnostic report to the stick"),
            "technician-logs-export", guarded("export_logs", self._export)))

    def _export(self) -> None:
        desk = self.core.technician
        self.picker.job(lambda stick: desk.export_logs(self.who(), stick),
                        "exporting the log to a USB stick", lambda outcome: translate(
                            "TechnicianPages", "%1 log line(s) (redacted) and the diagnostic "
                            "report written to the stick. The stick is unmounted.").replace(
                            "%1", str(outcome.figures.get("lines", 0))))

    def clear(self) -> None:
        super().clear()
        self.picker.clear()

    def load(self) -> None:
        self._ask(self.core.recent_log_lines(), "the log", self._show)

    def _show(self, lines: list[str]) -> None:
        self.body.setText(
            "\n".join(lines) if lines else translate("TechnicianPages", "The log is empty.")
        )


def _has_cjk_font() -> bool:
    """A font on this machine can draw Chinese (what Qt will pick for it)."""
    for family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        if family:
            return True
    return False


class NetworkPage(Page):
    def __init__(self, core: KioskCore) -> None:
        super().__init__(core, translate("TechnicianPages", "Network and platform"),
                         "technician-network")

    def load(self) -> None:
        self._ask(self.core.network_facts(), "the network check", self._show)

    def _show(self, facts: dict[str, Any]) -> None:
        platform, sync = facts["platform"], facts["sync"]
        never = translate("TechnicianPages", "never since the kiosk started")
        lines = [
            translate("TechnicianPages", "Platform: %1").replace("%1", platform["url"]),
            platform["detail"],
        ]
        if "latency_ms" in platform:
            lines.append(translate("TechnicianPages", "Answer time: %1 ms")
                         .replace("%1", f"{platform['latency_ms']:.0f}"))
        if "certificate_expires_in_days" in platform:
            lines.append(translate("TechnicianPages", "TLS certificate valid for %1 more day(s)")
                         .replace("%1", f"{platform['certificate_expires_in_days']:.0f}"))
        if "clock_offset_seconds" in platform:
            lines.append(translate("TechnicianPages", "Clock difference to the platform: %1 s")
                         .replace("%1", f"{platform['clock_offset_seconds']:+.0f}"))
        lines += [f"⚠ {w}" for w in platform.get("warnings", [])]
        lines.append(translate("TechnicianPages", "Last upload that went through: %1").replace(
            "%1", sync.last_success_at.isoformat(timespec="seconds")
            if sync.last_success_at else never))
        if sync.last_error:
            lines.append(translate("TechnicianPages", "Last error (%1 in a row): %2")
                         .replace("%1", str(sync.consecutive_failures))
                         .replace("%2", sync.last_error))
        self.body.setText("\n".join(lines))
