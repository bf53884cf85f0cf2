"""The proof flow's state machine and the verification code's form, without Qt or devices."""

from __future__ import annotations

import itertools

import pytest

from devices.printers.cups_a4 import A4State, state_of_reasons
from kiosk.proofs.machine import IssueProblem, ProofMachine, ProofStep
from sync.platform.proofs import (
    CODE_BITS,
    IssuedProof,
    format_code,
    new_code,
    normalize_code,
)


def machine() -> ProofMachine:
    numbers = itertools.count(1)
    return ProofMachine(lambda: f"request-{next(numbers)}")


def proof(kind: str, code: str = "7KQ2M-XD4RT-0AB1C-9ZZZZ") -> IssuedProof:
    return IssuedProof("r", code, kind, "t", "i", "2026-01-01", "n", "h", (), (), (), ())


def test_a_proof_is_issued_then_printed_and_a_double_tap_changes_nothing() -> None:
    m = machine()
    assert m.choose("income_tax")
    assert m.view.step is ProofStep.ISSUING
    assert not m.choose("income_tax") and not m.choose("housing_fund")  # under way
    m.issued(proof("income_tax"))
    assert m.view.step is ProofStep.PRINTING and m.view.code
    assert not m.back()  # not while printing
    m.printer_changed(A4State.PRINTING)
    m.printed()
    assert m.view.step is ProofStep.PRINTED and m.view.printer is None
    assert m.back() and m.view.step is ProofStep.CHOOSING and m.proof is None


def test_a_printer_fault_keeps_the_proof_and_offers_it_again() -> None:
    m = machine()
    m.choose("social_insurance")
    m.issued(proof("social_insurance"))
    m.print_failed(A4State.JAM)
    assert m.view.step is ProofStep.PRINT_FAILED and m.view.printer is A4State.JAM
    assert m.print_again() and m.view.step is ProofStep.PRINTING
    assert m.proof is not None and m.view.code == m.proof.code
    assert not m.print_again()  # only after a stop


def test_retrying_a_failed_issue_sends_the_same_request_id_another_kind_a_new_one() -> None:
    m = machine()
    m.choose("housing_fund")
    first = m.request_id
    m.issue_failed(IssueProblem.OFFLINE)
    assert m.view.problem is IssueProblem.OFFLINE and not m.print_again()
    m.choose("housing_fund")
    assert m.request_id == first
    m.issue_failed(IssueProblem.OFFLINE)
    m.choose("income_tax")
    assert m.request_id != first


def test_out_of_order_and_unknown_kinds_are_refused() -> None:
    m = machine()
    with pytest.raises(ValueError):
        m.choose("birth_certificate")
    with pytest.raises(RuntimeError):
        m.printed()
    m.choose("income_tax")
    with pytest.raises(ValueError):
        m.issued(proof("housing_fund"))


def test_codes_carry_100_bits_in_a_typeable_form() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200 and CODE_BITS >= 80
    for code in codes:
        assert normalize_code(code) == code and len(code.replace("-", "")) * 5 == CODE_BITS
    code = "7KQ2M-XD4RT-0AB1C-9ZZZZ"
    assert normalize_code(" 7kq2m xd4rt oab1c 9zzzz ") == code  # o read as 0
    assert normalize_code("7KQ2M-XD4RT-0ABIC-9ZZZZ") == code  # I read as 1
    assert normalize_code("7KQ2M-XD4RT-0AB1C-9ZZZU") is None  # U is not in the alphabet
    assert normalize_code("7KQ2M-XD4RT") is None
    assert format_code("A" * 20) == "AAAAA-AAAAA-AAAAA-AAAAA"


@pytest.mark.parametrize(("reasons", "state"), [
    (("media-empty-error",), A4State.PAPER_OUT),
    (("media-jam-error",), A4State.JAM),
    (("cover-open-error",), A4State.COVER_OPEN),
    (("toner-empty-error",), A4State.NO_TONER),
    (("offline-report",), A4State.OFFLINE),
    (("media-low-warning", "toner-low-warning"), None),
    (("media-empty-warning",), None),
    ((), None),
])
def test_printer_state_reasons_name_the_fault(reasons: tuple[str, ...], state: A4State | None
                                              ) -> None:
    assert state_of_reasons(reasons) is state
