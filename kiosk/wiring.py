"""Devices chosen by config, looked up by name so that a re-plugged device recovers."""

from __future__ import annotations

from devices.cards import CardReader
from devices.pcsc_reader import PcscCardReader
from devices.printer import NetworkReceiptPrinter, ReceiptPrinter
from devices.sim.inprocess_reader import SimulatedCardReader

from .config import Config, ConfigError


def build_reader(config: Config) -> CardReader:
    backend = config.reader.backend
    if backend in ("pcsc", "auto"):
        return PcscCardReader(config.reader.pcsc_reader)
    if backend == "simulated":
        return SimulatedCardReader()
    raise ConfigError(f"[reader] backend: unknown value {backend!r} (pcsc, simulated, auto)")


def build_printer(config: Config) -> ReceiptPrinter:
    p = config.printer
    if p.backend == "network":
        return NetworkReceiptPrinter(p.host, p.port, width_mm=p.width_mm, timeout=p.timeout_seconds)
    raise ConfigError(f"[printer] backend: unknown value {p.backend!r} (network)")
