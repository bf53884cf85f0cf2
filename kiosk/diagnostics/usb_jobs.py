"""The technician panel's USB jobs: waiting records out, the platform's acknowledgement back,
and the log with the diagnose report out, each on a stick the technician picked, mounted for
that job only and unmounted after (``kiosk.usb_media``).

Each job answers a :class:`UsbOutcome`: ``done`` with its figures, or a short ``problem`` the
panel puts in words (``gone``, ``mount``, ``unmount``, ``no_filesystem``, ``tools``,
``read_only``, ``full``, ``no_permission``, ``not_transfer``, ``not_enrolled``, ``io``) with
the detail in English for the log. Nothing personal goes on a stick in clear: the bundle
holds sealed envelopes (docs/usb-transfer.md), the log lines are redacted, the report has no
card data.
"""

from __future__ import annotations

import errno
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.config import Config, ConfigError
from kiosk.diagnostics.panel_facts import recent_log_lines
from kiosk.usb_media import MediaError, Run, Stick, mounted
from sync.outbox.store import Outbox
from sync.transfer.bundle import TRANSFER_DIR

log = logging.getLogger(__name__)
LOGS_DIR = "kiosk-logs"
LOG_LINES_EXPORTED = 2000


@dataclass(frozen=True)
class UsbOutcome:
    done: bool
    problem: str = ""
    detail: str = ""
    figures: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # relative to the stick's root


def _on_stick(stick: Stick, job: Callable[[Path], UsbOutcome], run: Run) -> UsbOutcome:
    try:
        with mounted(stick, run) as root:
            outcome = job(root)
    except MediaError as exc:
        return UsbOutcome(False, exc.reason, exc.message)
    except ConfigError as exc:
        return UsbOutcome(False, "not_enrolled", str(exc))
    except OSError as exc:
        problem = {errno.EROFS: "read_only", errno.ENOSPC: "full", errno.EDQUOT: "full",
                   errno.EACCES: "no_permission", errno.EPERM: "no_permission",
                   }.get(exc.errno or 0, "io")
        return UsbOutcome(False, problem, f"{type(exc).__name__}: {exc}")
    return outcome


def export_outbox(config: Config, stick: Stick, now: datetime, run: Run) -> UsbOutcome:
    """Every waiting record, signed and sealed, in one bundle on the stick."""
    from kiosk.usb_transfer import export_to_stick

    def job(root: Path) -> UsbOutcome:
        exported = export_to_stick(config, root, now)
        return UsbOutcome(True, figures={"records": exported.count},
                          files=[str(exported.path.relative_to(root))])

    return _on_stick(stick, job, run)


def read_acks(config: Config, outbox: Outbox, stick: Stick, run: Run) -> UsbOutcome:
    """The platform's acks for this kiosk on the stick, applied to the kiosk's own outbox."""
    from kiosk.usb_transfer import read_acks_from_stick

    def job(root: Path) -> UsbOutcome:
        folder = root / TRANSFER_DIR / config.kiosk.id
        if not folder.is_dir():
            return UsbOutcome(False, "not_transfer",
                              f"no {TRANSFER_DIR}/{config.kiosk.id} folder on the stick")
        read = read_acks_from_stick(config, root, outbox)
        if read.refused:
            log.warning("acks refused on the stick: %s", "; ".join(read.refused))
        return UsbOutcome(True, figures={"acked": read.acked, "quarantined": read.quarantined,
                                         "unknown": read.unknown, "refused": len(read.refused)})

    return _on_stick(stick, job, run)


def export_logs(config: Config, stick: Stick, report: dict[str, Any], now: datetime,
                run: Run) -> UsbOutcome:
    """The log's recent lines (redacted) and the diagnose report, as two files."""
    lines = recent_log_lines(config, LOG_LINES_EXPORTED)

    def job(root: Path) -> UsbOutcome:
        folder = root / LOGS_DIR / config.kiosk.id
        folder.mkdir(parents=True, exist_ok=True)
        stem = now.strftime("%Y%m%dT%H%M%SZ")
        log_file, report_file = folder / f"{stem}.log", folder / f"{stem}.diagnose.json"
        log_file.write_text("".join(f"{line}\n" for line in lines), "utf-8")
        report_file.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str),
                               "utf-8")
        return UsbOutcome(True, figures={"lines": len(lines)},
                          files=[str(p.relative_to(root)) for p in (log_file, report_file)])

    return _on_stick(stick, job, run)
