"""Time is injected so that expiry, skew and idle timers are testable without waiting.

The kiosk uses the same clock contract as its outbox: UTC wall time plus a monotonic clock.
"""

from __future__ import annotations

from sync.outbox_schema import Clock, SystemClock

__all__ = ["Clock", "SystemClock"]
