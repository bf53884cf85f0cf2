"""What goes on the paper: built from the session, masked, in Chinese (the receipt's language)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from devices.masking import mask_id_number, mask_name
from devices.printers.receipt import Receipt
from kiosk.catalog import Service, localized
from kiosk.form_display import shown_value


def form_lines(service: Service, form: dict[str, str], locale: str) -> list[tuple[str, str]]:
    """The form's values as the citizen sees them, on the confirm screen and on the receipt:
    each answered field's label and its answer in words, personal parts masked
    (:func:`kiosk.form_display.shown_value`). Fields the citizen was not shown, or left
    empty, have no line."""
    return [(localized(f.label, locale), shown_value(f, form[f.key], locale))
            for f in service.form if form.get(f.key)]


def receipt_record(
    service: Service,
    name: str,
    id_number: str,
    form: dict[str, str],
    tracking_number: str,
    qr_payload: str,
    printed_at: datetime,
    kiosk_id: str,
    *,
    query_code: str = "",
) -> dict[str, Any]:
    """The outbox's reprint record: masked forms only, never the full personal data.

    It keeps the query code, so a reprint prints it again: not personal data, but the
    citizen's secret, so the record is never listed or logged whole.
    """
    lines: list[tuple[str, str]] = [
        ("办理事项", service.text("zh_CN")),
        ("申请人", mask_name(name)),
        ("证件号码", mask_id_number(id_number)),
    ]
    lines.extend(form_lines(service, form, "zh_CN"))
    lines.append(("受理时间", printed_at.strftime("%Y-%m-%d %H:%M")))
    return {
        "title": service.text("zh_CN"),
        "lines": lines,
        "tracking_number": tracking_number,
        "qr_payload": qr_payload,
        "notes": list(service.receipt_notes.get("zh_CN", ())),
        "printed_at": printed_at.isoformat(),
        "kiosk_id": kiosk_id,
        "query_code": query_code,
    }


QUERY_CODE_NOTE = "凭受理编号和查询码可查询办理进度；查询码请勿告知他人。"


def receipt_from_record(record: dict[str, Any]) -> Receipt:
    code = str(record.get("query_code") or "")  # records from before query codes have none
    notes = tuple(record["notes"]) + ((QUERY_CODE_NOTE,) if code else ())
    notes += ("请妥善保管本回执，并取走您的卡片。",)
    return Receipt(
        title=record["title"],
        lines=tuple((str(a), str(b)) for a, b in record["lines"]),
        tracking_number=record["tracking_number"],
        qr_payload=record["qr_payload"],
        notes=notes,
        printed_at=datetime.fromisoformat(record["printed_at"]),
        kiosk_id=record["kiosk_id"],
        query_code=code,
    )
