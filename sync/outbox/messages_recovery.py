"""Ratings, call messages and staff calls read back out of a damaged outbox file.

The same salvage as the submissions (:mod:`sync.outbox.recovery`): every readable cell of the
kept file is looked at, the ones with the shape of a message or a call row are taken, the
furthest-along copy of each wins (states only move forward), and a message whose body no
longer matches its hash is left out (it is counted in the report's notes: its content cannot
be trusted, and the platform has never seen a message it did not hash).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sync.outbox.messages_schema import (
    CALL_COLUMNS,
    CALL_STATES,
    KINDS,
    MESSAGE_COLUMNS,
    MESSAGE_STATES,
    body_hash,
)
from sync.outbox.sqlite_salvage import Cell

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_MESSAGE_RANK = {"pending": 0, "sending": 1, "quarantined": 2, "acked": 3}
_CALL_RANK = {"raised": 0, "acknowledged": 1, "cleared": 2, "cancelled": 2}


@dataclass
class MessageSalvage:
    """Rows for a fresh outbox's message and call tables."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    damaged: int = 0

    def note(self) -> str:
        return (f"{len(self.messages)} rating/call messages and {len(self.calls)} staff calls "
                f"recovered; {self.damaged} message(s) with a damaged body left out")


def _valid(value: object) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def _as_message(cell: Cell, repair: Mapping[int, str] | None = None) -> dict[str, Any] | None:
    values = cell.values
    if cell.kind != "table" or len(values) != len(MESSAGE_COLUMNS) or cell.rowid is None:
        return None
    if repair and not _valid(values[1]) and cell.rowid in repair:  # a damaged id: the index's
        values = (values[0], repair[cell.rowid], *values[2:])
    row = dict(zip(MESSAGE_COLUMNS, values, strict=True))
    row["seq"] = cell.rowid  # the rowid alias is stored as NULL in the record
    try:
        if not (isinstance(row["id"], str) and _UUID.match(row["id"])):
            return None
        if row["kind"] not in KINDS or row["state"] not in MESSAGE_STATES:
            return None
        if not isinstance(row["body"], bytes) or not isinstance(row["body_hash"], str):
            return None
        if not isinstance(row["attempts"], int):
            return None
        datetime.fromisoformat(row["created_at"])
    except (TypeError, ValueError):
        return None
    return row


def _as_call(cell: Cell) -> dict[str, Any] | None:
    values = cell.values
    if cell.kind != "table" or len(values) != len(CALL_COLUMNS):
        return None
    row = dict(zip(CALL_COLUMNS, values, strict=True))
    try:
        if not (isinstance(row["call_id"], str) and _UUID.match(row["call_id"])):
            return None
        if row["state"] not in CALL_STATES:
            return None
        datetime.fromisoformat(row["raised_at"])
        datetime.fromisoformat(row["updated_at"])
        doc = json.loads(row["document"])
    except (TypeError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("call_id") != row["call_id"]:
        return None
    return row


def salvage_messages(cells: Iterable[Cell], repair: Mapping[int, str] | None = None
                     ) -> MessageSalvage:
    """The best copy of every message and call the cells hold.

    ``repair`` is :func:`sync.outbox.recovery.id_repair`'s: a message whose id is damaged
    takes the one an index gives its rowid.
    """
    messages: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
    calls: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
    damaged: set[str] = set()
    for cell in cells:
        message = _as_message(cell, repair)
        if message is not None:
            if body_hash(message["body"]) != message["body_hash"]:
                damaged.add(message["id"])
                continue
            rank = (_MESSAGE_RANK[message["state"]], cell.order)
            if message["id"] not in messages or rank > messages[message["id"]][0]:
                messages[message["id"]] = (rank, message)
            continue
        call = _as_call(cell)
        if call is not None:
            rank = (_CALL_RANK[call["state"]], cell.order)
            if call["call_id"] not in calls or rank > calls[call["call_id"]][0]:
                calls[call["call_id"]] = (rank, call)
    kept = [row for _, row in messages.values()]
    for row in kept:
        if row["state"] == "sending":
            row["state"] = "pending"
    return MessageSalvage(
        messages=sorted(kept, key=lambda r: r["seq"]),
        calls=[row for _, row in calls.values()],
        damaged=len(damaged - set(messages)),
    )
