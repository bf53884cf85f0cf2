"""The ``calls`` part of the diagnose report: open staff calls, and the messages (ratings and
call events) still on their way to the platform.

Built from the live call desk inside the kiosk (the technician panel, the published health
snapshot) or from a read-only look at the outbox file (``kiosk diagnose``). An open call is
not a fault of the kiosk: the part stays ok, and says how long the call has waited; a
quarantined message is a warning for technicians.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

CALL_WORDS = {"raised": "waiting for staff", "acknowledged": "staff have seen it"}


def calls_part(
    open_calls: list[dict[str, Any]], counts: dict[str, dict[str, int]], now: datetime
) -> dict[str, Any]:
    """``open_calls``: call documents (oldest first); ``counts``: messages per kind and state."""
    warnings = []
    waiting = sum(c.get("pending", 0) + c.get("sending", 0) for kind, c in counts.items()
                  if kind != "audit")  # audit entries are said apart (docs/audit.md)
    held = {kind: c.get("quarantined", 0) for kind, c in counts.items() if c.get("quarantined")}
    for kind, n in sorted(held.items()):
        warnings.append(f"{n} {kind} message(s) quarantined by the platform")
    calls = []
    for doc in open_calls:
        raised = datetime.fromisoformat(doc["raised_at"])
        calls.append({
            "call_id": doc["call_id"],
            "state": doc["state"],
            "raised_at": doc["raised_at"],
            "waiting_seconds": max(0.0, (now - raised).total_seconds()),
            "step": doc.get("step"),
            "acknowledged_by": doc.get("acknowledged_by"),
        })
    if calls:
        oldest = calls[0]
        detail = (f"{len(calls)} open staff call(s); the oldest raised "
                  f"{oldest['waiting_seconds'] / 60:.0f} min ago at the {oldest['step']} step, "
                  f"{CALL_WORDS.get(oldest['state'], oldest['state'])}")
        if oldest["acknowledged_by"]:
            detail += f" (staff {oldest['acknowledged_by']})"
    else:
        detail = "no open staff call"
    detail += f"; {waiting} rating/call message(s) waiting for the platform"
    return {"ok": True, "open": len(calls), "calls": calls, "messages": counts,
            "detail": detail, "warnings": warnings}
