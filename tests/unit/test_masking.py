"""The one masking of personal data: each shape keeps exactly what may be shown."""

from __future__ import annotations

from devices.masking import (
    mask_address,
    mask_card_number,
    mask_id_number,
    mask_landline,
    mask_name,
    mask_phone,
)
from kiosk.logs.redaction import redact


def test_each_kind_of_value_keeps_only_its_safe_ends() -> None:
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_id_number("23010219850312015X") == "2301**********015X"
    assert mask_card_number("H23456789") == "H******89"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("1391234") == "****"
    assert mask_landline("0451", "86123456") == "0451-******56"
    assert mask_address("黑龙江省哈尔滨市南岗区") == "[address]"


def test_log_redaction_masks_found_values_the_same_way() -> None:
    line = "call 139-1234-5678 or (0451) 86123456 about 23010219850312015X, card H23456789"
    assert redact(line) == (
        f"call {mask_phone('13912345678')} or {mask_landline('0451', '86123456')} about "
        f"{mask_id_number('23010219850312015X')}, card {mask_card_number('H23456789')}"
    )
