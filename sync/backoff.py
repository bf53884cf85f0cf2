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
