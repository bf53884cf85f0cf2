"""The outbox's second queue: plain messages (ratings, staff-call events) and the calls' state.

:class:`MessageQueue` is ``Outbox.messages``: it writes through the outbox's one writer
(:class:`sync.outbox.opening.OutboxWriter`), so messages share the submissions' file, lock and
durable commit; the SQL is in :mod:`sync.outbox.messages`. The sync worker's
:class:`sync.worker_messages.MessageSender` drains it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sync.clock import Clock
from sync.outbox import messages as message_sql
from sync.outbox.messages_schema import MESSAGE_STATES, OutboxMessage
from sync.outbox.opening import OutboxWriter
from sync.outbox.policy import Retention
from sync.outbox.schema import iso


class MessageQueue:
    """Messages in the outbox file: enqueue, claim, verdicts, retention, and staff calls."""

    def __init__(self, writer: OutboxWriter, clock: Clock, retention: Retention) -> None:
        self._writer = writer
        self.clock = clock
        self.retention = retention

    def enqueue(self, message_id: str, kind: str, doc: Mapping[str, Any]) -> OutboxMessage:
        """Store a message durably; idempotent on ``message_id`` (the first one stays).

        Raises ValueError for an unknown kind or an oversize body, OutboxBacklogFullError when
        too many wait, OutboxFullError when the disk is full; nothing is stored then.
        """
        message_sql.check_message(message_id, kind, doc)
        stored: OutboxMessage = self._writer.write(lambda: message_sql.insert_message(
            self._writer.connection(), self.clock, message_id, kind, doc))
        return stored

    def get(self, message_id: str) -> OutboxMessage | None:
        return self._writer.read(lambda conn: message_sql.message_row(conn, message_id))

    def select(
        self, states: Iterable[str] = MESSAGE_STATES, kind: str | None = None
    ) -> list[OutboxMessage]:
        """Messages in the given states (and of one kind), oldest first."""
        return self._writer.read(lambda conn: message_sql.select_messages(conn, states, kind))

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {state: n}}`` with every kind and state present."""
        return self._writer.read(message_sql.message_counts)

    def claim(self, max_items: int, now: datetime | None = None) -> list[OutboxMessage]:
        """Claim due pending messages, oldest first, and mark them ``sending``."""
        now_text = iso(now or self.clock.now())
        return list(self._writer.write(lambda: message_sql.claim_messages(
            self._writer.connection(), now_text, max_items)))

    def due_at(self) -> datetime | None:
        """When the earliest pending message becomes due (None if none is pending)."""
        return self._writer.read(lambda conn: message_sql.messages_due_at(conn, self.clock))

    def mark_acked(self, ids: Iterable[str], verdicts: Mapping[str, str] | None = None) -> None:
        now_text = iso(self.clock.now())
        id_list = list(ids)
        self._writer.write(lambda: message_sql.mark_acked(
            self._writer.connection(), id_list, verdicts, now_text))

    def mark_quarantined(self, message_id: str, reason: str, verdict: str) -> None:
        now_text = iso(self.clock.now())
        self._writer.write(lambda: message_sql.mark_quarantined(
            self._writer.connection(), message_id, reason, verdict, now_text))

    def mark_unsent(self, ids: Iterable[str], error: str) -> None:
        """The request failed: back to the queue, the link's backoff decides when."""
        id_list = list(ids)
        self._writer.write(lambda: message_sql.mark_unsent(
            self._writer.connection(), id_list, error))

    def mark_retry(self, ids: Iterable[str], error: str, when: datetime) -> None:
        """The platform gave these no verdict: each waits until ``when``."""
        id_list = list(ids)
        self._writer.write(lambda: message_sql.mark_retry(
            self._writer.connection(), id_list, error, when))

    def requeue(self, message_id: str) -> bool:
        """A technician's retry of a quarantined message; False if there is none."""
        return bool(self._writer.write(
            lambda: message_sql.requeue(self._writer.connection(), message_id)))

    def recover_sending(self) -> int:
        """Messages left ``sending`` by a crash go back to ``pending`` (the platform dedups)."""
        return int(self._writer.write(
            lambda: message_sql.recover_sending(self._writer.connection())))

    def purge(self, now: datetime | None = None) -> int:
        """Acked messages after the payload retention, closed calls after the receipt one."""
        moment = now or self.clock.now()
        return int(self._writer.write(
            lambda: message_sql.purge(self._writer.connection(), moment, self.retention)))

    def restore(self, messages: list[dict[str, Any]], calls: list[dict[str, Any]]) -> None:
        """Rows recovered from a damaged file (:mod:`sync.outbox.messages_recovery`)."""
        self._writer.write(
            lambda: message_sql.restore(self._writer.connection(), messages, calls))

    # -- staff calls ---------------------------------------------------------------------------

    def save_call(
        self,
        document: Mapping[str, Any],
        message: tuple[str, Mapping[str, Any]] | None = None,
        *,
        expect: Iterable[str | None] | None = None,
    ) -> bool:
        """Write a call's state, and the message telling the platform, in one commit.

        ``document`` is the whole call (``call_id``, ``state``, ``raised_at`` and the rest).
        With ``expect``, the write happens only if the stored state is one of those (or, for
        ``raised``, absent), so two hands on one call cannot both move it; False then.
        """
        message_sql.check_call_state(str(document["state"]))
        if message is not None:
            message_sql.check_message(message[0], "call", message[1])
        allowed = None if expect is None else set(expect)
        return bool(self._writer.write(lambda: message_sql.save_call(
            self._writer.connection(), self.clock, document, message, allowed)))

    def get_call(self, call_id: str) -> message_sql.StoredCall | None:
        return self._writer.read(lambda conn: message_sql.get_call(conn, call_id))

    def open_calls(self) -> list[message_sql.StoredCall]:
        """Calls still raised or acknowledged, oldest first."""
        return self._writer.read(message_sql.open_calls)
