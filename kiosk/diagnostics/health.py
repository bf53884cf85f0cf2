"""The running kiosk's health as it sees it: live devices, the sync link, the backlog verdict.

Inside the kiosk, the technician panel reads :func:`live_report` over the kiosk's own
devices and worker. A second process (``kiosk diagnose`` beside a live kiosk) cannot see those
devices and must not open their ports, so the kiosk also publishes the same report as a
snapshot file, ``health.json`` in its data directory (0600, replaced atomically), every
``[kiosk] health_seconds``; :func:`read_snapshot` reads it back with its age. The printer is asked
for its status on the kiosk's one device job thread, so a status query never meets a print.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.cards.base import CardReader
from devices.printers.base import PrinterStatus, ReceiptPrinter
from devices.scanners.base import CodeScanner
from kiosk.config import Config
from kiosk.staff.call_report import calls_part
from sync import atomic_file
from sync.outbox.policy import BacklogStatus

if TYPE_CHECKING:
    from kiosk.core import KioskCore
    from sync.worker import SyncHealth

log = logging.getLogger(__name__)
SNAPSHOT_NAME = "health.json"
PARTS = ("reader", "scanner", "printer", "a4_printer", "outbox", "platform", "sync", "calls",
         "disk")
PRINTER_WORDS = {
    PrinterStatus.OK: "ready",
    PrinterStatus.PAPER_NEAR_END: "ready, but the paper roll is nearly used up",
    PrinterStatus.PAPER_OUT: "out of paper",
    PrinterStatus.COVER_OPEN: "the cover is open",
    PrinterStatus.OFFLINE: "offline",
    PrinterStatus.ERROR: "in error (cutter or mechanism)",
    PrinterStatus.UNKNOWN: "did not answer a status query (not connected or switched off)",
}


def printer_part(printer: ReceiptPrinter, status: PrinterStatus | None) -> dict[str, Any]:
    """Words for one printer status; ``None``: not asked yet since the kiosk started."""
    if status is None:
        return {"ok": True, "status": "unknown", "where": printer.describe(),
                "detail": "not asked yet since the kiosk started"}
    ok = status in (PrinterStatus.OK, PrinterStatus.PAPER_NEAR_END)
    detail = PRINTER_WORDS[status]
    if status is PrinterStatus.UNKNOWN and not getattr(printer, "reports_status", True):
        ok, detail = True, "cannot report its status (file or spooler); prints without checking"
    return {"ok": ok, "status": status.value, "where": printer.describe(), "detail": detail}


def readers_part(readers: list[CardReader], backend: str) -> dict[str, Any]:
    """Every live reader's own status (no I/O: each reader reports what its worker knows)."""
    statuses = [r.status() for r in readers]
    missing = [s for s in statuses if not s.present]
    detail = "; ".join(s.detail for s in statuses) or "no card reader configured"
    return {
        "ok": bool(statuses) and not missing,
        "backend": backend,
        "readers": [
            {"backend": s.backend, "name": s.name, "present": s.present,
             "card_present": s.card_present, "detail": s.detail}
            for s in statuses
        ],
        "detail": detail,
        "warnings": [],
    }


def scanners_part(scanners: list[CodeScanner]) -> dict[str, Any]:
    """The QR code scanner's own status (no I/O), or that the kiosk has none (not a fault:
    the ways to identify without one remain)."""
    if not scanners:
        return {"ok": True, "scanners": [], "detail": "no QR code scanner configured "
                "([scanner] port): electronic card codes and receipt QR codes cannot be read",
                "warnings": []}
    statuses = [s.status() for s in scanners]
    return {
        "ok": all(s.present for s in statuses),
        "scanners": [{"backend": s.backend, "name": s.name, "present": s.present,
                      "codes_read": s.codes_read, "detail": s.detail} for s in statuses],
        "detail": "; ".join(s.detail for s in statuses),
        "warnings": [],
    }


def backlog_part(status: BacklogStatus, counts: dict[str, int], path: Path) -> dict[str, Any]:
    """The outbox by the backlog rule the outbox itself enforces (``evaluate_backlog``)."""
    warnings = []
    if "age" in status.warnings and status.oldest_age_seconds is not None:
        warnings.append(
            f"the oldest record has waited {status.oldest_age_seconds / 3600:.1f} h "
            "for the platform")
    if "count" in status.warnings or "bytes" in status.warnings:
        warnings.append(f"{status.count} records ({status.bytes / 1024:.0f} KiB) wait for the "
                        "platform: over the warning threshold")
    if status.full:
        warnings.append("the backlog is full: new submissions are refused")
    if status.quarantined:
        warnings.append(f"{status.quarantined} record(s) quarantined: see kiosk outbox list")
    return {
        "ok": not status.full,
        "path": str(path),
        "counts": counts,
        "oldest_pending_seconds": status.oldest_age_seconds,
        "backlog": status.describe(),
        "warnings": warnings,
        "detail": f"{status.count} waiting, {counts.get('acked', 0)} delivered, "
        f"{counts.get('quarantined', 0)} quarantined",
    }


def reachability_part(online: bool | None, url: str) -> dict[str, Any]:
    """What the platform poller last saw (None: not checked yet since the start)."""
    words = {True: "reachable", False: "not reachable (submissions wait in the outbox)",
             None: "not checked yet since the kiosk started"}
    return {"ok": online is not False, "url": url, "reachable": online, "detail": words[online],
            "warnings": []}


def link_part(health: SyncHealth, url: str) -> dict[str, Any]:
    """The sync worker's view of the platform: its last error, last success, next retry."""
    def when(moment: datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    out: dict[str, Any] = {
        "url": url,
        "last_error": health.last_error,
        "last_error_kind": health.last_error_kind,
        "last_error_at": when(health.last_error_at),
        "last_success_at": when(health.last_success_at),
        "retry_at": when(health.retry_at),
        "warnings": [],
    }
    if health.last_error is not None:
        out["ok"] = False
        out["detail"] = f"uploads failing ({health.last_error_kind}): {health.last_error}"
        if health.retry_at is not None:
            out["detail"] += f"; next attempt at {health.retry_at:%H:%M:%S} UTC"
    else:
        out["ok"] = True
        last = health.last_success_at
        out["detail"] = "uploads going through" + (
            f"; last at {last:%H:%M:%S} UTC" if last else "; nothing sent since start")
    return out


def live_report(core: KioskCore, printer_status: PrinterStatus | None) -> dict[str, Any]:
    """The diagnose report from the kiosk's own live parts (call off the GUI thread)."""
    from kiosk.diagnostics.diagnose import kiosk_part
    from kiosk.diagnostics.grading import grade

    config = core.config
    report: dict[str, Any] = {
        "source": "live",
        "kiosk": kiosk_part(config),
        "reader": readers_part(core.readers, config.reader.backend),
        "scanner": scanners_part(core.scanners),
        "printer": printer_part(core.printer, printer_status),
        "outbox": backlog_part(core.outbox.backlog_status(), core.outbox.counts(),
                               config.outbox_path),
        "platform": reachability_part(core.poller.online, config.platform.url),
        "sync": link_part(core.worker.health(), config.platform.url),
        "calls": calls_part(core.outbox.messages.open_calls(), core.outbox.messages.counts(),
                            core.clock.now()),
    }
    if core.reader_note:
        report["reader"]["warnings"].append(core.reader_note)
    from kiosk.diagnostics.diagnose import add_paper, check_a4_printer
    from kiosk.diagnostics.disk import disk_part

    report["disk"] = disk_part(config)

    add_paper(config, report["printer"])
    if config.a4_printer.queue:
        report["a4_printer"] = check_a4_printer(config)  # lpstat: cupsd owns the printer
    return grade(report, PARTS)


# -- the snapshot a second process reads ------------------------------------------------------

def snapshot_path(config: Config) -> Path:
    return config.data_dir / SNAPSHOT_NAME


def write_snapshot(config: Config, report: dict[str, Any], written_at: float) -> None:
    doc = {**report, "written_at": written_at, "pid": os.getpid()}
    atomic_file.write_atomic(
        snapshot_path(config), json.dumps(doc, ensure_ascii=False).encode("utf-8"), 0o600,
        sync_directory=False,  # a lost snapshot is rewritten in seconds: no fsync of the dir
    )


def read_snapshot(config: Config, now: float | None = None) -> dict[str, Any] | None:
    """The running kiosk's last snapshot with ``age_seconds`` added; None if there is none."""
    try:
        doc = json.loads(snapshot_path(config).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("written_at"), int | float):
        return None
    doc["age_seconds"] = max(0.0, (time.time() if now is None else now) - doc["written_at"])
    return doc


def running_kiosk_pid(config: Config) -> int | None:
    """The pid of the kiosk holding this data directory's outbox, or None if none runs."""
    lock = Path(f"{config.outbox_path}.lock")
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.read(fd, 32).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class HealthPublisher:
    """Writes the live report to the snapshot file every ``interval`` seconds, on its thread."""

    def __init__(
        self,
        config: Config,
        report: Callable[[PrinterStatus | None], dict[str, Any]],
        query_printer: Callable[[], Future[PrinterStatus]],
    ) -> None:
        self._config = config
        self._report = report
        self._query_printer = query_printer
        self._interval = config.kiosk.health_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kiosk-health", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with_snapshot = snapshot_path(self._config)
        with_snapshot.unlink(missing_ok=True)  # nobody runs here any more

    def publish_once(self) -> None:
        try:
            status: PrinterStatus | None = self._query_printer().result(timeout=30)
        except Exception as exc:  # a printer job thread that is gone or stuck: say so
            log.warning("health: the printer status could not be read: %s", exc)
            status = None
        self._write(self._report(status))

    def _write(self, report: dict[str, Any]) -> None:
        try:
            write_snapshot(self._config, report, time.time())
        except OSError as exc:
            log.warning("health snapshot not written: %s", exc)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.publish_once()
            except Exception:
                log.exception("health snapshot failed")
            self._stop.wait(self._interval)
