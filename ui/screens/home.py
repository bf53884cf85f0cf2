"""Home: find any service in a few taps (docs/home-screen.md).

Top: two large entries, 搜索 (type the name or its pinyin on the A–Z keypad) and 查询办理进度.
Then the most-used services as large tiles (configured, then learnt from this kiosk's own
counts), then one tile per department or, at a tap, per life event, each with an icon; a
department or life event opens its list of services. Tiles page with large buttons (no
drag-only scrolling: ACCESSIBILITY.md 5), as many per page as the screen has room for.
"""

from __future__ import annotations

from functools import partial

from kiosk import events as ev
from kiosk.catalog import localized
from kiosk.flow import Step
from kiosk.service_counts import featured_services

from ..icons import department_icon, life_event_icon, tile_icon
from ..qt import (
    QBoxLayout,
    QButtonGroup,
    QResizeEvent,
    QSizePolicy,
    QWidget,
    SpacedColumn,
    SpacedRow,
)
from ..service_tiles import choose, refresh_tiles, service_tile
from ..theme import layout_gap
from ..tile import Tile
from ..tile_pager import TilePager
from ..widgets import ReflowRow, button, label
from .base import Screen, UiContext

DEPARTMENTS, LIFE_EVENTS = "department", "life_event"


class HomeScreen(Screen):
    step = Step.HOME

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please choose a service"))
        self.title.hide()  # spoken, not shown: the tiles say it, and the room is the tiles'
        # Landscape: search and the most-used services at the left, progress and departments
        # at the right; portrait: one above the other (the direction follows the screen).
        self.body = QWidget()
        self.body_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(layout_gap() * 3)
        self.layout_.addWidget(self.body, 1)
        left, right = QWidget(), QWidget()
        left_col, right_col = SpacedColumn(left), SpacedColumn(right)
        for col in (left_col, right_col):
            col.setContentsMargins(0, 0, 0, 0)
        self.body_layout.addWidget(left, 2)
        self.body_layout.addWidget(right, 3)

        self.search_entry = Tile(self.tr("Search for a service"), "home-search",
                                 lambda: self.core.flow.open_listing("search"),
                                 icon=tile_icon("search"))
        self.track_entry = Tile(self.tr("Check progress"), "home-track",
                                self.core.flow.open_tracking, icon=tile_icon("progress-check"))
        # 我的办件 beside the progress check: the citizen's own applications and records.
        self.records_entry = Tile(self.tr("My affairs"), "home-records",
                                  self.core.records.open, icon=tile_icon("id"))
        search_row = QWidget()  # the search, and beside it the language to switch to
        search_line = SpacedRow(search_row)
        search_line.setContentsMargins(0, 0, 0, 0)
        search_line.addWidget(self.search_entry, 1)
        left_col.addWidget(search_row)
        # The language to switch to, in its own words (English in Chinese, 中文 in English):
        # the whole kiosk and its voice, until the citizen's visit ends (the window builds
        # the screens again). Beside the search, taking no row of its own: beside the two ways
        # to browse it made their words clip at 1280x1024 in care mode.
        self.language_button = button(self.tr("English", "home: the other language"),
                                      "home-language", ctx.switch_language)
        self.language_button.setAccessibleName(self.tr("Language: Chinese or English"))
        self.language_button.setSizePolicy(QSizePolicy.Policy.Preferred,
                                           QSizePolicy.Policy.Fixed)
        self.language_button.setVisible(ctx.switch_language is not None)
        search_line.addWidget(self.language_button)
        entries = QWidget()  # one row of two: the departments keep their room
        entries_row = SpacedRow(entries)
        entries_row.setContentsMargins(0, 0, 0, 0)
        entries_row.addWidget(self.track_entry, 1)
        entries_row.addWidget(self.records_entry, 1)
        right_col.addWidget(entries)
        self.featured_heading = label(self.tr("Most used"), role="heading",
                                      name="home-featured-heading")
        self.featured = TilePager("featured", min_tile_width=9.0, max_columns=1, max_rows=6,
                                  paged=False, heading=self.featured_heading)
        left_col.addWidget(self.featured, 1)

        browse = ReflowRow()  # one row while the words fit, else one above the other
        self.by_department = button(self.tr("By department"), "home-by-department",
                                    lambda: self.show_groups(DEPARTMENTS), checkable=True)
        self.by_life_event = button(self.tr("By life event"), "home-by-life-event",
                                    lambda: self.show_groups(LIFE_EVENTS), checkable=True)
        self._browse = QButtonGroup(self)
        for b in (self.by_department, self.by_life_event):
            b.setCheckable(True)
            self._browse.addButton(b)
            browse.add(b)
        right_col.addWidget(browse)
        self.groups = TilePager("groups", min_tile_width=6.0, max_columns=3, max_rows=6)
        right_col.addWidget(self.groups, 1)
        self.tiles: dict[str, Tile] = {}  # the featured services' tiles, by code
        self.group_kind = DEPARTMENTS
        self._built: tuple[str, list[str]] = ("", [])
        self._groups_shown = ("", "")
        self._build_tiles()

    # building ---------------------------------------------------------------------------
    def _build_tiles(self) -> None:
        """Featured services and group tiles of the catalog in use (a newer one arrives between
        citizens); the learnt most-used services change only here, between citizens. Tiles
        are built again only when what they show changed."""
        catalog = self.core.catalog
        home = self.core.config.home
        codes = featured_services(home.featured_services, self.core.usage.totals(),
                                  (s.code for s in catalog.services), home.featured_places,
                                  home.learn_after)
        if (catalog.version, codes) != self._built:
            self.tiles = {code: service_tile(self.core, catalog.get(code), self.ctx.locale,
                                             self._choose) for code in codes}
            self.featured.set_tiles(list(self.tiles.values()))
            self.featured.setVisible(bool(self.tiles))
            self._groups_shown = ("", "")
            self._built = (catalog.version, codes)
        else:
            refresh_tiles(self.core, self.tiles, self.ctx.locale)
        self.show_groups(self.group_kind)

    def show_groups(self, kind: str) -> None:
        """One tile per department, or per life event, with its icon."""
        self.group_kind = kind
        (self.by_department if kind == DEPARTMENTS else self.by_life_event).setChecked(True)
        catalog = self.core.catalog
        if self._groups_shown == (catalog.version, kind):
            return
        self._groups_shown = (catalog.version, kind)
        if kind == DEPARTMENTS:
            items = [(code, d.title, department_icon(code)) for code, d in
                     catalog.departments.items() if catalog.in_department(code)]
        else:
            items = [(code, e.title, life_event_icon(code)) for code, e in
                     catalog.life_events.items() if catalog.for_life_event(code)]
        tiles = [Tile(localized(title, self.ctx.locale), f"{kind}-{code}",
                      partial(self.core.flow.open_listing, kind, code), icon=icon)
                 for code, title, icon in items]
        self.groups.set_tiles(tiles)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        size = event.size()
        landscape = size.width() > size.height() * 1.1
        Direction = QBoxLayout.Direction  # noqa: N806 (Qt's enum)
        wanted = Direction.LeftToRight if landscape else Direction.TopToBottom
        if self.body_layout.direction() != wanted:
            self.body_layout.setDirection(wanted)
            # Portrait: the most-used services in two columns, two rows.
            self.featured.set_max_columns(1 if landscape else 2)
            self.featured.max_rows = 6 if landscape else 2

    # what the window sees ----------------------------------------------------------------
    @property
    def page(self) -> int:
        return self.groups.page

    @property
    def pages(self) -> int:
        return self.groups.pages

    def show_page(self, page: int) -> None:
        self.groups.show_page(page)

    def enter(self) -> None:
        # Every citizen starts from the same home: departments, first page, fresh counts.
        self.group_kind = DEPARTMENTS
        self._build_tiles()
        self.featured.show_page(0)
        self.show_page(0)

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.PlatformDidChangeReachability):
            refresh_tiles(self.core, self.tiles, self.ctx.locale)
        elif isinstance(event, ev.CatalogDidChange):
            self._build_tiles()

    def _choose(self, code: str) -> None:
        choose(self.core, code)
