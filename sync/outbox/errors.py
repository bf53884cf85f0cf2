"""What the outbox raises: one family, each with a stable ``code`` the UI translates."""

from __future__ import annotations


class OutboxError(Exception):
    """The outbox could not do what was asked; nothing was half-written."""

    #: a stable code the UI can map to its own (translated) words
    code = "outbox_error"


class OutboxFullError(OutboxError):
    """The disk (or the configured size cap) is full; the record was not stored."""

    code = "disk_full"


class OutboxBacklogFullError(OutboxError):
    """Too much is waiting for the platform: new submissions are refused until it drains.

    ``str()`` is a plain sentence a citizen can read; ``code`` lets the UI translate it.
    """

    code = "backlog_full"


class OutboxLockedError(OutboxError):
    """Another process holds this outbox open for writing."""

    code = "locked"
