"""Home: large tiles, one per service."""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Step

from ..qt import QGridLayout, QPushButton, QWidget
from ..widgets import button, label
from .base import Screen, UiContext


class HomeScreen(Screen):
    step = Step.HOME

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please choose a service"))
        self.hint = label(self.tr("Tap a large button. Staff are here to help."))
        self.layout_.addWidget(self.hint)
        tiles = QWidget()
        grid = QGridLayout(tiles)
        grid.setSpacing(24)
        self.tiles: dict[str, QPushButton] = {}
        for i, service in enumerate(self.core.catalog.services):
            tile = button(
                service.text(ctx.locale),
                f"service-{service.code}",
                lambda code=service.code: self._choose(code),
                primary=True,
            )
            tile.setProperty("tile", True)
            self.tiles[service.code] = tile
            grid.addWidget(tile, i // 2, i % 2)
        self.layout_.addWidget(tiles)
        self.layout_.addStretch(1)

    def enter(self) -> None:
        self._show_availability()

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.PlatformDidChangeReachability):
            self._show_availability()

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
