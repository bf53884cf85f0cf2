"""What the kiosk is built from: :mod:`kiosk.assembly` makes a :class:`KioskParts` from the
config, and :class:`kiosk.core.KioskCore` receives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from devices.cards.base import CardReader
from devices.printers.base import ReceiptPrinter
from devices.scanners.base import CodeScanner
from kiosk.catalog import Catalog
from kiosk.config import Config
from sync.clock import Clock

if TYPE_CHECKING:
    from kiosk.platform_link.enrolment import PlatformClients


@dataclass
class KioskParts:
    """What the kiosk shows and touches; :mod:`kiosk.assembly` builds them from the config."""

    config: Config
    clock: Clock
    readers: list[CardReader]  # every reader is live at once: a citizen uses the card they carry
    printer: ReceiptPrinter
    clients: PlatformClients  # one platform client per thread (requests.Session is not shared)
    catalog: Catalog
    # Loaded at start from the copy the catalogue directory recorded (``catalog_origin``; None:
    # the installed one): attach() checks it against the pinned key and swaps it if need be.
    confirm_catalog: bool = False
    catalog_origin: Path | None = None
    reader_note: str = ""  # shown on screen when a reader is simulated
    scanners: list[CodeScanner] = field(default_factory=list)  # QR codes: e-codes, receipts
