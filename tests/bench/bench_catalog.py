"""Catalogue load at the shipped size and at 2,000 services: parse into the model, validate
(JSON Schema + cross-checks), build the pinyin index — against ``json.loads`` of the same
bytes, measured in the same run.

What runs where: the kiosk only parses at start (validation runs when a catalogue is built in
CI or arrives from the platform, on the poller thread; the pinyin index is built when the
catalogue is built or published), so "parse" is the part on the path to the first paint.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from kiosk.catalog.build_index import build_index
from kiosk.catalog.checks import check_catalog
from kiosk.catalog.loader import parse_catalog
from tests.support.big_catalog import big_catalog, shipped_document

ROUNDS = 5


def _median_ms(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _one(label: str, doc: dict[str, Any]) -> str:
    text = json.dumps(doc, ensure_ascii=False)
    raw = _median_ms(lambda: json.loads(text))
    parse = _median_ms(lambda: parse_catalog(json.loads(text)))
    check = _median_ms(lambda: check_catalog(json.loads(text)))
    index = _median_ms(lambda: build_index(json.loads(text)), rounds=1)
    return (f"catalogue load, {label} ({len(doc['services'])} services, "
            f"{len(text.encode()) // 1024} KiB): json.loads {raw:.1f} ms; parse into the model "
            f"{parse:.1f} ms ({parse / raw:.1f}x); validate {check:.0f} ms ({check / raw:.0f}x); "
            f"pinyin index {index:.0f} ms ({index / raw:.0f}x, at build or publish only)")


def run() -> str:
    return "\n".join((_one("shipped", shipped_document()), _one("generated", big_catalog(2000))))


if __name__ == "__main__":
    print(run())
