"""A service's tile, the same on the home screen, in a department's list and in search results:
its title and, while the platform is unreachable, what that means for it (ACCESSIBILITY.md 16).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kiosk.catalog import Service
from kiosk.core import KioskCore

from .qt import QCoreApplication
from .tile import Tile

QUEUE = "queue"



def offline_note(core: KioskCore, service: Service) -> tuple[bool, str]:
    """(offered, note): whether the tile can be tapped now, and the line under its title."""
    online = core.poller.online if core.linked else None
    if online is not False:
        return True, ""
    if not core.service_available(service.code):
        return False, QCoreApplication.translate(
            "ServiceTiles", "Needs the network: unavailable right now")
    if service.completable and service.offline == QUEUE:
        return True, QCoreApplication.translate(
            "ServiceTiles", "Sent automatically once back online")
    return True, ""


def service_tile(core: KioskCore, service: Service, locale: str,
                 on_choose: Callable[[str], None]) -> Tile:
    tile = Tile(service.text(locale), f"service-{service.code}",
                partial(on_choose, service.code))
    tile.setProperty("service", service.code)
    show_availability(core, tile, service, locale)
    return tile


def show_availability(core: KioskCore, tile: Tile, service: Service, locale: str) -> None:
    offered, note = offline_note(core, service)
    title = service.text(locale)
    tile.set_label(title + "\n" + note if note else title)
    tile.setEnabled(offered)


def refresh_tiles(core: KioskCore, tiles: dict[str, Tile], locale: str) -> None:
    """Every tile says again whether its service is offered (the network came or went)."""
    for code, tile in tiles.items():
        try:
            service = core.catalog.get(code)
        except KeyError:  # withdrawn by a newer catalogue: rebuilt on the next visit
            tile.setEnabled(False)
            continue
        show_availability(core, tile, service, locale)


def choose(core: KioskCore, code: str) -> None:
    """A tap on a service's tile (a greyed one cannot be tapped; checked again all the same)."""
    if core.service_available(code):
        core.flow.choose_service(code)
