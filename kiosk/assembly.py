"""The one place that builds a kiosk from its configuration.

``kiosk run``, ``kiosk run --demo``, ``kiosk diagnose`` (through :mod:`kiosk.wiring`, for its
devices) and the tests all build here. A caller may hand in devices or a clock of its own (a
test's fake printer, an injected clock); everything it does not hand in is built from the
config. The demo stack only changes the config — its emulators sit behind the same drivers a
real kiosk uses — and receives the devices built from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from devices.cards.base import CardReader
from devices.printers.base import ReceiptPrinter
from sync.clock import Clock, SystemClock
from sync.file_modes import private_directory

from .catalog import Catalog
from .config import Config
from .core import KioskCore, KioskParts
from .downlink_wiring import catalog_sync, load_current_catalog
from .enrolment import platform_clients
from .outbox_settings import backlog_limits, retention
from .wiring import build_printer, build_readers

if TYPE_CHECKING:
    from sync.outbox.store import Outbox

    from .demo import DemoStack


def assemble_kiosk(
    config: Config,
    *,
    readers: CardReader | Sequence[CardReader] | None = None,
    printer: ReceiptPrinter | None = None,
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
    downlink_catalog = catalog_sync(config, clients.downlink)
    parts = KioskParts(
        config=config,
        clock=clock or SystemClock(),
        readers=list(readers) if readers is not None else build_readers(config),
        printer=printer or build_printer(config),
        clients=clients,
        catalog_sync=downlink_catalog,
        catalog=catalog or load_current_catalog(downlink_catalog),
    )
    if demo is not None:
        demo.attach(parts.readers)
        parts.reader_note = demo.reader_note
    return KioskCore(parts, open_outbox(config, parts.clock) if with_outbox else None)


def open_outbox(config: Config, clock: Clock) -> Outbox:
    """The kiosk's outbox file, opened (and migrated or recovered) with its configured limits."""
    from sync.outbox.store import Outbox  # sqlite-utils: after the first paint when ``kiosk run``

    return Outbox(config.outbox_path, clock, retention=retention(config),
                  backlog=backlog_limits(config))
