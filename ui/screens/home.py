"""Home: large tiles, one per service."""

from __future__ import annotations

from kiosk.flow import Step

from ..qt import QGridLayout, QWidget
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
        for i, service in enumerate(self.core.catalog.services):
            tile = button(
                service.text(ctx.locale),
                f"service-{service.code}",
                lambda code=service.code: self.core.flow.choose_service(code),
                primary=True,
            )
            tile.setProperty("tile", True)
            grid.addWidget(tile, i // 2, i % 2)
        self.layout_.addWidget(tiles)
        self.layout_.addStretch(1)
