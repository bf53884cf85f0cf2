"""Fixture citizen records of the reference platform: social insurance, medical account,
housing fund and individual income tax of the fictional people the device emulators carry.

A real platform asks the social-security, medical-insurance, housing-fund and tax systems; the
reference platform makes up plausible, *deterministic* records instead, so every flow (my
records, A4 proofs) can be demonstrated and tested:
- the people are the emulators' card holders (``assets/sim/ssc_holder.json`` for the virtual
  social-security card, ``assets/sim/id_holder.json`` for the resident ID reader), fictional;
- every figure is derived from the ID number and from ``today`` only: the last
  ``MONTHS`` full months before ``today``'s month, so a test gets the same shape of answer on
  any date and the same answer twice on the same date;
- money is in fen (integers), months are ``"YYYY-MM"``, days ``"YYYY-MM-DD"``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

# The shapes are the protocol's (sync/platform/records.py), one copy for platform and kiosk.
from sync.platform.records import (
    INSURANCES,
    AccountUse,
    CitizenRecords,
    Contribution,
    FundDeposit,
    TaxMonth,
)

__all__ = [
    "INSURANCES",
    "MONTHS",
    "AccountUse",
    "CitizenRecords",
    "Contribution",
    "FundDeposit",
    "TaxMonth",
    "fixture_id_numbers",
    "records_for",
]

MONTHS = 24
"""How many full months of history each kind of record covers."""

# (personal, employer) shares in per-mille of the contribution base.
_RATES_PERMILLE = {
    "pension": (80, 160),
    "medical": (20, 80),
    "unemployment": (5, 5),
    "work_injury": (0, 4),
}
_FUND_RATE_PERMILLE = 120  # personal and employer each: 12 % of the base
_TAX_THRESHOLD_FEN = 500_000  # 5000 yuan a month
_MEDICAL_PLACES = (
    "哈尔滨示例第一医院",
    "南岗区示例社区卫生服务中心",
    "示例大药房（学府路店）",
    "哈尔滨示例中医医院",
)

# Who works where, per fixture card holder (fictional employers).
_EMPLOYERS = {
    "ssc_holder.json": ("哈尔滨示例机械有限公司", 650_000),
    "id_holder.json": ("哈尔滨示例商贸有限公司", 520_000),
}


@dataclass(frozen=True)
class _Person:
    id_number: str
    name: str
    employer: str
    base_fen: int


@cache
def _people() -> dict[str, _Person]:
    people: dict[str, _Person] = {}
    folder = resources.files("assets") / "sim"
    for file_name, (employer, base_fen) in _EMPLOYERS.items():
        holder = json.loads((folder / file_name).read_text("utf-8"))
        id_number = str(holder["id_number"]).upper()
        people[id_number] = _Person(id_number, str(holder["name"]), employer, base_fen)
    return people


def fixture_id_numbers() -> tuple[str, ...]:
    """The ID numbers that have records (the emulators' card holders)."""
    return tuple(sorted(_people()))


def records_for(id_number: str, today: datetime.date) -> CitizenRecords | None:
    """The records of a fixture citizen as of ``today``, or None for anyone else."""
    person = _people().get(id_number.strip().upper())
    if person is None:
        return None
    months = _months_before(today, MONTHS)
    seed = hashlib.sha256(person.id_number.encode("ascii")).digest()
    contributions = tuple(
        contribution
        for index, month in enumerate(months)
        for contribution in _contributions(person, month, index, last=index == len(months) - 1)
    )
    medical_in = sum(
        c.personal_fen + c.employer_fen * 3 // 10
        for c in contributions if c.insurance == "medical" and c.paid)
    uses = _medical_uses(seed, today)
    medical_balance = 180_000 + seed[0] * 100 + medical_in - sum(u.amount_fen for u in uses)
    deposits = tuple(
        FundDeposit(month, 2 * _fund_part(_base_for(person, month)))
        for month in months)
    fund_balance = 3_000_000 + seed[1] * 1000 + sum(d.amount_fen for d in deposits)
    tax = tuple(_tax_month(person, month, seed[2 + i % 8]) for i, month in enumerate(months))
    return CitizenRecords(
        id_number=person.id_number,
        name=person.name,
        employer=person.employer,
        contributions=contributions,
        medical_balance_fen=medical_balance,
        medical_uses=uses,
        fund_balance_fen=fund_balance,
        fund_deposits=deposits,
        tax=tax,
    )


def _months_before(today: datetime.date, count: int) -> list[str]:
    """The ``count`` full months before today's month, oldest first."""
    year, month = today.year, today.month
    months: list[str] = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(f"{year:04d}-{month:02d}")
    return months[::-1]


def _base_for(person: _Person, month: str) -> int:
    """The contribution base: set each July, a little higher every year."""
    year, number = int(month[:4]), int(month[5:7])
    base_year = year if number >= 7 else year - 1
    return person.base_fen + (base_year % 10) * 12_000


def _contributions(
        person: _Person, month: str, index: int, *, last: bool) -> list[Contribution]:
    base = _base_for(person, month)
    # The resident-ID holder's employer has not yet paid the latest month: a proof must show it.
    paid = not (last and person.employer == _EMPLOYERS["id_holder.json"][0])
    return [
        Contribution(month, insurance, base, base * personal // 1000, base * employer // 1000,
                     paid)
        for insurance, (personal, employer) in _RATES_PERMILLE.items()
    ]


def _fund_part(base_fen: int) -> int:
    return base_fen * _FUND_RATE_PERMILLE // 1000


def _medical_uses(seed: bytes, today: datetime.date) -> tuple[AccountUse, ...]:
    """A handful of payments in the 90 days before today, newest first."""
    uses = []
    for i in range(6):
        days_back = 3 + i * 14 + seed[10 + i] % 10
        day = today - datetime.timedelta(days=days_back)
        place = _MEDICAL_PLACES[seed[16 + i] % len(_MEDICAL_PLACES)]
        amount = 1_500 + (seed[20 + i] * 97) % 30_000
        uses.append(AccountUse(day.isoformat(), place, amount))
    return tuple(uses)


def _tax_month(person: _Person, month: str, variation: int) -> TaxMonth:
    base = _base_for(person, month)
    income = base + (variation % 8) * 10_000
    personal_insurance = sum(base * personal // 1000 for personal, _ in _RATES_PERMILLE.values())
    taxable = income - _TAX_THRESHOLD_FEN - personal_insurance - _fund_part(base)
    tax = max(0, taxable) * 3 // 100
    return TaxMonth(month, income, tax, person.employer)
