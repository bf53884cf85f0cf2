"""Protocol v1 of the citizen's live questions: "my transactions" and "my records".

Shared by the kiosk's client and the reference platform (no HTTP stack, no client errors: a
parser raises ValueError). Both are signed ``POST`` requests whose body carries the citizen's
ID number, so it is never in a URL, a proxy log or a cache; the answers are marked
``Cache-Control: no-store`` and live only in the kiosk's session (docs/records.md).

- ``POST /v1/citizen/transactions``: every application of that citizen the platform holds,
  with its status (the platform finds them by a keyed hash of the ID number, indexed when it
  opened the envelope at ingest);
- ``POST /v1/citizen/records``: social insurance, medical account, housing fund and tax, only
  with a second factor the rule below accepts for the way the citizen identified.

The second-factor rule is keyed on the identification method (:data:`SECOND_FACTORS`): a
card alone does not open someone's records, since a found card must not show its owner's
balances. A new way of identifying (an electronic card code, a typed number with staff help)
adds one line there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sync.platform.protocol import STATUSES

__all__ = [
    "CITIZEN_RECORDS_PATH",
    "CITIZEN_TRANSACTIONS_PATH",
    "IDENTIFICATION_METHODS",
    "SECOND_FACTORS",
    "AccountUse",
    "CitizenRecords",
    "CitizenTransaction",
    "Contribution",
    "FundDeposit",
    "SecondFactor",
    "TaxMonth",
    "factor_accepted",
    "id_number_ok",
    "parse_records",
    "parse_transactions",
    "records_doc",
    "records_request_body",
    "transactions_request_body",
]

CITIZEN_TRANSACTIONS_PATH = "/v1/citizen/transactions"
CITIZEN_RECORDS_PATH = "/v1/citizen/records"
ID_NUMBER_PATTERN = r"^[0-9]{17}[0-9Xx]$"

#: how the citizen identified at the kiosk -> the second factors that open their records
SECOND_FACTORS: dict[str, frozenset[str]] = {
    # the card's own PIN, checked by the card (VERIFY): only the holder knows it
    "social_security_card": frozenset({"card_pin"}),
    # the resident ID card has no PIN: hall staff confirm the person with their credential
    "resident_id_card": frozenset({"staff"}),
    # no card at all: a code on the citizen's phone, or a number typed with staff help
    "electronic_code": frozenset({"staff"}),
    "typed_number": frozenset({"staff"}),
}
IDENTIFICATION_METHODS = tuple(SECOND_FACTORS)
FACTOR_KINDS = ("card_pin", "staff")
STAFF_ID_PATTERN = r"^[A-Za-z0-9]{1,12}$"
#: the ``refusal`` of a 403 answer to a records question (not a signature refusal)
REFUSAL_FACTOR = "second_factor"
REFUSAL_STAFF = "staff_unknown"
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_number_ok(id_number: str) -> bool:
    """Form and GB 11643 check character only (the kiosk's full check, dates and regions
    included, is kiosk/id_numbers.py): enough for the platform to refuse nonsense."""
    text = id_number.strip().upper()
    if re.fullmatch(r"[0-9]{17}[0-9X]", text) is None:
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == text[17]


def factor_accepted(identified_by: str, factor_kind: str) -> bool:
    """Does this second factor open the records of a citizen identified this way?"""
    return factor_kind in SECOND_FACTORS.get(identified_by, frozenset())


@dataclass(frozen=True)
class SecondFactor:
    """What the kiosk proved beyond the card: ``card_pin`` (the card said 9000 to VERIFY) or
    ``staff`` (a member of staff signed in with their own credential and confirmed the
    citizen; ``staff_id`` names them). Never a PIN."""

    kind: str
    staff_id: str | None = None

    def doc(self) -> dict[str, Any]:
        return {"kind": self.kind, "staff_id": self.staff_id}


def _body(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")


def transactions_request_body(kiosk_id: str, id_number: str, identified_by: str) -> bytes:
    return _body({"kiosk_id": kiosk_id, "id_number": id_number, "identified_by": identified_by})


def records_request_body(
    kiosk_id: str, id_number: str, identified_by: str, factor: SecondFactor
) -> bytes:
    return _body({"kiosk_id": kiosk_id, "id_number": id_number, "identified_by": identified_by,
                  "second_factor": factor.doc()})


# -- my transactions -----------------------------------------------------------------------------

STATUSES_WITH_REASON = frozenset({"rejected"})


@dataclass(frozen=True)
class CitizenTransaction:
    """One of the citizen's applications as the platform knows it (nothing personal in it)."""

    txid: str
    tracking_number: str | None
    service_code: str | None
    status: str  # sync.platform.protocol.STATUSES
    reason: str | None  # why, for ``rejected``
    received_at: str  # UTC ISO 8601
    updated_at: str | None  # the latest status change, UTC ISO 8601


def _text(doc: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = doc.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value


def _int(doc: dict[str, Any], key: str) -> int:
    value = doc.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key} is not a whole number")
    return value


def parse_transactions(doc: Any) -> tuple[CitizenTransaction, ...]:
    if not isinstance(doc, dict) or not isinstance(doc.get("transactions"), list):
        raise ValueError("the reply has no transactions list")
    found = []
    for item in doc["transactions"]:
        if not isinstance(item, dict):
            raise ValueError("a transaction is not an object")
        status = _text(item, "status")
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        found.append(CitizenTransaction(
            txid=str(_text(item, "id")),
            tracking_number=_text(item, "tracking_number", optional=True),
            service_code=_text(item, "service_code", optional=True),
            status=status,
            reason=_text(item, "reason", optional=True),
            received_at=str(_text(item, "received_at")),
            updated_at=_text(item, "updated_at", optional=True),
        ))
    return tuple(found)


# -- my records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """One month of one social insurance."""

    month: str  # "2026-10"
    insurance: str  # "pension" | "medical" | "unemployment" | "work_injury"
    base_fen: int
    personal_fen: int
    employer_fen: int
    paid: bool


@dataclass(frozen=True)
class AccountUse:
    """One payment from the personal medical-insurance account."""

    day: str  # "2026-11-03"
    place: str
    amount_fen: int


@dataclass(frozen=True)
class FundDeposit:
    """One month's deposit into the housing fund (personal and employer parts together)."""

    month: str
    amount_fen: int


@dataclass(frozen=True)
class TaxMonth:
    """One month of individual income tax withheld by the employer."""

    month: str
    income_fen: int
    tax_fen: int
    withholder: str


@dataclass(frozen=True, repr=False)
class CitizenRecords:
    """Everything the records answer holds for one citizen. Its repr shows nothing personal."""

    id_number: str
    name: str
    employer: str
    contributions: tuple[Contribution, ...]
    medical_balance_fen: int
    medical_uses: tuple[AccountUse, ...]
    fund_balance_fen: int
    fund_deposits: tuple[FundDeposit, ...]
    tax: tuple[TaxMonth, ...]

    def __repr__(self) -> str:
        return f"CitizenRecords({len(self.contributions)} contributions, {len(self.tax)} tax)"


INSURANCES = ("pension", "medical", "unemployment", "work_injury")


def records_doc(records: CitizenRecords) -> dict[str, Any]:
    """The JSON form the platform answers with."""
    return {
        "id_number": records.id_number,
        "name": records.name,
        "employer": records.employer,
        "contributions": [vars(c) for c in records.contributions],
        "medical": {"balance_fen": records.medical_balance_fen,
                    "uses": [vars(u) for u in records.medical_uses]},
        "housing_fund": {"balance_fen": records.fund_balance_fen,
                         "deposits": [vars(d) for d in records.fund_deposits]},
        "tax": [vars(t) for t in records.tax],
    }


def _items(doc: Any, key: str) -> list[dict[str, Any]]:
    items = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"{key} is not a list of objects")
    return items


def _month(doc: dict[str, Any]) -> str:
    month = str(_text(doc, "month"))
    if _MONTH.fullmatch(month) is None:
        raise ValueError("a month is not YYYY-MM")
    return month


def parse_records(doc: Any, id_number: str) -> CitizenRecords:
    """The platform's records answer, checked; ValueError when it does not fit the question."""
    if not isinstance(doc, dict):
        raise ValueError("the records reply is not an object")
    if str(doc.get("id_number", "")).upper() != id_number.upper():
        raise ValueError("the records reply is about someone else")
    contributions = []
    for c in _items(doc, "contributions"):
        if c.get("insurance") not in INSURANCES or not isinstance(c.get("paid"), bool):
            raise ValueError("a contribution has no known insurance or paid flag")
        contributions.append(Contribution(_month(c), str(c["insurance"]), _int(c, "base_fen"),
                                          _int(c, "personal_fen"), _int(c, "employer_fen"),
                                          bool(c["paid"])))
    medical, fund = doc.get("medical"), doc.get("housing_fund")
    if not isinstance(medical, dict) or not isinstance(fund, dict):
        raise ValueError("the records reply lacks the medical account or the housing fund")
    uses = []
    for u in _items(medical, "uses"):
        day = str(_text(u, "day"))
        if _DAY.fullmatch(day) is None:
            raise ValueError("a medical payment's day is not YYYY-MM-DD")
        uses.append(AccountUse(day, str(_text(u, "place")), _int(u, "amount_fen")))
    deposits = [FundDeposit(_month(d), _int(d, "amount_fen")) for d in _items(fund, "deposits")]
    tax = [TaxMonth(_month(t), _int(t, "income_fen"), _int(t, "tax_fen"),
                    str(_text(t, "withholder"))) for t in _items(doc, "tax")]
    return CitizenRecords(
        id_number=str(_text(doc, "id_number")), name=str(_text(doc, "name")),
        employer=str(_text(doc, "employer")), contributions=tuple(contributions),
        medical_balance_fen=_int(medical, "balance_fen"), medical_uses=tuple(uses),
        fund_balance_fen=_int(fund, "balance_fen"), fund_deposits=tuple(deposits),
        tax=tuple(tax),
    )
