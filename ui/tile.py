"""A large tile whose label wraps onto as many lines as its width needs.

QPushButton draws its text on one line and clips it; a service title in care mode ("参保人员死亡
待遇申领（丧葬补助金、抚恤金）", or its English) is wider than a tile on a 1280 or 1080 px
screen. A :class:`Tile` breaks its label at words (English) or between characters (Chinese)
for the width it is given, and asks for the height those lines need (``heightForWidth``).
"""

from __future__ import annotations

from collections.abc import Callable

from .qt import (
    QEvent,
    QFontMetrics,
    QIcon,
    QPushButton,
    QResizeEvent,
    QSize,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    Qt,
)

_NO_BREAK_BEFORE = set("，。、；：？！）》」』】,.;:?!)")


def wrap_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (a hard line break is kept)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        out += _wrap_paragraph(paragraph, metrics, max(width, 1))
    return out


def _wrap_paragraph(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    # Pieces: a word with its following space (English), or a single character (Chinese).
    pieces: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            pieces.append(word)
            word = ""
        if pieces and (ch.isspace() or ch in _NO_BREAK_BEFORE):
            pieces[-1] += ch  # a space, or punctuation that may not start a line
        else:
            pieces.append(ch)
    if word:
        pieces.append(word)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if not line or metrics.horizontalAdvance((line + piece).rstrip()) <= width:
            line += piece
            continue
        lines.append(line.rstrip())
        line = piece
        while metrics.horizontalAdvance(line.rstrip()) > width and len(line) > 1:
            cut = len(line) - 1  # a word longer than the line: break inside it
            while cut > 1 and metrics.horizontalAdvance(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


class Tile(QPushButton):
    """A large button with a wrapping label and, optionally, an icon at its left."""

    def __init__(self, text: str, name: str, on_click: Callable[[], None] | None = None,
                 icon: QIcon | None = None, primary: bool = True) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("tile", True)
        if primary:
            self.setProperty("role", "primary")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        if icon is not None:
            self.setIcon(icon)
        self._label = ""
        self._wrapped_for = -1
        self._one_line_size: QSize | None = None  # kept until the font or style changes
        self._lines: dict[int, list[str]] = {}  # the label's lines by tile width
        if on_click is not None:
            self.clicked.connect(lambda _checked=False: on_click())
        self.set_label(text)

    def label(self) -> str:
        """The whole label, unwrapped (what is spoken and searched for)."""
        return self._label

    def set_label(self, text: str) -> None:
        if text == self._label and self._wrapped_for != -1:
            return
        self._label = text
        self._lines = {}
        self.setAccessibleName(text.replace("\n", " "))
        self._wrapped_for = -1
        self._rewrap(self.width())
        self.updateGeometry()

    def text_width(self, width: int) -> int:
        """Room for the label inside a tile ``width`` px wide: borders, padding, icon."""
        room = width - (self._one_line().width() - self.fontMetrics().horizontalAdvance("M"))
        if not self.icon().isNull():
            room -= self.iconSize().width() + 8
        return room - 4  # a little slack: a line never touches the border

    def _one_line(self) -> QSize:
        """The size the style gives a tile of one short line: padding, borders, min-height."""
        if self._one_line_size is not None:
            return self._one_line_size
        option = QStyleOptionButton()
        option.initFrom(self)
        fm = self.fontMetrics()
        self._one_line_size = self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option,
            QSize(fm.horizontalAdvance("M"), fm.height()), self)
        return self._one_line_size

    def lines(self, width: int) -> list[str]:
        if width not in self._lines:
            self._lines[width] = wrap_lines(self._label, self.fontMetrics(),
                                            self.text_width(width))
        return self._lines[width]

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        lines = len(self.lines(width))
        one = self._one_line().height()
        return one + (lines - 1) * self.fontMetrics().lineSpacing() if lines > 1 else one

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """As narrow as its widest word (a Chinese label's widest character), not its label:
        the label wraps."""
        fm = self.fontMetrics()
        words = self._label.replace("\n", " ").split() or [""]
        widest = max(fm.horizontalAdvance(w if w.isascii() else w[:1] + "）") for w in words)
        chrome = self._one_line().width() - fm.horizontalAdvance("M") + 4
        if not self.icon().isNull():
            chrome += self.iconSize().width() + 8
        return QSize(widest + chrome, self._one_line().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self.heightForWidth(max(self.width(), 1))))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        self._rewrap(event.size().width())
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._wrapped_for = -1  # a new font (care mode): measure and wrap again
            self._one_line_size = None
            self._lines = {}
            self._rewrap(self.width())

    def _rewrap(self, width: int) -> None:
        if width == self._wrapped_for or width <= 1:
            if width <= 1:
                super().setText(self._label)
            return
        self._wrapped_for = width
        super().setText("\n".join(self.lines(width)))
