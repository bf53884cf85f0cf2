"""The receipt printer's settings: one typed object that the configuration fills (the
``[printer]`` section, key for key) and the printer factory consumes.

Values are kept as the file gives them; the printer checks them when it is built
(``PrinterConfigError`` says which one is wrong), so a configuration with a bad printer still
loads and ``kiosk diagnose`` can say what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrinterSettings:
    """Which printer, where, and how it prints; each backend reads only its own keys."""

    backend: str = "network"  # network | serial | usb | file | win32raw
    host: str = "127.0.0.1"  # network
    port: int = 9100  # network
    device: str = ""  # serial: /dev/ttyS0 …
    baudrate: int = 9600  # serial
    vendor_id: str = ""  # usb, hex: "0416"
    product_id: str = ""  # usb, hex
    path: str = ""  # file: a file or a device node such as /dev/usb/lp0
    printer_name: str = ""  # win32raw
    width_mm: int = 58
    qr_mode: str = "native"  # native | image (for printers without GS ( k)
    timeout_seconds: float = 3.0
    status_timeout_seconds: float = 1.0
    roll_length_m: float = 80.0  # paper on a new roll; counted down by kiosk.paper_roll
