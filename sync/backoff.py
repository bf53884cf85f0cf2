"""Retry delays for uploads: exponential backoff with full jitter.

Full jitter (a uniform draw between zero and the exponential ceiling) spreads a fleet of
kiosks that lost the platform at the same moment, so they do not all come back at once.
"""

from __future__ import annotations


def backoff_ceiling(attempt: int, base: float, cap: float) -> float:
    """The largest delay for the given attempt (1 = first retry): ``min(cap, base * 2**(n-1))``."""
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    if base <= 0 or cap <= 0:
        raise ValueError("base and cap must be positive")
    # Bound the exponent so a long outage cannot overflow the float.
    exponent = min(attempt - 1, 62)
    return min(cap, base * (2.0**exponent))


def backoff_delay(attempt: int, base: float, cap: float, rand: float) -> float:
    """Seconds to wait before retry number ``attempt``; ``rand`` is a uniform draw in [0, 1).

    Pure: the caller supplies the randomness (``random.Random().random()``), so the
    policy is testable without patching anything.
    """
    if not 0.0 <= rand < 1.0:
        raise ValueError("rand must be in [0, 1)")
    return backoff_ceiling(attempt, base, cap) * rand


class LinkBackoff:
    """The backoff of the link to the platform: one state for the whole outbox.

    A network failure, a busy or failing platform or a refused signature says nothing about
    any one record, so no record carries a retry time for it: the worker holds the link
    instead. When the platform answers again (an upload goes through, a health or identity
    check passes) the link is released and the whole backlog goes at once; a worker starting
    fresh starts with an open link. Times are monotonic seconds from the caller, so a wall
    clock that jumps (NTP fixing a kiosk an hour off) cannot stretch a wait. Not thread-safe:
    the worker guards it with its lock.
    """

    def __init__(self, base: float, cap: float, max_retry_after: float) -> None:
        if base <= 0 or cap <= 0 or max_retry_after < 0:
            raise ValueError("base and cap must be positive, max_retry_after not negative")
        self.base = base
        self.cap = cap
        self.max_retry_after = max_retry_after
        self.failures = 0
        self.retry_at: float | None = None  # None: the link may be used now

    def is_open(self, now: float) -> bool:
        """May an upload be tried at ``now``?"""
        return self.retry_at is None or now >= self.retry_at

    def failed(self, now: float, rand: float, retry_after: float | None = None) -> float:
        """One more failure in a row: hold the link; returns the delay in seconds.

        ``retry_after`` is the platform's own word (429/503); it is honoured, but bounded by
        ``max_retry_after`` against nonsense.
        """
        self.failures += 1
        delay = backoff_delay(self.failures, self.base, self.cap, rand)
        if retry_after is not None:
            delay = max(delay, min(max(0.0, retry_after), self.max_retry_after))
        self.retry_at = now + delay
        return delay

    def release(self) -> None:
        """The platform answered: the next upload goes now and the backoff starts over."""
        self.failures = 0
        self.retry_at = None
