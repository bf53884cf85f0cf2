"""Devices chosen by config, looked up by name so that a re-plugged device recovers."""

from __future__ import annotations

from devices.cards import CardReader
from devices.gat467.reader import Gat467CardReader
from devices.pcsc_reader import PcscCardReader
from devices.printer import NetworkReceiptPrinter, ReceiptPrinter
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


def build_printer(config: Config) -> ReceiptPrinter:
    p = config.printer
    if p.backend == "network":
        return NetworkReceiptPrinter(p.host, p.port, width_mm=p.width_mm, timeout=p.timeout_seconds)
    raise ConfigError(f"[printer] backend: unknown value {p.backend!r} (network)")
