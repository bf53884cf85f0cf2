"""Devices chosen by config, looked up by name so that a re-plugged device recovers."""

from __future__ import annotations

from collections.abc import Callable

from devices.cards.base import CardReader
from devices.cards.gat467.reader import Gat467CardReader
from devices.cards.pcsc.reader import PcscCardReader
from devices.printers.base import PrinterConfigError, PrinterStatus, ReceiptPrinter
from devices.printers.factory import KINDS as PRINTER_KINDS
from devices.printers.factory import build_printer as make_printer
from devices.sim.card.inprocess_reader import SimulatedCardReader

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
    """The printer of the ``[printer]`` section; a setting it refuses is a ConfigError."""
    settings = config.printer
    if settings.backend not in PRINTER_KINDS:
        raise ConfigError(
            f"[printer] backend: unknown value {settings.backend!r} ({', '.join(PRINTER_KINDS)})"
        )
    try:
        return make_printer(settings, printer_did_change_status)
    except PrinterConfigError as exc:
        raise ConfigError(f"[printer] {exc}") from exc
