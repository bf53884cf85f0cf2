"""问: the frequently asked questions about a service (from its guide) or a department (from
its list of services), docs/questions.md.

A list of large tiles that wrap their text, swiped or paged with large buttons
(``ui/scroll_panel.py``); a tap opens the answer in its place, spoken, with where to go from the
hall's site file (示例 on the demo hall) and a button back to the list. "None of these — call
staff" raises the staff call, as the header's button does. Questions come from the catalogue in
the kiosk's language; those with no translation are shown in Chinese under a one-line note.
"""

from __future__ import annotations

from functools import partial

from kiosk.catalog.questions import Question
from kiosk.flow import Step
from kiosk.questions import QuestionsPage

from ..qt import QFrame, QWidget, SpacedColumn, SpacedRow
from ..scroll_panel import ScrollPanel
from ..tile import Tile
from ..widgets import button, clear_layout, label
from .base import Screen, UiContext


class QuestionsScreen(Screen):
    step = Step.QUESTIONS

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.hint = label("", name="questions-hint")
        self.layout_.addWidget(self.hint)
        self.note = label(self.tr("Some questions are available in Chinese only."), "note",
                          "questions-chinese-only")
        self.layout_.addWidget(self.note)
        self.panel = ScrollPanel("questions")
        self.list_frame = QFrame()
        self.list = SpacedColumn(self.list_frame)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.answer_frame = QFrame()
        self.answer_frame.setProperty("role", "panel")
        self.answer = SpacedColumn(self.answer_frame)
        self.panel.body.addWidget(self.list_frame)
        self.panel.body.addWidget(self.answer_frame)
        self.panel.body.addStretch(1)
        self.layout_.addWidget(self.panel, 1)
        actions = QWidget()
        row = SpacedRow(actions)
        row.setContentsMargins(0, 0, 0, 0)
        self.back_to_list = button(self.tr("Other questions"), "questions-list", self.show_list)
        row.addWidget(self.back_to_list)
        self.call = button(self.tr("None of these: call staff"), "questions-call-staff",
                           self.call_staff, primary=True)
        row.addWidget(self.call)
        self.layout_.addWidget(actions)
        self.page: QuestionsPage | None = None
        self.tiles: list[Tile] = []

    def enter(self) -> None:
        self.page = page = self.core.questions_page(self.ctx.locale)
        if page is None:
            return
        self.title.setText(self.tr("Common questions: %1").replace("%1", page.title))
        self.hint.setText(self.tr("Tap a question to see and hear its answer.")
                          if page.questions else
                          self.tr("There are no common questions here yet. Staff can help."))
        self.note.setVisible(page.some_in_chinese_only)
        clear_layout(self.list)
        self.tiles = [Tile(q.text(self.ctx.locale), f"question-{i}", partial(self.open, q.id),
                           primary=False) for i, q in enumerate(page.questions)]
        for tile in self.tiles:
            self.list.addWidget(tile)
        self.show_list(speak=False)

    def show_list(self, speak: bool = True) -> None:
        if self.page is not None:
            self.page.close()
        clear_layout(self.answer)
        self.answer_frame.hide()
        self.back_to_list.hide()
        self.list_frame.show()
        self.panel.to_top()
        if speak:
            self.ctx.voice.say(self.prompt())

    def open(self, question_id: str) -> None:
        page = self.page
        if page is None:
            return
        question = page.open(question_id)
        self._show_answer(page, question)
        self.ctx.voice.say(page.answer_speech(self.core.site, self.tr("Where to go:")))

    def _show_answer(self, page: QuestionsPage, question: Question) -> None:
        clear_layout(self.answer)
        locale = self.ctx.locale
        self.answer.addWidget(label(question.text(locale), "heading", "question-asked"))
        if locale != "zh_CN" and not question.has_text_in(locale):
            self.answer.addWidget(label(self.tr("This answer is available in Chinese only."),
                                        "note", "answer-chinese-only"))
        self.answer.addWidget(label(question.answer_text(locale), name="question-answer"))
        where = page.where_lines(self.core.site)
        if where:
            self.answer.addWidget(label(self.tr("Where to go:"), "heading"))
            for line in where:
                self.answer.addWidget(label("• " + line, name="question-where"))
            site = self.core.site
            if site.sample:
                notice = site.sample_notice or {"zh_CN": "示例"}
                self.answer.addWidget(label(notice.get(locale) or notice["zh_CN"], "note",
                                            "questions-sample"))
        self.list_frame.hide()
        self.answer_frame.show()
        self.back_to_list.show()
        self.panel.to_top()

    def call_staff(self) -> None:
        """None of these: 呼叫工作人员, through the window's own handling (banner, chime)."""
        if self.ctx.call_staff is not None:
            self.ctx.call_staff()
        else:
            self.core.call_staff()

    def leave(self) -> None:
        if self.page is not None:
            self.page.close()

    def prompt(self) -> str:
        return " ".join(t for t in (self.title.text(), self.hint.text()) if t)
