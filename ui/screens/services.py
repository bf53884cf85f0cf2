"""The services of one department or life event, opened from home: large tiles in a list that
scrolls kinetically and pages with large buttons (ACCESSIBILITY.md 5)."""

from __future__ import annotations

from kiosk import events as ev
from kiosk.catalog import localized
from kiosk.flow import Listing, Step

from ..service_tiles import choose, refresh_tiles, service_tile
from ..tile import Tile
from ..tile_list import TileList
from ..widgets import button, label
from .base import Screen, UiContext


class ServicesScreen(Screen):
    step = Step.SERVICES

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.hint = label("", name="services-hint")
        self.layout_.addWidget(self.hint)
        self.list = TileList("services", min_tile_width=12.0)
        self.layout_.addWidget(self.list, 1)
        # 问: the common questions about this department (docs/questions.md)
        self.questions = button(self.tr("Common questions about this department"),
                                "services-questions", self.core.flow.open_questions)
        self.layout_.addWidget(self.questions)
        self.tiles: dict[str, Tile] = {}
        self._listing: Listing | None = None

    def enter(self) -> None:
        listing = self.core.flow.listing
        if listing is None or listing.kind == "search":
            return
        if listing is self._listing:  # back from a guide: the same list, where it was
            refresh_tiles(self.core, self.tiles, self.ctx.locale)
            return
        self._listing = listing
        catalog = self.core.catalog
        self.questions.setVisible(listing.kind == "department" and bool(
            self.core.questions.for_topic("department", listing.code)))
        if listing.kind == "department":
            group = catalog.departments[listing.code].title
            services = catalog.in_department(listing.code)
        else:
            group = catalog.life_events[listing.code].title
            services = catalog.for_life_event(listing.code)
        self.title.setText(localized(group, self.ctx.locale))
        self.hint.setText(self.tr("%n service(s). Tap the one you need.", "", len(services)))
        self.tiles = {s.code: service_tile(self.core, s, self.ctx.locale, self._choose)
                      for s in services}
        self.list.set_tiles(list(self.tiles.values()))

    def prompt(self) -> str:
        return " ".join((self.title.text(), self.hint.text()))

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.PlatformDidChangeReachability):
            refresh_tiles(self.core, self.tiles, self.ctx.locale)

    def _choose(self, code: str) -> None:
        choose(self.core, code)
