"""``kiosk diagnose``: every device, the outbox and the platform, in words a technician reads.

Read-only: it never takes the outbox's writer lock, so it runs beside a live kiosk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from devices.pcsc_host import VPCD_CONFIG, pcsc_unavailable_reason
from devices.printer import PrinterStatus
from sync.client import PlatformAuthError, PlatformError
from sync.outbox import peek_counts
from sync.outbox_recovery import recovery_reports

from .clock import SystemClock
from .config import Config, ConfigError
from .enrolment import platform_client
from .technician import staff_warnings
from .wiring import build_printer


def diagnose(config: Config) -> dict[str, Any]:
    kiosk_warnings = staff_warnings(config, SystemClock())
    report: dict[str, Any] = {
        "kiosk": {"id": config.kiosk.id, "code": config.kiosk.code, "warnings": kiosk_warnings},
        "reader": check_reader(config),
        "printer": check_printer(config),
        "outbox": check_outbox(config),
        "platform": check_platform(config),
    }
    report["ok"] = all(report[k]["ok"] for k in ("reader", "printer", "outbox", "platform"))
    return report


def check_reader(config: Config) -> dict[str, Any]:
    out: dict[str, Any] = {"backend": config.reader.backend, "wanted": config.reader.pcsc_reader}
    warnings: list[str] = []
    if VPCD_CONFIG.exists():
        warnings.append(
            "the vpcd virtual reader driver is installed: it accepts forged cards from the "
            "network and belongs on development and demo machines only"
        )
    if config.reader.backend == "simulated":
        out.update(ok=True, readers=[], detail="simulated card reader (not real hardware)")
        out["warnings"] = warnings
        return out
    reason = pcsc_unavailable_reason()
    try:
        from smartcard.System import readers

        names = [str(r) for r in readers()]
    except Exception as exc:  # pyscard raises several types when pcscd is absent
        names = []
        detail = f"PC/SC service not reachable ({type(exc).__name__})"
        if reason:
            detail += f"; {reason}; the demo falls back to a simulated reader"
        out.update(ok=False, readers=names, detail=detail, warnings=warnings)
        return out
    found = any(n.startswith(config.reader.pcsc_reader) for n in names)
    detail = (
        f"reader '{config.reader.pcsc_reader}' present"
        if found
        else f"reader '{config.reader.pcsc_reader}' not found among {len(names)} reader(s)"
    )
    out.update(ok=found, readers=names, detail=detail, warnings=warnings)
    return out


def check_printer(config: Config) -> dict[str, Any]:
    try:
        printer = build_printer(config)
    except ConfigError as exc:
        return {"ok": False, "status": "unknown", "where": config.printer.backend,
                "detail": f"not set up: {exc}"}
    status = printer.status()
    words = {
        PrinterStatus.OK: "ready",
        PrinterStatus.PAPER_NEAR_END: "ready, but the paper roll is nearly used up",
        PrinterStatus.PAPER_OUT: "out of paper",
        PrinterStatus.COVER_OPEN: "the cover is open",
        PrinterStatus.OFFLINE: "offline",
        PrinterStatus.ERROR: "in error (cutter or mechanism)",
        PrinterStatus.UNKNOWN: "did not answer a status query (not connected or switched off)",
    }
    ok = status in (PrinterStatus.OK, PrinterStatus.PAPER_NEAR_END)
    detail = words[status]
    if status is PrinterStatus.UNKNOWN and not printer.reports_status:
        ok, detail = True, "cannot report its status (file or spooler); prints without checking"
    return {"ok": ok, "status": status.value, "where": printer.describe(), "detail": detail}


def check_outbox(config: Config) -> dict[str, Any]:
    path = config.outbox_path
    warnings = [
        f"recovered from damage on {r.detected_at}: {r.describe()}" for r in recovery_reports(path)
    ]
    if not path.exists():
        return {"ok": True, "path": str(path), "counts": {}, "detail": "no outbox yet (new kiosk)",
                "warnings": warnings}
    try:
        counts, oldest = peek_counts(path)
    except Exception as exc:
        return {"ok": False, "path": str(path), "counts": {}, "detail": f"unreadable: {exc}",
                "warnings": warnings}
    free = _free_bytes(path.parent)
    waiting = counts.get("pending", 0) + counts.get("sending", 0)
    sync = config.sync
    if oldest is not None and oldest > sync.backlog_warn_hours * 3600:
        warnings.append(f"the oldest record has waited {oldest / 3600:.1f} h for the platform")
    if waiting >= sync.backlog_warn_count:
        warnings.append(f"{waiting} records wait for the platform "
                        f"(new ones are refused at {sync.backlog_max_count})")
    if counts.get("quarantined", 0):
        warnings.append(f"{counts['quarantined']} record(s) quarantined: see kiosk outbox list")
    return {
        "ok": True,
        "path": str(path),
        "counts": counts,
        "oldest_pending_seconds": oldest,
        "disk_free_bytes": free,
        "warnings": warnings,
        "detail": f"{waiting} waiting, "
        f"{counts.get('acked', 0)} delivered, {counts.get('quarantined', 0)} quarantined",
    }


def check_platform(config: Config) -> dict[str, Any]:
    out: dict[str, Any] = {"url": config.platform.url, "warnings": []}
    try:
        client = platform_client(config)
    except ConfigError as exc:
        return {**out, "ok": False, "reachable": False, "detail": str(exc)}
    try:
        reachable = client.ping()
        out["reachable"] = reachable
        if not reachable:
            return {**out, "ok": False,
                    "detail": "not reachable (submissions wait in the outbox)"}
        if client.signer is None:
            out["warnings"].append("this kiosk has no key yet: run kiosk keys init, kiosk enroll")
            return {**out, "ok": True, "enrolled": False, "detail": "reachable"}
        try:
            me = client.whoami()
        except PlatformAuthError as exc:
            out.update(ok=False, enrolled=exc.reason not in ("unknown_kiosk", "revoked"),
                       auth_problem=exc.reason, detail=_auth_words(exc))
            if exc.offset_seconds is not None:
                out["clock_offset_seconds"] = round(exc.offset_seconds, 1)
            return out
        except PlatformError as exc:
            detail = f"reachable, but the identity check failed: {exc}"
            return {**out, "ok": False, "detail": detail}
        out.update(ok=True, enrolled=True, clock_offset_seconds=round(me.offset_seconds, 1),
                   detail=f"reachable; signed in as {me.kiosk_id}; clock within "
                   f"{abs(me.offset_seconds):.0f} s of the platform")
        return out
    finally:
        client.close()


def _auth_words(exc: PlatformAuthError) -> str:
    if exc.reason == "clock_skew":
        offset = exc.offset_seconds or 0.0
        side = "behind" if offset > 0 else "ahead of"
        return (f"clock problem: this kiosk's clock is {abs(offset):.0f} s {side} the platform; "
                "records stay queued until the clock is set right")
    if exc.reason == "revoked":
        return "the platform has revoked this kiosk's key: re-enrol with a new token"
    if exc.reason == "unknown_kiosk":
        return "the platform does not know this kiosk: run kiosk enroll"
    return f"the platform refused this kiosk's signature ({exc.reason})"


def _free_bytes(path: Path) -> int | None:
    try:
        st = os.statvfs(path)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize


def render_text(report: dict[str, Any]) -> str:
    lines = [f"kiosk {report['kiosk']['id']} ({report['kiosk']['code']})"]
    lines += [f"       warning: {w}" for w in report["kiosk"].get("warnings", [])]
    for key in ("reader", "printer", "outbox", "platform"):
        part = report[key]
        mark = "OK  " if part["ok"] else "FAIL"
        lines.append(f"[{mark}] {key}: {part['detail']}")
        for warning in part.get("warnings", []):
            lines.append(f"       warning: {warning}")
    return "\n".join(lines)
