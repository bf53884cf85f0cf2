"""问 without Qt: the shipped questions pass their schema and cross-checks and cover what the
issue asks; the questions step of the flow; the page model the screen renders and speaks."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.questions import (
    installed_questions_text,
    load_questions,
    parse_questions,
    question_problems,
)
from kiosk.catalog.site import load_site
from kiosk.flow import Flow, FlowError, Step
from kiosk.questions import QuestionsPage

CATALOG = load_catalog()
SITE = load_site()


@pytest.fixture
def doc() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(installed_questions_text())
    return loaded


def make_flow() -> Flow:
    counter = iter(range(1000))
    return Flow(CATALOG, new_txid=lambda: f"tx-{next(counter)}", today=lambda: date(2026, 11, 21))


# the shipped content -------------------------------------------------------------------------
def test_the_shipped_questions_pass_their_schema_and_the_cross_checks(doc: dict[str, Any]) -> None:
    assert question_problems(doc, CATALOG, SITE) == []


def test_every_department_and_forty_services_have_questions_with_english_where_needed(
    doc: dict[str, Any]
) -> None:
    book = parse_questions(doc)
    assert set(book.departments) == set(CATALOG.departments)
    assert len(book.services) >= 40
    for qs in book.departments.values():
        assert len(qs) >= 2 and all(q.has_text_in("en") for q in qs)
    for code, qs in book.services.items():
        if CATALOG.get(code).completable:  # English like the guides of completable services
            assert all(q.has_text_in("en") for q in qs), code


def test_answers_name_no_telephone_number_but_12345(doc: dict[str, Any]) -> None:
    """Local facts come from the site file: numbers of windows and offices are its to say."""
    text = json.dumps(doc, ensure_ascii=False)
    numbers = set(re.findall(r"\d{5,}", text))
    assert numbers <= {"12345"}, numbers
    assert not re.search(r"[A-Z]\d{2}[–-][A-Z]?\d{2}号?窗口", text)  # no window numbers either


def test_bad_files_are_refused_with_where_and_why(doc: dict[str, Any]) -> None:
    bad = copy.deepcopy(doc)
    bad["departments"]["astrology"] = bad["departments"]["tax"]
    bad["services"]["no-such-service"] = [dict(bad["services"]["ssc-apply"][0], id="x.1")]
    first = bad["departments"]["tax"][0]
    bad["services"]["ssc-apply"][1]["id"] = first["id"]
    bad["departments"]["housing"][0]["where"] = ["window:moon"]
    del bad["departments"]["health"][0]["answer"]["en"]
    problems = question_problems(bad, CATALOG, SITE)
    assert "departments.astrology: not a department of the catalogue" in problems
    assert "services.no-such-service: not a service of the catalogue" in problems
    assert any(f"question id {first['id']!r} appears more than once" in p for p in problems)
    assert any("has no 'window:moon'" in p for p in problems)
    assert any("English question and answer go together" in p for p in problems)
    bad["departments"]["tax"][0]["answer"] = {"en": "no Chinese"}
    assert any("'zh_CN' is a required property" in p
               for p in question_problems(bad, CATALOG, SITE))


# the flow ------------------------------------------------------------------------------------
def test_questions_from_a_guide_come_back_to_that_guide_with_the_service_kept() -> None:
    flow = make_flow()
    flow.open_listing("department", "social_security")
    flow.choose_service("ssc-apply")
    flow.open_questions()
    assert flow.step is Step.QUESTIONS
    assert flow.questions is not None
    assert (flow.questions.kind, flow.questions.code) == ("service", "ssc-apply")
    flow.back()
    assert flow.step is Step.GUIDE and flow.session.service is not None
    assert flow.session.service.code == "ssc-apply"
    flow.back()  # and the guide's own Back still goes to the list it was chosen from
    assert flow.step is Step.SERVICES


def test_questions_from_a_department_come_back_to_its_list() -> None:
    flow = make_flow()
    flow.open_listing("department", "tax")
    listing = flow.listing
    flow.open_questions()
    assert flow.questions is not None
    assert (flow.questions.kind, flow.questions.code) == ("department", "tax")
    assert flow.session.service is None
    flow.back()
    assert flow.step is Step.SERVICES and flow.listing is listing


def test_questions_open_only_from_a_guide_or_a_department_and_home_drops_them() -> None:
    flow = make_flow()
    with pytest.raises(FlowError):
        flow.open_questions()  # at home
    flow.open_listing("life_event", "retirement")
    with pytest.raises(FlowError):
        flow.open_questions()  # a life event is not a department
    flow.reset()
    flow.open_listing("department", "tax")
    flow.open_questions()
    flow.reset()
    assert flow.step is Step.HOME and flow.questions is None and flow.listing is None


# the page model ------------------------------------------------------------------------------
def open_page(kind: str, code: str, locale: str) -> QuestionsPage:
    flow = make_flow()
    if kind == "department":
        flow.open_listing("department", code)
    else:
        flow.choose_service(code)
    flow.open_questions()
    assert flow.questions is not None
    return QuestionsPage.build(load_questions(), CATALOG, flow.questions, locale)


def test_a_page_lists_the_topics_questions_and_speaks_the_answer_with_where_to_go() -> None:
    page = open_page("department", "social_security", "zh_CN")
    assert page.title == "社保人社"
    assert [q.id for q in page.questions] == [
        q["id"] for q in json.loads(installed_questions_text())["departments"]["social_security"]]
    question = next(q for q in page.questions if q.where)
    assert page.open(question.id) is question and page.opened is question
    where = page.where_lines(SITE)
    assert where == tuple(SITE.describe(ref, "zh_CN") for ref in question.where)
    assert any("号窗口" in line for line in where)  # the window numbers come from the site
    speech = page.answer_speech(SITE, "去哪里办：")
    assert speech.startswith(question.question["zh_CN"])
    assert question.answer["zh_CN"] in speech and where[0] in speech
    page.close()
    assert page.opened is None and page.answer_speech(SITE, "") == ""
    with pytest.raises(KeyError):
        page.open("no-such-question")


def test_in_english_a_question_without_a_translation_is_chinese_and_the_page_says_so() -> None:
    page = open_page("service", "retirement-application", "en")
    (question,) = page.questions
    assert not question.has_text_in("en") and page.some_in_chinese_only
    assert question.text("en") == question.question["zh_CN"]
    assert question.answer_text("en") == question.answer["zh_CN"]
    english = open_page("service", "elderly-card-apply", "en")
    assert not english.some_in_chinese_only
    assert english.title == CATALOG.get("elderly-card-apply").title["en"]
    assert english.questions[0].text("en") == english.questions[0].question["en"]


def test_a_topic_without_questions_gives_an_empty_page() -> None:
    code = next(s.code for s in CATALOG.services if not load_questions().services.get(s.code))
    assert open_page("service", code, "zh_CN").questions == ()
