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


@dataclass(frozen=True)
class Palette:
    """Every colour the kiosk paints with. Standard: dark text on white, blue controls;
    high contrast (ACCESSIBILITY.md 2: 7:1 for all text, 3:1 for borders and focus): white and
    yellow on black, the scheme low-vision users know from their phones and screen magnifiers."""

    name: str
    text: str
    background: str
    primary: str  # filled buttons and the header; borders of the others
    primary_text: str  # text and icons on ``primary``
    muted_bg: str  # panels
    error: str
    ok: str
    highlight: str  # banners, checked header toggles
    highlight_text: str
    disabled_text: str
    disabled_border: str
    focus: str  # the focus outline, on ``background`` and on ``primary``


STANDARD = Palette("standard", text=TEXT, background=BACKGROUND, primary=PRIMARY,
                   primary_text=PRIMARY_TEXT, muted_bg=MUTED_BG, error=ERROR, ok=OK,
                   highlight=CARE_HIGHLIGHT, highlight_text=TEXT, disabled_text=DISABLED_TEXT,
                   disabled_border="#6b6b6b", focus=TEXT)
HIGH_CONTRAST = Palette("high-contrast", text="#ffffff", background="#000000",
                        primary="#ffff00", primary_text="#000000", muted_bg="#1c1c1c",
                        error="#ff9c9c", ok="#8cff9c", highlight="#00ffff",
                        highlight_text="#000000", disabled_text="#b0b0b0",
                        disabled_border="#b0b0b0", focus="#00ffff")
_active = [STANDARD]


def active_palette() -> Palette:
    """The palette the window shows now (icons are painted in it when they are drawn)."""
    return _active[0]


def set_active_palette(palette: Palette) -> None:
    _active[0] = palette


def text_pairs(p: Palette) -> tuple[tuple[str, str], ...]:
    """(foreground, background) pairs used for text anywhere in the style sheet."""
    return (
        (p.text, p.background),
        (p.text, p.muted_bg),
        (p.primary_text, p.primary),
        (p.primary, p.background),
        (p.error, p.background),
        (p.ok, p.background),
        (p.highlight_text, p.highlight),
        (p.disabled_text, p.background),
    )


def outline_pairs(p: Palette) -> tuple[tuple[str, str], ...]:
    """(border or focus mark, what it stands on) pairs: buttons' borders and the focus outline
    (drawn as the button's border, so it stands on the screen's background), icons on tiles."""
    return (
        (p.primary, p.background),
        (p.disabled_border, p.background),
        (p.focus, p.background),
        (p.primary_text, p.primary),
        (p.background, p.primary),  # header buttons on the header
    )


TEXT_PAIRS = text_pairs(STANDARD)


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
    high_contrast: bool = False

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else STANDARD

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
    p = m.palette
    return f"""
    QWidget {{ background: {p.background}; color: {p.text}; font-size: {m.body}px; }}
    QLabel {{ background: transparent; }}
    QLabel[role="heading"] {{ font-size: {m.heading}px; font-weight: bold; }}
    QLabel[role="error"] {{ color: {p.error}; font-weight: bold; }}
    QLabel[role="ok"] {{ color: {p.ok}; font-weight: bold; }}
    QLabel[role="banner"] {{
        background: {p.highlight}; color: {p.highlight_text}; padding: {m.gap}px;
        border-radius: 8px;
    }}
    QLabel[role="note"] {{ font-weight: bold; }}
    QLabel[role="tracking"] {{ font-size: {round(m.heading * 1.3)}px; font-weight: bold; }}
    QLabel[role="ticket"] {{ font-size: {max(round(m.heading * 2.2), m.px(30))}px;
                            font-weight: bold; }}
    QPushButton {{
        min-height: {m.target}px; min-width: {m.target}px; padding: 0 {m.gap * 2}px;
        border: 3px solid {p.primary}; border-radius: 10px; background: {p.background};
        color: {p.primary}; font-weight: bold;
    }}
    QPushButton[tile="true"] {{
        min-height: {round(m.target * 1.5)}px; qproperty-iconSize: {m.icon}px {m.icon}px;
    }}
    QPushButton[key="true"] {{
        padding: 0 {m.key_padding}px; min-width: {m.target - 2 * m.key_padding}px;
    }}
    QPushButton[role="primary"] {{ background: {p.primary}; color: {p.primary_text}; }}
    QPushButton:checked {{ background: {p.primary}; color: {p.primary_text}; }}
    QPushButton:focus {{ border: 4px solid {p.focus}; }}
    QPushButton:disabled, QPushButton[role="primary"]:disabled {{
        background: {p.background}; border-color: {p.disabled_border}; color: {p.disabled_text};
    }}
    QFrame#header {{ background: {p.primary}; }}
    QFrame#header QLabel {{ color: {p.primary_text}; background: {p.primary}; }}
    QFrame#header QLabel#header-clock, QFrame#header QLabel#header-network {{
        font-size: {m.small}px;
    }}
    QFrame#header QPushButton {{
        background: {p.background}; color: {p.primary}; border-color: {p.background};
        padding: 0 {m.gap}px;
    }}
    QFrame#header QPushButton:checked {{
        background: {p.highlight}; color: {p.highlight_text};
    }}
    QFrame[role="panel"] {{ background: {p.muted_bg}; border-radius: 12px; }}
    QFrame[role="panel"] QLabel {{ background: {p.muted_bg}; }}
    """
