"""Every field kind read back in words with its personal parts masked (confirm screen and
receipt), and the parts log redaction hides while a session holds them."""

from __future__ import annotations

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.model import FormField, Option
from kiosk.form_display import personal_parts, shown_value
from kiosk.logs.redaction import redact
from kiosk.receipts import form_lines
from kiosk.session import CitizenSession

SPOUSE_ID = "11010519491231002X"
COMMUNITY = "230102001001"  # 道里区 兆麟街道 第一社区 in the shipped region list


def field(kind: str, **extra: object) -> FormField:
    return FormField("x", kind, {"zh_CN": "项", "en": "X"}, **extra)  # type: ignore[arg-type]


OPTIONS = (Option("a", {"zh_CN": "甲", "en": "A"}), Option("b", {"zh_CN": "乙", "en": "B"}))


@pytest.mark.parametrize(("f", "value", "zh", "en"), [
    (field("choice", options=OPTIONS), "b", "乙", "B"),
    (field("multi_choice", options=OPTIONS), "a,b", "甲、乙", "A, B"),
    (field("yes_no"), "yes", "是", "yes"),
    (field("phone"), "13912345678", "139****5678", "139****5678"),
    (field("id_number"), SPOUSE_ID, "1101**********002X", "1101**********002X"),
    (field("relation", relations=("spouse",)), f"spouse|{SPOUSE_ID}",
     "配偶 1101**********002X", "spouse 1101**********002X"),
    (field("region", level="community"), COMMUNITY, "道里区兆麟街道第一社区",
     "Community 1, Zhaolin Subdistrict, Daoli District"),
    (field("address", level="community"), f"{COMMUNITY}|3栋2单元501室",
     "道里区兆麟街道第一社区 [address]",
     "Community 1, Zhaolin Subdistrict, Daoli District [address]"),
    (field("amount"), "1200.5", "1,200.5 元", "1,200.5 yuan"),
    (field("count", unit={"zh_CN": "人", "en": "people"}), "3", "3 人", "3 people"),
    (field("date"), "2026-03-01", "2026-03-01", "2026-03-01"),
])
def test_each_kind_reads_back_in_words_with_personal_parts_masked(
    f: FormField, value: str, zh: str, en: str
) -> None:
    assert shown_value(f, value, "zh_CN") == zh
    assert shown_value(f, value, "en") == en


def test_the_personal_parts_of_a_relation_and_an_address_are_hidden_on_their_own() -> None:
    relation = personal_parts(field("relation"), f"spouse|{SPOUSE_ID}")
    assert relation[SPOUSE_ID] == "1101**********002X"
    address = personal_parts(field("address"), f"{COMMUNITY}|3栋2单元501室")
    assert address["3栋2单元501室"] == "[address]"
    assert personal_parts(field("choice", options=OPTIONS), "a") == {}


def test_a_session_hides_its_form_answers_from_logs_until_it_is_cleared() -> None:
    service = next(s for s in load_catalog().services
                   if {f.kind for f in s.form} >= {"relation", "phone"})
    relation = next(f for f in service.form if f.kind == "relation")
    session = CitizenSession(service=service)
    session.form = {relation.key: f"{relation.relations[0]}|{SPOUSE_ID}", "phone": "13912345678"}
    line = f"member {SPOUSE_ID} phone 13912345678"
    assert SPOUSE_ID not in redact(line) and "13912345678" not in redact(line)


def test_a_free_answer_is_hidden_from_logs_only_while_its_session_holds_it() -> None:
    service = next(s for s in load_catalog().services if any(f.kind == "text" for f in s.form))
    text = next(f for f in service.form if f.kind == "text")
    session = CitizenSession(service=service)
    session.form = {text.key: "王家屯老宅"}
    assert "王家屯老宅" not in redact("answer 王家屯老宅")
    session.clear()
    assert "王家屯老宅" in redact("answer 王家屯老宅")


def test_the_receipt_lists_only_the_answers_the_citizen_gave() -> None:
    service = next(s for s in load_catalog().services
                   if any(not f.required for f in s.form) and len(s.form) > 1)
    answered = next(f for f in service.form if f.kind in ("choice", "yes_no", "phone"))
    value = answered.options[0].value if answered.options else (
        "yes" if answered.kind == "yes_no" else "13912345678")
    lines = form_lines(service, {answered.key: value}, "zh_CN")
    assert len(lines) == 1 and lines[0][0] == answered.label["zh_CN"]
