"""A long list of large tiles that scrolls kinetically and pages with large buttons.

ACCESSIBILITY.md 5: no drag-only action. A citizen who swipes moves the list with the finger
(QScroller, flicks slow down as on a phone); one who does not taps 上一页 / 下一页, which move
by whole rows, so no tile is cut at the top of a page; the page number says where the list
stands. There is no scroll bar: it is a target far below 9.5 mm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .qt import (
    QEvent,
    QFrame,
    QResizeEvent,
    QScrollArea,
    QScroller,
    QSize,
    QSizePolicy,
    Qt,
    QWidget,
    SpacedColumn,
    SpacedGrid,
)
from .theme import layout_gap
from .tile import Tile
from .widgets import button, discard, label


class _Grid(QWidget):
    """The tiles, placed by hand in rows (each as tall as its tallest tile's label needs)."""

    def __init__(self, owner: TileList) -> None:
        super().__init__()
        self._owner = owner

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        if event.size().width() != event.oldSize().width():
            self._owner.arrange()


class PageBar(QWidget):
    """上一页, the page number, 下一页; in a column too narrow for one row, the number above the
    buttons. It may stand apart from its list (search: under the keypad, in landscape)."""

    def __init__(self, name: str, turn: Callable[[int], None]) -> None:
        super().__init__()
        self._grid = SpacedGrid(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.previous_page = button(self.tr("Previous page"), f"{name}-previous",
                                    lambda: turn(-1))
        self.page_label = label("", name=f"{name}-page", wrap=False)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_page = button(self.tr("Next page"), f"{name}-next", lambda: turn(1))
        self._narrow: bool | None = None
        self._place(narrow=False)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        parts = (self.previous_page, self.page_label, self.next_page)
        needed = sum(w.sizeHint().width() for w in parts) + 2 * self._grid.spacing()
        self._place(narrow=needed > event.size().width())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """As narrow as the two buttons side by side: the number then goes above them."""
        hint = super().minimumSizeHint()
        buttons = (self.previous_page.sizeHint().width() + self.next_page.sizeHint().width()
                   + self._grid.spacing())
        return QSize(buttons, hint.height())

    def _place(self, narrow: bool) -> None:
        if narrow == self._narrow:
            return
        self._narrow = narrow
        for w in (self.previous_page, self.page_label, self.next_page):
            self._grid.removeWidget(w)
        if narrow:
            self._grid.addWidget(self.page_label, 0, 0, 1, 2)
            self._grid.addWidget(self.previous_page, 1, 0)
            self._grid.addWidget(self.next_page, 1, 1)
        else:
            self._grid.addWidget(self.previous_page, 0, 0)
            self._grid.addWidget(self.page_label, 0, 1)
            self._grid.addWidget(self.next_page, 0, 2)


class TileList(QWidget):
    """Tiles in ``columns`` that fit (each at least ``min_tile_width`` lines wide), scrolled."""

    def __init__(self, name: str, min_tile_width: float = 16.0, max_columns: int = 2) -> None:
        super().__init__()
        self.setObjectName(f"{name}-list")
        self._min_tile_width = min_tile_width
        self._max_columns = max_columns
        self._gap = layout_gap()
        self.tiles: list[Tile] = []
        self.row_tops: list[int] = []  # y of each row, for paging by whole rows
        self.columns = 1
        self.area = QScrollArea()
        self.area.setObjectName(f"{name}-area")
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid = _Grid(self)
        self.area.setWidget(self.grid)
        # A finger (or the mouse a touch screen emulates) drags and flicks the list.
        QScroller.grabGesture(self.area.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.area.verticalScrollBar().valueChanged.connect(lambda _v: self._show_position())
        self.bar = PageBar(name, self.turn)
        self.previous_page, self.page_label, self.next_page = (
            self.bar.previous_page, self.bar.page_label, self.bar.next_page)
        self.column = SpacedColumn(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.area, 1)
        self.column.addWidget(self.bar)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # tiles -----------------------------------------------------------------------------
    def set_tiles(self, tiles: Sequence[Tile], keep: bool = False) -> None:
        """Show these tiles from the top; the previous ones are discarded, or only hidden if
        ``keep`` (the caller shows them again later: search results)."""
        new = list(tiles)
        still = {id(t) for t in new}
        for tile in self.tiles:
            if id(tile) in still:
                continue
            if keep:
                tile.hide()
            else:
                discard(tile)
        self.tiles = new
        for tile in self.tiles:
            if tile.parent() is not self.grid:
                tile.setParent(self.grid)
            tile.show()
        self.arrange()
        self.area.verticalScrollBar().setValue(0)
        self._show_position()

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.arrange()  # care mode: taller tiles
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.arrange()

    def arrange(self) -> None:
        width = max(self.area.viewport().width(), 1)
        gap = self._gap
        line = max(self.fontMetrics().height(), 1)
        columns = max(1, min(self._max_columns,
                             (width + gap) // (round(self._min_tile_width * line) + gap)))
        self.columns = columns
        tile_width = (width - (columns - 1) * gap) // columns
        y = 0
        self.row_tops = []
        for start in range(0, len(self.tiles), columns):
            row = self.tiles[start : start + columns]
            height = max(t.heightForWidth(tile_width) for t in row)
            self.row_tops.append(y)
            for c, tile in enumerate(row):
                tile.setGeometry(c * (tile_width + gap), y, tile_width, height)
            y += height + gap
        self.grid.setMinimumHeight(max(y - gap, 0))
        self._show_position()

    def tiles_in_view(self) -> list[Tile]:
        """The tiles a citizen sees now, wholly or in part (the others are scrolled away)."""
        top = self.area.verticalScrollBar().value()
        bottom = top + self.area.viewport().height()
        return [t for t in self.tiles if t.y() < bottom and t.y() + t.height() > top]

    # pages -----------------------------------------------------------------------------
    def _page_tops(self) -> list[int]:
        """Where each page starts: the first row that does not fit on the page before."""
        view = max(self.area.viewport().height(), 1)
        end = max(self.grid.minimumHeight() - view, 0)
        tops = [0]
        for top in self.row_tops:
            if top - tops[-1] + self._row_height_at(top) > view and top > tops[-1]:
                tops.append(min(top, end))
            if tops[-1] >= end:
                break
        return tops

    def _row_height_at(self, top: int) -> int:
        i = self.row_tops.index(top)
        nxt = self.row_tops[i + 1] - self._gap if i + 1 < len(self.row_tops) else (
            self.grid.minimumHeight())
        return nxt - top

    @property
    def pages(self) -> int:
        return len(self._page_tops())

    @property
    def page(self) -> int:
        """The page whose start is nearest above the top of the view (0-based)."""
        value = self.area.verticalScrollBar().value()
        tops = self._page_tops()
        if value >= self.area.verticalScrollBar().maximum() > 0:
            return len(tops) - 1
        return max(i for i, top in enumerate(tops) if top <= value + 1)

    def turn(self, pages: int) -> None:
        self.show_page(self.page + pages)

    def show_page(self, page: int) -> None:
        tops = self._page_tops()
        page = min(max(page, 0), len(tops) - 1)
        QScroller.scroller(self.area.viewport()).stop()
        self.area.verticalScrollBar().setValue(tops[page])
        self._show_position()

    def _show_position(self) -> None:
        pages = self.pages
        self.bar.setVisible(pages > 1)
        page = self.page
        self.previous_page.setEnabled(page > 0)
        self.next_page.setEnabled(page < pages - 1)
        self.page_label.setText(self.tr("Page %1 of %2").replace("%1", str(page + 1))
                                .replace("%2", str(pages)))
