"""The reference platform's fixture citizen records: deterministic, relative to the date."""

from __future__ import annotations

import datetime

import pytest

from sync.server.citizen_records import (
    INSURANCES,
    MONTHS,
    fixture_id_numbers,
    records_for,
)

SSC_HOLDER = "23010219500312015X"
ID_HOLDER = "230103194809150237"


@pytest.mark.parametrize("today", [datetime.date(2026, 1, 1), datetime.date(2026, 12, 31),
                                   datetime.date(2031, 3, 15)])
def test_records_cover_the_full_months_before_today(today: datetime.date) -> None:
    records = records_for(SSC_HOLDER, today)
    assert records is not None
    months = sorted({c.month for c in records.contributions})
    assert len(months) == MONTHS
    last = datetime.date(today.year, today.month, 1) - datetime.timedelta(days=1)
    assert months[-1] == f"{last.year:04d}-{last.month:02d}"
    assert len(records.contributions) == MONTHS * len(INSURANCES)
    assert [d.month for d in records.fund_deposits] == months
    assert [t.month for t in records.tax] == months
    assert all(today - datetime.timedelta(days=100) < datetime.date.fromisoformat(u.day) < today
               for u in records.medical_uses)


def test_records_are_deterministic_and_differ_between_people() -> None:
    today = datetime.date(2026, 11, 20)
    assert records_for(SSC_HOLDER, today) == records_for(SSC_HOLDER.lower(), today)
    one, other = records_for(SSC_HOLDER, today), records_for(ID_HOLDER, today)
    assert one is not None and other is not None
    assert (one.name, other.name) == ("赵建华", "孙德明")
    assert one.medical_balance_fen != other.medical_balance_fen
    assert set(fixture_id_numbers()) == {SSC_HOLDER, ID_HOLDER}


def test_only_fixture_citizens_have_records() -> None:
    assert records_for("110101199003074477", datetime.date(2026, 11, 20)) is None


def test_figures_add_up() -> None:
    records = records_for(ID_HOLDER, datetime.date(2026, 11, 20))
    assert records is not None
    pension = [c for c in records.contributions if c.insurance == "pension"]
    assert all(c.personal_fen == c.base_fen * 8 // 100 for c in pension)
    assert [c.paid for c in pension][-1] is False and all(c.paid for c in pension[:-1])
    assert all(c.personal_fen == 0 for c in records.contributions
               if c.insurance == "work_injury")
    assert records.fund_balance_fen > sum(d.amount_fen for d in records.fund_deposits)
    assert all(t.tax_fen >= 0 and t.withholder == records.employer for t in records.tax)
