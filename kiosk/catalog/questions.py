"""Frequently asked questions per department and per service (问, docs/questions.md).

A sibling asset of the catalogue, ``assets/catalog/questions.json``, with its JSON Schema
``questions.schema.json``. Like the catalogue it is only parsed when used (the first time a
citizen opens a list of questions, never on the way to the first paint); the schema and the
cross-checks (:func:`question_problems`) run in CI and on a file a hall installs.

Answers never hold a window number, an address or a telephone number: a question's ``where``
names site keys (``window:social``, ``place:police_station``, ``hotline``) that the hall's site
file turns into words, as a guide's ``where`` does.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Catalog
    from .site import Site

TOPIC_KINDS = ("department", "service")


@dataclass(frozen=True)
class Question:
    id: str
    question: dict[str, str]  # locale -> text; zh_CN always
    answer: dict[str, str]
    where: tuple[str, ...] = ()

    def has_text_in(self, locale: str) -> bool:
        return locale in self.question and locale in self.answer

    def text(self, locale: str) -> str:
        """The question in ``locale`` when it has both question and answer there, else Chinese
        (a question is never shown in one language and answered in another)."""
        return self.question[locale if self.has_text_in(locale) else "zh_CN"]

    def answer_text(self, locale: str) -> str:
        return self.answer[locale if self.has_text_in(locale) else "zh_CN"]


@dataclass(frozen=True)
class QuestionBook:
    version: str
    departments: dict[str, tuple[Question, ...]] = field(default_factory=dict)
    services: dict[str, tuple[Question, ...]] = field(default_factory=dict)

    def for_topic(self, kind: str, code: str) -> tuple[Question, ...]:
        """The questions about a department or a service (none when the book has none)."""
        group = self.departments if kind == "department" else self.services
        return group.get(code, ())


def installed_questions_text() -> str:
    return (resources.files("assets") / "catalog" / "questions.json").read_text("utf-8")


def load_questions(text: str | None = None) -> QuestionBook:
    """The questions in ``text``, else the ones installed with the kiosk (parsing only)."""
    return parse_questions(json.loads(installed_questions_text() if text is None else text))


def parse_questions(doc: dict[str, Any]) -> QuestionBook:
    def group(items: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[Question, ...]]:
        return {code: tuple(Question(q["id"], dict(q["question"]), dict(q["answer"]),
                                     tuple(q.get("where", ()))) for q in qs)
                for code, qs in items.items()}

    return QuestionBook(doc["version"], group(doc["departments"]), group(doc["services"]))


def question_problems(doc: dict[str, Any], catalog: Catalog,
                      site: Site | None = None) -> list[str]:
    """The schema's refusals, then what it cannot say: unique ids, departments and services
    the catalogue has, site keys the site resolves, and English on both sides or neither."""
    from .checks import MAX_PROBLEMS, schema_problems

    problems = schema_problems(doc, "questions")
    if problems:
        return problems
    codes = {s.code for s in catalog.services}
    ids = Counter(q["id"] for group in ("departments", "services")
                  for qs in doc[group].values() for q in qs)
    problems += [f"question id {i!r} appears more than once" for i, n in ids.items() if n > 1]
    problems += [f"departments.{c}: not a department of the catalogue"
                 for c in doc["departments"] if c not in catalog.departments]
    problems += [f"services.{c}: not a service of the catalogue"
                 for c in doc["services"] if c not in codes]
    refs = site.references() if site is not None else None
    for group in ("departments", "services"):
        for code, qs in doc[group].items():
            for q in qs:
                where = f"{group}.{code} ({q['id']})"
                if ("en" in q["question"]) != ("en" in q["answer"]):
                    problems.append(f"{where}: English question and answer go together")
                if refs is not None:
                    problems += [f"{where}: site {site.code!r} has no {r!r}"  # type: ignore[union-attr]
                                 for r in q.get("where", ()) if r not in refs]
    return problems[:MAX_PROBLEMS]
