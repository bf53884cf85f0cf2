"""A row of Chinese candidates for the pinyin typed on the A–Z keypad (the search screen's way
to search in Chinese: TUIXIU, then 退休).

Candidates come from the table built with the catalogue (:mod:`kiosk.catalog.candidates`):
the catalogue's own words first, then characters of the first syllable, common before rare.
The bar shows as many as fit its width, each as wide as its words need, with 上一组 / 下一组
keys when there are more; it keeps its height when empty, so that the screen does not jump
when the first letter is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kiosk.catalog.candidates import Candidate, load_candidates

from .qt import QEvent, QPushButton, QResizeEvent, QSizePolicy, QWidget, SpacedRow
from .widgets import button, discard


class CandidateBar(QWidget):
    """``show_for(letters)`` lists the candidates; a tap hands one to ``on_take``."""

    def __init__(self, name: str, on_take: Callable[[Candidate], None]) -> None:
        super().__init__()
        self.setObjectName(f"{name}-candidates")
        self._name = name
        self._on_take = on_take
        self._found: list[Candidate] = []
        self._starts = [0]  # where each group of candidates seen so far starts
        self._next = 0
        self.buttons: list[QPushButton] = []
        self._busy = False
        row = self._row = SpacedRow(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.earlier = button("‹", f"{name}-candidates-earlier", lambda: self._turn(-1))
        self.earlier.setAccessibleName(self.tr("Earlier candidates"))
        self.later = button("›", f"{name}-candidates-later", lambda: self._turn(+1))
        self.later.setAccessibleName(self.tr("More candidates"))
        for b in (self.earlier, self.later):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.setProperty("key", True)
        row.addWidget(self.earlier)
        row.addStretch(1)
        row.addWidget(self.later)
        # The bar takes the width its column gives, whatever its candidates would like.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._show()

    def show_for(self, letters: str) -> None:
        self._found = load_candidates().lookup(letters) if letters else []
        self._starts = [0]
        self._show()

    def texts(self) -> list[str]:
        """The candidates on show, best first."""
        return [b.text() for b in self.buttons]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and not self._busy:
            self._show()  # care mode: larger words, fewer of them fit

    def _turn(self, by: int) -> None:
        if by > 0 and self._next > self._starts[-1]:
            self._starts.append(self._next)
        elif by < 0 and len(self._starts) > 1:
            self._starts.pop()
        self._show()

    def _show(self) -> None:
        self._busy = True
        try:
            self._place()
        finally:
            self._busy = False

    def _place(self) -> None:
        for b in self.buttons:
            self._row.removeWidget(b)
            discard(b)
        self.buttons = []
        self.earlier.ensurePolished()
        key = max(self.earlier.sizeHint().height(), self.earlier.sizeHint().width())
        for b in (self.earlier, self.later):
            b.setFixedWidth(key)
        gap = self._row.spacing()
        room = self.width() - 2 * key - 2 * gap
        first, used = self._starts[-1], 0
        for c in self._found[first:]:
            b = button(c.text, f"{self._name}-candidate-{len(self.buttons)}",
                       partial(self._on_take, c))
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self._row.insertWidget(1 + len(self.buttons), b)  # styled as in the bar
            b.ensurePolished()
            need = (max(b.sizeHint().width(), b.minimumSizeHint().width())
                    + (gap if self.buttons else 0))
            if self.buttons and used + need > room:
                self._row.removeWidget(b)
                discard(b)
                break
            b.show()  # now, not on the next turn of the event loop: a tap may follow at once
            self.buttons.append(b)
            used += need
        self._next = first + len(self.buttons)
        self.earlier.setEnabled(len(self._starts) > 1)
        self.later.setEnabled(self._next < len(self._found))
        self.setMinimumHeight(self.earlier.sizeHint().height())
