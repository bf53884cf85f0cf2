"""问: the list of questions a citizen reads on the questions step, and the answer they open.

Plain data for the screen (no Qt): the questions of one topic in the kiosk's language (Chinese,
with a note, where a question has no translation), the answer of the one opened with where to go
from the hall's site file, and what the voice says. "None of these" is the staff call
(``KioskCore.call_staff``), raised by the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Catalog, localized
from .catalog.questions import Question, QuestionBook
from .catalog.site import Site
from .flow import QuestionTopic


@dataclass
class QuestionsPage:
    topic: QuestionTopic
    title: str  # the department's or service's name
    questions: tuple[Question, ...]
    locale: str
    opened: Question | None = None

    @classmethod
    def build(cls, book: QuestionBook, catalog: Catalog, topic: QuestionTopic,
              locale: str) -> QuestionsPage:
        if topic.kind == "department":
            department = catalog.departments.get(topic.code)
            title = localized(department.title, locale) if department else topic.code
        else:
            title = catalog.get(topic.code).text(locale)
        return cls(topic, title, book.for_topic(topic.kind, topic.code), locale)

    @property
    def some_in_chinese_only(self) -> bool:
        """In another language, some questions are shown in Chinese (the screen says so)."""
        return self.locale != "zh_CN" and any(not q.has_text_in(self.locale)
                                              for q in self.questions)

    def open(self, question_id: str) -> Question:
        """Open one question's answer (another tap on the list opens another)."""
        for q in self.questions:
            if q.id == question_id:
                self.opened = q
                return q
        raise KeyError(question_id)

    def close(self) -> None:
        self.opened = None

    def where_lines(self, site: Site) -> tuple[str, ...]:
        """Where to go for the opened answer, in words from the hall's site file."""
        if self.opened is None:
            return ()
        return tuple(site.describe(ref, self.locale) for ref in self.opened.where)

    def answer_speech(self, site: Site, where_heading: str) -> str:
        """What the voice says when an answer opens: the question, the answer, where to go."""
        q = self.opened
        if q is None:
            return ""
        parts = [q.text(self.locale), q.answer_text(self.locale)]
        where = self.where_lines(site)
        if where:
            parts.append(where_heading + " " + "；".join(where) if self.locale == "zh_CN"
                         else where_heading + " " + "; ".join(where))
        return " ".join(parts)
