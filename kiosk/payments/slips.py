"""What a payment prints: the receipt of a payment the platform confirmed (or settled late),
and the 待确认 slip of one whose outcome the kiosk could not learn. Chinese, as every receipt;
the account number masked (devices/masking.py), the holder's name as the platform masked it."""

from __future__ import annotations

from datetime import datetime

from devices.masking import mask_card_number
from devices.printers.base import PrinterError, ReceiptPrinter
from devices.printers.receipt_kinds import PaymentSlip, layout_payment_slip

from ..catalog import Service
from ..catalog.site import Site
from .machine import PaymentMachine, PayState

CHECK_APP = "online:city_app"  # where a citizen checks an order by its number


def yuan(fen: int) -> str:
    """Whole fen as yuan with two decimals: 8650 -> ``86.50``."""
    return f"{fen // 100}.{fen % 100:02d}"


def how_to_check(site: Site, locale: str = "zh_CN") -> str:
    """Where the citizen checks an order whose outcome this kiosk could not learn."""
    app, hotline = site.describe(CHECK_APP, locale), site.describe("hotline", locale)
    if locale == "zh_CN":
        return (f"请勿重复缴费。可凭订单号在{app}查询，或拨打{hotline}；"
                "如已扣款，平台会自动入账或原路退款。")
    return (f"Do not pay again. Check the order by its number in {app}, or call the {hotline}; "
            "money taken is credited to the account or paid back automatically.")


_TITLES = {
    PayState.PAID: ("缴费凭条", "充值凭条"),
    PayState.CREDITED: ("缴费凭条（逾期到账）", "充值凭条（逾期到账）"),
    PayState.REFUNDED: ("退款通知", "退款通知"),
    PayState.UNKNOWN: ("缴费结果待确认", "充值结果待确认"),
}
_STATUS = {
    PayState.PAID: "支付成功",
    PayState.CREDITED: "逾期支付，已入账",
    PayState.REFUNDED: "逾期支付，将原路退款",
    PayState.UNKNOWN: "待确认",
}


def payment_slip(machine: PaymentMachine, service: Service, site: Site, kiosk_id: str,
                 when: datetime) -> PaymentSlip:
    state = machine.state
    if state not in _TITLES:
        raise ValueError(f"nothing is printed for a payment {state.value}")
    top_up = machine.spec.top_up
    bill, order = machine.bill, machine.order
    facts: list[tuple[str, str]] = [
        ("缴费项目", service.text("zh_CN")),
        ("卡号" if top_up else "户号", mask_card_number(machine.account)),
    ]
    if bill is not None and bill.holder_masked:
        facts.append(("户名", bill.holder_masked))
    if bill is not None and bill.period:
        facts.append(("账期", bill.period))
    if machine.amount_fen is not None:
        facts.append(("金额", f"¥{yuan(machine.amount_fen)}"))
    facts.append(("状态", _STATUS[state]))
    if order is not None:
        facts.append(("订单号", order.order_no))
    notes: list[str] = []
    if state is PayState.UNKNOWN:
        notes.append("本机未能从平台确认支付结果。")
        notes.append(how_to_check(site))
    elif state is PayState.REFUNDED:
        notes.append("订单已结束后才收到付款，平台将原路退回，无需再次操作。")
    else:
        notes.extend(service.receipt_notes.get("zh_CN", ()))
        if state is PayState.CREDITED:
            notes.append("付款在支付期限后到达，平台已为您入账。")
    if site.sample:
        notes.append("示例大厅：本凭条仅供演示。")
    return PaymentSlip(_TITLES[state][1 if top_up else 0], tuple(facts), when, kiosk_id,
                       tuple(notes))


def print_slip(printer: ReceiptPrinter, slip: PaymentSlip, reference: str) -> tuple[bool, str]:
    """Print it; a printer that cannot is an outcome in words, never raised."""
    try:
        printer.print_layout(layout_payment_slip(slip, printer.width_mm), reference)
    except PrinterError as exc:
        return False, str(exc)
    return True, ""
