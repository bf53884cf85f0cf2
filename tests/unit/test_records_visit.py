"""我的办件 / my records as a state machine alone: no Qt, no devices, no platform."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from devices.cards.base import CardData, CardKind, PinVerdict
from kiosk.catalog import load_catalog
from kiosk.flow import Flow, Step
from kiosk.records.holder_tag import holder_tag, load_or_create_tag_key
from kiosk.records.local import LocalTransaction, queued_here
from kiosk.records.visit import RecordsStage, RecordsVisit, merge
from sync.platform.records import (
    SECOND_FACTORS,
    CitizenRecords,
    CitizenTransaction,
    SecondFactor,
    factor_accepted,
    id_number_ok,
)

TODAY = date(2026, 11, 21)
SSC = CardData(kind=CardKind.SOCIAL_SECURITY, name="赵建华", gender="男", nation="汉",
               birth_date=date(1950, 3, 12), address="", id_number="23010219500312015X",
               issuing_authority="", valid_from=None, valid_to=None, card_number="H23456789",
               region="230102")
ID_CARD = replace(SSC, kind=CardKind.RESIDENT_ID, id_number="230103194809150237",
                  name="孙德明", card_number="")
RECORDS = CitizenRecords("23010219500312015X", "赵建华", "示例", (), 1, (), 2, (), ())


def local(txid: str, state: str, day: int, status: str | None = None) -> LocalTransaction:
    return LocalTransaction(txid, f"K0451-202611{day:02d}-0001-3", "elderly-card-apply",
                            "老年人优待证申领", datetime(2026, 11, day, 3, tzinfo=UTC), state,
                            status)


def remote(txid: str, status: str, reason: str | None = None) -> CitizenTransaction:
    return CitizenTransaction(txid, "K0452-20261101-0007-1", "pension-transfer", status, reason,
                              "2026-11-01T02:00:00+00:00", None)


def identified(card: CardData = SSC) -> RecordsVisit:
    visit = RecordsVisit(TODAY)
    assert visit.identify(card).ok
    assert visit.transactions_loaded((local("t1", "pending_upload", 20),), (), {})
    return visit


def test_a_social_security_card_opens_records_only_with_the_cards_pin() -> None:
    visit = identified()
    assert visit.stage is RecordsStage.OVERVIEW and visit.online
    assert visit.ask_records() is RecordsStage.PIN
    assert visit.records_loaded(RECORDS) is False  # no factor yet: the card alone opens nothing
    assert visit.begin_check() and not visit.begin_check()  # a double tap checks once
    assert visit.pin_checked(PinVerdict(True))
    assert visit.factor == SecondFactor("card_pin")
    assert visit.records_loaded(RECORDS) and visit.stage is RecordsStage.RECORDS


def test_three_wrong_pins_close_the_records_for_the_visit() -> None:
    visit = identified()
    for left in (2, 1):
        visit.ask_records() if visit.stage is RecordsStage.OVERVIEW else None
        assert visit.begin_check()
        assert not visit.pin_checked(PinVerdict(False, left))
        assert visit.stage is RecordsStage.PIN and visit.pin_tries_left == left
    assert visit.begin_check()
    assert not visit.pin_checked(PinVerdict(False, 0, blocked=True))
    assert visit.stage is RecordsStage.OVERVIEW and visit.pin_blocked
    assert visit.ask_records() is None and visit.closed_reason == "blocked"
    assert visit.records is None and visit.factor is None


def test_a_resident_id_card_needs_staff_not_a_pin() -> None:
    visit = identified(ID_CARD)
    assert visit.method == "resident_id_card" and visit.factor_kind == "staff"
    assert visit.ask_records() is RecordsStage.STAFF
    assert visit.begin_check()
    assert not visit.pin_checked(PinVerdict(True))  # a PIN proves nothing for an ID card
    assert visit.staff_confirmed("1001")
    assert visit.factor == SecondFactor("staff", "1001")


def test_the_second_factor_rule_is_keyed_on_the_identification_method() -> None:
    assert factor_accepted("social_security_card", "card_pin")
    assert not factor_accepted("social_security_card", "staff")
    assert factor_accepted("resident_id_card", "staff")
    assert not factor_accepted("resident_id_card", "card_pin")
    assert factor_accepted("electronic_code", "staff")
    assert not factor_accepted("electronic_code", "card_pin")  # a phone's code has no card
    assert factor_accepted("typed_number", "staff")
    assert not factor_accepted("a_found_card", "staff")  # an unknown method opens nothing
    assert set().union(*SECOND_FACTORS.values()) <= {"card_pin", "staff"}


def test_offline_shows_only_this_kiosks_records_and_keeps_the_records_closed() -> None:
    visit = RecordsVisit(TODAY)
    assert visit.identify(SSC).ok
    assert visit.transactions_loaded((local("t1", "pending_upload", 20),), None, {})
    assert visit.online is False and [r.source for r in visit.rows] == ["kiosk"]
    assert visit.ask_records() is None and visit.closed_reason == "offline"


def test_a_doubtful_identity_is_refused() -> None:
    visit = RecordsVisit(TODAY)
    assert visit.identify(replace(SSC, id_number="230102195003120151")).reason == "check_character"
    assert visit.identify(replace(SSC, valid_to=date(2026, 11, 20))).reason == "expired"
    assert visit.stage is RecordsStage.IDENTIFY and visit.card is None
    assert not id_number_ok("230102195003120151") and id_number_ok(SSC.id_number.lower())


def test_merge_prefers_the_platforms_word_and_keeps_what_only_this_kiosk_has() -> None:
    rows = merge(
        (local("t1", "pending_upload", 20), local("t2", "sent", 10, "processing"),
         local("t3", "sent", 12)),
        (remote("t3", "rejected", "缺材料"), remote("t9", "ready_for_pickup")),
        {"pension-transfer": "养老保险关系转移"})
    by_id = {r.txid: r for r in rows}
    assert [r.txid for r in rows] == ["t1", "t3", "t2", "t9"]  # newest first
    assert (by_id["t1"].status, by_id["t1"].source) == ("pending_upload", "kiosk")
    assert by_id["t2"].status == "processing"  # the status feed's word, kept on this kiosk
    assert (by_id["t3"].status, by_id["t3"].reason, by_id["t3"].title) == (
        "rejected", "缺材料", "老年人优待证申领")
    assert (by_id["t9"].title, by_id["t9"].day) == ("养老保险关系转移", "2026-11-01")


def test_leaving_drops_everything_with_the_session() -> None:
    flow = Flow(load_catalog(), new_txid=lambda: "x", today=lambda: TODAY)
    flow.open_records()
    assert flow.step is Step.RECORDS
    assert flow.identify_for_records(SSC).ok and flow.session.identity is SSC
    visit = flow.session.records
    assert visit is not None
    visit.transactions_loaded((), (remote("t9", "approved"),), {})
    flow.back()
    assert flow.step is Step.HOME and flow.session.records is None
    assert flow.session.identity is None
    assert (visit.card, visit.rows, visit.records, visit.stage) == (
        None, (), None, RecordsStage.IDENTIFY)
    assert "赵" not in repr(visit) and "2301" not in repr(RECORDS)


class _Outbox:
    def __init__(self, records: list[object]) -> None:
        self.records = {r.id: r for r in records}  # type: ignore[attr-defined]

    def ids(self) -> list[str]:
        return list(self.records)

    def get(self, txid: str) -> object:
        return self.records.get(txid)


def test_the_kiosks_own_records_are_matched_by_holder_tag(tmp_path: pytest.TempPathFactory
                                                          ) -> None:
    from sync.outbox.schema import OutboxRecord

    key = load_or_create_tag_key(tmp_path)  # type: ignore[arg-type]
    assert load_or_create_tag_key(tmp_path) == key  # type: ignore[arg-type]
    assert (tmp_path / "records_tag.key").stat().st_mode & 0o777 == 0o600  # type: ignore[operator]
    mine, other = holder_tag(key, SSC.id_number.lower()), holder_tag(key, ID_CARD.id_number)
    assert mine == holder_tag(key, SSC.id_number) and SSC.id_number not in mine

    def record(txid: str, tag: str, state: str) -> OutboxRecord:
        return OutboxRecord(txid, 1, "d", 1, "elderly-card-apply",
                            datetime(2026, 11, 20, tzinfo=UTC), 0.0, state, 0, None, None, "h",
                            None, None, receipt={"holder_tag": tag, "title": "老年人优待证申领",
                                                 "tracking_number": "K0451-20261120-0001-3"})

    box = _Outbox([record("a", mine, "pending"), record("b", other, "acked"),
                   record("c", mine, "acked")])
    found = queued_here(box, mine)  # type: ignore[arg-type]
    assert sorted((t.txid, t.state) for t in found) == [("a", "pending_upload"), ("c", "sent")]


def test_a_typed_number_is_taken_only_with_the_staff_who_confirmed_it() -> None:
    from kiosk.flow import FlowError
    from kiosk.identification import typed_identity

    flow = Flow(load_catalog(), new_txid=lambda: "x", today=lambda: TODAY)
    flow.open_records()
    typed = typed_identity("23010219500312015x")
    with pytest.raises(FlowError, match="staff member's confirmation"):
        flow.identify(typed)  # nobody vouched: refused before anything is kept
    assert flow.session.records is not None and flow.session.records.card is None
    assert flow.identify(typed, assisted_by="1001").ok
    visit = flow.session.records
    assert (visit.method, visit.assisted_by) == ("typed_number", "1001")
    assert visit.transactions_loaded((), (), {})
    # the confirming staff member is the factor: no second sign-in, straight to checking
    assert visit.ask_records() is RecordsStage.CHECKING
    assert visit.factor == SecondFactor("staff", "1001")
    visit.clear()
    assert visit.assisted_by is None and visit.card is None
