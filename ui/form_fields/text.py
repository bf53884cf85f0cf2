"""Short free text, only where no list can hold the answers (a certificate number, a city, a
business's name): pinyin on our own A–Z keypad, a bar of Chinese candidates, digit keys.

Tapping a candidate writes it and uses up the letters it stands for; the first candidate is
always the letters themselves in capitals (licence plates and certificate numbers hold Latin
letters). Candidates come from the table built at catalogue build time (kiosk.catalog
.candidates): the catalogue's own words first, then characters, common before rare.
"""

from __future__ import annotations

from functools import partial

from kiosk.catalog import FormField
from kiosk.catalog.candidates import Candidate, load_candidates

from ..letter_keypad import LetterKeypad
from ..qt import QPushButton, QSizePolicy, QWidget, SpacedColumn, SpacedGrid, SpacedRow
from ..widgets import button, clear_layout, label
from .base import FieldContext, FieldWidget

DIGITS = "1234567890"
LETTERS = 8  # pinyin letters typed ahead of a choice: a word of two or three syllables


def is_wide(ctx: FieldContext) -> bool:
    """A landscape page to itself: the candidates beside the answer, the digits beside the
    letters, the help beside the heading; narrow (portrait): each on a row of its own."""
    key = ctx.metrics.target + 6 + ctx.metrics.gap + 1
    return ctx.width >= 11 * key + ctx.metrics.target  # 7 letters, the edit keys, 3 digits


class TextField(FieldWidget):
    def compact(self) -> bool:
        return True  # tall (two keypads): heading, help and refusal share one row

    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.limit = field.max_length or 40
        wide = is_wide(ctx)
        top = QWidget()
        top_row = SpacedRow(top)
        top_row.setContentsMargins(0, 0, 0, 0)
        self.display = label("", name=f"field-{field.key}-value")
        self.erase = button(self.tr("Erase"), f"field-{field.key}-erase", self._erase)
        self.erase.setAccessibleName(self.tr("Delete the last character"))
        self.erase.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.earlier = button("‹", f"field-{field.key}-earlier", lambda: self._page(-1))
        self.earlier.setAccessibleName(self.tr("Earlier candidates"))
        self.later = button("›", f"field-{field.key}-later", lambda: self._page(+1))
        self.later.setAccessibleName(self.tr("More candidates"))
        for b in (self.earlier, self.later):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.setFixedWidth(ctx.metrics.target + 6)
        self.candidates = SpacedRow()
        self.candidates.setContentsMargins(0, 0, 0, 0)
        bar = QWidget()
        # The bar takes the room its row leaves, whatever its candidates would like.
        bar.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        bar_row = SpacedRow(bar)
        bar_row.setContentsMargins(0, 0, 0, 0)
        bar_row.addWidget(self.earlier)
        bar_row.addLayout(self.candidates, 1)
        bar_row.addWidget(self.later)
        top_row.addWidget(self.display, 1 if not wide else 0)
        if wide:
            top_row.addWidget(bar, 1)
        top_row.addWidget(self.erase)
        self.body.addWidget(top)
        if not wide:
            self.body.addWidget(bar)
        self.keypad = LetterKeypad(self._letters, max_len=LETTERS)
        digits = QWidget()
        key = ctx.metrics.target + 6 + ctx.metrics.gap + 1
        per_row = 10 if 10 * key <= ctx.width else 5  # narrow: one row of digits if it fits
        grid = SpacedGrid(digits)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, d in enumerate(DIGITS):
            b = button(d, f"field-{field.key}-digit-{d}", partial(self._write, d))
            b.setProperty("key", True)
            grid.addWidget(b, *((i // 3, i % 3) if wide else (i // per_row, i % per_row)))
        keys = QWidget()
        keys_layout = SpacedRow(keys) if wide else SpacedColumn(keys)
        keys_layout.setContentsMargins(0, 0, 0, 0)
        keys_layout.addWidget(self.keypad, 3)
        keys_layout.addWidget(digits, 1)
        self.body.addWidget(keys)
        # The candidates have the width left beside the page keys (and, wide, beside the
        # answer, given 30 % of the width, and the erase key).
        gap = ctx.metrics.gap + 1
        taken = 2 * (ctx.metrics.target + 6) + 3 * gap
        if wide:
            self.display.setFixedWidth(ctx.width * 30 // 100)
            taken += ctx.width * 30 // 100 + ctx.button_width(self.erase.text()) + 2 * gap
        self.room = ctx.width - taken  # until the bar is laid out and has a width of its own
        self.bar = bar
        self.starts = [0]  # where each page of candidates seen so far starts
        self.next_start = 0
        self.show_value()

    def _found(self) -> list[Candidate]:
        typed = self.keypad.text()
        if not typed:
            return []
        return [Candidate(typed.upper(), len(typed)), *load_candidates().lookup(typed)]

    def _letters(self, typed: str) -> None:
        self.starts = [0]
        self._show_candidates()

    def _page(self, by: int) -> None:
        if by > 0 and self.next_start > self.starts[-1]:
            self.starts.append(self.next_start)
        elif by < 0 and len(self.starts) > 1:
            self.starts.pop()
        self._show_candidates()

    def _show_candidates(self) -> None:
        """As many candidates as fit in the bar, each as wide as its words need."""
        clear_layout(self.candidates)
        found = self._found()
        first, used, gap = self.starts[-1], 0, self.ctx.metrics.gap + 1
        if self.bar.isVisible() and self.bar.width() > 0:  # laid out: its own width
            self.room = self.bar.width() - 2 * (self.ctx.metrics.target + 6) - 3 * gap
        shown: list[Candidate] = []
        for c in found[first:]:
            need = self.ctx.button_width(c.text, tick=False) + (gap if shown else 0)
            if shown and used + need > self.room:
                break
            shown.append(c)
            used += need
        for i, c in enumerate(shown):
            b = button(c.text, f"field-{self.key}-candidate-{i}", partial(self._take, c))
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.candidates.addWidget(b)
        self.candidates.addStretch(1)
        self.next_start = first + len(shown)
        self.earlier.setEnabled(len(self.starts) > 1)
        self.later.setEnabled(self.next_start < len(found))

    def _take(self, candidate: Candidate) -> None:
        rest = self.keypad.text()[candidate.letters :]
        self._write(candidate.text)
        self.keypad.set_text(rest)

    def _write(self, text: str) -> None:
        self.answer((self._value + text)[: self.limit])

    def _erase(self) -> None:
        self.answer(self._value[:-1])

    def show_value(self) -> None:
        self.display.setText(self._value or self.tr("Type pinyin, tap a word"))
        self.erase.setEnabled(bool(self._value))
        self._show_candidates()

    def candidate_buttons(self) -> list[QPushButton]:
        """The candidates on show, best first (the letters as typed, then Chinese)."""
        found = self.findChildren(QPushButton)
        return [b for b in found if b.objectName().startswith(f"field-{self.key}-candidate-")]
