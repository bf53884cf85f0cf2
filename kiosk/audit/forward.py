"""Hand the audit log's new entries to the outbox, which sends them to the platform signed.

The audit file and the outbox are two files, so the handing over is idempotent rather than
atomic: an entry's message id is derived from the kiosk id and its number
(:func:`sync.audit_chain.message_id`), the outbox keeps the first message of an id, and the
entry is marked handed over only after the outbox committed it. A crash between the two only
means the entry is handed over again next time. The first kept entry after a pruning carries
the anchor, so a platform that never saw the pruned ones can check the chain from there.
"""

from __future__ import annotations

from kiosk.audit.store import AuditLog
from sync.audit_chain import audit_body, message_id
from sync.outbox.store import Outbox


def forward(log: AuditLog, outbox: Outbox, kiosk_id: str, limit: int = 500) -> int:
    """Enqueue every entry not yet handed over; returns how many were."""
    anchor = log.anchor
    done = 0
    for entry in log.pending_upload(limit):
        first = entry["seq"] == anchor.seq + 1 and anchor.seq > 0
        outbox.messages.enqueue(message_id(kiosk_id, entry["seq"]), "audit",
                                audit_body(kiosk_id, entry, anchor if first else None))
        log.mark_uploaded(entry["seq"])
        done += 1
    return done
