"""Incremental ESC/POS parser: the virtual printer's mechanism, without any transport.

It consumes each command by its length, answers ``DLE EOT`` at once (also mid-job), decodes
text as GB18030 in Chinese mode and code page 437 otherwise, wraps at the paper's column count
like a real printer, keeps native QR codes, CODE128-style barcodes and ``GS v 0`` raster images
as graphics for the renderer, and splits receipts at cuts.

Simplifications: font B and user-defined characters (``ESC &``) are not modelled; ``ESC *``
column images and ``GS ( L`` graphics are consumed but not kept; automatic status back
(``GS a``) is accepted and ignored: poll with ``DLE EOT``.
"""

from __future__ import annotations

from collections.abc import Callable

from .printout import Barcode, Graphic, PrintedLine, QrCode, RasterImage

MAX_BUFFERED = 70_000  # longest buffered command: GS ( k with a 16-bit length
MAX_RASTER = 1 << 20  # raster images larger than this are consumed but not kept
MAX_RASTER_DOTS = 1024  # nor wider than any paper (a printer ignores them)

_QR_EC = {48: "L", 49: "M", 50: "Q", 51: "H"}
# GS k m: function A (m 0..6) and function B (m 65..73) symbologies.
_SYMBOLOGY = {
    0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "CODABAR",
    65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF",
    71: "CODABAR", 72: "CODE93", 73: "CODE128",
}


def _barcode_text(symbology: str, raw: bytes) -> str:
    text = raw.decode("latin-1")
    if symbology == "CODE128" and len(text) >= 2 and text[0] == "{" and text[1] in "ABC":
        text = text[2:]  # code set selection, not data
    return text


# Fixed parameter counts after ESC x / GS x / FS x. Anything unknown consumes two bytes.
_ESC_ARGS = {
    b"@": 0, b"E": 1, b"a": 1, b"!": 1, b"d": 1, b"J": 1, b"K": 1, b"2": 0, b"3": 1, b"-": 1,
    b"M": 1, b"t": 1, b"R": 1, b"G": 1, b"{": 1, b"V": 1, b" ": 1, b"$": 2, b"\\": 2,
    b"p": 3, b"=": 1, b"r": 1, b"U": 1, b"T": 1, b"W": 8, b"L": 0, b"S": 0, b"e": 1,
    b"i": 0, b"m": 0, b"u": 1, b"v": 0, b"%": 1, b"?": 1, b"f": 2, b"c": 2, b"&": 3,
}
_GS_ARGS = {
    b"!": 1, b"B": 1, b"H": 1, b"h": 1, b"w": 1, b"f": 1, b"L": 2, b"W": 2, b"a": 1,
    b"b": 1, b"r": 1, b"I": 1, b"P": 2, b"$": 2, b"\\": 2, b"T": 1, b"/": 1, b"E": 1,
    b":": 0, b"^": 3, b"j": 1,
}
_FS_ARGS = {b"&": 0, b".": 0, b"!": 1, b"W": 1, b"-": 1, b"C": 1, b"S": 2, b"?": 2, b"p": 2}
_ALIGN = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}


class EscPosParser:
    """Incremental ESC/POS parser for one connection.

    ``feed`` consumes what it can and returns the bytes to answer; a partial command waits
    in a bounded buffer, and bulk data of declared length is skipped (raster images up to
    ``MAX_RASTER`` bytes are kept for the renderer) without buffering the stream.
    """

    def __init__(
        self,
        columns: int,
        status: Callable[[int], int | None],
        printing: Callable[[], bool],
        on_receipt: Callable[[list[PrintedLine], list[str], bool], None],
    ) -> None:
        self.columns = columns
        self._status = status
        self._printing = printing
        self._on_receipt = on_receipt
        self._buf = bytearray()
        self._skip = 0
        self._capture: bytearray | None = None  # raster data being collected
        self._raster_shape = (0, 0, 1, 1)
        self.job_bytes = 0  # everything except real-time status commands
        self._reset_modes()
        self._lines: list[PrintedLine] = []
        self._qr: list[str] = []
        self._chars: list[str] = []
        self._cols_used = 0

    def _reset_modes(self) -> None:
        self.chinese = False
        self.bold = False
        self.align = "left"
        self.wmul = 1
        self.hmul = 1
        self._qr_stored = b""
        self._qr_module = 3
        self._qr_ec = "L"
        self._bc_module = 3
        self._bc_height = 162
        self._bc_hri = 0

    # -- output --------------------------------------------------------------------------
    def _put_char(self, ch: str, cols: int) -> None:
        cols *= self.wmul
        if self._chars and self._cols_used + cols > self.columns:
            self._commit_line()  # the printer wraps by itself
        self._chars.append(ch)
        self._cols_used += cols

    def _commit_line(self, force: bool = True) -> None:
        if not self._chars and not force:
            return
        if self._printing():
            self._lines.append(
                PrintedLine(
                    "".join(self._chars), self.align, self.bold, self.wmul, self.hmul,
                    self._cols_used,
                )
            )
        self._chars = []
        self._cols_used = 0

    def _put_graphic(self, text: str, graphic: Graphic) -> None:
        self._commit_line(force=False)
        if self._printing():
            self._lines.append(PrintedLine(text, self.align, graphic=graphic))

    def _finish_receipt(self, cut: bool) -> None:
        self._commit_line(force=False)
        while self._lines and not self._lines[-1].text:
            self._lines.pop()
        if self._lines or self._qr:  # a cut while not printing did not happen
            self._on_receipt(self._lines, self._qr, cut and self._printing())
        self._lines, self._qr = [], []

    def finish(self) -> None:
        """The connection closed: whatever was printed but not cut is still a receipt."""
        self._finish_receipt(cut=False)

    # -- parsing ---------------------------------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        """Consume ``data``; return the real-time answers it asked for."""
        self._buf += data
        reply = bytearray()
        buf, i = self._buf, 0
        while i < len(buf):
            if self._skip:
                k = min(self._skip, len(buf) - i)
                if self._capture is not None:
                    self._capture += buf[i : i + k]
                self._skip -= k
                self.job_bytes += k
                i += k
                if not self._skip and self._capture is not None:
                    self._finish_raster()
                continue
            n = self._step(buf, i, reply)
            if n == 0:
                if len(buf) - i > MAX_BUFFERED:  # cannot be a valid command: drop a byte
                    n = 1
                else:
                    break
            i += n
        del buf[:i]
        return bytes(reply)

    def _step(self, buf: bytearray, i: int, reply: bytearray) -> int:
        """Consume one command or character at ``i``; 0 means 'need more bytes'."""
        b = buf[i]
        avail = len(buf) - i
        if b == 0x10:
            return self._dle(buf, i, avail, reply)
        self.job_bytes += 1  # the rest of the command is counted below
        is_command = b in (0x1B, 0x1D, 0x1C)
        n = self._command(buf, i, avail) if is_command else self._text(buf, i, avail)
        self.job_bytes += max(n - 1, 0) if n else -1
        return n

    def _dle(self, buf: bytearray, i: int, avail: int, reply: bytearray) -> int:
        if avail < 2:
            return 0
        cmd = buf[i + 1]
        if cmd not in (0x04, 0x05, 0x14):  # a lone DLE is an ordinary control byte
            self.job_bytes += 1
            return 1
        if avail < 3:
            return 0
        n = buf[i + 2]
        if cmd == 0x04:
            if n in (7, 8):
                return 4 if avail >= 4 else 0
            answer = self._status(n) if 1 <= n <= 4 else None
            if answer is not None:
                reply.append(answer)
            return 3
        if cmd == 0x05:
            return 3
        length = {1: 5, 2: 5, 3: 5, 7: 4, 8: 10}.get(n, 3)
        return length if avail >= length else 0

    def _command(self, buf: bytearray, i: int, avail: int) -> int:
        if avail < 2:
            return 0
        lead, cmd = buf[i], bytes(buf[i + 1 : i + 2])
        table = {0x1B: _ESC_ARGS, 0x1D: _GS_ARGS, 0x1C: _FS_ARGS}[lead]
        if cmd in table:
            length = 2 + table[cmd]
            if avail < length:
                return 0
            self._apply(lead, cmd, bytes(buf[i + 2 : i + length]))
            return length
        if cmd == b"(" and lead in (0x1D, 0x1C):  # GS ( x / FS ( x: pL pH + data
            if avail < 5:
                return 0
            length = 5 + buf[i + 3] + 256 * buf[i + 4]
            if avail < length:
                return 0
            if lead == 0x1D and buf[i + 2] == ord("k"):
                self._qr_command(bytes(buf[i + 5 : i + length]))
            return length
        if lead == 0x1D:
            return self._gs_variable(buf, i, avail, cmd)
        if lead == 0x1B:
            return self._esc_variable(buf, i, avail, cmd)
        if cmd == b"2":  # FS 2 c1 c2 + 72 bytes of a user-defined Kanji
            return 76 if avail >= 76 else 0
        return 2

    def _esc_variable(self, buf: bytearray, i: int, avail: int, cmd: bytes) -> int:
        if cmd == b"D":  # tab positions, NUL-terminated, at most 32
            end = buf.find(0, i + 2, i + 35)
            if end >= 0:
                return end - i + 1
            return 0 if avail < 35 else 35
        if cmd == b"*":  # bit image: m nL nH + k or 3k bytes
            if avail < 5:
                return 0
            k = buf[i + 3] + 256 * buf[i + 4]
            return self._skip_after(5, k * (3 if buf[i + 2] in (32, 33) else 1))
        return 2

    def _gs_variable(self, buf: bytearray, i: int, avail: int, cmd: bytes) -> int:
        if cmd == b"V":  # cut: GS V m, or GS V m n for the feed-and-cut forms
            if avail < 3:
                return 0
            length = 4 if buf[i + 2] in (65, 66, 97, 98, 103, 104) else 3
            if avail < length:
                return 0
            self._finish_receipt(cut=True)
            return length
        if cmd == b"v":  # GS v 0 m xL xH yL yH + x*y bytes of raster
            if avail < 8:
                return 0
            m = buf[i + 3]
            x, y = buf[i + 4] + 256 * buf[i + 5], buf[i + 6] + 256 * buf[i + 7]
            size = x * y
            if 0 < size <= MAX_RASTER and x * 8 <= MAX_RASTER_DOTS:
                self._capture = bytearray()
                self._raster_shape = (x * 8, y, 2 if m & 1 else 1, 2 if m & 2 else 1)
            return self._skip_after(8, size)
        if cmd == b"8":  # GS 8 L p1..p4 + data
            if avail < 7:
                return 0
            return self._skip_after(7, int.from_bytes(buf[i + 3 : i + 7], "little"))
        if cmd == b"*":  # GS * x y + x*y*8 bytes
            if avail < 4:
                return 0
            return self._skip_after(4, buf[i + 2] * buf[i + 3] * 8)
        if cmd == b"k":  # barcode: NUL-terminated (m <= 6) or length-prefixed
            return self._barcode(buf, i, avail)
        return 2

    def _barcode(self, buf: bytearray, i: int, avail: int) -> int:
        if avail < 3:
            return 0
        m = buf[i + 2]
        if m <= 6:
            end = buf.find(0, i + 3, i + 259)
            if end < 0:
                return 0 if avail < 259 else 259
            self._print_barcode(m, bytes(buf[i + 3 : end]))
            return end - i + 1
        if 65 <= m <= 79:
            if avail < 4:
                return 0
            length = 4 + buf[i + 3]
            if avail < length:
                return 0
            self._print_barcode(m, bytes(buf[i + 4 : i + length]))
            return length
        return 3

    def _print_barcode(self, m: int, raw: bytes) -> None:
        symbology = _SYMBOLOGY.get(m)
        if symbology is None or not raw:
            return
        data = _barcode_text(symbology, raw)
        graphic = Barcode(symbology, data, self._bc_module, self._bc_height, self._bc_hri)
        self._put_graphic(f"[BARCODE {symbology}] {data}", graphic)

    def _skip_after(self, header: int, data: int) -> int:
        """Consume a header now and skip ``data`` bytes as they arrive, without buffering."""
        self._skip = data
        if not data:
            self._capture = None
        return header

    def _finish_raster(self) -> None:
        width, height, xs, ys = self._raster_shape
        data, self._capture = bytes(self._capture or b""), None
        image = RasterImage(width, height, data, xs, ys)
        self._put_graphic(f"[IMAGE {width * xs}x{height * ys}]", image)

    def _apply(self, lead: int, cmd: bytes, args: bytes) -> None:
        key = (lead, cmd)
        if key == (0x1B, b"@"):
            self._reset_modes()
            self._chars, self._cols_used = [], 0
        elif key == (0x1B, b"E"):
            self.bold = bool(args[0] & 1)
        elif key == (0x1B, b"a"):
            self.align = _ALIGN.get(args[0], self.align)
        elif key == (0x1B, b"!"):
            self.bold = bool(args[0] & 0x08)
            self.hmul = 2 if args[0] & 0x10 else 1
            self.wmul = 2 if args[0] & 0x20 else 1
        elif key == (0x1D, b"!"):
            self.wmul = ((args[0] >> 4) & 7) + 1
            self.hmul = (args[0] & 7) + 1
        elif key in ((0x1B, b"d"), (0x1B, b"J")):
            self._commit_line(force=key[1] == b"d")
            for _ in range(args[0] - 1 if key[1] == b"d" else 0):
                self._commit_line()
        elif key == (0x1C, b"&"):
            self.chinese = True
        elif key == (0x1C, b"."):
            self.chinese = False
        elif key == (0x1D, b"w"):
            self._bc_module = args[0] if 1 <= args[0] <= 6 else self._bc_module
        elif key == (0x1D, b"h"):
            self._bc_height = args[0] or self._bc_height
        elif key == (0x1D, b"H"):
            self._bc_hri = args[0] & 3

    def _qr_command(self, body: bytes) -> None:
        """GS ( k for QR (cn 49): fn 67 module size, 69 error level, 80 store, 81 print."""
        if len(body) < 2 or body[0] != 49:
            return
        fn = body[1]
        if fn == 67 and len(body) >= 3 and 1 <= body[2] <= 16:
            self._qr_module = body[2]
        elif fn == 69 and len(body) >= 3:
            self._qr_ec = _QR_EC.get(body[2], self._qr_ec)
        elif fn == 80:
            self._qr_stored = body[3:]
        elif fn == 81:
            self._commit_line(force=False)
            payload = self._qr_stored.decode("utf-8", errors="replace")
            if self._printing() and payload:
                self._qr.append(payload)
                self._put_graphic(
                    f"[QR] {payload}", QrCode(payload, self._qr_module, self._qr_ec)
                )

    def _text(self, buf: bytearray, i: int, avail: int) -> int:
        b = buf[i]
        if b == 0x0A:
            self._commit_line()
        elif b == 0x09:
            for _ in range(8 - self._cols_used // self.wmul % 8):
                self._put_char(" ", 1)
        elif b == 0x0C:
            self._commit_line(force=False)
        elif b < 0x20 or b == 0x7F:
            pass  # CR and other controls print nothing
        elif b < 0x80:
            self._put_char(chr(b), 1)
        elif not self.chinese:
            self._put_char(bytes([b]).decode("cp437"), 1)
        elif 0x81 <= b <= 0xFE:
            if avail < 2:
                return 0
            size = 4 if 0x30 <= buf[i + 1] <= 0x39 else 2
            if avail < size:
                return 0
            try:
                ch = bytes(buf[i : i + size]).decode("gb18030")
            except UnicodeDecodeError:
                ch, size = "\ufffd", 1
            self._put_char(ch, 2)
            return size
        else:
            self._put_char("\ufffd", 1)
        return 1
