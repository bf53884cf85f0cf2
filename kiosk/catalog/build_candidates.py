"""Build the text field's candidate table with pypinyin: syllable → characters, and the
catalogue's own words by their pinyin. Run when the catalogue is built, never at start-up:

    python -m kiosk.catalog.build_candidates           # writes assets/catalog/candidates.json
    python -m kiosk.catalog.build_candidates --check   # exit 1 if it is out of date

The characters are the 6,763 of GB2312 (what a citizen writes; rare characters are left out).
Under each syllable they are ordered: first the characters whose first reading (pypinyin's)
is this syllable, before those that only have it as another reading (份 is read fen, rarely
bin); within each, those the catalogue and the region list use, most used first (the words
this kiosk's forms ask for: places, services); then the common characters (GB2312 level 1,
3,755) before the rarer (level 2). pypinyin holds no frequencies, so within each group
GB2312's own order stands. Words are the runs of Chinese characters in the same texts (哈尔滨市,
道里区), by their whole pinyin, most used first.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from importlib import metadata, resources
from pathlib import Path
from typing import Any

CANDIDATES_FILE = "candidates.json"
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,8}")


def gb2312_characters() -> list[tuple[str, int]]:
    """Every GB2312 character with its level (1 common, 2 less common), in GB2312's order."""
    found = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            found.append((char, 1 if high < 0xD8 else 2))
    return found


def catalogue_texts(catalog: dict[str, Any], regions: dict[str, Any]) -> list[str]:
    """The Chinese texts of the catalogue (titles, keywords, form labels and options) and the
    region list's names."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "zh_CN" and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(catalog)
    walk(regions)
    for service in catalog.get("services", []):
        texts += service.get("keywords", [])
    return texts


def build_candidates(catalog: dict[str, Any], regions: dict[str, Any]) -> dict[str, Any]:
    from pypinyin import Style, lazy_pinyin, pinyin

    texts = catalogue_texts(catalog, regions)
    used = Counter(c for t in texts for c in t)
    ranked: dict[str, list[tuple[tuple[int, int, int, int], str]]] = {}
    for order, (char, level) in enumerate(gb2312_characters()):
        readings = pinyin(char, style=Style.NORMAL, heteronym=True, v_to_u=False)[0]
        for rank, syllable in enumerate(dict.fromkeys(r for r in readings if r.isalpha())):
            key = (min(rank, 1), -used[char], level, order)
            ranked.setdefault(syllable, []).append((key, char))
    chars = {s: "".join(c for _, c in sorted(items)) for s, items in sorted(ranked.items())}
    words: Counter[str] = Counter()
    for text in texts:
        for run in _HAN_RUN.findall(text):
            words[run] += 1
    by_pinyin: dict[str, list[tuple[int, str]]] = {}
    for word, n in words.items():
        spelt = "".join(lazy_pinyin(word, style=Style.NORMAL, v_to_u=False))
        by_pinyin.setdefault(spelt, []).append((-n, word))
    return {
        "format": 1,
        "generator": f"pypinyin {metadata.version('pypinyin')}",
        "characters": chars,
        "words": {k: [w for _, w in sorted(v)] for k, v in sorted(by_pinyin.items())},
    }


def candidates_text(table: dict[str, Any]) -> str:
    return json.dumps(table, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def shipped_path() -> Path:
    return Path(str(resources.files("assets") / "catalog")) / CANDIDATES_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.catalog.build_candidates",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args(argv)
    from .loader import installed_catalog_text
    from .regions import regions_text

    table = build_candidates(json.loads(installed_catalog_text()), json.loads(regions_text()))
    text, out = candidates_text(table), shipped_path()
    if args.check:
        if not out.exists() or out.read_text("utf-8") != text:
            sys.stderr.write(f"{out} is out of date: run python -m {__spec__.name}\n")
            return 1
        sys.stdout.write(f"{out} is up to date\n")
        return 0
    out.write_text(text, encoding="utf-8")
    sys.stdout.write(f"{out}: {len(table['characters'])} syllables, {len(table['words'])} words\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
