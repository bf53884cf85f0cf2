"""What each official proof says, composed from the citizen's records (sync.server.citizen_records).

The platform composes a proof, the kiosk only lays it out: the same wording on every kiosk,
and a kiosk never needs the records themselves. Each proof covers the last ``PROOF_MONTHS``
full months, so it fits one A4 page; money in yuan with two decimals.

On paper the holder's name is printed whole (a proof must name whom it is about) and the ID
number masked like every paper the kiosk prints; the platform's verification answer masks both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.platform.proofs import PROOF_TITLES
from sync.server.citizen_records import CitizenRecords

__all__ = ["ISSUER", "PROOF_MONTHS", "ProofContent", "compose", "mask_id", "mask_name", "yuan"]

PROOF_MONTHS = 12
ISSUER = {
    "social_insurance": "示例市社会保险事业管理局",
    "medical_insurance": "示例市医疗保障局",
    "housing_fund": "示例市住房公积金管理中心",
    "income_tax": "国家税务总局示例市税务局",
}
_INSURANCE_WORDS = {"pension": "养老", "medical": "医疗", "unemployment": "失业",
                    "work_injury": "工伤"}
_NOTES = (
    "本证明由政务服务自助终端打印，内容与业务系统记录一致。",
    "查验方式：扫描二维码，或在政务服务平台输入验证码查验真伪。",
)


@dataclass(frozen=True)
class ProofContent:
    title: str
    issuer: str
    facts: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]
    summary: str  # one masked line for the verification answer


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_id(id_number: str) -> str:
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def compose(kind: str, records: CitizenRecords) -> ProofContent:
    """The proof of ``kind`` for these records (KeyError for a kind there is none of)."""
    return _COMPOSERS[kind](records)


def _period(months: list[str]) -> str:
    return f"{months[0]} 至 {months[-1]}" if months else "—"


def _social(records: CitizenRecords) -> ProofContent:
    months = sorted({c.month for c in records.contributions})[-PROOF_MONTHS:]
    rows = []
    for month in months:
        of_month = {c.insurance: c for c in records.contributions if c.month == month}
        base = next(iter(of_month.values())).base_fen
        shares = [yuan(of_month[k].personal_fen + of_month[k].employer_fen)
                  if k in of_month else "—" for k in _INSURANCE_WORDS]
        paid = all(c.paid for c in of_month.values())
        rows.append((month, yuan(base), *shares, "已缴" if paid else "欠缴"))
    unpaid = sum(1 for row in rows if row[-1] != "已缴")
    facts = (("参保单位", records.employer), ("缴费期间", _period(months)),
             ("参保状态", "正常参保"), ("欠缴月数", str(unpaid)))
    columns = ("月份", "缴费基数(元)", *(f"{w}(元)" for w in _INSURANCE_WORDS.values()), "状态")
    return ProofContent(PROOF_TITLES["social_insurance"], ISSUER["social_insurance"], facts,
                        columns, tuple(rows), _NOTES,
                        f"{_period(months)}，已缴{len(rows) - unpaid}个月")


def _medical(records: CitizenRecords) -> ProofContent:
    medical = sorted((c for c in records.contributions if c.insurance == "medical"),
                     key=lambda c: c.month)[-PROOF_MONTHS:]
    months = [c.month for c in medical]
    paid = sum(1 for c in medical if c.paid)
    facts = (("参保险种", "职工基本医疗保险"), ("参保单位", records.employer),
             ("参保状态", "正常参保"), ("缴费期间", _period(months)),
             ("个人账户余额(元)", yuan(records.medical_balance_fen)))
    rows = tuple((c.month, yuan(c.base_fen), yuan(c.personal_fen), yuan(c.employer_fen),
                  "已缴" if c.paid else "欠缴") for c in medical)
    columns = ("月份", "缴费基数(元)", "个人缴纳(元)", "单位缴纳(元)", "状态")
    return ProofContent(PROOF_TITLES["medical_insurance"], ISSUER["medical_insurance"], facts,
                        columns, rows, _NOTES, f"{_period(months)}，已缴{paid}个月")


def _fund(records: CitizenRecords) -> ProofContent:
    deposits = sorted(records.fund_deposits, key=lambda d: d.month)[-PROOF_MONTHS:]
    months = [d.month for d in deposits]
    facts = (("缴存单位", records.employer), ("缴存状态", "正常缴存"),
             ("缴存期间", _period(months)), ("账户余额(元)", yuan(records.fund_balance_fen)))
    rows = tuple((d.month, yuan(d.amount_fen // 2), yuan(d.amount_fen - d.amount_fen // 2),
                  yuan(d.amount_fen)) for d in deposits)
    columns = ("月份", "个人缴存(元)", "单位缴存(元)", "合计(元)")
    return ProofContent(PROOF_TITLES["housing_fund"], ISSUER["housing_fund"], facts, columns,
                        rows, _NOTES, f"{_period(months)}，缴存{len(rows)}个月")


def _tax(records: CitizenRecords) -> ProofContent:
    months = sorted(records.tax, key=lambda t: t.month)[-PROOF_MONTHS:]
    income = sum(t.income_fen for t in months)
    tax = sum(t.tax_fen for t in months)
    facts = (("所属期间", _period([t.month for t in months])), ("收入合计(元)", yuan(income)),
             ("已缴税额合计(元)", yuan(tax)))
    rows = tuple((t.month, "工资薪金", yuan(t.income_fen), yuan(t.tax_fen), t.withholder)
                 for t in months)
    columns = ("所属月份", "所得项目", "收入额(元)", "已缴税额(元)", "扣缴义务人")
    return ProofContent(PROOF_TITLES["income_tax"], ISSUER["income_tax"], facts, columns, rows,
                        _NOTES, f"{_period([t.month for t in months])}，{len(rows)}个月")


_COMPOSERS = {
    "social_insurance": _social,
    "medical_insurance": _medical,
    "housing_fund": _fund,
    "income_tax": _tax,
}
