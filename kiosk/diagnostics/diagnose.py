"""``kiosk diagnose``: every device, the outbox and the platform, in words a technician reads.

Read-only: it never takes the outbox's writer lock, so it runs beside a live kiosk. While a
kiosk runs on this data directory, its devices are its own: the reader and printer parts come
from the health snapshot it publishes (``kiosk.diagnostics.health``), and no device port is
opened here.
Only when no kiosk runs does diagnose probe the hardware itself.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from devices.cards.pcsc.host import VPCD_CONFIG, pcsc_unavailable_reason
from kiosk.assembly import build_printer
from kiosk.catalog import load_catalog
from kiosk.catalog.status import catalog_part
from kiosk.config import Config, ConfigError
from kiosk.diagnostics.disk import disk_part
from kiosk.diagnostics.grading import ATTENTION, FAILING, OK, grade, part_status
from kiosk.diagnostics.health import (
    PARTS,
    backlog_part,
    printer_part,
    read_snapshot,
    running_kiosk_pid,
    scanners_part,
)
from kiosk.outbox_settings import backlog_limits
from kiosk.platform_link.downlink import catalog_dir
from kiosk.platform_link.enrolment import identity_dir, platform_client
from kiosk.staff.call_report import calls_part
from kiosk.staff.sign_in import staff_warnings
from sync.clock import SystemClock
from sync.file_modes import loose_modes, sqlite_files
from sync.kiosk_keys import PRIVATE_KEY_FILE
from sync.outbox.peek import peek_backlog, peek_counts, peek_messages
from sync.outbox.recovery import recovery_reports
from sync.platform.errors import PlatformAuthError, PlatformError
from sync.platform.signing import MAX_SKEW_SECONDS
from sync.platform.tls import certificate_expiry, describe_tls_failure

GAT467_PROBE_SECONDS = 3.0
SCANNER_PROBE_SECONDS = 1.5
REPORT_PARTS = (*PARTS, "catalog")


def kiosk_part(config: Config) -> dict[str, Any]:
    kiosk_warnings = staff_warnings(config, SystemClock())
    kiosk_warnings += check_modes(config)
    return {"id": config.kiosk.id, "code": config.kiosk.code, "warnings": kiosk_warnings}


def diagnose(config: Config) -> dict[str, Any]:
    pid = running_kiosk_pid(config)
    report: dict[str, Any]
    if pid is None:
        report = {
            "source": "probed",
            "kiosk": kiosk_part(config),
            "reader": check_reader(config),
            "scanner": check_scanner(config),
            "printer": check_printer(config),
        }
    else:
        report = {"source": f"running kiosk (pid {pid})", "kiosk": kiosk_part(config),
                  **from_running_kiosk(config, pid)}
    add_paper(config, report["printer"])
    if config.a4_printer.queue:
        # Read-only questions to cupsd, which owns the printer: asked beside a running kiosk too.
        report["a4_printer"] = check_a4_printer(config)
    report["outbox"] = check_outbox(config)
    report["calls"] = check_calls(config)
    report["platform"] = check_platform(config)
    report["disk"] = disk_part(config)
    report["catalog"] = check_catalog(config)
    return grade(report, REPORT_PARTS)


def from_running_kiosk(config: Config, pid: int) -> dict[str, Any]:
    """Reader, printer and sync link as the running kiosk last published them."""
    snapshot = read_snapshot(config)
    stale = 3 * config.kiosk.health_seconds + 5
    if snapshot is None or snapshot["age_seconds"] > stale:
        why = ("has published no health snapshot" if snapshot is None
               else f"last published its health {snapshot['age_seconds']:.0f} s ago")
        detail = (f"the kiosk (pid {pid}) runs but {why}: it may be hung; its devices are not "
                  "opened from here")
        part = {"ok": False, "detail": detail, "warnings": []}
        return {"reader": dict(part), "scanner": dict(part), "printer": dict(part),
                "sync": dict(part)}
    age = f"as the running kiosk saw it {snapshot['age_seconds']:.0f} s ago"
    parts = {}
    for key in ("reader", "scanner", "printer", "sync"):
        part = dict(snapshot.get(key) or {"ok": False, "detail": "missing from the snapshot"})
        part["detail"] = f"{part.get('detail', '')} ({age})"
        parts[key] = part
    return parts
def check_modes(config: Config) -> list[str]:
    """Data directory, keys and outbox that other accounts could read (the kiosk fixes them
    when it starts; diagnose only reports)."""
    idir = identity_dir(config)
    paths = [config.data_dir, idir, idir / PRIVATE_KEY_FILE, *sqlite_files(config.outbox_path)]
    return [f"{words}; the kiosk corrects it when it starts" for words in loose_modes(paths)]


def check_reader(config: Config) -> dict[str, Any]:
    out = check_pcsc_reader(config)
    if config.reader.gat467_port:
        id_reader = check_gat467_reader(config)
        out["readers"] = [*out.get("readers", []), id_reader["name"]]
        out["detail"] += f"; {id_reader['detail']}"
        out["ok"] = out["ok"] and id_reader["ok"]
    return out


def check_gat467_reader(config: Config) -> dict[str, Any]:
    """Open the ID card reader's port for a few seconds and ask it and its SAM how they are."""
    from devices.cards.gat467.reader import Gat467CardReader

    reader = Gat467CardReader(config.reader.gat467_port, config.reader.gat467_baud)
    reader.start()
    try:
        deadline = time.monotonic() + GAT467_PROBE_SECONDS
        status = reader.status()
        while time.monotonic() < deadline and not (status.present and reader.sam_id):
            time.sleep(0.1)
            status = reader.status()
    finally:
        reader.stop()
    return {"ok": status.present and bool(reader.sam_id), "name": status.name,
            "detail": status.detail}


def check_scanner(config: Config) -> dict[str, Any]:
    """Open the QR code scanner's port for a moment (a scanner says nothing until a code is
    held under it, so an open port is all that can be known without a citizen)."""
    from kiosk.assembly import build_scanners

    try:
        scanners = build_scanners(config)
    except ConfigError as exc:
        return {"ok": False, "scanners": [], "detail": str(exc), "warnings": []}
    for scanner in scanners:
        scanner.start()
    try:
        deadline = time.monotonic() + SCANNER_PROBE_SECONDS
        while time.monotonic() < deadline and not all(s.status().present for s in scanners):
            time.sleep(0.05)
        return scanners_part(scanners)
    finally:
        for scanner in scanners:
            scanner.stop()


def check_pcsc_reader(config: Config) -> dict[str, Any]:
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
    return printer_part(printer, printer.status())


A4_WORDS = {
    "ready": "ready",
    "printing": "printing",
    "paper_out": "out of paper: load A4 paper",
    "jam": "paper jam: open the printer and take out the sheet",
    "cover_open": "a cover or door is open",
    "no_toner": "out of toner or ink",
    "offline": "offline",
    "not_configured": "no such queue",
    "error": "in error",
}


def check_a4_printer(config: Config) -> dict[str, Any]:
    """The A4 printer for official proofs: its CUPS queue's state and printer-state-reasons
    (``lpstat``; nothing is printed). Failing when a proof could not print now."""
    from devices.printers.cups_a4 import NO_SCHEDULER, A4State, CupsA4Printer, state_of_reasons

    settings = config.a4_printer
    status = CupsA4Printer(settings).status()
    state = status.state.value
    where = f"CUPS queue '{settings.queue}'" + (f" on {settings.server}" if settings.server
                                                  else "")
    words = A4_WORDS[state]
    warnings: list[str] = []
    if status.state is A4State.OFFLINE:
        if status.detail == NO_SCHEDULER:
            words = "CUPS is not running (cupsd does not answer)"
        elif " disabled since" in status.detail:
            words = f"offline: the queue is stopped (cupsenable {settings.queue})"
        elif status.detail.startswith("lpstat:"):
            words = f"CUPS cannot be asked ({status.detail})"
    elif status.state is A4State.NOT_CONFIGURED:
        words = f"no such queue: CUPS does not know '{settings.queue}'"
    elif status.printing_job:
        words = f"printing ({status.printing_job})" if status.state is A4State.PRINTING else \
            f"{words} (while printing {status.printing_job})"
    left = state_of_reasons(status.reasons)
    if status.state is A4State.READY and left is not None:
        # CUPS keeps what a backend said until its next job: worth a look, not yet a fault.
        warnings.append(f"the printer last reported {A4_WORDS[left.value].split(':')[0]} "
                        f"({', '.join(status.reasons)}); CUPS keeps it until the next job")
    elif status.state in (A4State.READY, A4State.PRINTING):
        warnings += [f"the printer reports {reason}" for reason in status.reasons
                     if reason.endswith("-warning")]
    ok = status.state in (A4State.READY, A4State.PRINTING)
    return {"ok": ok, "status": state, "reasons": list(status.reasons), "queue": settings.queue,
            "where": where, "detail": f"{words}; {where}", "cups_says": status.detail,
            "warnings": warnings}


def add_paper(config: Config, part: dict[str, Any]) -> None:
    """The roll's counters and prediction (``kiosk.paper_roll``); under 10 % left is attention."""
    from kiosk.paper_roll import paper_part

    paper, warnings = paper_part(config.data_dir, config.printer)
    part["paper"] = paper
    if warnings:
        part["warnings"] = [*part.get("warnings", []), *warnings]


def check_outbox(config: Config) -> dict[str, Any]:
    path = config.outbox_path
    warnings = [
        f"recovered from damage on {r.detected_at}: {r.describe()}" for r in recovery_reports(path)
    ]
    if not path.exists():
        return {"ok": True, "path": str(path), "counts": {}, "detail": "no outbox yet (new kiosk)",
                "warnings": warnings}
    try:
        counts, _ = peek_counts(path)
        backlog = peek_backlog(path, backlog_limits(config))
    except Exception as exc:
        return {"ok": False, "path": str(path), "counts": {}, "detail": f"unreadable: {exc}",
                "warnings": warnings}
    part = backlog_part(backlog, counts, path)
    part["warnings"] = warnings + part["warnings"]
    part["disk_free_bytes"] = _free_bytes(path.parent)
    return part


def check_calls(config: Config) -> dict[str, Any]:
    """Open staff calls and waiting messages, read from the outbox file (read-only)."""
    if not config.outbox_path.exists():
        return calls_part([], {}, SystemClock().now())
    try:
        calls, counts = peek_messages(config.outbox_path)
    except Exception as exc:
        return {"ok": False, "open": 0, "detail": f"unreadable: {exc}", "warnings": []}
    return calls_part(calls, counts, SystemClock().now())


def check_catalog(config: Config) -> dict[str, Any]:
    """The catalogue in use and the last one refused, as the kiosk recorded them."""
    try:
        installed: str | None = load_catalog().version
    except Exception:  # a broken installation is reported, not raised
        installed = None
    return catalog_part(catalog_dir(config), installed)


def check_platform(config: Config) -> dict[str, Any]:
    out: dict[str, Any] = {"url": config.platform.url, "warnings": []}
    try:
        client = platform_client(config)
    except ConfigError as exc:
        return {**out, "ok": False, "reachable": False, "detail": str(exc)}
    try:
        started = time.monotonic()
        reachable = client.ping()
        out["reachable"] = reachable
        if not reachable:
            why = _tls_trouble(config)
            return {**out, "ok": False,
                    "detail": "not reachable (submissions wait in the outbox)"
                    + (f": {why}" if why else "")}
        out["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
        _check_certificate(config, out)
        if client.signer is None:
            out["warnings"].append("this kiosk has no key yet: run kiosk keys init, kiosk enroll")
            return {**out, "ok": True, "enrolled": False, "detail": "reachable"}
        try:
            me = client.whoami()
        except PlatformAuthError as exc:
            not_enrolled = ("unknown_kiosk", "revoked", "bad_signature")
            out.update(ok=False, enrolled=exc.reason not in not_enrolled,
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
        if abs(me.offset_seconds) > CLOCK_WARNING_SECONDS:
            out["warnings"].append(_drift_words(me.offset_seconds))
        return out
    finally:
        client.close()


CERTIFICATE_WARNING_DAYS = 30
# A clock this far off still signs in, but is on its way to MAX_SKEW_SECONDS, where the
# platform refuses every signed request (records stay queued).
CLOCK_WARNING_SECONDS = 60


def _drift_words(offset: float) -> str:
    side = "behind" if offset > 0 else "ahead of"  # offset: platform clock minus ours
    return (f"this kiosk's clock is {abs(offset):.0f} s {side} the platform; at "
            f"{MAX_SKEW_SECONDS} s the platform refuses its records: set the clock (NTP)")


def _check_certificate(config: Config, out: dict[str, Any]) -> None:
    """The platform certificate's expiry, and a warning a month ahead (the kiosk stops
    uploading the day it expires)."""
    try:
        expiry = certificate_expiry(config.platform.url, config.platform.ca_bundle)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        out["warnings"].append(f"the TLS certificate could not be read: {exc}")
        return
    if expiry is None:
        return
    days = (expiry - time.time()) / 86400
    out["certificate_expires_in_days"] = round(days, 1)
    if days < CERTIFICATE_WARNING_DAYS:
        when = time.strftime("%Y-%m-%d", time.gmtime(expiry))
        out["warnings"].append(
            f"the platform's TLS certificate expires in {max(days, 0):.0f} day(s), on {when} "
            "(UTC): ask the platform's operator to renew it; uploads stop the day it expires")


def _tls_trouble(config: Config) -> str | None:
    """Why an https platform does not answer, when its TLS handshake is the reason (an
    expired or untrusted certificate); None for plain HTTP or a platform that is just gone."""
    import ssl

    try:
        certificate_expiry(config.platform.url, config.platform.ca_bundle, timeout=3.0)
    except ssl.SSLError as exc:
        return describe_tls_failure(exc)
    except (OSError, ValueError):  # not listening, no route, a bundle that is not there
        return None
    return None


def _auth_words(exc: PlatformAuthError) -> str:
    if exc.reason == "clock_skew":
        offset = exc.offset_seconds or 0.0
        side = "behind" if offset > 0 else "ahead of"
        return (f"clock problem: this kiosk's clock is {abs(offset):.0f} s {side} the platform; "
                "records stay queued until the clock is set right")
    if exc.reason == "revoked":
        return "the platform has revoked this kiosk's key: re-enrol with a new token"
    if exc.reason in ("unknown_kiosk", "bad_signature"):
        # The platform answers an unknown kiosk id exactly like a wrong key, on purpose.
        return ("the platform does not accept this kiosk's key (not enrolled, or enrolled with "
                "another key): ask the operator for a token and run kiosk enroll")
    return f"the platform refused this kiosk's signature ({exc.reason})"


def _free_bytes(path: Path) -> int | None:
    try:
        st = os.statvfs(path)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize


def render_text(report: dict[str, Any]) -> str:
    lines = [f"kiosk {report['kiosk']['id']} ({report['kiosk']['code']}); "
             f"devices {report.get('source', 'probed')}"]
    lines += [f"       warning: {w}" for w in report["kiosk"].get("warnings", [])]
    for key in (k for k in REPORT_PARTS if k in report):
        part = report[key]
        mark = {OK: "OK  ", ATTENTION: "WARN"}.get(part.get("health", part_status(part)), "FAIL")
        lines.append(f"[{mark}] {key}: {part['detail']}")
        if isinstance(part.get("paper"), dict):
            lines.append(f"       paper: {part['paper'].get('detail', '')}")
        for warning in part.get("warnings", []):
            lines.append(f"       warning: {warning}")
    lines.append(f"overall: {report.get('health', FAILING)}")
    return "\n".join(lines)
