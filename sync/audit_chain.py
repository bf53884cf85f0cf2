"""The audit trail's chain: one canonical encoding, one hash, one verifier.

Shared by the kiosk (which writes and verifies its own log) and the reference platform
(which checks the chain's continuity across uploads), so both read a chain the same way.
An entry is ``seq``, ``at`` (UTC, ISO 8601), ``kind``, ``actor`` (a staff id or ``kiosk``),
``details`` (a JSON object with no personal data), ``prev_hash`` and ``hash``; ``hash`` is
SHA-256 over the canonical JSON of every other field. The first entry's ``prev_hash`` is
:data:`GENESIS`; after pruning, the last pruned entry's ``seq`` and ``hash`` are the anchor.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
KINDS = (
    "staff.sign_in",
    "staff.sign_out",
    "staff.sign_in_refused",
    "staff.action",
    "config.changed",
    "outbox.quarantined",
    "device.fault",
    "device.recovered",
    "call.raised",
    "call.acknowledged",
    "call.cleared",
    "call.cancelled",
    "audit.pruned",
    "update.updated",  # docs/updates.md: recorded by the first start after the updater ran
    "update.rolled_back",
)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
HASHED_FIELDS = ("seq", "at", "kind", "actor", "details", "prev_hash")


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes hashed for an entry: its fields but ``hash``, sorted keys, no spaces, UTF-8."""
    doc = {name: entry[name] for name in HASHED_FIELDS}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """Where a (pruned or partly uploaded) chain starts: the entry before the first kept one."""

    seq: int = 0
    hash: str = GENESIS


@dataclass(frozen=True)
class Problem:
    """One break in the chain, in words; ``seq`` is the entry where it shows."""

    seq: int
    kind: str  # changed | inserted | deleted | reordered | truncated | malformed
    words: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "words": self.words}


def verify(entries: Iterable[Mapping[str, Any]], anchor: Anchor = Anchor(),
           expected_last: int | None = None) -> list[Problem]:
    """Every break in ``entries`` (in stored order) after ``anchor``; empty when intact.

    ``expected_last`` is the highest sequence number known from elsewhere (the kiosk's own
    head counter, or what the platform already holds): fewer entries mean a cut-off tail.
    """
    problems: list[Problem] = []
    prev_seq, prev_hash = anchor.seq, anchor.hash
    for entry in entries:
        try:
            seq = int(entry["seq"])
            stored = str(entry["hash"])
            computed = entry_hash(entry)
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(Problem(prev_seq + 1, "malformed",
                                    f"an entry after #{prev_seq} cannot be read ({exc})"))
            continue
        if computed != stored:
            problems.append(Problem(seq, "changed",
                                    f"entry #{seq} was changed: its hash no longer matches "
                                    "its contents"))
        if seq <= prev_seq:
            problems.append(Problem(seq, "reordered",
                                    f"entry #{seq} comes after #{prev_seq}: the chain is out "
                                    "of order or an entry is repeated"))
        elif seq > prev_seq + 1:
            missing = seq - prev_seq - 1
            problems.append(Problem(seq, "deleted",
                                    f"{missing} entr{'y' if missing == 1 else 'ies'} missing "
                                    f"between #{prev_seq} and #{seq}"))
        elif entry["prev_hash"] != prev_hash and computed == stored:
            problems.append(Problem(seq, "inserted",
                                    f"entry #{seq} does not follow #{prev_seq}: an entry was "
                                    "inserted or replaced before it"))
        prev_seq, prev_hash = max(prev_seq, seq), stored
    if expected_last is not None and expected_last > prev_seq:
        missing = expected_last - prev_seq
        problems.append(Problem(prev_seq + 1, "truncated",
                                f"the log ends at #{prev_seq} but #{expected_last} was written: "
                                f"{missing} entr{'y' if missing == 1 else 'ies'} cut off the end"))
    return problems


# -- the wire form: one audit entry per outbox message of kind "audit" ------------------------

_NAMESPACE = uuid.UUID("5b0c1d7e-2f9a-4c43-9d0e-6a1f3b8c7e21")
ENTRY_FIELDS = (*HASHED_FIELDS, "hash")


def message_id(kiosk_id: str, seq: int) -> str:
    """The outbox message id of a kiosk's entry ``seq``: the same every time it is sent, so
    a resend is a duplicate and a rewritten entry under the same number is a conflict."""
    return str(uuid.uuid5(_NAMESPACE, f"{kiosk_id}/audit/{seq}"))


def audit_body(kiosk_id: str, entry: Mapping[str, Any], anchor: Anchor | None = None
               ) -> dict[str, Any]:
    """The message document carrying one entry (and, on a chain's first upload after pruning,
    where the kept chain starts)."""
    doc: dict[str, Any] = {"kind": "audit", "kiosk_id": kiosk_id,
                           "entry": {name: entry[name] for name in ENTRY_FIELDS}}
    if anchor is not None:
        doc["anchor"] = {"seq": anchor.seq, "hash": anchor.hash}
    return doc


def audit_problem(message_id_: str, doc: Mapping[str, Any]) -> str | None:
    """Why an audit message is unacceptable, or None (its chain is judged apart)."""
    entry = doc.get("entry")
    if not isinstance(entry, Mapping) or set(entry) != set(ENTRY_FIELDS):
        return "audit: entry missing or with other fields"
    seq = entry.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        return "audit: seq must be a positive number"
    if message_id_ != message_id(str(doc.get("kiosk_id")), seq):
        return "audit: the message id must be the entry's own"
    if entry.get("kind") not in KINDS or not isinstance(entry.get("actor"), str):
        return "audit: unknown kind or no actor"
    if not isinstance(entry.get("details"), Mapping) or not isinstance(entry.get("at"), str):
        return "audit: details must be an object and at a time"
    for name in ("prev_hash", "hash"):
        if not (isinstance(entry.get(name), str) and _HEX64.match(entry[name])):
            return f"audit: {name} is not a SHA-256"
    if entry_hash(entry) != entry["hash"]:
        return "audit: the entry's hash does not match its contents"
    if set(doc) - {"kind", "kiosk_id", "entry", "anchor"}:
        return "audit: unexpected fields"
    return None
