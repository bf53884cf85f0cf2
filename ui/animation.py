"""The identify screen's animation: a card sliding into the reader, over and over."""

from __future__ import annotations

from .qt import QColor, QPainter, QPen, QRectF, QSize, QSizePolicy, Qt, QTimer, QWidget
from .theme import active_palette

FRAMES = 24
SIZE = QSize(420, 300)  # the size it asks for; it draws at that shape in less room
SMALLEST = QSize(210, 150)


class InsertCardAnimation(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.frame = 0
        # It gives up room before any words do (1280x1024 in care mode, English's two-line
        # title): the layout may shrink it to half, and it keeps its shape.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self.setMinimumSize(SMALLEST)
        self._timer = QTimer(self)
        self._timer.setInterval(80)
        self._timer.timeout.connect(self._advance)
        self.setAccessibleName("")  # decoration: the prompt above says it in words

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return SIZE

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return SMALLEST

    def start(self) -> None:
        self.frame = 0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _advance(self) -> None:
        self.frame = (self.frame + 1) % FRAMES
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = min(self.width() / SIZE.width(), self.height() / SIZE.height())
        w, h = SIZE.width() * scale, SIZE.height() * scale
        p.translate((self.width() - w) / 2, (self.height() - h) / 2)
        card_h = h * 0.5
        card_w = card_h * 85.6 / 54  # ISO/IEC 7810 ID-1 proportions
        slot_y = h * 0.72
        # The card moves down into the slot during the first two thirds, then pauses.
        t = min(self.frame / (FRAMES * 2 / 3), 1.0)
        top = h * 0.05 + t * (slot_y - h * 0.05 - card_h * 0.55)
        left = (w - card_w) / 2
        colours = active_palette()
        p.setPen(QPen(QColor(colours.text), 3))
        p.setBrush(QColor(colours.primary))
        p.drawRoundedRect(QRectF(left, top, card_w, card_h), 8, 8)
        p.setBrush(QColor(colours.highlight))
        p.drawRect(QRectF(left + card_w * 0.12, top + card_h * 0.3, card_w * 0.22, card_h * 0.2))
        # The reader: a dark body with a slot the card disappears into.
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(colours.text))
        p.drawRoundedRect(QRectF(w * 0.1, slot_y, w * 0.8, h * 0.25), 10, 10)
        p.setBrush(QColor(colours.background))
        p.drawRect(QRectF(left - 6, slot_y + 6, card_w + 12, 6))
        p.end()
