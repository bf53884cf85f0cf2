"""The clock contract: UTC wall time plus a monotonic reading, injected wherever time matters.

One contract for the whole kiosk (the outbox, the sync worker, the kiosk core), so that
expiry, skew, backoff and idle timers are testable with a fake clock and without waiting.
:class:`SystemClock` is the real one.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """What the kiosk needs to know about time (the kiosk injects its own clock)."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


class SystemClock:
    """The real clock: UTC wall time and ``time.monotonic``."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()
