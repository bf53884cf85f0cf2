"""The outbox's retention and backlog limits, from the config: one rule for the kiosk and for
``kiosk diagnose``, so the two never disagree about when the backlog deserves a warning."""

from __future__ import annotations

from kiosk.config import Config
from sync.outbox.policy import BacklogLimits, Retention

DAY = 24 * 3600.0
MIB = 1024 * 1024


def retention(config: Config) -> Retention:
    sync = config.sync
    return Retention(
        payload_seconds=sync.payload_retention_days * DAY,
        receipt_seconds=sync.receipt_retention_days * DAY,
    )


def backlog_limits(config: Config) -> BacklogLimits:
    sync = config.sync
    return BacklogLimits(
        warn_age_seconds=sync.backlog_warn_hours * 3600,
        warn_count=min(sync.backlog_warn_count, sync.backlog_max_count),
        max_count=sync.backlog_max_count,
        warn_bytes=min(64 * MIB, sync.backlog_max_mb * MIB),
        max_bytes=sync.backlog_max_mb * MIB,
    )
