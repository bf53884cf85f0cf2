"""The technician's way in: a PIN with lockout, so a citizen cannot wander into it."""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass

from .clock import Clock


@dataclass(frozen=True)
class PinVerdict:
    ok: bool
    locked_for: float = 0.0  # seconds left of a lockout, 0 when not locked
    tries_left: int = 0


class PinGate:
    def __init__(
        self, pin: str, clock: Clock, max_failures: int = 5, lockout_seconds: float = 300.0
    ) -> None:
        self._pin = pin.encode()
        self._clock = clock
        self._max = max_failures
        self._lockout = lockout_seconds
        self._failures = 0
        self._locked_until = 0.0
        self._lock = threading.Lock()

    def check(self, attempt: str) -> PinVerdict:
        with self._lock:
            now = self._clock.monotonic()
            if now < self._locked_until:
                return PinVerdict(False, locked_for=self._locked_until - now)
            # An empty configured PIN never opens: the entry must be set up on purpose.
            if self._pin and hmac.compare_digest(attempt.encode(), self._pin):
                self._failures = 0
                return PinVerdict(True)
            self._failures += 1
            if self._failures >= self._max:
                self._failures = 0
                self._locked_until = now + self._lockout
                return PinVerdict(False, locked_for=self._lockout)
            return PinVerdict(False, tries_left=self._max - self._failures)
