"""GA/T 467 SAM frames: encoding, an incremental decoder, and status words in plain words.

Host to reader: ``AA AA AA 96 69 | LEN_H LEN_L | CMD PARA | DATA | CHK``; reader to host the same
with ``SW1 SW2 SW3`` in place of ``CMD PARA``. LEN counts every byte after itself, CHK included;
CHK is the XOR of every byte from LEN_H to the last data byte. The decoder is shared by the
backend (replies) and the emulator (commands): it only checks the frame, not what it carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from devices.cards.base import CardReaderError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2
MIN_LENGTH = 3  # a command's CMD PARA CHK; a reply's shortest is SW1 SW2 SW3 CHK
MAX_LENGTH = 4096  # the longest real reply (text, photo and fingerprints) is about 2,300

# Commands (CMD, PARA)
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)

# SW3 values
SW_OK = 0x90
SW_CARD_FOUND = 0x9F
SW_FIND_FAILED = 0x80
SW_SELECT_FAILED = 0x81
SW_READ_FAILED = 0x41
SW_CHECKSUM = 0x10
SW_LENGTH = 0x11
SW_BAD_COMMAND = 0x21
SW_SAM_SELF_TEST = 0x60

# SW3 -> (reason, plain words). Reasons are CardReaderError reasons; "no_card" and
# "find_failed" are what polling sees on an empty pad and are not reported as failures.
_SW_TEXT: dict[int, tuple[str, str]] = {
    SW_OK: ("ok", "Done."),
    SW_CARD_FOUND: ("ok", "A card is on the reader."),
    SW_FIND_FAILED: ("no_card", "No card is on the reader."),
    SW_SELECT_FAILED: ("removed", "The card could not be selected; hold it still on the reader."),
    SW_READ_FAILED: ("removed", "The card left the reader during the read; place it again."),
    SW_CHECKSUM: ("checksum", "The reader received a damaged command (checksum error)."),
    SW_LENGTH: ("malformed", "The reader received a command of the wrong length."),
    SW_BAD_COMMAND: ("io", "The reader did not understand a command."),
    0x23: ("io", "The reader refused the command (not allowed now)."),
    0x24: ("io", "The reader reported an error it could not identify."),
    0x31: ("auth", "The card did not accept the reader's security module; it may be damaged."),
    0x32: ("auth", "The reader's security module did not accept the card; it may be damaged."),
    0x33: ("auth", "The card's data failed verification; it may be damaged or not genuine."),
    0x40: ("unsupported_card", "The reader does not recognise this kind of card."),
    0x47: ("sam", "The reader's security module failed (random number)."),
    SW_SAM_SELF_TEST: ("sam", "The reader's security module failed its self-test."),
    0x66: ("sam", "The reader's security module is not authorised."),
    0x91: ("malformed", "The card holds no such data."),
}


def checksum(body: bytes) -> int:
    """XOR of every byte (LEN_H to the last data byte)."""
    return reduce(lambda a, b: a ^ b, body, 0)


def encode_frame(payload: bytes) -> bytes:
    """Frame a payload (CMD PARA DATA, or SW1 SW2 SW3 DATA)."""
    length = len(payload) + 1
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"payload of {len(payload)} bytes cannot be framed")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def encode_command(command: tuple[int, int], data: bytes = b"") -> bytes:
    return encode_frame(bytes(command) + data)


def encode_reply(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


class FrameError(CardReaderError):
    """A frame that failed its length or checksum check; the decoder stays usable."""


@dataclass(frozen=True)
class Reply:
    """A reader's answer: status words and data."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @classmethod
    def parse(cls, payload: bytes) -> Reply:
        if len(payload) < 3:
            raise FrameError("malformed", "The reader sent a reply without status words.")
        return cls(payload[0], payload[1], payload[2], bytes(payload[3:]))

    @property
    def ok(self) -> bool:
        return self.sw1 == 0 and self.sw2 == 0 and self.sw3 in (SW_OK, SW_CARD_FOUND)

    def __repr__(self) -> str:  # data may be personal: never shown
        return f"Reply(sw={self.sw1:02X}{self.sw2:02X}{self.sw3:02X}, {len(self.data)} bytes)"


def describe_status(sw3: int) -> tuple[str, str]:
    """(reason, plain words) for a status word; unknown values become ``io`` with the code."""
    return _SW_TEXT.get(sw3, ("io", f"The reader answered with an unknown status 0x{sw3:02X}."))


def reply_error(reply: Reply, doing: str) -> CardReaderError:
    """The error a failed reply stands for."""
    reason, words = describe_status(reply.sw3)
    if reason == "no_card":  # asked for a card that was there a moment ago
        reason = "removed"
    if reply.sw1 or reply.sw2:
        reason, words = "io", f"The reader answered with an unknown status {reply.sw1:02X}"
        words += f"{reply.sw2:02X}{reply.sw3:02X}."
    return CardReaderError(reason, f"{words} ({doing})")


class FrameDecoder:
    """Assembles frames from bytes arriving in any pieces.

    ``feed`` bytes, then call ``next_frame`` until it returns None. A frame with a wrong length
    or checksum raises FrameError once, after the decoder has moved past it, so the caller can
    go on. Bytes before a preamble are skipped and counted in ``skipped``.
    """

    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        self.max_length = max_length
        self._buf = bytearray()
        self.skipped = 0

    def feed(self, data: bytes) -> None:
        self._buf += data

    def reset(self) -> None:
        """Forget everything buffered (after a timeout, before the next command)."""
        self.skipped += len(self._buf)
        self._buf.clear()

    @property
    def pending(self) -> int:
        return len(self._buf)

    def next_frame(self) -> bytes | None:
        """The next complete frame's payload (between LEN and CHK), or None for more bytes."""
        self._sync()
        if len(self._buf) < HEADER_SIZE:
            return None
        length = int.from_bytes(self._buf[5:7], "big")
        if not MIN_LENGTH <= length <= self.max_length:
            self._drop(1)  # not a frame start after all: look for the next preamble
            raise FrameError("malformed", f"The reader sent a frame of impossible length {length}.")
        end = HEADER_SIZE + length
        if len(self._buf) < end:
            return None
        body = bytes(self._buf[5 : end - 1])
        chk = self._buf[end - 1]
        if checksum(body) != chk:
            self._drop(end)
            raise FrameError("checksum", "The reader's answer arrived damaged (checksum error).")
        self._drop(end)
        return body[2:]

    def _sync(self) -> None:
        """Drop bytes before the first preamble, keeping a tail that may begin one."""
        start = self._buf.find(PREAMBLE)
        if start > 0:
            self._drop(start, skipped=True)
        elif start < 0:
            keep = 0
            for n in range(min(len(PREAMBLE) - 1, len(self._buf)), 0, -1):
                if self._buf.endswith(PREAMBLE[:n]):
                    keep = n
                    break
            self._drop(len(self._buf) - keep, skipped=True)

    def _drop(self, n: int, skipped: bool = False) -> None:
        if skipped:
            self.skipped += n
        del self._buf[:n]
