"""The one place that builds a kiosk from its configuration.

``kiosk run``, ``kiosk run --demo``, ``kiosk diagnose`` and ``kiosk outbox reprint`` (for
their devices) and the tests all build here. Devices are chosen by config and looked up by
name, so that a re-plugged device recovers. A caller may hand in devices or a clock of its own (a
test's fake printer, an injected clock); everything it does not hand in is built from the
config. The demo stack only changes the config — its emulators sit behind the same drivers a
real kiosk uses — and receives the devices built from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from devices.cards.base import CardReader
from devices.printers.base import PrinterConfigError, PrinterStatus, ReceiptPrinter
from devices.printers.factory import KINDS as PRINTER_KINDS
from devices.printers.factory import build_printer as make_printer
from devices.scanners.base import CodeScanner
from kiosk.catalog import Catalog
from kiosk.config import Config, ConfigError
from kiosk.core import KioskCore
from kiosk.parts import KioskParts
from kiosk.platform_link.downlink import load_catalog_at_start
from kiosk.platform_link.enrolment import platform_clients
from sync.clock import Clock, SystemClock
from sync.file_modes import private_directory

if TYPE_CHECKING:
    from kiosk.demo import DemoStack
    from sync.outbox.store import Outbox


def assemble_kiosk(
    config: Config,
    *,
    readers: CardReader | Sequence[CardReader] | None = None,
    printer: ReceiptPrinter | None = None,
    scanners: Sequence[CodeScanner] | None = None,
    clock: Clock | None = None,
    catalog: Catalog | None = None,
    demo: DemoStack | None = None,
    with_outbox: bool = True,
) -> KioskCore:
    """A kiosk core, not yet started: devices, platform clients, catalogue and, unless
    ``with_outbox`` is False (the caller then attaches :func:`open_outbox` itself), the outbox."""
    if isinstance(readers, CardReader):
        readers = [readers]
    private_directory(config.data_dir)  # 0700: outbox, keys and logs are the kiosk's alone
    clients = platform_clients(config)
    origin, confirm = None, catalog is None
    if catalog is None:
        catalog, origin = load_catalog_at_start(config)
    parts = KioskParts(
        config=config,
        clock=clock or SystemClock(),
        readers=list(readers) if readers is not None else build_readers(config),
        printer=printer or build_printer(config),
        clients=clients,
        catalog=catalog,
        confirm_catalog=confirm,
        catalog_origin=origin,
        scanners=list(scanners) if scanners is not None else build_scanners(config),
    )
    if parts.printer.printer_did_feed is None:  # a printer handed in (tests, demo) counts too
        attach_paper_roll(config, parts.printer)
    if demo is not None:
        demo.attach(parts.readers)
        parts.reader_note = demo.reader_note
    return KioskCore(parts, open_outbox(config, parts.clock) if with_outbox else None)


def open_outbox(config: Config, clock: Clock) -> Outbox:
    """The kiosk's outbox file, opened (and migrated or recovered) with its configured limits."""
    from kiosk.outbox_settings import backlog_limits, retention
    from sync.outbox.store import Outbox  # sqlite-utils: after the first paint when ``kiosk run``

    return Outbox(config.outbox_path, clock, retention=retention(config),
                  backlog=backlog_limits(config))


def build_readers(config: Config) -> list[CardReader]:
    """The social-security card reader, plus the ID card reader when a port is configured."""
    # Each driver is imported only when configured (pyscard, pyserial): less before the paint.
    backend = config.reader.backend
    readers: list[CardReader]
    if backend in ("pcsc", "auto"):
        from devices.cards.pcsc.reader import PcscCardReader

        readers = [PcscCardReader(config.reader.pcsc_reader)]
    elif backend == "simulated":
        from devices.sim.card.inprocess_reader import SimulatedCardReader

        readers = [SimulatedCardReader()]
    else:
        raise ConfigError(f"[reader] backend: unknown value {backend!r} (pcsc, simulated, auto)")
    if config.reader.gat467_port:
        from devices.cards.gat467.reader import Gat467CardReader

        readers.append(Gat467CardReader(config.reader.gat467_port, config.reader.gat467_baud))
    return readers


def build_scanners(config: Config) -> list[CodeScanner]:
    """The QR code scanner of the ``[scanner]`` section, when a port is configured."""
    settings = config.scanner
    if not settings.port:
        return []
    from devices.scanners.frames import TERMINATORS
    from devices.scanners.serial_scanner import SerialCodeScanner  # pyserial: when configured

    if settings.terminator not in TERMINATORS:
        raise ConfigError(f"[scanner] terminator: unknown value {settings.terminator!r} "
                          f"({', '.join(TERMINATORS)})")
    try:
        return [SerialCodeScanner(settings.port, settings.baud, terminator=settings.terminator,
                                  encoding=settings.encoding,
                                  repeat_window=settings.repeat_seconds)]
    except LookupError as exc:
        raise ConfigError(f"[scanner] encoding: unknown value {settings.encoding!r}") from exc


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
        printer = make_printer(settings, printer_did_change_status)
    except PrinterConfigError as exc:
        raise ConfigError(f"[printer] {exc}") from exc
    attach_paper_roll(config, printer)
    return printer


def attach_paper_roll(config: Config, printer: ReceiptPrinter) -> None:
    """Every job the printer sends whole counts against the roll (``kiosk.paper_roll``); a
    roll length it refuses is a ConfigError in words."""
    from kiosk.paper_roll import PaperRollError, open_roll

    try:
        roll = open_roll(config.data_dir, config.printer)
    except PaperRollError as exc:
        raise ConfigError(str(exc)) from exc
    printer.printer_did_feed = roll.record
