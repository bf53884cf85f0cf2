"""Home: large tiles, one per service."""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Step

from ..qt import QGridLayout, QPushButton, QWidget
from ..widgets import button, discard, label
from .base import Screen, UiContext


class HomeScreen(Screen):
    step = Step.HOME

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please choose a service"))
        self.hint = label(self.tr("Tap a large button. Staff are here to help."))
        self.layout_.addWidget(self.hint)
        self.tiles: dict[str, QPushButton] = {}
        self._tiles_box = QWidget()
        self._built_version = ""
        self.layout_.addWidget(self._tiles_box)
        self.layout_.addStretch(1)
        self.layout_.addWidget(button(self.tr("Check the progress of an application"),
                                      "home-track", self.core.flow.open_tracking))
        self._build_tiles()

    def _build_tiles(self) -> None:
        """One large tile per service of the catalog in use (a newer one arrives between
        citizens)."""
        index = self.layout_.indexOf(self._tiles_box)
        discard(self._tiles_box)
        self._tiles_box = QWidget()
        grid = QGridLayout(self._tiles_box)
        grid.setSpacing(24)
        self.tiles = {}
        for i, service in enumerate(self.core.catalog.services):
            tile = button(
                service.text(self.ctx.locale),
                f"service-{service.code}",
                lambda code=service.code: self._choose(code),
                primary=True,
            )
            tile.setProperty("tile", True)
            self.tiles[service.code] = tile
            grid.addWidget(tile, i // 2, i % 2)
        self.layout_.insertWidget(index, self._tiles_box)
        self._built_version = self.core.catalog.version
        self._show_availability()

    def enter(self) -> None:
        if self._built_version != self.core.catalog.version:
            self._build_tiles()
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
