"""Search: the citizen types a service's name in pinyin or its initials on the large A–Z keypad
(YLJ or yanglaojin for 养老金), and the best matches show after every key
(:meth:`kiosk.catalog.Catalog.search`: titles, keywords and synonyms, departments, life events).

Tiles are kept per service and only shown, hidden and re-ordered as the results change, so a
keystroke costs a search and a re-layout, not new widgets.
"""

from __future__ import annotations

from kiosk import events as ev
from kiosk.flow import Listing, Step

from ..letter_keypad import LetterKeypad
from ..qt import QBoxLayout, QResizeEvent, QWidget, SpacedColumn
from ..service_tiles import choose, refresh_tiles, service_tile
from ..theme import layout_gap
from ..tile import Tile
from ..tile_list import TileList
from ..widgets import label
from .base import Screen, UiContext

MAX_RESULTS = 40


class SearchScreen(Screen):
    step = Step.SEARCH

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Find a service"))
        # Landscape: results at the left, the keypad at the right; portrait: the keypad under
        # the results (the direction follows the screen, see resizeEvent).
        self.body = QWidget()
        self.body_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(layout_gap() * 2)
        self.layout_.addWidget(self.body, 1)
        results = QWidget()
        column = SpacedColumn(results)
        column.setContentsMargins(0, 0, 0, 0)
        self.count = label("", name="search-count")
        column.addWidget(self.count)
        self.results = TileList("search", min_tile_width=12.0)
        column.addWidget(self.results, 1)
        self.body_layout.addWidget(results, 1)
        keys = QWidget()
        self.keys_column = SpacedColumn(keys)
        self.keys_column.setContentsMargins(0, 0, 0, 0)
        self.keypad = LetterKeypad(self.set_query)
        self.keys_column.addWidget(self.keypad)
        self.keys_column.addStretch(1)
        self.body_layout.addWidget(keys)
        self.tiles: dict[str, Tile] = {}  # every service shown so far, by code
        self.shown: list[str] = []
        self._listing: Listing | None = None
        self._catalog_version = ""
        self._landscape: bool | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        size = event.size()
        landscape = size.width() > size.height() * 1.1
        Direction = QBoxLayout.Direction  # noqa: N806 (Qt's enum)
        if landscape != self._landscape:
            self._landscape = landscape
            self.body_layout.setDirection(Direction.LeftToRight if landscape
                                          else Direction.TopToBottom)
            # Landscape: the page buttons under the keypad, where the results column is
            # too narrow for them; portrait: under the results.
            if landscape:
                self.keys_column.insertWidget(1, self.results.bar)
            else:
                self.results.column.addWidget(self.results.bar)
            self.keypad.setMaximumWidth(round(self.keypad.minimumSizeHint().width() * 1.3)
                                        if landscape else 16777215)

    def enter(self) -> None:
        listing = self.core.flow.listing
        if listing is self._listing:  # back from a guide: the same search, where it was
            refresh_tiles(self.core, self._shown_tiles(), self.ctx.locale)
            return
        self._listing = listing
        self.core.catalog.prepare_search()  # before the first letter, not on it
        if self._catalog_version != self.core.catalog.version:
            self._forget_tiles()
        self.keypad.clear()  # a new citizen's search starts empty

    def leave(self) -> None:
        if self.core.flow.step is Step.HOME:
            self.keypad.clear()  # nothing the last citizen typed stays on screen

    def set_query(self, text: str) -> None:
        """Show the best matches for ``text`` (letters typed on the keypad, or Chinese)."""
        self.title.setText(self.tr("Find a service: %1").replace(
            "%1", text.upper() if text.isascii() else text) if text else self.tr("Find a service"))
        if not text:
            self.count.setText(self.tr("Type the first letters of each syllable, e.g. YLJ for "
                                       "养老金, or the whole pinyin."))
            self._show([])
            return
        hits = self.core.catalog.search(text, limit=MAX_RESULTS)
        self._show([hit.service.code for hit in hits])
        if not hits:
            self.count.setText(self.tr("Nothing found. Delete a letter, or ask staff for help."))
        else:
            self.count.setText(self.tr("%n service(s) found, best first.", "", len(hits)))

    def _show(self, codes: list[str]) -> None:
        catalog = self.core.catalog
        for code in codes:
            if code not in self.tiles:
                self.tiles[code] = service_tile(self.core, catalog.get(code), self.ctx.locale,
                                                self._choose)
        self.shown = codes
        self.results.set_tiles([self.tiles[c] for c in codes], keep=True)

    def _shown_tiles(self) -> dict[str, Tile]:
        return {code: self.tiles[code] for code in self.shown}

    def _forget_tiles(self) -> None:
        self.results.set_tiles([])
        for tile in self.tiles.values():
            tile.deleteLater()
        self.tiles = {}
        self.shown = []
        self._catalog_version = self.core.catalog.version

    def prompt(self) -> str:
        return " ".join((self.title.text(), self.count.text()))

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.PlatformDidChangeReachability):
            refresh_tiles(self.core, self._shown_tiles(), self.ctx.locale)

    def _choose(self, code: str) -> None:
        choose(self.core, code)
