"""Pruning the audit log: entries past ``[audit] retention_days`` that the platform holds.

The kiosk prunes by itself (:meth:`kiosk.audit.recorder.AuditRecorder.maintain_if_due`: at
the first health round after the start, then once a day) and a technician can with ``kiosk
audit prune``; both go through :func:`prune_acknowledged`. First the entries in the outbox are
matched with their messages: an entry whose message the platform acknowledged is marked so in
the audit log (the outbox forgets delivered messages after ``[sync] payload_retention_days``,
long before an audit entry may go, so the mark is kept in the log itself). Then only entries
older than the retention *and* acknowledged are dropped, the last of them kept as the anchor,
and the pruning itself is recorded (``audit.pruned``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kiosk.audit.store import AuditLog
from sync.audit_chain import message_id

# Given outbox message ids, those the platform acknowledged.
AckedIds = Callable[[list[str]], set[str]]


def sweep_acknowledgements(log: AuditLog, acked: AckedIds, kiosk_id: str) -> int:
    """Mark the entries whose outbox messages the platform acknowledged; how many."""
    marked = 0
    while True:
        seqs = log.handed_over(500)
        if not seqs:
            return marked
        ids = {message_id(kiosk_id, seq): seq for seq in seqs}
        done = sorted(ids[i] for i in acked(list(ids)) if i in ids)
        log.mark_acknowledged(done)
        marked += len(done)
        if len(done) < len(seqs):  # the rest wait for the platform: look again next time
            return marked


def prune_acknowledged(log: AuditLog, acked: AckedIds, kiosk_id: str,
                       retention_days: float) -> int:
    """Sweep the acknowledgements, drop what may go, record the pruning; how many went."""
    sweep_acknowledgements(log, acked, kiosk_id)
    gone = log.prune(retention_days, acknowledged_only=True)
    if gone:
        log.append("audit.pruned", "kiosk", {"entries": gone, "anchor_seq": log.anchor.seq,
                                             "retention_days": retention_days})
    return gone


def acked_in(states: Iterable[tuple[str, str]]) -> set[str]:
    """The ids among ``(id, state)`` pairs whose state is ``acked``."""
    return {mid for mid, state in states if state == "acked"}
