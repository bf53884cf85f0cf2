"""Icons of the home screen's tiles: Tabler Icons SVGs (assets/icons/tabler/, MIT) painted in
the tile's own colours through QtSvg.

Each SVG strokes in ``currentColor``; it is rendered once per colour into pixmaps at the two
sizes the tiles use (standard and care mode), and kept. Rendering 40 small SVGs costs about a
millisecond each, so the home screen renders only the icons it shows.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .qt import QByteArray, QIcon, QImage, QPainter, QPixmap, QSvgRenderer, Qt
from .theme import DISABLED_TEXT, PRIMARY_TEXT

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
SIZES = (48, 80)  # px: rendered for standard and care mode; Qt picks the nearer


def icon_path_text(name: str) -> str:
    return (resources.files("assets") / "icons" / "tabler" / f"{name}.svg").read_text("utf-8")


@cache
def tile_icon(name: str, colour: str = PRIMARY_TEXT) -> QIcon:
    """The named icon in ``colour``, greyed when its tile is disabled."""
    try:
        svg = icon_path_text(name)
    except FileNotFoundError:
        svg = icon_path_text(GENERIC)
    icon = QIcon()
    for mode, paint in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, DISABLED_TEXT)):
        renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", paint).encode("utf-8")))
        for size in SIZES:
            image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            renderer.render(painter)
            painter.end()
            icon.addPixmap(QPixmap.fromImage(image), mode)
    return icon


def department_icon(code: str) -> QIcon:
    return tile_icon(DEPARTMENT_ICONS.get(code, GENERIC))


def life_event_icon(code: str) -> QIcon:
    return tile_icon(LIFE_EVENT_ICONS.get(code, GENERIC))
