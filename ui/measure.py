"""The figures of docs/accessibility.md measured on a rendered screen (issue 12, "tests that
measure"): from the widget tree's geometry and fonts, and the theme's colours, not from pixels.

``measure(root, metrics)`` walks the visible widgets under ``root`` and returns a ``Figures``:
the smallest font (its em in millimetres at the metrics' DPI), the smallest interactive target
and the smallest gap between two neighbouring targets (millimetres), the lowest contrast of the
palette's text, border and focus pairs, and the widgets whose text is clipped, that stand
outside their parent, or that overlap a visible sibling.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .qt import (
    QAbstractButton,
    QLabel,
    QPushButton,
    QRect,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from .theme import Metrics, contrast_ratio, outline_pairs, text_pairs


@dataclass
class Figures:
    smallest_font_mm: float
    smallest_font_widget: str
    smallest_target_mm: float  # the smaller side of the smallest target
    smallest_target_widget: str
    smallest_gap_mm: float  # between two neighbouring targets (inf with fewer than two)
    smallest_gap_pair: str
    text_contrast: float  # the lowest of the palette's text pairs
    outline_contrast: float  # the lowest of its border, icon and focus pairs
    clipped: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    overlapping: list[str] = field(default_factory=list)
    targets: int = 0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        if data["smallest_gap_mm"] == float("inf"):
            data["smallest_gap_mm"] = None
        return data


def _name(w: QWidget) -> str:
    text = w.text() if isinstance(w, (QLabel, QAbstractButton)) else ""
    label = w.objectName() or type(w).__name__
    return f"{label}({text[:20]!r})" if text else label


def _shown(w: QWidget, root: QWidget) -> bool:
    return w.isVisibleTo(root) and w.width() > 0 and w.height() > 0


def _in_window(w: QWidget, root: QWidget) -> QRect:
    return QRect(w.mapTo(root, w.rect().topLeft()), w.size())


def _visible_part(w: QWidget, root: QWidget) -> QRect:
    """The part of ``w`` a citizen can see: clipped by every scroll area's viewport above it."""
    rect = _in_window(w, root)
    parent = w.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QScrollArea):
            rect = rect.intersected(_in_window(parent.viewport(), root))
        parent = parent.parentWidget()
    return rect


def _in_scroll(w: QWidget, root: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _gap(a: QRect, b: QRect) -> float | None:
    """Pixels between two rectangles that face each other (share a row or a column)."""
    rows = min(a.bottom(), b.bottom()) - max(a.top(), b.top())
    columns = min(a.right(), b.right()) - max(a.left(), b.left())
    if rows >= 0 and columns < 0:
        return float(max(a.left(), b.left()) - min(a.right(), b.right()) - 1)
    if columns >= 0 and rows < 0:
        return float(max(a.top(), b.top()) - min(a.bottom(), b.bottom()) - 1)
    if rows >= 0 and columns >= 0:
        return 0.0  # they overlap
    return None  # diagonal: not neighbours


def _clipped(label: QLabel) -> bool:
    text = label.text()
    if not text or label.textFormat().name == "RichText" or label.pixmap() is not None and \
            not label.pixmap().isNull():
        return False
    room = label.contentsRect()
    fm = label.fontMetrics()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        return needed > label.height() + 1
    lines = text.split("\n")
    wide = max(fm.horizontalAdvance(line) for line in lines)
    tall = fm.height() * len(lines)
    return wide > room.width() + 1 or tall > room.height() + 1


def _button_clipped(b: QPushButton) -> bool:
    """A button whose words are wider or taller than the room its style leaves for them
    (inside the border and padding; beside its icon). A few pixels into the padding are
    not clipping: Qt's own size hint for a button's words is that close."""
    text = b.text()
    if not text:
        return False
    option = QStyleOptionButton()
    b.initStyleOption(option)
    room = b.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, b)
    fm = b.fontMetrics()
    lines = text.replace("&&", "&").split("\n")
    wide = max(fm.horizontalAdvance(line) for line in lines)
    if not b.icon().isNull():
        wide += b.iconSize().width() + 4
    tall = fm.height() * len(lines)
    return wide > room.width() + 4 or tall > room.height() + 4


def measure(root: QWidget, metrics: Metrics) -> Figures:
    """The figures of the screen ``root`` shows now (a window or one screen of it)."""
    mm = 25.4 / metrics.dpi
    widgets = [w for w in root.findChildren(QWidget) if _shown(w, root)]
    font_px, font_widget = float("inf"), ""
    targets: list[tuple[QWidget, QRect]] = []
    clipped: list[str] = []
    outside: list[str] = []
    overlapping: list[str] = []
    for w in widgets:
        part = _visible_part(w, root)
        if part.isEmpty():
            continue
        if isinstance(w, (QLabel, QAbstractButton)) and w.text():
            size = w.fontInfo().pixelSize()
            if size < font_px:
                font_px, font_widget = size, _name(w)
        if isinstance(w, QAbstractButton) and w.isEnabled():
            targets.append((w, part))
        if isinstance(w, QLabel) and _clipped(w) or \
                isinstance(w, QPushButton) and _button_clipped(w):
            clipped.append(_name(w))
        parent = w.parentWidget()
        if parent is not None and not _in_scroll(w, root) and \
                not parent.rect().contains(w.geometry()) and \
                not isinstance(parent, QScrollArea):
            outside.append(_name(w))
    # Overlap: visible siblings (not inside scroll areas' moving contents) that intersect.
    for w in [root, *widgets]:
        kids = [c for c in w.children() if isinstance(c, QWidget) and _shown(c, root)
                and not c.isWindow()]
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                if a.geometry().intersects(b.geometry()):
                    overlapping.append(f"{_name(a)} / {_name(b)}")
    small_px, small_widget = float("inf"), ""
    for w, _part in targets:
        side = min(w.width(), w.height())
        if side < small_px:
            small_px, small_widget = side, _name(w)
    gap_px, gap_pair = float("inf"), ""
    for i, (a, ra) in enumerate(targets):
        for b, rb in targets[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            gap = _gap(ra, rb)
            if gap is not None and gap < gap_px:
                gap_px, gap_pair = gap, f"{_name(a)} / {_name(b)}"
    p = metrics.palette
    return Figures(
        smallest_font_mm=round(font_px * mm, 2) if font_widget else 0.0,
        smallest_font_widget=font_widget,
        smallest_target_mm=round(small_px * mm, 2) if small_widget else 0.0,
        smallest_target_widget=small_widget,
        smallest_gap_mm=round(gap_px * mm, 2) if gap_pair else float("inf"),
        smallest_gap_pair=gap_pair,
        text_contrast=round(min(contrast_ratio(f, b) for f, b in text_pairs(p)), 2),
        outline_contrast=round(min(contrast_ratio(f, b) for f, b in outline_pairs(p)), 2),
        clipped=clipped, outside=outside, overlapping=overlapping, targets=len(targets),
    )
