"""Device faults as audit entries: a transition into a fault, between faults, and out of it.

The card readers (PC/SC, GA/T 467), the QR code scanner and the A4 printer are looked at in
every round of the kiosk's health snapshot (``[kiosk] health_seconds``), from the same report
the technician panel shows (:func:`faults_in_report`); the receipt printer reports its own
status changes (:meth:`kiosk.core.KioskCore._printer_changed`). :class:`DeviceFaults` keeps
each device's last state and records only a change: ``device.fault`` when a device goes into a
fault (or from one fault into another), ``device.recovered`` when it is fine again — never an
entry per poll. A device's first look records a fault it is already in, not that it is fine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

FINE = None  # the state of a device without a fault
Record = Callable[[str, str, Mapping[str, Any]], None]  # kind, actor, details


class DeviceFaults:
    """The last known state of each device, and the audit entries of its transitions."""

    def __init__(self, record: Record) -> None:
        self._record = record
        self._state: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def observe(self, device: str, fault: str | None, details: Mapping[str, Any] | None = None
                ) -> str | None:
        """``fault``: a short status word (``absent``, ``paper_out``, ``jammed``...), or None
        when fine. Returns the kind of entry recorded, or None."""
        with self._lock:
            known = device in self._state
            before = self._state.get(device)
            self._state[device] = fault
        if fault == before and known:
            return None
        if fault is None:
            if not known:
                return None  # first seen fine: nothing happened
            kind, extra = "device.recovered", {"was": before}
        else:
            kind, extra = "device.fault", ({"was": before} if before is not None else {})
        self._record(kind, "kiosk", {"device": device, "status": fault or "ok", **extra,
                                     **dict(details or {})})
        return kind


def faults_in_report(report: Mapping[str, Any]) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """``{device: (fault or None, details)}`` for the readers, scanners and the A4 printer of a
    health report (:func:`kiosk.diagnostics.health.live_report`); the receipt printer is not
    here (it reports its own changes)."""
    found: dict[str, tuple[str | None, dict[str, Any]]] = {}
    for reader in (report.get("reader") or {}).get("readers") or []:
        # by backend, not by name: a PC/SC reader is its configured prefix while it is
        # missing and its full name once found
        name = f"card reader {reader.get('backend')}"
        while name in found:
            name += "+"
        fault = None if reader.get("present") else "absent"
        found[name] = (fault, {"name": str(reader.get("name") or ""),
                               "detail": str(reader.get("detail") or "")})
    for scanner in (report.get("scanner") or {}).get("scanners") or []:
        name = f"QR code scanner {scanner.get('name')}"
        fault = None if scanner.get("present") else "absent"
        found[name] = (fault, {"detail": str(scanner.get("detail") or "")})
    a4 = report.get("a4_printer")
    if isinstance(a4, Mapping) and "ok" in a4:
        name = f"A4 printer {a4.get('queue')}"
        found[name] = (None if a4.get("ok") else str(a4.get("status") or "fault"),
                       {"detail": str(a4.get("detail") or "")})
    return found


def observe_report(faults: DeviceFaults, report: Mapping[str, Any]) -> list[str]:
    """Feed one health report's devices to ``faults``; the kinds of entries recorded."""
    recorded = []
    for device, (fault, details) in faults_in_report(report).items():
        kind = faults.observe(device, fault, details)
        if kind is not None:
            recorded.append(kind)
    return recorded
