"""Retention and backlog settings of the outbox, and what the backlog check reports.

Plain values so the kiosk's config can fill them and ``kiosk diagnose`` can show them.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY = 86400.0


@dataclass(frozen=True)
class Retention:
    """How long acked records keep their parts, counted from the platform's ack.

    The sealed payload goes first (``payload_seconds``: the record becomes ``purged``); the
    receipt record stays for reprints until ``receipt_seconds``, then the row goes. Nothing
    that the platform has not acked is ever touched.
    """

    payload_seconds: float = 7 * DAY
    receipt_seconds: float = 30 * DAY

    def __post_init__(self) -> None:
        if self.payload_seconds < 0 or self.receipt_seconds < 0:
            raise ValueError("retention must not be negative")
        if self.receipt_seconds < self.payload_seconds:
            raise ValueError("the receipt record must outlive the sealed payload")


@dataclass(frozen=True)
class BacklogLimits:
    """When technicians are warned, and when new submissions are refused (None: no limit).

    The backlog is every record the platform has not acked yet (``pending`` and ``sending``);
    bytes are sealed envelope bytes.
    """

    warn_age_seconds: float | None = 1 * DAY
    warn_count: int | None = 1_000
    warn_bytes: int | None = 64 * 1024 * 1024
    max_count: int | None = 20_000
    max_bytes: int | None = 1024 * 1024 * 1024

    def __post_init__(self) -> None:
        for warn, hard in ((self.warn_count, self.max_count), (self.warn_bytes, self.max_bytes)):
            if warn is not None and hard is not None and warn > hard:
                raise ValueError("a warning threshold must not exceed its hard limit")


@dataclass(frozen=True)
class BacklogStatus:
    """One look at the backlog. ``warnings`` names what is over its warning threshold:
    ``"age"``, ``"count"``, ``"bytes"``; ``full`` means enqueue refuses new records.
    """

    count: int
    bytes: int
    oldest_age_seconds: float | None
    quarantined: int
    warnings: tuple[str, ...]
    full: bool

    @property
    def ok(self) -> bool:
        return not self.warnings and not self.full

    def describe(self) -> str:
        """Words for a technician (no personal data: counts and ages only)."""
        age = (
            "none waiting"
            if self.oldest_age_seconds is None
            else (f"oldest waiting {self.oldest_age_seconds / 3600:.1f} h")
        )
        text = f"{self.count} waiting ({self.bytes / 1024:.0f} KiB), {age}"
        if self.quarantined:
            text += f", {self.quarantined} quarantined"
        if self.full:
            text += "; FULL: new submissions are refused until the platform takes the backlog"
        elif self.warnings:
            text += "; over the warning threshold for " + ", ".join(self.warnings)
        return text


@dataclass(frozen=True)
class PurgeResult:
    """What one retention pass did: payloads dropped (-> ``purged``) and rows removed."""

    purged: int
    deleted: int


def evaluate_backlog(
    limits: BacklogLimits, count: int, size: int, age: float | None, quarantined: int = 0
) -> BacklogStatus:
    """Compare backlog figures with the limits (pure, so diagnose can use peeked figures)."""
    warnings = []
    if limits.warn_age_seconds is not None and age is not None and age > limits.warn_age_seconds:
        warnings.append("age")
    if limits.warn_count is not None and count > limits.warn_count:
        warnings.append("count")
    if limits.warn_bytes is not None and size > limits.warn_bytes:
        warnings.append("bytes")
    full = (limits.max_count is not None and count >= limits.max_count) or (
        limits.max_bytes is not None and size >= limits.max_bytes
    )
    return BacklogStatus(count, size, age, quarantined, tuple(warnings), full)


BACKLOG_FULL_MESSAGE = (
    "This kiosk cannot accept more applications until it reconnects to the service "
    "platform. Your application was not submitted. Please ask staff for help."
)
