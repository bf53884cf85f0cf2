"""An official proof as a one-page A4 PDF, drawn with Qt's PDF writer (fonts embedded).

Qt embeds a subset of each font it draws with, with a ToUnicode map, so the Chinese text is
in the file (any viewer shows it, ``pdftotext`` reads it back) and nothing depends on the
fonts of the machine that prints it. The family is Noto Sans CJK SC (Debian: fonts-noto-cjk),
as on the screens. Laid out: the title, the issuing body and the day, the holder, the facts,
the table, the notes, then the verification code in large type beside a QR code of the
verification URL (drawn as vector squares from the ``qrcode`` package the receipts use), and
the issuing body's words where its seal would go.

Runs on the proof desk's thread: QPdfWriter and QPainter on a paged device need no GUI
thread, only a QGuiApplication (the kiosk's window has one).

Known: Qt's ToUnicode map gives a few ideographs that share a glyph with a Kangxi radical the
radical's code point (示 is extracted as U+2F70 ⽰); the print is right, a text extraction
needs NFKC normalisation (which the tests apply).
"""

from __future__ import annotations

import qrcode
import qrcode.constants

from kiosk.proofs.machine import IssuedProof

from .qt import QByteArray, QColor, QFont, QPainter, QPen, QRectF, Qt
from .qt_print import QBuffer, QIODevice, QMarginsF, QPageLayout, QPageSize, QPdfWriter

__all__ = ["FONT_FAMILY", "render_proof_pdf"]

FONT_FAMILY = "Noto Sans CJK SC"
DPI = 300
MM = DPI / 25.4
MARGIN_MM = 18.0


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(points)
    font.setBold(bold)
    # Without this, Qt's ToUnicode map loses the digits that HarfBuzz's 'locl' substitutes
    # in Latin runs (the code, the URL): they print, but a reader's copy and pdftotext miss
    # them. The SC font's own glyphs are already the Simplified forms.
    font.setFeature(QFont.Tag("locl"), 0)
    return font


def qr_matrix(text: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def render_proof_pdf(proof: IssuedProof, verify_url: str) -> bytes:
    """The proof's PDF bytes (kept in memory only)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setTitle(proof.title)
    writer.setCreator("Civic kiosk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    try:
        _draw(painter, proof, verify_url, writer.width(), writer.height())
    finally:
        painter.end()
        buffer.close()
    return bytes(data.data())


def _draw(p: QPainter, proof: IssuedProof, url: str, width: int, height: int) -> None:
    left, right = MARGIN_MM * MM, width - MARGIN_MM * MM
    inner = right - left
    y = MARGIN_MM * MM
    p.setPen(QColor("black"))

    def text(line: str, points: float, *, bold: bool = False, align: Qt.AlignmentFlag =
             Qt.AlignmentFlag.AlignLeft, gap_mm: float = 2.0) -> None:
        nonlocal y
        p.setFont(_font(points, bold))
        rect = QRectF(left, y, inner, height)
        box = p.boundingRect(rect, int(align | Qt.TextFlag.TextWordWrap), line)
        p.drawText(rect, int(align | Qt.TextFlag.TextWordWrap), line)
        y += box.height() + gap_mm * MM

    text(proof.title, 20, bold=True, align=Qt.AlignmentFlag.AlignHCenter, gap_mm=3)
    text(f"出具单位：{proof.issuer}    出具日期：{proof.issued_on}", 10,
         align=Qt.AlignmentFlag.AlignHCenter, gap_mm=5)
    text(f"姓名：{proof.holder_name}    公民身份号码：{proof.holder_id}", 11, gap_mm=2)
    for label, value in proof.facts:
        text(f"{label}：{value}", 10.5, gap_mm=1)
    y += 3 * MM
    y = _table(p, proof, left, inner, y)
    y += 4 * MM
    for note in proof.notes:
        text(note, 9, gap_mm=1)
    _code_block(p, proof, url, left, inner, max(y + 4 * MM, height - 80 * MM))


def _table(p: QPainter, proof: IssuedProof, left: float, inner: float, y: float) -> float:
    columns = len(proof.columns)
    if columns == 0:
        return y
    widths = [inner / columns] * columns
    row_h = 7.0 * MM
    p.setPen(QPen(QColor("black"), 0.25 * MM))
    for index, row in enumerate((proof.columns, *proof.rows)):
        p.setFont(_font(9, bold=index == 0))
        x = left
        for width, cell in zip(widths, row, strict=True):
            rect = QRectF(x, y, width, row_h)
            p.drawRect(rect)
            p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), cell)
            x += width
        y += row_h
    return y


def _code_block(p: QPainter, proof: IssuedProof, url: str, left: float, inner: float,
                y: float) -> None:
    matrix = qr_matrix(url)
    side = 38 * MM
    cell = side / len(matrix)
    qr_left = left + inner - side
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("black"))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                p.drawRect(QRectF(qr_left + c * cell, y + r * cell, cell * 1.01, cell * 1.01))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QColor("black"))
    words = inner - side - 6 * MM
    p.setFont(_font(10))
    p.drawText(QRectF(left, y, words, 8 * MM), int(Qt.AlignmentFlag.AlignLeft), "验证码：")
    p.setFont(_font(16, bold=True))
    p.drawText(QRectF(left, y + 8 * MM, words, 12 * MM), int(Qt.AlignmentFlag.AlignLeft),
               proof.code)
    p.setFont(_font(9))
    p.drawText(QRectF(left, y + 21 * MM, words, 16 * MM),
               int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
               f"查验网址：{url}")
    p.setFont(_font(11, bold=True))
    p.drawText(QRectF(left, y + side + 6 * MM, inner, 10 * MM),
               int(Qt.AlignmentFlag.AlignRight), f"{proof.issuer}（电子印章）")
