"""Physical sizes: millimetres on the glass, computed from the screen's real DPI.

Qt's point sizes follow logical DPI, which says nothing about the glass; offscreen and Xvfb
report nonsense, so they use the reference screen (21.5" 1920x1080, about 102 DPI).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .qt import QGuiApplication

REFERENCE_DPI = 102.0
BODY_EM_MM = {False: 6.4, True: 10.5}  # standard, care mode (ACCESSIBILITY.md 1)
PRIMARY_TARGET_MM = 20.0
MIN_TARGET_MM = 9.5
GAP_MM = 2.0

TEXT = "#111111"
BACKGROUND = "#ffffff"
PRIMARY = "#0b4f9c"  # white on it: 8.0:1
PRIMARY_TEXT = "#ffffff"
MUTED_BG = "#eef2f7"
ERROR = "#a30000"  # on white: 8.2:1
OK = "#0a5c2a"  # on white: 8.2:1


CARE_HIGHLIGHT = "#ffd23f"  # checked header toggles; black text on it: 13:1
DISABLED_TEXT = "#595959"  # on white: 7:1

# (foreground, background) pairs used for text anywhere in the stylesheet.
TEXT_PAIRS = (
    (TEXT, BACKGROUND),
    (TEXT, MUTED_BG),
    (PRIMARY_TEXT, PRIMARY),
    (PRIMARY, BACKGROUND),
    (ERROR, BACKGROUND),
    (OK, BACKGROUND),
    (TEXT, CARE_HIGHLIGHT),
    (DISABLED_TEXT, BACKGROUND),
)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def screen_dpi(configured: float = 0.0) -> float:
    if configured > 0:
        return configured
    app = QGuiApplication.instance()
    if app is None or QGuiApplication.platformName() in {"offscreen", "minimal"}:
        return REFERENCE_DPI
    screen = QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen else 0.0
    return dpi if 60.0 <= dpi <= 400.0 else REFERENCE_DPI


def layout_gap() -> int:
    """Pixels between neighbouring controls: 2 mm on this screen, plus a pixel of margin."""
    return max(math.ceil(GAP_MM * screen_dpi() / 25.4), 8) + 1


@dataclass(frozen=True)
class Metrics:
    dpi: float
    care_mode: bool

    def px(self, mm: float) -> int:
        return math.ceil(mm * self.dpi / 25.4)

    @property
    def body(self) -> int:
        return self.px(BODY_EM_MM[self.care_mode])

    @property
    def heading(self) -> int:
        return round(self.body * 1.35)

    @property
    def small(self) -> int:
        # Secondary text never drops below the standard body size.
        return self.px(BODY_EM_MM[False])

    @property
    def icon(self) -> int:
        """A tile's icon: a little taller than its text's capitals (ACCESSIBILITY.md 2)."""
        return round(self.body * 1.3)

    @property
    def target(self) -> int:
        return self.px(PRIMARY_TARGET_MM)

    @property
    def gap(self) -> int:
        return max(self.px(GAP_MM), 8)

    @property
    def key_padding(self) -> int:
        """A keypad key's side padding: less than a button's (a key is as narrow as a primary
        target), never none, so that a label of two characters (单元) keeps off the border."""
        return self.gap // 2


def stylesheet(m: Metrics) -> str:
    return f"""
    QWidget {{ background: {BACKGROUND}; color: {TEXT}; font-size: {m.body}px; }}
    QLabel {{ background: transparent; }}
    QLabel[role="heading"] {{ font-size: {m.heading}px; font-weight: bold; }}
    QLabel[role="error"] {{ color: {ERROR}; font-weight: bold; }}
    QLabel[role="ok"] {{ color: {OK}; font-weight: bold; }}
    QLabel[role="banner"] {{
        background: {CARE_HIGHLIGHT}; color: {TEXT}; padding: {m.gap}px; border-radius: 8px;
    }}
    QLabel[role="note"] {{ font-weight: bold; }}
    QLabel[role="tracking"] {{ font-size: {round(m.heading * 1.3)}px; font-weight: bold; }}
    QLabel[role="ticket"] {{ font-size: {max(round(m.heading * 2.2), m.px(30))}px;
                            font-weight: bold; }}
    QPushButton {{
        min-height: {m.target}px; min-width: {m.target}px; padding: 0 {m.gap * 2}px;
        border: 3px solid {PRIMARY}; border-radius: 10px; background: {BACKGROUND};
        color: {PRIMARY}; font-weight: bold;
    }}
    QPushButton[tile="true"] {{
        min-height: {round(m.target * 1.5)}px; qproperty-iconSize: {m.icon}px {m.icon}px;
    }}
    QPushButton[key="true"] {{
        padding: 0 {m.key_padding}px; min-width: {m.target - 2 * m.key_padding}px;
    }}
    QPushButton[role="primary"] {{ background: {PRIMARY}; color: {PRIMARY_TEXT}; }}
    QPushButton:checked {{ background: {PRIMARY}; color: {PRIMARY_TEXT}; }}
    QPushButton:focus {{ border: 4px solid {TEXT}; }}
    QPushButton:disabled, QPushButton[role="primary"]:disabled {{
        background: {BACKGROUND}; border-color: #6b6b6b; color: {DISABLED_TEXT};
    }}
    QFrame#header {{ background: {PRIMARY}; }}
    QFrame#header QLabel {{ color: {PRIMARY_TEXT}; background: {PRIMARY}; }}
    QFrame#header QLabel#header-clock, QFrame#header QLabel#header-network {{
        font-size: {m.small}px;
    }}
    QFrame#header QPushButton {{
        background: {BACKGROUND}; color: {PRIMARY}; border-color: {BACKGROUND};
    }}
    QFrame#header QPushButton:checked {{ background: {CARE_HIGHLIGHT}; color: {TEXT}; }}
    QFrame[role="panel"] {{ background: {MUTED_BG}; border-radius: 12px; }}
    QFrame[role="panel"] QLabel {{ background: {MUTED_BG}; }}
    """
