"""Chinese characters and words for the pinyin a citizen has typed, from the table built with
pypinyin when the catalogue is built (:mod:`kiosk.catalog.build_candidates`); no pinyin
library at run time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Candidate:
    text: str
    letters: int  # how many of the typed letters it stands for


@dataclass(frozen=True)
class CandidateTable:
    characters: dict[str, str]  # syllable -> characters, best first
    words: dict[str, tuple[str, ...]]  # whole pinyin -> words, best first

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> CandidateTable:
        return cls(dict(doc["characters"]),
                   {k: tuple(v) for k, v in doc["words"].items()})

    def first_syllable(self, letters: str) -> str:
        """The longest syllable ``letters`` starts with ("" if none)."""
        for end in range(min(len(letters), 6), 0, -1):
            if letters[:end] in self.characters:
                return letters[:end]
        return ""

    def lookup(self, letters: str, limit: int = 60) -> list[Candidate]:
        """Whole words first (the catalogue's, as typed, then those that start so), then the
        characters of the first syllable typed; for a syllable not finished yet (zh), the
        best characters of each syllable it may become."""
        letters = letters.lower()
        if not letters:
            return []
        found: list[Candidate] = []
        seen: set[str] = set()

        def add(text: str, used: int) -> None:
            if text not in seen and len(found) < limit:
                seen.add(text)
                found.append(Candidate(text, used))

        for word in self.words.get(letters, ()):
            add(word, len(letters))
        syllable = self.first_syllable(letters)
        if not syllable:  # a syllable being typed: its characters, then words that start so
            for key, chars in self.characters.items():
                if key.startswith(letters):
                    for char in chars[:3]:
                        add(char, len(letters))
        if len(letters) > len(syllable):
            for key, words in self.words.items():
                if key.startswith(letters) and len(words[0]) <= 4:
                    add(words[0], len(letters))
        for char in self.characters.get(syllable, ""):
            add(char, len(syllable))
        return found


@cache
def load_candidates() -> CandidateTable:
    text = (resources.files("assets") / "catalog" / "candidates.json").read_text("utf-8")
    return CandidateTable.from_document(json.loads(text))
