"""Search: the citizen types a service's name in pinyin or its initials on the large A–Z keypad
(YLJ or yanglaojin for 养老金), or taps the Chinese words the candidate bar offers for the
letters (TUIXIU, then 退休), and the best matches show after every key
(:meth:`kiosk.catalog.Catalog.search`: titles, keywords and synonyms, departments, life events).
Once Chinese is chosen the search is by it; letters typed after it pick the next word, and
Delete with no letter left takes back the last character.

The result tiles are a pool relabelled as the results change, so a keystroke costs a search,
the labels that changed and a re-layout, not new widgets.
"""

from __future__ import annotations

from functools import partial

from kiosk import events as ev
from kiosk.catalog import Service
from kiosk.catalog.candidates import Candidate
from kiosk.flow import Listing, Step

from ..candidate_bar import CandidateBar
from ..letter_keypad import LetterKeypad
from ..qt import QBoxLayout, QResizeEvent, QWidget, SpacedColumn
from ..service_tiles import choose, show_availability
from ..theme import layout_gap
from ..tile import Tile
from ..tile_list import TileList
from ..widgets import label
from .base import Screen, UiContext

MAX_RESULTS = 40
MAX_CHINESE = 12  # characters chosen from the candidate bar


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
        self.candidates = CandidateBar("search", self._take)
        self.keys_column.addWidget(self.candidates)
        self.keypad = LetterKeypad(self._typed)
        self.keypad.delete_key.clicked.connect(self._delete_chinese)
        self.keypad.clear_key.clicked.connect(self._clear_chinese)
        self.keys_column.addWidget(self.keypad)
        self.keys_column.addStretch(1)
        self.body_layout.addWidget(keys)
        self.pool: list[Tile] = []  # as many as results were ever shown, relabelled
        self.shown: list[Service] = []
        self._listing: Listing | None = None
        self._catalog_version = ""
        self._landscape: bool | None = None
        self.chinese = ""  # Chinese chosen from the candidate bar
        self._letters = ("", "")  # the letters before and after the last key

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
                self.keys_column.insertWidget(2, self.results.bar)
            else:
                self.results.column.addWidget(self.results.bar)
            self.keypad.setMaximumWidth(round(self.keypad.minimumSizeHint().width() * 1.3)
                                        if landscape else 16777215)

    def enter(self) -> None:
        listing = self.core.flow.listing
        if listing is self._listing:  # back from a guide: the same search, where it was
            self._refresh()
            return
        self._listing = listing
        self.core.catalog.prepare_search()  # before the first letter, not on it
        if self._catalog_version != self.core.catalog.version:
            self._catalog_version = self.core.catalog.version
            for tile in self.pool:
                tile.setProperty("service", "")  # labelled again from the new catalogue
        self.chinese = ""
        self.keypad.clear()  # a new citizen's search starts empty

    def leave(self) -> None:
        if self.core.flow.step is Step.HOME:
            self.chinese = ""
            self.keypad.clear()  # nothing the last citizen typed stays on screen

    # typing -----------------------------------------------------------------------------
    def _typed(self, letters: str) -> None:
        self._letters = (self._letters[1], letters)
        self._update()

    def _take(self, candidate: Candidate) -> None:
        self.chinese = (self.chinese + candidate.text)[:MAX_CHINESE]
        self.keypad.set_text(self.keypad.text()[candidate.letters :])

    def _delete_chinese(self) -> None:
        if self._letters == ("", "") and self.chinese:  # Delete with no letter left
            self.chinese = self.chinese[:-1]
            self._update()

    def _clear_chinese(self) -> None:
        if self.chinese:
            self.chinese = ""
            self._update()

    def _update(self) -> None:
        letters = self.keypad.text()
        self.candidates.show_for(letters)
        self.set_query(self.chinese or letters, shown=self.chinese + letters.upper())

    def set_query(self, text: str, shown: str | None = None) -> None:
        """Show the best matches for ``text`` (letters typed on the keypad, or Chinese); the
        title repeats ``shown`` (what was typed and chosen), by default ``text``."""
        if shown is None:
            shown = text.upper() if text.isascii() else text
        self.title.setText(self.tr("Find a service: %1").replace("%1", shown) if shown
                           else self.tr("Find a service"))
        if not text:
            self.count.setText(self.tr("Type the first letters of each syllable, e.g. YLJ for "
                                       "养老金, or the whole pinyin."))
            self._show([])
            return
        hits = self.core.catalog.search(text, limit=MAX_RESULTS)
        self._show([hit.service for hit in hits])
        if not hits:
            self.count.setText(self.tr("Nothing found. Delete a letter, or ask staff for help."))
        else:
            self.count.setText(self.tr("%n service(s) found, best first.", "", len(hits)))

    def _show(self, services: list[Service]) -> None:
        """The first tiles of the pool, labelled with these services (a tile is relabelled only
        when its service changes: no widget is made or dropped per keystroke)."""
        while len(self.pool) < len(services):
            tile = Tile("", "search-result", partial(self._choose_at, len(self.pool)))
            self.pool.append(tile)
        for tile, service in zip(self.pool, services, strict=False):
            if tile.property("service") != service.code:
                tile.setObjectName(f"service-{service.code}")
                tile.setProperty("service", service.code)
                show_availability(self.core, tile, service, self.ctx.locale)
        self.shown = services
        self.results.set_tiles(self.pool[: len(services)], keep=True)

    def _refresh(self) -> None:
        for tile, service in zip(self.pool, self.shown, strict=False):
            show_availability(self.core, tile, service, self.ctx.locale)

    def _choose_at(self, i: int) -> None:
        if i < len(self.shown):
            choose(self.core, self.shown[i].code)

    def prompt(self) -> str:
        return " ".join((self.title.text(), self.count.text()))

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.PlatformDidChangeReachability):
            self._refresh()
