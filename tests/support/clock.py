"""A clock the test moves by hand (the outbox, worker and PIN gate read time only from it)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class FakeClock:
    def __init__(self) -> None:
        self.wall = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
        self.mono = 1000.0

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


class RunningClock:
    """A clock that starts at a fixed moment and then runs with real time.

    For end-to-end tests whose retries and backoff must elapse while the test waits on the
    platform, yet whose dates must not depend on when or where the test runs: 08:30 UTC on
    21 November 2026 is 16:30 in Shanghai, hours from either midnight.
    """

    def __init__(self, start: datetime = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)) -> None:
        self._start = start
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)

    def monotonic(self) -> float:
        return time.monotonic()
