"""A serial scanner's byte stream cut into codes.

Serial scanners (and USB scanners in their USB-COM / CDC-ACM mode) send each decoded code as
plain bytes followed by a configurable suffix, usually CR (``0D``), sometimes LF or CR LF,
optionally after a prefix (some are set up to send STX ``02`` … ETX ``03``). There is no
length or checksum, so the splitter guards the rest: a code is at most ``max_length`` bytes
(longer runs are dropped up to the next terminator), a code that stops arriving half-way is
dropped once the line has been quiet for ``gap`` seconds, and the text must decode in the
configured encoding (UTF-8 by default; GB18030 for scanners set to a Chinese code page).
With ``terminator="none"`` the quiet gap itself ends a code (scanners with no suffix set).
"""

from __future__ import annotations

from dataclasses import dataclass

TERMINATORS: dict[str, bytes] = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "etx": b"\x03",
                                 "none": b""}
STX = 0x02
DEFAULT_MAX_LENGTH = 2048


@dataclass(frozen=True)
class Frame:
    """One cut: ``text`` when it decoded, else ``problem`` (too_long, incomplete, undecodable)."""

    text: str = ""
    problem: str = ""


class FrameSplitter:
    """Feed bytes as they come; :meth:`feed` and :meth:`idle` return the frames completed."""

    def __init__(self, terminator: str = "cr", *, max_length: int = DEFAULT_MAX_LENGTH,
                 encoding: str = "utf-8") -> None:
        if terminator not in TERMINATORS:
            raise ValueError(f"unknown terminator {terminator!r} ({', '.join(TERMINATORS)})")
        "".encode(encoding)  # LookupError now, not at the first scan
        self.terminator = terminator
        self.max_length = max_length
        self.encoding = encoding
        self._buffer = bytearray()
        self._overlong = False
        self._tail = b""

    @property
    def pending(self) -> int:
        """Bytes of a code not finished yet."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Frame]:
        frames: list[Frame] = []
        end = TERMINATORS[self.terminator]
        for byte in data:
            if self._overlong:  # skip to the end of the code that grew too long
                self._tail = (self._tail + bytes([byte]))[-len(end):] if end else b""
                if end and self._tail == end:
                    self._overlong, self._tail = False, b""
                continue
            self._buffer.append(byte)
            if end and self._buffer.endswith(end):
                raw = bytes(self._buffer[: -len(end)])
                self._buffer.clear()
                frame = self._decode(raw)
                if frame is not None:
                    frames.append(frame)
            elif len(self._buffer) > self.max_length + len(end):
                self._buffer.clear()
                self._overlong, self._tail = True, b""
                frames.append(Frame(problem="too_long"))
        return frames

    def idle(self) -> list[Frame]:
        """The line has been quiet for the gap: a half code is dropped (or, with no
        terminator, it is the code)."""
        if self._overlong:
            self._overlong, self._tail = False, b""
            self._buffer.clear()
            return []
        if not self._buffer:
            return []
        raw, self._buffer = bytes(self._buffer), bytearray()
        if self.terminator == "none":
            frame = self._decode(raw)
            return [frame] if frame is not None else []
        return [Frame(problem="incomplete")]

    def _decode(self, raw: bytes) -> Frame | None:
        if raw[:1] == bytes([STX]):
            raw = raw[1:]
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError:
            return Frame(problem="undecodable")
        text = text.strip()
        if not text:
            return None  # a bare terminator (some scanners send one on power-up)
        if any(ord(c) < 0x20 for c in text):
            return Frame(problem="undecodable")
        return Frame(text=text)
