"""Icons of the home screen's tiles: Tabler Icons SVGs (assets/icons/tabler/, MIT) painted in
the tile's own colours through QtSvg.

Each SVG strokes in ``currentColor``. An icon is rendered when a tile first paints it, at the
size and in the state (normal or greyed) asked for, and the pixmap kept: rendering every icon
in both states at both tile sizes (standard and care mode) when the home screen is built cost
about a quarter of the time to its first paint. The home screen builds only the icons it shows.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .qt import (
    QByteArray,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPixmap,
    QRect,
    QSize,
    QSvgRenderer,
    Qt,
)
from .theme import active_palette

# Which icon a department, a life event or a home entry shows. A code without an entry (a new
# department the platform published) shows the generic one.
DEPARTMENT_ICONS = {
    "medical_insurance": "medical-cross",
    "social_security": "shield-heart",
    "public_security": "id",
    "tax": "receipt-tax",
    "housing_fund": "pig-money",
    "real_estate": "building-estate",
    "civil_affairs": "heart-handshake",
    "health": "stethoscope",
    "education": "school",
    "disabled_persons": "wheelchair",
    "veterans": "medal",
    "transport": "bus",
    "utilities": "bulb",
    "market_regulation": "scale",
    "housing": "home-2",
}
LIFE_EVENT_ICONS = {
    "birth": "baby-carriage",
    "school": "backpack",
    "employment": "briefcase",
    "marriage": "hearts",
    "home_purchase": "key",
    "moving": "truck",
    "retirement": "armchair",
    "elderly_care": "old",
    "after_death": "flower",
    "medical_care": "heartbeat",
    "hardship": "lifebuoy",
    "disability": "disabled",
    "driving": "car",
    "business": "building-store",
    "military": "military-rank",
}
GENERIC = "category"


def icon_path_text(name: str) -> str:
    return (resources.files("assets") / "icons" / "tabler" / f"{name}.svg").read_text("utf-8")


class _SvgIconEngine(QIconEngine):
    """Paints one SVG in a colour per icon mode, rendered at first use per size and kept."""

    def __init__(self, svg: str, colour: str | None) -> None:
        super().__init__()
        self._svg = svg
        self._colour = colour  # None: the text colour of a filled tile in the active palette
        self._pixmaps: dict[tuple[int, int, bool, str], QPixmap] = {}

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        disabled = mode == QIcon.Mode.Disabled
        palette = active_palette()
        key = (size.width(), size.height(), disabled, palette.name)
        if key not in self._pixmaps:
            paint = palette.disabled_text if disabled else self._colour or palette.primary_text
            renderer = QSvgRenderer(QByteArray(self._svg.replace("currentColor", paint)
                                               .encode("utf-8")))
            image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            renderer.render(painter)
            painter.end()
            self._pixmaps[key] = QPixmap.fromImage(image)
        return self._pixmaps[key]

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802
        return size

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._svg, self._colour)

    def isNull(self) -> bool:  # noqa: N802 (Qt's name)
        return False


@cache
def tile_icon(name: str, colour: str | None = None) -> QIcon:
    """The named icon in ``colour`` (default: the tile's text colour in the palette shown),
    greyed when its tile is disabled."""
    try:
        svg = icon_path_text(name)
    except FileNotFoundError:
        svg = icon_path_text(GENERIC)
    return QIcon(_SvgIconEngine(svg, colour))


def department_icon(code: str) -> QIcon:
    return tile_icon(DEPARTMENT_ICONS.get(code, GENERIC))


def life_event_icon(code: str) -> QIcon:
    return tile_icon(LIFE_EVENT_ICONS.get(code, GENERIC))
