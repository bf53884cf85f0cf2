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
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Catalog, Service

log = logging.getLogger(__name__)

INDEX_FORMAT = 1
INDEX_FILE = "search_index.json"
TITLE, KEYWORD, GROUP = 3, 2, 1  # weights of what matched
_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_LETTERS = re.compile(r"[^a-z0-9]")
_SEP = "\x00"


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
    __slots__ = ("key", "text", "full", "starts", "initials", "inner")

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
        # The pinyin from each later syllable on, each after a NUL: "full pinyin from the start
        # of any syllable in it" is then one substring test of NUL + the letters typed.
        self.inner = "".join(_SEP + self.full[at:] for at in self.starts[1:])

    def tier(self, text_query: str, letters: str, probe: str) -> int:
        """How well the term matches: 3 exactly, 2 at its start, 1 inside, 0 not at all
        (``probe`` is NUL + ``letters``)."""
        tier = 0
        if text_query and text_query in self.text:
            tier = 3 if self.text == text_query else 2 if self.text.startswith(text_query) else 1
        if letters and tier < 3:
            full, initials = self.full, self.initials
            if full.startswith(letters) or initials.startswith(letters):
                tier = 3 if letters in (full, initials) else 2
            elif tier < 1 and probe in self.inner:
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
        # Each English title as " word word …": a word that starts with the letters typed is
        # one substring test of " " + the letters.
        self._english = [" " + " ".join(s.title.get("en", "").lower().split())
                         for s in self._services]
        self._last: tuple[str, list[str]] = ("", list(self._terms))
        self._one_letter: dict[tuple[str, int | None],
                               tuple[list[SearchHit], tuple[str, list[str]]]] = {}
        self._by_letter = self._first_letters()
        # Per term: the services it names, all of them (for counting) and by weight.
        self._orders: dict[str, tuple[int, ...]] = {
            text: tuple(order for order, _ in post) for text, post in self._postings.items()}
        self._by_weight: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        for text, post in self._postings.items():
            weights = sorted({w for _, w in post}, reverse=True)
            self._by_weight[text] = [(w, tuple(o for o, pw in post if pw == w)) for w in weights]

    def _first_letters(self) -> dict[str, list[tuple[str, int]]]:
        """For each letter, the terms it matches alone and how well — what ``_Term.tier``
        gives for a one-letter query, in one pass: a term whose first syllable starts with
        the letter matches at its start, one with a later syllable so inside; a term with
        Latin letters in its text is asked directly."""
        out: dict[str, list[tuple[str, int]]] = {}
        for key, term in self._terms.items():
            if any(ch.isascii() and ch.isalnum() for ch in term.text):
                for letter in set(term.text) | set(term.initials):
                    if letter.isascii() and letter.isalnum():
                        tier = term.tier(letter, letter, _SEP + letter)
                        if tier:
                            out.setdefault(letter, []).append((key, tier))
                continue
            initials = term.initials
            seen = set()
            for i, letter in enumerate(initials):
                if letter in seen:
                    continue
                seen.add(letter)
                at_start = 3 if letter in (term.full, initials) else 2
                tier = at_start if i == 0 else 1
                out.setdefault(letter, []).append((key, tier))
        order = {key: i for i, key in enumerate(self._terms)}
        for matched in out.values():
            matched.sort(key=lambda item: order[item[0]])
        return out

    def full_pinyin(self, text: str) -> str:
        """A term's syllables run together (for the benchmark's plain baseline)."""
        term = self._terms.get(text)
        return term.full if term is not None else ""

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        """Best first: how well a term matches (exactly, at its start, inside), then what it is
        (title, keyword, department or life event), then how many of its terms match."""
        query = query.strip()
        if not query:
            return []
        han = bool(_HAN.search(query))
        text_query = query.lower() if han or query.isascii() else ""
        letters = "" if han else normalize_letters(query)
        if (query, limit) in self._one_letter:
            hits, self._last = self._one_letter[query, limit]
            return hits
        previous, candidates = self._last
        if not (previous and query.startswith(previous)
                and bool(_HAN.search(previous)) == han):
            candidates = list(self._terms)
        # 1. Which terms match, and how well (each distinct term once); one letter: known.
        terms, probe = self._terms, _SEP + letters
        matched: list[tuple[str, int]] = []
        if len(query) == 1 and letters == query.lower() == text_query:
            matched = self._by_letter.get(letters, [])
        else:
            for key in candidates:
                tier = terms[key].tier(text_query, letters, probe)
                if tier:
                    matched.append((key, tier))
        self._last = (query, [key for key, _ in matched])
        hits = self._ranked(matched, letters, limit)
        if len(query) == 1:
            # One letter matches most terms and costs the most; the first letters citizens
            # type are the same few, so their answers are kept (the catalog does not change
            # under its search).
            self._one_letter[query, limit] = (hits, self._last)
        return hits

    def _ranked(self, matched: list[tuple[str, int]], letters: str,
                limit: int | None) -> list[SearchHit]:
        # 2. How many matching terms each service has (counted in C), and each service's best
        # score: scores from the highest down, so a service's first score is its best; with a
        # limit, stop once it is filled by scores no lower one can reach (a title or keyword
        # matched at its start or better outranks anything below by more than the count adds).
        orders_of = self._orders
        counts: Counter[int] = Counter(chain.from_iterable(orders_of[key] for key, _ in matched))
        buckets: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
        for key, tier in matched:
            for weight, orders in self._by_weight[key]:
                buckets.setdefault(tier * 10 + weight, []).append((key, orders))
        best: dict[int, tuple[int, str]] = {}
        for score in sorted(buckets, reverse=True):
            for key, orders in buckets[score]:
                value = (score, key)
                for order in orders:
                    if order not in best:
                        best[order] = value
            if limit is not None and score > 10 + TITLE and len(best) >= limit:
                break
        else:
            if len(letters) >= 3:  # English title words, below any pinyin match at its start
                word = " " + letters
                for order, english in enumerate(self._english):
                    if word in english and order not in best:
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
