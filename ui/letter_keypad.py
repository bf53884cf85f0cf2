"""A large on-screen A–Z keypad for pinyin and pinyin initials.

Qt's virtual keyboard does not work inside a client of the kiosk's Wayland compositor, and the
compositor offers no input method, so letters are typed on keys of our own (ACCESSIBILITY.md 6).

The letters are in alphabetical order, in the four rows of the pinyin alphabet song every
pupil in China learns (ABCDEFG / HIJKLMN / OPQRSTU / VWXYZ), not in QWERTY rows: the citizens
this kiosk serves most are elderly people who have never used a computer keyboard or a phone,
and they find a letter by saying the alphabet, not by remembering where a keyboard puts it.
Seven keys a row also leave each key wider than a ten-key QWERTY row would on a 1080 px
portrait screen in care mode. Delete and Clear stand in their own wider column on the right,
each two rows high, so their labels are words, not symbols, in either language.

The API is used by the form engine's Chinese text field (a candidate bar over this keypad):
keep ``LetterKeypad(on_change, max_len)``, ``text()``, ``clear()`` and ``set_text()`` stable.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import partial

from .qt import QPushButton, QSizePolicy, QWidget, SpacedGrid
from .widgets import button

ROWS = ("ABCDEFG", "HIJKLMN", "OPQRSTU", "VWXYZ")
_EDIT_COLUMN = max(len(r) for r in ROWS)


class LetterKeypad(QWidget):
    """Letter keys A–Z, Delete and Clear. Every change, by a key or by ``clear()`` /
    ``set_text()``, reaches ``on_change`` with the whole text typed so far: lower-case
    letters a–z, as pinyin is written, at most ``max_len`` of them."""

    def __init__(self, on_change: Callable[[str], None], max_len: int = 24) -> None:
        super().__init__()
        self.setObjectName("letter-keypad")
        self._on_change = on_change
        self._max_len = max_len
        self._text = ""
        self.letter_keys: dict[str, QPushButton] = {}
        grid = SpacedGrid(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for r, row in enumerate(ROWS):
            for c, letter in enumerate(row):
                lower = letter.lower()
                key = button(letter, f"letter-key-{lower}", partial(self._type, lower))
                key.setAccessibleName(self.tr("Letter %1").replace("%1", letter))
                key.setProperty("key", True)  # no side padding: the letter is the key
                self.letter_keys[lower] = key
                grid.addWidget(key, r, c)
        self.delete_key = button(self.tr("Delete"), "letter-key-delete", self._delete)
        self.clear_key = button(self.tr("Clear"), "letter-key-clear", self.clear)
        for i, key in enumerate((self.delete_key, self.clear_key)):
            key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            grid.addWidget(key, 2 * i, _EDIT_COLUMN, 2, 1)
        for c in range(_EDIT_COLUMN):
            grid.setColumnStretch(c, 1)
        grid.setColumnStretch(_EDIT_COLUMN, 2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def clear(self) -> None:
        self._set("")

    def set_text(self, text: str) -> None:
        """Start from this text (letters only, lower-cased, cut to ``max_len``)."""
        self._set(text)

    def keys(self) -> list[QPushButton]:
        """Every key, letters first: for layout checks and tests."""
        return [*self.letter_keys.values(), self.delete_key, self.clear_key]

    def _type(self, letter: str) -> None:
        if len(self._text) < self._max_len:
            self._set(self._text + letter)

    def _delete(self) -> None:
        self._set(self._text[:-1])

    def _set(self, text: str) -> None:
        letters = "".join(ch for ch in text.lower() if ch in string.ascii_lowercase)
        self._text = letters[: self._max_len]
        self._on_change(self._text)
