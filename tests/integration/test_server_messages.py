"""The platform's message ingest on both its databases (SQLite and PostgreSQL): ratings and
call events judged per item in one transaction, idempotent by id, calls moved forward only,
reported and answered by staff. In-process over the store's engine (the HTTP path and its
signatures are covered by tests/integration/test_ratings.py and
tests/integration/test_staff_calls.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sync.outbox.messages_schema import canonical_body
from sync.platform.protocol import call_body, rating_body
from sync.server import calls, ratings
from sync.server.messages import MessageItem, judge_messages, messages_router
from sync.server.staff_admin import add_person
from sync.server.store import TransactionStore
from sync.uuid7 import uuid7
from tests.support.platform import PlatformProcess
from tests.support.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures

MOMENT = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TransactionStore]:
    url = (f"sqlite:///{tmp_path / 'platform.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("postgres_url")))
    made = TransactionStore(url)
    messages_router(made.engine)  # creates the message tables, as the app does
    yield made
    made.dispose()


def item(message_id: str, kind: str, doc: dict) -> MessageItem:  # type: ignore[type-arg]
    body = canonical_body(doc)
    return MessageItem(id=message_id, kind=kind, body=body.decode(),
                       body_hash=hashlib.sha256(body).hexdigest())


def test_messages_are_judged_one_by_one_and_taken_once(store: TransactionStore) -> None:
    engine = store.engine
    txid, call_id = str(uuid7()), str(uuid7())
    rating = item(txid, "rating", rating_body(txid, "kiosk-0451", "elderly-card-apply", 2,
                                              "unclear", MOMENT))
    raised = item(str(uuid7()), "call", call_body(call_id, "raised", "kiosk-0451", MOMENT,
                                                  MOMENT, step="form"))
    bad = item(str(uuid7()), "call", {"kind": "call", "kiosk_id": "kiosk-0451"})
    verdicts = judge_messages(engine, "kiosk-0451", [rating, bad, raised, rating], 1.0)
    assert [v.verdict for v in verdicts] == ["accepted", "rejected", "accepted", "duplicate"]
    assert [v.verdict for v in judge_messages(engine, "kiosk-0451", [raised], 2.0)] == [
        "duplicate"]
    assert [r.count for r in ratings.summary(engine)] == [1]
    (open_call,) = calls.list_calls(engine)
    assert (open_call.call_id, open_call.state, open_call.step) == (call_id, "raised", "form")


def test_a_call_moves_forward_only_and_the_first_close_wins(
    store: TransactionStore, tmp_path: Path
) -> None:
    engine = store.engine
    key = PlatformProcess(tmp_path / "keys").catalogue_key
    add_person(engine, key, "1001", "Zhao Min", "staff", "730196")
    call_id = str(uuid7())
    # The cancel arrives first (its "raised" is held back): it still creates the call.
    cancelled = item(str(uuid7()), "call", call_body(call_id, "cancelled", "kiosk-0451",
                                                     MOMENT, MOMENT, by="citizen"))
    assert judge_messages(engine, "kiosk-0451", [cancelled], 1.0)[0].verdict == "accepted"
    raised = item(str(uuid7()), "call", call_body(call_id, "raised", "kiosk-0451", MOMENT,
                                                  MOMENT))
    assert judge_messages(engine, "kiosk-0451", [raised], 2.0)[0].verdict == "accepted"
    (row,) = calls.list_calls(engine, include_closed=True)
    assert (row.state, row.closed_by) == ("cancelled", "citizen")  # not reopened
    with pytest.raises(calls.CallError, match="already cancelled"):
        calls.clear(engine, call_id, "1001", 3.0)

    second = str(uuid7())
    judge_messages(engine, "kiosk-0451", [item(str(uuid7()), "call", call_body(
        second, "raised", "kiosk-0451", MOMENT, MOMENT))], 4.0)
    assert calls.acknowledge(engine, second, "1001", 5.0) == "acknowledged"
    with pytest.raises(calls.CallError, match="no staff member"):
        calls.clear(engine, second, "9999", 6.0)
    assert calls.clear(engine, second, "1001", 6.0) == "cleared"
    late = item(str(uuid7()), "call", call_body(second, "cleared", "kiosk-0451", MOMENT,
                                                MOMENT, by="1001"))
    assert judge_messages(engine, "kiosk-0451", [late], 7.0)[0].verdict == "accepted"
    closed = {r.call_id: r for r in calls.list_calls(engine, include_closed=True)}[second]
    assert (closed.state, closed.closed_where) == ("cleared", "platform")  # first close won
