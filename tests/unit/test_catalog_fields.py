"""Form values checked by their field's kind, conditional fields, optional fields and pages,
on the catalogue's real forms and on fields made here."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.catalog import FormError, load_catalog
from kiosk.catalog.fields import check_value, date_bound
from kiosk.catalog.model import FormField, Option, ShowIf

TODAY = date(2026, 11, 21)
SPOUSE_ID = "11010519491231002X"  # a valid check character, born 1949
CATALOG = load_catalog()


def field(kind: str, **extra: object) -> FormField:
    return FormField("x", kind, {"zh_CN": "项", "en": "X"}, **extra)  # type: ignore[arg-type]




def test_relative_and_absolute_date_bounds() -> None:
    assert date_bound("today", TODAY) == TODAY
    assert date_bound("today+30d", TODAY) == date(2026, 12, 21)
    assert date_bound("today-12m", TODAY) == date(2025, 11, 21)
    assert date_bound("today-18y", date(2024, 2, 29)) == date(2006, 2, 28)
    assert date_bound("2020-01-01", TODAY) == date(2020, 1, 1)


def test_each_kind_takes_a_good_value_and_refuses_a_bad_one_with_a_reason() -> None:
    options = tuple(Option(v, {"zh_CN": v}) for v in "abc")
    cases = [
        (field("choice", options=options), "b", "b", "z", "not_an_option"),
        (field("multi_choice", options=options, max_selected=2), "c,a", "a,c", "a,b,c", "too_many"),
        (field("yes_no"), "no", "no", "maybe", "not_an_option"),
        (field("phone"), "13912345678", "13912345678", "12345", "phone"),
        (field("id_number"), SPOUSE_ID.lower(), SPOUSE_ID, SPOUSE_ID[:-1] + "1", "id_number"),
        (field("date", minimum="today+1d", maximum="today+30d"), "2026-11-22", "2026-11-22",
         "2026-11-21", "too_early"),
        (field("amount", minimum=100, maximum=20000), "1500.50", "1500.50", "20000.01",
         "too_large"),
        (field("count", minimum=1, maximum=12), "04", "4", "0", "too_small"),
        (field("region", level="street"), "230102001", "230102001", "230102001001", "region"),
        (field("address", level="community", detail_max_length=10), "230103002001|3栋2单元501",
         "230103002001|3栋2单元501", "230103002001|", "address_detail"),
        (field("relation", relations=("spouse",)), f"spouse|{SPOUSE_ID}", f"spouse|{SPOUSE_ID}",
         f"child|{SPOUSE_ID}", "relation"),
        (field("text", max_length=9), "黑A·D12345", "黑A·D12345", "一二三四五六七八九十",
         "too_long"),
    ]
    for f, good, stored, bad, reason in cases:
        assert check_value(f, good, TODAY, None) == stored, f.kind
        with pytest.raises(FormError) as exc:
            check_value(f, bad, TODAY, None)
        assert exc.value.reason == reason, f.kind
        assert exc.value.field == "x" and str(exc.value)


def test_a_conditional_field_is_asked_only_when_its_answer_calls_for_it() -> None:
    service = CATALOG.get("ssc-apply")
    base = {"bank": "hrbb", "delivery": "pickup", "phone": "13912345678"}
    assert service.validate(dict(base, post_address="230102001001|1号"), TODAY) == base
    with pytest.raises(FormError) as exc:
        service.validate(dict(base, delivery="post"), TODAY)
    assert (exc.value.field, exc.value.reason) == ("post_address", "required")
    posted = service.validate(dict(base, delivery="post", post_address="230102001001|1栋1号"),
                              TODAY)
    assert posted["post_address"] == "230102001001|1栋1号"


def test_show_if_on_a_multi_choice_and_an_optional_field() -> None:
    rule = ShowIf("items", includes="children")
    assert rule.holds({"items": "rent,children"}) and not rule.holds({"items": "rent"})
    jobs = CATALOG.get("job-seeker-registration")
    values = {"wanted": "it", "work_area": "230103", "education": "bachelor",
              "phone": "13912345678"}
    assert "salary" not in jobs.validate(values, TODAY)  # optional, left empty
    assert jobs.validate(dict(values, salary="6000"), TODAY)["salary"] == "6000"


def test_the_existing_forms_validate_as_before() -> None:
    elderly = CATALOG.get("elderly-card-apply")
    assert elderly.validate({"delivery": "post", "phone": " 13912345678 "}) == {
        "delivery": "post", "phone": "13912345678"}
    with pytest.raises(FormError) as exc:
        elderly.validate({"delivery": "post"})
    assert (exc.value.field, str(exc.value)) == ("phone", "This field is required.")


def test_long_forms_come_in_pages_of_a_few_fields() -> None:
    for service in CATALOG.services:
        assert [k for page in service.pages for k in page] == [f.key for f in service.form]
        assert all(1 <= len(page) <= 5 for page in service.pages), service.code
    assert len(CATALOG.get("iit-special-deduction").pages) == 2
