"""Devices chosen by config, looked up by name so that a re-plugged device recovers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devices.cards import CardReader
from devices.gat467.reader import Gat467CardReader
from devices.pcsc_reader import PcscCardReader
from devices.printer import PrinterConfigError, PrinterStatus, ReceiptPrinter
from devices.printer import build_printer as make_printer
from devices.sim.inprocess_reader import SimulatedCardReader

from .config import Config, ConfigError


def build_readers(config: Config) -> list[CardReader]:
    """The social-security card reader, plus the ID card reader when a port is configured."""
    backend = config.reader.backend
    readers: list[CardReader]
    if backend in ("pcsc", "auto"):
        readers = [PcscCardReader(config.reader.pcsc_reader)]
    elif backend == "simulated":
        readers = [SimulatedCardReader()]
    else:
        raise ConfigError(f"[reader] backend: unknown value {backend!r} (pcsc, simulated, auto)")
    if config.reader.gat467_port:
        readers.append(Gat467CardReader(config.reader.gat467_port, config.reader.gat467_baud))
    return readers


def build_printer(
    config: Config, printer_did_change_status: Callable[[PrinterStatus], None] | None = None
) -> ReceiptPrinter:
    p = config.printer
    common: dict[str, Any] = {
        "width_mm": p.width_mm,
        "qr_mode": p.qr_mode,
        "timeout": p.timeout_seconds,
        "status_timeout": p.status_timeout_seconds,
        "printer_did_change_status": printer_did_change_status,
    }
    per_kind: dict[str, dict[str, Any]] = {
        "network": {"host": p.host, "port": p.port},
        "serial": {"device": p.device, "baudrate": p.baudrate},
        "usb": {"vendor_id": p.vendor_id, "product_id": p.product_id},
        "file": {"path": p.path},
        "win32raw": {"printer_name": p.printer_name},
    }
    if p.backend not in per_kind:
        raise ConfigError(
            f"[printer] backend: unknown value {p.backend!r} ({', '.join(per_kind)})"
        )
    try:
        return make_printer(p.backend, **common, **per_kind[p.backend])
    except PrinterConfigError as exc:
        raise ConfigError(f"[printer] {exc}") from exc
