"""A column of text that may be longer than the screen: swiped or paged with large buttons.

ACCESSIBILITY.md 5: no drag-only action. A finger drags and flicks it (QScroller); 上一页 /
下一页 move it by most of a screen (a line of the last page stays in view, so the reader keeps
their place); the buttons show only when the text is longer than the room it has.
"""

from __future__ import annotations

from .qt import (
    QFrame,
    QResizeEvent,
    QScrollArea,
    QScroller,
    Qt,
    QWidget,
    SpacedColumn,
    SpacedRow,
)
from .widgets import button


class ScrollPanel(QWidget):
    """``body`` (a column to fill) in a scroll area, with page buttons under it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(f"{name}-scroll")
        self.area = QScrollArea()
        self.area.setObjectName(f"{name}-area")
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        self.body = SpacedColumn(content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.area.setWidget(content)
        QScroller.grabGesture(self.area.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        bar = self.page_bar = QWidget()
        row = SpacedRow(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.previous_page = button(self.tr("Previous page"), f"{name}-previous",
                                    lambda: self.turn(-1))
        self.next_page = button(self.tr("Next page"), f"{name}-next", lambda: self.turn(1))
        row.addWidget(self.previous_page)
        row.addWidget(self.next_page)
        # The bar keeps its room while hidden: showing it never shrinks the area, which would
        # change what scrolls, hide the bar again, and so on (a screen in care mode flickered
        # between the two and, caught mid-way, showed the bar without room, over the buttons).
        policy = bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        bar.setSizePolicy(policy)
        column = SpacedColumn(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.area, 1)
        column.addWidget(bar)
        self.area.verticalScrollBar().rangeChanged.connect(lambda _lo, _hi: self._update())
        self.area.verticalScrollBar().valueChanged.connect(lambda _v: self._update())

    def turn(self, pages: int) -> None:
        bar = self.area.verticalScrollBar()
        step = max(1, self.area.viewport().height() - bar.singleStep() * 3)
        bar.setValue(bar.value() + pages * step)

    def to_top(self) -> None:
        self.area.verticalScrollBar().setValue(0)

    @property
    def scrolls(self) -> bool:
        return self.area.verticalScrollBar().maximum() > 0

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._update()

    def _update(self) -> None:
        bar = self.area.verticalScrollBar()
        self.page_bar.setVisible(bar.maximum() > 0)
        self.previous_page.setEnabled(bar.value() > 0)
        self.next_page.setEnabled(bar.value() < bar.maximum())
