"""Large tiles a page at a time, as many rows and columns as the screen has room for.

No drag-only scrolling (ACCESSIBILITY.md 5): large previous / next page buttons and the page
number in words. The number of tiles a page holds follows the room the pager is given (care
mode's larger text leaves fewer rows; a portrait screen has more rows and fewer columns), so
the tiles never press together below the 2 mm gap, whatever the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from .qt import (
    QEvent,
    QPushButton,
    QResizeEvent,
    QSize,
    QSizePolicy,
    QWidget,
    SpacedRow,
)
from .theme import layout_gap
from .widgets import button, discard, label


class TilePager(QWidget):
    """Tiles in a grid of ``columns`` × the rows that fit, with a row of page buttons under it.

    ``min_tile_width`` (in multiples of the text's line height) decides how many columns fit;
    ``max_columns`` and ``max_rows`` keep a wide or tall screen from making tiles too small a
    share of it to find."""

    def __init__(self, name: str, min_tile_width: float = 14.0, max_columns: int = 2,
                 max_rows: int = 3, paged: bool = True, heading: QWidget | None = None) -> None:
        """``paged=False``: only the tiles that fit are shown, no page buttons (the home
        screen's most-used services, best first: the rest are a search away); when not even
        one row fits (long English titles in care mode), none, and no ``heading`` either: the
        heading stands above the tiles, inside the pager, and shows only with them."""
        super().__init__()
        self._paged = paged
        self._heading = heading
        if heading is not None:
            heading.setParent(self)
        self.setObjectName(f"{name}-pager")
        self._min_tile_width = min_tile_width
        self._max_columns = max_columns
        self._max_rows = max_rows
        self.tiles: list[QPushButton] = []
        self.page = 0
        self.columns = 1
        self.rows = 1
        self._gap_px = layout_gap()
        self._bar = QWidget(self)
        row = SpacedRow(self._bar)
        row.setContentsMargins(0, 0, 0, 0)
        # Short words: the bar has a column's width, not the screen's (English, care mode)
        self.previous_page = button(self.tr("Previous"), f"{name}-previous",
                                    lambda: self.show_page(self.page - 1))
        self.page_label = label("", name=f"{name}-page", wrap=False)
        self.next_page = button(self.tr("Next"), f"{name}-next",
                                lambda: self.show_page(self.page + 1))
        for w in (self.previous_page, self.page_label, self.next_page):
            row.addWidget(w)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_max_columns(self, columns: int) -> None:
        self._max_columns = columns
        self.columns = 0  # place the tiles again
        self.arrange()
        self.updateGeometry()

    @property
    def max_rows(self) -> int:
        return self._max_rows

    @max_rows.setter
    def max_rows(self, rows: int) -> None:
        self._max_rows = rows
        self.columns = 0
        self.arrange()
        self.updateGeometry()

    # what the layout around it sees ----------------------------------------------------
    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """One row of tiles and the page buttons: the rest of the page is the pager's to fill."""
        if not self._paged:  # shows the rows that fit, down to none
            return QSize(self._bar.minimumSizeHint().width(), 0)
        tile = self._tile_height(self._tile_width())
        bar = self._bar.sizeHint().height() if len(self.tiles) > 1 else 0
        return QSize(self._bar.minimumSizeHint().width(), tile + bar + self._gap())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Unpaged: room for all its tiles, up to ``max_rows``; paged, what it needs at least."""
        hint = self.minimumSizeHint()
        if self._paged or not self.tiles:
            return hint
        rows = min(self._max_rows, -(-len(self.tiles) // max(self.columns, 1)))
        tiles = rows * (self._tile_height(self._tile_width()) + self._gap())
        return QSize(hint.width(), self._heading_room(max(self.width(), 1)) + tiles)

    def _heading_room(self, width: int) -> int:
        """The heading's height and the gap under it (0 without a heading)."""
        if self._heading is None or not self.tiles:
            return 0
        h = self._heading
        height = h.heightForWidth(width) if h.hasHeightForWidth() else h.sizeHint().height()
        return max(height, h.sizeHint().height() if not h.hasHeightForWidth() else 0) + (
            self._gap())

    def _tile_width(self) -> int:
        """A tile's width at the pager's width now (0 before it has one: the tiles' own)."""
        if self.width() <= 1 or not self.columns:
            return 0
        return (self.width() - (self.columns - 1) * self._gap()) // self.columns

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        self.arrange()

    def event(self, event: QEvent) -> bool:
        # A new style (care mode) or font changes the tiles' height: count the rows again.
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange,
                            QEvent.Type.LayoutRequest):
            self.arrange()
        return super().event(event)

    # tiles and pages --------------------------------------------------------------------
    def set_tiles(self, tiles: Sequence[QPushButton]) -> None:
        """Show these tiles from the first page; the previous ones are discarded."""
        for tile in self.tiles:
            discard(tile)
        self.tiles = list(tiles)
        for tile in self.tiles:
            tile.setParent(self)
            tile.setProperty("tile", True)
        self.columns = self.rows = 0  # place them on the next arrange
        self.page = 0
        self.arrange()
        self.updateGeometry()

    @property
    def per_page(self) -> int:
        return max(1, self.columns * self.rows)

    @property
    def shown(self) -> int:
        """How many tiles are on show (unpaged: those that fit, perhaps none)."""
        return sum(1 for t in self.tiles if not t.isHidden())

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.tiles) // self.per_page))

    def arrange(self) -> None:
        """Columns from the width, rows from the height; re-place the tiles if either changed."""
        gap = self._gap()
        line = max(self.fontMetrics().height(), 1)
        width = max(self.width(), 1)
        columns = max(1, min(self._max_columns,
                             (width + gap) // (round(self._min_tile_width * line) + gap)))
        tile_width = (width - (columns - 1) * gap) // columns
        tile = self._tile_height(tile_width)
        if tile != getattr(self, "_last_tile", None):
            self._last_tile = tile
            self.updateGeometry()  # the labels wrap anew at this width: another minimum
        bar = self._bar.sizeHint().height() + gap
        top = self._heading_room(width)
        height = self.height() - top
        least = 1 if self._paged else 0
        rows = max(least, min(self._max_rows, (height + gap) // (tile + gap)))
        if self._paged and len(self.tiles) > columns * rows:  # the page buttons need room too
            rows = max(1, min(self._max_rows, (height - bar + gap) // (tile + gap)))
        if self._heading is not None:
            self._heading.setVisible(bool(self.tiles) and rows > 0)
            self._heading.setGeometry(0, 0, width, max(top - gap, 0))
        if (columns, rows) != (self.columns, self.rows):
            first = self.page * self.per_page if self.columns else 0
            self.columns, self.rows = columns, rows
            self.page = first // self.per_page
            if not self._paged:
                self.updateGeometry()  # columns changed: so did the rows it would like
        for i, t in enumerate(self.tiles):
            slot = i % self.per_page  # tiles of other pages share the places, hidden
            row, column = divmod(slot, columns)
            t.setGeometry(column * (tile_width + gap), top + row * (tile + gap), tile_width,
                          tile)
        several = self.pages > 1 and self._paged
        self._bar.setVisible(several)
        if several:
            grid_height = top + rows * tile + (rows - 1) * gap
            self._bar.setGeometry(0, grid_height + gap, width, self._bar.sizeHint().height())
        self.show_page(self.page)

    def show_page(self, page: int) -> None:
        self.page = min(max(page, 0), self.pages - 1)
        fits = self._paged or self.rows > 0
        for i, tile in enumerate(self.tiles):
            tile.setVisible(fits and i // self.per_page == self.page)
        self.previous_page.setEnabled(self.page > 0)
        self.next_page.setEnabled(self.page < self.pages - 1)
        self.page_label.setText(
            self.tr("Page %1 of %2").replace("%1", str(self.page + 1)).replace(
                "%2", str(self.pages)))

    def _tile_height(self, width: int = 0) -> int:
        """The tallest of the first tiles: at ``width``, for tiles whose label wraps."""
        heights = [t.heightForWidth(width) if width > 0 and t.hasHeightForWidth()
                   else t.sizeHint().height() for t in self.tiles[:24]]
        return max(heights, default=self.previous_page.sizeHint().height())

    def _gap(self) -> int:
        return self._gap_px
