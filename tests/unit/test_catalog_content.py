"""The shipped catalogue, site file and region list pass their JSON Schemas and the cross-checks
a schema cannot express, hold the content the issue asks for, and the shipped search index is
the one pypinyin builds from the catalogue today."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.build_index import build_index, index_text, shipped_paths
from kiosk.catalog.checks import (
    CatalogInvalidError,
    check_catalog,
    cross_check_problems,
    schema_problems,
)
from kiosk.catalog.regions import load_regions
from kiosk.catalog.site import load_site

DEPARTMENTS = {"medical_insurance", "social_security", "public_security", "tax", "housing_fund",
               "real_estate", "civil_affairs", "health", "education", "disabled_persons",
               "veterans", "transport", "utilities", "market_regulation"}
LIFE_EVENTS = {"birth", "school", "employment", "marriage", "home_purchase", "retirement",
               "elderly_care", "after_death"}
FIELD_KINDS = {"choice", "multi_choice", "yes_no", "phone", "id_number", "date", "amount",
               "count", "region", "address", "relation", "text"}


def shipped(folder: str, name: str) -> Any:
    return json.loads((resources.files("assets") / folder / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return shipped("catalog", "services.json")


def test_the_shipped_catalogue_passes_its_schema_and_the_cross_checks(doc: dict[str, Any]) -> None:
    assert schema_problems(doc) == []
    assert cross_check_problems(doc, load_site()) == []  # every guide's site key resolves


def test_the_site_file_and_the_region_list_pass_their_schemas() -> None:
    site = shipped("sites", "demo-hall.json")
    assert schema_problems(site, "site") == []
    assert site["sample"] is True and "示例" in site["sample_notice"]["zh_CN"]
    assert site["hotline"]["number"] == "12345"
    regions = shipped("regions", "harbin.json")
    assert schema_problems(regions, "regions") == []
    assert regions["provenance"]["communities"] == "sample"
    assert "示例" in regions["provenance"]["notice"]["zh_CN"]


def test_the_region_list_has_harbins_nine_districts_each_with_streets_and_communities() -> None:
    regions = load_regions()
    names = [regions.by_code[c].name["zh_CN"] for c in regions.districts]
    assert names == ["道里区", "南岗区", "道外区", "平房区", "松北区", "香坊区", "呼兰区",
                     "阿城区", "双城区"]
    for code in regions.districts:
        streets = regions.children(code)
        assert len(streets) >= 3
        assert all(len(regions.children(s.code)) >= 3 for s in streets)
    community = regions.children(regions.children("230102")[0].code)[0]
    assert [r.level for r in regions.path(community.code)] == ["district", "street", "community"]


def test_at_least_200_services_across_every_department_with_both_titles(
    doc: dict[str, Any],
) -> None:
    services = doc["services"]
    assert len(services) >= 200
    per_department = Counter(s["department"] for s in services)
    assert set(per_department) >= DEPARTMENTS
    assert all(per_department[d["code"]] >= 3 for d in doc["departments"])
    assert {e["code"] for e in doc["life_events"]} >= LIFE_EVENTS
    per_event = Counter(e for s in services for e in s["life_events"])
    assert all(per_event[e["code"]] >= 2 for e in doc["life_events"])
    assert all(s["title"]["zh_CN"] and s["title"]["en"] for s in services)
    assert len({s["title"]["zh_CN"] for s in services}) == len(services)


def test_at_least_40_services_are_completable_here_with_a_form_and_an_english_guide(
    doc: dict[str, Any],
) -> None:
    completable = [s for s in doc["services"]
                   if s["channel"] in ("kiosk", "submit") and s.get("form")]
    assert len(completable) >= 40
    assert all("en" in s["guide"] for s in completable)
    assert all("en" in s.get("receipt_notes", {}) for s in completable)
    kinds = {f["kind"] for s in completable for f in s["form"]}
    assert FIELD_KINDS | {"page_break"} <= kinds  # the form engine meets every kind for real
    assert any("show_if" in f for s in completable for f in s["form"])
    info_only = [s for s in doc["services"] if s["channel"] == "info"]
    assert info_only and all("form" not in s for s in info_only)
    assert {"queue", "cached", "unavailable"} <= {s["offline"] for s in doc["services"]}


def test_the_first_services_keep_their_codes_forms_and_receipt_notes(doc: dict[str, Any]) -> None:
    first, second = doc["services"][:2]  # on the home screen's first page
    assert (first["code"], second["code"]) == ("elderly-card-apply", "social-security-card-loss")
    assert [f["key"] for f in first["form"]] == ["delivery", "phone"]
    assert [o["value"] for o in first["form"][0]["options"]] == ["pickup", "post"]
    assert first["receipt_notes"]["zh_CN"][0] == "5个工作日内制证，凭本回执领取。"
    assert [f["key"] for f in second["form"]] == ["phone"]
    assert second["receipt_notes"]["zh_CN"] == ["挂失已登记，请尽快补办新卡。"]


def test_guides_carry_no_literal_addresses_or_phone_numbers_but_site_keys(
    doc: dict[str, Any],
) -> None:
    for s in doc["services"]:
        text = json.dumps(s["guide"], ensure_ascii=False)
        assert not re.search(r"\d+号|[A-D]\d{2}|\d{7,}", text), s["code"]  # house, window, phone
        assert s["where"]


def test_the_model_reads_every_service(doc: dict[str, Any]) -> None:
    catalog = load_catalog()
    assert len(catalog.services) == len(doc["services"])
    assert set(catalog.categories) == {d["code"] for d in doc["departments"]}
    elderly = catalog.get("elderly-card-apply")
    assert elderly.category == "civil_affairs" and elderly.min_age == 60
    assert elderly.guide["zh_CN"][1] == "需要：本人社会保障卡或居民身份证。"
    assert elderly.guide["en"][1] == "You need: your social-security card or resident ID card."
    chinese_only = next(s for s in catalog.services if not s.completable)
    assert not chinese_only.has_guide_in("en") and "en" not in chinese_only.guide
    assert sum(s.completable for s in catalog.services) >= 40
    printing = catalog.get("social-insurance-record-print")
    assert printing.offline == "unavailable" and printing.needs_network
    assert not elderly.needs_network


def test_every_guide_key_resolves_to_words_in_both_languages(doc: dict[str, Any]) -> None:
    site = load_site()
    for ref in {r for s in doc["services"] for r in s["where"]}:
        assert site.describe(ref, "zh_CN") != site.describe("hotline", "zh_CN") or ref == "hotline"
        assert site.describe(ref, "en")
    assert site.describe("window:social", "zh_CN") == "社保服务区，A05–A10号窗口（1楼）"
    assert site.describe("window:nowhere", "en") == "12345 government service hotline"


def test_the_shipped_search_index_is_the_one_pypinyin_builds_from_the_catalogue_today(
    doc: dict[str, Any],
) -> None:
    _, index_path = shipped_paths()
    assert index_path.read_text("utf-8") == index_text(build_index(doc)), (
        "run: python -m kiosk.catalog.build_index")


def test_check_catalog_names_the_problem_and_where(doc: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(doc))
    broken["services"][3]["channel"] = "counter"
    with pytest.raises(CatalogInvalidError) as exc:
        check_catalog(broken)
    assert str(exc.value).startswith("services[3].channel: 'counter' is not one of")
