"""Records as the citizen reads them (no Qt): money in yuan, months summed per insurance,
the latest first, only as many rows as a screen page shows. Labels are the UI's (tr())."""

from __future__ import annotations

from dataclasses import dataclass

from sync.platform.records import INSURANCES, CitizenRecords

__all__ = ["InsuranceMonth", "insurance_months", "yuan"]


def yuan(fen: int) -> str:
    """12345678 -> "123,456.78" (always two decimals, grouped thousands)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


@dataclass(frozen=True)
class InsuranceMonth:
    """One month of social insurance: the base, each insurance's personal and employer parts
    together, and whether every part was paid."""

    month: str
    base_fen: int
    totals_fen: dict[str, int]  # insurance -> personal + employer
    personal_fen: int
    paid: bool


def insurance_months(records: CitizenRecords, limit: int = 12) -> list[InsuranceMonth]:
    """The latest ``limit`` months, newest first."""
    by_month: dict[str, list] = {}
    for c in records.contributions:
        by_month.setdefault(c.month, []).append(c)
    months = []
    for month in sorted(by_month, reverse=True)[:limit]:
        parts = by_month[month]
        totals = {i: sum(c.personal_fen + c.employer_fen for c in parts if c.insurance == i)
                  for i in INSURANCES}
        months.append(InsuranceMonth(month, max(c.base_fen for c in parts), totals,
                                     sum(c.personal_fen for c in parts),
                                     all(c.paid for c in parts)))
    return months
