"""Finding a service by Chinese text, full pinyin, pinyin initials and synonyms, over the
search index built when the catalogue is built, best match first."""

from __future__ import annotations

import json

import pytest

from kiosk.catalog import Catalog, load_catalog
from kiosk.catalog.loader import installed_catalog_text
from kiosk.catalog.search import SearchIndex, normalize_letters


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def codes(catalog: Catalog, query: str, limit: int | None = None) -> list[str]:
    return [hit.service.code for hit in catalog.search(query, limit)]


def test_tuixiu_finds_the_pension_services_through_their_synonyms(catalog: Catalog) -> None:
    found = codes(catalog, "退休")
    assert found[0] == "retirement-application"  # 退休 in its title and as a keyword
    titles = [catalog.get(c).text("zh_CN") for c in found]
    pensions = [t for t in titles if "养老" in t]
    assert len(pensions) >= 4  # 养老金待遇查询 and others carry no 退休 in their title
    assert "pension-benefit-enquiry" in found and "pension-qualification-check" in found


def test_yb_initials_find_the_medical_insurance_services_first(catalog: Catalog) -> None:
    hits = catalog.search("yb")
    medical = {s.code for s in catalog.in_department("medical_insurance")}
    assert {h.service.code for h in hits} >= medical  # 医保 is their department
    first = [h.service.category for h in hits[: len(medical)]]
    assert set(first) == {"medical_insurance"}


def test_yanglao_full_pinyin_finds_the_yanglao_services(catalog: Catalog) -> None:
    hits = catalog.search("yanglao")
    assert len(hits) >= 5
    assert all("养老" in h.matched for h in hits)
    assert "pension-benefit-enquiry" in [h.service.code for h in hits[:8]]


def test_each_keystroke_narrows_the_pinyin_results(catalog: Catalog) -> None:
    counts = [len(catalog.search("shebaoka"[:n])) for n in range(1, 9)]
    assert counts == sorted(counts, reverse=True) and counts[-1] >= 4
    assert codes(catalog, "shebaoka", 1) == codes(catalog, "sbk", 1) == [
        "social-security-card-loss"]  # title match outranks keyword matches


def test_chinese_substring_and_exact_titles_rank_first(catalog: Catalog) -> None:
    assert codes(catalog, "结婚登记预约", 1) == ["marriage-registration-booking"]
    assert codes(catalog, "护照") == ["passport-apply"]
    found = codes(catalog, "公积金")
    assert found and all(catalog.get(c).category == "housing_fund" for c in found)


def test_typing_is_forgiving_of_case_spaces_and_u_umlaut(catalog: Catalog) -> None:
    assert normalize_letters(" Lü Xing ") == "lvxing"
    assert codes(catalog, "YANG LAO") == codes(catalog, "yanglao")
    assert catalog.search("") == [] and catalog.search("   ") == []
    assert catalog.search("zzzzqqq") == []


def test_english_words_find_english_titles(catalog: Catalog) -> None:
    assert "passport-apply" in codes(catalog, "passport")


def test_a_catalogue_from_the_platform_adds_its_own_index_terms() -> None:
    data = json.loads(installed_catalog_text())
    title = {"zh_CN": "户籍证明出具", "en": "Household certificate"}
    extra = dict(data["services"][1], code="household-certificate", title=title,
                 keywords=["开证明"])
    data["services"].append(extra)
    without = load_catalog(json.dumps(data, ensure_ascii=False))
    assert "household-certificate" not in codes(without, "hjzm")  # not in the installed index
    assert "household-certificate" in codes(without, "户籍证明")  # Chinese still finds it
    data["search_index"] = SearchIndex({"户籍证明出具": ("hu", "ji", "zheng", "ming", "chu", "ju"),
                                        "开证明": ("kai", "zheng", "ming")}).to_document()
    carried = load_catalog(json.dumps(data, ensure_ascii=False))
    assert codes(carried, "hjzm", 1) == ["household-certificate"]
    assert "elderly-card-apply" in codes(carried, "laonian")  # the installed terms still count


def test_typing_letter_by_letter_gives_what_a_fresh_search_gives(catalog: Catalog) -> None:
    from kiosk.catalog.search import ServiceSearch, installed_index

    typing = ServiceSearch(catalog, installed_index())
    for word in ("yanglaojin", "sbk", "退休金", "gong ji jin", "passport"):
        for n in range(1, len(word) + 1):
            fresh = ServiceSearch(catalog, installed_index()).search(word[:n])
            assert typing.search(word[:n]) == fresh, word[:n]
    assert typing.search("hukou") == ServiceSearch(catalog, installed_index()).search("hukou")


def test_one_letter_gives_what_matching_every_term_gives(catalog: Catalog) -> None:
    """One-letter queries are answered from an index made when the matcher is prepared; it
    must agree with asking every term (and the answer kept must not go stale)."""
    from kiosk.catalog.search import _SEP, ServiceSearch, installed_index

    search = ServiceSearch(catalog, installed_index())
    for letter in "abcdefghijklmnopqrstuvwxyz0123456789":
        slow = [(key, tier) for key, term in search._terms.items()
                if (tier := term.tier(letter, letter, _SEP + letter))]
        assert search._by_letter.get(letter, []) == slow, letter
    first = codes(catalog, "y", 10)
    assert codes(catalog, "ya", 10) != first
    assert codes(catalog, "y", 10) == first  # kept, and the next keystroke narrows from it
    assert codes(catalog, "ya", 10) == [h.service.code for h in ServiceSearch(
        catalog, installed_index()).search("ya", 10)]
