"""Identification without a card, in the core alone: an electronic code's identity and a typed
number reach the flow like a card, each marked by how it came; a receipt's scanned QR code
gives back its number and query code; scans are routed by the step."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from devices.cards.base import CardKind
from devices.scanners.base import ScannedCode, ScannerError
from kiosk import events as ev
from kiosk.catalog import load_catalog
from kiosk.flow import Flow, FlowError, Step
from kiosk.identification import (
    confirm_typed_number,
    ecode_identity,
    resolve_ecode,
    typed_identity,
)
from kiosk.scan_events import ScanEvents
from kiosk.tracking.numbers import make_tracking_number, status_link
from kiosk.tracking.scanned import receipt_code
from sync.platform.ecodes import EcodeAnswer, ResolvedIdentity, parse_resolve_answer
from sync.platform.errors import PlatformUnavailable

TODAY = date(2026, 11, 21)
NUMBER = "11010519491231002X"
WHO = ResolvedIdentity("social_security", "张三丰", NUMBER, "男", "汉", "1949-12-31",
                       "A12345678", "110105")
ECODE = "ECODE1." + "A" * 40 + "." + "B" * 86


def flow_at_identify(service: str = "medical-enrolment-certificate") -> Flow:
    flow = Flow(load_catalog(), new_txid=lambda: "tx-1", today=lambda: TODAY)
    flow.choose_service(service)
    flow.accept_guide()
    flow.accept_privacy()
    return flow


class FakeClient:
    """A platform client that answers from a script (pure logic; the real one is tested
    against the reference platform in tests/integration/test_ecodes.py)."""

    def __init__(self, answer: EcodeAnswer | Exception) -> None:
        self.answer = answer
        self.asked: list[str] = []
        self.closed = False

    def resolve_ecode(self, code: str) -> EcodeAnswer:
        self.asked.append(code)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def close(self) -> None:
        self.closed = True


def collect(bus: ev.EventBus) -> list[ev.Event]:
    seen: list[ev.Event] = []
    bus.subscribe(seen.append)
    return seen


def test_a_resolved_code_identifies_the_citizen_marked_as_an_electronic_code() -> None:
    flow, bus = flow_at_identify(), ev.EventBus()
    seen, client = collect(bus), FakeClient(EcodeAnswer(identity=WHO))
    assert resolve_ecode(flow, bus, ECODE, lambda: client).ok
    assert client.asked == [ECODE] and client.closed
    held = flow.session.identity
    assert held is not None and held.kind is CardKind.ELECTRONIC_CODE
    assert (held.id_number, held.birth_date, held.valid_to) == (NUMBER, date(1949, 12, 31), None)
    assert flow.step is Step.FORM and flow.session.assisted_by is None
    assert seen[-1] == ev.CardDidRead("张**", "1101**********002X")


@pytest.mark.parametrize("reason", ["expired", "forged", "replayed", "unknown"])
def test_a_refused_code_keeps_nothing_and_says_why(reason: str) -> None:
    flow, bus = flow_at_identify(), ev.EventBus()
    seen = collect(bus)
    verdict = resolve_ecode(flow, bus, ECODE, lambda: FakeClient(EcodeAnswer(reason=reason)))
    assert not verdict.ok and verdict.reason == f"ecode_{reason}"
    assert flow.session.identity is None and flow.step is Step.IDENTIFY
    assert isinstance(seen[-1], ev.CardDidFail) and seen[-1].reason == f"ecode_{reason}"


def test_a_platform_that_does_not_answer_is_offline_not_a_refusal() -> None:
    flow, bus = flow_at_identify(), ev.EventBus()
    down = FakeClient(PlatformUnavailable("connection refused"))
    assert resolve_ecode(flow, bus, ECODE, lambda: down).reason == "ecode_offline"
    assert down.closed and flow.session.identity is None


def test_a_service_that_takes_no_electronic_code_refuses_it() -> None:
    flow = flow_at_identify("elderly-card-apply")  # ssc and id_card only
    verdict = flow.identify(ecode_identity(WHO))
    assert not verdict.ok and verdict.reason == "ecode_not_accepted"
    assert flow.session.identity is None


def test_a_typed_number_needs_a_staff_member_and_is_marked_with_their_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    flow, bus = flow_at_identify("elderly-card-apply"), ev.EventBus()
    with pytest.raises(FlowError):
        flow.identify(typed_identity(NUMBER))  # nobody vouched for it
    caplog.set_level(logging.INFO, logger="kiosk.audit")
    assert confirm_typed_number(flow, bus, NUMBER.lower(), "1001", "kiosk-0451").ok
    held = flow.session.identity
    assert held is not None and held.kind is CardKind.TYPED_NUMBER and held.id_number == NUMBER
    assert (held.name, held.gender, held.birth_date) == ("", "女", date(1949, 12, 31))
    assert flow.session.assisted_by == "1001"
    assert "confirmed by staff 1001" in caplog.text and NUMBER not in caplog.text
    flow.back()  # back to identify: the helper's confirmation goes with the identity
    assert flow.session.assisted_by is None and flow.session.identity is None


def test_a_typed_number_with_a_typing_mistake_is_refused() -> None:
    flow, bus = flow_at_identify("elderly-card-apply"), ev.EventBus()
    verdict = confirm_typed_number(flow, bus, "110105194912310021", "1001", "kiosk-0451")
    assert not verdict.ok and verdict.reason == "check_character"
    assert flow.session.identity is None and flow.session.assisted_by is None


def test_a_receipts_qr_code_gives_back_its_number_and_query_code() -> None:
    tracking = make_tracking_number("K0451", TODAY, 42)
    digits = tracking.replace("K0451-", "").replace("-", "")
    link = status_link("https://hall.example/v1/track/{tracking}", tracking, "12345678")
    found = receipt_code(link)
    assert found is not None and (found.kiosk_code, found.digits, found.query_code) == (
        "K0451", digits, "12345678")
    assert "12345678" not in repr(found)
    in_path = status_link("https://x/s/{tracking}/{code}", tracking, "87654321")
    assert receipt_code(in_path).query_code == "87654321"  # type: ignore[union-attr]
    wrong_check = link.replace(tracking, tracking[:-1] + str((int(tracking[-1]) + 1) % 10))
    assert receipt_code(wrong_check) is None
    assert receipt_code(link.replace("code=12345678", "code=12")) is None
    assert receipt_code("https://example.com/") is None


def test_scans_are_routed_by_the_step() -> None:
    flow, bus = flow_at_identify(), ev.EventBus()
    seen, asked = collect(bus), []
    scans = ScanEvents(flow, bus, "K0451", asked.append)
    scans.scanned(ScannedCode(ECODE, "/dev/ttyQR0"))
    assert asked == [ECODE] and isinstance(seen[-1], ev.EcodeDidScan)
    scans.scanned(ScannedCode("hello", "/dev/ttyQR0"))
    assert seen[-1] == ev.ScanDidFail("unknown_code", "This is not an electronic card code.")
    scans.failed(ScannerError("incomplete", "A code stopped arriving."))
    assert seen[-1] == ev.ScanDidFail("incomplete", "A code stopped arriving.")

    flow.reset()
    flow.open_tracking()
    tracking = make_tracking_number("K0451", TODAY, 7)
    scans.scanned(ScannedCode(status_link("http://p/v1/track/{tracking}", tracking, "55554444"),
                              "/dev/ttyQR0"))
    got = seen[-1]
    assert isinstance(got, ev.ReceiptCodeDidScan) and got.query_code == "55554444"
    assert "55554444" not in repr(got)
    other = make_tracking_number("K0999", TODAY, 7)
    scans.scanned(ScannedCode(status_link("http://p/t/{tracking}", other, "55554444"), "p"))
    assert isinstance(seen[-1], ev.ScanDidFail) and seen[-1].reason == "other_kiosk"
    flow.reset()
    scans.scanned(ScannedCode(ECODE, "p"))
    assert isinstance(seen[-1], ev.ScanDidFail) and seen[-1].reason == "not_expected"
    assert asked == [ECODE]


def test_a_reply_outside_the_protocol_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_resolve_answer({"outcome": "refused", "reason": "because"})
    with pytest.raises(ValueError):
        parse_resolve_answer({"outcome": "resolved", "identity": {"code_kind": "x"}})
    assert parse_resolve_answer({"outcome": "refused", "reason": "expired"}).reason == "expired"
