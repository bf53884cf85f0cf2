"""Receipt model and a small layout engine for fixed-column receipt printers.

Receipt printers have no fonts the host can measure: Font A gives 32 columns on 58 mm paper and
48 on 80 mm, and a Chinese character takes two columns. The layout therefore works in columns,
wraps Chinese text between characters, and obeys the basic line-breaking rule that a line never
starts with closing punctuation (nor ends with opening punctuation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Literal

WidthMm = Literal[58, 80]
Align = Literal["left", "center", "right"]
LineKind = Literal["text", "qr", "barcode"]

COLUMNS: dict[int, int] = {58: 32, 80: 48}
DOTS: dict[int, int] = {58: 384, 80: 576}

# A line must not start with these (closing brackets, pause and stop marks, ...).
CLOSING_PUNCTUATION = frozenset(
    "，。、；：？！）」』》〉】〕〗〙〛”’％‰℃°．｡､・ヽヾゝゞ々〻"
    ",.;:?!)]}%"
)
# A line must not end with these (opening brackets and quotes).
OPENING_PUNCTUATION = frozenset("（「『《〈【〔〖〘〚“‘([{")
# Dashes and ellipses come in pairs (——, ……) that must never be split.
INSEPARABLE = frozenset("—…")


@dataclass(frozen=True)
class Receipt:
    """What the kiosk prints after a durable outbox commit.

    Values are masked by the caller (e.g. ``张*``, ``2301**********001X``); this object never
    sees unmasked personal data, so its repr is safe to show. The query code (the citizen's
    secret for status lookups, also inside ``qr_payload``) stays out of the repr.
    """

    title: str
    lines: tuple[tuple[str, str], ...]
    tracking_number: str
    qr_payload: str = field(repr=False)
    notes: tuple[str, ...]
    printed_at: datetime
    kiosk_id: str
    query_code: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.printed_at.tzinfo is None or self.printed_at.utcoffset() is None:
            raise ValueError("printed_at must be timezone-aware (local time)")


@dataclass(frozen=True)
class ReceiptCaptions:
    """Fixed captions printed on every receipt; replaceable for other languages."""

    tracking: str = "受理编号"
    query_code: str = "查询码"
    printed_at: str = "打印时间"
    kiosk: str = "终端编号"
    separator: str = "："


@dataclass(frozen=True)
class Line:
    """One printed line: text already fitted to the paper's columns, a QR code (``text`` is
    the payload) or a CODE128 barcode (``text`` is the ASCII data).

    ``scale`` (1-4) multiplies both dimensions on top of the double flags, for the few things
    that must be read from a distance, such as a queue number.
    """

    text: str = ""
    kind: LineKind = "text"
    align: Align = "left"
    bold: bool = False
    double_height: bool = False
    double_width: bool = False
    scale: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.scale <= 4:
            raise ValueError("scale must be 1 to 4")
        if self.kind == "barcode" and not (self.text.isascii() and self.text.isprintable()):
            raise ValueError("barcode data must be printable ASCII")

    @property
    def width_factor(self) -> int:
        return (2 if self.double_width else 1) * self.scale

    @property
    def height_factor(self) -> int:
        return (2 if self.double_height else 1) * self.scale


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns one character takes on the printer.

    East Asian wide and full-width characters (W, F) take two columns. So does every other
    non-ASCII character: the driver sends all non-ASCII text as GB18030 inside Chinese mode,
    where the printer draws each multi-byte character as a full-width cell -- 'ambiguous'
    ones such as — … “ · é included. Counting those as one would overflow the line.
    """
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    return 2  # W/F by East Asian width, and everything else printed from the CJK font


def text_width(text: str) -> int:
    """Columns a string takes on the printer."""
    return sum(char_width(ch) for ch in text)


def _units(text: str) -> list[str]:
    """Split text into units that may not be broken: a wide character with the punctuation
    that clings to it, a Latin word, a run of spaces."""
    units: list[str] = []
    prefix = ""  # opening punctuation waiting for the next unit
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if prefix:
                units.append(prefix)
                prefix = ""
            units.append(" " * (j - i))
            i = j
            continue
        if ch in OPENING_PUNCTUATION and char_width(ch) == 2:
            prefix += ch
            i += 1
            continue
        attachable = bool(units) and (not units[-1].isspace() or len(units) > 1)
        if ch in CLOSING_PUNCTUATION and not prefix and attachable:
            space = units.pop() if units[-1].isspace() else ""  # "word ，" stays together
            units[-1] += space + ch
            i += 1
            continue
        if ch in INSEPARABLE:
            j = i
            while j < n and text[j] == ch:
                j += 1
        elif char_width(ch) == 2 or ch in CLOSING_PUNCTUATION:
            j = i + 1
        else:  # a narrow word: letters, digits, ASCII punctuation
            j = i
            while (
                j < n
                and not text[j].isspace()
                and char_width(text[j]) < 2
                and text[j] not in INSEPARABLE
            ):
                j += 1
        units.append(prefix + text[i:j])
        prefix = ""
        i = j
    if prefix:
        units.append(prefix)
    return units


def _hard_split(unit: str, width: int) -> list[str]:
    """Break a unit wider than the line between characters (last resort)."""
    parts: list[str] = []
    cur = ""
    for ch in unit:
        if cur and text_width(cur + ch) > width:
            if ch in CLOSING_PUNCTUATION and len(cur) > 1:  # take a character along
                parts.append(cur[:-1])
                cur = cur[-1]
            else:
                parts.append(cur)
                cur = ""
        cur += ch
    if cur:
        parts.append(cur)
    return parts


def wrap(text: str, width: int) -> list[str]:
    """Wrap text into lines of at most ``width`` columns.

    Breaks between Chinese characters and at spaces, never inside a Latin word unless it is
    wider than a whole line, and never so that a line starts with closing punctuation.
    Always returns at least one line.
    """
    if width < 2:
        raise ValueError("width must be at least 2 columns")
    lines: list[str] = []
    cur = ""
    for para in text.splitlines() or [""]:
        cur = ""
        for unit in _units(para):
            if unit.isspace():
                if cur and text_width(cur) + len(unit) <= width:
                    cur += unit
                elif cur:
                    lines.append(cur.rstrip())
                    cur = ""
                continue
            if text_width(cur) + text_width(unit) <= width:
                cur += unit
                continue
            if cur.strip():
                lines.append(cur.rstrip())
            cur = ""
            if text_width(unit) <= width:
                cur = unit
            else:
                *full, cur = _hard_split(unit, width)
                lines.extend(full)
        lines.append(cur.rstrip())
    return lines


def label_value_lines(
    pairs: tuple[tuple[str, str], ...], cols: int, separator: str
) -> list[Line]:
    """Two columns: labels padded to a common width, values wrapped beside them."""
    if not pairs:
        return []
    label_col = min(max(text_width(label + separator) for label, _ in pairs), cols // 2)
    out: list[Line] = []
    for label, value in pairs:
        head = label + separator
        value_lines = wrap(value, cols - label_col)
        if text_width(head) > label_col:
            out.extend(Line(text=t) for t in wrap(head, cols))
            out.extend(Line(text=(" " * label_col + t).rstrip()) for t in value_lines)
            continue
        pad = " " * (label_col - text_width(head))
        out.append(Line(text=(head + pad + value_lines[0]).rstrip()))
        out.extend(Line(text=(" " * label_col + t).rstrip()) for t in value_lines[1:])
    return out


def layout_receipt(
    receipt: Receipt, width_mm: WidthMm, captions: ReceiptCaptions | None = None
) -> list[Line]:
    """Lay a receipt out for 58 mm (32 columns) or 80 mm (48 columns) paper."""
    if width_mm not in COLUMNS:
        raise ValueError(f"unsupported paper width {width_mm} mm (use 58 or 80)")
    cap = captions or ReceiptCaptions()
    cols = COLUMNS[width_mm]
    out: list[Line] = [
        Line(text=t, align="center", bold=True, double_height=True)
        for t in wrap(receipt.title, cols)
    ]
    out.append(Line(text="-" * cols))
    out.extend(label_value_lines(receipt.lines, cols, cap.separator))
    out.append(Line(text="-" * cols))

    out.append(Line(text=cap.tracking, align="center"))
    big = text_width(receipt.tracking_number) * 2 <= cols
    out.extend(
        Line(text=t, align="center", bold=True, double_height=True, double_width=big)
        for t in wrap(receipt.tracking_number, cols // 2 if big else cols)
    )
    if receipt.query_code:
        out.extend(
            Line(text=t, align="center", bold=True)
            for t in wrap(f"{cap.query_code}{cap.separator}{receipt.query_code}", cols)
        )
    if receipt.qr_payload:
        out.extend(qr_block(receipt.qr_payload))
    for note in receipt.notes:
        out.extend(Line(text=t) for t in wrap(note, cols))
    out.append(Line(text="-" * cols))
    stamp = receipt.printed_at.strftime("%Y-%m-%d %H:%M:%S")
    out.extend(
        label_value_lines(
            ((cap.printed_at, stamp), (cap.kiosk, receipt.kiosk_id)), cols, cap.separator
        )
    )
    return out


def qr_block(payload: str, align: Align = "center") -> list[Line]:
    """A QR code with a blank line above and below: the quiet zone phones need to scan it."""
    return [Line(align=align), Line(text=payload, kind="qr", align=align), Line(align=align)]


def code128_modules(data: str) -> int:
    """Width of a CODE128 (code set B) symbol in modules, quiet zones of 10 included."""
    return 11 * (len(data) + 3) + 2 + 20


def layout_text(lines: list[Line], width_mm: WidthMm) -> str:
    """What the paper should read, in the virtual printer's transcript notation: aligned
    text padded as printed, ``[QR] payload`` and ``[BARCODE CODE128] data`` for graphics."""
    cols = COLUMNS[width_mm]
    out: list[str] = []
    for line in lines:
        if line.kind == "qr":
            out.append(f"[QR] {line.text}")
        elif line.kind == "barcode":
            out.append(f"[BARCODE CODE128] {line.text}")
        else:
            room = cols - text_width(line.text) * line.width_factor
            pad = {"center": room // 2, "right": room}.get(line.align, 0)
            out.append((" " * max(pad, 0) + line.text).rstrip())
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
