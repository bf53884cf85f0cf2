"""The technician panel's pages beside the overview: the outbox in detail, the machine, and
the log's last lines. Each page asks the core (off the GUI thread) when it is shown or its
button is pressed; nothing personal is shown (ids, services, states, redacted log lines)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.core import KioskCore
from kiosk.diagnostics.panel_facts import OutboxFacts, SystemFacts

from .operation import watch
from .qt import QCoreApplication, QFontDatabase, QFrame, SpacedColumn
from .scroll_panel import ScrollPanel
from .widgets import button, label

translate = QCoreApplication.translate


def _mib(value: int | None) -> str:
    return "?" if value is None else f"{value / 1024 / 1024:,.0f} MiB"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, _ = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return (f"{days} d " if days else "") + f"{hours} h {minutes:02d} min"


class _Page(QFrame):
    """A heading, a body of text, and buttons; ``load`` asks the core again."""

    def __init__(self, core: KioskCore, heading: str, name: str) -> None:
        super().__init__()
        self.core = core
        self.setObjectName(name)
        self.column = SpacedColumn(self)
        self.column.addWidget(label(heading, role="heading"))
        # The text scrolls: a long settings list or log clipped in care mode on the portrait
        # screen (tests/qt/test_measured_more_screens.py).
        self.text_panel = ScrollPanel(name)
        self.body = label("", name=f"{name}-text")
        self.text_panel.body.addWidget(self.body)
        self.text_panel.body.addStretch(1)
        self.column.addWidget(self.text_panel, 1)

    def load(self) -> None:
        raise NotImplementedError

    def _ask(self, future: Any, what: str, show: Callable[[Any], None]) -> None:
        self.body.setText(translate("TechnicianPages", "Checking…"))
        watch(
            future,
            what,
            self,
            success=show,
            failure=lambda e: self.body.setText(
                translate("TechnicianPages", "The check failed: %1").replace(
                    "%1", f"{type(e).__name__}: {e}"
                )
            ),
        )

    def clear(self) -> None:
        self.body.clear()


class OutboxPage(_Page):
    def __init__(
        self, core: KioskCore, guarded: Callable[[str, Callable[[], Any]], Callable[[], None]]
    ) -> None:
        super().__init__(core, translate("TechnicianPages", "Outbox"), "technician-outbox")
        self.result = label("", name="technician-outbox-result")
        self.column.addWidget(self.result)
        self.column.addWidget(
            button(
                translate("TechnicianPages", "Send the quarantined records again"),
                "technician-requeue",
                guarded("requeue", self._requeue),
            )
        )

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
                    "%1", _duration(facts.oldest_waiting_seconds)
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


class SystemPage(_Page):
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
            .replace("%1", _duration(facts.kiosk_uptime_seconds))
            .replace("%2", _duration(facts.system_uptime_seconds)),
            translate("TechnicianPages", "Processor load (1, 5, 15 min): %1").replace(
                "%1", "?" if facts.load is None else ", ".join(f"{x:.2f}" for x in facts.load)
            ),
            translate("TechnicianPages", "Memory: %1 free of %2")
            .replace("%1", _mib(facts.memory_available_bytes))
            .replace("%2", _mib(facts.memory_total_bytes)),
            translate("TechnicianPages", "Disk (data directory): %1 free of %2")
            .replace("%1", _mib(facts.disk_free_bytes))
            .replace("%2", _mib(facts.disk_total_bytes)),
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


class LogsPage(_Page):
    def __init__(self, core: KioskCore) -> None:
        super().__init__(core, translate("TechnicianPages", "Log (last lines)"), "technician-logs")

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


class NetworkPage(_Page):
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
