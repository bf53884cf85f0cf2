"""Home: large tiles, one per service, a page at a time with large page buttons
(no drag-only scrolling: ACCESSIBILITY.md 5). A page holds as many tiles as the screen has
room for (:class:`ui.tile_pager.TilePager`)."""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Step

from ..qt import QPushButton
from ..tile_pager import TilePager
from ..widgets import button, label
from .base import Screen, UiContext


class HomeScreen(Screen):
    step = Step.HOME

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please choose a service"))
        self.hint = label(self.tr("Tap a large button. Staff are here to help."))
        self.layout_.addWidget(self.hint)
        self.tiles: dict[str, QPushButton] = {}
        self.pager = TilePager("home")
        self._built_version = ""
        self.layout_.addWidget(self.pager, 1)
        self.layout_.addWidget(button(self.tr("Check the progress of an application"),
                                      "home-track", self.core.flow.open_tracking))
        self._build_tiles()

    def _build_tiles(self) -> None:
        """One large tile per service of the catalog in use (a newer one arrives between
        citizens)."""
        self.tiles = {}
        for service in self.core.catalog.services:
            tile = button(
                service.text(self.ctx.locale),
                f"service-{service.code}",
                lambda code=service.code: self._choose(code),
                primary=True,
            )
            self.tiles[service.code] = tile
        self.pager.set_tiles(list(self.tiles.values()))
        self._built_version = self.core.catalog.version
        self._show_availability()

    @property
    def page(self) -> int:
        return self.pager.page

    @property
    def pages(self) -> int:
        return self.pager.pages

    def show_page(self, page: int) -> None:
        self.pager.show_page(page)

    def enter(self) -> None:
        if self._built_version != self.core.catalog.version:
            self._build_tiles()
        self.show_page(0)  # every citizen starts on the first page
        self._show_availability()

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.PlatformDidChangeReachability):
            self._show_availability()
        elif isinstance(event, ev.CatalogDidChange):
            self._build_tiles()

    def _show_availability(self) -> None:
        """Offline, services that need the network say so on their tile, in words."""
        for code, tile in self.tiles.items():
            service = self.core.catalog.get(code)
            available = self.core.service_available(code)
            title = service.text(self.ctx.locale)
            tile.setText(title if available else
                         title + "\n" + self.tr("Needs the network: unavailable right now"))
            tile.setAccessibleName(tile.text())
            tile.setEnabled(available)

    def _choose(self, code: str) -> None:
        if self.core.service_available(code):
            self.core.flow.choose_service(code)
