"""The A4 printer's settings: the ``[a4_printer]`` section of the kiosk's configuration.

The A4 printer prints official proofs through CUPS (devices/printers/cups_a4.py). An empty
``queue`` means this kiosk has none: the proofs screen says so instead of offering to print.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class A4PrinterSettings:
    queue: str = ""  # the CUPS queue, e.g. "kiosk-a4"; empty: no A4 printer on this kiosk
    server: str = ""  # cupsd as host:port; empty: the system's (CUPS_SERVER, client.conf)
    timeout_seconds: float = 120.0  # a job not finished by then is cancelled and reported
    poll_seconds: float = 0.5  # how often a job and the printer are looked at while printing
    command_timeout_seconds: float = 5.0  # each lp / lpstat / cancel call
