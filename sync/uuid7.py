"""UUIDv7 (RFC 9562, section 5.7): time-ordered ids for outbox records.

Python 3.11 has no ``uuid.uuid7``; the layout is small enough to write down here:
48-bit big-endian Unix milliseconds, 4-bit version 7, 12 random bits, 2-bit variant 10,
62 random bits.
"""

from __future__ import annotations

import os
import time
import uuid

_MAX_MS = (1 << 48) - 1


def uuid7(now_ms: int | None = None, rand: bytes | None = None) -> uuid.UUID:
    """Return a UUIDv7; ``now_ms`` and ``rand`` (10 bytes) are injectable for tests."""
    if now_ms is None:
        now_ms = time.time_ns() // 1_000_000
    if not 0 <= now_ms <= _MAX_MS:
        raise ValueError("now_ms must fit in 48 bits")
    if rand is None:
        rand = os.urandom(10)
    if len(rand) != 10:
        raise ValueError("rand must be exactly 10 bytes")
    raw = bytearray(now_ms.to_bytes(6, "big") + rand)
    raw[6] = 0x70 | (raw[6] & 0x0F)  # version 7
    raw[8] = 0x80 | (raw[8] & 0x3F)  # variant 10
    return uuid.UUID(bytes=bytes(raw))


def uuid7_time_ms(value: uuid.UUID) -> int:
    """The millisecond timestamp carried by a UUIDv7 (for diagnostics and ordering checks)."""
    if value.version != 7:
        raise ValueError("not a version 7 UUID")
    return int.from_bytes(value.bytes[:6], "big")
