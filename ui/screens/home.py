"""Home: large tiles, one per service, a page at a time with large page buttons
(no drag-only scrolling: ACCESSIBILITY.md 5)."""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Step

from ..qt import QPushButton, QWidget, SpacedGrid, SpacedRow
from ..widgets import button, discard, label
from .base import Screen, UiContext

TILES_PER_PAGE = 6  # three rows of two: large enough to read and hit in care mode


class HomeScreen(Screen):
    step = Step.HOME

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please choose a service"))
        self.hint = label(self.tr("Tap a large button. Staff are here to help."))
        self.layout_.addWidget(self.hint)
        self.tiles: dict[str, QPushButton] = {}
        self.page = 0
        self._tiles_box = QWidget()
        self._built_version = ""
        self.layout_.addWidget(self._tiles_box)
        self.layout_.addStretch(1)
        bottom = QWidget()
        row = SpacedRow(bottom)
        row.setContentsMargins(0, 0, 0, 0)
        self.previous_page = button(self.tr("Previous page"), "home-previous",
                                    lambda: self.show_page(self.page - 1))
        self.page_label = label("", name="home-page", wrap=False)
        self.next_page = button(self.tr("Next page"), "home-next",
                                lambda: self.show_page(self.page + 1))
        for w in (self.previous_page, self.page_label, self.next_page):
            row.addWidget(w)
        row.addWidget(button(self.tr("Check the progress of an application"),
                             "home-track", self.core.flow.open_tracking))
        self.layout_.addWidget(bottom)
        self._build_tiles()

    def _build_tiles(self) -> None:
        """One large tile per service of the catalog in use (a newer one arrives between
        citizens)."""
        index = self.layout_.indexOf(self._tiles_box)
        discard(self._tiles_box)
        self._tiles_box = QWidget()
        grid = SpacedGrid(self._tiles_box)
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
            slot = i % TILES_PER_PAGE  # tiles of other pages share the cells, hidden
            grid.addWidget(tile, slot // 2, slot % 2)
        self.layout_.insertWidget(index, self._tiles_box)
        self._built_version = self.core.catalog.version
        self._show_availability()
        self.show_page(0)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.tiles) // TILES_PER_PAGE))

    def show_page(self, page: int) -> None:
        self.page = min(max(page, 0), self.pages - 1)
        for i, tile in enumerate(self.tiles.values()):
            tile.setVisible(i // TILES_PER_PAGE == self.page)
        several = self.pages > 1
        for w in (self.previous_page, self.page_label, self.next_page):
            w.setVisible(several)
        self.previous_page.setEnabled(self.page > 0)
        self.next_page.setEnabled(self.page < self.pages - 1)
        self.page_label.setText(
            self.tr("Page %1 of %2").replace("%1", str(self.page + 1)).replace(
                "%2", str(self.pages)))

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
