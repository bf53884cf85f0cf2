"""Receipt kinds other than the submission receipt: pure data in, laid-out lines out.

* queue ticket (排队号): the number, read from across a hall, and how many are waiting;
* query result (查询结果): a printout of a tracking number's progress;
* payment slip (缴费凭条, 待确认): a payment the platform confirmed, or one it could not;
* technician test page: device information, a column ruler, character widths (䶮 and
  full-width punctuation included), text styles, a QR code and a barcode.

Each returns ``list[Line]`` for ``ReceiptPrinter.print_layout``. Callers pass masked values
only; nothing here sees unmasked personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from devices.printers.receipt import (
    COLUMNS,
    DOTS,
    Line,
    ReceiptCaptions,
    WidthMm,
    code128_modules,
    label_value_lines,
    qr_block,
    text_width,
    wrap,
)


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("times must be timezone-aware (local time)")


def _columns(width_mm: WidthMm) -> int:
    if width_mm not in COLUMNS:
        raise ValueError(f"unsupported paper width {width_mm} mm (use 58 or 80)")
    return COLUMNS[width_mm]


def _title(text: str, cols: int) -> list[Line]:
    return [Line(text=t, align="center", bold=True, double_height=True) for t in wrap(text, cols)]


def _footer(when: datetime, kiosk_id: str, cols: int, caption: str) -> list[Line]:
    cap = ReceiptCaptions()
    pairs = ((caption, when.strftime("%Y-%m-%d %H:%M:%S")), (cap.kiosk, kiosk_id))
    return [Line(text="-" * cols), *label_value_lines(pairs, cols, cap.separator)]


@dataclass(frozen=True)
class QueueTicket:
    """A numbered place in a hall's queue."""

    number: str  # e.g. "A023"
    service: str  # e.g. "社保业务"
    waiting: int | None  # people ahead; None when not known (a kiosk's local number)
    issued_at: datetime
    kiosk_id: str
    hall: str = ""
    qr_payload: str = ""  # e.g. a URL to follow the queue on a phone
    notes: tuple[str, ...] = ("请留意叫号屏幕及语音提示，过号请重新取号。",)

    def __post_init__(self) -> None:
        _require_aware(self.issued_at)
        if self.waiting is not None and self.waiting < 0:
            raise ValueError("waiting must not be negative")


def layout_queue_ticket(ticket: QueueTicket, width_mm: WidthMm) -> list[Line]:
    """The number as large as the paper allows (up to 4x), centred."""
    cols = _columns(width_mm)
    out: list[Line] = []
    if ticket.hall:
        out.extend(Line(text=t, align="center") for t in wrap(ticket.hall, cols))
    out.extend(_title("排队号", cols))
    out.append(Line(text=""))
    width = max(text_width(ticket.number), 1)
    scale = next((s for s in (2, 1) if width * 2 * s <= cols), 0)
    if scale:
        out.append(Line(text=ticket.number, align="center", bold=True, double_width=True,
                        double_height=True, scale=scale))
    else:
        out.extend(Line(text=t, align="center", bold=True, double_height=True)
                   for t in wrap(ticket.number, cols))
    out.append(Line(text=""))
    out.extend(Line(text=t, align="center") for t in wrap(ticket.service, cols))
    if ticket.waiting is not None:
        waiting = f"您前面还有 {ticket.waiting} 人等候"
        out.extend(Line(text=t, align="center", bold=True) for t in wrap(waiting, cols))
    if ticket.qr_payload:
        out.extend(qr_block(ticket.qr_payload))
    for note in ticket.notes:
        out.extend(Line(text=t) for t in wrap(note, cols))
    out.extend(_footer(ticket.issued_at, ticket.kiosk_id, cols, "取号时间"))
    return out


@dataclass(frozen=True)
class QueryResult:
    """The progress of one tracking number, as the platform last reported it."""

    tracking_number: str
    service: str
    state: str  # e.g. "审核中"
    steps: tuple[tuple[str, str], ...]  # (when, what), oldest first, already formatted
    queried_at: datetime
    kiosk_id: str
    qr_payload: str = ""
    lines: tuple[tuple[str, str], ...] = ()  # further masked facts, e.g. ("申请人", "张*")
    notes: tuple[str, ...] = ("以上信息以办理部门最终结果为准。",)

    def __post_init__(self) -> None:
        _require_aware(self.queried_at)


def layout_query_result(result: QueryResult, width_mm: WidthMm) -> list[Line]:
    """Facts as label/value columns, then the steps as a dated list."""
    cols = _columns(width_mm)
    sep = ReceiptCaptions().separator
    out = _title("办理进度查询结果", cols)
    out.append(Line(text="-" * cols))
    facts = (("受理编号", result.tracking_number), ("办理事项", result.service),
             ("当前状态", result.state), *result.lines)
    out.extend(label_value_lines(facts, cols, sep))
    if result.steps:
        out.append(Line(text="-" * cols))
        out.append(Line(text="办理过程", bold=True))
        for when, what in result.steps:
            out.extend(Line(text=t) for t in wrap(when, cols))
            out.extend(Line(text=("  " + t).rstrip()) for t in wrap(what, cols - 2))
    if result.qr_payload:
        out.extend(qr_block(result.qr_payload))
    for note in result.notes:
        out.extend(Line(text=t) for t in wrap(note, cols))
    out.extend(_footer(result.queried_at, result.kiosk_id, cols, "查询时间"))
    return out


@dataclass(frozen=True)
class TestPage:
    """What a technician needs to see on paper: which device this is and that it prints."""

    __test__ = False  # not a pytest class

    device: tuple[tuple[str, str], ...]  # e.g. (("打印机", "network 192.0.2.10:9100"), ...)
    printed_at: datetime
    kiosk_id: str
    qr_payload: str = "https://gov.example/kiosk/test"
    barcode: str = "TEST-0451"

    def __post_init__(self) -> None:
        _require_aware(self.printed_at)


# Samples whose widths a technician checks against the ruler: each sample line is exactly
# one line wide on 58 mm paper when every character takes the columns the layout assumes.
_WIDTH_SAMPLES = (
    "汉字宽度：一行十六个汉字示例测试",
    "生僻字：䶮龑𠮷㐀䶵堃喆赟",
    "标点：，。、；：？！（）【】《》",
    "符号：“”‘’——……·％＃",
)


def layout_test_page(page: TestPage, width_mm: WidthMm) -> list[Line]:
    """Device information, a ruler, width samples, styles, a QR code and a barcode."""
    cols = _columns(width_mm)
    if code128_modules(page.barcode) * 2 > DOTS[width_mm]:
        raise ValueError(f"barcode {page.barcode!r} is too long for {width_mm} mm paper")
    sep = ReceiptCaptions().separator
    out = _title("打印机测试页", cols)
    out.append(Line(text="-" * cols))
    info = (*page.device, ("纸宽", f"{width_mm} mm / {cols} 列 / {DOTS[width_mm]} 点"))
    out.extend(label_value_lines(info, cols, sep))
    out.append(Line(text="-" * cols))
    out.append(Line(text="列标尺（每列一个字符）", bold=True))
    out.append(Line(text="".join(str(i % 10) for i in range(1, cols + 1))))
    out.append(Line(text="".join("|" if i % 10 == 0 else "." for i in range(1, cols + 1))))
    out.append(Line(text="字符宽度（汉字占两列）", bold=True))
    for sample in _WIDTH_SAMPLES:
        out.extend(Line(text=t) for t in wrap(sample, cols))
    out.append(Line(text="ASCII: The quick brown fox 0123456789"[:cols]))
    out.append(Line(text="-" * cols))
    out.append(Line(text="样式", bold=True))
    out.append(Line(text="常规 Regular"))
    out.append(Line(text="加粗 Bold", bold=True))
    out.append(Line(text="倍高 Tall", double_height=True))
    out.append(Line(text="倍宽 Wide", double_width=True))
    out.append(Line(text="居中 Centre", align="center"))
    out.append(Line(text="居右 Right", align="right"))
    out.append(Line(text="-" * cols))
    out.append(Line(text="二维码", bold=True))
    out.extend(qr_block(page.qr_payload))
    out.append(Line(text="条形码 CODE128", bold=True))
    out.append(Line(text=page.barcode, kind="barcode", align="center"))
    out.extend(_footer(page.printed_at, page.kiosk_id, cols, "打印时间"))
    return out


@dataclass(frozen=True)
class PaymentSlip:
    """缴费: the receipt of a payment the platform confirmed, or the 待确认 slip of one whose
    outcome the kiosk could not learn (its order number and how to check it)."""

    title: str  # 缴费凭条, 缴费结果待确认 …
    facts: tuple[tuple[str, str], ...]  # masked: (户号, 1********01), (金额, ¥86.50) …
    issued_at: datetime
    kiosk_id: str
    notes: tuple[str, ...] = ()
    qr_payload: str = ""

    def __post_init__(self) -> None:
        _require_aware(self.issued_at)


def layout_payment_slip(slip: PaymentSlip, width_mm: WidthMm) -> list[Line]:
    cols = _columns(width_mm)
    out = _title(slip.title, cols)
    out.append(Line(text="-" * cols))
    out.extend(label_value_lines(slip.facts, cols, ReceiptCaptions().separator))
    if slip.qr_payload:
        out.extend(qr_block(slip.qr_payload))
    for note in slip.notes:
        out.extend(Line(text=t) for t in wrap(note, cols))
    out.extend(_footer(slip.issued_at, slip.kiosk_id, cols, "打印时间"))
    return out
