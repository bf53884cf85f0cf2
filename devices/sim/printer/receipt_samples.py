"""Sample receipts of every kind, with masked fixture data: for demos, rendered docs,
benchmarks and tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from devices.printers.receipt import Line, Receipt, WidthMm, layout_receipt
from devices.printers.receipt_kinds import (
    QueryResult,
    QueueTicket,
    TestPage,
    layout_query_result,
    layout_queue_ticket,
    layout_test_page,
)

CST = timezone(timedelta(hours=8))
WHEN = datetime(2026, 11, 21, 14, 3, 5, tzinfo=CST)
TRACKING = "K0451-20261121-0042-7"
STATUS_URL = f"https://gov.example/s/{TRACKING}"
QUERY_CODE = "38161952"


def submission_receipt() -> Receipt:
    return Receipt(
        title="老年优待证申领",
        lines=(
            ("办理事项", "老年优待证申领"),
            ("申请人", "䶮*"),
            ("证件号码", "2301**********001X"),
            ("联系电话", "139****5678"),
            ("领取方式", "邮寄到家（——免费）"),
            ("受理时间", "2026-11-21 14:03"),
        ),
        tracking_number=TRACKING,
        qr_payload=f"{STATUS_URL}?code={QUERY_CODE}",
        notes=("凭受理编号和查询码可查询办理进度；查询码请勿告知他人。", "请取走您的卡片。"),
        printed_at=WHEN,
        kiosk_id="K0451",
        query_code=QUERY_CODE,
    )


def queue_ticket() -> QueueTicket:
    return QueueTicket(
        number="A023", service="社保业务（参保、转移、待遇）", waiting=7, issued_at=WHEN,
        kiosk_id="K0451", hall="南岗区政务服务中心", qr_payload="https://gov.example/q/A023",
    )


def query_result() -> QueryResult:
    return QueryResult(
        tracking_number=TRACKING, service="老年优待证申领", state="审核中", queried_at=WHEN,
        kiosk_id="K0451", qr_payload=STATUS_URL, lines=(("申请人", "䶮*"),),
        steps=(("2026-11-21 14:03", "自助终端受理，材料已提交。"),
               ("2026-11-22 09:30", "街道窗口审核中，预计三个工作日内完成。")),
    )


def test_page() -> TestPage:
    return TestPage(
        device=(("打印机", "network 127.0.0.1:9100"), ("状态", "ok"), ("软件版本", "0.1.0")),
        printed_at=WHEN, kiosk_id="K0451",
    )


def layouts(width_mm: WidthMm) -> dict[str, list[Line]]:
    """Every kind laid out for one paper width, by name."""
    return {
        "submission-receipt": layout_receipt(submission_receipt(), width_mm),
        "queue-ticket": layout_queue_ticket(queue_ticket(), width_mm),
        "query-result": layout_query_result(query_result(), width_mm),
        "test-page": layout_test_page(test_page(), width_mm),
    }
