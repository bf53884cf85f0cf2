"""Finding a service by what a citizen types: Chinese text, full pinyin or pinyin initials.

The pinyin comes from the search index built with pypinyin when the catalog is built or
published (:mod:`kiosk.catalog.build_index`), so the kiosk itself needs no pinyin library.
Each service is found through its title, its keywords (the synonyms a citizen types: 退休
finds the pension services), its department and its life events; a title outranks a keyword,
a keyword outranks a department or life event, and a match at the start outranks one inside.
"""

from __future__ import annotations

import heapq
import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Catalog, Service

log = logging.getLogger(__name__)

INDEX_FORMAT = 1
INDEX_FILE = "search_index.json"
TITLE, KEYWORD, GROUP = 3, 2, 1  # weights of what matched
_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_LETTERS = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class SearchIndex:
    """Pinyin syllables of every title, keyword, department and life event, by their text."""

    terms: dict[str, tuple[str, ...]]
    catalog_version: str | None = None
    generator: str | None = None

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> SearchIndex:
        return cls(
            terms={text: tuple(syllables.split()) for text, syllables in doc["terms"].items()},
            catalog_version=doc.get("catalog_version"),
            generator=doc.get("generator"),
        )

    def to_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"format": INDEX_FORMAT}
        if self.generator:
            doc["generator"] = self.generator
        if self.catalog_version:
            doc["catalog_version"] = self.catalog_version
        doc["terms"] = {text: " ".join(s) for text, s in sorted(self.terms.items())}
        return doc

    def merged(self, newer: SearchIndex) -> SearchIndex:
        """This index with ``newer``'s terms added (and preferred)."""
        return SearchIndex({**self.terms, **newer.terms}, newer.catalog_version, newer.generator)


@cache
def installed_index() -> SearchIndex:
    """The index shipped beside the installed catalog (empty, and logged, if it is missing)."""
    try:
        text = (resources.files("assets") / "catalog" / INDEX_FILE).read_text("utf-8")
    except FileNotFoundError:
        log.warning("no %s installed: services are found by their Chinese text only", INDEX_FILE)
        return SearchIndex({})
    return SearchIndex.from_document(json.loads(text))


def normalize_letters(query: str) -> str:
    """What a citizen typed on the A–Z keypad, as the index spells pinyin (ü as v)."""
    return _NOT_LETTERS.sub("", query.lower().replace("ü", "v"))


@dataclass(frozen=True)
class SearchHit:
    service: Service
    score: int
    matched: str  # the title, keyword, department or life event that matched


class _Term:
    __slots__ = ("key", "text", "full", "starts", "initials")

    def __init__(self, text: str, syllables: tuple[str, ...] | None) -> None:
        self.key = text
        self.text = text.lower()
        syllables = syllables or ()
        self.full = "".join(syllables)
        offsets, at = [], 0
        for s in syllables:
            offsets.append(at)
            at += len(s)
        self.starts = tuple(offsets)
        self.initials = "".join(s[0] for s in syllables if s)

    def tier(self, text_query: str, letters: str) -> int:
        """How well the term matches: 3 exactly, 2 at its start, 1 inside, 0 not at all."""
        tier = 0
        if text_query and text_query in self.text:
            tier = 3 if self.text == text_query else 2 if self.text.startswith(text_query) else 1
        if letters and tier < 3:
            if letters in (self.full, self.initials):
                tier = 3
            elif self.full.startswith(letters) or self.initials.startswith(letters):
                tier = 2
            elif tier < 1 and any(self.full.startswith(letters, at) for at in self.starts[1:]):
                tier = 1
        return tier


class ServiceSearch:
    """A catalog's services prepared for searching (built on the first search).

    Each distinct term (a title, keyword, department or life event) is matched once per query,
    and only the services of the terms that match are scored. Typing one more letter can only
    narrow the matching terms, so a query that extends the previous one looks only at the terms
    that matched it. Use from one thread (the GUI's)."""

    def __init__(self, catalog: Catalog, index: SearchIndex) -> None:
        self._terms: dict[str, _Term] = {}
        self._postings: dict[str, list[tuple[int, int]]] = {}  # term -> (service, weight)
        self._services: list[Service] = list(catalog.services)

        def add(text: str, order: int, weight: int) -> None:
            if text not in self._terms:
                self._terms[text] = _Term(text, index.terms.get(text))
                self._postings[text] = []
            self._postings[text].append((order, weight))

        for order, service in enumerate(self._services):
            add(service.text("zh_CN"), order, TITLE)
            for keyword in service.keywords:
                add(keyword, order, KEYWORD)
            department = catalog.departments.get(service.category)
            if department is not None:
                add(localized_zh(department.title), order, GROUP)
            for code in service.life_events:
                event = catalog.life_events.get(code)
                if event is not None:
                    add(localized_zh(event.title), order, GROUP)
        self._english = [s.title.get("en", "").lower().split() for s in self._services]
        self._last: tuple[str, list[str]] = ("", list(self._terms))

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        """Best first: how well a term matches (exactly, at its start, inside), then what it is
        (title, keyword, department or life event), then how many of its terms match."""
        query = query.strip()
        if not query:
            return []
        han = bool(_HAN.search(query))
        text_query = query.lower() if han or query.isascii() else ""
        letters = "" if han else normalize_letters(query)
        previous, candidates = self._last
        if not (previous and query.startswith(previous)
                and bool(_HAN.search(previous)) == han):
            candidates = list(self._terms)
        best: dict[int, tuple[int, str]] = {}
        counts: dict[int, int] = {}
        matched_terms = []
        for key in candidates:
            tier = self._terms[key].tier(text_query, letters)
            if not tier:
                continue
            matched_terms.append(key)
            for order, weight in self._postings[key]:
                counts[order] = counts.get(order, 0) + 1
                score = tier * 10 + weight
                if score > best.get(order, (0, ""))[0]:
                    best[order] = (score, key)
        self._last = (query, matched_terms)
        if len(letters) >= 3:
            for order, words in enumerate(self._english):
                if order not in best and any(w.startswith(letters) for w in words):
                    best[order] = (10 + TITLE, self._services[order].title.get("en", ""))
                    counts[order] = 1
        def rank(item: tuple[int, tuple[int, str]]) -> tuple[int, int]:
            return -(item[1][0] * 10 + min(counts[item[0]], 9)), item[0]

        ranked = (sorted(best.items(), key=rank) if limit is None
                  else heapq.nsmallest(limit, best.items(), key=rank))
        return [SearchHit(self._services[order], score * 10 + min(counts[order], 9), key)
                for order, (score, key) in ranked]


def localized_zh(texts: dict[str, str]) -> str:
    return texts.get("zh_CN") or next(iter(texts.values()))
