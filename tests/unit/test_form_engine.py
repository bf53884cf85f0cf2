"""The form engine's Qt-free half: the draft the flow keeps across pages and Back, a family
member's card, which fields show and on which page, the pinyin candidates."""

from __future__ import annotations

import json

import pytest

from kiosk.catalog import FormError, load_catalog
from kiosk.catalog.build_candidates import build_candidates, candidates_text, shipped_path
from kiosk.catalog.candidates import CandidateTable, load_candidates
from kiosk.catalog.form_pages import form_pages, page_of, shown_fields
from kiosk.catalog.loader import installed_catalog_text
from kiosk.catalog.regions import regions_text
from kiosk.flow import FlowError, Step
from kiosk.logs.redaction import redact
from tests.unit.test_flow import card, make_flow

CATALOG = load_catalog()


def member_id() -> str:
    from kiosk.id_numbers import check_character

    return "23010219800229456" + check_character("23010219800229456")


def at_form(code: str = "ssc-apply"):  # type: ignore[no-untyped-def]
    flow, seen = make_flow()
    flow.choose_service(code)
    flow.accept_guide()
    flow.accept_privacy()
    assert flow.identify(card()).ok
    assert flow.step is Step.FORM
    return flow, seen


def test_draft_and_page_are_kept_while_paging_and_after_back_from_confirm() -> None:
    flow, _ = at_form("elderly-card-apply")
    flow.keep_draft({"delivery": "post"}, page=1)
    assert flow.session.draft == {"delivery": "post"} and flow.session.form_page == 1
    flow.submit_form({"delivery": "pickup", "phone": "13800138000"})
    assert flow.step is Step.CONFIRM
    flow.back()
    assert flow.step is Step.FORM
    assert flow.session.draft == {"delivery": "pickup", "phone": "13800138000"}


def test_back_to_identify_or_reset_drops_the_draft() -> None:
    flow, _ = at_form("elderly-card-apply")
    flow.keep_draft({"phone": "13800138000"}, page=1)
    flow.back()
    assert flow.step is Step.IDENTIFY
    assert flow.session.draft == {} and flow.session.form_page == 0
    flow.reset()
    assert flow.session.draft == {}


def test_draft_only_on_the_form() -> None:
    flow, _ = make_flow()
    with pytest.raises(FlowError):
        flow.keep_draft({"phone": "138"})


def test_a_typed_phone_number_in_the_draft_is_hidden_from_logs() -> None:
    flow, _ = at_form("elderly-card-apply")
    flow.keep_draft({"phone": "13912345678"})
    assert "13912345678" not in redact("typed 13912345678 so far")
    flow.reset()


def test_member_card_is_taken_on_the_form_but_never_the_applicants_own() -> None:
    flow, _ = at_form("medical-family-account-sharing")
    own = flow.take_member_card(card())
    assert not own.ok and own.reason == "own_card"
    assert flow.take_member_card(card(member_id())).ok
    assert flow.session.member is not None
    assert not flow.take_member_card(card("230102198002294561")).ok  # a wrong check character
    flow.back()
    assert flow.session.member is None


def test_the_form_validates_with_the_kiosks_date_not_the_machines() -> None:
    flow, _ = at_form("medical-cross-region-filing")
    service = flow.session.service
    assert service is not None
    start = next(f for f in service.form if f.key == "start_date")
    assert start.minimum == "today"
    values = {"filing_type": "long_stay", "province": "beijing", "start_date": "2026-11-20",
              "phone": "13800138000"}
    with pytest.raises(FormError) as refused:
        flow.submit_form(values)  # the day before the kiosk's today (2026-11-21)
    assert refused.value.reason == "too_early"
    flow.submit_form({**values, "start_date": "2026-11-21"})
    assert flow.step is Step.CONFIRM


def test_conditional_fields_show_only_when_their_answer_asks() -> None:
    service = CATALOG.get("ssc-apply")
    keys = [f.key for f in shown_fields(service.form, {})]
    assert "post_address" not in keys
    keys = [f.key for f in shown_fields(service.form, {"delivery": "post"})]
    assert "post_address" in keys


def test_pages_follow_page_breaks_and_the_screens_split() -> None:
    service = CATALOG.get("medical-cross-region-filing")
    assert len(service.pages) == 2
    pages = form_pages(service, {})
    assert [len(p) for p in pages] == [len(service.pages[0]), 1]  # has_referral not shown yet
    one_each = form_pages(service, {}, split=lambda fields: [[f] for f in fields])
    assert all(len(p) == 1 for p in one_each)
    assert page_of(one_each, "phone") == len(one_each) - 1
    assert page_of(one_each, "nothing") is None


def test_candidates_put_whole_catalogue_words_first_then_characters() -> None:
    table = load_candidates()
    found = [c.text for c in table.lookup("haerbin")]
    assert found[0] == "哈尔滨市"
    assert "哈" in found
    chars = table.lookup("chang")
    assert chars and all(c.letters == 5 for c in chars)
    assert [c.text for c in table.lookup("zh")][:1]  # a syllable being typed has candidates
    assert table.lookup("") == []


def test_a_character_used_by_the_catalogue_comes_before_one_it_never_uses() -> None:
    table = CandidateTable.from_document(
        build_candidates({"services": [{"title": {"zh_CN": "市民"}}]}, {"districts": []}))
    shi = table.characters["shi"]
    assert shi.index("市") < shi.index("是")


def test_first_syllable_is_the_longest_one_typed() -> None:
    table = load_candidates()
    assert table.first_syllable("zhuangshi") == "zhuang"
    assert table.first_syllable("xyz") == ""


def test_shipped_candidate_table_is_current() -> None:
    table = build_candidates(json.loads(installed_catalog_text()), json.loads(regions_text()))
    assert shipped_path().read_text("utf-8") == candidates_text(table), (
        "run: python -m kiosk.catalog.build_candidates")
